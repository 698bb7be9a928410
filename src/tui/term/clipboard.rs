//! `Y`: the selected object's id to the terminal's clipboard with OSC 52 (works over SSH, and in
//! tmux with `set -g set-clipboard on`). The reducer asks; the loop writes the sequence.

use base64::Engine;

use crate::tui::app::{AppState, Effect, Focus, Level, Mode};

/// The OSC 52 sequence that sets the clipboard (`c`) to `text`.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

impl AppState {
    /// The id of what is described, else of the selected row of the main pane.
    pub(in crate::tui) fn copy_id(&mut self) -> Vec<Effect> {
        let id = match &self.mode {
            Mode::Describe(d) => Some(d.id.clone()),
            _ if self.focus == Focus::Main => self.current().selected_id(),
            _ => None,
        };
        match id {
            Some(id) => {
                self.message = Some((Level::Info, format!("copied id {id}")));
                vec![Effect::CopyToClipboard(id)]
            }
            None => {
                self.message = Some((Level::Info, "nothing selected to copy".to_owned()));
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(osc52("i-0a1b"), "\x1b]52;c;aS0wYTFi\x07");
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }
}
