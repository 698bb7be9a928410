//! A server's whole life through the simulator over real HTTP, and the state machine's refusals,
//! locks, batch results, idempotent creates and injected job failures.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use hvecs::sim::{FaultSpec, SimOptions};
use serde_json::{Value, json};
use sim_support::{TestSim, start, start_with};

async fn linux_image(t: &TestSim) -> String {
    let a = t
        .signed(
            "GET",
            "/v2/cloudimages",
            &[("__os_type", "Linux"), ("__imagetype", "gold")],
            None,
        )
        .await;
    a.body["images"][0]["id"].as_str().unwrap().to_owned()
}

async fn create_body(t: &TestSim, name: &str, count: u64) -> Value {
    let (vpc, subnet) = t.network().await;
    json!({"server": {"name": name, "imageRef": linux_image(t).await, "flavorRef": "hv1.large.2", "vpcid": vpc,
        "nics": [{"subnet_id": subnet}], "root_volume": {"volumetype": "SSD", "size": 40},
        "data_volumes": [{"volumetype": "SAS", "size": 20}], "count": count,
        "server_tags": [{"key": "env", "value": "test"}]}})
}

fn server_ids(job: &Value) -> Vec<String> {
    job["entities"]["sub_jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["entities"]["server_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_stop_image_snapshot_detach_rollback_attach_start_delete() {
    let t = start(1000.0).await;
    let body = create_body(&t, "life", 1).await;
    let a = t
        .signed("POST", &t.p("/v1/{p}/cloudservers"), &[], Some(body))
        .await;
    assert!(a.status == 200 || a.status == 202, "{}", a.text);
    assert!(
        a.body.get("serverIds").is_none(),
        "the documented create answer has only job_id"
    );
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "SUCCESS", "{job}");
    assert_eq!(job["job_type"], "createServer");
    assert_eq!(
        job["entities"]["sub_jobs"][0]["job_type"],
        "createSingleServer"
    );
    assert!(job["end_time"].as_str().unwrap().ends_with('Z'));
    let id = server_ids(&job).remove(0);
    let s = t.wait_server(&id, "ACTIVE").await;
    assert_eq!(s["tags"], json!(["env=test"]));
    assert_eq!(
        s["os-extended-volumes:volumes_attached"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let stop = t
        .act(json!({"os-stop": {"type": "SOFT", "servers": [{"id": id}]}}))
        .await;
    assert_eq!(stop["status"], "SUCCESS");
    t.wait_server(&id, "SHUTOFF").await;

    let img = t
        .signed(
            "POST",
            "/v2/cloudimages/action",
            &[],
            Some(json!({"name": "life-image", "instance_id": id})),
        )
        .await;
    assert!(img.status / 100 == 2, "{}", img.text);
    let ij = t.wait_job(img.body["job_id"].as_str().unwrap()).await;
    assert_eq!(ij["status"], "SUCCESS", "{ij}");
    assert_eq!(ij["job_type"], "imsCreateImageByInstance");
    let image_id = ij["entities"]["image_id"].as_str().unwrap().to_owned();
    assert_eq!(ij["entities"]["process_percent"], 100);
    let shown = t
        .signed("GET", &format!("/v2/images/{image_id}"), &[], None)
        .await;
    assert_eq!(
        (shown.body["status"].as_str(), shown.body["name"].as_str()),
        (Some("active"), Some("life-image"))
    );
    t.wait_server(&id, "SHUTOFF").await;

    let bd = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/block_device")),
            &[],
            None,
        )
        .await;
    let sys = bd.body["volumeAttachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["bootIndex"] == 0)
        .unwrap()["volumeId"]
        .as_str()
        .unwrap()
        .to_owned();
    let no_force = t
        .signed(
            "POST",
            &t.p("/v2/{p}/cloudsnapshots"),
            &[],
            Some(json!({"snapshot": {"volume_id": sys, "name": "before"}})),
        )
        .await;
    assert_eq!(
        no_force.status, 400,
        "an attached disk needs force: {}",
        no_force.text
    );
    let snap = t
        .signed(
            "POST",
            &t.p("/v2/{p}/cloudsnapshots"),
            &[],
            Some(json!({"snapshot": {"volume_id": sys, "name": "before", "force": true}})),
        )
        .await;
    assert_eq!(snap.status, 202, "{}", snap.text);
    assert_eq!(snap.body["snapshot"]["status"], "creating");
    let snap_id = snap.body["snapshot"]["id"].as_str().unwrap().to_owned();
    let snap_path = t.p(&format!("/v2/{{p}}/cloudsnapshots/{snap_id}"));
    t.wait_snapshot(&snap_id, "available").await;

    let early = t.rollback(&snap_id, &sys).await;
    assert_eq!(
        early.status, 400,
        "rollback needs the disk detached: {}",
        early.text
    );

    let det = t
        .signed(
            "DELETE",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/detachvolume/{sys}")),
            &[],
            None,
        )
        .await;
    assert!(det.status / 100 == 2, "{}", det.text);
    assert_eq!(
        t.wait_job(det.body["job_id"].as_str().unwrap()).await["status"],
        "SUCCESS"
    );
    let vol_path = t.p(&format!("/v2/{{p}}/cloudvolumes/{sys}"));
    t.wait_volume(&sys, "available").await;

    let rb = t.rollback(&snap_id, &sys).await;
    assert_eq!(rb.status, 202, "{}", rb.text);
    assert_eq!(rb.body["rollback"]["volume_id"], sys.as_str());
    t.wait_volume(&sys, "available").await;

    let att = t
        .signed(
            "POST",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/attachvolume")),
            &[],
            Some(json!({"volumeAttachment": {"volumeId": sys, "device": "/dev/vda"}})),
        )
        .await;
    assert!(att.status / 100 == 2, "{}", att.text);
    assert_eq!(
        t.wait_job(att.body["job_id"].as_str().unwrap()).await["status"],
        "SUCCESS"
    );
    t.wait_field(
        &vol_path,
        |b| b["volume"]["attachments"][0]["device"].clone(),
        json!("/dev/vda"),
    )
    .await;

    assert_eq!(
        t.act(json!({"os-start": {"servers": [{"id": id}]}})).await["status"],
        "SUCCESS"
    );
    t.wait_server(&id, "ACTIVE").await;

    let del = t
        .signed(
            "POST",
            &t.p("/v1/{p}/cloudservers/delete"),
            &[],
            Some(json!({"servers": [{"id": id}], "delete_volume": true})),
        )
        .await;
    assert!(del.status / 100 == 2, "{}", del.text);
    assert_eq!(
        t.wait_job(del.body["job_id"].as_str().unwrap()).await["status"],
        "SUCCESS"
    );
    assert_eq!(
        t.signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            None
        )
        .await
        .status,
        404
    );
    assert_eq!(t.signed("GET", &vol_path, &[], None).await.status, 404);

    let del_snap = t.signed("DELETE", &snap_path, &[], None).await;
    assert!(
        del_snap.status == 404 || del_snap.status == 202,
        "the snapshot went with its disk"
    );
    let del_img = t
        .signed("DELETE", &format!("/v2/images/{image_id}"), &[], None)
        .await;
    assert_eq!(del_img.status, 204);
    assert_eq!(
        t.signed("GET", &format!("/v2/images/{image_id}"), &[], None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_new_server_is_404_at_first_and_the_client_token_returns_the_first_job() {
    let t = start(1.0).await;
    let body = create_body(&t, "slow", 2).await;
    let path = t.p("/v1/{p}/cloudservers");
    let dry = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"server": body["server"], "dry_run": true})),
        )
        .await;
    assert_eq!(dry.status, 202, "{}", dry.text);
    // X-Client-Token: sign it too, as a client would send it.
    let first = t
        .signed_with_header("POST", &path, body.clone(), ("X-Client-Token", "token-1"))
        .await;
    let again = t
        .signed_with_header("POST", &path, body.clone(), ("X-Client-Token", "token-1"))
        .await;
    assert_eq!(first.body["job_id"], again.body["job_id"]);
    let job_id = first.body["job_id"].as_str().unwrap();
    let job = t
        .signed("GET", &t.p(&format!("/v1/{{p}}/jobs/{job_id}")), &[], None)
        .await;
    assert!(["INIT", "RUNNING"].contains(&job.body["status"].as_str().unwrap()));
    assert_eq!(job.body["end_time"], "");
    let ids = server_ids(&job.body);
    assert_eq!(ids.len(), 2);
    // Scheduling takes seconds at --speed 1: the ids are not servers yet.
    assert_eq!(
        t.signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{}", ids[0])),
            &[],
            None
        )
        .await
        .status,
        404
    );
    let limits = t
        .signed("GET", &t.p("/v1/{p}/cloudservers/limits"), &[], None)
        .await;
    assert_eq!(
        limits.body["absolute"]["totalInstancesUsed"], 22,
        "creates in flight count against the quota"
    );
}

#[tokio::test]
async fn refusals_by_state_locks_and_batch_results() {
    let t = start(1.0).await;
    let on = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let off = t.server_with_status("SHUTOFF").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = t.p("/v1/{p}/cloudservers/action");
    let a = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"os-start": {"servers": [{"id": on}]}})),
        )
        .await;
    assert_eq!(a.status, 409, "{}", a.text);
    assert!(
        a.body["error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("Ecs.")
    );
    let img = t
        .signed(
            "POST",
            "/v2/cloudimages/action",
            &[],
            Some(json!({"name": "x", "instance_id": on})),
        )
        .await;
    assert_eq!(
        (img.status, img.body["error"]["code"].as_str()),
        (400, Some("IMG.0008"))
    );
    let rs = t
        .signed(
            "POST",
            &t.p(&format!("/v1/{{p}}/cloudservers/{on}/resize")),
            &[],
            Some(json!({"resize": {"flavorRef": "hv1.xlarge.2"}})),
        )
        .await;
    assert_eq!(rs.status, 409, "{}", rs.text);

    // A stop takes seconds at --speed 1: meanwhile the server is locked (SCVMM Error 2602).
    let stop = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"os-stop": {"type": "HARD", "servers": [{"id": on}]}})),
        )
        .await;
    assert!(stop.status / 100 == 2);
    let shown = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{on}")),
            &[],
            None,
        )
        .await;
    assert_eq!(shown.body["server"]["status"], "ACTIVE");
    assert_eq!(
        shown.body["server"]["OS-EXT-STS:task_state"],
        "powering-off"
    );
    let again = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"reboot": {"type": "SOFT", "servers": [{"id": on}]}})),
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(
        again.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2602"),
        "{}",
        again.text
    );
    let del = t
        .signed(
            "POST",
            &t.p("/v1/{p}/cloudservers/delete"),
            &[],
            Some(json!({"servers": [{"id": on}]})),
        )
        .await;
    assert_eq!(del.status, 409);

    // A batch where one server cannot start: its sub-job fails, the other runs.
    let batch = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"os-start": {"servers": [{"id": off}, {"id": on}]}})),
        )
        .await;
    assert!(batch.status / 100 == 2, "{}", batch.text);
    let job_id = batch.body["job_id"].as_str().unwrap();
    let job = t
        .signed("GET", &t.p(&format!("/v1/{{p}}/jobs/{job_id}")), &[], None)
        .await;
    assert_eq!(job.body["entities"]["sub_jobs_total"], 2);
    let shown = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{off}")),
            &[],
            None,
        )
        .await;
    assert_eq!(shown.body["server"]["OS-EXT-STS:task_state"], "powering-on");
}

#[tokio::test]
async fn batch_job_reports_a_result_per_server() {
    let t = start(1000.0).await;
    let on = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let off = t.server_with_status("SHUTOFF").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = t
        .act(json!({"os-start": {"servers": [{"id": off}, {"id": on}]}}))
        .await;
    assert_eq!(job["status"], "FAIL");
    let subs = job["entities"]["sub_jobs"].as_array().unwrap();
    let by_server = |id: &str| {
        subs.iter()
            .find(|s| s["entities"]["server_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_server(&off)["status"], "SUCCESS");
    assert_eq!(by_server(&on)["status"], "FAIL");
    assert!(
        by_server(&on)["fail_reason"]
            .as_str()
            .unwrap()
            .contains("ACTIVE")
    );
    t.wait_server(&off, "ACTIVE").await;
    t.wait_server(&on, "ACTIVE").await;
}

#[tokio::test]
async fn resize_rename_and_update() {
    let t = start(1000.0).await;
    let off = t.server_with_status("SHUTOFF").await;
    let id = off["id"].as_str().unwrap().to_owned();
    let target = if off["flavor"]["id"] == "hv1.xlarge.4" {
        "hv1.large.4"
    } else {
        "hv1.xlarge.4"
    };
    let a = t
        .signed(
            "POST",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/resize")),
            &[],
            Some(json!({"resize": {"flavorRef": target}})),
        )
        .await;
    assert!(a.status / 100 == 2, "{}", a.text);
    assert_eq!(
        t.wait_job(a.body["job_id"].as_str().unwrap()).await["status"],
        "SUCCESS"
    );
    let s = t.wait_server(&id, "SHUTOFF").await;
    assert_eq!(s["flavor"]["id"], target);
    let bad = t
        .signed(
            "POST",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/resize")),
            &[],
            Some(json!({"resize": {"flavorRef": "hv9.huge"}})),
        )
        .await;
    assert_eq!(bad.status, 400);

    let u = t
        .signed(
            "PUT",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            Some(json!({"server": {"name": "renamed-1", "description": "d"}})),
        )
        .await;
    assert_eq!(
        (u.status, u.body["server"]["name"].as_str()),
        (200, Some("renamed-1"))
    );
    let bad = t
        .signed(
            "PUT",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            Some(json!({"server": {"name": "has space"}})),
        )
        .await;
    assert_eq!(bad.status, 400);
    let on = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t
        .signed(
            "PUT",
            &t.p("/v1/{p}/cloudservers/server-name"),
            &[],
            Some(json!({"name": "twins", "servers": [{"id": id}, {"id": on}]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["response"].as_array().unwrap().len(), 2);
    let s = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{on}")),
            &[],
            None,
        )
        .await;
    assert_eq!(s.body["server"]["name"], "twins");
}

/// A change to a good create body, made to break it.
type Change = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn create_checks_network_image_disk_and_quota() {
    let t = start(1000.0).await;
    let good = create_body(&t, "chk", 1).await;
    let path = t.p("/v1/{p}/cloudservers");
    let win = t
        .signed(
            "GET",
            "/v2/cloudimages",
            &[("__os_type", "Windows"), ("__imagetype", "gold")],
            None,
        )
        .await;
    let win = win.body["images"][0]["id"].clone();
    let cases: Vec<(Change, u16, &str)> = vec![
        (
            Box::new(|b| b["server"]["vpcid"] = json!("00000000-0000-0000-0000-000000000000")),
            400,
            "vpcid",
        ),
        (
            Box::new(|b| b["server"]["nics"][0]["subnet_id"] = json!("nope")),
            400,
            "subnet",
        ),
        (
            Box::new(|b| b["server"]["imageRef"] = json!("nope")),
            400,
            "imageRef",
        ),
        (
            Box::new(|b| b["server"]["root_volume"]["size"] = json!(5)),
            400,
            "min_disk",
        ),
        (
            Box::new(|b| b["server"]["root_volume"]["volumetype"] = json!("FLOPPY")),
            400,
            "volumetype",
        ),
        (Box::new(|b| b["server"]["name"] = json!("")), 400, "name"),
        (
            Box::new(|b| b["server"]["count"] = json!(101)),
            400,
            "count",
        ),
        (
            Box::new(|b| b["server"]["availability_zone"] = json!("mars-1a")),
            400,
            "availability_zone",
        ),
        (
            Box::new(move |b| {
                b["server"]["flavorRef"] = json!("hv1.small.1");
                b["server"]["imageRef"] = win.clone();
            }),
            400,
            "memory",
        ),
        (
            Box::new(|b| {
                b["server"]
                    .as_object_mut()
                    .unwrap()
                    .remove("flavorRef")
                    .map(|_| ())
                    .unwrap()
            }),
            400,
            "flavorRef",
        ),
        (
            Box::new(|b| {
                b["server"]["flavorRef"] = json!("hv1.4xlarge.4");
                b["server"]["count"] = json!(100);
            }),
            403,
            "Quota exceeded",
        ),
    ];
    for (change, status, needle) in cases {
        let mut b = good.clone();
        change(&mut b);
        let a = t.signed("POST", &path, &[], Some(b)).await;
        assert_eq!(a.status, status, "{needle}: {}", a.text);
        assert!(
            a.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{needle}: {}",
            a.text
        );
    }
    assert_eq!(
        t.stats().await["mutations"],
        0,
        "no refused create reached the job table"
    );
}

#[tokio::test]
async fn injected_job_failures_fail_the_job_with_a_reason_and_leave_the_server_usable() {
    let t = start_with(SimOptions {
        speed: 1000.0,
        faults: FaultSpec::parse("jobfail=1").unwrap(),
        ..SimOptions::default()
    })
    .await;
    let off = t.server_with_status("SHUTOFF").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = t.act(json!({"os-start": {"servers": [{"id": off}]}})).await;
    assert_eq!(job["status"], "FAIL");
    assert!(job["error_code"].as_str().unwrap().starts_with("Ecs."));
    let sub = &job["entities"]["sub_jobs"][0];
    assert!(sub["fail_reason"].as_str().unwrap().contains("Error ("));
    assert!(
        sub["entities"]["errorcode_message"]
            .as_str()
            .unwrap()
            .contains("message")
    );
    let s = t.wait_server(&off, "SHUTOFF").await;
    assert_eq!(s["locked"], false);
}

#[tokio::test]
async fn resize_with_stop_server_stops_resizes_and_starts_again() {
    let t = start(1000.0).await;
    let on = t.server_with_status("ACTIVE").await;
    let id = on["id"].as_str().unwrap().to_owned();
    let target = if on["flavor"]["id"] == "hv1.xlarge.4" {
        "hv1.large.4"
    } else {
        "hv1.xlarge.4"
    };
    let path = t.p(&format!("/v1/{{p}}/cloudservers/{id}/resize"));
    let dry = t
        .signed(
            "POST",
            &path,
            &[],
            Some(
                json!({"resize": {"flavorRef": target, "mode": "withStopServer"}, "dry_run": true}),
            ),
        )
        .await;
    assert_eq!(dry.status, 202, "{}", dry.text);
    let a = t
        .signed(
            "POST",
            &path,
            &[],
            Some(json!({"resize": {"flavorRef": target, "mode": "withStopServer"}})),
        )
        .await;
    assert!(a.status / 100 == 2, "{}", a.text);
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "SUCCESS", "{job}");
    let s = t.wait_server(&id, "ACTIVE").await;
    assert_eq!(s["flavor"]["id"], target);
}

#[tokio::test]
async fn a_create_of_several_names_them_with_a_suffix_and_places_each() {
    let t = start(1000.0).await;
    let body = create_body(&t, "farm", 3).await;
    let a = t
        .signed("POST", &t.p("/v1/{p}/cloudservers"), &[], Some(body))
        .await;
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["entities"]["sub_jobs_total"], 3);
    let mut names = Vec::new();
    for id in server_ids(&job) {
        let s = t.wait_server(&id, "ACTIVE").await;
        assert!(
            s["OS-EXT-SRV-ATTR:host"]
                .as_str()
                .unwrap()
                .starts_with("hv-")
        );
        names.push(s["name"].as_str().unwrap().to_owned());
    }
    names.sort();
    assert_eq!(names, ["farm-0001", "farm-0002", "farm-0003"]);
}
