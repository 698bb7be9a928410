//! The create form and the resize picker through `AppState::update`: each rule says why, `Esc`
//! and an invalid `Enter` send nothing, a valid form submits the right `CreateSpec`; resize
//! picks, confirms (default Cancel) and is refused where the runner would refuse it.

use chrono::{Local, TimeZone};
use crossterm::event::KeyCode;

use super::{CreateForm, FieldId, Login};
use crate::runner::{CreateSpec, Op, ServerRef, VolumeSpec};
use crate::tui::app::{AppState, Effect, Level, Mode, Msg, Session};
use crate::tui::catalog::{Catalog, FlavorInfo, ImageInfo, NetworkInfo, Quotas, SubnetInfo, Usage};
use crate::tui::keymap::{Key, Keymap};
use crate::tui::rows::{ImageFields, ImageRow, ServerFields, ServerRow};
use crate::tui::source::{Payload, Scope, What};

fn flavor(id: &str, vcpus: u32, ram_mb: u64, by_az: &[(&str, &str)]) -> FlavorInfo {
    FlavorInfo {
        id: id.into(),
        name: id.into(),
        vcpus,
        ram_mb,
        disk_gb: 0,
        sale_state: "normal".into(),
        sale_by_az: by_az
            .iter()
            .map(|(a, s)| ((*a).into(), (*s).into()))
            .collect(),
        disabled: false,
        performance: String::new(),
    }
}

fn image(id: &str, name: &str, min_disk: u64, min_ram: u64) -> ImageInfo {
    ImageInfo {
        id: id.into(),
        name: name.into(),
        status: "active".into(),
        os: "Windows Server 2019 64bit".into(),
        image_type: "gold".into(),
        min_disk_gb: min_disk,
        min_ram_mb: min_ram,
    }
}

fn subnet(id: &str, az: Option<&str>) -> SubnetInfo {
    SubnetInfo {
        id: id.into(),
        name: id.into(),
        cidr: "192.168.0.0/24".into(),
        gateway_ip: "192.168.0.1".into(),
        az: az.map(str::to_owned),
        status: "ACTIVE".into(),
    }
}

/// Two AZs; hv1.large.2 sold out in region-1b; win2019 needs 40 GB and 2 GB RAM; two VPCs, one
/// subnet serving only region-1a; 2 more servers fit the instance quota.
fn catalog() -> Catalog {
    Catalog {
        azs: vec!["region-1a".into(), "region-1b".into()],
        flavors: vec![
            flavor("hv1.small.1", 1, 1024, &[]),
            flavor("hv1.medium.2", 2, 4096, &[]),
            flavor(
                "hv1.large.2",
                4,
                8192,
                &[("region-1a", "normal"), ("region-1b", "sellout")],
            ),
        ],
        images: vec![
            image("img-win", "win2019", 40, 2048),
            image("img-ubu", "ubuntu22", 10, 512),
        ],
        networks: vec![
            NetworkInfo {
                id: "vpc-lab".into(),
                name: "lab".into(),
                cidr: "10.0.0.0/16".into(),
                status: "OK".into(),
                subnets: vec![subnet("lab-a", Some("region-1a"))],
            },
            NetworkInfo {
                id: "vpc-prod".into(),
                name: "prod".into(),
                cidr: "192.168.0.0/16".into(),
                status: "OK".into(),
                subnets: vec![
                    subnet("prod-any", None),
                    subnet("prod-b", Some("region-1b")),
                ],
            },
        ],
        quotas: Quotas {
            instances: Usage::of(Some(8), Some(10)),
            cores: Usage::of(Some(10), Some(40)),
            ram_mb: Usage::of(Some(4096), Some(-1)),
            storage: vec![("volumes".into(), Usage::of(Some(10), Some(100)))],
        },
    }
}

fn server(i: usize, name: &str, status: &str, az: &str, flavor: &str) -> ServerRow {
    ServerRow::new(&ServerFields {
        id: format!("id-{i}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        flavor: flavor.into(),
        ..Default::default()
    })
}

fn console(read_only: bool) -> AppState {
    let mut app = AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: "region-1".into(),
            read_only,
        },
        Keymap::default(),
        vec!["default".into()],
        (100, 30),
    );
    let start = app.start();
    let req = start
        .iter()
        .find_map(|e| match e {
            Effect::Fetch(f) if f.what == What::Servers(Scope::All) => Some(f.clone()),
            _ => None,
        })
        .unwrap();
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Servers {
            scope: Scope::All,
            total: Some(4),
            rows: vec![
                server(1, "web-01", "ACTIVE", "region-1a", "hv1.small.1"),
                server(2, "web-02", "SHUTOFF", "region-1b", "hv1.medium.2"),
                server(3, "new-01", "BUILD", "region-1a", "hv1.small.1"),
            ],
        }),
        at: Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap(),
    });
    app
}

fn key(app: &mut AppState, k: Key) -> Vec<Effect> {
    app.update(Msg::Key(k))
}

fn code(app: &mut AppState, c: KeyCode) -> Vec<Effect> {
    key(app, Key::plain(c))
}

fn typed(app: &mut AppState, s: &str) {
    for c in s.chars() {
        key(app, Key::char(c));
    }
}

/// Answers the catalog fetch among `effects`.
fn answer_catalog(app: &mut AppState, effects: &[Effect]) {
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch(f) if f.what == What::Catalog => Some(f.clone()),
            _ => None,
        })
        .expect("a catalog fetch");
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Catalog(Box::new(catalog()))),
        at: Local::now(),
    });
}

fn form(app: &AppState) -> &CreateForm {
    match &app.mode {
        Mode::Create(f) => f,
        other => panic!("not in the form: {other:?}"),
    }
}

/// Moves the focus to `field` with Tab.
fn focus(app: &mut AppState, field: FieldId) {
    for _ in 0..20 {
        if form(app).focus == field {
            return;
        }
        code(app, KeyCode::Tab);
    }
    panic!("{field:?} not reachable");
}

/// Clears the focused text field and types `text`.
fn set(app: &mut AppState, field: FieldId, text: &str) {
    focus(app, field);
    key(app, Key::ctrl('u'));
    code(app, KeyCode::End);
    key(app, Key::ctrl('u'));
    typed(app, text);
}

fn problem(app: &AppState, field: FieldId) -> Option<String> {
    form(app).problem(field, app.catalog.data.as_ref().unwrap())
}

fn opened() -> AppState {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('c'));
    answer_catalog(&mut app, &effects);
    app
}

fn message(app: &AppState) -> String {
    app.message.clone().map(|(_, m)| m).unwrap_or_default()
}

#[test]
fn c_opens_the_form_and_the_catalog_fills_its_choices() {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('c'));
    assert!(matches!(app.mode, Mode::Create(_)));
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
    assert!(message(&app).contains("nothing was sent"));
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
    let [Effect::Submit { op, known }] = effects.as_slice() else {
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
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch(f) if f.what == What::Images => Some(f.clone()),
            _ => None,
        })
        .unwrap();
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Images(vec![ImageRow::new(&ImageFields {
            id: "img-ubu".into(),
            name: "ubuntu22".into(),
            status: "active".into(),
            ..Default::default()
        })])),
        at: Local::now(),
    });
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
        m.help(Context::List, ro)
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
        m.hints(Context::List, false)
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

// --- resize --------------------------------------------------------------------------------

fn resize_confirm_of(app: &mut AppState) -> Op {
    match &app.mode {
        Mode::Confirm(c) => c.op.clone(),
        other => panic!("no confirmation: {other:?}"),
    }
}

#[test]
fn z_picks_another_flavor_and_confirms_with_cancel_by_default() {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('z'));
    assert!(matches!(app.mode, Mode::Resize(_)));
    answer_catalog(&mut app, &effects);
    // the cursor starts on the current flavor, which cannot be picked
    let effects = code(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert!(matches!(app.mode, Mode::Resize(_)));
    assert!(
        message(&app).contains("already has hv1.small.1"),
        "{}",
        message(&app)
    );
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
    let Mode::Confirm(c) = &app.mode else {
        panic!()
    };
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
    let [Effect::Submit { op: sent, known }] = effects.as_slice() else {
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
    let Mode::Resize(p) = &app.mode else { panic!() };
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
    let m = message(&app);
    assert!(
        m.contains("new-01 is BUILD") && m.contains("nothing was sent"),
        "{m}"
    );
    // read-only: the dangerous key does nothing
    let mut app = console(true);
    assert!(key(&mut app, Key::char('z')).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    // Esc in the picker sends nothing
    let mut app = console(false);
    let effects = key(&mut app, Key::char('z'));
    answer_catalog(&mut app, &effects);
    assert!(code(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert!(message(&app).contains("nothing was sent"));
}

// --- the form on screen --------------------------------------------------------------------

fn screen(app: &AppState, (w, h): (u16, u16), ascii: bool) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let styles = crate::tui::theme::Styles::builtin("default", ascii);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        crate::tui::views::draw(app, &styles, area, f.buffer_mut());
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

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
        insta::assert_snapshot!(format!("create_form_{}x{}", size.0, size.1), text);
    }
    let ascii = screen(&filled((80, 24)), (80, 24), true);
    assert!(ascii.is_ascii(), "--ascii draws ASCII only:\n{ascii}");
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
    insta::assert_snapshot!("resize_picker_80x24", text);
}
