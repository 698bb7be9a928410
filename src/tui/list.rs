//! One list's state: rows by fetch, sorted order, filtered view (narrowed as the query grows),
//! selection, scroll, marks, staleness. Plain data, no IO.

use std::collections::HashSet;

use chrono::{DateTime, Local};
use ratatui::text::Span;

use super::filter::{FilterError, Query};
use super::rows::{Row, leading_number};

/// Rows that a refresh could not renew: what went wrong, and the request id to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub error: String,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

/// How many earlier filter results are kept, so that a backspace finds its result at once.
const HISTORY: usize = 16;

#[derive(Debug, Clone)]
pub struct ListState<R: Row> {
    rows: Vec<R>,
    /// Every row's cells in lowercase, cells separated by `\n`, each row ended by `\n`: what
    /// filters search (all rows at once) and sorting reads.
    hay: String,
    /// Where each row's text starts in `hay`, and its end after the last row.
    starts: Vec<u32>,
    /// Indices into `rows` in sort order.
    order: Vec<u32>,
    /// Indices into `rows` that pass the AZ and the filter, in sort order.
    view: Vec<u32>,
    sort: Option<Sort>,
    query: Query,
    /// The chosen AZ (lowercase), for lists that have an AZ column.
    az: Option<String>,
    history: Vec<(String, Vec<u32>)>,
    selected: usize,
    offset: usize,
    marks: HashSet<String>,
    /// The widest cell of each column, in terminal cells.
    widths: Vec<u16>,
    /// When the rows were fetched; `None` until the first answer.
    pub fetched_at: Option<DateTime<Local>>,
    pub stale: Option<Stale>,
    /// The sequence number of the newest request for this list; older answers are dropped.
    pub want: u64,
    pub loading: bool,
}

impl<R: Row> Default for ListState<R> {
    fn default() -> Self {
        ListState {
            rows: Vec::new(),
            hay: String::new(),
            starts: vec![0],
            order: Vec::new(),
            view: Vec::new(),
            sort: None,
            query: Query::default(),
            az: None,
            history: Vec::new(),
            selected: 0,
            offset: 0,
            marks: HashSet::new(),
            widths: R::columns().iter().map(|c| c.header.len() as u16).collect(),
            fetched_at: None,
            stale: None,
            want: 0,
            loading: false,
        }
    }
}

impl<R: Row> ListState<R> {
    /// Replaces every row (a full fetch); the selection stays on the same id when it still exists.
    pub fn set_rows(&mut self, rows: Vec<R>, at: DateTime<Local>) {
        let keep = self.selected_id();
        self.rows = rows;
        if !self.marks.is_empty() {
            let ids: HashSet<&str> = self.rows.iter().map(|r| r.id()).collect();
            self.marks.retain(|id| ids.contains(id.as_str()));
        }
        self.fetched_at = Some(at);
        self.stale = None;
        self.loading = false;
        self.rebuild(keep);
    }

    /// Replaces the rows that a refresh by id returned; ids asked for but not returned are gone.
    pub fn merge_rows(&mut self, asked: &[String], rows: Vec<R>, at: DateTime<Local>) {
        let keep = self.selected_id();
        let asked: HashSet<&str> = asked.iter().map(String::as_str).collect();
        let mut fresh: std::collections::HashMap<String, R> =
            rows.into_iter().map(|r| (r.id().to_owned(), r)).collect();
        let old = std::mem::take(&mut self.rows);
        for r in old {
            match fresh.remove(r.id()) {
                Some(n) => self.rows.push(n),
                None if asked.contains(r.id()) => {
                    self.marks.remove(r.id());
                }
                None => self.rows.push(r),
            }
        }
        self.rows.extend(fresh.into_values());
        self.fetched_at = Some(at);
        self.stale = None;
        self.loading = false;
        self.rebuild(keep);
    }

    /// A refresh failed: the rows stay, marked stale.
    pub fn set_stale(&mut self, stale: Stale) {
        self.stale = Some(stale);
        self.loading = false;
    }

    /// Empties the list (another region): nothing of the old scope may show.
    pub fn clear(&mut self) {
        *self = ListState {
            sort: self.sort,
            want: self.want,
            ..ListState::default()
        };
    }

    pub fn is_loaded(&self) -> bool {
        self.fetched_at.is_some()
    }

    fn rebuild(&mut self, keep: Option<String>) {
        self.widths = measure::<R>(&self.rows);
        self.hay.clear();
        self.starts.clear();
        self.starts.push(0);
        for r in &self.rows {
            let text = r.cells().joined();
            if text.is_ascii() {
                self.hay
                    .extend(text.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                self.hay.push_str(&text.to_lowercase());
            }
            self.hay.push('\n');
            self.starts.push(self.hay.len() as u32);
        }
        self.order = self.sorted_order();
        self.history.clear();
        self.view = self.compute_view(&self.order, &self.query);
        self.reselect(keep);
    }

    /// A row's lowercase text (cells separated by `\n`).
    fn text(&self, i: usize) -> &str {
        &self.hay[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    fn cell(&self, i: usize, column: usize) -> &str {
        self.text(i).split('\n').nth(column).unwrap_or("")
    }

    /// Row indices in the order of the sort (fetch order without one).
    fn sorted_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        let Some(sort) = self.sort else {
            return order;
        };
        let numeric = R::columns().get(sort.column).is_some_and(|c| c.numeric);
        let keys: Vec<&str> = (0..self.rows.len())
            .map(|i| self.cell(i, sort.column))
            .collect();
        let rows = &self.rows;
        let cmp = |a: &u32, b: &u32| {
            let (ka, kb) = (keys[*a as usize], keys[*b as usize]);
            let o = if numeric {
                leading_number(ka).total_cmp(&leading_number(kb))
            } else {
                ka.cmp(kb)
            };
            o.then_with(|| rows[*a as usize].id().cmp(rows[*b as usize].id()))
        };
        if sort.descending {
            order.sort_unstable_by(|a, b| cmp(b, a));
        } else {
            order.sort_unstable_by(cmp);
        }
        order
    }

    /// The rows of `base` (in its order) that are in the chosen AZ and match `query`. Over every
    /// row, the query's best term is searched for in all the text at once; only hits are checked.
    fn compute_view(&self, base: &[u32], query: &Query) -> Vec<u32> {
        let in_az = |i: usize| match (self.az.as_deref(), R::az_column()) {
            (Some(az), Some(c)) => self.cell(i, c) == az,
            _ => true,
        };
        if base.len() == self.rows.len()
            && let Some((scan, only)) = query.scan()
        {
            let mut hit = vec![false; self.rows.len()];
            let (mut from, mut row) = (0, 0);
            while from < self.hay.len()
                && let Some(pos) = scan.find_at(&self.hay, from)
            {
                while self.starts[row + 1] as usize <= pos {
                    row += 1;
                }
                hit[row] = only || query.matches(self.text(row));
                from = self.starts[row + 1] as usize;
            }
            return base
                .iter()
                .copied()
                .filter(|&i| hit[i as usize] && in_az(i as usize))
                .collect();
        }
        base.iter()
            .copied()
            .filter(|&i| in_az(i as usize) && query.matches(self.text(i as usize)))
            .collect()
    }

    /// Sets the filter; a growing query filters the previous result, a known one is reused.
    pub fn set_query(&mut self, text: &str) -> Result<(), FilterError> {
        let query = Query::parse(text, R::columns())?;
        if query.text() == self.query.text() {
            return Ok(());
        }
        let view = if let Some(pos) = self.history.iter().position(|(t, _)| t == text) {
            self.history[pos].1.clone()
        } else if query.narrows(&self.query) {
            self.compute_view(&self.view, &query)
        } else {
            self.compute_view(&self.order, &query)
        };
        let old = std::mem::replace(&mut self.view, view);
        let old_text = std::mem::replace(&mut self.query, query).text().to_owned();
        self.history.retain(|(t, _)| *t != old_text);
        self.history.push((old_text, old));
        if self.history.len() > HISTORY {
            self.history.remove(0);
        }
        self.selected = 0;
        self.offset = 0;
        Ok(())
    }

    pub fn query(&self) -> &str {
        self.query.text()
    }

    /// Shows only rows of one AZ (`None`: every AZ).
    pub fn set_az(&mut self, az: Option<&str>) {
        let az = az.map(str::to_lowercase);
        if az != self.az {
            let keep = self.selected_id();
            self.az = az;
            self.history.clear();
            self.view = self.compute_view(&self.order, &self.query);
            self.reselect(keep);
        }
    }

    /// `o`: sort by the next column.
    pub fn sort_next(&mut self) {
        let n = R::columns().len();
        self.sort = Some(match self.sort {
            None => Sort {
                column: 0,
                descending: false,
            },
            Some(s) => Sort {
                column: (s.column + 1) % n,
                descending: false,
            },
        });
        self.resort();
    }

    /// `O`: reverse the sort.
    pub fn sort_reverse(&mut self) {
        self.sort = Some(match self.sort {
            None => Sort {
                column: 0,
                descending: true,
            },
            Some(s) => Sort {
                descending: !s.descending,
                ..s
            },
        });
        self.resort();
    }

    fn resort(&mut self) {
        let keep = self.selected_id();
        self.order = self.sorted_order();
        self.history.clear();
        self.view = self.compute_view(&self.order, &self.query);
        self.reselect(keep);
    }

    pub fn sort(&self) -> Option<Sort> {
        self.sort
    }

    fn reselect(&mut self, keep: Option<String>) {
        self.selected = keep
            .and_then(|id| {
                self.view
                    .iter()
                    .position(|&i| self.rows[i as usize].id() == id)
            })
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    // --- selection and scrolling -------------------------------------------------------------

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    pub fn total(&self) -> usize {
        self.rows.len()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.view
            .get(self.selected)
            .map(|&i| &self.rows[i as usize])
    }

    pub fn selected_id(&self) -> Option<String> {
        self.selected_row().map(|r| r.id().to_owned())
    }

    /// Moves the selection by `delta` rows, clamped; keeps it inside a page of `height` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.view.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        self.scroll(height);
    }

    pub fn select(&mut self, index: usize, height: usize) {
        self.selected = index.min(self.view.len().saturating_sub(1));
        self.scroll(height);
    }

    /// Keeps the selection on screen with the fewest moves of the page.
    pub fn scroll(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.view.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// The rows of the page starting at the scroll offset.
    pub fn page(&self, height: usize) -> impl Iterator<Item = (usize, &R)> {
        let end = (self.offset + height).min(self.view.len());
        let start = self.offset.min(end);
        self.view[start..end]
            .iter()
            .enumerate()
            .map(move |(k, &i)| (start + k, &self.rows[i as usize]))
    }

    /// Ids of the rows on the page (what a cheap refresh re-reads).
    pub fn page_ids(&self, height: usize) -> Vec<String> {
        self.page(height).map(|(_, r)| r.id().to_owned()).collect()
    }

    pub fn widths(&self) -> &[u16] {
        &self.widths
    }

    // --- marks -------------------------------------------------------------------------------

    pub fn is_marked(&self, id: &str) -> bool {
        self.marks.contains(id)
    }

    pub fn marked(&self) -> usize {
        self.marks.len()
    }

    pub fn toggle_mark(&mut self) {
        if let Some(id) = self.selected_id()
            && !self.marks.remove(&id)
        {
            self.marks.insert(id);
        }
    }

    pub fn mark_shown(&mut self) {
        for &i in &self.view {
            self.marks.insert(self.rows[i as usize].id().to_owned());
        }
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    /// The marked rows, in list order (marks on rows no longer listed are dropped by `set_rows`).
    pub fn marked_rows(&self) -> Vec<&R> {
        self.rows
            .iter()
            .filter(|r| self.marks.contains(r.id()))
            .collect()
    }

    /// Every row fetched (whatever the filter shows).
    pub fn all_rows(&self) -> &[R] {
        &self.rows
    }
}

fn measure<R: Row>(rows: &[R]) -> Vec<u16> {
    let cols = R::columns();
    let mut w: Vec<u16> = cols.iter().map(|c| c.header.len() as u16).collect();
    for r in rows {
        for (i, wi) in w.iter_mut().enumerate() {
            let cell = r.cells().get(i);
            let n = if cell.is_ascii() {
                cell.len()
            } else {
                Span::raw(cell).width()
            };
            *wi = (*wi).max(n.min(u16::MAX as usize) as u16);
        }
    }
    w
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
