//! `AppState::update` for `:hosts`, `Enter` on a host, `:columns`, and the HOST/TAGS columns.

use crossterm::event::KeyCode;

use crate::read::source::View;
use crate::tui::app::{AppState, Msg};
use crate::tui::list::rows::ServerFields;
use crate::tui::test_console::{
    assert_says, console_with, dialog_open, fetches, message, press, press_code, screen, server,
    type_text,
};

fn placed(i: usize, name: &str, status: &str, host: &str, tags: &[&str]) -> ServerFields {
    ServerFields {
        host: host.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        vcpus: 2,
        ram_mb: 4096,
        ..server(i, name, status, "region-1a")
    }
}

fn command(app: &mut AppState, line: &str) -> Vec<crate::tui::app::Effect> {
    press(app, ':');
    type_text(app, line);
    press_code(app, KeyCode::Enter)
}

fn placed_console() -> AppState {
    console_with(
        false,
        vec![
            placed(1, "web-01", "ACTIVE", "hv-a-001", &["env=prod", "app=web"]),
            placed(2, "web-02", "SHUTOFF", "hv-a-002", &["env=test"]),
            placed(3, "db-01", "ACTIVE", "hv-a-001", &["env=prod", "app=db"]),
            placed(4, "web-03", "ACTIVE", "hv-a-002", &[]),
        ],
    )
}

#[test]
fn hosts_are_made_of_the_servers_read_and_enter_shows_a_hosts_servers() {
    let mut app = placed_console();
    // No read of its own: the servers are read already.
    assert!(fetches(&command(&mut app, "hosts")).is_empty());
    assert_eq!(app.view, View::Hosts);
    let s = screen(&app);
    assert!(s.contains("Hyper-V hosts"), "{s}");
    let line = s
        .lines()
        .find(|l| l.contains("hv-a-001"))
        .unwrap_or_default();
    // 2 servers, 2 running, 4 vCPU, 8 GB
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(
        words.windows(5).any(|w| w == ["2", "2", "4", "8", "GB"]),
        "{line}"
    );
    press(&mut app, 'j');
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.view, View::Servers);
    assert_eq!(app.servers.query(), "host:hv-a-002");
    let names: Vec<&str> = (0..app.servers.len())
        .filter_map(|i| app.servers.page(100).nth(i).map(|(_, r)| r.name()))
        .collect();
    assert_eq!(names, ["web-02", "web-03"]);
}

#[test]
fn a_gateway_without_hosts_is_said_once() {
    let mut app = console_with(false, vec![server(1, "a", "ACTIVE", "region-1a")]);
    command(&mut app, "hosts");
    let s = screen(&app);
    assert_eq!(
        s.matches("the gateway does not return hosts").count(),
        1,
        "{s}"
    );
    // Some with a host, some without: the rows, and one word in the title.
    let mut app = placed_console();
    app.servers.set_rows(
        vec![
            crate::tui::list::rows::ServerRow::new(placed(1, "a", "ACTIVE", "hv-1", &[])),
            crate::tui::list::rows::ServerRow::new(server(2, "b", "ACTIVE", "region-1a")),
        ],
        chrono::Local::now(),
    );
    command(&mut app, "hosts");
    let s = screen(&app);
    assert_eq!(app.hosts.len(), 1);
    assert_eq!(
        s.matches("the gateway does not return hosts").count(),
        1,
        "{s}"
    );
}

#[test]
fn columns_show_host_and_tags_and_filters_use_them() {
    let mut app = placed_console();
    app.update(Msg::Resize(140, 30));
    assert!(!screen(&app).contains("HOST"));
    command(&mut app, "columns host,tags");
    let s = screen(&app);
    assert!(
        s.contains("HOST") && s.contains("TAGS") && s.contains("hv-a-001"),
        "{s}"
    );
    assert!(s.contains("env=prod app=web"), "{s}");
    command(&mut app, "columns none");
    assert!(!screen(&app).contains("HOST"));
    command(&mut app, "columns");
    assert_says(&app, "shown: none");
    // Hidden or not, a filter reads them.
    press(&mut app, '/');
    type_text(&mut app, "tag:env=prod");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.servers.len(), 2);
    press(&mut app, '/');
    for _ in 0..20 {
        press_code(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "tag:app host:hv-a-001");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.servers.len(), 2);
}

#[test]
fn t_edits_the_tags_of_the_marked_servers_through_the_runner() {
    use crate::runner::Op;
    use crate::tui::dialog::tags::TagsDialog;
    use crate::tui::test_console::submitted;
    let mut app = placed_console();
    // One server: its tags are shown.
    press(&mut app, 'T');
    let d = dialog_open::<TagsDialog>(&app);
    assert_eq!(d.current, ["env=prod", "app=web"]);
    press_code(&mut app, KeyCode::Esc);
    // Three marked: one op for the three.
    for _ in 0..3 {
        press(&mut app, ' ');
    }
    press(&mut app, 'T');
    type_text(&mut app, "owner=ops -app");
    let fx = press_code(&mut app, KeyCode::Enter);
    let ops = submitted(&fx);
    assert_eq!(ops.len(), 1, "{fx:?}");
    let Op::Tags { servers, change } = &ops[0].0 else {
        panic!("{ops:?}");
    };
    assert_eq!(servers.len(), 3);
    assert_eq!(change.describe(), "+owner=ops -app");
    // Read-only: nothing opens, and it says why.
    let mut ro = console_with(true, vec![placed(1, "a", "ACTIVE", "hv-1", &[])]);
    assert!(press(&mut ro, 'T').is_empty());
    assert!(message(&ro).contains("read-only"), "{}", message(&ro));
}

#[test]
fn a_server_in_error_is_offered_only_what_it_takes_and_other_keys_say_why() {
    let hints =
        |app: &AppState| -> String { screen(app).lines().last().unwrap_or_default().to_owned() };
    let mut app = console_with(
        false,
        vec![
            server(1, "sql-07", "ERROR", "region-1a"),
            server(2, "web-01", "ACTIVE", "region-1a"),
        ],
    );
    let bar = hints(&app);
    assert!(
        bar.contains("hard stop") && bar.contains("hard reboot") && bar.contains("delete"),
        "{bar}"
    );
    assert!(!bar.contains(" start ") && !bar.contains("> stop"), "{bar}");
    assert!(!bar.contains("image") && !bar.contains("attach"), "{bar}");
    for key in ['x', 's', 'r', 'z'] {
        let fx = press(&mut app, key);
        assert!(fx.is_empty(), "{key}: {fx:?}");
        assert!(
            message(&app).contains(crate::runner::precondition::IN_ERROR),
            "{key}: {}",
            message(&app)
        );
    }
    // `X` on it: the confirmation of a hard stop.
    press(&mut app, 'X');
    assert!(matches!(app.mode, crate::tui::app::Mode::Dialog(_)));
    press_code(&mut app, KeyCode::Esc);
    // An ACTIVE server: the usual bar.
    press(&mut app, 'j');
    let bar = hints(&app);
    assert!(bar.contains("stop") && !bar.contains("hard stop"), "{bar}");
}
