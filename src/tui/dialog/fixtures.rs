//! Test fixtures of the create form and resize picker tests: a catalog, a console with three servers, keys, and the
//! screen drawn into ratatui's TestBackend.

use chrono::{Local, TimeZone};
use crossterm::event::KeyCode;

use super::create::{CreateForm, FieldId};
use crate::read::catalog::{
    Catalog, FlavorInfo, ImageInfo, NetworkInfo, Quotas, SubnetInfo, Usage,
};
use crate::read::source::{Payload, What};
use crate::tui::app::{AppState, Effect, Msg};
use crate::tui::keymap::Key;
use crate::tui::list::rows::ServerFields;
pub(super) use crate::tui::test_console::{
    answer_read, assert_esc_closes, assert_says, dialog_open, message,
};

pub(super) fn flavor(id: &str, vcpus: u32, ram_mb: u64, by_az: &[(&str, &str)]) -> FlavorInfo {
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

pub(super) fn image(id: &str, name: &str, min_disk: u64, min_ram: u64) -> ImageInfo {
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

pub(super) fn subnet(id: &str, az: Option<&str>) -> SubnetInfo {
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
pub(super) fn catalog() -> Catalog {
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
            images: Some(Usage::of(Some(3), Some(10))),
        },
        keypairs: None,
    }
}

pub(super) fn server(i: usize, name: &str, status: &str, az: &str, flavor: &str) -> ServerFields {
    ServerFields {
        id: format!("id-{i}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        flavor: flavor.into(),
        ..Default::default()
    }
}

pub(super) fn console(read_only: bool) -> AppState {
    let rows = vec![
        server(1, "web-01", "ACTIVE", "region-1a", "hv1.small.1"),
        server(2, "web-02", "SHUTOFF", "region-1b", "hv1.medium.2"),
        server(3, "new-01", "BUILD", "region-1a", "hv1.small.1"),
    ];
    let at = Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap();
    crate::tui::test_console::console_read(read_only, rows, 4, at)
}

pub(super) fn key(app: &mut AppState, k: Key) -> Vec<Effect> {
    app.update(Msg::Key(k))
}

pub(super) fn code(app: &mut AppState, c: KeyCode) -> Vec<Effect> {
    key(app, Key::plain(c))
}

pub(super) fn typed(app: &mut AppState, s: &str) {
    for c in s.chars() {
        key(app, Key::char(c));
    }
}

/// Answers the catalog fetch among `effects`.
pub(super) fn answer_catalog(app: &mut AppState, effects: &[Effect]) {
    let catalog = Payload::Catalog(Box::new(catalog()));
    answer_read(app, effects, &What::Catalog, catalog);
}

pub(super) fn form(app: &AppState) -> &CreateForm {
    match app.dialog::<CreateForm>() {
        Some(f) => f,
        None => panic!("not in the form: {:?}", app.mode),
    }
}

/// Moves the focus to `field` with Tab.
pub(super) fn focus(app: &mut AppState, field: FieldId) {
    for _ in 0..20 {
        if form(app).focus == field {
            return;
        }
        code(app, KeyCode::Tab);
    }
    panic!("{field:?} not reachable");
}

/// Clears the focused text field and types `text`.
pub(super) fn set(app: &mut AppState, field: FieldId, text: &str) {
    focus(app, field);
    key(app, Key::ctrl('u'));
    code(app, KeyCode::End);
    key(app, Key::ctrl('u'));
    typed(app, text);
}

pub(super) fn problem(app: &AppState, field: FieldId) -> Option<String> {
    form(app).problem(field, app.catalog.data.as_ref().unwrap())
}

pub(super) fn opened() -> AppState {
    let mut app = console(false);
    let effects = key(&mut app, Key::char('c'));
    answer_catalog(&mut app, &effects);
    app
}

/// The screen as text, drawn into ratatui's TestBackend.
pub(super) fn screen(app: &AppState, (w, h): (u16, u16), ascii: bool) -> String {
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
