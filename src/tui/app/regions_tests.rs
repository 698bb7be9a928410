//! Regions in `AppState::update`: a switch re-scopes everything, the all-regions view merges one
//! answer per region, a failing region is stale on its own, bulk actions split per region.

use crossterm::event::KeyCode;

use crate::read::catalog::{Catalog, FlavorInfo};
use crate::read::source::{FetchRequest, Payload, Scope, View, What};
use crate::tui::app::{AppState, Effect, Msg, Session};
use crate::tui::keymap::{Key, Keymap};
use crate::tui::list::rows::{AzRow, ImageFields, RegionRow, ServerFields};
use crate::tui::test_console::{
    answer, assert_sends_nothing, fail, fetches, message, press, press_code, screen, shown,
    type_text,
};

fn row(id: &str, name: &str, status: &str, az: &str) -> ServerFields {
    ServerFields {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        ..Default::default()
    }
}

fn servers(rows: Vec<ServerFields>) -> Payload {
    Payload::Servers {
        scope: Scope::All,
        total: Some(rows.len()),
        rows,
    }
}

/// Each read as its region and what it asks.
fn reads(e: &[FetchRequest]) -> Vec<(&str, What)> {
    e.iter()
        .map(|f| (f.region.as_str(), f.what.clone()))
        .collect()
}

/// A full read of the servers in each of `regions`.
fn servers_read_in(regions: &[&'static str]) -> Vec<(&'static str, What)> {
    regions
        .iter()
        .map(|r| (*r, What::Servers(Scope::All)))
        .collect()
}

fn command(app: &mut AppState, text: &str) -> Vec<Effect> {
    press(app, ':');
    type_text(app, text);
    press_code(app, KeyCode::Enter)
}

/// A console (120x30) opened on `region`, nothing read yet.
fn on(region: &str) -> AppState {
    AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: region.into(),
            read_only: false,
        },
        Keymap::default(),
        vec!["default".into()],
        (120, 30),
    )
}

/// A console in region-1 of three regions, its AZs and two servers loaded.
fn opened() -> AppState {
    let mut app = on("region-1");
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
    let image = ImageFields {
        id: "i-1".into(),
        name: "win-r1".into(),
        status: "active".into(),
        ..Default::default()
    };
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
    assert_eq!(app.list(View::Images).total(), 0, "no image of region-1");
    assert_eq!(app.list(View::Flavors).total(), 0, "no flavor of region-1");
    assert_eq!(app.servers.total(), 0, "no server of region-1");
    assert!(app.catalog.data.is_none(), "no catalog of region-1");
    assert!(app.azs.items.is_empty(), "no AZ of region-1");
    let text = screen(&app);
    for old in ["web-01", "db-01", "region-1a", "win-r1", "s3.r1"] {
        assert!(!text.contains(old), "{old} of region-1 on screen:\n{text}");
    }
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
    assert_eq!(app.servers.all_rows()[0].region(), "region-2");
    let regions: Vec<&str> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Submit { region, .. } => Some(region.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(regions, ["region-2"], "{}", message(&app));
}

/// The console under `:region all`: each region's servers answered (region-3 failing).
fn all_regions() -> (AppState, Vec<FetchRequest>) {
    let mut app = opened();
    let e = fetches(&command(&mut app, "region all"));
    assert_eq!(app.session.region, "all");
    assert_eq!(
        reads(&e),
        servers_read_in(&["region-1", "region-2", "region-3"]),
        "one read per region, all at once"
    );
    (app, e)
}

fn load_two_regions(app: &mut AppState, e: &[FetchRequest]) {
    answer(
        app,
        &e[1],
        servers(vec![
            row("b-1", "app-01", "ACTIVE", "region-2a"),
            row("b-2", "app-02", "ACTIVE", "region-2b"),
        ]),
    );
    answer(
        app,
        &e[0],
        servers(vec![
            row("a-1", "web-01", "ACTIVE", "region-1a"),
            row("a-2", "db-01", "SHUTOFF", "region-1b"),
        ]),
    );
}

fn submits(effects: &[Effect]) -> Vec<(String, Vec<String>, Vec<String>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Submit { region, op, known } => {
                let mut k: Vec<String> = known.keys().cloned().collect();
                k.sort();
                Some((
                    region.clone(),
                    op.servers().into_iter().map(|s| s.id).collect(),
                    k,
                ))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn all_regions_merge_each_answer_as_it_comes_and_a_failing_region_is_stale_on_its_own() {
    let (mut app, e) = all_regions();
    assert!(
        app.servers.all_rows().is_empty(),
        "nothing of region-1 stays"
    );
    assert_eq!(app.region_row(), 0, "the pane's all row is chosen");
    answer(
        &mut app,
        &e[1],
        servers(vec![row("b-1", "app-01", "ACTIVE", "region-2a")]),
    );
    assert_eq!(shown(&app), ["app-01"], "the first region shows at once");
    assert!(app.servers.loading, "the others are still loading");
    let text = screen(&app);
    assert!(
        text.contains("region-1: loading servers in region-1…"),
        "{text}"
    );
    fail(&mut app, &e[2], "503 Service Unavailable", "req-3");
    answer(
        &mut app,
        &e[0],
        servers(vec![row("a-1", "web-01", "ACTIVE", "region-1a")]),
    );
    assert_eq!(shown(&app), ["app-01", "web-01"]);
    assert!(!app.servers.loading);
    assert_eq!(
        app.servers.all_rows()[1].region(),
        "region-1",
        "rows know their region"
    );
    assert_eq!(app.stale_regions(), ["region-3"]);
    let text = screen(&app);
    assert!(text.contains("REGION"), "{text}");
    assert!(
        text.contains("region-3: stale, retrying: 503 Service Unavailable (request id req-3)"),
        "{text}"
    );
    assert!(text.contains("stale: region-3"), "{text}");

    // the retry reads the failed region only; a later failure of region-2 keeps its rows
    let retry = app.update(Msg::Retry(crate::tui::list::registry::Slot::List(
        View::Servers,
    )));
    let r = fetches(&retry);
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].region.as_str(), &r[0].what),
        ("region-3", &What::Servers(Scope::All))
    );
    answer(
        &mut app,
        &r[0],
        servers(vec![row("c-1", "lab-01", "SHUTOFF", "region-3a")]),
    );
    assert_eq!(shown(&app), ["app-01", "web-01", "lab-01"]);
    assert!(app.parts.iter().all(|p| p.stale.is_none()));
    let again = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    assert_eq!(again.len(), 3, "Ctrl-r reads every region");
    fail(&mut app, &again[1], "timed out", "req-9");
    answer(
        &mut app,
        &again[0],
        servers(vec![row("a-1", "web-01", "SHUTOFF", "region-1a")]),
    );
    answer(
        &mut app,
        &again[2],
        servers(vec![row("c-1", "lab-01", "SHUTOFF", "region-3a")]),
    );
    assert_eq!(
        shown(&app),
        ["app-01", "web-01", "lab-01"],
        "region-2 keeps its rows, stale"
    );
    assert_eq!(app.servers.all_rows()[1].field("status"), "SHUTOFF");
    assert!(screen(&app).contains("region-2: stale, retrying: timed out (request id req-9)"));
}

#[test]
fn the_refresh_timer_reads_each_region_s_rows_on_screen_and_a_late_answer_is_dropped() {
    let (mut app, e) = all_regions();
    load_two_regions(&mut app, &e);
    // region-3 has not answered: its read is on its way, the timer leaves it alone
    let t = fetches(&app.update(Msg::Tick));
    let mut got: Vec<(String, What)> = t
        .iter()
        .map(|f| (f.region.clone(), f.what.clone()))
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        [
            (
                "region-1".into(),
                What::Servers(Scope::Ids(vec!["a-1".into(), "a-2".into()]))
            ),
            (
                "region-2".into(),
                What::Servers(Scope::Ids(vec!["b-1".into(), "b-2".into()]))
            ),
        ]
    );
    // switching away drops every answer of the all-regions view
    let back = fetches(&command(&mut app, "region region-2"));
    answer(
        &mut app,
        &e[2],
        servers(vec![row("c-1", "lab-01", "ACTIVE", "region-3a")]),
    );
    answer(
        &mut app,
        &t[0],
        servers(vec![row("a-1", "web-01", "ACTIVE", "region-1a")]),
    );
    assert!(app.servers.all_rows().is_empty(), "{:?}", shown(&app));
    assert!(app.parts.is_empty());
    assert!(back.iter().all(|f| f.region == "region-2"));
}

#[test]
fn marks_over_two_regions_become_one_submission_per_region() {
    let (mut app, e) = all_regions();
    load_two_regions(&mut app, &e);
    // app-01, app-02 (region-2), web-01 (region-1) marked; db-01 not
    press(&mut app, ' ');
    press(&mut app, ' ');
    press(&mut app, ' ');
    assert_eq!(app.servers.marked(), 3);
    assert!(press(&mut app, 'x').is_empty(), "stop asks first");
    let Some(c) = app.dialog::<crate::tui::dialog::confirm::Confirm>() else {
        panic!("a dialog: {}", message(&app));
    };
    assert_eq!(
        c.title,
        "stop 3 servers in 2 regions (region-1: 1, region-2: 2)?"
    );
    let fx = press(&mut app, 'y');
    assert_eq!(
        submits(&fx),
        [
            ("region-1".into(), vec!["a-1".into()], vec!["a-1".into()]),
            (
                "region-2".into(),
                vec!["b-1".into(), "b-2".into()],
                vec!["b-1".into(), "b-2".into()]
            ),
        ]
    );
    assert_eq!(app.servers.marked(), 0);
    // the delete dialog says the same, and its Enter splits too
    press(&mut app, 'k');
    press(&mut app, 'k');
    press(&mut app, 'k');
    press(&mut app, ' ');
    press(&mut app, 'j');
    press(&mut app, 'j');
    press(&mut app, ' ');
    assert_eq!(app.servers.marked(), 2);
    press(&mut app, 'D');
    let Some(d) = app.dialog::<crate::tui::dialog::delete::DeleteDialog>() else {
        panic!("the delete dialog: {}", message(&app));
    };
    assert_eq!(
        d.title,
        "delete 2 servers in 2 regions (region-1: 1, region-2: 1)?"
    );
    type_text(&mut app, "2");
    let fx = press_code(&mut app, KeyCode::Enter);
    let regions: Vec<String> = submits(&fx).into_iter().map(|s| s.0).collect();
    assert_eq!(regions, ["region-1", "region-2"]);
}

#[test]
fn region_filters_and_what_needs_one_region_says_so() {
    let (mut app, e) = all_regions();
    load_two_regions(&mut app, &e);
    press(&mut app, '/');
    type_text(&mut app, "region:region-2");
    press_code(&mut app, KeyCode::Enter);
    app.servers.finish();
    assert_eq!(shown(&app), ["app-01", "app-02"]);
    // a row's details are read in its own region
    let d = fetches(&press_code(&mut app, KeyCode::Enter));
    assert_eq!(
        reads(&d),
        [("region-2", What::Detail(View::Servers, "b-1".into()))]
    );
    press_code(&mut app, KeyCode::Esc);
    // a create needs one region: refused, nothing sent, nothing opened
    assert_sends_nothing(&mut app, 'c', "a new server needs one region, not all");
    assert_eq!(app.mode, crate::tui::app::Mode::Normal);
    // the other lists are read one region at a time
    assert!(fetches(&press(&mut app, '2')).is_empty());
    assert!(
        screen(&app).contains("images are listed one region at a time"),
        "{}",
        screen(&app)
    );
    // the pane's first row is all, and a region from it leaves all
    let e = fetches(&command(&mut app, "region region-3"));
    assert!(e.iter().all(|f| f.region == "region-3"));
    assert_eq!(app.region_row(), 3);
}

#[test]
fn a_console_opened_on_all_reads_each_region_once_the_regions_are_known() {
    let mut app = on("all");
    let start = fetches(&app.start());
    assert_eq!(start.len(), 1);
    assert_eq!(start[0].what, What::Regions);
    let regions = ["region-1", "region-2"]
        .iter()
        .map(|r| RegionRow { id: (*r).into() })
        .collect();
    let e = fetches(&answer(&mut app, &start[0], Payload::Regions(regions)));
    assert_eq!(reads(&e), servers_read_in(&["region-1", "region-2"]));
    // the regions read again adds nothing already read
    let again = fetches(&app.update(Msg::Retry(crate::tui::list::registry::Slot::Regions)));
    assert!(again.is_empty());
}

#[test]
fn a_console_opened_on_all_shows_all_once_in_the_regions_pane() {
    let app = on("all");
    assert!(app.regions.items.is_empty());
    assert_eq!((app.regions.cursor, app.region_row()), (0, 0));
    assert_eq!(on("region-1").regions.cursor, 1);
}

#[test]
fn ctrl_r_under_all_reads_every_region_even_one_refreshing_its_page() {
    let (mut app, e) = all_regions();
    load_two_regions(&mut app, &e);
    let page = fetches(&app.update(Msg::Tick));
    assert_eq!(page.len(), 2, "{page:?}");
    let full = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    assert_eq!(
        reads(&full),
        servers_read_in(&["region-1", "region-2", "region-3"])
    );
    // the page refresh that was on its way is no longer the newest: dropped
    answer(&mut app, &page[0], servers(vec![]));
    assert_eq!(app.servers.total(), 4);
}

#[test]
fn with_no_server_in_any_region_all_says_so() {
    let (mut app, e) = all_regions();
    answer(&mut app, &e[0], servers(vec![]));
    answer(&mut app, &e[1], servers(vec![]));
    assert!(
        !screen(&app).contains("no servers in any region"),
        "region-3 still loads"
    );
    answer(&mut app, &e[2], servers(vec![]));
    assert!(
        screen(&app).contains("no servers in any region"),
        "{}",
        screen(&app)
    );
}

#[test]
fn under_all_the_rows_the_reducer_pages_and_clicks_are_the_rows_drawn_above_the_regions_lines() {
    use crate::tui::mouse::{Mouse, MouseKind};
    let (mut app, e) = all_regions();
    let rows = (0..40)
        .map(|i| {
            row(
                &format!("b-{i}"),
                &format!("app-{i:02}"),
                "ACTIVE",
                "region-2a",
            )
        })
        .collect();
    answer(&mut app, &e[1], servers(rows));
    fail(&mut app, &e[2], "503 Service Unavailable", "req-3");
    // region-1 loading and region-3 stale: a line each under the table
    let text = screen(&app);
    assert!(text.contains("region-3: stale"), "{text}");
    let drawn: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("app-"))
        .map(|(y, _)| y)
        .collect();
    assert_eq!(drawn.len(), app.table_height(), "{text}");
    let last = *drawn.last().unwrap();
    app.update(Msg::Mouse(Mouse {
        kind: MouseKind::Click,
        column: 60,
        row: last as u16,
    }));
    let name = app.servers.selected_row().map(|r| r.name().to_owned());
    assert_eq!(name, Some(format!("app-{:02}", drawn.len() - 1)));
}
