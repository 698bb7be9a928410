//! EVS data disks through the simulator over real HTTP: create, rename, expand, attach, detach,
//! delete, and the platform's rules (AZ, devices, system disks, growth only, snapshots, quotas),
//! with the statuses they pass through, injected failures and a restart from `--state`.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use hvecs::sim::{FaultSpec, SimOptions};
use serde_json::{Value, json};
use sim_support::{Answer, TestSim, start, start_with};

/// Asks for `count` disks of `size` GB in `az`; the answer as it came.
async fn create(t: &TestSim, az: &str, size: u64, count: u64) -> Answer {
    let body = json!({"volume": {"name": "data", "availability_zone": az, "volume_type": "SAS",
        "size": size, "count": count}});
    t.signed("POST", &t.p("/v2.1/{p}/cloudvolumes"), &[], Some(body))
        .await
}

/// Creates one disk and waits until it is available; its id.
async fn new_disk(t: &TestSim, az: &str, size: u64) -> String {
    let a = create(t, az, size, 1).await;
    assert_eq!(a.status, 202, "{}", a.text);
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "SUCCESS", "{job}");
    let id = a.body["volume_ids"][0].as_str().unwrap().to_owned();
    t.wait_volume(&id, "available").await;
    id
}

async fn volume(t: &TestSim, id: &str) -> Value {
    let a = t
        .signed(
            "GET",
            &t.p(&format!("/v2/{{p}}/cloudvolumes/{id}")),
            &[],
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body["volume"].clone()
}

async fn attach(t: &TestSim, server: &str, disk: &str, device: Option<&str>) -> Answer {
    let mut inner = json!({"volumeId": disk});
    if let Some(d) = device {
        inner["device"] = json!(d);
    }
    t.signed(
        "POST",
        &t.p(&format!("/v1/{{p}}/cloudservers/{server}/attachvolume")),
        &[],
        Some(json!({"volumeAttachment": inner})),
    )
    .await
}

async fn detach(t: &TestSim, server: &str, disk: &str) -> Answer {
    t.signed(
        "DELETE",
        &t.p(&format!(
            "/v1/{{p}}/cloudservers/{server}/detachvolume/{disk}"
        )),
        &[],
        None,
    )
    .await
}

async fn expand(t: &TestSim, disk: &str, new_size: u64) -> Answer {
    t.signed(
        "POST",
        &t.p(&format!("/v2.1/{{p}}/cloudvolumes/{disk}/action")),
        &[],
        Some(json!({"os-extend": {"new_size": new_size}})),
    )
    .await
}

async fn delete(t: &TestSim, disk: &str) -> Answer {
    t.signed(
        "DELETE",
        &t.p(&format!("/v2/{{p}}/cloudvolumes/{disk}")),
        &[],
        None,
    )
    .await
}

/// The AZs of the first project's region.
async fn azs(t: &TestSim) -> Vec<String> {
    let a = t
        .signed("GET", &t.p("/v2.1/{p}/os-availability-zone"), &[], None)
        .await;
    a.body["availabilityZoneInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["zoneName"].as_str().unwrap().to_owned())
        .collect()
}

fn az_of(server: &Value) -> String {
    server["OS-EXT-AZ:availability_zone"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn job_of(a: &Answer) -> String {
    assert!(
        a.status == 200 || a.status == 202,
        "{} {}",
        a.status,
        a.text
    );
    a.body["job_id"].as_str().unwrap().to_owned()
}

fn code(a: &Answer) -> String {
    a.body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_disk_is_created_renamed_attached_expanded_in_use_detached_and_deleted() {
    // Slow enough (steps of 50 ms and more) to see each transient status.
    let t = start(100.0).await;
    let server = t.server_with_status("ACTIVE").await;
    let sid = server["id"].as_str().unwrap().to_owned();
    let az = az_of(&server);

    let a = create(&t, &az, 20, 1).await;
    assert_eq!(a.status, 202, "{}", a.text);
    let disk = a.body["volume_ids"][0].as_str().unwrap().to_owned();
    let v = volume(&t, &disk).await;
    assert_eq!(
        (v["status"].as_str(), v["size"].as_u64()),
        (Some("creating"), Some(20))
    );
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["job_type"], "createVolume");
    assert_eq!(job["entities"]["volume_id"], disk.as_str());
    assert_eq!(job["entities"]["size"], 20);
    t.wait_volume(&disk, "available").await;

    let r = t
        .signed(
            "PUT",
            &t.p(&format!("/v2/{{p}}/cloudvolumes/{disk}")),
            &[],
            Some(json!({"volume": {"name": "logs", "description": "app logs"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "logs", "the answer is the disk itself");
    assert_eq!(volume(&t, &disk).await["description"], "app logs");

    let att = attach(&t, &sid, &disk, None).await;
    let att_job = job_of(&att);
    assert_eq!(volume(&t, &disk).await["status"], "attaching");
    assert_eq!(t.wait_job(&att_job).await["status"], "SUCCESS");
    let v = t.wait_volume(&disk, "in-use").await;
    assert_eq!(v["volume"]["attachments"][0]["server_id"], sid.as_str());

    let grow = expand(&t, &disk, 40).await;
    assert_eq!(grow.status, 202, "{}", grow.text);
    assert_eq!(volume(&t, &disk).await["status"], "extending");
    let job = t.wait_job(&job_of(&grow)).await;
    assert_eq!(
        (job["status"].as_str(), job["job_type"].as_str()),
        (Some("SUCCESS"), Some("extendVolume"))
    );
    let v = t.wait_volume(&disk, "in-use").await;
    assert_eq!(
        v["volume"]["size"], 40,
        "an in-use disk grows and stays attached"
    );

    let det = detach(&t, &sid, &disk).await;
    assert_eq!(volume(&t, &disk).await["status"], "detaching");
    assert_eq!(t.wait_job(&job_of(&det)).await["status"], "SUCCESS");
    t.wait_volume(&disk, "available").await;

    let del = delete(&t, &disk).await;
    assert_eq!(del.status, 200, "{}", del.text);
    assert_eq!(volume(&t, &disk).await["status"], "deleting");
    let job = t.wait_job(&job_of(&del)).await;
    assert_eq!(
        (job["status"].as_str(), job["job_type"].as_str()),
        (Some("SUCCESS"), Some("deleteVolume"))
    );
    let gone = t
        .signed(
            "GET",
            &t.p(&format!("/v2/{{p}}/cloudvolumes/{disk}")),
            &[],
            None,
        )
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn attach_takes_only_a_server_of_the_disks_az_and_a_free_or_asked_device() {
    let t = start(1000.0).await;
    let server = t.server_with_status("ACTIVE").await;
    let sid = server["id"].as_str().unwrap().to_owned();
    let az = az_of(&server);
    let azs = azs(&t).await;
    let other = azs.iter().find(|a| **a != az).unwrap().clone();

    let far = new_disk(&t, &other, 10).await;
    let a = attach(&t, &sid, &far, None).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(
        a.text.contains(&other),
        "the refusal names the AZs: {}",
        a.text
    );
    assert_eq!(volume(&t, &far).await["status"], "available");

    let used = server["os-extended-volumes:volumes_attached"][0]["device"]
        .as_str()
        .unwrap()
        .to_owned();
    let near = new_disk(&t, &az, 10).await;
    let a = attach(&t, &sid, &near, Some(&used)).await;
    assert_eq!(
        (a.status, code(&a)),
        (409, "Ecs.0042".to_owned()),
        "{}",
        a.text
    );

    let a = attach(&t, &sid, &near, Some("/dev/vdz")).await;
    assert_eq!(t.wait_job(&job_of(&a)).await["status"], "SUCCESS");
    let v = t.wait_volume(&near, "in-use").await;
    assert_eq!(v["volume"]["attachments"][0]["device"], "/dev/vdz");

    let again = new_disk(&t, &az, 10).await;
    let a = attach(&t, &sid, &again, None).await;
    assert_eq!(t.wait_job(&job_of(&a)).await["status"], "SUCCESS");
    let v = t.wait_volume(&again, "in-use").await;
    let dev = v["volume"]["attachments"][0]["device"].as_str().unwrap();
    assert!(dev != "/dev/vdz" && dev != used, "a free device: {dev}");

    let a = attach(&t, &sid, &again, None).await;
    assert_eq!(
        a.status, 409,
        "an in-use disk is not attached twice: {}",
        a.text
    );
}

#[tokio::test]
async fn a_system_disk_detaches_only_from_a_stopped_server_a_data_disk_from_a_running_one() {
    let t = start(1000.0).await;
    let server = t.server_with_status("ACTIVE").await;
    let sid = server["id"].as_str().unwrap().to_owned();
    let vols = server["os-extended-volumes:volumes_attached"]
        .as_array()
        .unwrap()
        .clone();
    let system = vols.iter().find(|v| v["bootIndex"] == "0").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a = detach(&t, &sid, &system).await;
    assert_eq!(a.status, 409, "{}", a.text);
    assert!(a.text.contains("stop server"), "{}", a.text);
    assert_eq!(volume(&t, &system).await["status"], "in-use");

    let data = new_disk(&t, &az_of(&server), 10).await;
    t.wait_job(&job_of(&attach(&t, &sid, &data, None).await))
        .await;
    t.wait_volume(&data, "in-use").await;
    let a = detach(&t, &sid, &data).await;
    assert_eq!(t.wait_job(&job_of(&a)).await["status"], "SUCCESS");
    t.wait_volume(&data, "available").await;

    t.act(json!({"os-stop": {"servers": [{"id": sid}], "type": "HARD"}}))
        .await;
    t.wait_server(&sid, "SHUTOFF").await;
    let a = detach(&t, &sid, &system).await;
    assert_eq!(t.wait_job(&job_of(&a)).await["status"], "SUCCESS");
    t.wait_volume(&system, "available").await;
}

#[tokio::test]
async fn expand_only_grows_and_delete_takes_only_a_detached_disk_without_snapshots() {
    let t = start(1000.0).await;
    let server = t.server_with_status("ACTIVE").await;
    let az = az_of(&server);
    let disk = new_disk(&t, &az, 20).await;

    for size in [20, 10] {
        let a = expand(&t, &disk, size).await;
        assert_eq!(a.status, 400, "{size}: {}", a.text);
        assert!(a.text.contains("only grows"), "{}", a.text);
    }
    let a = expand(&t, &disk, 40_000).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(volume(&t, &disk).await["size"], 20);

    let sid = server["id"].as_str().unwrap();
    t.wait_job(&job_of(&attach(&t, sid, &disk, None).await))
        .await;
    t.wait_volume(&disk, "in-use").await;
    let a = delete(&t, &disk).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.text.contains("detach it"), "{}", a.text);
    t.wait_job(&job_of(&detach(&t, sid, &disk).await)).await;
    t.wait_volume(&disk, "available").await;

    let snap = t
        .signed(
            "POST",
            &t.p("/v2/{p}/cloudsnapshots"),
            &[],
            Some(json!({"snapshot": {"volume_id": disk, "name": "keep"}})),
        )
        .await;
    assert_eq!(snap.status, 202, "{}", snap.text);
    let snap_id = snap.body["snapshot"]["id"].as_str().unwrap().to_owned();
    t.wait_snapshot(&snap_id, "available").await;
    let a = delete(&t, &disk).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.text.contains("1 snapshot"), "{}", a.text);
    assert_eq!(volume(&t, &disk).await["status"], "available");
}

#[tokio::test]
async fn creates_are_held_to_the_volume_and_gigabyte_quotas_of_os_quota_sets() {
    let t = start(1000.0).await;
    let az = azs(&t).await[0].clone();
    let quota_path = t.p("/v2/{p}/os-quota-sets/{p}");
    let q = t
        .signed("GET", &quota_path, &[("usage", "True")], None)
        .await
        .body["quota_set"]
        .clone();
    let (used_gb, limit_gb) = (
        q["gigabytes"]["in_use"].as_u64().unwrap(),
        q["gigabytes"]["limit"].as_u64().unwrap(),
    );
    let free_gb = limit_gb - used_gb;
    let too_big = free_gb / 4 + 1;
    let a = create(&t, &az, too_big.min(32768), 4).await;
    if too_big <= 32768 {
        assert_eq!(
            (a.status, code(&a)),
            (400, "EVS.0004".to_owned()),
            "{}",
            a.text
        );
        assert!(a.text.contains("gigabytes"), "{}", a.text);
    }

    let (used_n, limit_n) = (
        q["volumes"]["in_use"].as_u64().unwrap(),
        q["volumes"]["limit"].as_u64().unwrap(),
    );
    let mut left = limit_n - used_n;
    while left > 0 {
        let n = left.min(100);
        let a = create(&t, &az, 10, n).await;
        assert_eq!(a.status, 202, "{}", a.text);
        left -= n;
    }
    let a = create(&t, &az, 10, 1).await;
    assert_eq!(
        (a.status, code(&a)),
        (400, "EVS.0004".to_owned()),
        "{}",
        a.text
    );
    assert!(a.text.contains("volumes"), "{}", a.text);
    let after = t
        .signed("GET", &quota_path, &[("usage", "True")], None)
        .await
        .body["quota_set"]["volumes"]["in_use"]
        .clone();
    assert_eq!(
        after, limit_n,
        "disks still creating count against the quota"
    );
}

#[tokio::test]
async fn a_batch_create_names_its_disks_and_reports_a_sub_job_each() {
    let t = start(1000.0).await;
    let az = azs(&t).await[1].clone();
    let a = create(&t, &az, 10, 3).await;
    assert_eq!(a.status, 202, "{}", a.text);
    let ids: Vec<String> = a.body["volume_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["job_type"], "batchCreateVolume");
    let subs = job["entities"]["sub_jobs"].as_array().unwrap();
    assert_eq!(subs.len(), 3);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(subs[i]["entities"]["volume_id"], id.as_str());
        let v = t.wait_volume(id, "available").await;
        assert_eq!(v["volume"]["name"], format!("data-{:04}", i + 1));
    }
}

#[tokio::test]
async fn injected_failures_leave_the_disk_in_an_error_status_it_can_be_deleted_from() {
    let t = start_with(SimOptions {
        speed: 1000.0,
        faults: FaultSpec::parse("jobfail=1").unwrap(),
        ..SimOptions::default()
    })
    .await;
    let az = azs(&t).await[0].clone();
    let a = create(&t, &az, 10, 1).await;
    let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "FAIL", "{job}");
    assert!(job["fail_reason"].as_str().unwrap().contains("Error ("));
    let disk = a.body["volume_ids"][0].as_str().unwrap();
    t.wait_volume(disk, "error").await;
    let d = delete(&t, disk).await;
    assert_eq!(d.status, 200, "a failed disk can be cleaned up: {}", d.text);
    assert_eq!(t.wait_job(&job_of(&d)).await["status"], "FAIL");
    t.wait_volume(disk, "error_deleting").await;
}

#[tokio::test]
async fn a_restart_from_state_resumes_a_disk_job_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        speed: 0.5,
        state_dir: Some(dir.path().to_owned()),
        ..SimOptions::default()
    };
    let t = start_with(opts.clone()).await;
    let az = azs(&t).await[0].clone();
    let a = create(&t, &az, 30, 1).await;
    let job = a.body["job_id"].as_str().unwrap().to_owned();
    let disk = a.body["volume_ids"][0].as_str().unwrap().to_owned();
    t.handle.shutdown().await.unwrap();

    let t = start_with(SimOptions {
        speed: 1000.0,
        ..opts
    })
    .await;
    assert_eq!(t.wait_job(&job).await["status"], "SUCCESS");
    let v = t.wait_volume(&disk, "available").await;
    assert_eq!(v["volume"]["size"], 30);
}
