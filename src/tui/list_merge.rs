//! A refresh of some rows merged into a list. The usual answer (the same rows, a few changed)
//! is merged in place: only changed rows are written and filtered again, and nothing at all
//! happens when nothing changed. Rows gone or new rebuild the list.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Local};

use super::{ListState, push_lowercase, widen};
use crate::tui::list_filter::{AzScope, Text};
use crate::tui::rows::Row;

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
                // A cell that got shorter leaves its column as wide until the next full read.
                widen(&mut self.widths, &new);
                self.rows[i] = new;
                changed.push(i);
            }
        }
        if changed.is_empty() {
            return;
        }
        let keep = self.selected_id();
        let key = |l: &Self, i: usize| l.sort.map(|s| l.cell(i, s.column).to_owned());
        let old_keys: Vec<_> = changed.iter().map(|&i| key(self, i)).collect();
        self.rewrite_text(&changed);
        self.history.clear();
        let resort = changed
            .iter()
            .zip(&old_keys)
            .any(|(&i, old)| key(self, i) != *old);
        if resort {
            self.order = self.sorted_order();
            return self.refilter(self.order.clone(), keep);
        }
        let az = AzScope(self.az.as_deref().zip(R::az_column()));
        if self.filtering.is_some() {
            return self.refilter(self.order.clone(), keep);
        }
        if self.query.is_empty() && az.is_any() {
            return;
        }
        let text = Text {
            hay: &self.hay,
            starts: &self.starts,
        };
        let mut shown = vec![false; self.rows.len()];
        for &i in &self.view {
            shown[i as usize] = true;
        }
        let mut moved = false;
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
            self.selected = keep
                .and_then(|id| {
                    self.view
                        .iter()
                        .position(|&i| self.rows[i as usize].id() == id)
                })
                .unwrap_or(self.selected)
                .min(self.view.len().saturating_sub(1));
        }
    }

    /// Writes the changed rows' lowercase text; the others' is copied as it was.
    fn rewrite_text(&mut self, changed: &[usize]) {
        let mut is_changed = vec![false; self.rows.len()];
        for &i in changed {
            is_changed[i] = true;
        }
        let mut hay = String::with_capacity(self.hay.len() + self.hay.len() / 64);
        let mut starts = Vec::with_capacity(self.starts.len());
        starts.push(0);
        for (i, r) in self.rows.iter().enumerate() {
            if is_changed[i] {
                push_lowercase(&mut hay, r.cells().joined());
            } else {
                hay.push_str(&self.hay[self.starts[i] as usize..self.starts[i + 1] as usize]);
            }
            starts.push(hay.len() as u32);
        }
        self.hay = hay;
        self.starts = starts;
    }
}
