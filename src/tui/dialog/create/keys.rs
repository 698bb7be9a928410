//! The create form as a dialog: its keys (its own, a text form's; `refresh` from the keymap reads
//! the catalog again) and what `Enter` submits, through the runner's preconditions.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::{CreateForm, FormKey};
use crate::read::catalog::Catalog;
use crate::read::source::What;
use crate::runner::{Known, Op, precondition};
use crate::tui::app::messages::Level;
use crate::tui::dialog::{Dialog, Env, Outcome};
use crate::tui::keymap::{Action, Key};
use crate::tui::theme::Styles;

impl Dialog for CreateForm {
    fn key(&mut self, key: Key, env: &Env) -> Outcome {
        let cat = env.catalog();
        match self.on_key(key, cat) {
            FormKey::Stay(false) if env.keymap.action(key) == Some(Action::Refresh) => {
                Outcome::Fetch(What::Catalog)
            }
            FormKey::Stay(_) => Outcome::Changed,
            FormKey::Cancel => Outcome::Cancelled("create cancelled; nothing was sent".to_owned()),
            FormKey::Submit => self.submit(cat, env.read_only),
        }
    }

    fn draw(&self, env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        super::draw::render(self, env, styles, area, buf)
    }

    fn catalog_arrived(&mut self, cat: &Catalog) {
        self.settle(cat);
    }

    fn is_form(&self) -> bool {
        true
    }
}

impl CreateForm {
    /// Enter: the spec when every field is right and the runner would take it; else the first
    /// wrong field gets the focus and the status line says why.
    fn submit(&mut self, cat: Option<&Catalog>, read_only: bool) -> Outcome {
        let Some(cat) = cat else {
            return Outcome::Say(
                Level::Info,
                "still reading flavors, images, networks and quotas; nothing was sent".to_owned(),
            );
        };
        match self.spec(cat) {
            Err((field, why)) => {
                self.focus = field;
                Outcome::Say(
                    Level::Error,
                    format!("{}: {why}; nothing was sent", field.label()),
                )
            }
            Ok(spec) => {
                let op = Op::CreateServers(spec);
                let known = Known::new();
                match precondition::check(&op, &known, read_only) {
                    Err(r) => Outcome::Say(Level::Error, r.to_string().replace('\n', "; ")),
                    Ok(()) => Outcome::Submit(Box::new(op), known),
                }
            }
        }
    }
}
