//! Every documented body in tests/fixtures/ decodes, and shows the values a person would read.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hvecs::gateway::model::*;
use hvecs::gateway::{ErrorBody, decode, decode_all};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn list<T: serde::de::DeserializeOwned + Row>(name: &str, key: &str) -> Vec<T> {
    let v = fixture(name);
    let items = v[key].as_array().unwrap().clone();
    let out: Vec<T> = decode_all(&items).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(out.len(), items.len(), "{name}: an item did not decode");
    out
}

#[test]
fn every_fixture_file_is_json() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap();
            serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            n += 1;
        }
    }
    assert!(n >= 34, "only {n} fixtures found");
}

#[test]
fn servers_list() {
    let v = fixture("ecs_list_servers_detail.response.json");
    assert_eq!(v["count"], 5);
    let s: Vec<Server> = list("ecs_list_servers_detail.response.json", "servers");
    assert_eq!(s.len(), 2);
    let a = &s[0];
    assert_eq!(a.id, "9f819649-1f7c-44ea-a315-7aa6706de50b");
    assert_eq!(a.name, "ecs-test01");
    assert_eq!(a.status, ServerStatus::Active);
    assert_eq!(a.flavor.name, "c1.xlarge");
    assert_eq!((a.flavor.vcpus, a.flavor.ram), (4, 4096));
    assert_eq!(a.availability_zone, "az1.dc1");
    assert_eq!(a.ips(), vec!["192.168.0.116"]);
    assert_eq!(a.vpc_id(), Some("0dae26c9-9a70-4392-93f3-87d53115d171"));
    assert_eq!(a.created.to_string(), "2018-06-19 07:44:24");
    assert_eq!(a.launched_at.to_string(), "2018-06-19 07:47:17");
    assert_eq!(a.power_state, Some(1));
    assert_eq!(a.task_state, None);
    assert_eq!(a.metadata["os_type"], "Linux");
    assert_eq!(a.key_name.as_deref(), Some("KeyPair-3e89"));
    assert_eq!(s[1].metadata["charging_mode"], "1");
    assert_eq!(s[1].flavor.vcpus, 1);
}

#[test]
fn flavors_with_sale_state() {
    let f: Vec<Flavor> = list("ecs_list_flavors.response.json", "flavors");
    let a = &f[0];
    assert_eq!(a.id, "ai1.2xlarge.4");
    assert_eq!((a.vcpus, a.ram, a.disk), (8, 32768, 0));
    assert_eq!(a.performance_type(), Some("ascend"));
    assert_eq!(a.sale_state(), SaleState::Normal);
    assert!(a.on_sale_in("az1.dc1"));
    // The per-AZ form of api.md §3.
    let mut b = a.clone();
    b.os_extra_specs.insert(
        "cond:operation:az".into(),
        "az1(normal), az2(sellout)".into(),
    );
    assert_eq!(
        b.sale_by_az(),
        vec![
            ("az1".into(), SaleState::Normal),
            ("az2".into(), SaleState::Sellout)
        ]
    );
    assert!(b.on_sale_in("az1") && !b.on_sale_in("az2") && b.on_sale_in("az3"));
    b.os_extra_specs
        .insert("cond:operation:status".into(), "abandon".into());
    assert!(!b.on_sale_in("az1"));
}

#[test]
fn availability_zones() {
    let z: Vec<AvailabilityZone> = list(
        "ecs_list_availability_zones.response.json",
        "availabilityZoneInfo",
    );
    assert_eq!(
        z.iter().map(|z| z.name.as_str()).collect::<Vec<_>>(),
        ["az1.dc1", "vmware.az1"]
    );
    assert!(z.iter().all(|z| z.available));
}

#[test]
fn jobs_with_sub_jobs_and_running() {
    let j: Job = decode(&fixture("ecs_show_job_success.response.json"));
    assert_eq!(j.job_id, "2c9eb2c5544cbf6101544f0602af2b4f");
    assert_eq!(j.job_type, "createServer");
    assert!(j.status.is_success());
    assert_eq!(j.entities.sub_jobs_total, Some(1));
    assert_eq!(j.server_ids(), vec!["bae51750-0089-41a1-9b18-5c777978ff6d"]);
    assert_eq!(j.progress(), Some(100));
    assert_eq!(j.end_time.to_string(), "2016-04-25 20:08:41");
    assert_eq!(j.failure(), None);

    let r: Job = decode(&fixture("evs_show_job_running.response.json"));
    assert_eq!(r.status, JobStatus::Running);
    assert!(r.status.is_pending());
    assert!(r.end_time.is_empty() && r.end_time.utc.is_none());
    assert_eq!(
        r.entities.volume_id.as_deref(),
        Some("bdf1bb37-f20f-4266-9a04-f43e0a127376")
    );
    assert_eq!(r.progress(), None);

    let i: Job = decode(&fixture("ims_show_job_success.response.json"));
    assert_eq!(i.job_type, "imsCreateImageByInstance");
    assert_eq!(
        i.entities.image_id.as_deref(),
        Some("3f7185de-b59a-4bb8-aa1d-7a513528b0e9")
    );
    assert_eq!(i.entities.image_name.as_deref(), Some("test"));

    let failed: Job = decode(
        &serde_json::json!({"job_id": "j", "status": "FAIL", "error_code": "Ecs.0204",
        "fail_reason": "Task-fail", "entities": {"sub_jobs": [{"status": "FAIL", "entities": {"server_id": "s1",
        "errorcode_message": "{\"forbidden\": {\"code\": 403, \"message\": \"Quota exceeded for instances\"}}"}}],
        "process_percent": "40"}}),
    );
    let why = failed.failure().unwrap();
    assert!(why.starts_with("Ecs.0204: Task-fail"), "{why}");
    assert!(why.contains("Quota exceeded"), "{why}");
    let odd: Job = decode(&serde_json::json!({"status": "WAITING_FOR_GODOT"}));
    assert_eq!(odd.status.as_str(), "WAITING_FOR_GODOT");
}

#[test]
fn submitted_jobs() {
    for name in [
        "ecs_job_submitted.response.json",
        "ecs_create_servers_v1.response.json",
    ] {
        let s: JobSubmitted = decode(&fixture(name));
        assert_eq!(
            s.job_id.as_deref(),
            Some("70a599e0-31e7-49b7-b260-868f441e862b")
        );
        assert!(s.server_ids.is_empty());
    }
    let s: JobSubmitted = decode(&fixture("ims_create_image.response.json"));
    assert_eq!(
        s.job_id.as_deref(),
        Some("8a12fc664fb4daa3014fb4e581380005")
    );
}

#[test]
fn images() {
    let i: Vec<Image> = list("ims_list_images.response.json", "images");
    let a = &i[0];
    assert_eq!(a.id, "bc6bed6e-ba3a-4447-afcc-449174a3eb52");
    assert_eq!(a.name, "CentOS 7.3 64bit vivado");
    assert_eq!(a.status, "active");
    assert_eq!(a.image_type, "gold");
    assert_eq!(a.os_version, "CentOS 7.3 64bit");
    assert_eq!(a.os_bit, Some(64));
    assert_eq!((a.min_disk, a.min_ram), (100, 2048));
    assert!(a.protected);
    assert_eq!(a.created_at.to_string(), "2018-09-06 14:03:27");
    assert_eq!(i[1].name, "CentOS 7.3 64bit with sdx");
}

#[test]
fn disks_and_snapshots() {
    let d: Vec<Disk> = list("evs_list_volumes.response.json", "volumes");
    let a = &d[0];
    assert_eq!(a.name, "zjb_u25_test");
    assert_eq!(
        (a.status.as_str(), a.size, a.volume_type.as_str()),
        ("available", 1, "SATA")
    );
    assert!(!a.bootable);
    assert_eq!(a.availability_zone, "az-dc-1");
    assert!(a.server_ids().is_empty());
    assert_eq!(a.snapshot_id, None);
    assert_eq!(a.created_at.to_string(), "2016-05-25 02:42:10");

    let s: Vec<Snapshot> = list("evs_list_snapshots.response.json", "snapshots");
    let a = &s[0];
    assert_eq!(
        (a.name.as_str(), a.status.as_str(), a.size),
        ("test03", "available", 1)
    );
    assert_eq!(a.volume_id, "f687bd70-37b3-4f00-a900-0ba1cfaa5196");
    assert_eq!(a.progress_percent(), Some(100));
    assert_eq!(a.description, "");
    assert!(!a.is_automatic());

    let c: Snapshot = decode(&fixture("evs_create_snapshot.response.json")["snapshot"]);
    assert_eq!(
        (c.name.as_str(), c.status.as_str(), c.description.as_str()),
        ("snap-001", "creating", "Daily backup")
    );
    let r = fixture("evs_rollback_snapshot.response.json");
    assert_eq!(
        r["rollback"]["volume_id"],
        "5aa119a8-d25b-45a7-8d1b-88e127885635"
    );
}

#[test]
fn iam_regions_projects_and_token() {
    let r: Vec<Region> = list("iam_list_regions.response.json", "regions");
    assert_eq!(r[0].id, "cn-north-1");
    assert_eq!(r[0].display_name(), "CN North-Beijing1");
    assert_eq!(r[1].display_name(), "LA-Santiago");
    assert_eq!(r[0].parent_region_id, None);

    let p: Vec<Project> = list("iam_list_auth_projects.response.json", "projects");
    assert_eq!(
        (p[0].name.as_str(), p[0].id.as_str()),
        ("af-south-1", "06f1cbbaf280106b2f14c00313a9d065")
    );
    assert!(p[1].enabled);

    let t: TokenInfo = decode(&fixture("iam_token.response.json")["token"]);
    assert_eq!(
        t.project.as_ref().unwrap().id,
        "aa2d97d7e62c4b7da3ffdfc11551f878"
    );
    assert_eq!(t.project.as_ref().unwrap().name, "cn-north-1");
    assert_eq!(t.user.name, "IAMUser");
    assert_eq!(t.expires_at.to_string(), "2020-01-04 09:05:22");
    assert_eq!(t.roles.len(), 3);
}

#[test]
fn error_bodies() {
    let cases = [
        (
            "error_ecs_400.response.json",
            Some("Ecs.0005"),
            "request body is illegal.",
        ),
        (
            "error_ims_400.response.json",
            Some("IMG.0024"),
            "The imagetype is invalid.",
        ),
        ("error_evs_400.response.json", Some("XXX"), "XXXX"),
        (
            "iam_token_401.response.json",
            Some("401"),
            "The username or password is wrong.",
        ),
        (
            "error_429.response.json",
            Some("APIG.0308"),
            "The throttling threshold has been reached: policy user over ratelimit,limit:XX,time:1 second",
        ),
    ];
    for (name, code, msg) in cases {
        let raw = std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let b = ErrorBody::parse(&raw);
        assert_eq!(b.code.as_deref(), code, "{name}");
        assert_eq!(b.message, msg, "{name}");
    }
}

#[test]
fn request_fixtures_have_the_shape_the_client_sends() {
    // The client builds these bodies itself; the documented ones name the same keys.
    let stop = fixture("ecs_batch_stop.request.json");
    assert!(stop["os-stop"]["servers"].is_array());
    let create = fixture("ecs_create_servers_v1.request.json");
    for k in ["imageRef", "flavorRef", "vpcid", "nics", "root_volume"] {
        assert!(create["server"].get(k).is_some(), "create body lacks {k}");
    }
}

#[test]
fn one_odd_field_does_not_cost_the_server() {
    let odd = serde_json::json!({"servers": [
        {"id": "a", "name": "odd", "status": "SUSPENDED", "flavor": "s6.large", "addresses": null,
         "fault": "broken", "OS-EXT-STS:power_state": "4", "metadata": null, "tags": null, "created": ""},
        {"id": "b", "name": "plain", "status": "ACTIVE"}]});
    let s: Vec<Server> = decode_all(odd["servers"].as_array().unwrap()).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].status.as_str(), "SUSPENDED");
    assert_eq!(s[0].power_state, Some(4));
    assert!(s[0].addresses.is_empty() && s[0].fault.is_none() && s[0].flavor.id.is_empty());
    assert_eq!(s[0].created.to_string(), "");
    // The typed fast path reads the same page without a JSON tree.
    #[derive(serde::Deserialize)]
    struct Page {
        servers: Vec<Server>,
    }
    let direct: Page = serde_json::from_slice(odd.to_string().as_bytes()).unwrap();
    assert_eq!(direct.servers, s);
}
