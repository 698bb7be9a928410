//! A search in a describe (`/`): what is typed and the match shown. A leaf, so that `state.rs`
//! holds it without importing the handlers of `find.rs`.

use crate::tui::line_input::LineInput;

/// A search in a describe: the line being typed, then the line of the match shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    pub input: LineInput,
    pub typing: bool,
    /// The index (in `describe_texts`) of the match scrolled to.
    pub current: Option<usize>,
}

impl Find {
    /// What is looked for, lowercase; `None` while there is nothing.
    pub fn needle(&self) -> Option<String> {
        let t = self.input.text.trim();
        (!t.is_empty()).then(|| t.to_lowercase())
    }
}
