//! EVS snapshots through the simulator over real HTTP: the platform's rules a server snapshot and
//! its rollback lean on (metadata kept, `force` while attached, rollback only to the snapshot's
//! own detached disk and only while the snapshot is `available`, the snapshot quota), a delete
//! that takes the backend's time, and injected failures at each step.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use std::time::Duration;

use hvecs::sim::{FaultSpec, SimOptions};
use serde_json::{Value, json};
use sim_support::{Answer, TestSim, start, start_with};

async fn snapshot(t: &TestSim, volume: &str, force: Option<bool>, metadata: Value) -> Answer {
    let mut inner = json!({"volume_id": volume, "name": "snap", "metadata": metadata});
    if let Some(f) = force {
        inner["force"] = json!(f);
    }
    t.signed(
        "POST",
        &t.p("/v2/{p}/cloudsnapshots"),
        &[],
        Some(json!({"snapshot": inner})),
    )
    .await
}

async fn delete(t: &TestSim, id: &str) -> Answer {
    t.signed(
        "DELETE",
        &t.p(&format!("/v2/{{p}}/cloudsnapshots/{id}")),
        &[],
        None,
    )
    .await
}

async fn show(t: &TestSim, id: &str) -> Answer {
    t.signed(
        "GET",
        &t.p(&format!("/v2/{{p}}/cloudsnapshots/{id}")),
        &[],
        None,
    )
    .await
}

/// The disks of a server: (system disk, every disk id).
async fn disks_of(t: &TestSim, server: &str) -> (String, Vec<String>) {
    let bd = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{server}/block_device")),
            &[],
            None,
        )
        .await;
    let list = bd.body["volumeAttachments"].as_array().unwrap();
    let sys = list.iter().find(|a| a["bootIndex"] == 0).unwrap()["volumeId"]
        .as_str()
        .unwrap()
        .to_owned();
    let all = list
        .iter()
        .map(|a| a["volumeId"].as_str().unwrap().to_owned())
        .collect();
    (sys, all)
}

async fn detach(t: &TestSim, server: &str, disk: &str) {
    let a = t
        .signed(
            "DELETE",
            &t.p(&format!(
                "/v1/{{p}}/cloudservers/{server}/detachvolume/{disk}"
            )),
            &[],
            None,
        )
        .await;
    assert!(a.status / 100 == 2, "{}", a.text);
    t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    t.wait_volume(disk, "available").await;
}

fn id_of(a: &Answer) -> String {
    assert_eq!(a.status, 202, "{}", a.text);
    a.body["snapshot"]["id"].as_str().unwrap().to_owned()
}

/// The `nth` stopped server of the first project.
async fn stopped(t: &TestSim, nth: usize) -> String {
    let a = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/detail"),
            &[("status", "SHUTOFF"), ("limit", "1000")],
            None,
        )
        .await;
    a.body["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["OS-EXT-STS:task_state"].is_null())
        .nth(nth)
        .expect("not so many stopped servers")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The `nth` stopped server with its system disk detached and a snapshot of it `available`:
/// (server, system disk, snapshot).
async fn detached_with_snapshot(t: &TestSim, nth: usize) -> (String, String, String) {
    let sid = stopped(t, nth).await;
    let (sys, _) = disks_of(t, &sid).await;
    let snap = id_of(&snapshot(t, &sys, Some(true), json!({})).await);
    t.wait_snapshot(&snap, "available").await;
    detach(t, &sid, &sys).await;
    (sid, sys, snap)
}

#[tokio::test]
async fn a_snapshot_keeps_its_metadata_and_an_attached_disk_needs_force() {
    let t = start(1000.0).await;
    let server = t.server_with_status("ACTIVE").await;
    let (sys, _) = disks_of(&t, server["id"].as_str().unwrap()).await;
    let meta = json!({"hvecs_set": "set-1", "hvecs_server": server["id"]});
    for force in [None, Some(false)] {
        let a = snapshot(&t, &sys, force, meta.clone()).await;
        assert_eq!(a.status, 400, "{force:?}: {}", a.text);
        assert!(a.text.contains("force"), "{}", a.text);
    }
    let a = snapshot(&t, &sys, Some(true), meta.clone()).await;
    let id = id_of(&a);
    assert_eq!(a.body["snapshot"]["status"], "creating");
    assert_eq!(a.body["snapshot"]["metadata"], meta);
    let shown = t.wait_snapshot(&id, "available").await;
    assert_eq!(shown["snapshot"]["metadata"], meta);
    let list = t
        .signed(
            "GET",
            &t.p("/v2/{p}/cloudsnapshots/detail"),
            &[("volume_id", &sys)],
            None,
        )
        .await;
    let listed: Vec<&Value> = list.body["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["id"] == id.as_str())
        .collect();
    assert_eq!(listed.len(), 1, "{}", list.text);
    assert_eq!(listed[0]["metadata"], meta);
}

#[tokio::test]
async fn a_rollback_goes_only_to_the_snapshots_own_detached_disk_while_it_is_available() {
    let t = start(1000.0).await;
    let (_, sys, snap) = detached_with_snapshot(&t, 0).await;

    // Another disk, also detached and available: refused.
    let (_, other, _) = detached_with_snapshot(&t, 1).await;
    let a = t.rollback(&snap, &other).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.text.contains("own source disk"), "{}", a.text);

    // A snapshot still being made: refused, naming its status.
    let young = id_of(&snapshot(&t, &sys, None, json!({})).await);
    let a = t.rollback(&young, &sys).await;
    assert!(a.status / 100 == 4, "{}", a.text);
    assert!(a.text.contains("not available"), "{}", a.text);
    t.wait_snapshot(&young, "available").await;

    // Its own disk: accepted; the disk passes through `rollbacking`, and a second rollback
    // while the first runs is refused.
    // (At 10×, a rollback takes a second at least.)
    let slow = start(10.0).await;
    let (_, sys2, snap2) = detached_with_snapshot(&slow, 0).await;
    let a = slow.rollback(&snap2, &sys2).await;
    assert_eq!(a.status, 202, "{}", a.text);
    assert_eq!(a.body["rollback"]["volume_id"], sys2.as_str());
    let again = slow.rollback(&snap2, &sys2).await;
    assert!(again.status / 100 == 4, "{}", again.text);
    slow.wait_volume(&sys2, "available").await;
    slow.wait_snapshot(&snap2, "available").await;
}

#[tokio::test]
async fn snapshots_are_held_to_the_quota_with_the_documented_400() {
    let t = start(1000.0).await;
    let (_, sys, _) = detached_with_snapshot(&t, 0).await;
    let q = t
        .signed(
            "GET",
            &t.p("/v2/{p}/os-quota-sets/{p}"),
            &[("usage", "True")],
            None,
        )
        .await
        .body["quota_set"]["snapshots"]
        .clone();
    let (used, limit) = (q["in_use"].as_u64().unwrap(), q["limit"].as_u64().unwrap());
    for _ in used..limit {
        id_of(&snapshot(&t, &sys, None, json!({})).await);
    }
    let a = snapshot(&t, &sys, None, json!({})).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.body["error"]["code"], "EVS.0004", "{}", a.text);
    assert!(a.text.contains("snapshots"), "{}", a.text);
}

#[tokio::test]
async fn a_delete_takes_the_backends_time_then_the_snapshot_is_gone() {
    let t = start(100.0).await;
    let (_, _, snap) = detached_with_snapshot(&t, 0).await;
    let a = delete(&t, &snap).await;
    assert_eq!(a.status, 202, "{}", a.text);
    // The merge takes 30 s to 3 min on the backend: at 100× that is 0.3 s or more.
    let s = show(&t, &snap).await;
    assert_eq!(s.body["snapshot"]["status"], "deleting", "{}", s.text);
    let twice = delete(&t, &snap).await;
    assert!(twice.status / 100 == 4, "{}", twice.text);
    for _ in 0..500 {
        if show(&t, &snap).await.status == 404 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("snapshot {snap} never went away");
}

#[tokio::test]
async fn injected_failures_fail_the_create_the_rollback_and_the_delete() {
    let t = start_with(SimOptions {
        speed: 1000.0,
        faults: FaultSpec::parse("jobfail=1").unwrap(),
        ..SimOptions::default()
    })
    .await;
    let sid = stopped(&t, 0).await;
    let (sys, _) = disks_of(&t, &sid).await;
    let snap = id_of(&snapshot(&t, &sys, Some(true), json!({})).await);
    t.wait_snapshot(&snap, "error").await;

    // A failed snapshot cannot be rolled back to; it can be deleted, and that delete fails too.
    let a = t.rollback(&snap, &sys).await;
    assert!(a.status / 100 == 4, "{}", a.text);
    assert_eq!(delete(&t, &snap).await.status, 202);
    t.wait_snapshot(&snap, "error_deleting").await;
}

#[tokio::test]
async fn an_injected_rollback_failure_leaves_the_disk_in_error_rollbacking() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        speed: 1000.0,
        state_dir: Some(dir.path().to_owned()),
        ..SimOptions::default()
    };
    let t = start_with(opts.clone()).await;
    let (_, sys, snap) = detached_with_snapshot(&t, 0).await;
    t.handle.shutdown().await.unwrap();
    let t = start_with(SimOptions {
        faults: FaultSpec::parse("jobfail=1").unwrap(),
        ..opts
    })
    .await;
    let a = t.rollback(&snap, &sys).await;
    assert_eq!(a.status, 202, "{}", a.text);
    t.wait_volume(&sys, "error_rollbacking").await;
    t.wait_snapshot(&snap, "available").await;
}
