//! The create form through `AppState::update`: each rule says why, `Esc` and an invalid `Enter`
//! send nothing, a valid form submits the right `CreateSpec`, read-only refuses it.

use crossterm::event::KeyCode;

use super::{CreateForm, FieldId, Login};
use crate::read::source::{Payload, View, What};
use crate::runner::{CreateSpec, Op, VolumeSpec};
use crate::tui::app::{AppState, Effect, Level, Mode, Msg};
use crate::tui::dialog::fixtures::*;
use crate::tui::keymap::{Key, Keymap};
use crate::tui::list::rows::ImageFields;

#[test]
fn c_opens_the_form_and_the_catalog_fills_its_choices() {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('c'));
    assert!(app.dialog::<CreateForm>().is_some());
    assert!(problem_free_before_catalog(&app));
    answer_catalog(&mut app, &effects);
    let f = form(&app);
    assert_eq!(f.az.as_deref(), Some("region-1a"));
    assert_eq!(f.image.as_deref(), Some("img-win"));
    // the first flavor on sale with the image's 2 GB of RAM
    assert_eq!(f.flavor.as_deref(), Some("hv1.medium.2"));
    assert_eq!(f.disk_size.value(), "40");
    assert_eq!(f.vpc.as_deref(), Some("vpc-lab"));
    assert_eq!(f.subnet.as_deref(), Some("lab-a"));
    assert_eq!(f.count.value(), "1");
}

fn problem_free_before_catalog(app: &AppState) -> bool {
    app.catalog.data.is_none() && form(app).flavor.is_none()
}

#[test]
fn every_field_says_why_it_is_wrong_as_it_is_typed() {
    let mut app = opened();
    assert!(problem(&app, FieldId::Name).unwrap().contains("1 to 64"));
    set(&mut app, FieldId::Name, "web 01");
    assert!(problem(&app, FieldId::Name).unwrap().contains("' '"));
    set(&mut app, FieldId::Name, "web-01");
    assert_eq!(problem(&app, FieldId::Name), None);
    set(&mut app, FieldId::DiskSize, "30");
    let p = problem(&app, FieldId::DiskSize).unwrap();
    assert!(p.contains("image win2019 needs at least 40 GB"), "{p}");
    set(&mut app, FieldId::DataDisks, "SSD100");
    assert!(
        problem(&app, FieldId::DataDisks)
            .unwrap()
            .contains("TYPE:GB")
    );
    set(&mut app, FieldId::Count, "3");
    let p = problem(&app, FieldId::Count).unwrap();
    assert!(p.contains("room for 2 more servers"), "{p}");
    set(&mut app, FieldId::Password, "abc");
    assert!(
        problem(&app, FieldId::Password)
            .unwrap()
            .contains("8 to 26")
    );
    // a flavor with too little RAM for the image
    focus(&mut app, FieldId::Flavor);
    code(&mut app, KeyCode::Left);
    assert_eq!(form(&app).flavor.as_deref(), Some("hv1.small.1"));
    let p = problem(&app, FieldId::Flavor).unwrap();
    assert!(p.contains("the image win2019 needs at least 2 GB"), "{p}");
    // a key pair instead of a password
    focus(&mut app, FieldId::Login);
    code(&mut app, KeyCode::Right);
    assert_eq!(form(&app).login, Login::KeyPair);
    assert!(!form(&app).fields().contains(&FieldId::Password));
    set(&mut app, FieldId::KeyName, "ops key");
    assert!(problem(&app, FieldId::KeyName).unwrap().contains("' '"));
}

#[test]
fn an_az_offers_only_its_flavors_and_the_subnets_serving_it() {
    let mut app = opened();
    focus(&mut app, FieldId::Flavor);
    code(&mut app, KeyCode::Right);
    assert_eq!(form(&app).flavor.as_deref(), Some("hv1.large.2"));
    focus(&mut app, FieldId::Az);
    code(&mut app, KeyCode::Right);
    let f = form(&app);
    let cat = catalog();
    assert_eq!(f.az.as_deref(), Some("region-1b"));
    let flavors: Vec<String> = f
        .choices(FieldId::Flavor, &cat)
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(
        flavors,
        ["hv1.small.1", "hv1.medium.2"],
        "large is sold out in 1b"
    );
    assert_eq!(
        f.flavor.as_deref(),
        Some("hv1.medium.2"),
        "moved off the sold-out one"
    );
    // lab's only subnet serves 1a: prod is chosen, with a subnet serving 1b
    assert_eq!(f.vpc.as_deref(), Some("vpc-prod"));
    let subnets: Vec<String> = f
        .choices(FieldId::Subnet, &cat)
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(subnets, ["prod-any", "prod-b"]);
    // choosing lab again: no subnet serves 1b there, and the form says so
    focus(&mut app, FieldId::Vpc);
    code(&mut app, KeyCode::Left);
    assert_eq!(form(&app).vpc.as_deref(), Some("vpc-lab"));
    assert!(
        problem(&app, FieldId::Vpc)
            .unwrap()
            .contains("no subnet serving region-1b")
    );
}

#[test]
fn esc_leaves_and_sends_nothing() {
    let mut app = opened();
    set(&mut app, FieldId::Name, "web-09");
    let effects = code(&mut app, KeyCode::Esc);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "nothing was sent");
}

#[test]
fn enter_with_a_wrong_field_sends_nothing_and_goes_there() {
    let mut app = opened();
    set(&mut app, FieldId::Password, "Ops-2026!x");
    // the name is still empty
    let effects = code(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(form(&app).focus, FieldId::Name);
    assert!(message(&app).starts_with("name: "), "{}", message(&app));
    set(&mut app, FieldId::Name, "web-09");
    set(&mut app, FieldId::Password, "weak");
    focus(&mut app, FieldId::Name);
    let effects = code(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(form(&app).focus, FieldId::Password);
    let m = message(&app);
    assert!(m.contains("8 to 26") && !m.contains("weak"), "{m}");
}

#[test]
fn a_valid_form_submits_the_create_spec_it_shows() {
    let mut app = opened();
    set(&mut app, FieldId::Name, "web-09");
    focus(&mut app, FieldId::Az);
    code(&mut app, KeyCode::Right);
    focus(&mut app, FieldId::DiskType);
    code(&mut app, KeyCode::Left);
    set(&mut app, FieldId::DiskSize, "60");
    set(&mut app, FieldId::DataDisks, "SSD:100, sata:200");
    focus(&mut app, FieldId::Subnet);
    code(&mut app, KeyCode::Right);
    set(&mut app, FieldId::Count, "2");
    set(&mut app, FieldId::Password, "Ops-2026!x");
    let effects = code(&mut app, KeyCode::Enter);
    let [Effect::Submit { op, known, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert!(known.is_empty());
    let Op::CreateServers(spec) = op.as_ref() else {
        panic!("{op:?}");
    };
    let expected = CreateSpec {
        name: "web-09".into(),
        image_id: "img-win".into(),
        flavor_id: "hv1.medium.2".into(),
        vpc_id: "vpc-prod".into(),
        subnet_id: "prod-b".into(),
        availability_zone: Some("region-1b".into()),
        root_volume: VolumeSpec {
            volume_type: "SAS".into(),
            size_gb: 60,
        },
        data_volumes: vec![
            VolumeSpec {
                volume_type: "SSD".into(),
                size_gb: 100,
            },
            VolumeSpec {
                volume_type: "SATA".into(),
                size_gb: 200,
            },
        ],
        count: 2,
        key_name: None,
        admin_pass: spec.admin_pass.clone(),
        had_admin_pass: true,
    };
    assert_eq!(spec, &expected);
    assert_eq!(
        spec.admin_pass.as_ref().map(|p| p.expose()),
        Some("Ops-2026!x")
    );
    assert_eq!(app.mode, Mode::Normal);
    assert!(!format!("{:?}", app.mode).contains("Ops-2026"));
}

#[test]
fn a_key_pair_create_carries_no_password() {
    let mut app = opened();
    set(&mut app, FieldId::Name, "web-10");
    set(&mut app, FieldId::Password, "Ops-2026!x");
    focus(&mut app, FieldId::Login);
    code(&mut app, KeyCode::Right);
    set(&mut app, FieldId::KeyName, "ops-key");
    let effects = code(&mut app, KeyCode::Enter);
    let [Effect::Submit { op, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let Op::CreateServers(spec) = op.as_ref() else {
        panic!()
    };
    assert_eq!(spec.key_name.as_deref(), Some("ops-key"));
    assert!(spec.admin_pass.is_none() && !spec.had_admin_pass);
}

#[test]
fn c_on_images_creates_from_the_selected_image() {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('2'));
    let ubuntu = ImageFields {
        id: "img-ubu".into(),
        name: "ubuntu22".into(),
        status: "active".into(),
        ..Default::default()
    };
    answer_read(
        &mut app,
        &effects,
        &What::Images,
        Payload::Images(vec![ubuntu]),
    );
    let effects = key(&mut app, Key::char('c'));
    assert_eq!(form(&app).image.as_deref(), Some("img-ubu"));
    answer_catalog(&mut app, &effects);
    let f = form(&app);
    assert_eq!(
        f.image.as_deref(),
        Some("img-ubu"),
        "kept after the catalog came"
    );
    assert_eq!(
        f.flavor.as_deref(),
        Some("hv1.small.1"),
        "ubuntu needs 512 MB only"
    );
    assert_eq!(f.disk_size.value(), "40");
}

#[test]
fn read_only_hides_resize_but_not_create() {
    use crate::tui::keymap::{Action, Context};
    let m = Keymap::default();
    let helped = |ro| -> Vec<Action> {
        m.help(Context::List(View::Servers), ro)
            .into_iter()
            .map(|(_, i)| i.action)
            .collect()
    };
    assert!(helped(false).contains(&Action::Resize));
    assert!(
        !helped(true).contains(&Action::Resize),
        "resize is dangerous"
    );
    assert!(
        helped(true).contains(&Action::Create),
        "create shows, and says why it refuses"
    );
    assert!(
        m.hints(Context::List(View::Servers), false)
            .contains(&("c".to_owned(), "create"))
    );
    assert_eq!(m.action(Key::char('z')), Some(Action::Resize));
}

#[test]
fn read_only_refuses_the_create_form() {
    let mut app = console(true);
    let effects = key(&mut app, Key::char('c'));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.mode, Mode::Normal);
    let m = message(&app);
    assert!(
        m.starts_with("read-only: refusing to create a server"),
        "{m}"
    );
    assert!(matches!(app.message, Some((Level::Error, _))));
}

// --- the form on screen --------------------------------------------------------------------

/// The form half filled in: a bad disk size and a masked password.
fn filled(size: (u16, u16)) -> AppState {
    let mut app = opened();
    app.update(Msg::Resize(size.0, size.1));
    set(&mut app, FieldId::Name, "web-09");
    set(&mut app, FieldId::DiskSize, "30");
    set(&mut app, FieldId::Password, "Ops-2026!x");
    focus(&mut app, FieldId::DiskSize);
    app.message = None;
    app
}

#[test]
fn the_form_on_screen_at_both_sizes() {
    for size in [(80, 24), (160, 48)] {
        let app = filled(size);
        let text = screen(&app, size, false);
        assert!(
            !text.contains("Ops-2026"),
            "the password shows masked:\n{text}"
        );
        assert!(text.contains("**********"), "{text}");
        assert!(text.contains("needs at least 40 GB"), "{text}");
        crate::tui::test_console::assert_snapshot!(
            format!("create_form_{}x{}", size.0, size.1),
            text
        );
    }
    let ascii = screen(&filled((80, 24)), (80, 24), true);
    assert!(ascii.is_ascii(), "--ascii draws ASCII only:\n{ascii}");
}

#[test]
fn on_a_small_screen_the_focused_field_stays_in_view() {
    let mut app = filled((60, 15));
    focus(&mut app, FieldId::Password);
    let text = screen(&app, (60, 15), false);
    assert!(
        text.contains("**********"),
        "the password field shows: {text}"
    );
    assert!(text.contains("enter create"), "the keys stay: {text}");
}

#[test]
fn the_keymap_s_refresh_reads_the_catalog_again() {
    let catalog_read = |fx: &[Effect]| {
        fx.iter()
            .any(|e| matches!(e, Effect::Fetch(f) if f.what == What::Catalog))
    };
    let mut app = opened();
    let fx = key(&mut app, Key::ctrl('r'));
    assert!(catalog_read(&fx), "{fx:?}");
    let rebound = [("refresh".to_owned(), vec!["f5".to_owned()])]
        .into_iter()
        .collect();
    app.keymap = Keymap::with_overrides(&rebound, None).unwrap();
    assert!(
        key(&mut app, Key::ctrl('r')).is_empty(),
        "ctrl-r is no longer refresh"
    );
    let fx = code(&mut app, KeyCode::F(5));
    assert!(catalog_read(&fx), "{fx:?}");
    assert!(app.dialog::<CreateForm>().is_some(), "the form stays");
}
