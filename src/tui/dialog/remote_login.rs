//! `v`: a server's remote login. The one-time noVNC URL is read when the dialog opens, shown
//! whole (wrapped), `Y` copies it (OSC 52), `o` opens it with `[ui] open_command`; it is a
//! secret: it never reaches the message log, and closing the dialog forgets it.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::Frame;
use super::{Dialog, Env, Outcome};
use crate::config::Secret;
use crate::read::source::{LoadError, Payload};
use crate::tui::app::Level;
use crate::tui::keymap::Key;
use crate::tui::theme::Styles;

/// Where the read of the URL is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Reading,
    Ready(Secret),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteLogin {
    /// The server's name, as shown.
    pub server: String,
    pub login: Login,
}

impl RemoteLogin {
    pub fn new(server: &str) -> Self {
        RemoteLogin {
            server: server.to_owned(),
            login: Login::Reading,
        }
    }
}

impl Dialog for RemoteLogin {
    /// `Y` copies, `o` opens, `Esc`/`q`/`Enter` close; the URL must have come for the first two.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let url = match &self.login {
            Login::Ready(url) => Some(url),
            _ => None,
        };
        match (key.code, url) {
            (KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q'), _) => {
                Outcome::Cancelled(format!("closed the remote login of {}", self.server))
            }
            (KeyCode::Char('Y' | 'y'), Some(url)) => Outcome::CopySecret {
                secret: url.clone(),
                said: format!(
                    "copied the remote login URL of {} (one use, a few minutes)",
                    self.server
                ),
            },
            (KeyCode::Char('o'), Some(url)) => Outcome::OpenUrl(url.clone()),
            (KeyCode::Char('Y' | 'y' | 'o'), None) => Outcome::Say(
                Level::Info,
                "the remote login URL has not come yet".to_owned(),
            ),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let room = usize::from(area.width.saturating_sub(6)).max(20);
        let mut lines = vec![Line::raw(format!(" remote login to {}", self.server))];
        let mut frame = Frame::new("remote login");
        match &self.login {
            Login::Reading => lines.push(Line::raw(" asking the gateway for a URL…")),
            Login::Ready(url) => {
                lines.push(Line::raw(
                    " one use, valid a few minutes; a secret: do not paste it in a ticket",
                ));
                lines.push(Line::raw(""));
                let shown = crate::terminal_text::line(url.expose()).into_owned();
                let chars: Vec<char> = shown.chars().collect();
                for part in chars.chunks(room) {
                    let text: String = part.iter().collect();
                    lines.push(Line::styled(format!(" {text}"), styles.title));
                }
                frame = frame.hint("Y", "copy").hint("o", "open");
            }
            Login::Failed(why) => {
                lines.push(Line::styled(
                    format!(" {}", crate::terminal_text::line(why)),
                    styles.error,
                ));
            }
        }
        frame.hint("esc", "close").popup(lines, styles, area, buf);
        None
    }

    fn answered(&mut self, answer: Result<Payload, LoadError>) {
        self.login = match answer {
            Ok(Payload::RemoteConsole(c)) => Login::Ready(c.url),
            Ok(_) => Login::Failed("the gateway answered something else".to_owned()),
            Err(e) => Login::Failed(e.quoted()),
        };
    }
}

#[cfg(test)]
#[path = "remote_login_tests.rs"]
mod tests;
