//! Task runner figures against the simulator (`--speed 100`, real HTTP on 127.0.0.1), with the
//! console's own poll timing (1 s rising to 5 s): requests for a 1000-server stop, and the delay
//! from a job's end in the simulator to the task's event on the runner's channel.
//! Run: `cargo bench --bench runner`. Figures go to docs/performance.md (## Task runner).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/runner_support/mod.rs"]
mod runner_support;

use hvecs::runner::{Hardness, Op, PowerAction, Priority, ServerRef, TaskState, Timing};
use runner_support::{Lab, count, next};

fn refs(s: &[hvecs::runner::KnownServer]) -> Vec<ServerRef> {
    s.iter()
        .map(|s| ServerRef::new(s.id.clone(), s.name.clone()))
        .collect()
}

async fn thousand_stop() {
    let lab = Lab::start_with(4500, "", Timing::default()).await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let before = lab.stats().await;
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: refs(&on[..1000]),
    };
    let t = lab.submit(op, Priority::Bulk).await.unwrap();
    let mut events = 0;
    let done = loop {
        let ev = next(&mut rx).await;
        if ev.id == t.id {
            events += 1;
            if ev.is_end() {
                break ev.task;
            }
        }
    };
    assert_eq!(done.state, TaskState::Succeeded);
    let after = lab.stats().await;
    let d = |m: &str, r: &str| count(&after, m, r) - count(&before, m, r);
    let took = (done.finished_at.unwrap() - done.started_at.unwrap()).num_milliseconds();
    println!(
        "1000-server soft stop: {} POST action, {} GET job, {} GET server list (confirm, 100 ids each), {} events on the channel, {:.1} s",
        d("POST", "action"),
        d("GET", "jobs"),
        d("GET", "cloudservers/detail"),
        events,
        took as f64 / 1000.0
    );
}

async fn job_end_to_event(rounds: usize) {
    let lab = Lab::start_with(300, "", Timing::default()).await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let mut delays = Vec::new();
    for s in on.iter().take(rounds) {
        let op = Op::Power {
            action: PowerAction::Stop(Hardness::Hard),
            servers: refs(std::slice::from_ref(s)),
        };
        let t = lab.submit(op, Priority::Interactive).await.unwrap();
        let (job_id, got) = loop {
            let ev = next(&mut rx).await;
            if ev.id == t.id && ev.is_end() {
                break (ev.task.steps[0].job_id.clone().unwrap(), chrono::Utc::now());
            }
        };
        let job = lab
            .gw
            .show_job(hvecs::config::Service::Ecs, &job_id)
            .await
            .unwrap();
        let end = job.end_time.utc.expect("a finished job has an end time");
        delays.push((got - end).num_milliseconds());
    }
    delays.sort();
    let pct = |p: f64| delays[((delays.len() - 1) as f64 * p).round() as usize];
    println!(
        "job end (simulator) → end event on the channel, {} single-server hard stops: median {} ms, p90 {} ms, max {} ms",
        delays.len(),
        pct(0.5),
        pct(0.9),
        delays[delays.len() - 1]
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        thousand_stop().await;
        job_end_to_event(20).await;
    });
}
