//! A picker: one list to choose from, narrowed by typing (each word must appear, any case), moved
//! through with the keymap's moves (the arrows, Home/End, PgUp/PgDn), `Enter` chooses, `Esc`
//! cancels. Generic over what it offers (`Offer`: a server to attach to, a disk to detach, …).

use std::fmt::Debug;

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::frame::{Frame, input_line};
use super::{Dialog, Env, Outcome};
use crate::tui::app::messages::Level;
use crate::tui::keymap::{Action, Key, Keymap};
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::theme::Styles;

/// One thing a picker offers.
pub trait Offer: Clone + Debug + PartialEq + 'static {
    /// Its line in the list (what typing narrows on).
    fn label(&self) -> String;

    /// Why it cannot be chosen now (`None`: it can); shown beside it, said on `Enter`.
    fn refusal(&self) -> Option<String> {
        None
    }

    /// `Enter` on it: what the dialog answers (a submission, the next dialog…).
    fn chosen(self) -> Outcome;
}

/// The picker: a title, lines about what it is for, the offers, the typed filter, the cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker<T: Offer> {
    title: String,
    about: Vec<String>,
    offers: Vec<T>,
    filter: LineInput,
    /// Index into `shown()`.
    cursor: usize,
    /// What the list says when it offers nothing.
    empty: String,
}

impl<T: Offer> Picker<T> {
    pub fn new(title: impl Into<String>, about: Vec<String>, offers: Vec<T>) -> Self {
        Picker {
            title: title.into(),
            about,
            offers,
            filter: LineInput::default(),
            cursor: 0,
            empty: "nothing to choose from".to_owned(),
        }
    }

    /// What the list says when it offers nothing (or nothing matches).
    pub fn when_empty(mut self, text: impl Into<String>) -> Self {
        self.empty = text.into();
        self
    }

    /// The offers the filter lets through, in their order.
    pub fn shown(&self) -> Vec<&T> {
        let words: Vec<String> = self
            .filter
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.offers
            .iter()
            .filter(|o| {
                let label = o.label().to_lowercase();
                words.iter().all(|w| label.contains(w.as_str()))
            })
            .collect()
    }

    /// The offer under the cursor.
    pub fn selected(&self) -> Option<&T> {
        self.shown().get(self.cursor).copied()
    }

    pub fn filter(&self) -> &str {
        &self.filter.text
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// Its lines: what it is for, the filter, the offers that fit in `room` (the cursor's in view).
    fn lines(&self, room: usize, styles: &Styles) -> Vec<Line<'static>> {
        let mut lines: Vec<Line> = self
            .about
            .iter()
            .map(|a| Line::styled(format!(" {a}"), styles.text))
            .collect();
        lines.push(input_line(&self.filter.text, styles));
        let shown = self.shown();
        if shown.is_empty() {
            let why = if self.offers.is_empty() {
                self.empty.clone()
            } else {
                format!("nothing matches {:?}", self.filter.text)
            };
            lines.push(Line::styled(format!(" {why}"), styles.dim));
        }
        let room = room.max(1);
        let start = self.cursor.saturating_sub(room - 1);
        for (i, o) in shown.iter().enumerate().skip(start).take(room) {
            let here = i == self.cursor;
            let marker = if here { styles.symbols.cursor } else { " " };
            let refusal = o.refusal();
            let text = match &refusal {
                Some(why) => format!("{marker} {}  ({why})", o.label()),
                None => format!("{marker} {}", o.label()),
            };
            let style = match (here, refusal.is_some()) {
                (true, _) => styles.selection,
                (false, true) => styles.dim,
                (false, false) => styles.text,
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines
    }
}

impl<T: Offer> Dialog for Picker<T> {
    /// Typing narrows the list; the keymap's moves that are not letters (arrows, Home/End,
    /// PgUp/PgDn) move; `Enter` chooses; `Esc` cancels.
    fn key(&mut self, key: Key, env: &Env) -> Outcome {
        match self.filter.edit(key) {
            Edit::Changed => {
                self.cursor = 0;
                return Outcome::Changed;
            }
            Edit::Unchanged => return Outcome::Ignored,
            Edit::Other => {}
        }
        match key.code {
            KeyCode::Esc => return Outcome::cancelled(),
            KeyCode::Enter => {
                return match self.selected() {
                    None => Outcome::Say(Level::Info, "nothing chosen; nothing was sent".into()),
                    Some(o) => match o.refusal() {
                        Some(why) => Outcome::Say(Level::Error, format!("{why}; nothing was sent")),
                        None => o.clone().chosen(),
                    },
                };
            }
            _ => {}
        }
        const PAGE: isize = 10;
        let delta = match env.keymap.action(key) {
            Some(Action::Down) => 1,
            Some(Action::Up) => -1,
            Some(Action::PageDown) => PAGE,
            Some(Action::PageUp) => -PAGE,
            Some(Action::Top) => isize::MIN / 2,
            Some(Action::Bottom) => isize::MAX / 2,
            _ => return Outcome::Ignored,
        };
        self.move_by(delta);
        Outcome::Changed
    }

    fn draw(&self, env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        // Room for the about lines, the filter, a blank, the keys and the borders.
        let room = (area.height as usize).saturating_sub(self.about.len() + 5);
        let keys = env.keymap;
        Frame::new(self.title.clone())
            .hint(
                format!("{}/{}", mover(keys, Action::Down), mover(keys, Action::Up)),
                "move",
            )
            .hint("type", "filter")
            .hint("enter", "choose")
            .hint("esc", "cancel")
            .min_width(50)
            .popup(self.lines(room, styles), styles, area, buf);
        None
    }
}

/// The first key of a move that is not a letter (letters go to the filter): `down`, `up`.
fn mover(keys: &Keymap, action: Action) -> String {
    keys.keys(action)
        .iter()
        .find(|k| !matches!(k.code, KeyCode::Char(_)) || !k.mods.is_empty())
        .map(Key::to_string)
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "picker_tests.rs"]
mod tests;
