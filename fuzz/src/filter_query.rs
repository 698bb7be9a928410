//! A `/` filter query typed into the server list: the list's view (one scan of every row's text,
//! then the rows; narrowing and backspace reuse earlier views) must be exactly the rows the query
//! matches one by one.
//!
//! Input: the first line is the query; each further line is a server row, its cells separated by
//! tabs (name, status, task, az, flavor, ip, image, created, id); no rows: a few fixed ones.

use std::collections::HashMap;

use chrono::Local;
use hvecs::tui::list::ListState;
use hvecs::tui::list::filter::Query;
use hvecs::tui::list::rows::{Row, SERVER_COLUMNS, ServerFields, ServerRow};

const MAX_ROWS: usize = 16;

const ROWS: &[&str] = &[
    "web-01\tACTIVE\t\taz1\tc6.large.2\t192.168.0.10\tCentOS 7.9\t2026-11-25 14:03\tid-1",
    "web-02\tSHUTOFF\tpowering-on\taz2\tc6.xlarge.4\t192.168.0.11\tUbuntu 22.04\t2026-11-26 09:00\tid-2",
    "db-01\tERROR\t\taz1\tm6.2xlarge.8\t10.0.0.5\tWindows Server 2019\t2025-01-01 00:00\tid-3",
    "Ünïcode-Σ\tBUILD\tspawning\tAZ-Ω\tc6.large.2\tfe80::1\t\t\tid-4",
];

pub fn run(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split('\n');
    let query = lines.next().unwrap_or_default();
    let mut given: Vec<&str> = lines.take(MAX_ROWS).collect();
    if given.is_empty() {
        given = ROWS.to_vec();
    }
    let rows: Vec<ServerRow> = given.iter().map(|l| row(l)).collect();
    let lower: Vec<String> = rows
        .iter()
        .map(|r| r.cells().joined().to_lowercase())
        .collect();

    let mut oracle = Oracle {
        lower,
        seen: HashMap::new(),
    };
    let mut list = ListState::default();
    list.set_rows(rows.clone(), Local::now());
    // The last character typed (the view narrows from the one before), then erased again (the
    // earlier view comes back from the history).
    let before = query
        .char_indices()
        .next_back()
        .map_or("", |(i, _)| &query[..i]);
    for q in [before, query, before] {
        let was = list.query().to_owned();
        match list.set_query(q) {
            Ok(()) => {
                list.finish();
                assert_eq!(shown(&list), oracle.rows(q, None), "the view of {q:?}");
            }
            Err(e) => {
                let _ = e.to_string();
                assert_eq!(list.query(), was, "a refused query changed the filter");
            }
        }
    }
    // Scoped to the first row's AZ, then sorted: still exactly the matching rows of that AZ.
    let az = rows[0].cells().get(az_column()).to_owned();
    list.set_az(Some(&az));
    list.finish();
    let q = list.query().to_owned();
    let want = oracle.rows(&q, Some(&az.to_lowercase()));
    assert_eq!(shown(&list), want, "the view of {q:?} in AZ {az:?}");
    list.sort_next();
    list.finish();
    let (mut shown, mut want) = (shown(&list), want);
    shown.sort();
    want.sort();
    assert_eq!(shown, want, "sorting changed which rows are shown");
}

fn row(line: &str) -> ServerRow {
    let mut c = line.split('\t').map(str::to_owned);
    let mut next = || c.next().unwrap_or_default();
    ServerRow::new(ServerFields {
        name: next(),
        status: next(),
        task_state: next(),
        az: next(),
        flavor: next(),
        ip: next(),
        image: next(),
        created: next(),
        id: next(),
        region: next(),
        host: next(),
        tags: next().split(' ').map(str::to_owned).collect(),
        ..ServerFields::default()
    })
}

/// Where the AZ is among a server row's cells.
fn az_column() -> usize {
    SERVER_COLUMNS
        .iter()
        .position(|c| c.header == "AZ")
        .unwrap_or_default()
}

/// The lowercase text of every row the list shows, in order.
fn shown(list: &ListState<ServerRow>) -> Vec<String> {
    list.page(usize::MAX)
        .map(|(_, r)| r.cells().joined().to_lowercase())
        .collect()
}

/// Which rows a query matches, one row at a time (`Query::matches`), each query parsed once.
struct Oracle {
    /// Each row's lowercase text.
    lower: Vec<String>,
    seen: HashMap<String, Vec<bool>>,
}

impl Oracle {
    /// The lowercase text of the rows `q` matches (in `az`, when given), in their order.
    fn rows(&mut self, q: &str, az: Option<&str>) -> Vec<String> {
        let lower = &self.lower;
        let hits = self.seen.entry(q.to_owned()).or_insert_with(|| {
            let query = Query::parse(q, SERVER_COLUMNS).ok();
            let hit = |r: &String| query.as_ref().is_some_and(|q| q.matches(r));
            lower.iter().map(hit).collect()
        });
        lower
            .iter()
            .zip(hits.iter())
            .filter(|(r, hit)| {
                **hit && az.is_none_or(|az| r.split('\n').nth(az_column()) == Some(az))
            })
            .map(|(r, _)| r.clone())
            .collect()
    }
}
