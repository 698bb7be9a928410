//! k9s's habits (issue 19): the `:` and `/` lines' history, `Esc` back from a `:` list, Shift and
//! a column's letter to sort, an invalid filter entered, the count in an AZ.

use crossterm::event::KeyCode;

use crate::read::source::View;
use crate::tui::app::{AppState, Effect, Focus, Level, Msg};
use crate::tui::keymap::Key;
use crate::tui::list::any::AnyList;
use crate::tui::test_console::{
    assert_says, console, message, press, press_code, stop_op, task_news, task_of, type_text,
};

fn enter(app: &mut AppState, prefix: char, line: &str) -> Vec<Effect> {
    press(app, prefix);
    press_code(app, KeyCode::Backspace);
    app.update(Msg::Key(Key::ctrl('u')));
    type_text(app, line);
    press_code(app, KeyCode::Enter)
}

fn line(app: &AppState) -> String {
    match &app.mode {
        crate::tui::app::Mode::Filter(i) | crate::tui::app::Mode::Command(i) => i.text.clone(),
        _ => String::new(),
    }
}

#[test]
fn up_and_down_at_the_filter_line_bring_back_earlier_filters_and_apply_them() {
    let mut app = console(false);
    enter(&mut app, '/', "web");
    enter(&mut app, '/', "status:active");
    enter(&mut app, '/', "status:active");
    press(&mut app, '/');
    app.update(Msg::Key(Key::ctrl('u')));
    type_text(&mut app, "ca");
    press_code(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "status:active");
    assert_eq!(
        app.servers.query(),
        "status:active",
        "applied as it comes back"
    );
    press_code(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "web", "no twin in a row");
    press_code(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "web", "the oldest stays");
    press_code(&mut app, KeyCode::Down);
    press_code(&mut app, KeyCode::Down);
    assert_eq!(line(&app), "ca", "the line being typed comes back");
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.filter_recall.entries(), ["web", "status:active"]);
}

#[test]
fn up_at_the_command_line_brings_back_earlier_commands() {
    let mut app = console(false);
    enter(&mut app, ':', "az region-1a");
    enter(&mut app, ':', "servers");
    press(&mut app, ':');
    press_code(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "servers");
    press_code(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "az region-1a");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        app.az.as_deref(),
        Some("region-1a"),
        "the recalled command ran"
    );
    assert_eq!(
        app.command_recall.entries(),
        ["az region-1a", "servers", "az region-1a"]
    );
}

#[test]
fn esc_leaves_a_colon_list_back_to_the_list_pane_and_row_the_person_was_on() {
    let mut app = console(false);
    press(&mut app, 'j');
    press(&mut app, 'j');
    enter(&mut app, ':', "flavors");
    assert_eq!(app.view, View::Flavors);
    enter(&mut app, ':', "quotas");
    assert_eq!(app.view, View::Quotas);
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(
        app.view,
        View::Servers,
        "back through both to where it began"
    );
    assert_eq!(app.servers.selected(), 2);
    assert_eq!(app.focus, Focus::Main);
    // From the AZs pane: back to it.
    app.focus = Focus::Azs;
    enter(&mut app, ':', "networks");
    assert_eq!(app.focus, Focus::Main);
    press_code(&mut app, KeyCode::Esc);
    assert_eq!((app.view, app.focus), (View::Servers, Focus::Azs));
    // A list shown by its key forgets the way back.
    enter(&mut app, ':', "flavors");
    press(&mut app, '2');
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.view, View::Images);
}

#[test]
fn esc_on_a_colon_list_clears_its_filter_first() {
    let mut app = console(false);
    enter(&mut app, ':', "flavors");
    app.current().set_query("s3").ok();
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.view, View::Flavors, "the filter went first");
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.view, View::Servers);
}

#[test]
fn shift_and_a_column_s_letter_sorts_by_it_and_again_reverses() {
    let mut app = console(false);
    press(&mut app, 'N');
    assert_eq!(app.servers.sort_label(), Some(("name", false)));
    app.servers.select(0, 10);
    let first = app
        .servers
        .page(10)
        .next()
        .map(|(_, r)| r.name().to_owned());
    assert_eq!(first.as_deref(), Some("cache-01"));
    press(&mut app, 'N');
    assert_eq!(app.servers.sort_label(), Some(("name", true)));
    press(&mut app, 'S');
    assert_eq!(app.servers.sort_label(), Some(("status", false)));
    // X stays hard stop (on cache-01, BUILD: it says why not); it sorts nothing.
    press(&mut app, 'X');
    assert_eq!(app.servers.sort_label(), Some(("status", false)));
    assert!(
        matches!(app.mode, crate::tui::app::Mode::Dialog(_)) || !message(&app).is_empty(),
        "hard stop answered"
    );
}

#[test]
fn o_goes_round_the_columns_drawn_only() {
    let mut app = console(false);
    let round = |app: &mut AppState| -> Vec<&'static str> {
        (0..app.servers.columns().len())
            .filter_map(|_| {
                press(app, 'o');
                app.servers.sort_label().map(|(field, _)| field)
            })
            .collect()
    };
    let fields = round(&mut app);
    for hidden in ["host", "tag", "region"] {
        assert!(
            !fields.contains(&hidden),
            "o sorted by {hidden}, not drawn: {fields:?}"
        );
    }
    assert!(
        fields.contains(&"name") && fields.contains(&"id"),
        "{fields:?}"
    );
    enter(&mut app, ':', "columns host");
    let fields = round(&mut app);
    assert!(fields.contains(&"host"), "{fields:?}");
    assert!(!fields.contains(&"tag"), "{fields:?}");
}

#[test]
fn the_header_underlines_each_column_s_letter() {
    let mut app = console(false);
    app.update(Msg::Resize(100, 30));
    let area = ratatui::layout::Rect::new(0, 0, 100, 30);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let styles = crate::tui::theme::Styles::builtin("default", false);
    crate::tui::views::draw(&app, &styles, area, &mut buf);
    let rows = app.layout().table;
    let underlined: String = (rows.x..rows.right())
        .filter(|&x| {
            buf[(x, rows.y)]
                .modifier
                .contains(ratatui::style::Modifier::UNDERLINED)
        })
        .map(|x| buf[(x, rows.y)].symbol().to_owned())
        .collect();
    // T is the tags key: TASK takes its next free letter.
    assert!(underlined.starts_with("NSA"), "{underlined}");
}

#[test]
fn an_invalid_filter_entered_leaves_the_one_before_and_says_why() {
    let mut app = console(false);
    enter(&mut app, '/', "web");
    assert_eq!(app.servers.len(), 3);
    enter(&mut app, '/', "foo:bar");
    assert_eq!(
        app.servers.query(),
        "web",
        "not \"foo\", the prefix that parsed"
    );
    assert_eq!(app.servers.len(), 3);
    let said = message(&app);
    assert!(said.contains("no field \"foo\""), "{said}");
    assert!(said.contains("the filter stays \"web\""), "{said}");
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Error));
    enter(&mut app, '/', "");
    enter(&mut app, '/', "foo:bar");
    assert_eq!(app.servers.query(), "");
    assert_says(&app, "no filter");
}

#[test]
fn the_filter_count_is_out_of_the_rows_in_the_az() {
    let mut app = console(false);
    app.choose_az(Some("region-1a".into()));
    enter(&mut app, '/', "web-01");
    let s = crate::tui::test_console::screen(&app);
    let title = s.lines().nth(1).unwrap_or_default();
    assert!(title.contains("1/2"), "2 servers in region-1a: {title}");
    assert_eq!(app.servers.in_scope(), 2);
    app.choose_az(None);
    assert_eq!(app.servers.in_scope(), 5);
}

/// The console describing web-01, its detail answered with `lines` fields and a JSON.
fn describing(lines: usize) -> AppState {
    use crate::read::source::{Detail, DetailLine, Payload};
    let mut app = console(false);
    let fx = press_code(&mut app, KeyCode::Enter);
    let what = crate::tui::test_console::fetches(&fx)[0].what.clone();
    let detail = Detail {
        lines: (0..lines)
            .map(|i| {
                let v = if i % 10 == 7 { "Windows" } else { "x" };
                DetailLine::Field(format!("field{i}"), v.to_owned())
            })
            .collect(),
        raw_json: "{\n  \"a\": 1,\n  \"os\": \"windows\"\n}".to_owned(),
    };
    crate::tui::test_console::answer_read(&mut app, &fx, &what, Payload::Detail(detail));
    app
}

fn describe(app: &AppState) -> &crate::tui::app::Describe {
    match &app.mode {
        crate::tui::app::Mode::Describe(d) => d,
        m => panic!("not a describe: {m:?}"),
    }
}

#[test]
fn slash_in_a_describe_finds_lines_and_n_and_shift_n_go_round_them() {
    let mut app = describing(40);
    press(&mut app, '/');
    type_text(&mut app, "WINDOWS");
    let s = crate::tui::test_console::screen(&app);
    assert!(s.contains(" /WINDOWS"), "the line typed: {s}");
    press_code(&mut app, KeyCode::Enter);
    let d = describe(&app);
    let current = d.find.as_ref().and_then(|f| f.current);
    assert_eq!(current, Some(7), "field7 holds Windows");
    assert_eq!(d.scroll, 5, "two lines above it");
    assert_says(&app, "1 of 4");
    press(&mut app, 'n');
    assert_eq!(
        describe(&app).find.as_ref().and_then(|f| f.current),
        Some(17)
    );
    press(&mut app, 'N');
    press(&mut app, 'N');
    assert_eq!(
        describe(&app).find.as_ref().and_then(|f| f.current),
        Some(37),
        "round the start to the last"
    );
    // Drawn: the match stands out.
    app.update(Msg::Resize(100, 30));
    let area = ratatui::layout::Rect::new(0, 0, 100, 30);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let styles = crate::tui::theme::Styles::builtin("default", false);
    crate::tui::views::draw(&app, &styles, area, &mut buf);
    let lit: Vec<String> = (0..30)
        .map(|y| {
            (0..100)
                .filter(|&x| {
                    buf[(x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::UNDERLINED)
                })
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect()
        })
        .filter(|l: &String| !l.is_empty())
        .collect();
    assert_eq!(lit, ["Windows"], "the current match, as drawn");
    // Esc ends the search, then leaves the describe.
    press_code(&mut app, KeyCode::Esc);
    assert!(describe(&app).find.is_none());
    press_code(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, crate::tui::app::Mode::Normal));
}

#[test]
fn the_search_works_in_the_raw_json_and_says_when_nothing_matches() {
    let mut app = describing(3);
    press(&mut app, 'J');
    assert!(describe(&app).raw);
    press(&mut app, '/');
    type_text(&mut app, "\"os\"");
    press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        describe(&app).find.as_ref().and_then(|f| f.current),
        Some(2)
    );
    press(&mut app, '/');
    app.update(Msg::Key(Key::ctrl('u')));
    type_text(&mut app, "linux");
    press_code(&mut app, KeyCode::Enter);
    assert_says(&app, "no line holds \"linux\"");
}

#[test]
fn y_only_confirms_and_j_shows_the_raw_json() {
    let mut app = console(false);
    let fx = press(&mut app, 'y');
    assert!(fx.is_empty(), "{fx:?}");
    assert!(matches!(app.mode, crate::tui::app::Mode::Normal));
    assert_says(&app, "J shows the raw JSON");
    // x then y: the dialog's confirm, as ux.md has it.
    press(&mut app, 'x');
    assert!(matches!(app.mode, crate::tui::app::Mode::Dialog(_)));
    let fx = press(&mut app, 'y');
    assert_eq!(crate::tui::test_console::submitted(&fx).len(), 1);
    press(&mut app, 'J');
    assert!(describe(&app).raw);
}

#[test]
fn a_queued_message_goes_when_its_task_ends() {
    use crate::runner::{EventKind, Priority, TaskState};
    let mut app = console(false);
    let op = stop_op(&[("id-1", "web-01")]);
    let mut task = task_of(op, Priority::Interactive);
    app.update(Msg::Submitted(Ok(std::sync::Arc::new(task.clone()))));
    assert_eq!(message(&app), "queued: stop web-01");
    task.state = TaskState::Running;
    task_news(&mut app, EventKind::Progress, &task);
    assert_eq!(message(&app), "queued: stop web-01", "still on its way");
    let mut other = task.clone();
    other.id = crate::runner::TaskId::parse("t00000000aa").unwrap_or(other.id);
    other.state = TaskState::Succeeded;
    task_news(&mut app, EventKind::Succeeded, &other);
    assert_eq!(message(&app), "queued: stop web-01", "another task's end");
    task.state = TaskState::Succeeded;
    task_news(&mut app, EventKind::Succeeded, &task);
    assert_eq!(app.message, None, "its task ended: the line is stale");
    // A message said since stays.
    let mut next = task.clone();
    next.id = crate::runner::TaskId::parse("t00000000bb").unwrap_or(next.id);
    next.state = TaskState::Queued;
    app.update(Msg::Submitted(Ok(std::sync::Arc::new(next.clone()))));
    press(&mut app, 'y');
    next.state = TaskState::Succeeded;
    task_news(&mut app, EventKind::Succeeded, &next);
    assert_says(&app, "confirms");
}

#[test]
fn in_read_only_every_change_key_says_why_and_sends_nothing() {
    // Images' keys (with an image listed) are in `images_tests`.
    for (list, keys) in [('1', "sxXrRDezicad"), ('4', "ceDad+"), ('5', "Ct")] {
        for k in keys.chars() {
            let mut app = console(true);
            press(&mut app, list);
            let fx = press(&mut app, k);
            assert!(fx.is_empty(), "{list} {k}: {fx:?}");
            assert!(
                matches!(app.mode, crate::tui::app::Mode::Normal),
                "{list} {k}: no dialog"
            );
            assert!(
                message(&app).starts_with("read-only:"),
                "{list} {k}: {}",
                message(&app)
            );
        }
    }
}
