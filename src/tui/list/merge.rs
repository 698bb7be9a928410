//! A refresh of some rows merged into a list. The usual answer (the same rows, a few changed)
//! is merged in place: only changed rows are written and filtered again, and nothing at all
//! happens when nothing changed. Rows gone or new rebuild the list.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Local};

use super::filtering::AzScope;
use super::rows::Row;
use super::{ListState, Sort, push_lowercase};

impl<R: Row> ListState<R> {
    /// Replaces the rows that a refresh by id returned; ids asked for but not returned are gone.
    pub fn merge_rows(&mut self, asked: &[String], rows: Vec<R>, at: DateTime<Local>) {
        self.fetched_at = Some(at);
        self.stale = None;
        self.loading = false;
        let rows = match self.places(asked, &rows) {
            Some(places) => return self.replace(places, rows),
            None => rows,
        };
        let keep = self.selected_id();
        let asked: HashSet<&str> = asked.iter().map(String::as_str).collect();
        let mut fresh: HashMap<String, R> =
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
        self.rebuild(keep);
    }

    /// Where each of `fresh` is in the list, looked for from the page on (a refresh asks for
    /// the rows on screen); `None` when an asked id is gone or a row is new.
    fn places(&self, asked: &[String], fresh: &[R]) -> Option<Vec<usize>> {
        let mut want: HashMap<&str, usize> =
            fresh.iter().enumerate().map(|(k, r)| (r.id(), k)).collect();
        let same = want.len() == fresh.len()
            && asked.len() == fresh.len()
            && asked.iter().all(|a| want.contains_key(a.as_str()));
        if !same {
            return None;
        }
        let from = self.offset.min(self.view.len());
        let shown = self.view[from..].iter().chain(&self.view[..from]);
        let everywhere = shown.map(|&i| i as usize).chain(0..self.rows.len());
        let mut places = vec![0; fresh.len()];
        for i in everywhere {
            if want.is_empty() {
                break;
            }
            if let Some(k) = want.remove(self.rows[i].id()) {
                places[k] = i;
            }
        }
        want.is_empty().then_some(places)
    }

    /// Puts `fresh[k]` at `places[k]`; the text, the order and the view change only as far as
    /// the changed rows make them.
    fn replace(&mut self, places: Vec<usize>, fresh: Vec<R>) {
        let mut changed = Vec::new();
        for (i, new) in places.into_iter().zip(fresh) {
            let old = &self.rows[i];
            if old.cells() != new.cells() || old.in_transition() != new.in_transition() {
                self.rows[i] = new;
                changed.push(i);
            }
        }
        if changed.is_empty() {
            return;
        }
        let keep = self.selected_id();
        // Rows keep their indices here: the selection is found again by index, not by id.
        let keep_row = self.view.get(self.selected).copied();
        let key = |l: &Self, i: usize| l.sort.map(|s| l.cell(i, s.column).to_owned());
        let old_keys: Vec<_> = changed.iter().map(|&i| key(self, i)).collect();
        self.rewrite_text(&changed);
        self.history.clear();
        let resorted = match self.sort {
            Some(sort)
                if changed
                    .iter()
                    .zip(&old_keys)
                    .any(|(&i, old)| key(self, i) != *old) =>
            {
                self.reposition(sort, &changed);
                true
            }
            _ => false,
        };
        if self.filtering.is_some() {
            return self.refilter(self.order.clone(), keep);
        }
        let az = AzScope(self.az.as_deref().zip(R::az_column()));
        if self.query.is_empty() && az.is_any() {
            if resorted {
                self.view = self.order.clone();
                self.select_row(keep_row);
            }
            return;
        }
        let text = self.text();
        let mut shown = vec![false; self.rows.len()];
        for &i in &self.view {
            shown[i as usize] = true;
        }
        let mut moved = resorted;
        for &i in &changed {
            let now = az.passes(&self.query, text, i);
            moved |= now != shown[i];
            shown[i] = now;
        }
        if moved {
            self.view = self
                .order
                .iter()
                .copied()
                .filter(|&i| shown[i as usize])
                .collect();
            self.select_row(keep_row);
        }
    }

    /// Selects row `row` (an index into `rows`) where the view shows it, else the row at the
    /// same place.
    fn select_row(&mut self, row: Option<u32>) {
        if let Some(k) = row.and_then(|r| self.view.iter().position(|&i| i == r)) {
            self.selected = k;
        }
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    /// Moves the changed rows to their places in the sort order (the others keep theirs).
    fn reposition(&mut self, sort: Sort, changed: &[usize]) {
        let mut is_changed = vec![false; self.rows.len()];
        for &i in changed {
            is_changed[i] = true;
        }
        self.order.retain(|&i| !is_changed[i as usize]);
        for &i in changed {
            let at = self
                .order
                .partition_point(|&j| self.compare_rows(sort, j as usize, i) == Ordering::Less);
            self.order.insert(at, i as u32);
        }
    }

    /// Writes the changed rows' lowercase text: the text before the first of them stays, and
    /// each run of unchanged rows after it is copied in one piece.
    fn rewrite_text(&mut self, changed: &[usize]) {
        let mut changed = changed.to_vec();
        changed.sort_unstable();
        let Some(&first) = changed.first() else {
            return;
        };
        let old = std::mem::take(&mut self.starts);
        let from = old[first] as usize;
        let tail = self.hay.split_off(from);
        let mut starts = old[..=first].to_vec();
        // Copies old rows `next..end` after the new text, with their starts moved along.
        let copy = |hay: &mut String, starts: &mut Vec<u32>, next: usize, end: usize| {
            let shift = hay.len() as i64 - i64::from(old[next]);
            hay.push_str(&tail[old[next] as usize - from..old[end] as usize - from]);
            starts.extend(
                old[next + 1..=end]
                    .iter()
                    .map(|&s| (i64::from(s) + shift) as u32),
            );
        };
        let mut next = first;
        for &c in &changed {
            copy(&mut self.hay, &mut starts, next, c);
            push_lowercase(&mut self.hay, self.rows[c].cells().joined());
            starts.push(self.hay.len() as u32);
            next = c + 1;
        }
        copy(&mut self.hay, &mut starts, next, self.rows.len());
        self.starts = starts;
    }
}
