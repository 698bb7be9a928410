//! The create form in `AppState::update`: `c` opens it (on Images, from the selected image); its
//! keys and the submission through the runner's preconditions and `Effect::Submit`. Pure (no IO).

use super::{CreateForm, FormKey};
use crate::runner::{Known, Op, Refusal, precondition};
use crate::tui::app::{AppState, Effect, Level, Mode};
use crate::tui::keymap::Key;
use crate::tui::source::{View, What};

impl AppState {
    /// `c`: the create form. Read-only refuses it as the runner would (nothing opens, nothing is
    /// sent); on Images the selected image is chosen. The catalog is read again each time (the
    /// quotas change), the form working on the last one until it answers.
    pub(in crate::tui) fn open_create(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            let refusal = Refusal::ReadOnly {
                what: "create a server".to_owned(),
            };
            self.message = Some((Level::Error, refusal.to_string()));
            return Vec::new();
        }
        if self.needs_a_region("a new server") {
            return Vec::new();
        }
        let image = match self.view {
            View::Servers => None,
            View::Images => match self.images.selected_row() {
                Some(r) => Some(r.field("id").to_owned()),
                None => {
                    self.message = Some((Level::Info, "no image selected".to_owned()));
                    return Vec::new();
                }
            },
            _ => {
                self.message = Some((
                    Level::Info,
                    "c creates a server on Servers (1), or from the selected image on Images (2)"
                        .to_owned(),
                ));
                return Vec::new();
            }
        };
        let mut form = CreateForm::new(image);
        if let Some(cat) = self.catalog.of(&self.session.region) {
            form.settle(cat);
        }
        self.mode = Mode::Create(Box::new(form));
        vec![self.fetch(What::Catalog)]
    }

    pub(in crate::tui) fn on_create_key(&mut self, key: Key) -> Vec<Effect> {
        let Mode::Create(form) = &mut self.mode else {
            return Vec::new();
        };
        let cat = self.catalog.of(&self.session.region);
        match form.key(key, cat) {
            FormKey::Stay(_) => Vec::new(),
            FormKey::Reload => vec![self.fetch(What::Catalog)],
            FormKey::Cancel => {
                self.mode = Mode::Normal;
                self.message = Some((Level::Info, "create cancelled; nothing was sent".to_owned()));
                Vec::new()
            }
            FormKey::Submit => {
                let Some(cat) = cat else {
                    self.message = Some((
                        Level::Info,
                        "still reading flavors, images, networks and quotas; nothing was sent"
                            .to_owned(),
                    ));
                    return Vec::new();
                };
                match form.spec(cat) {
                    Err((field, why)) => {
                        form.focus = field;
                        self.message = Some((
                            Level::Error,
                            format!("{}: {why}; nothing was sent", field.label()),
                        ));
                        Vec::new()
                    }
                    Ok(spec) => {
                        let op = Op::CreateServers(spec);
                        let known = Known::new();
                        if let Err(r) = precondition::check(&op, &known, self.session.read_only) {
                            self.message = Some((Level::Error, r.to_string().replace('\n', "; ")));
                            return Vec::new();
                        }
                        self.mode = Mode::Normal;
                        self.submit(op, known)
                    }
                }
            }
        }
    }
}
