//! `i` on Servers: a private image of the selected server. Its name (the IMS rules; a name the
//! console knows taken is refused, IMG.0009), a description and tags; the private-image quota
//! shown, a full one refused before anything is sent (IMG.0015). On a running server `Enter`
//! gives way to the stop-first offer (`image_stop_first.rs`).

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::form_keys::stepped;
use super::frame::Frame;
use super::image_stop_first::StopFirstOffer;
use super::{Dialog, Env, Outcome};
use crate::read::catalog::{Catalog, Usage};
use crate::runner::image::check::image_name_problem;
use crate::runner::{ImageOp, ImageRef, ImageSpec, Known, Op};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::theme::Styles;

/// The longest image description IMS takes, in characters.
pub const MAX_DESCRIPTION: usize = 1024;

/// The form's lines, in the order `Tab` walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageField {
    Name,
    Description,
    Tags,
}

const FIELDS: [ImageField; 3] = [ImageField::Name, ImageField::Description, ImageField::Tags];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageForm {
    /// The server the image is made of.
    pub server: ImageRef,
    pub known: Known,
    /// The server is running: `Enter` offers to stop it first.
    pub running: bool,
    pub focus: ImageField,
    pub name: LineInput,
    pub description: LineInput,
    /// `KEY=VALUE` pairs, a comma between them.
    pub tags: LineInput,
    /// The names of the private images the console has seen (IMS refuses them: IMG.0009).
    pub taken: Vec<String>,
    /// The private-image quota, once read.
    pub quota: Option<Usage>,
}

impl ImageForm {
    /// Pre-filled with `<server>-image` (what IMS does not take in the server's name made `-`).
    pub fn new(server: ImageRef, known: Known, running: bool, taken: Vec<String>) -> Self {
        let base: String = server
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .take(120)
            .collect();
        ImageForm {
            name: LineInput::new(&format!("{base}-image")),
            server,
            known,
            running,
            focus: ImageField::Name,
            description: LineInput::default(),
            tags: LineInput::default(),
            taken,
            quota: None,
        }
    }

    fn input(&mut self, field: ImageField) -> &mut LineInput {
        match field {
            ImageField::Name => &mut self.name,
            ImageField::Description => &mut self.description,
            ImageField::Tags => &mut self.tags,
        }
    }

    /// Why a field cannot be sent as typed (`None`: it can).
    pub fn problem(&self, field: ImageField) -> Option<String> {
        match field {
            ImageField::Name => {
                let name = &self.name.text;
                image_name_problem(name).or_else(|| {
                    self.taken.contains(name).then(|| {
                        format!(
                            "an image named {name:?} exists already (IMG.0009): choose another name"
                        )
                    })
                })
            }
            ImageField::Description => description_problem(&self.description.text),
            ImageField::Tags => tags(&self.tags.text).err(),
        }
    }

    /// The quota is known to be full.
    pub fn quota_full(&self) -> Option<String> {
        let q = self.quota?;
        let limit = q.limit?;
        (q.used >= limit).then(|| {
            format!(
                "the private-image quota is full ({} of {limit} images, IMG.0015): delete an image first",
                q.used
            )
        })
    }

    /// The op, once every field is right.
    pub fn op(&self, stop_first: bool) -> Result<Op, String> {
        match FIELDS.iter().find_map(|f| self.problem(*f)) {
            Some(p) => Err(p),
            None => Ok(self.draft(stop_first)),
        }
    }

    /// The op as the fields stand, unchecked (tags that do not parse left out): what the
    /// runner's checks of the server are run on when the form opens.
    pub fn draft(&self, stop_first: bool) -> Op {
        let description = self.description.text.trim();
        Op::Image(ImageOp::FromServer {
            server: self.server.clone(),
            spec: ImageSpec {
                name: self.name.text.clone(),
                description: (!description.is_empty()).then(|| description.to_owned()),
                tags: tags(&self.tags.text).unwrap_or_default(),
            },
            stop_first,
        })
    }

    fn step(&mut self, by: isize) -> Outcome {
        self.focus = stepped(&FIELDS, self.focus, by);
        Outcome::Changed
    }

    fn enter(&mut self) -> Outcome {
        if let Some(f) = FIELDS.iter().copied().find(|f| self.problem(*f).is_some()) {
            self.focus = f;
        }
        let op = match self.op(false) {
            Ok(op) => op,
            Err(p) => return Outcome::Say(Level::Error, format!("{p}; nothing was sent")),
        };
        if let Some(full) = self.quota_full() {
            return Outcome::Say(Level::Error, format!("{full}; nothing was sent"));
        }
        if self.running {
            return Outcome::Next(Box::new(StopFirstOffer::new(op, self.known.clone())));
        }
        Outcome::Submit(Box::new(op), self.known.clone())
    }
}

/// IMS: at most 1024 characters, no `<`, `>` or line breaks.
fn description_problem(text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars > MAX_DESCRIPTION {
        return Some(format!(
            "the description has {chars} characters: at most {MAX_DESCRIPTION}"
        ));
    }
    text.chars()
        .find(|c| matches!(c, '<' | '>') || c.is_control())
        .map(|c| format!("the description has {c:?}: IMS takes no '<', '>' or control characters"))
}

/// `team=ops, env=prod` as (key, value) pairs: a key before each `=`, no key twice.
pub fn tags(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let Some((k, v)) = t.split_once('=') else {
            return Err(format!("the tag {t:?} has no '=': write KEY=VALUE"));
        };
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            return Err(format!("the tag {t:?} has no key: write KEY=VALUE"));
        }
        if out.iter().any(|(o, _)| o == k) {
            return Err(format!("the tag key {k:?} is given twice"));
        }
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

impl Dialog for ImageForm {
    /// Typing edits the line in focus; `Tab`/`↓` and `Shift-Tab`/`↑` move between lines; `Enter`
    /// sends (or offers to stop a running server first); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let focus = self.focus;
        match self.input(focus).edit(key) {
            Edit::Changed => return Outcome::Changed,
            Edit::Unchanged => return Outcome::Ignored,
            Edit::Other => {}
        }
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.step(1),
            KeyCode::BackTab | KeyCode::Up => self.step(-1),
            KeyCode::Esc => Outcome::cancelled(),
            KeyCode::Enter => self.enter(),
            _ => Outcome::Ignored,
        }
    }

    /// Each line with its check under it, the quota, and what `Enter` will do.
    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let state = if self.running { "running" } else { "stopped" };
        let mut lines = vec![
            Line::styled(
                format!(" private image of {} ({state})", self.server.name),
                styles.title,
            ),
            Line::raw(""),
        ];
        for (field, label, input) in [
            (ImageField::Name, "name        ", &self.name),
            (ImageField::Description, "description ", &self.description),
            (ImageField::Tags, "tags        ", &self.tags),
        ] {
            let (mark, style) = if field == self.focus {
                ("▸", styles.selection)
            } else {
                (" ", styles.text)
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {mark} {label}"), styles.text),
                Span::styled(format!(" {} ", input.text), style),
            ]));
            let check = match self.problem(field) {
                Some(p) => Line::styled(format!("     {p}"), styles.error),
                None if field == ImageField::Tags => {
                    Line::styled("     KEY=VALUE, a comma between", styles.dim)
                }
                None => Line::styled("     ok", styles.ok),
            };
            lines.push(check);
        }
        lines.push(Line::raw(""));
        lines.push(match (self.quota, self.quota_full()) {
            (_, Some(full)) => Line::styled(format!(" {full}"), styles.error),
            (Some(q), None) => Line::styled(format!(" private images: {}", q.text()), styles.text),
            (None, None) => Line::styled(" private images: reading the quota…", styles.dim),
        });
        if self.running {
            lines.push(Line::styled(
                format!(
                    " {} is running: Enter offers to stop it first and start it again",
                    self.server.name
                ),
                styles.warning,
            ));
        }
        Frame::new("image")
            .hint("tab", "next line")
            .hint("enter", "make the image")
            .hint("esc", "cancel")
            .min_width(64)
            .popup(lines, styles, area, buf);
        None
    }

    /// The quota, and the private images' names (taken).
    fn catalog_arrived(&mut self, cat: &Catalog) {
        self.quota = cat.quotas.images;
        for i in cat.images.iter().filter(|i| i.image_type == "private") {
            if !self.taken.contains(&i.name) {
                self.taken.push(i.name.clone());
            }
        }
    }

    fn is_form(&self) -> bool {
        true
    }
}

#[cfg(test)]
#[path = "image_form_tests.rs"]
mod tests;
