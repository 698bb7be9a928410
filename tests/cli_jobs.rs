//! `jobs cancel` and `jobs retry` through the real binary against `hvecs sim`, on tasks a
//! journal holds as an earlier process left them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hvecs::runner::journal::Journal;
use hvecs::runner::{
    Hardness, Op, PowerAction, Priority, ServerRef, TargetOutcome, Task, TaskState,
};
use serde_json::Value;
use support::cli_env::{Cli, active_servers as active, code, text};
use support::sim_process;

fn stop(servers: &[ServerRef]) -> Op {
    Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: servers.to_vec(),
    }
}

fn status_of(cli: &Cli, id: &str) -> String {
    let o = cli.run(&["servers", "show", id, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["status"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_task_never_sent_is_cancelled_and_one_that_ended_is_not() {
    let sim = sim_process::start(100, 10);
    let cli = Cli::new(sim.env());
    let on = active(&cli);
    let journal = Journal::open(&cli.state()).unwrap();
    let never = Task::new(
        stop(&on[..1]),
        Priority::Interactive,
        "env",
        &sim.region,
        "u",
    );
    journal.append(&never).unwrap();
    let before = sim.mutations();

    let o = cli.run(&["jobs", "cancel", never.id.as_str()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("never sent, nothing changed"),
        "{}",
        text(&o)
    );
    let o = cli.run(&["jobs", "show", never.id.as_str(), "-o", "json"]);
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(shown["state"], "cancelled", "{shown}");

    let o = cli.run(&["jobs", "cancel", never.id.as_str()]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        text(&o).contains("already ended (cancelled)"),
        "{}",
        text(&o)
    );
    // `jobs send` no longer sends it either.
    let o = cli.run(&["jobs", "send", never.id.as_str()]);
    assert_eq!(sim.mutations(), before, "{}", text(&o));
}

#[test]
fn retry_sends_only_what_the_task_failed_on_as_a_new_task() {
    let sim = sim_process::start(100, 10);
    let cli = Cli::new(sim.env());
    let on = active(&cli);
    let (ok, bad) = (on[0].clone(), on[1].clone());
    // A stop of two servers that ended with one stopped and one failed, as its journal says.
    let journal = Journal::open(&cli.state()).unwrap();
    let mut task = Task::new(
        stop(&[ok.clone(), bad.clone()]),
        Priority::Bulk,
        "env",
        &sim.region,
        "u",
    );
    let now = chrono::Utc::now();
    task.become_(TaskState::Running, now).unwrap();
    task.set_outcome(&ok.id, TargetOutcome::Succeeded);
    task.set_outcome(
        &bad.id,
        TargetOutcome::Failed {
            code: Some("Ecs.0000".into()),
            reason: "the host refused".into(),
        },
    );
    task.become_(TaskState::Failed, now).unwrap();
    journal.append(&task).unwrap();
    let before = sim.mutations();

    let o = cli.run(&["jobs", "retry", task.id.as_str(), "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains(&format!("what task {} failed on", task.id)),
        "{}",
        text(&o)
    );
    assert_eq!(
        sim.mutations(),
        before + 1,
        "one stop, of the failed server only"
    );
    assert_eq!(status_of(&cli, &bad.id), "SHUTOFF");
    assert_eq!(
        status_of(&cli, &ok.id),
        "ACTIVE",
        "the server that stopped before is not touched"
    );

    // A task with nothing failed has nothing to retry.
    let o = cli.run(&["jobs", "list", "-o", "json"]);
    let tasks: Value = serde_json::from_slice(&o.stdout).unwrap();
    let new = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] != task.id.as_str())
        .unwrap();
    assert_eq!(new["state"], "succeeded", "{new}");
    let o = cli.run(&["jobs", "retry", new["id"].as_str().unwrap()]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("only a task that failed"), "{}", text(&o));
    assert_eq!(sim.mutations(), before + 1);
}
