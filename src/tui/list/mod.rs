//! One list's state: rows by fetch, sorted order, filtered view (narrowed as the query grows,
//! computed a slice at a time), selection, scroll, marks, staleness. Plain data, no IO.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{DateTime, Local};
use ratatui::text::Span;

use filter::{FilterError, Query};
use filtering::{AzScope, Filtering, SLICE, Text};
use rows::Row;
pub use sort::Sort;
use sort::{compare, compare_own, id_order, ranks, sorted};

pub mod any;
mod append;
pub mod filter;
pub(super) mod filtering;
mod merge;
pub mod registry;
pub mod rows;
mod sort;
pub mod sort_keys;

/// Rows that a refresh could not renew: what went wrong, and the request id to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub error: String,
    pub request_id: Option<String>,
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
    /// Indices into `rows` in the order of their ids, kept with the rows (a sort's ties go by
    /// it, so that sorting compares no id strings).
    by_id: Vec<u32>,
    /// Indices into `rows` that pass the AZ and the filter, in sort order: all of them, or while
    /// `filtering`, those found so far (the first rows of the whole view).
    view: Vec<u32>,
    filtering: Option<Filtering>,
    sort: Option<Sort>,
    query: Query,
    /// The chosen AZ (lowercase), for lists that have an AZ column.
    az: Option<String>,
    /// Earlier complete views and their queries, newest last.
    history: Vec<(Query, Vec<u32>)>,
    selected: usize,
    offset: usize,
    marks: HashSet<String>,
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
            by_id: Vec::new(),
            view: Vec::new(),
            filtering: None,
            sort: None,
            query: Query::default(),
            az: None,
            history: Vec::new(),
            selected: 0,
            offset: 0,
            marks: HashSet::new(),
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

    /// Replaces the rows `gone` picks by `rows` (one region's full read under `:region all`);
    /// marks and the selection stay on the rows still listed.
    pub fn replace_where(&mut self, gone: impl Fn(&R) -> bool, rows: Vec<R>, at: DateTime<Local>) {
        let keep = self.selected_id();
        self.rows.retain(|r| !gone(r));
        self.rows.extend(rows);
        if !self.marks.is_empty() {
            let ids: HashSet<&str> = self.rows.iter().map(|r| r.id()).collect();
            self.marks.retain(|id| ids.contains(id.as_str()));
        }
        self.fetched_at = Some(at);
        self.stale = None;
        self.rebuild(keep);
    }

    /// A refresh failed: the rows stay, marked stale.
    pub fn set_stale(&mut self, stale: Stale) {
        self.stale = Some(stale);
        self.loading = false;
    }

    /// Empties the list (another region): nothing of the old scope may show, and no answer to a
    /// request of the old scope is the newest any more (only the sort stays).
    pub fn clear(&mut self) {
        *self = ListState {
            sort: self.sort,
            ..ListState::default()
        };
    }

    pub fn is_loaded(&self) -> bool {
        self.fetched_at.is_some()
    }

    fn rebuild(&mut self, keep: Option<String>) {
        self.hay.clear();
        self.starts.clear();
        self.starts.push(0);
        for r in &self.rows {
            push_lowercase(&mut self.hay, r.cells().joined());
            self.starts.push(self.hay.len() as u32);
        }
        self.by_id = id_order(self.rows.len(), |i| self.rows[i].id());
        self.order = self.sorted_order();
        self.history.clear();
        self.refilter(self.order.clone(), keep);
    }

    fn text(&self) -> Text<'_> {
        Text {
            hay: &self.hay,
            starts: &self.starts,
        }
    }

    fn cell(&self, i: usize, column: usize) -> &str {
        self.text().cell(i, column)
    }

    /// Row indices in the order of the sort (fetch order without one).
    fn sorted_order(&self) -> Vec<u32> {
        let Some(sort) = self.sort else {
            return (0..self.rows.len() as u32).collect();
        };
        let numeric = R::columns().get(sort.column).is_some_and(|c| c.numeric);
        sorted(
            self.rows.len(),
            sort,
            numeric,
            |i| self.cell(i, sort.column),
            |i| self.rows[i].cells().get(sort.column),
            &ranks(&self.by_id),
        )
    }

    /// How rows `a` and `b` compare in the order of `sort`.
    fn compare_rows(&self, sort: Sort, a: usize, b: usize) -> Ordering {
        let numeric = R::columns().get(sort.column).is_some_and(|c| c.numeric);
        let own = |i: usize| self.rows[i].cells().get(sort.column);
        // The rows' own cells (no search through the text) where their lowercase is plain.
        let (ca, cb) = (own(a), own(b));
        if numeric || (ca.is_ascii() && cb.is_ascii()) {
            return compare_own(
                sort,
                numeric,
                (ca, self.rows[a].id()),
                (cb, self.rows[b].id()),
            );
        }
        compare(
            sort,
            numeric,
            (self.cell(a, sort.column), self.rows[a].id()),
            (self.cell(b, sort.column), self.rows[b].id()),
        )
    }

    /// Starts computing the view over `base` (in its order) and computes its first slice, so
    /// that a short list is done at once; `keep`: the row to select when it is done.
    fn refilter(&mut self, base: Vec<u32>, keep: Option<String>) {
        self.view.clear();
        self.filtering = Some(Filtering::new(&self.query, base, self.text(), keep));
        self.work(SLICE);
    }

    /// Checks at most `budget` more rows of a view on its way; true while some remain.
    pub fn work(&mut self, budget: usize) -> bool {
        // The row to keep selected, found by id once (not by its id at each row of the view).
        let keep = self
            .filtering
            .as_ref()
            .and_then(|f| f.keep.as_deref())
            .map(|id| self.index_of(id));
        let Some(f) = self.filtering.as_mut() else {
            return false;
        };
        let text = Text {
            hay: &self.hay,
            starts: &self.starts,
        };
        let az = AzScope(self.az.as_deref().zip(R::az_column()));
        let from = self.view.len();
        let done = f.step(&self.query, text, az, budget, &mut self.view);
        if let Some(row) = keep
            && let Some(k) = self.view[from..].iter().position(|&i| Some(i) == row)
        {
            self.selected = from + k;
            f.keep = None;
        }
        if done {
            self.filtering = None;
            self.selected = self.selected.min(self.view.len().saturating_sub(1));
        }
        !done
    }

    /// Completes a view on its way (what acts on the shown rows needs all of them).
    pub fn finish(&mut self) {
        while self.work(usize::MAX) {}
    }

    /// How far the view on its way has got, in percent; `None` when it is complete.
    pub fn filtering(&self) -> Option<u8> {
        self.filtering.as_ref().map(Filtering::percent)
    }

    /// Sets the filter; a known query's view is reused, and one that only narrows an earlier
    /// query filters that query's rows instead of every row.
    pub fn set_query(&mut self, text: &str) -> Result<(), FilterError> {
        let query = Query::parse(text, R::columns())?;
        if query.text() == self.query.text() {
            return Ok(());
        }
        let old = std::mem::replace(&mut self.query, query);
        let old_view = std::mem::take(&mut self.view);
        // A view on its way is dropped; a complete one is kept for a backspace.
        if self.filtering.take().is_none() {
            self.history.retain(|(q, _)| q.text() != old.text());
            self.history.push((old, old_view));
            if self.history.len() > HISTORY {
                self.history.remove(0);
            }
        }
        self.selected = 0;
        self.offset = 0;
        if let Some((_, v)) = self.history.iter().find(|(q, _)| q.text() == text) {
            self.view = v.clone();
            return Ok(());
        }
        let base = self
            .history
            .iter()
            .filter(|(q, _)| self.query.narrows(q))
            .min_by_key(|(_, v)| v.len())
            .map_or_else(|| self.order.clone(), |(_, v)| v.clone());
        self.refilter(base, None);
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
            self.refilter(self.order.clone(), keep);
        }
    }

    /// `o`: sort by the next column.
    pub fn sort_next(&mut self) {
        self.sort_next_shown(&[])
    }

    /// `o`: sorts by the next column drawn (`hidden`: the fields of the columns not drawn), the
    /// first one when the list is not sorted.
    pub fn sort_next_shown(&mut self, hidden: &[&str]) {
        let columns = R::columns();
        let n = columns.len();
        let from = self.sort.map_or(0, |s| s.column + 1);
        let Some(column) = (0..n)
            .map(|k| (from + k) % n)
            .find(|&c| !hidden.contains(&columns[c].field))
        else {
            return;
        };
        self.sort = Some(Sort {
            column,
            descending: false,
        });
        self.resort();
    }

    /// Shift and a column's letter (`sort_keys.rs`): sort by that column; again, the other way.
    pub fn sort_by(&mut self, column: usize) {
        match self.sort {
            Some(s) if s.column == column => self.sort_reverse(),
            _ => {
                self.sort = Some(Sort {
                    column,
                    descending: false,
                });
                self.resort();
            }
        }
    }

    /// `O`: reverse the sort.
    pub fn sort_reverse(&mut self) {
        if let Some(s) = self.sort {
            // Rows are in the order of a sort without ties (ids are unique): reversed, they
            // are in the order of the reverse sort.
            self.sort = Some(Sort {
                descending: !s.descending,
                ..s
            });
            return self.reverse_order();
        }
        self.sort = Some(Sort {
            column: 0,
            descending: true,
        });
        self.resort();
    }

    fn resort(&mut self) {
        let keep = self.selected_id();
        self.order = self.sorted_order();
        self.history.clear();
        self.refilter(self.order.clone(), keep);
    }

    pub fn sort(&self) -> Option<Sort> {
        self.sort
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

    /// The rows in the chosen AZ (all of them when none is chosen): what a filter's count is
    /// out of ("13/40" in an AZ of 40, not of the region's 100).
    /// Counted when asked (the title, with a filter on): a cell per row, by its offsets.
    pub fn in_scope(&self) -> usize {
        match self.az.as_deref().zip(R::az_column()) {
            None => self.rows.len(),
            Some((az, column)) => self
                .rows
                .iter()
                .filter(|r| {
                    let cell = r.cells().get(column).chars();
                    cell.flat_map(char::to_lowercase).eq(az.chars())
                })
                .count(),
        }
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

    /// The selected row's id; while a refresh's view is on its way, the row it will select.
    pub fn selected_id(&self) -> Option<String> {
        match self.filtering.as_ref().and_then(|f| f.keep.clone()) {
            Some(id) => Some(id),
            None => self.selected_row().map(|r| r.id().to_owned()),
        }
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

    /// The widest cell of each column among the `height` rows on screen (and its header), in
    /// terminal cells: the table's columns follow what is shown.
    pub fn page_widths(&self, height: usize) -> Vec<u16> {
        let mut w: Vec<u16> = R::columns().iter().map(|c| c.header.len() as u16).collect();
        for (_, r) in self.page(height) {
            widen(&mut w, r);
        }
        w
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
        self.finish();
        for &i in &self.view {
            self.marks.insert(self.rows[i as usize].id().to_owned());
        }
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    /// The marked rows, in list order (marks on rows no longer listed are dropped by `set_rows`).
    /// Found by id, so that its cost is the marks', not the list's.
    pub fn marked_rows(&self) -> Vec<&R> {
        let mut at: Vec<u32> = self
            .marks
            .iter()
            .filter_map(|id| self.index_of(id))
            .collect();
        at.sort_unstable();
        at.into_iter().map(|i| &self.rows[i as usize]).collect()
    }

    /// The marked rows in no particular order, found by id one at a time as they are asked for.
    pub fn marked_rows_unordered(&self) -> impl Iterator<Item = &R> {
        self.marks
            .iter()
            .filter_map(|id| self.index_of(id))
            .map(|i| &self.rows[i as usize])
    }

    /// The row whose id is `id`, looked up in the rows' id order.
    fn index_of(&self, id: &str) -> Option<u32> {
        let k = self
            .by_id
            .binary_search_by(|&i| self.rows[i as usize].id().cmp(id))
            .ok()?;
        Some(self.by_id[k])
    }

    /// Every row fetched (whatever the filter shows).
    pub fn all_rows(&self) -> &[R] {
        &self.rows
    }
}

/// Appends a row's text in lowercase, and its ending newline.
fn push_lowercase(hay: &mut String, text: &str) {
    if text.is_ascii() {
        hay.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        hay.push_str(&text.to_lowercase());
    }
    hay.push('\n');
}

/// The width of a cell in terminal cells.
pub fn cell_width(cell: &str) -> usize {
    if cell.is_ascii() {
        cell.len()
    } else {
        Span::raw(cell).width()
    }
}

/// Widens the columns `w` to fit `r`'s cells.
fn widen<R: Row>(w: &mut [u16], r: &R) {
    for (i, wi) in w.iter_mut().enumerate() {
        let n = cell_width(r.cells().get(i));
        *wi = (*wi).max(n.min(u16::MAX as usize) as u16);
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
