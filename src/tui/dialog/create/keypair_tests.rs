//! The create form's key pair: a choice among the project's key pairs when the catalog lists
//! some, a note when it lists none, typed text when the list is unknown.

use crossterm::event::KeyCode;

use super::FieldId;
use crate::read::catalog::Catalog;
use crate::read::source::{Payload, What};
use crate::runner::Op;
use crate::tui::app::{AppState, Effect};
use crate::tui::dialog::fixtures::*;
use crate::tui::keymap::Key;

/// The form opened, with the fixture catalog listing `keypairs`.
fn opened_with(keypairs: Option<&[&str]>) -> AppState {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('c'));
    let cat = Catalog {
        keypairs: keypairs.map(|k| k.iter().map(|s| (*s).to_owned()).collect()),
        ..catalog()
    };
    answer_read(
        &mut app,
        &effects,
        &What::Catalog,
        Payload::Catalog(Box::new(cat)),
    );
    app
}

/// Name typed, login switched to key pair; the focus on the key pair.
fn key_login(app: &mut AppState) {
    set(app, FieldId::Name, "web-10");
    focus(app, FieldId::Login);
    code(app, KeyCode::Right);
    focus(app, FieldId::KeyName);
}

fn submitted_key(app: &mut AppState) -> Option<String> {
    let effects = code(app, KeyCode::Enter);
    let [Effect::Submit { op, .. }] = effects.as_slice() else {
        panic!("{effects:?} ({:?})", app.message);
    };
    let Op::CreateServers(spec) = op.as_ref() else {
        panic!()
    };
    assert!(spec.admin_pass.is_none());
    spec.key_name.clone()
}

#[test]
fn listed_key_pairs_are_chosen_with_left_right_and_reach_the_spec() {
    let mut app = opened_with(Some(&["admin-laptop", "deploy-ci", "ops-key"]));
    key_login(&mut app);
    let f = form(&app);
    assert!(f.is_choice(FieldId::KeyName));
    assert!(f.text(FieldId::KeyName).is_none(), "not typed");
    assert_eq!(f.key_name.value(), "admin-laptop", "the first one, chosen");
    assert_eq!(problem(&app, FieldId::KeyName), None);

    typed(&mut app, "zz");
    assert_eq!(
        form(&app).key_name.value(),
        "admin-laptop",
        "typing does not edit a choice"
    );
    code(&mut app, KeyCode::Right);
    code(&mut app, KeyCode::Right);
    assert_eq!(form(&app).key_name.value(), "ops-key");
    code(&mut app, KeyCode::Right);
    assert_eq!(form(&app).key_name.value(), "admin-laptop", "wraps around");
    code(&mut app, KeyCode::Left);
    assert_eq!(
        form(&app).shown(FieldId::KeyName, app.catalog.data.as_ref()),
        "ops-key"
    );
    assert_eq!(submitted_key(&mut app).as_deref(), Some("ops-key"));
}

#[test]
fn with_no_key_pairs_the_field_says_to_use_a_password_and_refuses_the_create() {
    let mut app = opened_with(Some(&[]));
    key_login(&mut app);
    assert!(!form(&app).is_choice(FieldId::KeyName));
    set(&mut app, FieldId::KeyName, "ops-key");
    assert_eq!(
        problem(&app, FieldId::KeyName).as_deref(),
        Some("no key pairs in this project; use a password")
    );
    let effects = code(&mut app, KeyCode::Enter);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Submit { .. })),
        "{effects:?}"
    );
}

#[test]
fn an_unknown_list_leaves_the_key_pair_typed_and_checked_for_characters() {
    let mut app = opened_with(None);
    key_login(&mut app);
    assert!(!form(&app).is_choice(FieldId::KeyName));
    set(&mut app, FieldId::KeyName, "ops key");
    assert!(problem(&app, FieldId::KeyName).unwrap().contains("' '"));
    set(&mut app, FieldId::KeyName, "my-own-key");
    assert_eq!(problem(&app, FieldId::KeyName), None);
    assert_eq!(submitted_key(&mut app).as_deref(), Some("my-own-key"));
}

#[test]
fn a_name_not_in_the_list_is_named_as_the_problem() {
    let app = opened_with(Some(&["deploy-ci", "ops-key"]));
    let mut f = form(&app).clone();
    let cat = app.catalog.data.clone().unwrap();
    f.key_name.set("ops-kye");
    assert_eq!(
        f.problem(FieldId::KeyName, &cat).as_deref(),
        Some("key pair `ops-kye` is not in this project")
    );
    f.settle(&cat);
    assert_eq!(f.key_name.value(), "deploy-ci", "settled onto a listed one");
}
