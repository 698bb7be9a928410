//! The forms in `AppState::update`: `c` opens the create form (on Images, from the selected
//! image), `z` the resize picker; their keys, the catalog's arrival, and the submission through the
//! runner's preconditions and `Effect::Submit`. Pure (no IO).

use crossterm::event::{KeyCode, KeyModifiers};

use super::{CreateForm, FormKey, ResizePick};
use crate::read::source::{View, What};
use crate::runner::{Known, Op, Refusal, precondition};
use crate::tui::app::{AppState, Confirm, Effect, Level, Mode};
use crate::tui::keymap::Key;
use crate::tui::list::rows::ImageRow;

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
            View::Images => match self
                .typed::<ImageRow>(View::Images)
                .and_then(|l| l.selected_row())
            {
                Some(r) => Some(r.record().id.clone()),
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

    /// The catalog came: the open form fills its choices, the picker finds the current flavor.
    pub(in crate::tui) fn catalog_arrived(&mut self) {
        let Some(cat) = self.catalog.data.as_ref() else {
            return;
        };
        match &mut self.mode {
            Mode::Create(f) => f.settle(cat),
            Mode::Resize(p) => p.place(cat),
            _ => {}
        }
    }

    /// `z`: the resize picker for the selected server (or the one marked). Dangerous: in
    /// read-only it does nothing. A server in a state that cannot be resized is refused at once.
    pub(in crate::tui) fn open_resize(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            self.dirty = false;
            return Vec::new();
        }
        if self.view != View::Servers {
            self.message = Some((
                Level::Info,
                "resize applies to servers (press 1)".to_owned(),
            ));
            return Vec::new();
        }
        if self.needs_a_region("a resize (it reads the region's flavors)") {
            return Vec::new();
        }
        let marked = self.servers.marked_rows();
        let row = match marked.as_slice() {
            [] => self.servers.selected_row(),
            [one] => Some(*one),
            many => {
                self.message = Some((
                    Level::Info,
                    format!(
                        "resize changes one server at a time ({} are marked): Ctrl-u clears the marks",
                        many.len()
                    ),
                ));
                return Vec::new();
            }
        };
        let Some(row) = row else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        let mut pick = ResizePick {
            server: row.server_ref(),
            az: row.record().az.clone(),
            status: row.record().status.clone(),
            task: row.record().task_state.clone(),
            current: row.record().flavor.clone(),
            cursor: 0,
        };
        // The state is checked now, before a flavor is chosen (the flavor is checked on Enter).
        let probe = Op::Resize {
            server: pick.server.clone(),
            flavor_id: String::new(),
            with_stop: pick.with_stop(),
        };
        let known = Known::from([(
            pick.server.id.clone(),
            crate::runner::KnownServer {
                id: pick.server.id.clone(),
                name: pick.server.name.clone(),
                status: pick.status.clone(),
                task_state: (!pick.task.is_empty()).then(|| pick.task.clone()),
                flavor_id: None,
            },
        )]);
        if let Err(r) = precondition::check(&probe, &known, false) {
            self.message = Some((Level::Error, r.to_string().replace('\n', "; ")));
            return Vec::new();
        }
        let effects = match self.catalog.of(&self.session.region) {
            Some(cat) => {
                pick.place(cat);
                Vec::new()
            }
            None => vec![self.fetch(What::Catalog)],
        };
        self.mode = Mode::Resize(Box::new(pick));
        effects
    }

    /// Keys in the picker: ↑/↓ (j/k) choose, Enter asks to confirm, Esc leaves.
    pub(in crate::tui) fn on_resize_key(&mut self, key: Key) -> Vec<Effect> {
        let Mode::Resize(pick) = &mut self.mode else {
            return Vec::new();
        };
        let cat = self.catalog.of(&self.session.region);
        match (key.code, cat) {
            (KeyCode::Esc, _) | (KeyCode::Char('q'), _) => {
                self.mode = Mode::Normal;
                self.message = Some((Level::Info, "resize cancelled; nothing was sent".to_owned()));
            }
            (KeyCode::Char('r'), _) if key.mods == KeyModifiers::CONTROL => {
                return vec![self.fetch(What::Catalog)];
            }
            (KeyCode::Down | KeyCode::Char('j'), Some(cat)) => pick.move_by(1, cat),
            (KeyCode::Up | KeyCode::Char('k'), Some(cat)) => pick.move_by(-1, cat),
            (KeyCode::Home | KeyCode::Char('g'), Some(cat)) => pick.move_by(isize::MIN / 2, cat),
            (KeyCode::End | KeyCode::Char('G'), Some(cat)) => pick.move_by(isize::MAX / 2, cat),
            (KeyCode::Enter, Some(cat)) => match pick.pick(cat) {
                Err(why) => self.message = Some((Level::Error, why)),
                Ok((op, known)) => {
                    let confirm = resize_confirm(pick, cat, op.clone(), known.clone());
                    if let Err(r) = precondition::check(&op, &known, self.session.read_only) {
                        self.mode = Mode::Normal;
                        self.message = Some((Level::Error, r.to_string().replace('\n', "; ")));
                    } else {
                        self.mode = Mode::Confirm(Box::new(confirm));
                    }
                }
            },
            _ => self.dirty = false,
        }
        Vec::new()
    }
}

/// "resize web-01 from hv1.small.1 to hv1.large.2 (region-1a)?", and what happens to it.
fn resize_confirm(
    pick: &ResizePick,
    cat: &crate::read::catalog::Catalog,
    op: Op,
    known: Known,
) -> Confirm {
    let to = match &op {
        Op::Resize { flavor_id, .. } => cat
            .flavor(flavor_id)
            .map(|f| format!("{} ({})", f.name, f.size_text()))
            .unwrap_or_else(|| flavor_id.clone()),
        _ => String::new(),
    };
    let name = &pick.server.name;
    let what = if pick.with_stop() {
        format!("{name} is ACTIVE: the platform stops it, resizes it and starts it again")
    } else {
        format!("{name} is {}: it stays stopped", pick.status)
    };
    Confirm {
        title: format!("resize {name} from {} to {to} ({})?", pick.current, pick.az),
        lines: vec![format!("{name}  {}  {}", pick.status, pick.az), what],
        op,
        known,
    }
}
