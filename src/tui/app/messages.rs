//! The message log (`:messages`): every message and failed read of this run, whole and made
//! safe for the screen, oldest first; the status line shows only the last one, cut to fit.

use std::collections::VecDeque;

use crate::terminal_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// One message, and how many times in a row it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub level: Level,
    pub text: String,
    pub repeats: u32,
}

/// The messages of this run, at most `CAP` (the oldest go first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageLog {
    entries: VecDeque<Entry>,
    /// While the log is open: how many lines it is scrolled up from its end (0: the newest
    /// message at the bottom).
    pub open: Option<usize>,
}

impl MessageLog {
    pub const CAP: usize = 500;

    /// Adds a message; the same text again right after only counts a repeat.
    pub fn push(&mut self, level: Level, text: &str) {
        let text = terminal_text::text(text);
        if let Some(last) = self.entries.back_mut()
            && last.level == level
            && last.text == text
        {
            last.repeats += 1;
            return;
        }
        if self.entries.len() == Self::CAP {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry {
            level,
            text: text.into_owned(),
            repeats: 1,
        });
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_fold_the_oldest_go_and_text_is_made_safe() {
        let mut log = MessageLog::default();
        log.push(Level::Error, "down\x1b[2J");
        log.push(Level::Error, "down\x1b[2J");
        log.push(Level::Info, "down\x1b[2J");
        let e: Vec<_> = log.entries().collect();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].text.as_str(), e[0].repeats), ("down\u{fffd}[2J", 2));
        for i in 0..MessageLog::CAP {
            log.push(Level::Info, &i.to_string());
        }
        assert_eq!(log.len(), MessageLog::CAP);
        assert_eq!(log.entries().next().unwrap().text, "0");
    }
}
