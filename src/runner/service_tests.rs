//! The runner end to end against the in-memory cloud, on tokio's paused clock: locking, 429s,
//! lost answers, failed sub-jobs and retry, reattach after a console ends, backoff.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;

use super::fake::{FakeCloud, Scripted};
use super::*;

pub(super) fn settings(dir: &std::path::Path) -> RunnerSettings {
    RunnerSettings {
        profile: "lab".into(),
        region: "region-1".into(),
        principal: "ops".into(),
        state_dir: dir.to_path_buf(),
        max_parallel: 4,
        read_only: crate::gateway::ReadOnly::new(false),
        timing: Timing::default(),
    }
}

fn power(action: PowerAction, ids: &[&str]) -> Op {
    Op::Power {
        action,
        servers: ids
            .iter()
            .map(|i| ServerRef::new(*i, format!("vm-{i}")))
            .collect(),
    }
}

fn stop(ids: &[&str]) -> Op {
    power(PowerAction::Stop(Hardness::Soft), ids)
}

/// A runner on `cloud`, its state in a fresh folder (removed when the returned one is dropped),
/// and its events.
pub(super) fn started(
    cloud: &Arc<FakeCloud>,
) -> (Runner, UnboundedReceiver<TaskEvent>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (r, rx) = runner_in(dir.path(), cloud.clone());
    (r, rx, dir)
}

/// Runs `op` to its end on a fresh runner.
pub(super) async fn run(cloud: &Arc<FakeCloud>, op: Op) -> Arc<Task> {
    let (r, mut rx, _dir) = started(cloud);
    let t = submit(&r, cloud, op).await;
    until_end(&mut rx, &t.id).await.1
}

/// A runner on `cloud` keeping its state in `dir`, and its events.
pub(super) fn runner_in(
    dir: &std::path::Path,
    cloud: Arc<dyn Clouds>,
) -> (Runner, UnboundedReceiver<TaskEvent>) {
    let r = Runner::start(settings(dir), cloud).unwrap();
    let rx = r.subscribe();
    (r, rx)
}

/// The first event that `pick` takes.
pub(super) async fn until(
    rx: &mut UnboundedReceiver<TaskEvent>,
    pick: impl Fn(&TaskEvent) -> bool,
) -> TaskEvent {
    loop {
        let ev = next(rx).await;
        if pick(&ev) {
            return ev;
        }
    }
}

/// A console that ends: `first` stops following task `id`, which is left `Unfollowed`; then a
/// second runner on the same state folder takes it over (`when` names the moment in failures).
/// The task as left, the second runner and its events.
pub(super) async fn handed_over(
    (first, rx): (&Runner, &mut UnboundedReceiver<TaskEvent>),
    id: &TaskId,
    dir: &std::path::Path,
    cloud: Arc<dyn Clouds>,
    when: &str,
) -> (Arc<Task>, Runner, UnboundedReceiver<TaskEvent>) {
    first.unfollow(id).await.unwrap();
    let (_, left) = until_end(rx, id).await;
    assert_eq!(left.state, TaskState::Unfollowed, "{when}");
    let (second, rx2) = runner_in(dir, cloud);
    let found = second.reattach(None).await.unwrap();
    assert_eq!(found.followed, vec![id.clone()], "{when}");
    (left, second, rx2)
}

pub(super) async fn submit(r: &Runner, cloud: &FakeCloud, op: Op) -> Arc<Task> {
    r.submit(Submission::interactive("region-1", op, cloud.known()))
        .await
        .unwrap()
        .task
}

/// The next event; fails the test (instead of hanging) after an hour of paused time.
pub(super) async fn next(rx: &mut UnboundedReceiver<TaskEvent>) -> TaskEvent {
    tokio::time::timeout(Duration::from_secs(3600), rx.recv())
        .await
        .expect("no event for an hour")
        .expect("runner alive")
}

/// Events of task `id` until it ends; returns them and the final task.
/// Submits `op` with its answer lost (`applied`: the cloud received it all the same) and waits
/// for its end: the events told and the task.
pub(super) async fn lost_answer(
    r: &Runner,
    rx: &mut UnboundedReceiver<TaskEvent>,
    cloud: &FakeCloud,
    op: Op,
    applied: bool,
) -> (Vec<EventKind>, Arc<Task>) {
    cloud.with(|s| s.script.push_back(Scripted::Lost { applied }));
    let t = submit(r, cloud, op).await;
    until_end(rx, &t.id).await
}

/// A task whose lost answer was never received: interrupted, its outcome lost, its note saying
/// `says` and that nothing was sent again.
pub(super) fn assert_lost_unsent(done: &Task, says: &str) {
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Interrupted, Some(Cause::Lost))
    );
    let note = done.note.clone().unwrap();
    assert!(
        note.contains(says) && note.contains("nothing was re-sent"),
        "{note}"
    );
}

pub(super) async fn until_end(
    rx: &mut UnboundedReceiver<TaskEvent>,
    id: &TaskId,
) -> (Vec<EventKind>, Arc<Task>) {
    let mut kinds = Vec::new();
    loop {
        let ev = next(rx).await;
        if &ev.id != id {
            continue;
        }
        kinds.push(ev.kind.clone());
        if ev.is_end() {
            return (kinds, ev.task);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_task_runs_through_the_cloud_of_its_own_region() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    let (r, mut rx, _dir) = started(&cloud);
    let t = r
        .submit(Submission::interactive(
            "region-2",
            stop(&["a"]),
            cloud.known(),
        ))
        .await
        .unwrap()
        .task;
    assert_eq!(t.region, "region-2", "not the runner's own region-1");
    let (_, end) = until_end(&mut rx, &t.id).await;
    assert_eq!(end.state, TaskState::Succeeded);
    assert_eq!(cloud.state.lock().unwrap().regions, vec!["region-2"]);
}

#[tokio::test(start_paused = true)]
async fn a_stop_runs_through_its_job_to_shutoff() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE"), ("b", "ACTIVE")]));
    let (r, mut rx, dir) = started(&cloud);
    let t = submit(&r, &cloud, stop(&["a", "b"])).await;
    let (kinds, done) = until_end(&mut rx, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(kinds.first(), Some(&EventKind::Queued));
    assert!(kinds.contains(&EventKind::Started));
    assert_eq!(kinds.last(), Some(&EventKind::Succeeded));
    assert_eq!(done.progress.percent_whole(), 100);
    cloud.with(|s| {
        assert_eq!(s.sends, 1, "one batch call");
        assert!(s.servers.values().all(|v| v.status == "SHUTOFF"));
    });
    assert_eq!(done.steps[0].job_id.as_deref(), Some("job-1"));
    // The journal holds the final state; the audit log the request.
    let journal = journal::Journal::open(dir.path()).unwrap().load().unwrap();
    assert_eq!(journal.tasks.last().unwrap().state, TaskState::Succeeded);
    let audit = audit::AuditLog::open(dir.path()).unwrap().read().unwrap();
    assert_eq!(audit.len(), 2, "the intent, then the answer");
    assert!(matches!(
        &audit[0].event,
        audit::AuditEvent::Request {
            outcome: audit::AuditOutcome::Sending,
            job_id: None,
            ..
        }
    ));
    assert!(matches!(
        &audit[1].event,
        audit::AuditEvent::Request { job_id: Some(j), outcome: audit::AuditOutcome::Accepted, .. } if j == "job-1"
    ));
}

#[tokio::test(start_paused = true)]
async fn job_polls_back_off_from_one_second_to_five() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.job_time = Duration::from_secs(20));
    let (r, mut rx, _dir) = started(&cloud);
    let t = submit(&r, &cloud, stop(&["a"])).await;
    until_end(&mut rx, &t.id).await;
    // Polls at 1, 2.5, 4.75, 8.125, 13.125, 18.125, 23.125 s: the job ends at 20 s.
    assert_eq!(cloud.with(|s| s.job_polls), 7);
}

#[tokio::test(start_paused = true)]
async fn refusals_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "SHUTOFF")]));
    let mut s = settings(dir.path());
    s.read_only = crate::gateway::ReadOnly::new(true);
    let r = Runner::start(s, cloud.clone()).unwrap();
    let sub = |op| Submission::interactive("region-1", op, cloud.known());
    let err = r
        .submit(sub(power(PowerAction::Start, &["a"])))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SubmitError::Refused(Refusal::ReadOnly { .. })),
        "{err}"
    );
    r.set_read_only(false, "test").unwrap();
    let err = r.submit(sub(stop(&["a"]))).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "vm-a is SHUTOFF: nothing to stop; nothing was sent"
    );
    assert_eq!(cloud.with(|s| s.sends), 0);
    let audit = audit::AuditLog::open(dir.path()).unwrap().read().unwrap();
    assert!(matches!(
        audit[0].event,
        audit::AuditEvent::ReadOnly {
            read_only: false,
            ..
        }
    ));
}

#[tokio::test(start_paused = true)]
async fn a_second_task_on_a_server_waits_for_the_first() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE"), ("b", "ACTIVE")]));
    let (r, mut rx, _dir) = started(&cloud);
    // Both asked from the same list, seen before either ran.
    let known = cloud.known();
    let sub = |op| Submission::interactive("region-1", op, known.clone());
    let first = r
        .submit(sub(power(PowerAction::Reboot(Hardness::Soft), &["a"])))
        .await
        .unwrap()
        .task;
    let second = r.submit(sub(stop(&["a", "b"]))).await.unwrap().task;
    // The second says why it waits.
    let queued = loop {
        let ev = next(&mut rx).await;
        if ev.id == second.id && ev.task.note.is_some() {
            break ev.task;
        }
    };
    assert_eq!(queued.state, TaskState::Queued);
    let note = queued.note.clone().unwrap();
    assert!(
        note.contains(&format!("waiting for task {}", first.id)),
        "{note}"
    );
    let (_, done) = until_end(&mut rx, &second.id).await;
    assert_eq!(done.state, TaskState::Succeeded);
    let first = r.task(&first.id).await.unwrap().unwrap();
    assert_eq!(first.state, TaskState::Succeeded);
    assert!(
        first.finished_at.unwrap() <= done.started_at.unwrap(),
        "the stop started only after the reboot ended"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_and_goes_again_instead_of_failing() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.script.extend([Scripted::Throttle, Scripted::Throttle]));
    let (r, mut rx, dir) = started(&cloud);
    let t = submit(&r, &cloud, stop(&["a"])).await;
    let (_, done) = until_end(&mut rx, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded);
    assert_eq!(cloud.with(|s| (s.sends, s.applied.len())), (3, 1));
    let audit = audit::AuditLog::open(dir.path()).unwrap().read().unwrap();
    let outcomes: Vec<_> = audit
        .iter()
        .map(|a| match &a.event {
            audit::AuditEvent::Request { outcome, .. } => *outcome,
            _ => panic!(),
        })
        .collect();
    use audit::AuditOutcome::*;
    assert_eq!(
        outcomes,
        [Sending, Throttled, Sending, Throttled, Sending, Accepted]
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_only_its_own_region() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE"), ("b", "ACTIVE")]));
    cloud.with(|s| s.script.push_back(Scripted::Throttle));
    let r = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let in_region =
        |region: &str, id: &str| Submission::interactive(region, stop(&[id]), cloud.known());
    // region-1's stop meets the 429 (a pause of 2 s or more); region-2's goes at once.
    r.submit(in_region("region-1", "a")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    r.submit(in_region("region-2", "b")).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let applied = cloud.with(|s| s.applied.clone());
    assert_eq!(applied.len(), 1, "only region-2's stop went: {applied:?}");
    assert!(
        matches!(&applied[0], task::Call::Power { ids, .. } if ids == &["b".to_owned()]),
        "{applied:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_call_fails_the_task_and_changes_nothing() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.script.push_back(Scripted::Reject));
    let done = run(&cloud, stop(&["a"])).await;
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Failed, Some(Cause::Rejected))
    );
    assert!(
        done.note
            .as_deref()
            .unwrap()
            .contains("locked by another job")
    );
    assert_eq!(cloud.with(|s| s.applied.len()), 0);
}

#[tokio::test(start_paused = true)]
async fn a_lost_stop_is_settled_by_looking_not_by_sending_again() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE"), ("b", "ACTIVE")]));
    let (r, mut rx, _dir) = started(&cloud);
    // Received by the cloud, answer lost: the servers show it, the task follows their status.
    let (_, done) = lost_answer(&r, &mut rx, &cloud, stop(&["a"]), true).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(cloud.with(|s| (s.sends, s.applied.len())), (1, 1));
    // Never received: the server shows nothing; the task says so and sends nothing more.
    let (kinds, done) = lost_answer(&r, &mut rx, &cloud, stop(&["b"]), false).await;
    assert_eq!(kinds.last(), Some(&EventKind::Interrupted));
    assert_lost_unsent(&done, "vm-b is still ACTIVE");
    assert_eq!(cloud.with(|s| (s.sends, s.applied.len())), (2, 1));
}

use super::op::create_spec_of as create_spec;

#[tokio::test(start_paused = true)]
async fn a_lost_create_asks_again_with_its_client_token_and_makes_no_duplicate() {
    let cloud = Arc::new(FakeCloud::new(&[]));
    cloud.with(|s| s.script.push_back(Scripted::Lost { applied: true }));
    let (r, mut rx, _dir) = started(&cloud);
    let t = submit(&r, &cloud, Op::CreateServers(create_spec(2))).await;
    let (_, done) = until_end(&mut rx, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(
        cloud.with(|s| (s.sends, s.applied.len(), s.servers.len())),
        (2, 1, 2)
    );
    let names: Vec<&str> = done.targets.values().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["web-0001", "web-0002"]);
}

#[tokio::test(start_paused = true)]
async fn failed_sub_jobs_fail_their_servers_and_retry_sends_only_those() {
    let cloud = Arc::new(FakeCloud::new(&[
        ("a", "ACTIVE"),
        ("b", "ACTIVE"),
        ("c", "ACTIVE"),
    ]));
    cloud.with(|s| s.failing = vec!["b".into()]);
    let (r, mut rx, _dir) = started(&cloud);
    let t = submit(&r, &cloud, stop(&["a", "b", "c"])).await;
    let (_, done) = until_end(&mut rx, &t.id).await;
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Failed, Some(Cause::JobFailed))
    );
    assert_eq!(done.tally(), (2, 1, 0));
    assert!(matches!(
        &done.targets["b"].outcome,
        TargetOutcome::Failed { code: Some(c), .. } if c == "Ecs.0204"
    ));
    cloud.with(|s| s.failing.clear());
    let again = r.retry_failed(&done.id, &cloud.known()).await.unwrap().task;
    assert_eq!(again.retry_of.as_ref(), Some(&done.id));
    let (_, redone) = until_end(&mut rx, &again.id).await;
    assert_eq!(redone.state, TaskState::Succeeded);
    let last = cloud.with(|s| s.applied.last().cloned().unwrap());
    assert_eq!(
        last,
        step::Call::Power {
            action: PowerAction::Stop(Hardness::Soft),
            ids: vec!["b".into()]
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_task_left_by_an_ended_console_is_reattached_once() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.job_time = Duration::from_secs(30));
    let (first, mut rx) = runner_in(dir.path(), cloud.clone());
    let t = submit(&first, &cloud, stop(&["a"])).await;
    // Wait for the job id, then stop following (as the CLI does without --wait); a second
    // console on the same profile, while the first still runs, takes the task over.
    until(&mut rx, |ev| ev.task.steps[0].job_id.is_some()).await;
    let (left, second, mut rx2) = handed_over(
        (&first, &mut rx),
        &t.id,
        dir.path(),
        cloud.clone(),
        "at the job",
    )
    .await;
    assert!(
        left.note
            .as_deref()
            .unwrap()
            .contains("goes on in the cloud")
    );
    // A third console cannot take the task while the second follows it.
    let third = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let other = third.reattach(None).await.unwrap();
    assert_eq!(other.elsewhere, vec![t.id.clone()]);
    assert!(other.followed.is_empty());
    let (kinds, done) = until_end(&mut rx2, &t.id).await;
    assert_eq!(kinds.first(), Some(&EventKind::Reattached));
    assert_eq!(done.state, TaskState::Succeeded);
    assert!(
        done.reattached,
        "the task says it was taken over, to its end"
    );
    let listed = second.task(&t.id).await.unwrap().unwrap();
    assert!(listed.reattached, "and so does the runner's list");
    let journal = third.task(&t.id).await.unwrap().unwrap();
    assert!(
        !journal.reattached,
        "a later start reads it from the journal: not its fact"
    );
    assert_eq!(
        cloud.with(|s| s.sends),
        1,
        "reattaching never sends the change again"
    );
}

#[tokio::test(start_paused = true)]
async fn the_limit_queues_tasks_and_queued_ones_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[
        ("a", "ACTIVE"),
        ("b", "ACTIVE"),
        ("c", "ACTIVE"),
    ]));
    let mut s = settings(dir.path());
    s.max_parallel = 1;
    let r = Runner::start(s, cloud.clone()).unwrap();
    let mut rx = r.subscribe();
    let one = submit(&r, &cloud, stop(&["a"])).await;
    let two = submit(&r, &cloud, stop(&["b"])).await;
    let three = submit(&r, &cloud, stop(&["c"])).await;
    r.cancel(&three.id).await.unwrap();
    let err = r.cancel(&one.id).await.unwrap_err().to_string();
    assert!(err.contains("only a queued task can be cancelled"), "{err}");
    let (_, done) = until_end(&mut rx, &two.id).await;
    assert_eq!(done.state, TaskState::Succeeded);
    let three = r.task(&three.id).await.unwrap().unwrap();
    assert_eq!(three.state, TaskState::Cancelled);
    assert_eq!(cloud.with(|s| s.sends), 2);
}

#[tokio::test(start_paused = true)]
async fn a_task_never_sent_waits_until_a_person_sends_it() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE"), ("b", "ACTIVE")]));
    // What a console killed before its requests left writes: one task queued, one running.
    let j = journal::Journal::open(dir.path()).unwrap();
    let queued = Task::new(stop(&["a"]), Priority::Interactive, "lab", "region-1", "u");
    j.append(&queued).unwrap();
    let mut running = Task::new(stop(&["b"]), Priority::Interactive, "lab", "region-1", "u");
    running
        .become_(TaskState::Running, chrono::Utc::now())
        .unwrap();
    j.append(&running).unwrap();
    let r = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let found = r.reattach(None).await.unwrap();
    assert!(found.followed.is_empty());
    assert_eq!(found.not_sent, vec![queued.id.clone(), running.id.clone()]);
    assert_eq!(cloud.with(|s| s.sends), 0, "a start sends nothing");
    // A second start finds them not sent, and leaves them so.
    let again = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let second = again.reattach(None).await.unwrap();
    assert!(second.followed.is_empty() && second.not_sent.is_empty());
    let mut rx = again.subscribe();
    again
        .send_unsent(&running.id, &cloud.known())
        .await
        .unwrap();
    let (_, done) = until_end(&mut rx, &running.id).await;
    assert_eq!(done.state, TaskState::Succeeded);
    assert_eq!(cloud.with(|s| s.sends), 1);
    let err = again
        .send_unsent(&running.id, &cloud.known())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("only a task that was never sent"), "{err}");
    // The first console still shows it "not sent": it reads the journal before sending.
    let stale = r.send_unsent(&running.id, &cloud.known()).await;
    assert!(stale.is_err(), "sent twice");
    assert_eq!(cloud.with(|s| s.sends), 1);
    again.cancel(&queued.id).await.unwrap();
    let q = again.task(&queued.id).await.unwrap().unwrap();
    assert_eq!(q.state, TaskState::Cancelled);
    assert_eq!(cloud.with(|s| s.sends), 1);
}
