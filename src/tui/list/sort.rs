//! The sort order of a list: rows by (sort cell, id), numbers by value in a numeric column.
//! Sorting compares fixed-size prefixes first, so that 100k rows sort without chasing strings.

use std::borrow::Cow;
use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::ListState;
use super::rows::{Row, leading_number};

/// What rows are sorted by: a column's cells (text or numbers), up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

impl<R: Row> ListState<R> {
    /// The rows in reverse order (`O` on a sorted list: no key is built, nothing compared); the
    /// selected row stays selected.
    pub(super) fn reverse_order(&mut self) {
        self.order.reverse();
        self.history.clear();
        if self.filtering.is_some() {
            let keep = self.selected_id();
            return self.refilter(self.order.clone(), keep);
        }
        self.view.reverse();
        self.selected = self
            .view
            .len()
            .saturating_sub(1)
            .saturating_sub(self.selected);
    }
}

/// Two rows by their (sort cell, id); ties go by id, so that the order is the same whatever
/// order the rows came in.
pub fn compare(
    sort: Sort,
    numeric: bool,
    (ka, ida): (&str, &str),
    (kb, idb): (&str, &str),
) -> Ordering {
    let o = if numeric {
        leading_number(ka).total_cmp(&leading_number(kb))
    } else {
        ka.cmp(kb)
    }
    .then_with(|| ida.cmp(idb));
    if sort.descending { o.reverse() } else { o }
}

/// `compare` of ASCII cells as the rows hold them (or of a numeric column's): their lowercase
/// compared byte by byte, without making it.
pub fn compare_own(
    sort: Sort,
    numeric: bool,
    (ka, ida): (&str, &str),
    (kb, idb): (&str, &str),
) -> Ordering {
    if numeric {
        return compare(sort, numeric, (ka, ida), (kb, idb));
    }
    let o = ascii_lowercase_cmp(ka, kb).then_with(|| ida.cmp(idb));
    if sort.descending { o.reverse() } else { o }
}

/// Two strings as their ASCII lowercase compare, byte by byte, without making it (a string
/// already in lowercase compares as itself).
fn ascii_lowercase_cmp(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// A row's sort key: the first 16 bytes of its cell (or its number, as ordered bits), which
/// decide most comparisons without reading the strings, and its id's rank among the list's ids.
#[derive(Clone, Copy)]
struct Keyed {
    key: u128,
    /// The row's id's place in the order of the ids: a tie on the cell is one integer compare.
    rank: u32,
    row: u32,
    /// The cell is all in `key` (a number, or text of at most 16 bytes).
    key_whole: bool,
}

/// Row indices `0..n` in the order of their ids (`rank` is its inverse): what a sort's ties go by.
pub fn id_order<'a>(n: usize, id: impl Fn(usize) -> &'a str) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| id(a as usize).cmp(id(b as usize)));
    order
}

/// Each row's place in `by_id` (rows in the order of their ids).
pub fn ranks(by_id: &[u32]) -> Vec<u32> {
    let mut rank = vec![0; by_id.len()];
    for (k, &i) in by_id.iter().enumerate() {
        rank[i as usize] = k as u32;
    }
    rank
}

/// Row indices `0..n` in the order of `compare`, given each row's sort cell as the list keeps
/// it (lowercase: `cell`), the same cell as the row holds it (`own`: read in O(1) from the row
/// made from the typed record, so that the keys need no search through the list's text) and
/// the rank of its id among the rows' ids (`ranks`). `cell` is read only for a cell that is not
/// ASCII.
pub fn sorted<'a>(
    n: usize,
    sort: Sort,
    numeric: bool,
    cell: impl Fn(usize) -> &'a str,
    own: impl Fn(usize) -> &'a str,
    rank: &[u32],
) -> Vec<u32> {
    let mut keyed: Vec<Keyed> = (0..n)
        .map(|i| {
            let c = own(i);
            let (key, key_whole) = if numeric {
                // Digits and dots: the same in either case.
                (u128::from(number_bits(leading_number(c))), true)
            } else if c.is_ascii() {
                (lowercase_prefix(c.as_bytes()), c.len() <= 16)
            } else {
                let c = cell(i);
                (prefix(c.as_bytes()), c.len() <= 16)
            };
            Keyed {
                key,
                rank: rank[i],
                row: i as u32,
                key_whole,
            }
        })
        .collect();
    // A cell that fits its key is ordered before a longer one of the same first 16 bytes (its
    // key is the longer one's prefix); ties of whole cells go by the ids.
    let cmp = |a: &Keyed, b: &Keyed| {
        let o = a
            .key
            .cmp(&b.key)
            .then(b.key_whole.cmp(&a.key_whole))
            .then(a.rank.cmp(&b.rank));
        if sort.descending { o.reverse() } else { o }
    };
    keyed.sort_unstable_by(cmp);
    // Rows whose cells go on past the same 16 bytes are together, in the order of their ids:
    // each such run is then put in the order of its whole cells.
    let runs = tie_runs(&keyed);
    if !runs.is_empty() {
        let cells = run_cells(n, &keyed, &runs, &own);
        for (c, &(start, end)) in cells.into_iter().zip(&runs) {
            c.order(&mut keyed[start..end], sort.descending);
        }
    }
    keyed.into_iter().map(|k| k.row).collect()
}

/// Where `keyed` (sorted) has runs of rows that tie on a key that is not their whole cell.
fn tie_runs(keyed: &[Keyed]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < keyed.len() {
        let first = &keyed[start];
        let end = start
            + keyed[start..]
                .iter()
                .take_while(|k| k.key == first.key && k.key_whole == first.key_whole)
                .count();
        if !first.key_whole && end - start > 1 {
            runs.push((start, end));
        }
        start = end;
    }
    runs
}

/// A run's distinct cells, and which of them each of its rows holds (in the run's order).
struct RunCells<'a> {
    distinct: Vec<Cow<'a, str>>,
    of: Vec<u32>,
}

/// Each run's cells, read in one pass over the rows in their own order (a run is in the order
/// of the ids: reading its rows that way would miss the cache at each one).
fn run_cells<'a>(
    n: usize,
    keyed: &[Keyed],
    runs: &[(usize, usize)],
    own: &impl Fn(usize) -> &'a str,
) -> Vec<RunCells<'a>> {
    // For each row of a run: its run and its place in it.
    let mut place = vec![(u32::MAX, 0u32); n];
    for (r, &(start, end)) in runs.iter().enumerate() {
        for (j, k) in keyed[start..end].iter().enumerate() {
            place[k.row as usize] = (r as u32, j as u32);
        }
    }
    let mut cells: Vec<RunCells<'a>> = runs
        .iter()
        .map(|&(start, end)| RunCells {
            distinct: Vec::new(),
            of: vec![0; end - start],
        })
        .collect();
    let mut index: Vec<FxHashMap<&'a str, u32>> = vec![FxHashMap::default(); runs.len()];
    for (row, &(r, j)) in place.iter().enumerate() {
        if r == u32::MAX {
            continue;
        }
        let c = own(row);
        let run = &mut cells[r as usize];
        run.of[j as usize] = *index[r as usize].entry(c).or_insert_with(|| {
            // The list's lowercase: ASCII is lowered as it is compared.
            run.distinct.push(if c.is_ascii() {
                Cow::Borrowed(c)
            } else {
                Cow::Owned(c.to_lowercase())
            });
            run.distinct.len() as u32 - 1
        });
    }
    cells
}

impl RunCells<'_> {
    /// Orders `run` (rows in the order of their ids, or its reverse when `descending`) by
    /// their whole cells, keeping the ids' order among equal cells: each distinct cell is
    /// compared once, and the rows are then placed by their cell's place (a counting sort,
    /// stable).
    fn order(self, run: &mut [Keyed], descending: bool) {
        let RunCells { distinct, of } = self;
        // The distinct cells share their first 16 bytes: sorted by the next 16 first, as the rows
        // are by the first (`Keyed`), reading the rest only where these tie too.
        let mut by_cell: Vec<Keyed> = distinct
            .iter()
            .enumerate()
            .map(|(d, c)| {
                let rest = &c.as_bytes()[c.len().min(16)..];
                Keyed {
                    key: lowercase_prefix(rest),
                    rank: 0,
                    row: d as u32,
                    key_whole: rest.len() <= 16,
                }
            })
            .collect();
        let cell = |k: &Keyed| distinct[k.row as usize].as_ref();
        let same_place = |a: &Keyed, b: &Keyed| {
            a.key
                .cmp(&b.key)
                .then(b.key_whole.cmp(&a.key_whole))
                .then_with(|| {
                    if a.key_whole && b.key_whole {
                        Ordering::Equal
                    } else {
                        ascii_lowercase_cmp(cell(a), cell(b))
                    }
                })
        };
        by_cell.sort_unstable_by(same_place);
        // Each distinct cell's place; cells the same in lowercase share one.
        let mut place = vec![0u32; distinct.len()];
        let mut places = 0u32;
        for (j, d) in by_cell.iter().enumerate() {
            if j > 0 && same_place(&by_cell[j - 1], d) != Ordering::Equal {
                places += 1;
            }
            place[d.row as usize] = places;
        }
        if descending {
            for p in &mut place {
                *p = places - *p;
            }
        }
        let mut next = vec![0usize; places as usize + 2];
        for &d in &of {
            next[place[d as usize] as usize + 1] += 1;
        }
        for p in 1..next.len() {
            next[p] += next[p - 1];
        }
        let rows: Vec<Keyed> = run.to_vec();
        for (k, &d) in rows.into_iter().zip(&of) {
            let p = place[d as usize] as usize;
            run[next[p]] = k;
            next[p] += 1;
        }
    }
}

/// The first 16 bytes, big-endian, zero-padded: ordered as the bytes are (text holds no NUL).
fn prefix(b: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    let n = b.len().min(16);
    buf[..n].copy_from_slice(&b[..n]);
    u128::from_be_bytes(buf)
}

/// `prefix` of the ASCII lowercase of `b`.
fn lowercase_prefix(b: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    let n = b.len().min(16);
    buf[..n].copy_from_slice(&b[..n]);
    buf.make_ascii_lowercase();
    u128::from_be_bytes(buf)
}

/// `f64::total_cmp`'s order as unsigned bits.
fn number_bits(x: f64) -> u64 {
    let b = x.to_bits() as i64;
    let ordered = b ^ ((((b >> 63) as u64) >> 1) as i64);
    (ordered as u64) ^ (1 << 63)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `sorted` gives the order of `compare` on the lowercase cells, ties by id.
    fn sorts_as_the_strings_do(
        own: &[String],
        ids: &[String],
        numeric: bool,
        descending: bool,
    ) -> Result<(), TestCaseError> {
        let sort = Sort {
            column: 0,
            descending,
        };
        let n = own.len();
        // The list keeps its cells in lowercase; the rows hold them as they are.
        let cells: Vec<String> = own.iter().map(|c| c.to_lowercase()).collect();
        // ids are unique in a list (after long shared prefixes, here)
        let ids: Vec<String> = ids
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{d}{i}"))
            .collect();
        let rank = ranks(&id_order(n, |i| ids[i].as_str()));
        let got = sorted(
            n,
            sort,
            numeric,
            |i| cells[i].as_str(),
            |i| own[i].as_str(),
            &rank,
        );
        let mut want: Vec<u32> = (0..n as u32).collect();
        want.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            compare(sort, numeric, (&cells[a], &ids[a]), (&cells[b], &ids[b]))
        });
        prop_assert_eq!(got, want);
        Ok(())
    }

    proptest! {
        /// The prefix-first sort is the order of `compare`, for text and numbers, up and down.
        #[test]
        fn prefixes_sort_as_the_strings_do(
            own in prop::collection::vec("[0-9.]{0,4}[a-cA-C ]{0,40}(é|É)?", 0..80),
            ids in prop::collection::vec("[ab]{0,40}", 80),
            numeric in any::<bool>(),
            descending in any::<bool>(),
        ) {
            sorts_as_the_strings_do(&own, &ids, numeric, descending)?;
        }

        /// Cells that share their first 16 bytes and more (image names, hosts, tags), in
        /// upper and lower case, with and without a non-ASCII letter.
        #[test]
        fn long_shared_prefixes_sort_as_the_strings_do(
            own in prop::collection::vec(
                "(Windows Server 20|windows server 20|WINDOWS SERVER 20)(19|22|2)( Datacenter| é)?[a-bB]{0,2}",
                0..120,
            ),
            ids in prop::collection::vec("[ab]{0,4}", 120),
            descending in any::<bool>(),
        ) {
            sorts_as_the_strings_do(&own, &ids, false, descending)?;
        }
    }

    proptest! {
        /// `O` reverses the rows of a sorted list: the order a descending sort gives, with the
        /// filter's view and the selected row kept.
        #[test]
        fn a_reversed_list_is_in_the_order_of_the_reverse_sort(
            rows in prop::collection::vec(("[a-bA-B]{0,3}", "(ACTIVE|SHUTOFF)"), 0..60),
            column in 0usize..3,
            query in "(|a|status:active)",
            select in 0usize..60,
        ) {
            use crate::tui::list::rows::ServerRow;
            let rows = crate::tui::list::append::tests::rows(&rows);
            let at = chrono::Local::now();
            let (mut reversed, mut sorted) = (ListState::default(), ListState::default());
            for l in [&mut reversed, &mut sorted] {
                l.set_query(&query).unwrap();
                for _ in 0..=column {
                    l.sort_next();
                }
            }
            reversed.set_rows(rows.clone(), at);
            reversed.select(select, 10);
            let chosen = reversed.selected_id();
            reversed.sort_reverse();
            sorted.sort_reverse();
            sorted.set_rows(rows, at);
            let ids = |l: &ListState<ServerRow>| -> Vec<String> {
                l.view.iter().map(|&i| l.rows[i as usize].id().to_owned()).collect()
            };
            prop_assert_eq!(ids(&reversed), ids(&sorted));
            prop_assert_eq!(reversed.sort(), sorted.sort());
            prop_assert_eq!(reversed.selected_id(), chosen);
        }
    }

    proptest! {
        /// ASCII cells as the rows hold them compare as their lowercase does.
        #[test]
        fn own_cells_compare_as_their_lowercase(
            a in "[0-9.]{0,3}[a-cA-C-]{0,6}",
            b in "[0-9.]{0,3}[a-cA-C-]{0,6}",
            numeric in any::<bool>(),
            descending in any::<bool>(),
        ) {
            let sort = Sort { column: 0, descending };
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            prop_assert_eq!(
                compare_own(sort, numeric, (&a, "id-1"), (&b, "id-2")),
                compare(sort, numeric, (&la, "id-1"), (&lb, "id-2"))
            );
        }
    }

    #[test]
    fn numbers_keep_the_order_of_total_cmp() {
        let xs = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1.0, 10.0, f64::INFINITY];
        for w in xs.windows(2) {
            assert!(number_bits(w[0]) < number_bits(w[1]), "{w:?}");
        }
    }
}
