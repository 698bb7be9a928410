//! A `/` filter query typed into the server list: the list's view (one scan of every row's text,
//! then the rows; narrowing and backspace reuse earlier views) must be exactly the rows the query
//! matches one by one.
//!
//! Input: the first line is the query; each further line is a server row, its cells separated by
//! tabs (name, status, task, az, flavor, ip, image, created, id); no rows: a few fixed ones.

use chrono::Local;
use hvecs::tui::filter::Query;
use hvecs::tui::list::ListState;
use hvecs::tui::rows::{Row, SERVER_COLUMNS, ServerFields, ServerRow};

const MAX_ROWS: usize = 16;
/// The last characters of the query are typed one at a time, then erased again.
const TYPED: usize = 4;

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

    let mut list = ListState::default();
    list.set_rows(rows.clone(), Local::now());
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let ends = chars.iter().map(|(i, c)| i + c.len_utf8());
    let typed: Vec<&str> = ends.map(|end| &query[..end]).collect();
    let from = typed.len().saturating_sub(TYPED);
    let mut steps: Vec<&str> = Vec::new();
    if from > 0 {
        steps.push(typed[from - 1]);
    }
    steps.extend(&typed[from..]);
    steps.extend(typed[from..].iter().rev().skip(1));
    steps.extend(typed[from..].iter().copied());
    for q in steps {
        type_query(&mut list, q, &lower);
    }
    // Scoped to the first row's AZ, then sorted: still exactly the matching rows of that AZ.
    let az = rows[0].cells().get(3).to_owned();
    list.set_az(Some(&az));
    list.finish();
    let in_az = |i: usize| lower[i].split('\n').nth(3) == Some(az.to_lowercase().as_str());
    check(&list, list.query().to_owned().as_str(), &lower, in_az);
    list.sort_next();
    list.finish();
    let mut shown = shown(&list);
    let mut want = expected(list.query(), &lower, in_az);
    shown.sort();
    want.sort();
    assert_eq!(shown, want, "sorting changed which rows are shown");
}

fn row(line: &str) -> ServerRow {
    let mut c = line.split('\t').map(str::to_owned);
    let mut next = || c.next().unwrap_or_default();
    ServerRow::new(&ServerFields {
        name: next(),
        status: next(),
        task_state: next(),
        az: next(),
        flavor: next(),
        ip: next(),
        image: next(),
        created: next(),
        id: next(),
    })
}

fn type_query(list: &mut ListState<ServerRow>, q: &str, lower: &[String]) {
    let before = list.query().to_owned();
    match list.set_query(q) {
        Ok(()) => {
            list.finish();
            check(list, q, lower, |_| true);
        }
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(list.query(), before, "a refused query changed the filter");
        }
    }
}

/// The lowercase text of every row the list shows, in order.
fn shown(list: &ListState<ServerRow>) -> Vec<String> {
    list.page(usize::MAX)
        .map(|(_, r)| r.cells().joined().to_lowercase())
        .collect()
}

/// The rows that match `q` one by one, in their order.
fn expected(q: &str, lower: &[String], scope: impl Fn(usize) -> bool) -> Vec<String> {
    let Ok(query) = Query::parse(q, SERVER_COLUMNS) else {
        return Vec::new();
    };
    (0..lower.len())
        .filter(|&i| scope(i) && query.matches(&lower[i]))
        .map(|i| lower[i].clone())
        .collect()
}

fn check(list: &ListState<ServerRow>, q: &str, lower: &[String], scope: impl Fn(usize) -> bool) {
    assert_eq!(
        shown(list),
        expected(q, lower, scope),
        "the view of {q:?} is not the rows it matches"
    );
}
