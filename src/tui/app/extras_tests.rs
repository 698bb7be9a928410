//! `AppState::update` for the console's extras: `Y` copies an id, the mouse, `:profile`, and the
//! tasks a describe shows.

use chrono::Local;
use crossterm::event::KeyCode;

use crate::read::source::{Payload, View, What};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::keymap::Key;
use crate::tui::list::rows::ServerFields;
use crate::tui::mouse::{Mouse, MouseKind};
use crate::tui::test_console::{assert_says, screen, task_news, task_of};
pub(crate) use crate::tui::test_console::{message, press};

fn server(i: usize, name: &str) -> ServerFields {
    ServerFields {
        id: format!("id-{i}"),
        name: name.into(),
        status: "ACTIVE".into(),
        az: "region-1a".into(),
        ..Default::default()
    }
}

/// A console (100x30) with `n` servers listed, the first selected.
pub(crate) fn console(n: usize) -> AppState {
    crate::tui::test_console::console_with(
        false,
        (1..=n).map(|i| server(i, &format!("web-{i:02}"))).collect(),
    )
}

#[test]
fn shift_y_copies_the_selected_id_and_says_so() {
    let mut app = console(3);
    press(&mut app, 'j');
    assert_eq!(
        press(&mut app, 'Y'),
        [Effect::CopyToClipboard("id-2".into())]
    );
    assert_eq!(message(&app), "copied id id-2");
    // in describe, the described object's id
    press(&mut app, 'j');
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    assert!(matches!(app.mode, Mode::Describe(_)));
    assert_eq!(
        press(&mut app, 'Y'),
        [Effect::CopyToClipboard("id-3".into())]
    );
    // nothing listed: nothing copied
    let mut empty = console(0);
    assert!(press(&mut empty, 'Y').is_empty());
    assert_eq!(message(&empty), "nothing selected to copy");
}

fn mouse(app: &mut AppState, kind: MouseKind, column: u16, row: u16) -> Vec<Effect> {
    app.update(Msg::Mouse(Mouse { kind, column, row }))
}

fn selected_name(app: &AppState) -> String {
    app.servers
        .selected_row()
        .map(|r| r.name().to_owned())
        .unwrap_or_default()
}

/// The screen row where `text` is drawn, from the real layout.
fn screen_row_of(app: &AppState, text: &str) -> u16 {
    let area = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let styles = crate::tui::theme::Styles::builtin("default", false);
    crate::tui::views::draw(app, &styles, area, &mut buf);
    (0..area.height)
        .find(|&y| {
            let line: String = (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect();
            line.contains(text)
        })
        .unwrap_or_else(|| panic!("{text} is not on screen"))
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_scrolls() {
    let mut app = console(60);
    let y = screen_row_of(&app, "web-05");
    mouse(&mut app, MouseKind::Click, 40, y);
    assert_eq!(selected_name(&app), "web-05");
    // a click on the side panes or below the rows changes nothing
    mouse(&mut app, MouseKind::Click, 3, y);
    mouse(&mut app, MouseKind::Click, 40, 29);
    assert_eq!(selected_name(&app), "web-05");
    assert!(!app.dirty);
    mouse(&mut app, MouseKind::WheelDown, 40, y);
    assert_eq!(selected_name(&app), "web-08");
    mouse(&mut app, MouseKind::WheelUp, 40, y);
    mouse(&mut app, MouseKind::WheelUp, 40, y);
    assert_eq!(selected_name(&app), "web-02");
    // scrolled down a page, a click still picks the row drawn under it
    for _ in 0..10 {
        mouse(&mut app, MouseKind::WheelDown, 40, y);
    }
    assert!(app.servers.offset() > 0);
    let y = screen_row_of(&app, "web-30");
    mouse(&mut app, MouseKind::Click, 60, y);
    assert_eq!(selected_name(&app), "web-30");
    // while typing a filter the mouse does nothing
    press(&mut app, '/');
    mouse(&mut app, MouseKind::WheelDown, 40, y);
    assert_eq!(selected_name(&app), "web-30");
}

fn command(app: &mut AppState, line: &str) -> Vec<Effect> {
    press(app, ':');
    for c in line.chars() {
        press(app, c);
    }
    app.update(Msg::Key(Key::plain(KeyCode::Enter)))
}

#[test]
fn colon_profile_switches_to_a_known_profile_only() {
    let mut app = console(3);
    app.profiles = vec!["lab".into(), "prod-east".into(), "prod-west".into()];
    // Tab completes from the config's profiles
    press(&mut app, ':');
    for c in "profile prod".chars() {
        press(&mut app, c);
    }
    app.update(Msg::Key(Key::plain(KeyCode::Tab)));
    assert_eq!(message(&app), "prod-east  prod-west");
    app.update(Msg::Key(Key::plain(KeyCode::Esc)));
    // an unknown name: a clear error, nothing changes
    assert!(command(&mut app, "profile qa").is_empty());
    assert_says(
        &app,
        "no profile named \"qa\"; the profiles are: lab, prod-east",
    );
    assert!(!app.quit);
    // the current one: said so
    assert!(command(&mut app, "profile lab").is_empty());
    assert_eq!(message(&app), "already on profile lab");
    // another: the console ends and opens again on it
    assert_eq!(
        command(&mut app, "profile prod-west"),
        [Effect::SwitchProfile("prod-west".into())]
    );
    assert!(app.quit);
    // without profiles (the demo), nothing to switch to
    let mut demo = console(1);
    assert!(command(&mut demo, "profile lab").is_empty());
    assert!(message(&demo).contains("no profiles to switch to"));
}

#[test]
fn describe_shows_the_objects_recent_tasks_from_this_console() {
    use crate::runner::{EventKind, Op, PowerAction, Priority, ServerRef};
    use crate::runner::{Hardness, TaskState};
    let mut app = console(3);
    let task = |name: &str, id: &str, action, state| {
        let op = Op::Power {
            action,
            servers: vec![ServerRef::new(id, name)],
        };
        let mut t = task_of(op, Priority::Interactive);
        t.state = state;
        t
    };
    let mut failed = task(
        "web-02",
        "id-2",
        PowerAction::Reboot(Hardness::Soft),
        TaskState::Failed,
    );
    failed.note = Some("Ecs.0001: the server is locked".into());
    task_news(&mut app, EventKind::Failed, &failed);
    let done = task("web-02", "id-2", PowerAction::Start, TaskState::Succeeded);
    task_news(&mut app, EventKind::Succeeded, &done);
    let other = task("web-03", "id-3", PowerAction::Start, TaskState::Succeeded);
    task_news(&mut app, EventKind::Succeeded, &other);
    press(&mut app, 'j');
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    let s = screen(&app);
    assert!(s.contains("Recent tasks"), "{s}");
    let start = s.find("succeeded  start web-02").expect(&s);
    let reboot = s.find("failed     reboot web-02").expect(&s);
    assert!(start < reboot, "newest first: {s}");
    assert!(s.contains("the server is locked"), "{s}");
    assert!(
        !s.contains("start web-03  "),
        "only this server's tasks: {s}"
    );
    // a server without tasks says so
    app.update(Msg::Key(Key::plain(KeyCode::Esc)));
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    let mut app1 = console(1);
    app1.update(Msg::Key(Key::plain(KeyCode::Enter)));
    assert!(screen(&app1).contains("none from this console"));
}

/// The screen without its header line (which holds the time of the fetch).
fn body(s: &str) -> String {
    s.lines().skip(1).map(|l| format!("{l}\n")).collect()
}

#[test]
fn colon_quotas_flavors_networks_open_read_only_lists() {
    use crate::read::catalog::{FlavorInfo, NetworkInfo, Quotas, SubnetInfo, Usage};
    let mut app = console(2);
    app.azs.items = vec!["az-1a".into(), "az-1b".into()];
    // :quotas reads the quotas once, shows used / limit with headroom
    let fx = command(&mut app, "quotas");
    let Some(Effect::Fetch(req)) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    assert_eq!(req.what, What::Quotas);
    let u = |used, limit| Usage { used, limit };
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Quotas(Quotas {
            instances: u(12, Some(50)),
            cores: u(48, Some(200)),
            ram_mb: u(98304, None),
            storage: vec![("gigabytes_SSD".into(), u(900, Some(1000)))],
            images: None,
        })),
        at: Local::now(),
    });
    let s = screen(&app);
    assert!(s.contains("Quotas"), "{s}");
    let row = |s: &str, what: &str| {
        s.lines()
            .find(|l| l.contains(what))
            .unwrap_or("")
            .to_owned()
    };
    let servers = row(&s, "servers ");
    assert!(
        servers.contains("12 of 50") && servers.contains("38"),
        "{s}"
    );
    assert!(row(&s, "disk GB (SSD)").contains("90%"), "{s}");
    assert!(row(&s, "RAM (MB)").contains("no limit"), "{s}");
    crate::tui::test_console::assert_snapshot!("quotas_100x30", body(&s));
    // they filter and sort like every list; describe needs no read
    for c in "/ssd".chars() {
        press(&mut app, c);
    }
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    assert_eq!(app.list(View::Quotas).len(), 1);
    assert!(app.update(Msg::Key(Key::plain(KeyCode::Enter))).is_empty());
    assert!(screen(&app).contains("headroom"), "{}", screen(&app));
    app.update(Msg::Key(Key::plain(KeyCode::Esc)));
    // :flavors: where each is on sale
    let fx = command(&mut app, "flavors");
    let Some(Effect::Fetch(req)) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    assert_eq!(req.what, What::Flavors(None));
    let flavor = |name: &str, sale_by_az: Vec<(String, String)>| FlavorInfo {
        id: format!("{name}-id"),
        name: name.into(),
        vcpus: 2,
        ram_mb: 4096,
        disk_gb: 0,
        sale_state: "normal".into(),
        sale_by_az,
        disabled: false,
        performance: "normal".into(),
    };
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Flavors(vec![
            flavor("s3.large", vec![]),
            flavor("c3.xlarge", vec![("az-1b".into(), "sellout".into())]),
        ])),
        at: Local::now(),
    });
    let s = screen(&app);
    let c3 = row(&s, "c3.xlarge");
    assert!(c3.contains("az-1a") && c3.contains("az-1b"), "{s}");
    assert!(
        c3.find("az-1a") < c3.find("az-1b"),
        "on sale in 1a, not in 1b: {s}"
    );
    assert!(row(&s, "s3.large").contains("4 GB"), "{s}");
    crate::tui::test_console::assert_snapshot!("flavors_100x30", body(&s));
    // :networks: a row per subnet
    let fx = command(&mut app, "networks");
    let Some(Effect::Fetch(req)) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    let subnet = |name: &str, az: Option<&str>| SubnetInfo {
        id: format!("{name}-id"),
        name: name.into(),
        cidr: "192.168.1.0/24".into(),
        gateway_ip: "192.168.1.1".into(),
        az: az.map(str::to_owned),
        status: "ACTIVE".into(),
    };
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Networks(vec![NetworkInfo {
            id: "vpc-1".into(),
            name: "prod-vpc".into(),
            cidr: "192.168.0.0/16".into(),
            status: "OK".into(),
            subnets: vec![subnet("app-net", Some("az-1a")), subnet("db-net", None)],
        }])),
        at: Local::now(),
    });
    assert_eq!(app.list(View::Networks).len(), 2);
    let s = screen(&app);
    assert!(row(&s, "db-net").contains("all"), "{s}");
    assert!(row(&s, "app-net").contains("az-1a"), "{s}");
    crate::tui::test_console::assert_snapshot!("networks_100x30", body(&s));
    // another region empties them
    app.switch_region("region-2");
    assert_eq!(app.list(View::Networks).total(), 0);
}
