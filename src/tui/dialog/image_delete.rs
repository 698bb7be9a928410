//! `D` on Images: delete a private image. The dialog says how many servers of the loaded list
//! were made from it, and asks for the image's name to be typed, then `Enter`; `Esc` (or an empty
//! line) sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::{Frame, input_line, listed};
use super::typed_match::{self, Typed};
use super::{Dialog, Env, Outcome};
use crate::runner::{ImageOp, ImageRef, Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageDelete {
    pub image: ImageRef,
    /// The servers of the loaded list made from it ("name  STATUS").
    pub made_from: Vec<String>,
    /// How many servers the list holds (what `made_from` was counted in).
    pub listed: usize,
    pub input: LineInput,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl ImageDelete {
    pub fn new(image: ImageRef, made_from: Vec<String>, listed: usize) -> Self {
        ImageDelete {
            image,
            made_from,
            listed,
            input: LineInput::default(),
            error: None,
        }
    }

    pub fn op(&self) -> Op {
        Op::Image(ImageOp::Delete {
            images: vec![self.image.clone()],
        })
    }

    /// "2 of the 40 servers listed were made from it:", "none of the 40 servers listed …".
    pub fn made_from_line(&self) -> String {
        match self.made_from.len() {
            0 => format!(
                "none of the {} servers listed was made from it",
                self.listed
            ),
            1 => format!("1 of the {} servers listed was made from it:", self.listed),
            n => format!(
                "{n} of the {} servers listed were made from it:",
                self.listed
            ),
        }
    }
}

impl Dialog for ImageDelete {
    /// Typing; `Enter` deletes when the image's name was typed (an empty line cancels); `Esc`
    /// cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let name = &self.image.name;
        match typed_match::key(
            &mut self.input,
            &mut self.error,
            name,
            "the image's name",
            key,
        ) {
            Typed::Done(outcome) => outcome,
            Typed::Matched => Outcome::Submit(Box::new(self.op()), Known::new()),
            Typed::Other => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        // Room for the title, the count, the prompt, the input, the error, the keys, the borders.
        let room = area.height.saturating_sub(10) as usize;
        let mut lines = vec![
            Line::styled(
                format!(" delete image {}?", self.image.name),
                styles.warning,
            ),
            Line::styled(format!(" {}", self.made_from_line()), styles.text),
        ];
        lines.extend(listed(&self.made_from, room, styles));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" type the image's name ({}) and Enter", self.image.name),
            styles.text,
        ));
        lines.push(input_line(&self.input.text, styles));
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!(" {e}"), styles.error));
        }
        Frame::new("delete image")
            .hint("enter", "delete")
            .hint("esc", "cancel (default)")
            .min_width(50)
            .popup(lines, styles, area, buf);
        None
    }
}
