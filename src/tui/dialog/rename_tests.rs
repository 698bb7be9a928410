//! Rename (`e`) through `AppState::update`: the name rules as it is typed, one server only.

use crossterm::event::KeyCode;

use super::RenameDialog;
use crate::runner::{Op, ServerRef};
use crate::tui::app::Mode;
use crate::tui::test_console::{
    assert_esc_closes, assert_problem, assert_says, console, dialog_open, press, press_code,
    submitted, type_text,
};

#[test]
fn rename_is_prefilled_checked_as_typed_and_sent_on_enter() {
    let mut app = console(false);
    press(&mut app, 'e');
    let d = dialog_open::<RenameDialog>(&app);
    assert_eq!(d.input.text, "web-01");
    assert_problem(&d.problem, "already named");
    type_text(&mut app, " x");
    let d = dialog_open::<RenameDialog>(&app);
    assert_problem(&d.problem, "' '");
    // Enter with a bad name sends nothing
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert!(app.dialog::<RenameDialog>().is_some());
    assert_says(&app, "nothing was sent");
    press_code(&mut app, KeyCode::Backspace);
    press_code(&mut app, KeyCode::Backspace);
    type_text(&mut app, "-new.prod_2");
    let d = dialog_open::<RenameDialog>(&app);
    assert_eq!(d.problem, None);
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(Op::Rename {
            server: ServerRef::new("id-1", "web-01"),
            name: "web-01-new.prod_2".into()
        })
    );
}

#[test]
fn rename_refuses_too_long_and_empty_names_and_esc_sends_nothing() {
    let mut app = console(false);
    press(&mut app, 'e');
    type_text(&mut app, &"x".repeat(59));
    let d = dialog_open::<RenameDialog>(&app);
    assert_problem(&d.problem, "65 characters");
    app.update(crate::tui::app::Msg::Key(crate::tui::keymap::Key::ctrl(
        'u',
    )));
    let d = dialog_open::<RenameDialog>(&app);
    assert_problem(&d.problem, "1 to 64");
    assert_esc_closes(&mut app);
}

#[test]
fn rename_takes_one_server() {
    let mut app = console(false);
    press(&mut app, ' ');
    press(&mut app, ' ');
    assert!(press(&mut app, 'e').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "one server");
}
