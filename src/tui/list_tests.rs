//! Tests of `ListState`: filter, sort, AZ scope, marks, merge and scrolling.

use super::*;
use crate::tui::rows::{ServerFields, ServerRow};

fn server(name: &str, status: &str, az: &str) -> ServerRow {
    ServerRow::new(&ServerFields {
        id: format!("id-{name}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        ..Default::default()
    })
}

fn list() -> ListState<ServerRow> {
    let mut l = ListState::default();
    l.set_rows(
        vec![
            server("web-02", "SHUTOFF", "az-b"),
            server("web-01", "ACTIVE", "az-a"),
            server("db-01", "ACTIVE", "az-b"),
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
fn merge_replaces_by_id_and_drops_the_missing() {
    let mut l = list();
    l.select(2, 10);
    let asked = vec!["id-web-02".to_owned(), "id-db-01".to_owned()];
    l.merge_rows(
        &asked,
        vec![server("web-02", "ACTIVE", "az-b")],
        Local::now(),
    );
    assert_eq!(names(&l), ["web-02", "web-01"]);
    assert_eq!(
        l.page(9).next().unwrap().1.status(),
        crate::tui::rows::StatusClass::Active
    );
    assert_eq!(l.selected(), 1, "the selection is clamped to the rows left");
}

#[test]
fn scrolling_keeps_the_selection_on_the_page() {
    let mut l = ListState::default();
    l.set_rows(
        (0..50)
            .map(|i| server(&format!("s{i:02}"), "ACTIVE", "a"))
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
            .map(|(i, n)| server(&format!("{n}{i}"), if i % 2 == 0 { "ACTIVE" } else { "SHUTOFF" }, "a"))
            .collect();
        let mut l = ListState::default();
        l.set_rows(rows, Local::now());
        let q = Query::parse(&query, crate::tui::rows::SERVER_COLUMNS).unwrap();
        let expected: Vec<u32> = (0..l.rows.len() as u32)
            .filter(|&i| q.matches(l.text(i as usize)))
            .collect();
        proptest::prop_assert_eq!(l.compute_view(&l.order.clone(), &q), expected);
    }
}
