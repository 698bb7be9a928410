//! Delete (`D`) through `AppState::update`: what must be typed, the data disks toggle, the
//! refusals; read-only for delete and rename.

use crossterm::event::KeyCode;

use super::DeleteDialog;
use crate::runner::{Op, ServerRef};
use crate::tui::app::{Level, Mode};
use crate::tui::test_console::{
    assert_esc_closes, assert_says, console, dialog_open, first_words, message, press, press_code,
    submitted, type_text,
};

#[test]
fn a_wrong_name_sends_nothing_and_says_so_the_right_one_deletes() {
    let mut app = console(false);
    assert!(press(&mut app, 'D').is_empty());
    let d = dialog_open::<DeleteDialog>(&app);
    assert_eq!(d.title, "delete web-01 (region-1a)?");
    assert_eq!(d.expected, "web-01");
    assert!(!d.delete_volumes, "data disks are kept unless asked");
    type_text(&mut app, "web-02");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    let d = dialog_open::<DeleteDialog>(&app);
    let why = d.error.clone().unwrap_or_default();
    assert!(
        why.contains("\"web-02\"") && why.contains("nothing was sent"),
        "{why}"
    );
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Error));
    // fix it: erase and type the right name
    for _ in 0..2 {
        press_code(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "01");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    let ops = submitted(&fx);
    assert_eq!(ops.len(), 1, "{fx:?}");
    assert_eq!(
        ops[0].0,
        Op::Delete {
            servers: vec![ServerRef::new("id-1", "web-01")],
            delete_volumes: false,
        }
    );
    assert_eq!(
        ops[0].1["id-1"].status, "ACTIVE",
        "what the console saw goes along"
    );
}

#[test]
fn several_servers_need_their_count_and_the_dialog_names_them_and_their_azs() {
    let mut app = console(false);
    press(&mut app, ' '); // web-01
    press(&mut app, ' '); // web-02
    press(&mut app, ' '); // db-01
    press(&mut app, 'D');
    let d = dialog_open::<DeleteDialog>(&app);
    assert_eq!(d.title, "delete 3 servers in 2 AZs (region-1a, region-1b)?");
    assert_eq!(d.expected, "3");
    assert_eq!(first_words(&d.lines), ["web-01", "web-02", "db-01"]);
    assert!(
        d.prompt().contains("number of servers (3)"),
        "{}",
        d.prompt()
    );
    // a name is not the count
    type_text(&mut app, "web-01");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "not the number of servers (3)");
    app.update(crate::tui::app::Msg::Key(crate::tui::keymap::Key::ctrl(
        'u',
    )));
    type_text(&mut app, "3");
    let fx = press_code(&mut app, KeyCode::Enter);
    let ops = submitted(&fx);
    let Some((Op::Delete { servers, .. }, _)) = ops.first() else {
        panic!("no delete submitted: {fx:?}");
    };
    assert_eq!(servers.len(), 3);
}

#[test]
fn the_data_disks_toggle_reaches_the_op() {
    let mut app = console(false);
    press(&mut app, 'D');
    press_code(&mut app, KeyCode::Tab);
    let d = dialog_open::<DeleteDialog>(&app);
    assert!(d.delete_volumes);
    // Tab again turns it off, and a third time on
    press_code(&mut app, KeyCode::Tab);
    press_code(&mut app, KeyCode::Tab);
    type_text(&mut app, "web-01");
    let fx = press_code(&mut app, KeyCode::Enter);
    let ops = submitted(&fx);
    assert!(
        matches!(
            &ops[..],
            [(
                Op::Delete {
                    delete_volumes: true,
                    ..
                },
                _
            )]
        ),
        "{ops:?}"
    );
}

#[test]
fn cancel_is_the_default_esc_and_an_empty_enter_send_nothing() {
    let mut app = console(false);
    press(&mut app, 'D');
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "nothing was sent");
    press(&mut app, 'D');
    type_text(&mut app, "web-01");
    assert_esc_closes(&mut app);
}

#[test]
fn a_server_in_transition_is_refused_before_the_dialog() {
    let mut app = console(false);
    for _ in 0..4 {
        press(&mut app, 'j'); // cache-01, BUILD
    }
    assert!(press(&mut app, 'D').is_empty());
    assert_eq!(app.mode, Mode::Normal, "no dialog for a refused delete");
    assert_says(&app, "cache-01");
    assert_says(&app, "BUILD");
}

#[test]
fn in_read_only_delete_and_rename_say_why() {
    let mut app = console(true);
    assert!(press(&mut app, 'D').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        message(&app).starts_with("read-only: delete is off"),
        "{}",
        message(&app)
    );
    assert!(press(&mut app, 'e').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "read-only");
    assert_says(&app, "web-01");
}
