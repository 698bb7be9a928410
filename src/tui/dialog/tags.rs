//! `T`: add and remove tags of the selected or marked servers. One line, `k=v` adds (or sets)
//! a tag, `-k` removes one, checked as it is typed; `Enter` submits, `Esc` sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::op_offer::refusal_of;
use super::{Dialog, Env, Outcome, checked_line};
use crate::runner::tags::TagChange;
use crate::runner::{Known, Op, ServerRef};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagsDialog {
    pub servers: Vec<ServerRef>,
    pub known: Known,
    /// The tags of the one server chosen (empty for several), shown above the line.
    pub current: Vec<String>,
    pub input: LineInput,
    /// Why the line cannot be sent (`None`: it can).
    pub problem: Option<String>,
}

impl TagsDialog {
    pub fn new(servers: Vec<ServerRef>, known: Known, current: Vec<String>) -> Self {
        let mut d = TagsDialog {
            servers,
            known,
            current,
            input: LineInput::default(),
            problem: None,
        };
        d.problem = d.op("").err();
        d
    }

    fn op(&self, line: &str) -> Result<Op, String> {
        op_of(&self.servers, &self.known, line)
    }

    fn heading(&self) -> String {
        match self.servers.as_slice() {
            [one] if self.current.is_empty() => format!(" tags of {} (none yet)", one.name),
            [one] => format!(" tags of {}: {}", one.name, self.current.join(" ")),
            many => format!(" tags of {} servers", many.len()),
        }
    }
}

impl Dialog for TagsDialog {
    /// Typing (checked at once); `Enter` submits; `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let (servers, known) = (&self.servers, &self.known);
        checked_line::key(&mut self.input, &mut self.problem, key, |line| {
            op_of(servers, known, line).err()
        })
        .unwrap_or_else(|| match self.op(&self.input.text) {
            Ok(op) => Outcome::Submit(Box::new(op), self.known.clone()),
            Err(why) => Outcome::Say(crate::tui::app::Level::Error, why),
        })
    }

    /// What the servers carry, the line (`env=prod -owner`), and its check under it.
    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let lines = checked_line::lines(
            self.heading(),
            &self.input.text,
            self.problem.as_deref(),
            styles,
        );
        checked_line::frame("tags: k=v adds, -k removes", "apply").popup(lines, styles, area, buf);
        None
    }
}

/// The op of `line`, or why it cannot be sent (its tags, then the runner's preconditions).
fn op_of(servers: &[ServerRef], known: &Known, line: &str) -> Result<Op, String> {
    let op = Op::Tags {
        servers: servers.to_vec(),
        change: TagChange::parse_line(line)?,
    };
    match refusal_of(&op, known) {
        Some(why) => Err(why),
        None => Ok(op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::KnownServer;
    use crate::tui::keymap::Key;
    use crossterm::event::KeyCode;

    fn dialog(n: usize) -> TagsDialog {
        let servers: Vec<ServerRef> = (0..n)
            .map(|i| ServerRef::new(format!("id-{i}"), format!("web-{i}")))
            .collect();
        let known = servers
            .iter()
            .map(|s| {
                let k = KnownServer {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    status: "ACTIVE".into(),
                    task_state: None,
                    flavor_id: None,
                };
                (s.id.clone(), k)
            })
            .collect();
        TagsDialog::new(servers, known, vec!["env=test".into()])
    }

    fn env_free<T>(f: impl FnOnce(&Env) -> T) -> T {
        let keymap = crate::tui::keymap::Keymap::default();
        let catalog = crate::tui::app::catalog_state::CatalogState::default();
        f(&Env {
            keymap: &keymap,
            region: "region-1",
            read_only: false,
            catalog: &catalog,
        })
    }

    #[test]
    fn typed_tags_are_checked_and_submitted_for_every_server() {
        let mut d = dialog(3);
        assert!(d.problem.as_deref().unwrap_or("").contains("no tag"));
        env_free(|env| {
            for c in "env=prod -owner".chars() {
                d.key(Key::char(c), env);
            }
            assert_eq!(d.problem, None);
            match d.key(Key::plain(KeyCode::Enter), env) {
                Outcome::Submit(op, known) => {
                    assert_eq!(known.len(), 3);
                    assert_eq!(op.describe(), "tag 3 servers +env=prod -owner");
                }
                other => panic!("{other:?}"),
            }
            let mut bad = dialog(1);
            for c in "a -a".chars() {
                bad.key(Key::char(c), env);
            }
            assert!(bad.problem.as_deref().unwrap_or("").contains("both"));
            assert!(matches!(
                bad.key(Key::plain(KeyCode::Enter), env),
                Outcome::Say(..)
            ));
        });
        assert_eq!(dialog(1).heading(), " tags of web-0: env=test");
    }
}
