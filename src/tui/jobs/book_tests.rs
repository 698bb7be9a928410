//! The task book: one event feeds the strip and the pane; rows change in place; the strip keeps
//! this run's tasks, the pane every task.

use std::sync::Arc;

use chrono::{Local, TimeDelta, Utc};

use super::TaskBook;
use crate::runner::{
    EventKind, Hardness, Op, PowerAction, Priority, ServerRef, Task, TaskEvent, TaskState,
};
use crate::tui::test_console::task_of;

fn stop(name: &str, state: TaskState, age_s: i64) -> Task {
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: vec![ServerRef::new(format!("id-{name}"), name)],
    };
    let mut t = task_of(op, Priority::Interactive);
    t.created_at = Utc::now() - TimeDelta::seconds(age_s);
    t.state = state;
    t
}

fn news(book: &mut TaskBook, kind: EventKind, t: &Task) {
    book.record(&TaskEvent::new(kind, t));
}

fn rows(book: &TaskBook) -> Vec<String> {
    book.list
        .page(50)
        .map(|(_, r)| {
            format!(
                "{} {} {}",
                r.field("what"),
                r.field("state"),
                r.field("progress")
            )
        })
        .collect()
}

#[test]
fn one_event_feeds_the_strip_and_the_pane() {
    let mut book = TaskBook::default();
    let old = stop("db-01", TaskState::Succeeded, 600);
    book.load(vec![Arc::new(old)], Local::now());
    let mut t = stop("web-01", TaskState::Running, 5);
    news(&mut book, EventKind::Started, &t);
    assert_eq!(book.open().count(), 1);
    assert!(book.on_server("id-web-01").is_some());
    assert_eq!(
        rows(&book),
        ["stop web-01 running 0%", "stop db-01 succeeded 0%"],
        "newest first"
    );
    assert_eq!(
        book.finished().count(),
        0,
        "the journal's tasks are the pane's, not the strip's"
    );
    t.state = TaskState::Succeeded;
    news(&mut book, EventKind::Succeeded, &t);
    assert_eq!(book.open().count(), 0);
    assert_eq!(book.finished().count(), 1);
    assert_eq!(rows(&book)[0], "stop web-01 succeeded 0%");
}

#[test]
fn news_changes_its_row_in_place_and_keeps_the_selection_and_the_filter() {
    let mut book = TaskBook::default();
    let a = stop("web-01", TaskState::Running, 30);
    let mut b = stop("web-02", TaskState::Running, 20);
    let c = stop("web-03", TaskState::Queued, 10);
    book.load(
        [&a, &b, &c].map(|t| Arc::new(t.clone())).to_vec(),
        Local::now(),
    );
    book.list.set_query("running").unwrap();
    book.list.select(1, 10);
    assert_eq!(
        book.selected().map(|t| t.id.clone()),
        Some(a.id.clone()),
        "web-01 is the second running task, newest first"
    );
    b.progress.steps_total = 2;
    b.progress.steps_done = 1;
    news(&mut book, EventKind::Progress, &b);
    assert_eq!(
        rows(&book),
        ["stop web-02 running 50%", "stop web-01 running 0%"]
    );
    assert_eq!(book.selected().map(|t| t.id.clone()), Some(a.id.clone()));
    assert_eq!(book.list.total(), 3, "no row came or went");
}

#[test]
fn the_strip_keeps_twenty_finished_tasks_and_the_pane_all() {
    let mut book = TaskBook::default();
    book.load(Vec::new(), Local::now());
    let tasks: Vec<Task> = (0..25)
        .map(|i| stop(&format!("s{i:02}"), TaskState::Succeeded, 100 - i))
        .collect();
    for t in &tasks {
        news(&mut book, EventKind::Succeeded, t);
    }
    assert_eq!(book.finished().count(), 20);
    assert_eq!(
        book.finished().next().map(|t| t.id.clone()),
        Some(tasks[24].id.clone()),
        "newest first"
    );
    assert!(
        book.on_object("id-s00").is_empty(),
        "the oldest left the strip"
    );
    assert_eq!(book.list.total(), 25, "the pane keeps every task");
}
