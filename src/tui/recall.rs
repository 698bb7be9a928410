//! What was typed at the `:` and `/` lines this session, recalled with Up and Down (k9s's habit):
//! the newest first, no entry twice in a row, at most `RECALL_MAX` kept.

use super::line_input::LineInput;

/// Lines kept per input (the oldest go first).
pub const RECALL_MAX: usize = 100;

/// The lines entered at one input, the oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recall {
    entries: Vec<String>,
}

impl Recall {
    /// Keeps a line entered (Enter): not an empty one, nor the same as the last.
    pub fn push(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() || self.entries.last().is_some_and(|l| l == text) {
            return;
        }
        self.entries.push(text.to_owned());
        if self.entries.len() > RECALL_MAX {
            self.entries.remove(0);
        }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Up (`older`) or Down: `older` or `newer`.
    pub fn walk(&self, line: &mut LineInput, older: bool) -> bool {
        if older {
            self.older(line)
        } else {
            self.newer(line)
        }
    }

    /// Up: the line entered before the one shown (the newest at first), the line being typed
    /// kept to come back to. `false` when there is none older.
    pub fn older(&self, line: &mut LineInput) -> bool {
        let at = match line.recalled {
            None => self.entries.len(),
            Some(i) => i,
        };
        let Some(i) = at.checked_sub(1) else {
            return false;
        };
        if line.recalled.is_none() {
            line.draft = std::mem::take(&mut line.text);
        }
        line.recalled = Some(i);
        line.text = self.entries[i].clone();
        true
    }

    /// Down: the line entered after the one shown, then the line that was being typed.
    pub fn newer(&self, line: &mut LineInput) -> bool {
        let Some(i) = line.recalled else {
            return false;
        };
        if i + 1 < self.entries.len() {
            line.recalled = Some(i + 1);
            line.text = self.entries[i + 1].clone();
        } else {
            line.recalled = None;
            line.text = std::mem::take(&mut line.draft);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_walk_the_lines_entered_and_come_back_to_the_one_typed() {
        let mut r = Recall::default();
        for l in ["web", "db", "db", "", "  ", "status:active"] {
            r.push(l);
        }
        assert_eq!(
            r.entries(),
            ["web", "db", "status:active"],
            "no twins in a row"
        );
        let mut line = LineInput::new("ca");
        assert!(r.older(&mut line));
        assert_eq!(line.text, "status:active");
        assert!(r.older(&mut line));
        assert!(r.older(&mut line));
        assert_eq!(line.text, "web");
        assert!(!r.older(&mut line), "none older");
        assert_eq!(line.text, "web");
        assert!(r.newer(&mut line));
        assert_eq!(line.text, "db");
        r.newer(&mut line);
        r.newer(&mut line);
        assert_eq!(line.text, "ca", "the line being typed comes back");
        assert!(!r.newer(&mut line));
        assert!(!Recall::default().older(&mut line));
    }

    #[test]
    fn it_keeps_the_newest_lines_only() {
        let mut r = Recall::default();
        for i in 0..RECALL_MAX + 5 {
            r.push(&format!("q{i}"));
        }
        assert_eq!(r.entries().len(), RECALL_MAX);
        assert_eq!(r.entries()[0], "q5");
        r.push("q2");
        assert_eq!(
            r.entries().last().map(String::as_str),
            Some("q2"),
            "again, as the newest"
        );
    }
}
