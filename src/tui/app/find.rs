//! `/` inside a describe or its raw JSON: the lines that hold the words typed (case-insensitive),
//! `n`/`N` to the next and previous, `Esc` ends it. Part of `AppState::update` (pure).

use crossterm::event::KeyCode;

pub use super::find_state::Find;
use super::{AppState, Describe, Effect, Level, Mode};
use crate::read::source::DetailLine;
use crate::tui::keymap::Key;
use crate::tui::line_input::Edit;

/// The text of each line of a describe as the view lays it out (the error, then the fields or
/// the JSON), for the search: the lines the view draws, in the same order.
pub fn describe_texts(d: &Describe) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &d.error {
        out.push(format!("could not read the details: {}", e.message));
    }
    match (&d.detail, d.raw) {
        (Some(detail), true) => out.extend(detail.raw_json.lines().map(str::to_owned)),
        (None, true) => out.push(String::new()),
        (Some(detail), false) => out.extend(detail.lines.iter().map(|l| match l {
            DetailLine::Section(s) => s.clone(),
            DetailLine::Field(k, v) => format!("{k}  {v}"),
        })),
        (None, false) => {
            out.extend(d.summary.iter().map(|(k, v)| format!("{k}  {v}")));
            if d.error.is_none() {
                out.push(String::new());
            }
        }
    }
    out
}

/// The lines (indices) that hold `needle`.
pub fn matching(texts: &[String], needle: &str) -> Vec<usize> {
    texts
        .iter()
        .enumerate()
        .filter(|(_, t)| t.to_lowercase().contains(needle))
        .map(|(i, _)| i)
        .collect()
}

/// Lines of context kept above a match scrolled to.
const ABOVE: usize = 2;

impl AppState {
    /// `/` in a describe: the search line opens (with the last words, to edit).
    pub(super) fn open_find(&mut self) {
        if let Mode::Describe(d) = &mut self.mode {
            let mut f = d.find.take().unwrap_or_default();
            f.typing = true;
            d.find = Some(f);
        }
    }

    /// A key in a describe while a search is on: typing it, or `n`/`N` after it; `None` when
    /// the key is not the search's (the key map has it).
    pub(super) fn on_find_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        let Mode::Describe(d) = &mut self.mode else {
            return None;
        };
        let find = d.find.as_mut()?;
        if find.typing {
            match (find.input.edit(key), key.code) {
                (Edit::Changed | Edit::Unchanged, _) => {}
                (Edit::Other, KeyCode::Enter) => {
                    find.typing = false;
                    find.current = None;
                    self.step_find(true);
                }
                (Edit::Other, KeyCode::Esc) => d.find = None,
                _ => self.dirty = false,
            }
            return Some(Vec::new());
        }
        match key.code {
            KeyCode::Char('n') if key.mods.is_empty() => self.step_find(true),
            KeyCode::Char('N') => self.step_find(false),
            KeyCode::Esc => d.find = None,
            _ => return None,
        }
        Some(Vec::new())
    }

    /// To the next (or previous) match, round the end; says how many there are.
    fn step_find(&mut self, forward: bool) {
        let Mode::Describe(d) = &mut self.mode else {
            return;
        };
        let texts = describe_texts(d);
        let Some(find) = d.find.as_mut() else {
            return;
        };
        let Some(needle) = find.needle() else {
            d.find = None;
            return;
        };
        let hits = matching(&texts, &needle);
        let next = match (find.current, forward) {
            (None, _) => hits.first(),
            (Some(c), true) => hits.iter().find(|&&i| i > c).or(hits.first()),
            (Some(c), false) => hits.iter().rev().find(|&&i| i < c).or(hits.last()),
        };
        let Some(&line) = next else {
            find.current = None;
            self.message = Some((Level::Info, format!("no line holds {needle:?}")));
            return;
        };
        find.current = Some(line);
        d.scroll = line.saturating_sub(ABOVE);
        let at = hits.iter().position(|&i| i == line).unwrap_or(0) + 1;
        self.message = Some((
            Level::Info,
            format!(
                "{needle:?}: {at} of {} lines (n next, N previous)",
                hits.len()
            ),
        ));
    }
}
