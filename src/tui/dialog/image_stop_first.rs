//! The offer a running server's image form gives way to: many IMS releases image only a stopped
//! server (IMG.0008). `y` makes it one task (stop, image, start again), `n` images it running,
//! `Esc` sends nothing.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::Frame;
use super::{Dialog, Env, Outcome};
use crate::runner::{ImageOp, Known, Op};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::theme::Styles;

/// An image of a running server, waiting for how: stop first or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopFirstOffer {
    /// The image op as the form made it (`stop_first` set by the answer).
    pub op: Op,
    pub known: Known,
}

impl StopFirstOffer {
    pub fn new(op: Op, known: Known) -> Self {
        StopFirstOffer { op, known }
    }

    /// The op with `stop_first` as answered.
    pub fn op_with(&self, stop: bool) -> Op {
        match &self.op {
            Op::Image(ImageOp::FromServer { server, spec, .. }) => Op::Image(ImageOp::FromServer {
                server: server.clone(),
                spec: spec.clone(),
                stop_first: stop,
            }),
            other => other.clone(),
        }
    }

    fn server_name(&self) -> &str {
        match &self.op {
            Op::Image(ImageOp::FromServer { server, .. }) => &server.name,
            _ => "the server",
        }
    }
}

impl Dialog for StopFirstOffer {
    /// `y` stop first, `n` as it runs, `Esc` cancels; `Enter` says which keys answer.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        match key.code {
            KeyCode::Char('y') if key.mods.is_empty() => {
                Outcome::Submit(Box::new(self.op_with(true)), self.known.clone())
            }
            KeyCode::Char('n') if key.mods.is_empty() => {
                Outcome::Submit(Box::new(self.op_with(false)), self.known.clone())
            }
            KeyCode::Esc => Outcome::cancelled(),
            KeyCode::Enter => Outcome::Say(
                Level::Info,
                "y: stop it first; n: image it while it runs; esc: cancel".to_owned(),
            ),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let name = self.server_name();
        let lines = vec![
            Line::styled(format!(" {name} is running"), styles.warning),
            Line::styled(
                " Many IMS releases image only a stopped server and refuse a running one (IMG.0008).",
                styles.text,
            ),
            Line::raw(""),
            Line::styled(
                " y  stop it first, then start it again when the image is done",
                styles.text,
            ),
            Line::styled(
                "    (one task: stop → image → start; the start is sent even if the image fails)",
                styles.dim,
            ),
            Line::styled(" n  image it while it runs", styles.text),
        ];
        Frame::new("image of a running server")
            .hint("y", "stop first")
            .hint("n", "as it runs")
            .hint("esc", "cancel")
            .popup(lines, styles, area, buf);
        None
    }
}
