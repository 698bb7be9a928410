//! The pages of a first read added to a list as they arrive: the new rows take their places in
//! the sort and the filtered view, and the selected row stays selected where it is on screen.
//! A page costs its own rows (and a copy of the order), not a rebuild of the list.

use std::cmp::Ordering;

use super::filtering::AzScope;
use super::rows::Row;
use super::{ListState, push_lowercase};

impl<R: Row> ListState<R> {
    /// Adds `rows` after the others (the next page of a read); marks, the filter, the sort and
    /// the selected row stay.
    pub fn append_rows(&mut self, rows: Vec<R>, height: usize) {
        if rows.is_empty() {
            return;
        }
        let keep = self.selected_id();
        let keep_row = self.view.get(self.selected).copied();
        let from = self.rows.len();
        for r in &rows {
            push_lowercase(&mut self.hay, r.cells().joined());
            self.starts.push(self.hay.len() as u32);
        }
        self.rows.extend(rows);
        let mut new: Vec<u32> = (from as u32..self.rows.len() as u32).collect();
        let id = |i: u32| self.rows[i as usize].id();
        let mut new_by_id = new.clone();
        new_by_id.sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
        self.by_id = merge_sorted(&self.by_id, &new_by_id, |j, i| id(j) < id(i));
        if let Some(sort) = self.sort {
            new.sort_unstable_by(|&a, &b| self.compare_rows(sort, a as usize, b as usize));
        }
        self.order = self.merged(&self.order, &new);
        self.history.clear();
        if self.filtering.is_some() {
            // The view on its way walks an order without the new rows: it starts again.
            return self.refilter(self.order.clone(), keep);
        }
        let az = AzScope(self.az.as_deref().zip(R::az_column()));
        let text = self.text();
        let shown: Vec<u32> = new
            .into_iter()
            .filter(|&i| az.passes(&self.query, text, i as usize))
            .collect();
        self.view = self.merged(&self.view, &shown);
        // The selected row keeps its line: rows put before it push the page down with it.
        if let Some(k) = keep_row.and_then(|r| self.view.iter().position(|&i| i == r)) {
            self.offset += k - self.selected;
            self.selected = k;
        }
        self.scroll(height);
    }

    /// `old` (rows in sort order) with `new` (rows of the same order, none in `old`) put in
    /// their places; without a sort, `new` after `old`.
    fn merged(&self, old: &[u32], new: &[u32]) -> Vec<u32> {
        let Some(sort) = self.sort else {
            return [old, new].concat();
        };
        merge_sorted(old, new, |j, i| {
            self.compare_rows(sort, j as usize, i as usize) == Ordering::Less
        })
    }

    /// A read whose pages were added with `append_rows` is whole.
    pub fn set_read(&mut self, at: chrono::DateTime<chrono::Local>) {
        self.fetched_at = Some(at);
        self.stale = None;
        self.loading = false;
    }
}

/// `old` and `new` (each in the order `before` gives: `before(j, i)` when `j` comes before `i`)
/// as one list in that order: each of `new` found by a binary search in what is left of `old`.
fn merge_sorted(old: &[u32], new: &[u32], before: impl Fn(u32, u32) -> bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let mut rest = old;
    for &i in new {
        let at = rest.partition_point(|&j| before(j, i));
        out.extend_from_slice(&rest[..at]);
        out.push(i);
        rest = &rest[at..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
pub(super) mod tests {
    use proptest::prelude::*;

    use super::super::ListState;
    use crate::tui::list::rows::{ServerFields, ServerRow};

    /// Servers of `(name, status)`, their ids in another order than the rows'.
    pub(in crate::tui::list) fn rows(names: &[(String, String)]) -> Vec<ServerRow> {
        names
            .iter()
            .enumerate()
            .map(|(i, (name, status))| {
                let f = ServerFields {
                    id: format!("id-{:03}", (i * 37) % 101),
                    name: name.clone(),
                    status: status.clone(),
                    az: "region-1a".into(),
                    ..Default::default()
                };
                ServerRow::read_in(f, "region-1")
            })
            .collect()
    }

    fn shown(l: &ListState<ServerRow>) -> Vec<String> {
        l.view
            .iter()
            .map(|&i| l.rows[i as usize].id().to_owned())
            .collect()
    }

    use crate::tui::list::rows::Row;

    proptest! {
        /// Pages added one by one give the view one answer of every row gives, whatever the
        /// sort and the filter.
        #[test]
        fn pages_added_give_the_view_of_the_whole_list(
            names in prop::collection::vec(("[a-c]{0,3}", "(ACTIVE|SHUTOFF|BUILD)"), 0..100),
            cut in prop::collection::vec(1usize..30, 1..8),
            sorts in 0usize..4,
            reverse in any::<bool>(),
            query in "(|a|b|status:active)",
        ) {
            let all = rows(&names);
            let at = chrono::Local::now();
            let mut whole = ListState::default();
            let mut paged = ListState::default();
            for l in [&mut whole, &mut paged] {
                for _ in 0..sorts {
                    l.sort_next();
                }
                if reverse {
                    l.sort_reverse();
                }
                l.set_query(&query).unwrap();
            }
            whole.set_rows(all.clone(), at);
            let mut rest = &all[..];
            for n in cut.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (now, later) = rest.split_at((*n).min(rest.len()));
                paged.append_rows(now.to_vec(), 10);
                paged.finish();
                rest = later;
            }
            paged.set_read(at);
            prop_assert_eq!(shown(&paged), shown(&whole));
            // A sort after the pages (ties by id) is the sort of the whole list.
            for l in [&mut whole, &mut paged] {
                l.sort_next();
                l.finish();
            }
            prop_assert_eq!(shown(&paged), shown(&whole));
        }
    }
}
