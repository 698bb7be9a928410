//! Tests of `ListState`: filter, sort, AZ scope, marks, merge and scrolling.

use super::rows::ServerRow;
use super::*;
use crate::tui::test_console::server_row;

fn list() -> ListState<ServerRow> {
    let mut l = ListState::default();
    l.set_rows(
        vec![
            server_row("web-02", "SHUTOFF", "az-b"),
            server_row("web-01", "ACTIVE", "az-a"),
            server_row("db-01", "ACTIVE", "az-b"),
        ],
        Local::now(),
    );
    l
}

fn names(l: &ListState<ServerRow>) -> Vec<String> {
    l.page(100).map(|(_, r)| r.name().to_owned()).collect()
}

#[test]
fn filter_narrows_and_backspace_restores() {
    let mut l = list();
    l.set_query("w").unwrap();
    l.set_query("we").unwrap();
    l.set_query("web-0").unwrap();
    assert_eq!(names(&l), ["web-02", "web-01"]);
    l.set_query("web-01").unwrap();
    assert_eq!(names(&l), ["web-01"]);
    l.set_query("web-0").unwrap();
    assert_eq!(names(&l), ["web-02", "web-01"]);
    l.set_query("").unwrap();
    assert_eq!(l.len(), 3);
    assert!(l.set_query("~(").is_err());
    assert_eq!(l.len(), 3, "a bad query leaves the view alone");
}

#[test]
fn sort_and_reverse_keep_the_selected_row() {
    let mut l = list();
    l.select(1, 10);
    assert_eq!(l.selected_row().unwrap().name(), "web-01");
    l.sort_next();
    assert_eq!(names(&l), ["db-01", "web-01", "web-02"]);
    assert_eq!(l.selected_row().unwrap().name(), "web-01");
    l.sort_reverse();
    assert_eq!(names(&l), ["web-02", "web-01", "db-01"]);
    l.sort_next();
    assert_eq!(l.sort().unwrap().column, 1);
    assert_eq!(names(&l), ["db-01", "web-01", "web-02"]);
}

#[test]
fn az_scope_and_filter_combine() {
    let mut l = list();
    l.set_az(Some("AZ-B"));
    assert_eq!(names(&l), ["web-02", "db-01"]);
    l.set_query("web").unwrap();
    assert_eq!(names(&l), ["web-02"]);
    l.set_az(None);
    assert_eq!(names(&l), ["web-02", "web-01"]);
}

#[test]
fn marks_toggle_mark_all_and_clear() {
    let mut l = list();
    l.toggle_mark();
    assert!(l.is_marked("id-web-02"));
    l.toggle_mark();
    assert_eq!(l.marked(), 0);
    l.set_query("web").unwrap();
    l.mark_shown();
    assert_eq!(l.marked(), 2);
    assert!(!l.is_marked("id-db-01"));
    l.clear_marks();
    assert_eq!(l.marked(), 0);
}

#[test]
fn marked_rows_come_in_list_order_and_follow_pages_added() {
    let mut l = list();
    l.set_query("").unwrap();
    l.mark_shown();
    let names = |l: &ListState<ServerRow>| -> Vec<String> {
        l.marked_rows()
            .iter()
            .map(|r| r.name().to_owned())
            .collect()
    };
    assert_eq!(names(&l), ["web-02", "web-01", "db-01"]);
    l.append_rows(vec![server_row("app-01", "ERROR", "az-a")], 10);
    l.set_query("app").unwrap();
    l.mark_shown();
    assert_eq!(names(&l), ["web-02", "web-01", "db-01", "app-01"]);
    let mut unordered: Vec<&str> = l.marked_rows_unordered().map(|r| r.name()).collect();
    unordered.sort_unstable();
    assert_eq!(unordered, ["app-01", "db-01", "web-01", "web-02"]);
    // a refresh that finds a marked row gone drops its mark
    l.merge_rows(&["id-web-01".to_owned()], Vec::new(), Local::now());
    assert_eq!(names(&l), ["web-02", "db-01", "app-01"]);
}

#[test]
fn merge_replaces_by_id_and_drops_the_missing() {
    let mut l = list();
    l.select(2, 10);
    let asked = vec!["id-web-02".to_owned(), "id-db-01".to_owned()];
    l.merge_rows(
        &asked,
        vec![server_row("web-02", "ACTIVE", "az-b")],
        Local::now(),
    );
    assert_eq!(names(&l), ["web-02", "web-01"]);
    assert_eq!(
        l.page(9).next().unwrap().1.status(),
        crate::tui::list::rows::StatusClass::Active
    );
    assert_eq!(l.selected(), 1, "the selection is clamped to the rows left");
}

#[test]
fn scrolling_keeps_the_selection_on_the_page() {
    let mut l = ListState::default();
    l.set_rows(
        (0..50)
            .map(|i| server_row(&format!("s{i:02}"), "ACTIVE", "a"))
            .collect(),
        Local::now(),
    );
    l.move_by(12, 10);
    assert_eq!((l.selected(), l.offset()), (12, 3));
    l.move_by(-5, 10);
    assert_eq!((l.selected(), l.offset()), (7, 3));
    l.move_by(1000, 10);
    assert_eq!((l.selected(), l.offset()), (49, 40));
    assert_eq!(l.page_ids(10).len(), 10);
    l.move_by(-1000, 10);
    assert_eq!((l.selected(), l.offset()), (0, 0));
}

proptest::proptest! {
    /// Searching all rows at once finds exactly the rows a row-by-row check finds.
    #[test]
    fn the_scan_agrees_with_a_row_by_row_check(
        names in proptest::collection::vec("[abw][a-c-]{0,4}", 1..40),
        query in r"(!?[abw-]{1,3}|~[ab]{1,2}\\s\*|~\^[ab]|~c\$|~[0-9]\\s\+[a-z]|~[aAbBS]{1,3}[0-9]?|~\^\([aA]\|Sh\)|~\\s\+[abw]|~\\A[ab]|~e\\z|~\(\?-m\)[0-9]\$|~\[\^a\]\*|status:[as]{1,2})( [abw]{1,2})?",
    ) {
        let rows: Vec<ServerRow> = names
            .iter()
            .enumerate()
            .map(|(i, n)| server_row(&format!("{n}{i}"), if i % 2 == 0 { "ACTIVE" } else { "SHUTOFF" }, "a"))
            .collect();
        let mut l = ListState::default();
        l.set_rows(rows, Local::now());
        let q = Query::parse(&query, crate::tui::list::rows::SERVER_COLUMNS).unwrap();
        let expected: Vec<u32> = (0..l.rows.len() as u32)
            .filter(|&i| q.matches(l.text().row(i as usize)))
            .collect();
        l.set_query(&query).unwrap();
        l.finish();
        proptest::prop_assert_eq!(&l.view, &expected);
    }
}

/// A list with `rows`, sorted and filtered as asked, its view complete.
fn listed(rows: Vec<ServerRow>, sort: bool, az: bool, query: &str) -> ListState<ServerRow> {
    let mut l = ListState::default();
    l.set_rows(rows, Local::now());
    if sort {
        l.sort_next();
        l.sort_next(); // by status
    }
    if az {
        l.set_az(Some("az-b"));
    }
    l.set_query(query).unwrap();
    l.finish();
    l
}

proptest::proptest! {
    /// Merging a refresh of some rows gives the list that reading every row would give.
    #[test]
    fn a_merged_refresh_equals_a_full_read(
        statuses in proptest::collection::vec(0usize..3, 1..30),
        changes in proptest::collection::vec((0usize..30, 0usize..3, proptest::bool::ANY), 0..6),
        sort in proptest::bool::ANY,
        az in proptest::bool::ANY,
        query in proptest::sample::select(&["", "status:active", "web", "~^db", "!shut"][..]),
    ) {
        const STATUS: [&str; 3] = ["ACTIVE", "SHUTOFF", "BUILD"];
        let rows: Vec<ServerRow> = statuses
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let name = format!("{}-{i:02}", if i % 3 == 0 { "db" } else { "web" });
                server_row(&name, STATUS[s], if i % 2 == 0 { "az-a" } else { "az-b" })
            })
            .collect();
        let mut merged = listed(rows.clone(), sort, az, query);
        merged.select(statuses.len() / 2, 10);
        let before = merged.selected_id();
        // the refresh asks for some rows and gets them back, some changed, some moved to az-b
        let mut asked = Vec::new();
        let mut fresh = Vec::new();
        let mut all = rows.clone();
        for (k, s, move_az) in changes {
            let i = k % rows.len();
            let name = rows[i].name().to_owned();
            if asked.contains(&format!("id-{name}")) {
                continue;
            }
            let zone = if move_az { "az-b" } else { rows[i].field("az") };
            let new = server_row(&name, STATUS[s], zone);
            asked.push(format!("id-{name}"));
            fresh.push(new.clone());
            all[i] = new;
        }
        merged.merge_rows(&asked, fresh, Local::now());
        merged.finish();
        let read = listed(all, sort, az, query);
        proptest::prop_assert_eq!(merged.all_rows(), read.all_rows());
        let view = |l: &ListState<ServerRow>| l.view.iter().map(|&i| l.rows[i as usize].name().to_owned()).collect::<Vec<_>>();
        proptest::prop_assert_eq!(view(&merged), view(&read));
        proptest::prop_assert_eq!(&merged.hay, &read.hay);
        if let Some(id) = before
            && read.view.iter().any(|&i| read.rows[i as usize].id() == id)
        {
            proptest::prop_assert_eq!(merged.selected_id(), Some(id), "the selection stays on its row");
        }
    }
}

#[test]
fn a_refresh_that_changes_nothing_leaves_the_list_as_it_was() {
    let mut l = list();
    l.set_query("web").unwrap();
    l.select(1, 10);
    let hay = l.hay.as_ptr();
    let rows: Vec<ServerRow> = l.page(10).map(|(_, r)| r.clone()).collect();
    let asked: Vec<String> = rows.iter().map(|r| r.id().to_owned()).collect();
    l.merge_rows(&asked, rows, Local::now());
    assert_eq!(l.hay.as_ptr(), hay, "the text is not written again");
    assert_eq!(names(&l), ["web-02", "web-01"]);
    assert_eq!(l.selected(), 1);
}
