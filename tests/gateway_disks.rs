//! The gateway's EVS disk changes: against `hvecs sim` over HTTP (create, rename, expand, attach,
//! detach, delete and their jobs), and against a local server whose 2xx answers lack the
//! documented `job_id`/`volume_ids` (an error naming the call and request id, never "done").
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hvecs::config::Service;
use hvecs::gateway::{DiskSpec, ErrorKind, Gateway, GatewayOptions, RetryPolicy, ServerFilter};
use hvecs::sim::SimOptions;
use support::raw_http::{self, Reply};

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::from_millis(5),
        throttle_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(5),
        max_total: Duration::from_secs(5),
    }
}

fn gateway(c: &hvecs::config::Connection) -> Gateway {
    Gateway::new(
        c,
        GatewayOptions {
            retry: quick(),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A create of `count` 10 GB SAS disks named `d` in `az1`.
fn spec_of(count: u32) -> DiskSpec {
    DiskSpec {
        name: "d".into(),
        availability_zone: "az1".into(),
        volume_type: "SAS".into(),
        size_gb: 10,
        count,
        description: None,
    }
}

async fn wait_job(g: &Gateway, service: Service, id: &str) -> hvecs::gateway::model::Job {
    for _ in 0..2000 {
        let j = g.show_job(service, id).await.unwrap();
        if !j.status.is_pending() {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {id} did not end");
}

async fn wait_disk(g: &Gateway, id: &str, status: &str) -> hvecs::gateway::model::Disk {
    for _ in 0..2000 {
        let d = g.show_disk(id).await.unwrap();
        if d.status == status {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("disk {id} never {status}");
}

#[tokio::test]
async fn a_disk_lives_its_whole_life_through_the_gateway() {
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
    let servers = g.list_servers(&ServerFilter::default()).await.unwrap();
    let server = servers
        .iter()
        .find(|s| s.status.to_string() == "ACTIVE")
        .unwrap();
    let spec = DiskSpec {
        name: "gw-data".into(),
        availability_zone: server.availability_zone.clone(),
        volume_type: "SSD".into(),
        size_gb: 20,
        count: 1,
        description: None,
    };
    let made = g.create_disks(&spec, "token-1").await.unwrap();
    let again = g.create_disks(&spec, "token-1").await.unwrap();
    assert_eq!(made.volume_ids, again.volume_ids, "the client token holds");
    let job = made.job.job_id.clone().unwrap();
    let disk = made.volume_ids[0].clone();
    let j = wait_job(&g, Service::Evs, &job).await;
    assert!(j.status.is_success(), "{j:?}");
    assert_eq!(j.entities.volume_id.as_deref(), Some(disk.as_str()));
    wait_disk(&g, &disk, "available").await;

    let renamed = g.rename_disk(&disk, "gw-logs", Some("logs")).await.unwrap();
    assert_eq!(renamed.name, "gw-logs");

    let att = g
        .attach_volume(&server.id, &disk, None, false)
        .await
        .unwrap();
    let j = wait_job(&g, Service::Ecs, att.job_id.as_deref().unwrap()).await;
    assert!(j.status.is_success(), "{j:?}");
    wait_disk(&g, &disk, "in-use").await;

    let grow = g.expand_disk(&disk, 40).await.unwrap();
    wait_job(&g, Service::Evs, grow.job_id.as_deref().unwrap()).await;
    assert_eq!(wait_disk(&g, &disk, "in-use").await.size, 40);

    let det = g.detach_volume(&server.id, &disk, false).await.unwrap();
    wait_job(&g, Service::Ecs, det.job_id.as_deref().unwrap()).await;
    wait_disk(&g, &disk, "available").await;

    let del = g.delete_disk(&disk).await.unwrap();
    let j = wait_job(&g, Service::Evs, del.job_id.as_deref().unwrap()).await;
    assert!(j.status.is_success(), "{j:?}");
    let gone = g.show_disk(&disk).await.unwrap_err();
    assert!(
        matches!(gone.kind, ErrorKind::Api { status: 404, .. }),
        "{gone}"
    );
}

#[tokio::test]
async fn disk_answers_without_their_job_are_errors_that_name_the_call() {
    for body in ["{}", r#"{"job_id": null}"#, r#"{"job_id": 7}"#, "[]"] {
        let srv = raw_http::start(move |_, _| Reply::json(200, body)).await;
        let g = gateway(&support::signed_connection(&srv.url("http")));
        let spec = spec_of(1);
        let errors = [
            ("EVS create disk", g.create_disks(&spec, "t").await.err()),
            ("EVS expand disk d-1", g.expand_disk("d-1", 20).await.err()),
            ("EVS delete disk d-1", g.delete_disk("d-1").await.err()),
            (
                "ECS attach disk d-1",
                g.attach_volume("s-1", "d-1", None, false).await.err(),
            ),
            (
                "ECS detach disk d-1",
                g.detach_volume("s-1", "d-1", false).await.err(),
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
    let srv = raw_http::start(|_, _| Reply::json(202, r#"{"job_id": "j-1"}"#)).await;
    let g = gateway(&support::signed_connection(&srv.url("http")));
    let spec = spec_of(2);
    let e = g.create_disks(&spec, "t").await.unwrap_err().to_string();
    assert!(e.contains("no `volume_ids`"), "{e}");
}
