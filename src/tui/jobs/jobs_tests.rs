//! The Jobs pane through `AppState::update`: loading the runner's tasks, details, `C` on queued
//! and running tasks, `t` only for what failed or was never sent, read-only, live news.

use std::sync::Arc;

use chrono::{Local, TimeDelta, Utc};
use crossterm::event::KeyCode;

use crate::read::source::{DetailLine, View};
use crate::runner::task::StepState;
use crate::runner::{EventKind, Op, Priority, RunnerError, TargetOutcome, Task, TaskState};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::jobs::answer::{AskError, TaskDone};
use crate::tui::test_console::{
    assert_says, assert_sends_nothing, console, message, press, press_code, stop_op, task_news,
    task_of, type_text,
};

fn task(op: Op, state: TaskState, age_s: i64) -> Task {
    let mut t = task_of(op, Priority::Bulk);
    t.created_at = Utc::now() - TimeDelta::seconds(age_s);
    t.state = state;
    t
}

/// A stop of three servers where db-01 failed, with its step's ids and the API's error.
fn failed_batch() -> Task {
    let mut t = task(
        stop_op(&[("id-1", "web-01"), ("id-3", "db-01"), ("id-4", "web-03")]),
        TaskState::Failed,
        60,
    );
    t.started_at = Some(t.created_at);
    t.finished_at = Some(t.created_at + TimeDelta::seconds(42));
    t.set_outcome("id-1", TargetOutcome::Succeeded);
    t.set_outcome("id-4", TargetOutcome::Succeeded);
    t.set_outcome(
        "id-3",
        TargetOutcome::Failed {
            code: Some("Ecs.0204".into()),
            reason: "host not responding".into(),
        },
    );
    t.steps[0].state = StepState::Failed;
    t.steps[0].job_id = Some("job-77".into());
    t.steps[0].request_id = Some("req-abc".into());
    t.steps[0].error = Some("Ecs.0204: host not responding".into());
    t.note = Some("1 of 3 servers failed".into());
    t
}

/// The console on the Jobs pane with `tasks` loaded (newest first).
fn jobs(read_only: bool, tasks: Vec<Task>) -> AppState {
    let mut app = console(read_only);
    let fx = press(&mut app, '5');
    assert_eq!(app.view, View::Jobs);
    assert_eq!(fx, vec![Effect::LoadTasks], "the pane asks the runner");
    app.update(Msg::Tasks {
        result: Ok(tasks.into_iter().map(Arc::new).collect()),
        at: Local::now(),
    });
    app
}

fn row_names(app: &AppState) -> Vec<String> {
    app.jobs
        .list
        .page(10)
        .map(|(_, r)| format!("{} {}", r.field("what"), r.field("state")))
        .collect()
}

#[test]
fn the_pane_lists_every_task_newest_first_and_filters() {
    let queued = task(stop_op(&[("id-1", "web-01")]), TaskState::Queued, 1);
    let done = task(stop_op(&[("id-4", "web-03")]), TaskState::Succeeded, 300);
    let mut app = jobs(false, vec![done, failed_batch(), queued]);
    assert_eq!(
        row_names(&app),
        [
            "stop web-01 queued",
            "stop 3 servers failed",
            "stop web-03 succeeded"
        ]
    );
    let row = app
        .jobs
        .list
        .page(10)
        .nth(1)
        .map(|(_, r)| r.clone())
        .unwrap();
    assert_eq!(row.field("on"), "web-01, db-01 +1");
    assert_eq!(row.field("who"), "ops-admin");
    assert_eq!(row.field("took"), "42s");
    // a normal list: the filter works on it
    press(&mut app, '/');
    type_text(&mut app, "state:failed");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(row_names(&app), ["stop 3 servers failed"]);
    // :jobs shows it too
    press(&mut app, '1');
    press(&mut app, ':');
    type_text(&mut app, "jobs");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.view, View::Jobs);
}

#[test]
fn enter_shows_steps_ids_per_server_results_and_the_error() {
    let mut app = jobs(false, vec![failed_batch()]);
    assert!(
        press_code(&mut app, KeyCode::Enter).is_empty(),
        "no gateway read"
    );
    let Mode::Describe(d) = &app.mode else {
        panic!("no details: {:?}", app.mode);
    };
    let text: Vec<String> = d
        .detail
        .as_ref()
        .expect("details at once")
        .lines
        .iter()
        .map(|l| match l {
            DetailLine::Section(s) => format!("## {s}"),
            DetailLine::Field(k, v) => format!("{k}: {v}"),
        })
        .collect();
    let has = |s: &str| text.iter().any(|l| l.contains(s));
    for want in [
        "## step 1 of 1: stop 3 server(s)",
        "job id: job-77",
        "request id: req-abc",
        "error: Ecs.0204: host not responding",
        "## servers: 2 succeeded, 1 failed, 0 pending or unknown",
        "db-01 (id-3): failed: Ecs.0204: host not responding",
        "web-01 (id-1): succeeded",
        "took: 42s",
        "note: 1 of 3 servers failed",
    ] {
        assert!(has(want), "{want:?} missing from {text:#?}");
    }
    // J shows the task's JSON
    press(&mut app, 'J');
    let Mode::Describe(d) = &app.mode else {
        panic!("left the details");
    };
    assert!(d.raw && d.detail.as_ref().unwrap().raw_json.contains("job-77"));
}

#[test]
fn c_cancels_a_queued_task_and_explains_why_not_a_running_one() {
    let queued = task(stop_op(&[("id-1", "web-01")]), TaskState::Queued, 1);
    let running = task(stop_op(&[("id-4", "web-03")]), TaskState::Running, 5);
    let queued_id = queued.id.clone();
    let mut app = jobs(false, vec![queued, running]);
    let fx = press(&mut app, 'C');
    assert_eq!(fx, vec![Effect::CancelTask(queued_id)]);
    press(&mut app, 'j');
    assert!(
        press(&mut app, 'C').is_empty(),
        "nothing asked of the runner"
    );
    assert_says(&app, "stop web-03 is running");
    assert_says(&app, "only a queued task");
    // the runner's answer is shown
    let wrong = RunnerError::WrongState {
        // An id as short as the runner's own message in the original test ("task t1 …").
        id: serde_json::from_str("\"t1\"").unwrap(),
        state: "running",
        what: "no",
    };
    app.update(Msg::TaskAnswer(Err(wrong.into())));
    assert_says(&app, "task t1 is running");
}

#[test]
fn t_retries_only_the_failed_servers() {
    let failed = failed_batch();
    let id = failed.id.clone();
    let ok = task(stop_op(&[("id-4", "web-03")]), TaskState::Succeeded, 500);
    let mut app = jobs(false, vec![failed, ok]);
    let fx = press(&mut app, 't');
    let [Effect::RetryFailed { id: got, known }] = fx.as_slice() else {
        panic!("no retry: {fx:?}");
    };
    assert_eq!(got, &id);
    let mut ids: Vec<&String> = known.keys().collect();
    ids.sort();
    assert_eq!(ids, ["id-3"], "only the failed server's state goes along");
    // a task where nothing failed has nothing to retry
    press(&mut app, 'j');
    assert_sends_nothing(&mut app, 't', "nothing to retry");
}

#[test]
fn t_sends_a_task_never_sent_and_c_cancels_it() {
    let unsent = task(stop_op(&[("id-1", "web-01")]), TaskState::NotSent, 30);
    let id = unsent.id.clone();
    let mut app = jobs(false, vec![unsent]);
    assert_eq!(row_names(&app), ["stop web-01 not sent"]);
    let fx = press(&mut app, 't');
    let [Effect::RetryFailed { id: got, .. }] = fx.as_slice() else {
        panic!("not sent: {fx:?}");
    };
    assert_eq!(got, &id);
    assert_says(&app, "never sent");
    assert_eq!(press(&mut app, 'C'), vec![Effect::CancelTask(id)]);
}

#[test]
fn read_only_refuses_c_and_t_with_a_message() {
    let queued = task(stop_op(&[("id-1", "web-01")]), TaskState::Queued, 1);
    let mut app = jobs(true, vec![queued, failed_batch()]);
    assert_sends_nothing(&mut app, 'C', "read-only");
    press(&mut app, 'j');
    assert_sends_nothing(&mut app, 't', "read-only");
}

#[test]
fn news_updates_the_pane_and_reattached_tasks_say_so() {
    let mut app = jobs(false, vec![]);
    let mut t = task(stop_op(&[("id-1", "web-01")]), TaskState::Running, 30);
    // The runner marks the task it took over from an earlier console (`Task::reattached`).
    t.reattached = true;
    task_news(&mut app, EventKind::Reattached, &t);
    assert_eq!(row_names(&app), ["stop web-01 running (reattached)"]);
    press_code(&mut app, KeyCode::Enter);
    t.state = TaskState::Succeeded;
    t.steps[0].job_id = Some("job-9".into());
    task_news(&mut app, EventKind::Succeeded, &t);
    let Mode::Describe(d) = &app.mode else {
        panic!("left the details");
    };
    let lines = &d.detail.as_ref().unwrap().lines;
    assert!(
        lines.contains(&DetailLine::Field("job id".into(), "job-9".into())),
        "the open details follow the task: {lines:?}"
    );
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(row_names(&app), ["stop web-01 succeeded (reattached)"]);
}

#[test]
fn c_and_t_apply_to_tasks_only() {
    let mut app = console(false);
    assert_sends_nothing(&mut app, 'C', "press 5");
}

#[test]
fn without_a_runner_the_pane_says_so() {
    let mut app = console(false);
    press(&mut app, '5');
    app.update(Msg::Tasks {
        result: Err(AskError::NoRunner),
        at: Local::now(),
    });
    let stale = app.jobs.list.stale.clone().expect("the error is kept");
    assert!(stale.error.contains("no task runner"));
}

#[test]
fn the_runner_s_answers_to_c_and_t_are_said_in_words() {
    let mut app = jobs(false, vec![]);
    let failed = failed_batch();
    let retry = failed.retry_failed().expect("db-01 failed");
    let of = failed.id.clone();
    app.update(Msg::TaskAnswer(Ok(TaskDone::Cancelled(of.clone()))));
    assert_eq!(
        message(&app),
        format!("cancelled task {of}; nothing was sent")
    );
    app.update(Msg::TaskAnswer(Ok(TaskDone::Retried {
        of: of.clone(),
        task: Arc::new(retry),
    })));
    assert_eq!(message(&app), format!("queued: stop db-01 (retry of {of})"));
    let unsent = task(stop_op(&[("id-1", "web-01")]), TaskState::Queued, 1);
    app.update(Msg::TaskAnswer(Ok(TaskDone::Sent(Arc::new(unsent)))));
    assert_eq!(message(&app), "queued: stop web-01 (never sent before)");
    app.update(Msg::TaskAnswer(Err(AskError::NoRunner)));
    assert_eq!(
        message(&app),
        "this console has no task runner; nothing was sent"
    );
}
