//! Regions in `AppState::update`: a switch re-scopes everything, the all-regions view merges one
//! answer per region, a failing region is stale on its own, bulk actions split per region.

use chrono::Local;
use crossterm::event::KeyCode;

use super::super::app::{AppState, Effect, Msg, Session};
use super::super::catalog::{Catalog, FlavorInfo};
use super::super::keymap::{Key, Keymap};
use super::super::rows::{AzRow, ImageFields, ImageRow, RegionRow, ServerFields, ServerRow};
use super::super::source::{FetchRequest, LoadError, Payload, Scope, View, What};
use super::super::test_console::{message, press, press_code, screen, type_text};

fn row(id: &str, name: &str, status: &str, az: &str) -> ServerRow {
    ServerRow::new(&ServerFields {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        ..Default::default()
    })
}

fn fetches(effects: &[Effect]) -> Vec<FetchRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn answer(app: &mut AppState, req: &FetchRequest, payload: Payload) -> Vec<Effect> {
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(payload),
        at: Local::now(),
    })
}

fn fail(app: &mut AppState, req: &FetchRequest, message: &str, id: &str) -> Vec<Effect> {
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Err(LoadError {
            message: message.into(),
            request_id: Some(id.into()),
        }),
        at: Local::now(),
    })
}

fn servers(rows: Vec<ServerRow>) -> Payload {
    Payload::Servers {
        scope: Scope::All,
        total: Some(rows.len()),
        rows,
    }
}

fn command(app: &mut AppState, text: &str) -> Vec<Effect> {
    press(app, ':');
    type_text(app, text);
    press_code(app, KeyCode::Enter)
}

/// A console in region-1 of three regions, its AZs and two servers loaded.
fn opened() -> AppState {
    let mut app = AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: "region-1".into(),
            read_only: false,
        },
        Keymap::default(),
        vec!["default".into()],
        (120, 30),
    );
    let start = fetches(&app.start());
    let regions = ["region-1", "region-2", "region-3"]
        .iter()
        .map(|r| RegionRow { id: (*r).into() })
        .collect();
    answer(&mut app, &start[0], Payload::Regions(regions));
    let az = |n: &str| AzRow {
        name: n.into(),
        available: true,
    };
    answer(
        &mut app,
        &start[1],
        Payload::Azs(vec![az("region-1a"), az("region-1b")]),
    );
    answer(
        &mut app,
        &start[2],
        servers(vec![
            row("a-1", "web-01", "ACTIVE", "region-1a"),
            row("a-2", "db-01", "SHUTOFF", "region-1b"),
        ]),
    );
    app
}

fn names(app: &AppState) -> Vec<String> {
    app.servers
        .page(100)
        .map(|(_, r)| r.name().to_owned())
        .collect()
}

#[test]
fn a_switch_drops_every_list_of_the_old_region_and_its_late_answers() {
    let mut app = opened();
    press(&mut app, ' ');
    // reads of region-1 still on their way when the region changes
    let images = fetches(&press(&mut app, '2'));
    press(&mut app, '1');
    let flavors = fetches(&command(&mut app, "flavors"));
    press(&mut app, '1');
    let catalog = fetches(&press(&mut app, 'c'));
    press_code(&mut app, KeyCode::Esc);
    let refresh = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    assert!(
        images
            .iter()
            .chain(&flavors)
            .chain(&catalog)
            .chain(&refresh)
            .all(|f| f.region == "region-1")
    );

    let e = fetches(&command(&mut app, "region region-2"));
    assert_eq!(app.session.region, "region-2");
    assert!(e.iter().all(|f| f.region == "region-2"), "{e:?}");
    assert!(e.iter().any(|f| f.what == What::Azs));
    assert!(e.iter().any(|f| f.what == What::Servers(Scope::All)));
    assert!(
        screen(&app).contains("loading servers in region-2…"),
        "{}",
        screen(&app)
    );
    assert_eq!(app.servers.marked(), 0);

    // the late answers of region-1 land nowhere
    let image = ImageRow::new(&ImageFields {
        id: "i-1".into(),
        name: "win-r1".into(),
        status: "active".into(),
        ..Default::default()
    });
    answer(&mut app, &images[0], Payload::Images(vec![image]));
    let flavor = FlavorInfo {
        id: "f-1".into(),
        name: "s3.r1".into(),
        vcpus: 2,
        ram_mb: 4096,
        disk_gb: 0,
        sale_state: "normal".into(),
        sale_by_az: Vec::new(),
        disabled: false,
        performance: String::new(),
    };
    answer(
        &mut app,
        &flavors[0],
        Payload::Flavors(vec![flavor.clone()]),
    );
    let cat = Catalog {
        azs: vec!["region-1a".into()],
        flavors: vec![flavor],
        keypairs: Some(vec!["r1-key".into()]),
        ..Catalog::default()
    };
    answer(&mut app, &catalog[0], Payload::Catalog(Box::new(cat)));
    answer(
        &mut app,
        &refresh[0],
        servers(vec![row("a-1", "web-01", "ACTIVE", "region-1a")]),
    );
    assert_eq!(app.images.total(), 0, "no image of region-1");
    assert_eq!(app.flavors.total(), 0, "no flavor of region-1");
    assert_eq!(app.servers.total(), 0, "no server of region-1");
    assert!(app.catalog.data.is_none(), "no catalog of region-1");
    assert!(app.azs.items.is_empty(), "no AZ of region-1");
    let text = screen(&app);
    for old in ["web-01", "db-01", "region-1a", "win-r1", "s3.r1"] {
        assert!(!text.contains(old), "{old} of region-1 on screen:\n{text}");
    }
    let _ = (View::Servers, message(&app));
}

#[test]
fn after_a_switch_changes_run_in_the_new_region() {
    let mut app = opened();
    let e = fetches(&command(&mut app, "region region-2"));
    let servers_req = e
        .iter()
        .find(|f| f.what == What::Servers(Scope::All))
        .unwrap();
    answer(
        &mut app,
        servers_req,
        servers(vec![row("b-1", "app-01", "ACTIVE", "region-2a")]),
    );
    let fx = press(&mut app, 's');
    assert!(fx.is_empty(), "ACTIVE cannot start: {fx:?}");
    assert!(press(&mut app, 'x').is_empty(), "stop asks first");
    let fx = press(&mut app, 'y');
    let regions: Vec<&str> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Submit { region, .. } => Some(region.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(regions, ["region-2"], "{}", message(&app));
}
