//! What a server in ERROR still takes (part of the pure app): the keys the hint bar offers when
//! the chosen servers are all in ERROR. The rule is the runner's (`precondition::taken_in_error`);
//! a key pressed anyway is refused by the runner's preconditions, which say why.

use super::AppState;
use crate::read::source::View;
use crate::runner::precondition::taken_in_error;
use crate::runner::{Hardness, Op, PowerAction, ServerRef};
use crate::tui::actions::Action;
use crate::tui::app::Mode;
use crate::tui::list::rows::ServerRow;

impl AppState {
    /// True on Servers when the chosen servers (the marked ones, or else the selected one) are
    /// all in ERROR. Asked once a frame: stops at the first chosen server that is not.
    pub fn chosen_all_in_error(&self) -> bool {
        if self.view != View::Servers || !matches!(self.mode, Mode::Normal) {
            return false;
        }
        let in_error = |r: &ServerRow| r.status_text() == "ERROR";
        if self.servers.marked() == 0 {
            return self.servers.selected_row().is_some_and(in_error);
        }
        let mut any = false;
        for r in self.servers.marked_rows_unordered() {
            if !in_error(r) {
                return false;
            }
            any = true;
        }
        any
    }

    /// The word the hint bar offers `action` with here (`hint`, its registry word): when the
    /// chosen servers are all in ERROR (`all_in_error`, from `chosen_all_in_error`), only the
    /// changes they take, the forced stop and reboot named though the bar leaves them out
    /// otherwise.
    pub fn offers(all_in_error: bool, action: Action, hint: &'static str) -> Option<&'static str> {
        if !all_in_error {
            return Some(hint);
        }
        let taken = match server_op(action) {
            Some(op) => taken_in_error(&op),
            // Not a change of the chosen servers (moving, filtering, another list…).
            None => !CHANGES_WITHOUT_OP.contains(&action),
        };
        match action {
            _ if !taken => None,
            Action::HardStop => Some("hard stop"),
            Action::HardReboot => Some("hard reboot"),
            _ => Some(hint),
        }
    }
}

/// Changes of the chosen servers that plan no server op here (they open a form or a picker
/// first): none of them is one a server in ERROR takes.
const CHANGES_WITHOUT_OP: &[Action] = &[
    Action::MakeImage,
    Action::Attach,
    Action::Detach,
    Action::RemoteLogin,
];

/// The op a server key asks for, as the runner's rule reads it (its servers do not matter).
fn server_op(action: Action) -> Option<Op> {
    let power = |action| Op::Power {
        action,
        servers: Vec::new(),
    };
    Some(match action {
        Action::Start => power(PowerAction::Start),
        Action::Stop => power(PowerAction::Stop(Hardness::Soft)),
        Action::HardStop => power(PowerAction::Stop(Hardness::Hard)),
        Action::Reboot => power(PowerAction::Reboot(Hardness::Soft)),
        Action::HardReboot => power(PowerAction::Reboot(Hardness::Hard)),
        Action::Resize => Op::Resize {
            server: ServerRef::new("", ""),
            flavor_id: String::new(),
            with_stop: false,
        },
        Action::Delete => Op::Delete {
            servers: Vec::new(),
            delete_volumes: false,
        },
        _ => return None,
    })
}
