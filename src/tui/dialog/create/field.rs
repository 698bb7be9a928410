//! One text field of a form, on `tui-input` (cursor, word moves, Home/End, Ctrl-w/u/k); a secret
//! field keeps its text out of `Debug` and shows it masked.

use std::fmt;

use crossterm::event::{KeyCode, KeyModifiers};
use tui_input::{Input, InputRequest};

use crate::tui::keymap::Key;

#[derive(Clone, Default)]
pub struct TextField {
    input: Input,
    secret: bool,
}

impl TextField {
    pub fn new(text: &str) -> Self {
        TextField {
            input: Input::new(text.to_owned()),
            secret: false,
        }
    }

    /// A password: never in `Debug`, masked on screen.
    pub fn secret() -> Self {
        TextField {
            input: Input::default(),
            secret: true,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.input = Input::new(text.to_owned());
    }

    /// The cursor's column in `shown()`.
    pub fn cursor(&self) -> usize {
        self.input.visual_cursor()
    }

    /// The text as the screen shows it: a secret as one `*` per character.
    pub fn shown(&self) -> String {
        if self.secret {
            "*".repeat(self.input.value().chars().count())
        } else {
            self.input.value().to_owned()
        }
    }

    /// An editing key changes the text or the cursor: `Some(text changed)`. `None`: not an
    /// editing key (Enter, Esc, Tab, ↑/↓…), for the form to handle.
    pub fn edit(&mut self, key: Key) -> Option<bool> {
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        let alt = key.mods.contains(KeyModifiers::ALT);
        let req = match key.code {
            KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
            KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
            KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
            KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
            KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
            KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
            KeyCode::Char(c) if !ctrl && !alt => InputRequest::InsertChar(c),
            KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left if ctrl || alt => InputRequest::GoToPrevWord,
            KeyCode::Right if ctrl || alt => InputRequest::GoToNextWord,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right => InputRequest::GoToNextChar,
            KeyCode::Home => InputRequest::GoToStart,
            KeyCode::End => InputRequest::GoToEnd,
            _ => return None,
        };
        let before = self.input.value().to_owned();
        self.input.handle(req);
        Some(before != self.input.value())
    }
}

impl PartialEq for TextField {
    fn eq(&self, other: &Self) -> bool {
        self.secret == other.secret
            && self.input.value() == other.input.value()
            && self.input.cursor() == other.input.cursor()
    }
}

impl Eq for TextField {}

impl fmt::Debug for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret {
            write!(f, "TextField(***)")
        } else {
            write!(f, "TextField({:?})", self.input.value())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_move_the_cursor_and_words() {
        let mut t = TextField::new("");
        for c in "web 01".chars() {
            assert_eq!(t.edit(Key::char(c)), Some(true));
        }
        assert_eq!(t.edit(Key::plain(KeyCode::Left)), Some(false));
        assert_eq!(t.edit(Key::char('x')), Some(true));
        assert_eq!(t.value(), "web 0x1");
        assert_eq!(t.edit(Key::plain(KeyCode::Home)), Some(false));
        assert_eq!(t.cursor(), 0);
        t.edit(Key::plain(KeyCode::End));
        t.edit(Key::ctrl('w'));
        assert_eq!(t.value(), "web ");
        assert_eq!(t.edit(Key::plain(KeyCode::Enter)), None);
        assert_eq!(t.edit(Key::plain(KeyCode::Tab)), None);
    }

    #[test]
    fn a_secret_is_masked_and_kept_out_of_debug() {
        let mut t = TextField::secret();
        for c in "Pa55word!".chars() {
            t.edit(Key::char(c));
        }
        assert_eq!(t.shown(), "*********");
        assert_eq!(t.value(), "Pa55word!");
        assert!(!format!("{t:?}").contains("Pa55"));
    }
}
