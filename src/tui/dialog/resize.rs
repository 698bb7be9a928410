//! `z`: the resize picker. The flavors on sale in the server's AZ, its current flavor marked and
//! not pickable, and whether the platform must stop it first (an ACTIVE server); `Enter` asks to
//! confirm the flavor under the cursor.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::confirm::Confirm;
use super::frame::Frame;
use super::{Dialog, Env, Outcome};
use crate::read::catalog::{Catalog, FlavorInfo, ram_text};
use crate::read::source::What;
use crate::runner::{Known, KnownServer, Op, ServerRef, precondition};
use crate::tui::app::messages::Level;
use crate::tui::keymap::{Action, Key};
use crate::tui::list::rows::ServerRow;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizePick {
    pub server: ServerRef,
    pub az: String,
    pub status: String,
    /// `OS-EXT-STS:task_state` as the row shows it (empty: idle).
    pub task: String,
    /// The flavor as the row names it (its name; the id on some clouds).
    pub current: String,
    pub cursor: usize,
}

impl ResizePick {
    /// The picker for a server as its row shows it; the cursor is placed once the catalog is there.
    pub fn new(row: &ServerRow) -> Self {
        ResizePick {
            server: row.server_ref(),
            az: row.record().az.clone(),
            status: row.record().status.clone(),
            task: row.record().task_state.clone(),
            current: row.record().flavor.clone(),
            cursor: 0,
        }
    }

    /// What the runner knows of the server: what its row says, and its flavor's id if known.
    fn known(&self, flavor_id: Option<String>) -> Known {
        Known::from([(
            self.server.id.clone(),
            KnownServer {
                id: self.server.id.clone(),
                name: self.server.name.clone(),
                status: self.status.clone(),
                task_state: (!self.task.is_empty()).then(|| self.task.clone()),
                flavor_id,
            },
        )])
    }

    /// Why the runner would refuse to resize the server in its state, before a flavor is chosen
    /// (the flavor is checked on Enter).
    pub fn refusal(&self) -> Option<String> {
        let probe = Op::Resize {
            server: self.server.clone(),
            flavor_id: String::new(),
            with_stop: self.with_stop(),
        };
        precondition::check(&probe, &self.known(None), false)
            .err()
            .map(|r| r.to_string().replace('\n', "; "))
    }

    /// The flavors offered: those on sale in the server's AZ, smallest first.
    pub fn choices<'a>(&self, cat: &'a Catalog) -> Vec<&'a FlavorInfo> {
        cat.flavors
            .iter()
            .filter(|f| f.on_sale_in(&self.az))
            .collect()
    }

    pub fn is_current(&self, f: &FlavorInfo) -> bool {
        f.name == self.current || f.id == self.current
    }

    /// An ACTIVE server is stopped by the platform, resized, and started again.
    pub fn with_stop(&self) -> bool {
        self.status == "ACTIVE"
    }

    /// Puts the cursor on the current flavor (or the first), once the catalog is there.
    pub fn place(&mut self, cat: &Catalog) {
        let list = self.choices(cat);
        self.cursor = list.iter().position(|f| self.is_current(f)).unwrap_or(0);
    }

    pub fn move_by(&mut self, delta: isize, cat: &Catalog) {
        let n = self.choices(cat).len();
        if n > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        }
    }

    /// The op for the flavor under the cursor, with what is known of the server; or why not.
    pub fn pick(&self, cat: &Catalog) -> Result<(Op, Known), String> {
        let list = self.choices(cat);
        let Some(f) = list.get(self.cursor) else {
            return Err(format!("no flavor is on sale in {}", self.az));
        };
        if self.is_current(f) {
            return Err(format!(
                "{} already has {}: pick another flavor",
                self.server.name, f.name
            ));
        }
        let current_id = cat
            .flavors
            .iter()
            .find(|x| self.is_current(x))
            .map(|x| x.id.clone());
        let known = self.known(current_id);
        let op = Op::Resize {
            server: self.server.clone(),
            flavor_id: f.id.clone(),
            with_stop: self.with_stop(),
        };
        Ok((op, known))
    }

    /// Enter: the confirmation of the flavor under the cursor, or why it cannot be picked; the
    /// runner's refusal closes the picker.
    fn ask(&self, cat: &Catalog, read_only: bool) -> Outcome {
        match self.pick(cat) {
            Err(why) => Outcome::Say(Level::Error, why),
            Ok((op, known)) => match precondition::check(&op, &known, read_only) {
                Err(r) => Outcome::Refused(r.to_string().replace('\n', "; ")),
                Ok(()) => Outcome::Next(Box::new(self.confirm(cat, op, known))),
            },
        }
    }

    /// "resize web-01 from hv1.small.1 to hv1.large.2 (region-1a)?", and what happens to it.
    fn confirm(&self, cat: &Catalog, op: Op, known: Known) -> Confirm {
        let to = match &op {
            Op::Resize { flavor_id, .. } => cat
                .flavor(flavor_id)
                .map(|f| format!("{} ({})", f.name, f.size_text()))
                .unwrap_or_else(|| flavor_id.clone()),
            _ => String::new(),
        };
        let name = &self.server.name;
        let what = if self.with_stop() {
            format!("{name} is ACTIVE: the platform stops it, resizes it and starts it again")
        } else {
            format!("{name} is {}: it stays stopped", self.status)
        };
        Confirm {
            skipped: Vec::new(),
            title: format!("resize {name} from {} to {to} ({})?", self.current, self.az),
            lines: vec![format!("{name}  {}  {}", self.status, self.az), what],
            op,
            known,
        }
    }

    /// The flavors as many as `room` holds, the cursor's in view.
    fn flavor_lines(&self, cat: &Catalog, room: usize, styles: &Styles) -> Vec<Line<'static>> {
        let list = self.choices(cat);
        let mut lines = Vec::new();
        if list.is_empty() {
            lines.push(Line::styled(
                format!(" no flavor is on sale in {}", self.az),
                styles.error,
            ));
        }
        let start = self.cursor.saturating_sub(room.saturating_sub(1));
        for (i, f) in list.iter().enumerate().skip(start).take(room.max(1)) {
            let here = i == self.cursor;
            let current = self.is_current(f);
            let marker = if here { styles.symbols.cursor } else { " " };
            let text = format!(
                "{marker} {:<18} {:>3} vCPU  {:>7} RAM{}",
                f.name,
                f.vcpus,
                ram_text(f.ram_mb),
                if current { "  (current)" } else { "" }
            );
            let style = match (here, current) {
                (true, _) => styles.selection,
                (false, true) => styles.dim,
                _ => styles.text,
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        lines
    }
}

impl Dialog for ResizePick {
    /// The keymap's moves choose (`j`/`k`, `g`/`G`, the arrows), its `describe` (Enter) asks to
    /// confirm, `back` or `quit` (Esc, `q`) leave, `refresh` reads the flavors again.
    fn key(&mut self, key: Key, env: &Env) -> Outcome {
        let action = env.keymap.action(key);
        match action {
            Some(Action::Back | Action::Quit) => {
                return Outcome::Cancelled("resize cancelled; nothing was sent".to_owned());
            }
            Some(Action::Refresh) => return Outcome::Fetch(What::Catalog),
            _ => {}
        }
        // Choosing needs the flavors.
        let (Some(action), Some(cat)) = (action, env.catalog()) else {
            return Outcome::Ignored;
        };
        let delta = match action {
            Action::Describe => return self.ask(cat, env.read_only),
            Action::Down => 1,
            Action::Up => -1,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return Outcome::Ignored,
        };
        self.move_by(delta, cat);
        Outcome::Changed
    }

    /// The flavors on sale in the server's AZ, the current one marked and not pickable, and what
    /// the platform does to an ACTIVE server.
    fn draw(&self, env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let dot = styles.symbols.dot;
        let mut lines = vec![Line::styled(
            format!(
                " {} {dot} {} {dot} {} {dot} now {}",
                self.server.name, self.status, self.az, self.current
            ),
            styles.text,
        )];
        lines.push(Line::styled(
            if self.with_stop() {
                " ACTIVE: the platform stops it, resizes it and starts it again".to_owned()
            } else {
                format!(" {}: it is resized and stays stopped", self.status)
            },
            styles.warning,
        ));
        lines.push(Line::raw(""));
        let room = area.height.saturating_sub(7) as usize;
        match env.catalog() {
            None => lines.push(Line::styled(
                match &env.catalog.error {
                    Some(e) if !env.catalog.loading => format!(" could not read the flavors: {e}"),
                    _ => " reading the flavors…".to_owned(),
                },
                styles.dim,
            )),
            Some(cat) => lines.extend(self.flavor_lines(cat, room, styles)),
        }
        let keys = env.keymap;
        Frame::new(format!("resize {}", self.server.name))
            .hint(
                format!("{}/{}", keys.first(Action::Down), keys.first(Action::Up)),
                "choose",
            )
            .hint(keys.first(Action::Describe), "resize (asks first)")
            .hint(keys.first(Action::Back), "cancel")
            .popup(lines, styles, area, buf);
        None
    }

    fn catalog_arrived(&mut self, cat: &Catalog) {
        self.place(cat);
    }

    fn is_form(&self) -> bool {
        true
    }
}

#[cfg(test)]
#[path = "resize_tests.rs"]
mod tests;
