//! `e` on Images: rename a private image. One line pre-filled with its name, checked as it is
//! typed (the IMS rules, the same name, a name the console knows taken); `Enter` submits, `Esc`
//! sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::{Dialog, Env, Outcome, checked_line};
use crate::runner::image::check;
use crate::runner::{ImageOp, ImageRef, Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRename {
    pub image: ImageRef,
    /// The names of the other private images the console has seen.
    pub taken: Vec<String>,
    pub input: LineInput,
    /// Why the name typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
}

impl ImageRename {
    pub fn new(image: ImageRef, taken: Vec<String>) -> Self {
        let mut d = ImageRename {
            input: LineInput::new(&image.name),
            image,
            taken,
            problem: None,
        };
        d.problem = problem(&d.image, &d.taken, &d.input.text);
        d
    }

    pub fn op(&self) -> Op {
        rename(&self.image, &self.input.text)
    }
}

fn rename(image: &ImageRef, name: &str) -> Op {
    Op::Image(ImageOp::Rename {
        image: image.clone(),
        name: name.to_owned(),
    })
}

/// The runner's checks (name rules, the same name), then a name taken.
fn problem(image: &ImageRef, taken: &[String], name: &str) -> Option<String> {
    let Op::Image(op) = rename(image, name) else {
        return None;
    };
    check::reasons(&op).into_iter().next().or_else(|| {
        taken
            .iter()
            .any(|t| t == name && t != &image.name)
            .then(|| format!("an image named {name:?} exists already (IMG.0009)"))
    })
}

impl Dialog for ImageRename {
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let (image, taken) = (&self.image, &self.taken);
        checked_line::key(&mut self.input, &mut self.problem, key, |name| {
            problem(image, taken, name)
        })
        .unwrap_or_else(|| Outcome::Submit(Box::new(self.op()), Known::new()))
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(" rename image {}", self.image.name);
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("rename image", "rename").popup(lines, styles, area, buf);
        None
    }
}
