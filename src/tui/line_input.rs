//! A one-line input for the filter and the command line: type, Backspace, Ctrl-w, Ctrl-u.

use crossterm::event::{KeyCode, KeyModifiers};

use super::keymap::Key;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// The entered line shown instead of the one typed (`recall.rs`), by its index.
    pub recalled: Option<usize>,
    /// The line being typed when Up recalled an older one.
    pub draft: String,
}

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Unchanged,
    /// Not an editing key (Enter, Esc, Tab, …): the caller decides.
    Other,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        LineInput {
            text: text.to_owned(),
            ..LineInput::default()
        }
    }

    pub fn edit(&mut self, key: Key) -> Edit {
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('w') if ctrl => {
                let before = self.text.len();
                let kept = self.text.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
                self.text.truncate(kept);
                changed(before != self.text.len())
            }
            KeyCode::Char('u') if ctrl => {
                let was = !self.text.is_empty();
                self.text.clear();
                changed(was)
            }
            KeyCode::Char(c) if !ctrl && !key.mods.contains(KeyModifiers::ALT) => {
                self.text.push(c);
                Edit::Changed
            }
            KeyCode::Backspace => changed(self.text.pop().is_some()),
            _ => Edit::Other,
        }
    }
}

fn changed(yes: bool) -> Edit {
    if yes { Edit::Changed } else { Edit::Unchanged }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_deleting() {
        let mut l = LineInput::new("");
        for c in "web az:1".chars() {
            assert_eq!(l.edit(Key::char(c)), Edit::Changed);
        }
        assert_eq!(l.text, "web az:1");
        l.edit(Key::ctrl('w'));
        assert_eq!(l.text, "web ");
        l.edit(Key::plain(KeyCode::Backspace));
        assert_eq!(l.text, "web");
        assert_eq!(l.edit(Key::plain(KeyCode::Enter)), Edit::Other);
        l.edit(Key::ctrl('u'));
        assert_eq!(l.edit(Key::plain(KeyCode::Backspace)), Edit::Unchanged);
    }
}
