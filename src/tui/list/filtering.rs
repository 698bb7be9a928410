//! A list's filtered view computed a slice at a time: one scan of all the rows' text, then the
//! rows in sort order, so that a keystroke never waits for every row of a long list.

use super::filter::Query;

/// Rows' lowercase text: cells separated by `\n`, each row ended by `\n`; `starts[i]` is where
/// row `i` begins and the last entry is the end of the text.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    pub hay: &'a str,
    pub starts: &'a [u32],
}

impl<'a> Text<'a> {
    pub fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Row `i`'s text, without its ending newline.
    pub fn row(&self, i: usize) -> &'a str {
        &self.hay[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    pub fn cell(&self, i: usize, column: usize) -> &'a str {
        self.row(i).split('\n').nth(column).unwrap_or("")
    }
}

/// The AZ a row must be in (lowercase), and the column that says it; `None`: any.
#[derive(Clone, Copy)]
pub struct AzScope<'a>(pub Option<(&'a str, usize)>);

impl AzScope<'_> {
    fn admits(&self, text: Text<'_>, i: usize) -> bool {
        self.0.is_none_or(|(az, column)| text.cell(i, column) == az)
    }

    /// Row `i` is in the AZ and matches `query`: it belongs in the view.
    pub fn passes(&self, query: &Query, text: Text<'_>, i: usize) -> bool {
        self.admits(text, i) && query.matches(text.row(i))
    }

    pub fn is_any(&self) -> bool {
        self.0.is_none()
    }
}

/// The rows checked in one slice, at most: a third of a millisecond of a regex that reads every
/// row to its end (`~\d{20}`) on the machines of docs/performance.md.
pub const SLICE: usize = 1024;

/// A view on its way: the rows of `base` still to check, from `next`.
#[derive(Debug, Clone)]
pub struct Filtering {
    base: Vec<u32>,
    /// Rows the scan of all the text found (they may match); `None`: every row is a candidate.
    hits: Option<Vec<bool>>,
    /// A candidate must be checked against the query (not only against the AZ).
    check: bool,
    next: usize,
    /// The row to select when the view is done (a refresh or a re-sort keeps the selection).
    pub keep: Option<String>,
}

impl Filtering {
    /// Starts computing the rows of `base` (in its order) that match `query`. When `base` is
    /// every row, the query's best term is searched for in all the text at once, so that only
    /// its hits are checked one by one.
    pub fn new(query: &Query, base: Vec<u32>, text: Text<'_>, keep: Option<String>) -> Self {
        let mut hits = None;
        let mut check = !query.is_empty();
        if base.len() == text.rows()
            && let Some((scan, only)) = query.scan()
        {
            let mut hit = vec![false; text.rows()];
            let (mut from, mut row) = (0, 0);
            while from < text.hay.len()
                && let Some(pos) = scan.find_at(text.hay, from)
            {
                while text.starts[row + 1] as usize <= pos {
                    row += 1;
                }
                hit[row] = true;
                from = text.starts[row + 1] as usize;
            }
            hits = Some(hit);
            check = !only;
        }
        Filtering {
            base,
            hits,
            check,
            next: 0,
            keep,
        }
    }

    /// Checks at most `budget` more rows (those the scan ruled out cost nothing), adding the
    /// matches to `view` in `base`'s order; true when every row has been seen.
    pub fn step(
        &mut self,
        query: &Query,
        text: Text<'_>,
        az: AzScope<'_>,
        budget: usize,
        view: &mut Vec<u32>,
    ) -> bool {
        if !self.check && az.is_any() && self.hits.is_none() {
            view.extend_from_slice(&self.base[self.next..]);
            self.next = self.base.len();
        }
        let mut spent = 0;
        while self.next < self.base.len() && spent < budget {
            let i = self.base[self.next] as usize;
            self.next += 1;
            if self.hits.as_ref().is_some_and(|h| !h[i]) {
                continue;
            }
            if !self.check && az.is_any() {
                view.push(i as u32);
                continue;
            }
            spent += 1;
            if az.admits(text, i) && (!self.check || query.matches(text.row(i))) {
                view.push(i as u32);
            }
        }
        self.is_done()
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.base.len()
    }

    /// How far it has got, in percent.
    pub fn percent(&self) -> u8 {
        (self.next * 100)
            .checked_div(self.base.len())
            .map_or(100, |p| p.min(100) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::list::rows::SERVER_COLUMNS;
    use proptest::prelude::*;

    fn text_of(rows: &[String]) -> (String, Vec<u32>) {
        let mut hay = String::new();
        let mut starts = vec![0];
        for r in rows {
            hay.push_str(r);
            hay.push('\n');
            starts.push(hay.len() as u32);
        }
        (hay, starts)
    }

    /// A server row's text: name, status, az (the columns the grammar knows come first).
    fn row(name: &str, status: &str, az: &str) -> String {
        let mut cells = vec![String::new(); SERVER_COLUMNS.len()];
        let col = |f: &str| SERVER_COLUMNS.iter().position(|c| c.field == f).unwrap();
        cells[col("name")] = name.into();
        cells[col("status")] = status.into();
        cells[col("az")] = az.into();
        cells.join("\n")
    }

    fn run(
        query: &Query,
        base: Vec<u32>,
        text: Text<'_>,
        az: AzScope<'_>,
        budget: usize,
    ) -> Vec<u32> {
        let mut f = Filtering::new(query, base, text, None);
        let mut view = Vec::new();
        let mut slices = 0;
        while !f.step(query, text, az, budget, &mut view) {
            slices += 1;
            assert!(slices <= text.rows() + 1, "a slice always moves on");
        }
        view
    }

    proptest! {
        /// Sliced or not, scanned or not, the view is the rows of `base` that pass, in order.
        #[test]
        fn slices_find_what_one_pass_finds(
            names in prop::collection::vec("(web|db|app)-[0-9]{1,3}", 0..60),
            first in prop::sample::select(&["web", "db", "1", "!web", "~^db-\\d$", "~\\d{2}$", "status:active", "az:b", ""][..]),
            second in prop::sample::select(&["", " 1", " !2", " ~0", " ~^w"][..]),
            pick_az in any::<bool>(),
            budget in 1usize..20,
            reverse in any::<bool>(),
        ) {
            let rows: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(k, n)| row(n, if k % 3 == 0 { "shutoff" } else { "active" }, if k % 2 == 0 { "az-a" } else { "az-b" }))
                .collect();
            let (hay, starts) = text_of(&rows);
            let text = Text { hay: &hay, starts: &starts };
            let q = Query::parse(&format!("{first}{second}"), SERVER_COLUMNS).unwrap();
            let az_col = SERVER_COLUMNS.iter().position(|c| c.field == "az").unwrap();
            let az = AzScope(pick_az.then_some(("az-b", az_col)));
            let mut base: Vec<u32> = (0..rows.len() as u32).collect();
            if reverse {
                base.reverse();
            }
            let expected: Vec<u32> = base
                .iter()
                .copied()
                .filter(|&i| az.admits(text, i as usize) && q.matches(text.row(i as usize)))
                .collect();
            prop_assert_eq!(&run(&q, base.clone(), text, az, budget), &expected);
            prop_assert_eq!(&run(&q, base.clone(), text, az, usize::MAX), &expected);
            // a base that is not every row is checked row by row
            let part: Vec<u32> = base.iter().copied().step_by(2).collect();
            let expected_part: Vec<u32> = expected.iter().copied().filter(|i| part.contains(i)).collect();
            prop_assert_eq!(run(&q, part, text, az, budget), expected_part);
        }
    }

    #[test]
    fn progress_counts_the_rows_seen() {
        let rows: Vec<String> = (0..10)
            .map(|k| row(&format!("web-{k}"), "active", "az-a"))
            .collect();
        let (hay, starts) = text_of(&rows);
        let text = Text {
            hay: &hay,
            starts: &starts,
        };
        let q = Query::parse("~web-\\d", SERVER_COLUMNS).unwrap();
        let mut f = Filtering::new(&q, (0..10).collect(), text, None);
        let mut view = Vec::new();
        assert_eq!(f.percent(), 0);
        assert!(!f.step(&q, text, AzScope(None), 4, &mut view));
        assert_eq!((f.percent(), view.len()), (40, 4));
        assert!(!f.step(&q, text, AzScope(None), 4, &mut view));
        assert!(f.step(&q, text, AzScope(None), 4, &mut view));
        assert_eq!((f.percent(), view.len()), (100, 10));
        let empty = Filtering::new(&q, Vec::new(), text, None);
        assert!(empty.is_done() && empty.percent() == 100);
    }
}
