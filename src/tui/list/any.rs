//! Any list, whatever its row type: what the app does to the list on screen (fill, filter, move,
//! mark, sort, draw) and reads of it (its fetch time, staleness, the newest request).

use std::any::Any;

use chrono::{DateTime, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::filter::FilterError;
use super::rows::{Column, Row};
use super::{ListState, Stale};
use crate::read::source::Payload;
use crate::tui::theme::Styles;
use crate::tui::widgets::table;

/// The operations the app applies to whichever list is shown, whatever its row type.
pub trait AnyList {
    fn set_query(&mut self, text: &str) -> Result<(), FilterError>;
    fn query(&self) -> &str;
    /// How far a view on its way has got, in percent; `None` when it is complete.
    fn filtering(&self) -> Option<u8>;
    /// Checks at most `budget` more rows of a view on its way; true while some remain.
    fn work(&mut self, budget: usize) -> bool;
    /// Completes a view on its way.
    fn finish(&mut self);
    fn move_by(&mut self, delta: isize, height: usize);
    fn select(&mut self, index: usize, height: usize);
    fn scroll(&mut self, height: usize);
    fn len(&self) -> usize;
    /// The index of the first row on screen.
    fn offset(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn total(&self) -> usize;
    /// The rows in the chosen AZ (`ListState::in_scope`).
    fn in_scope(&self) -> usize;
    fn selected_id(&self) -> Option<String>;
    fn selected_cells(&self) -> Option<Vec<(&'static str, String)>>;
    fn toggle_mark(&mut self);
    fn mark_shown(&mut self);
    fn clear_marks(&mut self);
    fn marked(&self) -> usize;
    /// `o`: the next column drawn (`hidden`: the fields of those not drawn).
    fn sort_next(&mut self, hidden: &[&'static str]);
    fn sort_reverse(&mut self);
    fn sort_label(&self) -> Option<(&'static str, bool)>;
    /// Sorts by a column (again: the other way).
    fn sort_by(&mut self, column: usize);
    /// Its columns, as its row type declares them.
    fn columns(&self) -> &'static [Column];
    fn set_az(&mut self, az: Option<&str>);
    fn clear(&mut self);
    fn state(&self) -> ListMeta<'_>;
    fn meta_mut(&mut self) -> ListMetaMut<'_>;
    /// Takes a read's answer as its rows (`azs`: the region's AZs); false when the answer is not
    /// of its rows.
    fn fill(&mut self, payload: Payload, azs: &[String], at: DateTime<Local>) -> bool;
    /// The table of its rows; `letters`: each column's sort letter, underlined in its header.
    fn draw(&self, letters: &[Option<char>], styles: &Styles, area: Rect, buf: &mut Buffer);
    /// The list with its row type, for the code that acts on its typed rows.
    fn as_any(&self) -> &dyn Any;
}

/// The fields the app reads of any list.
pub struct ListMeta<'a> {
    pub fetched_at: Option<DateTime<Local>>,
    pub stale: Option<&'a Stale>,
    pub loading: bool,
    pub want: u64,
}

pub struct ListMetaMut<'a> {
    pub stale: &'a mut Option<Stale>,
    pub loading: &'a mut bool,
    pub want: &'a mut u64,
}

impl<R: Row + 'static> AnyList for ListState<R> {
    fn set_query(&mut self, text: &str) -> Result<(), FilterError> {
        ListState::set_query(self, text)
    }
    fn query(&self) -> &str {
        ListState::query(self)
    }
    fn filtering(&self) -> Option<u8> {
        ListState::filtering(self)
    }
    fn work(&mut self, budget: usize) -> bool {
        ListState::work(self, budget)
    }
    fn finish(&mut self) {
        ListState::finish(self)
    }
    fn move_by(&mut self, delta: isize, height: usize) {
        ListState::move_by(self, delta, height)
    }
    fn select(&mut self, index: usize, height: usize) {
        ListState::select(self, index, height)
    }
    fn scroll(&mut self, height: usize) {
        ListState::scroll(self, height)
    }
    fn offset(&self) -> usize {
        ListState::offset(self)
    }
    fn len(&self) -> usize {
        ListState::len(self)
    }
    fn total(&self) -> usize {
        ListState::total(self)
    }
    fn in_scope(&self) -> usize {
        ListState::in_scope(self)
    }
    fn selected_id(&self) -> Option<String> {
        ListState::selected_id(self)
    }
    fn selected_cells(&self) -> Option<Vec<(&'static str, String)>> {
        let r = self.selected_row()?;
        Some(
            R::columns()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.header, r.cells().get(i).to_owned()))
                .collect(),
        )
    }
    fn toggle_mark(&mut self) {
        ListState::toggle_mark(self)
    }
    fn mark_shown(&mut self) {
        ListState::mark_shown(self)
    }
    fn clear_marks(&mut self) {
        ListState::clear_marks(self)
    }
    fn marked(&self) -> usize {
        ListState::marked(self)
    }
    fn sort_next(&mut self, hidden: &[&'static str]) {
        ListState::sort_next_shown(self, hidden)
    }
    fn sort_reverse(&mut self) {
        ListState::sort_reverse(self)
    }
    fn sort_by(&mut self, column: usize) {
        ListState::sort_by(self, column)
    }
    fn columns(&self) -> &'static [Column] {
        R::columns()
    }
    fn sort_label(&self) -> Option<(&'static str, bool)> {
        self.sort()
            .and_then(|s| R::columns().get(s.column).map(|c| (c.field, s.descending)))
    }
    fn set_az(&mut self, az: Option<&str>) {
        ListState::set_az(self, az)
    }
    fn clear(&mut self) {
        ListState::clear(self)
    }
    fn state(&self) -> ListMeta<'_> {
        ListMeta {
            fetched_at: self.fetched_at,
            stale: self.stale.as_ref(),
            loading: self.loading,
            want: self.want,
        }
    }
    fn meta_mut(&mut self) -> ListMetaMut<'_> {
        ListMetaMut {
            stale: &mut self.stale,
            loading: &mut self.loading,
            want: &mut self.want,
        }
    }
    fn fill(&mut self, payload: Payload, azs: &[String], at: DateTime<Local>) -> bool {
        match R::from_payload(payload, azs) {
            Some(rows) => {
                self.set_rows(rows, at);
                true
            }
            None => false,
        }
    }
    fn draw(&self, letters: &[Option<char>], styles: &Styles, area: Rect, buf: &mut Buffer) {
        let extras = table::Extras {
            task_of: &|_| None,
            hidden: &[],
            letters,
        };
        table::render(self, &extras, styles, area, buf)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
