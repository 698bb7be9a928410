//! The `/` filter's parser alone, one parse an input (the `filter_query` target drives the whole
//! list and compiles each regex five times): whatever is typed parses or is refused with a message,
//! and the scan the list searches all rows with never misses a row the query matches.
//!
//! Input: the first line is the query; each further line is a row's lowercase text, its cells
//! separated by tabs; no rows: a few fixed ones.

use hvecs::tui::list::filter::Query;
use hvecs::tui::list::rows::SERVER_COLUMNS;

const MAX_ROWS: usize = 16;

const ROWS: &[&str] = &[
    "web-01\nactive\n\naz1\nc6.large.2\n192.168.0.10\ncentos 7.9\n2026-11-25 14:03\nid-1",
    "db-01\nerror\n\naz1\nm6.2xlarge.8\n10.0.0.5\nwindows server 2019\n2025-01-01 00:00\nid-3",
    "ünïcode-σ\nbuild\nspawning\naz-ω\nc6.large.2\nfe80::1\n\n\nid-4",
];

pub fn run(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split('\n');
    let query = lines.next().unwrap_or_default();
    let given: Vec<String> = lines
        .take(MAX_ROWS)
        .map(|l| l.replace('\t', "\n").to_lowercase())
        .collect();
    let rows: Vec<String> = if given.is_empty() {
        ROWS.iter().map(|r| (*r).to_owned()).collect()
    } else {
        given
    };
    let q = match Query::parse(query, SERVER_COLUMNS) {
        Ok(q) => q,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "a refusal says why");
            return;
        }
    };
    assert_eq!(q.text(), query, "the query keeps what was typed");
    assert!(q.narrows(&q), "a query narrows itself");
    assert!(
        q.narrows(&Query::default()),
        "every query narrows the empty one"
    );
    if q.is_empty() {
        assert!(
            rows.iter().all(|r| q.matches(r)),
            "an empty query matches every row"
        );
    }
    let Some((scan, only)) = q.scan() else {
        return;
    };
    // As the list searches: all rows' text at once, each row ended by a newline, a search from
    // each row's start. A matching row is always hit; a word alone decides without a check.
    let mut hay = String::new();
    let mut starts = vec![0];
    for row in &rows {
        hay.push_str(row);
        hay.push('\n');
        starts.push(hay.len());
    }
    for (i, row) in rows.iter().enumerate() {
        let (start, end) = (starts[i], starts[i + 1]);
        let hit = scan.find_at(&hay, start).is_some_and(|pos| pos < end);
        let matched = q.matches(row);
        if matched {
            assert!(hit, "the scan missed a matching row: {query:?} on {row:?}");
        }
        if only {
            assert_eq!(
                hit, matched,
                "a word's scan decided wrongly: {query:?} on {row:?}"
            );
        }
    }
}
