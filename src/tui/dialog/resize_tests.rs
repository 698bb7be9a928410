//! The resize picker through `AppState::update` (picks, confirms with Cancel the default, is
//! refused where the runner would refuse it, reads its keys through the keymap), and on screen.

use crossterm::event::KeyCode;

use crate::runner::{Op, ServerRef};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::dialog::confirm::Confirm;
use crate::tui::dialog::fixtures::*;
use crate::tui::dialog::resize::ResizePick;
use crate::tui::keymap::Key;

// --- resize --------------------------------------------------------------------------------

fn resize_confirm_of(app: &mut AppState) -> Op {
    match app.dialog::<Confirm>() {
        Some(c) => c.op.clone(),
        None => panic!("no confirmation: {:?}", app.mode),
    }
}

#[test]
fn z_picks_another_flavor_and_confirms_with_cancel_by_default() {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('z'));
    assert!(app.dialog::<ResizePick>().is_some());
    answer_catalog(&mut app, &effects);
    // the cursor starts on the current flavor, which cannot be picked
    let effects = code(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert!(app.dialog::<ResizePick>().is_some());
    assert_says(&app, "already has hv1.small.1");
    key(&mut app, Key::char('j'));
    code(&mut app, KeyCode::Enter);
    let op = resize_confirm_of(&mut app);
    assert_eq!(
        op,
        Op::Resize {
            server: ServerRef::new("id-1", "web-01"),
            flavor_id: "hv1.medium.2".into(),
            with_stop: true,
        }
    );
    let c = dialog_open::<Confirm>(&app);
    assert!(
        c.title
            .starts_with("resize web-01 from hv1.small.1 to hv1.medium.2"),
        "{}",
        c.title
    );
    assert!(
        c.lines
            .iter()
            .any(|l| l.contains("stops it, resizes it and starts it again"))
    );
    // Enter is Cancel
    assert!(code(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    // again, and y
    let effects = key(&mut app, Key::char('z'));
    assert!(effects.is_empty(), "the catalog is kept: {effects:?}");
    key(&mut app, Key::char('j'));
    code(&mut app, KeyCode::Enter);
    let effects = key(&mut app, Key::char('y'));
    let [
        Effect::Submit {
            op: sent, known, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(**sent, op);
    assert_eq!(known["id-1"].flavor_id.as_deref(), Some("hv1.small.1"));
}

#[test]
fn a_stopped_server_is_resized_without_a_stop_and_only_to_flavors_of_its_az() {
    let mut app = console(false);
    key(&mut app, Key::char('j'));
    let effects = key(&mut app, Key::char('z'));
    answer_catalog(&mut app, &effects);
    let p = dialog_open::<ResizePick>(&app);
    let names: Vec<&str> = p
        .choices(app.catalog.data.as_ref().unwrap())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["hv1.small.1", "hv1.medium.2"],
        "large is sold out in 1b"
    );
    assert_eq!(p.cursor, 1, "on the current flavor");
    key(&mut app, Key::char('k'));
    code(&mut app, KeyCode::Enter);
    assert_eq!(
        resize_confirm_of(&mut app),
        Op::Resize {
            server: ServerRef::new("id-2", "web-02"),
            flavor_id: "hv1.small.1".into(),
            with_stop: false,
        }
    );
}

#[test]
fn resize_is_refused_where_the_runner_would_refuse_it() {
    // BUILD: refused at once, with the reason
    let mut app = console(false);
    key(&mut app, Key::char('G'));
    let effects = key(&mut app, Key::char('z'));
    assert!(effects.is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "new-01 is BUILD");
    assert_says(&app, "nothing was sent");
    // read-only: the dangerous key does nothing
    let mut app = console(true);
    assert!(key(&mut app, Key::char('z')).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    // Esc in the picker sends nothing
    let mut app = console(false);
    let effects = key(&mut app, Key::char('z'));
    answer_catalog(&mut app, &effects);
    assert_esc_closes(&mut app);
    assert_says(&app, "nothing was sent");
}

#[test]
fn the_picker_moves_and_leaves_by_the_keymap() {
    let mut app = console(false);
    let rebound = [("down", "n"), ("back", "ctrl-g")]
        .into_iter()
        .map(|(a, k)| (a.to_owned(), vec![k.to_owned()]))
        .collect();
    app.keymap = crate::tui::keymap::Keymap::with_overrides(&rebound, None).unwrap();
    let effects = key(&mut app, Key::char('z'));
    answer_catalog(&mut app, &effects);
    let cursor = |app: &AppState| app.dialog::<ResizePick>().map(|p| p.cursor);
    assert_eq!(cursor(&app), Some(0), "on the current flavor");
    key(&mut app, Key::char('j'));
    assert_eq!(cursor(&app), Some(0), "j is no longer down");
    assert!(!app.dirty);
    key(&mut app, Key::char('n'));
    assert_eq!(cursor(&app), Some(1), "n is");
    key(&mut app, Key::char('G'));
    assert_eq!(cursor(&app), Some(2));
    key(&mut app, Key::char('g'));
    assert_eq!(cursor(&app), Some(0));
    app.update(Msg::Resize(80, 24));
    let text = screen(&app, (80, 24), false);
    assert!(
        text.contains("n/k choose"),
        "the hint says the keymap's keys: {text}"
    );
    assert!(text.contains("ctrl-g cancel"), "{text}");
    code(&mut app, KeyCode::Esc);
    assert!(cursor(&app).is_some(), "Esc is no longer back");
    key(&mut app, Key::ctrl('g'));
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "nothing was sent");
}

#[test]
fn the_resize_picker_on_screen() {
    let mut app = console(false);
    app.update(Msg::Resize(80, 24));
    let effects = key(&mut app, Key::char('z'));
    answer_catalog(&mut app, &effects);
    let text = screen(&app, (80, 24), false);
    assert!(
        text.contains("(current)") && text.contains("hv1.large.2"),
        "{text}"
    );
    crate::tui::test_console::assert_snapshot!("resize_picker_80x24", text);
}
