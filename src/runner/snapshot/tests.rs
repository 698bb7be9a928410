//! The snapshot family through the runner against the in-memory cloud, on tokio's paused clock:
//! the rollback plan from every starting state (running, stopped; one disk, three), the hard stop
//! after a soft stop that does not stop, a failed rollback that stops with its exact state and
//! is finished, a console that ends between steps (each step sent once), a set and a delete.

use std::sync::Arc;

use chrono::Utc;

use crate::runner::service_tests::{handed_over, runner_in, settings, until, until_end};
use crate::runner::snapshot::fake::SnapCloud;
use crate::runner::snapshot::op::{SnapshotOp, SnapshotRef};
use crate::runner::task::StepState;
use crate::runner::*;

fn server() -> ServerRef {
    ServerRef::new("s-1", "vm-s-1")
}

fn rollback(cloud: &SnapCloud, soft_stop_secs: u64) -> Op {
    let running = cloud.known()["s-1"].status == "ACTIVE";
    Op::Snapshot(SnapshotOp::Rollback {
        server: server(),
        set_id: "set-1".into(),
        members: cloud.members(),
        was_running: running,
        soft_stop_secs,
    })
}

async fn submit(r: &Runner, cloud: &SnapCloud, op: Op) -> Arc<Task> {
    r.submit(Submission::interactive("region-1", op, cloud.known()))
        .await
        .unwrap()
        .task
}

/// Runs `op` to its end on a fresh runner.
async fn run(cloud: &Arc<SnapCloud>, op: Op) -> Arc<Task> {
    let dir = tempfile::tempdir().unwrap();
    let (r, mut rx) = runner_in(dir.path(), cloud.clone());
    let t = submit(&r, cloud, op).await;
    until_end(&mut rx, &t.id).await.1
}

/// Every disk attached to `s-1` at its first device, `in-use`, and the server's status.
fn end_state(cloud: &SnapCloud) -> (Vec<(String, String, String)>, String) {
    cloud.with(|st| {
        let disks = st
            .disks
            .iter()
            .map(|(id, d)| {
                let at = d.at.clone().map(|a| a.1).unwrap_or_default();
                (id.clone(), d.status.clone(), at)
            })
            .collect();
        (disks, st.servers["s-1"].0.clone())
    })
}

fn all_home(n: usize) -> Vec<(String, String, String)> {
    (0..n)
        .map(|i| {
            (
                format!("d-{i}"),
                "in-use".into(),
                format!("/dev/vd{}", (b'a' + i as u8) as char),
            )
        })
        .collect()
}

/// What a running server with one disk is sent: the whole plan, but the hard stop.
const ONE_DISK_PLAN: [&str; 5] = [
    "stop-soft",
    "detach d-0",
    "rollback d-0",
    "attach d-0",
    "start",
];

fn sent(cloud: &SnapCloud) -> Vec<String> {
    cloud.with(|st| st.sent.clone())
}

#[tokio::test(start_paused = true)]
async fn a_running_server_with_one_disk_is_stopped_rolled_back_and_started() {
    let cloud = SnapCloud::new("ACTIVE", 1);
    let op = rollback(&cloud, 120);
    assert_eq!(Priority::of(&op), Priority::Interactive, "one server");
    let done = run(&cloud, op).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(sent(&cloud), ONE_DISK_PLAN);
    assert_eq!(end_state(&cloud), (all_home(1), "ACTIVE".into()));
    assert!(done.steps[1].error.as_deref().unwrap().contains("not sent"));
}

#[tokio::test(start_paused = true)]
async fn a_running_server_with_three_disks_detaches_data_first_and_attaches_the_system_disk_first()
{
    let cloud = SnapCloud::new("ACTIVE", 3);
    let done = run(&cloud, rollback(&cloud, 120)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(
        sent(&cloud),
        [
            "stop-soft",
            "detach d-2",
            "detach d-1",
            "detach d-0",
            "rollback d-0",
            "rollback d-1",
            "rollback d-2",
            "attach d-0",
            "attach d-1",
            "attach d-2",
            "start"
        ]
    );
    assert_eq!(end_state(&cloud), (all_home(3), "ACTIVE".into()));
    assert!(
        done.targets
            .values()
            .all(|t| t.outcome == TargetOutcome::Succeeded)
    );
}

#[tokio::test(start_paused = true)]
async fn a_stopped_server_is_neither_stopped_nor_started() {
    for n in [1, 3] {
        let cloud = SnapCloud::new("SHUTOFF", n);
        let done = run(&cloud, rollback(&cloud, 120)).await;
        assert_eq!(done.state, TaskState::Succeeded, "{n}: {:?}", done.note);
        let s = sent(&cloud);
        assert_eq!(s.len(), 3 * n, "{s:?}");
        assert!(!s.iter().any(|c| c.starts_with("stop") || c == "start"));
        assert_eq!(end_state(&cloud), (all_home(n), "SHUTOFF".into()));
    }
}

#[tokio::test(start_paused = true)]
async fn a_guest_that_ignores_the_soft_stop_is_stopped_hard_after_the_timeout() {
    let cloud = SnapCloud::new("ACTIVE", 1);
    cloud.with(|st| st.deaf_guest = true);
    let begun = tokio::time::Instant::now();
    let done = run(&cloud, rollback(&cloud, 90)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(&sent(&cloud)[..2], ["stop-soft", "stop-hard"]);
    assert!(begun.elapsed() >= std::time::Duration::from_secs(90));
    assert_eq!(end_state(&cloud), (all_home(1), "ACTIVE".into()));
}

#[tokio::test(start_paused = true)]
async fn a_failed_rollback_stops_with_the_exact_state_and_finish_puts_the_server_back() {
    let cloud = SnapCloud::new("ACTIVE", 3);
    cloud.with(|st| st.failing_rollback = Some("d-1".into()));
    let done = run(&cloud, rollback(&cloud, 120)).await;
    assert_eq!(done.state, TaskState::Failed);
    let note = done.note.clone().unwrap();
    for d in [
        "disk-0 detached, rolled back (belongs at /dev/vda)",
        "disk-1 detached (belongs at /dev/vdb)",
        "disk-2 detached (belongs at /dev/vdc)",
    ] {
        assert!(note.contains(d), "{d}: {note}");
    }
    assert!(
        note.contains(&format!("hvecs jobs resume {}", done.id)),
        "{note}"
    );
    assert_eq!(sent(&cloud).last().unwrap(), "rollback d-1");

    // What `jobs resume` submits: the detached disks back at their devices, then a start.
    cloud.with(|st| {
        if let Some(d) = st.disks.get_mut("d-1") {
            d.status = "available".into();
        }
    });
    let members = match &done.op {
        Op::Snapshot(SnapshotOp::Rollback { members, .. }) => members.clone(),
        _ => unreachable!(),
    };
    let finish = Op::Snapshot(SnapshotOp::Finish {
        server: server(),
        of_task: done.id.to_string(),
        attach: members.into_iter().map(|m| m.disk).collect(),
        start: true,
    });
    let fin = run(&cloud, finish).await;
    assert_eq!(fin.state, TaskState::Succeeded, "{:?}", fin.note);
    assert_eq!(end_state(&cloud), (all_home(3), "ACTIVE".into()));
    let rollbacks = sent(&cloud)
        .iter()
        .filter(|s| s.starts_with("rollback"))
        .count();
    assert_eq!(rollbacks, 2, "no disk rolled back twice");
}

#[tokio::test(start_paused = true)]
async fn a_console_that_ends_between_any_two_steps_resumes_at_the_next_and_sends_each_once() {
    // The steps of a running server with one disk: soft stop, hard stop (not sent), detach,
    // rollback, attach, start.
    for after in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let cloud = SnapCloud::new("ACTIVE", 1);
        let (first, mut rx) = runner_in(dir.path(), cloud.clone());
        let t = submit(&first, &cloud, rollback(&cloud, 120)).await;
        until(&mut rx, |ev| ev.task.steps[after].state == StepState::Done).await;
        let when = format!("after step {after}");
        let (_, _second, mut rx2) =
            handed_over((&first, &mut rx), &t.id, dir.path(), cloud.clone(), &when).await;
        drop(first);
        let (_, done) = until_end(&mut rx2, &t.id).await;
        assert_eq!(
            done.state,
            TaskState::Succeeded,
            "after step {after}: {:?}",
            done.note
        );
        assert_eq!(sent(&cloud), ONE_DISK_PLAN, "after step {after}");
        assert_eq!(end_state(&cloud), (all_home(1), "ACTIVE".into()));
    }
}

#[tokio::test(start_paused = true)]
async fn a_set_snapshots_every_disk_tagged_and_waits_until_all_are_available() {
    let cloud = SnapCloud::new("ACTIVE", 3);
    let op = Op::Snapshot(SnapshotOp::Create {
        server: server(),
        set_id: "set-9".into(),
        disks: cloud.attached(),
        name: None,
        taken_at: Utc::now(),
    });
    let done = run(&cloud, op).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(
        sent(&cloud),
        ["snapshot d-0", "snapshot d-1", "snapshot d-2"]
    );
    let made: Vec<(String, String)> = cloud.with(|st| {
        st.snapshots
            .values()
            .filter(|s| s.set_id.as_deref() == Some("set-9"))
            .map(|s| (s.name.clone(), s.status.clone()))
            .collect()
    });
    assert_eq!(made.len(), 3);
    assert!(
        made.iter()
            .all(|(n, s)| n.starts_with("vm-s-1-") && s == "available"),
        "{made:?}"
    );
    assert!(made.iter().any(|(n, _)| n.ends_with("-vdc")));
}

#[tokio::test(start_paused = true)]
async fn a_delete_waits_until_the_snapshots_are_gone() {
    let cloud = SnapCloud::new("SHUTOFF", 2);
    let op = Op::Snapshot(SnapshotOp::Delete {
        snapshots: ["sn-0", "sn-1"]
            .iter()
            .map(|id| SnapshotRef {
                id: (*id).into(),
                name: (*id).into(),
                status: "available".into(),
            })
            .collect(),
    });
    let done = run(&cloud, op).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert!(cloud.with(|st| st.snapshots.is_empty()));
}

#[tokio::test(start_paused = true)]
async fn a_rollback_is_refused_before_sending_when_a_disk_left_its_server() {
    let cloud = SnapCloud::new("ACTIVE", 2);
    let mut op = rollback(&cloud, 120);
    if let Op::Snapshot(SnapshotOp::Rollback { members, .. }) = &mut op {
        members[1].attached_to = None;
        members[0].snapshot_status = "creating".into();
    }
    let dir = tempfile::tempdir().unwrap();
    let r = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let e = r
        .submit(Submission::interactive("region-1", op, cloud.known()))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("is not attached to vm-s-1"), "{e}");
    assert!(e.contains("creating: only an available snapshot"), "{e}");
    assert!(sent(&cloud).is_empty());
}
