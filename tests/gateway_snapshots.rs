//! The gateway's EVS snapshot changes: against `hvecs sim` over HTTP (create with `force` and
//! metadata, list and show with it, rename, roll back to the detached disk, delete), and against
//! a local server whose 2xx answers lack the documented members (an error naming the call and
//! request id, never "done").
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hvecs::config::Service;
use hvecs::gateway::model::Snapshot;
use hvecs::gateway::{ErrorKind, Gateway, GatewayOptions, RetryPolicy, ServerFilter, SnapshotSpec};
use hvecs::sim::SimOptions;
use support::raw_http::{self, Reply};

fn gateway(c: &hvecs::config::Connection) -> Gateway {
    Gateway::new(
        c,
        GatewayOptions {
            retry: RetryPolicy {
                max_attempts: 1,
                base_delay: Duration::from_millis(5),
                throttle_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(5),
                max_total: Duration::from_secs(5),
            },
            ..Default::default()
        },
    )
    .unwrap()
}

async fn wait_snapshot(g: &Gateway, id: &str, status: &str) -> Snapshot {
    for _ in 0..2000 {
        let s = g.show_snapshot(id).await.unwrap();
        if s.status == status {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("snapshot {id} never {status}");
}

async fn wait_disk(g: &Gateway, id: &str, status: &str) {
    for _ in 0..2000 {
        if g.show_disk(id).await.unwrap().status == status {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("disk {id} never {status}");
}

#[tokio::test]
async fn a_snapshot_is_made_tagged_renamed_rolled_back_and_deleted_through_the_gateway() {
    let sim = hvecs::sim::start(SimOptions {
        servers: 30,
        speed: 1000.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let region = sim.regions()[0].clone();
    let credentials = hvecs::config::Credentials::AkSk {
        ak: sim.credentials().ak.clone(),
        sk: sim.credentials().sk.clone(),
    };
    let mut c = support::connection("sim", &sim.base_url(), credentials);
    c.region = region.name.clone();
    let g = gateway(&support::pinned(c, Some(&region.project_id)));
    let server = g
        .list_servers(&ServerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.status.to_string() == "SHUTOFF")
        .unwrap();
    let disk = g
        .list_disks(None)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.server_ids().contains(&server.id.as_str()))
        .unwrap();
    let mut spec = SnapshotSpec {
        volume_id: disk.id.clone(),
        name: "gw-snap".into(),
        force: false,
        ..SnapshotSpec::default()
    };
    spec.metadata.insert("hvecs_set".into(), "set-1".into());
    let e = g.create_snapshot(&spec).await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Api { status: 400, .. }),
        "an attached disk needs force: {e}"
    );
    spec.force = true;
    let made = g.create_snapshot(&spec).await.unwrap();
    assert_eq!(made.volume_id, disk.id);
    assert_eq!(
        made.metadata.get("hvecs_set").map(String::as_str),
        Some("set-1")
    );
    let shown = wait_snapshot(&g, &made.id, "available").await;
    assert_eq!(shown.metadata, made.metadata);
    let listed = g.list_snapshots(Some(&disk.id)).await.unwrap();
    assert!(
        listed
            .iter()
            .any(|s| s.id == made.id && s.metadata == made.metadata)
    );

    let renamed = g
        .rename_snapshot(&made.id, "gw-before", None)
        .await
        .unwrap();
    assert_eq!(renamed.name, "gw-before");

    let e = g
        .rollback_snapshot(&made.id, &disk.id, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("detach"), "{e}");
    let det = g.detach_volume(&server.id, &disk.id, false).await.unwrap();
    let job = det.job_id.unwrap();
    for _ in 0..2000 {
        if !g
            .show_job(Service::Ecs, &job)
            .await
            .unwrap()
            .status
            .is_pending()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    wait_disk(&g, &disk.id, "available").await;
    g.rollback_snapshot(&made.id, &disk.id, None).await.unwrap();
    wait_disk(&g, &disk.id, "available").await;

    g.delete_snapshot(&made.id).await.unwrap();
    for _ in 0..2000 {
        match g.show_snapshot(&made.id).await {
            Err(e) if matches!(e.kind, ErrorKind::Api { status: 404, .. }) => return,
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    panic!("the snapshot was never deleted");
}

#[tokio::test]
async fn snapshot_answers_without_their_members_are_errors_that_name_the_call() {
    for body in ["{}", r#"{"snapshot": {}}"#, r#"{"snapshot": 7}"#, "[]"] {
        let srv = raw_http::start(move |_, _| Reply::json(202, body)).await;
        let g = gateway(&support::signed_connection(&srv.url("http")));
        let spec = SnapshotSpec {
            volume_id: "d-1".into(),
            name: "n".into(),
            ..SnapshotSpec::default()
        };
        let errors = [
            ("EVS create snapshot", g.create_snapshot(&spec).await.err()),
            (
                "EVS rename snapshot s-1",
                g.rename_snapshot("s-1", "m", None).await.err(),
            ),
            (
                "EVS roll back disk d-1 to snapshot s-1",
                g.rollback_snapshot("s-1", "d-1", None).await.err(),
            ),
        ];
        for (call, e) in errors {
            let e = e.unwrap_or_else(|| panic!("{call} accepted {body}"));
            let text = e.to_string();
            assert!(
                matches!(e.kind, ErrorKind::BadBody { .. }),
                "{call}: {text}"
            );
            assert!(text.contains(call), "{call}: {text}");
            assert!(text.contains("request id req"), "{call}: {text}");
        }
    }
    let srv =
        raw_http::start(|_, _| Reply::json(202, r#"{"rollback": {"volume_id": "d-2"}}"#)).await;
    let g = gateway(&support::signed_connection(&srv.url("http")));
    let e = g.rollback_snapshot("s-1", "d-1", None).await.unwrap_err();
    assert!(e.to_string().contains("not d-1"), "{e}");
}
