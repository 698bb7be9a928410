//! The create form as a dialog: its keys (its own, a text form's; `refresh` from the keymap reads
//! the catalog again) and what `Enter` submits, through the runner's preconditions.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::{CreateForm, FieldId, FormKey};
use crate::read::catalog::Catalog;
use crate::read::source::What;
use crate::runner::{Known, Op};
use crate::tui::dialog::form_keys::submit_planned;
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
        let planned = cat.map(|c| self.spec(c).map(|s| (Op::CreateServers(s), Known::new())));
        submit_planned(
            planned,
            &mut self.focus,
            FieldId::label,
            "flavors, images, networks and quotas",
            read_only,
        )
    }
}
