//! Power actions through `AppState::update`: refusals, the confirmation dialog, read-only, and
//! task news refreshing the rows a task touched.

use std::sync::Arc;

use crossterm::event::KeyCode;

use crate::read::source::{Scope, View, What};
use crate::runner::{
    CallError, EventKind, Op, PowerAction, Priority, ServerRef, SubmitError, TaskState,
};
use crate::tui::app::{Effect, Level, Mode, Msg};
use crate::tui::dialog::confirm::Confirm;
use crate::tui::jobs::answer::AskError;
use crate::tui::keymap::{Context, Key};

use crate::tui::test_console::{
    assert_says, assert_sends_nothing, console, dialog_open, fetches, first_words, message, press,
    screen, stop_op, submitted, task_news, task_of,
};

#[test]
fn a_refused_precondition_says_why_and_sends_nothing() {
    let mut app = console(false);
    press(&mut app, 'j'); // web-02, SHUTOFF
    let fx = press(&mut app, 'x');
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.mode, Mode::Normal, "no dialog for a refused action");
    assert_says(&app, "web-02");
    assert_says(&app, "SHUTOFF");
    assert_says(&app, "nothing was sent");
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Error));
    // starting an ACTIVE server is refused too
    press(&mut app, 'k');
    assert_sends_nothing(&mut app, 's', "web-01");
}

#[test]
fn a_bulk_stop_asks_naming_count_azs_and_servers_then_y_submits() {
    let mut app = console(false);
    // mark web-01, (skip web-02), db-01, web-03
    press(&mut app, ' ');
    press(&mut app, 'j');
    press(&mut app, ' ');
    press(&mut app, ' ');
    let fx = press(&mut app, 'x');
    assert!(fx.is_empty(), "nothing is sent before the answer: {fx:?}");
    let c = dialog_open::<Confirm>(&app);
    assert_eq!(c.title, "stop 3 servers in 2 AZs (region-1a, region-1b)?");
    assert_eq!(first_words(&c.lines), ["web-01", "db-01", "web-03"]);
    // keys other than the answers do nothing while it is open
    assert!(press(&mut app, 'j').is_empty());
    assert!(app.dialog::<Confirm>().is_some());
    let fx = press(&mut app, 'y');
    assert_eq!(app.mode, Mode::Normal);
    let [Effect::Submit { region, op, known }] = fx.as_slice() else {
        panic!("one submission expected: {fx:?}");
    };
    assert_eq!(region, "region-1");
    assert_eq!(
        **op,
        stop_op(&[("id-1", "web-01"), ("id-3", "db-01"), ("id-4", "web-03")])
    );
    assert_eq!(known.len(), 3);
    assert_eq!(known["id-3"].status, "ACTIVE");
    assert_eq!(app.servers.marked(), 0, "marks are used up");
}

#[test]
fn cancel_is_the_default_and_sends_nothing() {
    for (answer, code) in [
        ("n", KeyCode::Char('n')),
        ("esc", KeyCode::Esc),
        ("enter", KeyCode::Enter),
    ] {
        let mut app = console(false);
        assert!(press(&mut app, 'R').is_empty());
        let c = dialog_open::<Confirm>(&app);
        assert_eq!(c.title, "hard reboot web-01 (region-1a)?");
        let fx = app.update(Msg::Key(Key::plain(code)));
        assert!(fx.is_empty(), "{answer}: {fx:?}");
        assert_eq!(app.mode, Mode::Normal, "{answer}");
        assert!(message(&app).contains("nothing was sent"), "{answer}");
    }
}

#[test]
fn starting_one_server_needs_no_dialog() {
    let mut app = console(false);
    press(&mut app, 'j');
    let fx = press(&mut app, 's');
    assert!(
        matches!(fx.as_slice(), [Effect::Submit { op, .. }] if **op == Op::Power { action: PowerAction::Start, servers: vec![ServerRef::new("id-2", "web-02")] }),
        "{fx:?}"
    );
}

#[test]
fn read_only_hides_dangerous_actions_and_they_do_nothing() {
    let mut app = console(true);
    for c in ['x', 'X', 'r', 'R'] {
        let fx = press(&mut app, c);
        assert!(fx.is_empty(), "{c}: {fx:?}");
        assert_eq!(app.mode, Mode::Normal, "{c}: no dialog");
    }
    let hints = app.keymap.hints(Context::List(View::Servers), true);
    assert!(
        !hints.iter().any(|(_, h)| *h == "stop" || *h == "reboot"),
        "{hints:?}"
    );
    let help = app.keymap.help(Context::List(View::Servers), true);
    assert!(
        !help.iter().any(|(_, i)| i.dangerous),
        "no dangerous action in help"
    );
    let rw = app.keymap.hints(Context::List(View::Servers), false);
    assert!(rw.iter().any(|(k, h)| k == "x" && *h == "stop"), "{rw:?}");
    // start is not hidden, but the runner's read-only refusal stops it: nothing is sent
    press(&mut app, 'j');
    assert!(press(&mut app, 's').is_empty());
    assert!(message(&app).starts_with("read-only"), "{}", message(&app));
}

#[test]
fn an_ended_task_refreshes_the_rows_it_touched() {
    let mut app = console(false);
    let op = stop_op(&[("id-1", "web-01"), ("id-4", "web-03")]);
    let mut task = task_of(op, Priority::Bulk);
    task.state = TaskState::Running;
    let fx = task_news(&mut app, EventKind::Started, &task);
    assert!(fx.is_empty(), "nothing to read while it runs: {fx:?}");
    assert_eq!(app.jobs.open().count(), 1);
    assert!(app.jobs.on_server("id-4").is_some());
    task.state = TaskState::Succeeded;
    let fx = task_news(&mut app, EventKind::Succeeded, &task);
    let reads = fetches(&fx);
    assert_eq!(reads.len(), 1, "{fx:?}");
    assert_eq!(
        reads[0].what,
        What::Servers(Scope::Ids(vec!["id-1".into(), "id-4".into()]))
    );
    assert_eq!(app.jobs.open().count(), 0);
    assert_eq!(app.jobs.finished().count(), 1);
    assert!(app.jobs.on_server("id-4").is_none());
}

#[test]
fn the_runner_s_answer_is_shown() {
    let mut app = console(false);
    let refused = CallError::Rejected {
        http_status: 403,
        code: None,
        message: "read-only: refusing\nto stop".into(),
        request_id: None,
    };
    app.update(Msg::Submitted(Err(AskError::from(SubmitError::Api(
        refused,
    )))));
    assert_eq!(
        app.message,
        Some((Level::Error, "read-only: refusing; to stop".into()))
    );
    let op = stop_op(&[("id-1", "web-01")]);
    let task = task_of(op, Priority::Interactive);
    app.update(Msg::Submitted(Ok(Arc::new(task))));
    assert_eq!(
        app.message,
        Some((Level::Info, "queued: stop web-01".into()))
    );
    app.update(Msg::Submitted(Err(AskError::NoRunner)));
    assert_eq!(
        app.message,
        Some((
            Level::Error,
            "this console has no task runner; nothing was sent".into()
        ))
    );
}

#[test]
fn ctrl_t_toggles_read_only_at_run_time() {
    let mut app = console(false);
    let fx = app.update(Msg::Key(Key::ctrl('t')));
    assert_eq!(
        fx,
        [Effect::SetReadOnly {
            on: true,
            via: "key"
        }]
    );
    assert!(app.session.read_only);
    assert!(press(&mut app, 'x').is_empty(), "stop does nothing now");
    assert_eq!(app.mode, Mode::Normal);
    let fx = app.update(Msg::Key(Key::ctrl('t')));
    assert_eq!(
        fx,
        [Effect::SetReadOnly {
            on: false,
            via: "key"
        }]
    );
    assert!(!app.session.read_only);
    press(&mut app, 'x');
    assert!(app.dialog::<Confirm>().is_some(), "stop asks again");
}

#[test]
fn leaving_read_only_the_profile_set_needs_rw_typed() {
    let mut app = console(true);
    let fx = app.update(Msg::Key(Key::ctrl('t')));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.session.read_only, "still read-only");
    assert!(matches!(app.mode, Mode::Command(_)));
    assert_says(&app, "type rw");
    let mut fx = Vec::new();
    for c in "rw".chars() {
        fx.extend(press(&mut app, c));
    }
    fx.extend(app.update(Msg::Key(Key::plain(KeyCode::Enter))));
    assert_eq!(
        fx,
        [Effect::SetReadOnly {
            on: false,
            via: "command"
        }]
    );
    assert!(!app.session.read_only);
}

#[test]
fn a_bulk_stop_offers_the_servers_it_applies_to_and_says_which_are_skipped() {
    let mut app = console(false);
    // web-01 ACTIVE, web-02 SHUTOFF, db-01 ACTIVE marked.
    for _ in 0..3 {
        press(&mut app, ' ');
    }
    press(&mut app, 'x');
    let c = dialog_open::<Confirm>(&app);
    assert!(c.title.contains("(2 of 3; 1 skipped)"), "{}", c.title);
    assert_eq!(c.skipped, ["web-02 is SHUTOFF: nothing to stop"]);
    let shown = screen(&app);
    assert!(shown.contains("skipped, nothing sent"), "{shown}");
    let fx = press(&mut app, 'y');
    let sent = submitted(&fx);
    assert_eq!(sent.len(), 1, "{fx:?}");
    let ids: Vec<String> = sent[0].0.servers().into_iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        ["id-1", "id-3"],
        "one batch of the two running servers"
    );
}

#[test]
fn when_no_marked_server_can_stop_nothing_opens_and_it_says_why() {
    let mut app = console(false);
    press(&mut app, 'j'); // web-02 SHUTOFF
    let fx = press(&mut app, 'x');
    assert!(fx.is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "nothing to stop");
}

#[test]
fn in_read_only_a_hidden_change_key_says_why_it_does_nothing() {
    let mut app = console(true);
    for (c, name) in [('x', "stop"), ('R', "hard reboot"), ('D', "delete")] {
        let fx = press(&mut app, c);
        assert!(fx.is_empty(), "{c}: {fx:?}");
        assert_eq!(app.mode, Mode::Normal);
        let m = message(&app);
        assert!(m.contains(&format!("read-only: {name} is off")), "{c}: {m}");
    }
}
