//! The registry of actions: each has default keys, a description and a `dangerous` tag; `[keys]`
//! in the config rebinds or unbinds (`[]`) any of them. Help and the hint bar are generated from it.

use std::collections::{BTreeMap, HashMap};

pub use super::key::Key;
#[cfg(test)]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, Source};

/// Everything a key can do while browsing. Operations (start, stop, …) join in a later issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    PaneLeft,
    PaneRight,
    Servers,
    Images,
    Snapshots,
    Disks,
    Command,
    Filter,
    SortNext,
    SortReverse,
    Describe,
    Back,
    RawJson,
    Mark,
    MarkAll,
    ClearMarks,
    Refresh,
    Help,
    Quit,
    Start,
    Stop,
    HardStop,
    Reboot,
    HardReboot,
    ToggleReadOnly,
}

/// Where an action applies, so that help and hints show only what works here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A list in the main pane.
    List,
    /// The regions or AZs pane.
    Side,
    /// The describe view.
    Describe,
}

/// One entry of the registry.
#[derive(Debug, Clone, Copy)]
pub struct ActionInfo {
    pub action: Action,
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub description: &'static str,
    /// Changes or destroys something: hidden in read-only mode, always confirmed.
    pub dangerous: bool,
    /// Its word in the hint bar; empty: shown only in help.
    pub hint: &'static str,
    pub contexts: &'static [Context],
}

use Context::{Describe as D, List as L, Side as S};

const fn info(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
    contexts: &'static [Context],
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        keys,
        description,
        dangerous: false,
        hint,
        contexts,
    }
}

/// An action that changes something and must be confirmed; hidden in read-only mode.
const fn dangerous(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
) -> ActionInfo {
    ActionInfo {
        dangerous: true,
        ..info(action, name, keys, description, hint, &[L])
    }
}

/// The registry, in the order help lists it.
pub static REGISTRY: &[ActionInfo] = &[
    info(
        Action::Down,
        "down",
        &["j", "down"],
        "move down",
        "",
        &[L, S, D],
    ),
    info(Action::Up, "up", &["k", "up"], "move up", "", &[L, S, D]),
    info(
        Action::Top,
        "top",
        &["g", "home"],
        "go to the first row",
        "",
        &[L, S, D],
    ),
    info(
        Action::Bottom,
        "bottom",
        &["G", "end"],
        "go to the last row",
        "",
        &[L, S, D],
    ),
    info(
        Action::PageDown,
        "page_down",
        &["pgdn", "ctrl-f"],
        "next page",
        "",
        &[L, D],
    ),
    info(
        Action::PageUp,
        "page_up",
        &["pgup", "ctrl-b"],
        "previous page",
        "",
        &[L, D],
    ),
    info(
        Action::NextPane,
        "next_pane",
        &["tab"],
        "next pane",
        "",
        &[L, S],
    ),
    info(
        Action::PrevPane,
        "prev_pane",
        &["shift-tab"],
        "previous pane",
        "",
        &[L, S],
    ),
    info(
        Action::PaneLeft,
        "pane_left",
        &["h", "left"],
        "to the side panes",
        "",
        &[L],
    ),
    info(
        Action::PaneRight,
        "pane_right",
        &["l", "right"],
        "to the main pane",
        "",
        &[S],
    ),
    info(
        Action::Servers,
        "servers",
        &["1"],
        "show servers",
        "",
        &[L, S],
    ),
    info(Action::Images, "images", &["2"], "show images", "", &[L, S]),
    info(
        Action::Snapshots,
        "snapshots",
        &["3"],
        "show snapshots",
        "",
        &[L, S],
    ),
    info(Action::Disks, "disks", &["4"], "show disks", "", &[L, S]),
    info(
        Action::Command,
        "command",
        &[":"],
        "command line",
        "command",
        &[L, S, D],
    ),
    info(Action::Filter, "filter", &["/"], "filter", "filter", &[L]),
    info(
        Action::SortNext,
        "sort_next",
        &["o"],
        "sort by the next column",
        "sort",
        &[L],
    ),
    info(
        Action::SortReverse,
        "sort_reverse",
        &["O"],
        "reverse the sort",
        "",
        &[L],
    ),
    info(
        Action::Describe,
        "describe",
        &["enter"],
        "describe / choose",
        "describe",
        &[L, S],
    ),
    info(
        Action::Back,
        "back",
        &["esc"],
        "back; clear the filter, then the marks",
        "back",
        &[L, S, D],
    ),
    info(
        Action::RawJson,
        "raw_json",
        &["y"],
        "raw JSON of the selection",
        "json",
        &[L, D],
    ),
    info(Action::Mark, "mark", &["space"], "mark", "mark", &[L]),
    info(
        Action::Start,
        "start",
        &["s"],
        "start (marked rows, else the selection)",
        "start",
        &[L],
    ),
    dangerous(Action::Stop, "stop", &["x"], "stop (soft)", "stop"),
    dangerous(
        Action::HardStop,
        "hard_stop",
        &["X"],
        "stop (hard: power off)",
        "",
    ),
    dangerous(Action::Reboot, "reboot", &["r"], "reboot (soft)", "reboot"),
    dangerous(
        Action::HardReboot,
        "hard_reboot",
        &["R"],
        "reboot (hard: reset)",
        "",
    ),
    info(
        Action::MarkAll,
        "mark_all",
        &["*"],
        "mark all shown",
        "",
        &[L],
    ),
    info(
        Action::ClearMarks,
        "clear_marks",
        &["ctrl-u"],
        "clear marks",
        "",
        &[L],
    ),
    info(
        Action::Refresh,
        "refresh",
        &["ctrl-r"],
        "refresh now",
        "refresh",
        &[L, S, D],
    ),
    info(
        Action::ToggleReadOnly,
        "toggle_read_only",
        &["ctrl-t"],
        "toggle read-only",
        "",
        &[L, S, D],
    ),
    info(Action::Help, "help", &["?"], "help", "help", &[L, S, D]),
    info(
        Action::Quit,
        "quit",
        &["q", "ctrl-c"],
        "quit",
        "quit",
        &[L, S, D],
    ),
];

pub fn info_of(action: Action) -> &'static ActionInfo {
    REGISTRY
        .iter()
        .find(|i| i.action == action)
        .unwrap_or(&REGISTRY[0])
}

/// Keys bound to actions: the defaults with the config's `[keys]` applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    keys: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keys = BTreeMap::new();
        for i in REGISTRY {
            let parsed: Vec<Key> = i.keys.iter().filter_map(|k| Key::parse(k).ok()).collect();
            keys.insert(i.action, parsed);
        }
        Keymap::from_keys(keys)
    }
}

impl Keymap {
    fn from_keys(keys: BTreeMap<Action, Vec<Key>>) -> Self {
        let mut by_key = HashMap::new();
        for (a, ks) in &keys {
            for k in ks {
                by_key.insert(*k, *a);
            }
        }
        Keymap { by_key, keys }
    }

    /// The defaults with `[keys]` applied: an action listed there gets exactly the keys given
    /// (none for `[]`), and those keys leave whatever action had them by default.
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
        source: Option<&Source>,
    ) -> Result<Keymap, ConfigError> {
        let error = |action: &str, msg: String| match source {
            Some(src) => src.error_at(&["keys", action], msg),
            None => ConfigError::Other(format!("key keys.{action}: {msg}")),
        };
        let mut keys = Keymap::default().keys;
        let mut claimed: HashMap<Key, &str> = HashMap::new();
        let mut parsed = Vec::new();
        for (name, list) in overrides {
            let Some(info) = REGISTRY.iter().find(|i| i.name == name) else {
                let names: Vec<&str> = REGISTRY.iter().map(|i| i.name).collect();
                return Err(error(
                    name,
                    format!(
                        "unknown action {name:?}; the actions are: {}",
                        names.join(", ")
                    ),
                ));
            };
            let mut ks = Vec::new();
            for text in list {
                let k = Key::parse(text).map_err(|m| error(name, m))?;
                if let Some(other) = claimed.insert(k, name) {
                    return Err(error(
                        name,
                        format!("key {text:?} is bound to both {other} and {name}; give it to one"),
                    ));
                }
                ks.push(k);
            }
            parsed.push((info.action, ks));
        }
        for (_, ks) in &parsed {
            for list in keys.values_mut() {
                list.retain(|k| !ks.contains(k));
            }
        }
        for (action, ks) in parsed {
            keys.insert(action, ks);
        }
        Ok(Keymap::from_keys(keys))
    }

    pub fn action(&self, key: Key) -> Option<Action> {
        self.by_key.get(&key).copied()
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.keys.get(&action).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The keys of an action as help shows them (`j/down`), or `None` when it is unbound.
    pub fn label(&self, action: Action) -> Option<String> {
        let ks = self.keys(action);
        (!ks.is_empty()).then(|| ks.iter().map(Key::to_string).collect::<Vec<_>>().join("/"))
    }

    /// Help for a context: every bound action that applies there, with its keys.
    pub fn help(&self, context: Context, read_only: bool) -> Vec<(String, &'static ActionInfo)> {
        REGISTRY
            .iter()
            .filter(|i| i.contexts.contains(&context) && !(read_only && i.dangerous))
            .filter_map(|i| self.label(i.action).map(|l| (l, i)))
            .collect()
    }

    /// The hint bar: the first key of each hinted action that applies there.
    pub fn hints(&self, context: Context, read_only: bool) -> Vec<(String, &'static str)> {
        REGISTRY
            .iter()
            .filter(|i| {
                !i.hint.is_empty() && i.contexts.contains(&context) && !(read_only && i.dangerous)
            })
            .filter_map(|i| self.keys(i.action).first().map(|k| (k.to_string(), i.hint)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    }

    #[test]
    fn defaults_bind_the_keys_of_ux_md() {
        let m = Keymap::default();
        assert_eq!(m.action(Key::char('j')), Some(Action::Down));
        assert_eq!(m.action(Key::char('G')), Some(Action::Bottom));
        assert_eq!(m.action(Key::ctrl('u')), Some(Action::ClearMarks));
        assert_eq!(m.action(Key::char(' ')), Some(Action::Mark));
        assert_eq!(
            m.action(Key::plain(KeyCode::BackTab)),
            Some(Action::PrevPane)
        );
        assert_eq!(m.action(Key::ctrl('c')), Some(Action::Quit));
        for i in REGISTRY {
            assert!(
                !m.keys(i.action).is_empty(),
                "{} has no default key",
                i.name
            );
        }
    }

    #[test]
    fn shifted_letters_and_control_keys_come_from_events() {
        let e = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::char('G'));
        let e = KeyEvent::new(
            KeyCode::Char('U'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&e), Key::ctrl('u'));
        let e = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::plain(KeyCode::BackTab));
    }

    #[test]
    fn key_names_parse_and_print_back() {
        for k in [
            "j",
            "G",
            "?",
            "ctrl-u",
            "alt-x",
            "space",
            "shift-tab",
            "pgdn",
            "f5",
            "enter",
        ] {
            assert_eq!(Key::parse(k).unwrap().to_string(), k);
        }
        assert_eq!(Key::parse("Ctrl-U").unwrap(), Key::ctrl('u'));
        assert!(Key::parse("ctrl-").is_err());
        assert!(
            Key::parse("hyper-x")
                .unwrap_err()
                .contains("unknown key \"hyper-x\"")
        );
    }

    #[test]
    fn overrides_rebind_move_keys_and_unbind() {
        let m = Keymap::with_overrides(
            &keys(&[("down", &["n", "j"]), ("quit", &[]), ("mark", &["x"])]),
            None,
        )
        .unwrap();
        assert_eq!(m.action(Key::char('n')), Some(Action::Down));
        assert_eq!(
            m.action(Key::plain(KeyCode::Down)),
            None,
            "down now has only n and j"
        );
        assert_eq!(m.action(Key::char('q')), None);
        assert_eq!(m.action(Key::ctrl('c')), None);
        assert_eq!(m.label(Action::Quit), None);
        assert!(
            !m.help(Context::List, false)
                .iter()
                .any(|(_, i)| i.action == Action::Quit)
        );
        assert_eq!(m.action(Key::char(' ')), None);
        assert_eq!(m.action(Key::char('x')), Some(Action::Mark));
        // a key taken from another action leaves it
        let m = Keymap::with_overrides(&keys(&[("top", &["j"])]), None).unwrap();
        assert_eq!(m.action(Key::char('j')), Some(Action::Top));
        assert_eq!(m.keys(Action::Down), &[Key::plain(KeyCode::Down)]);
    }

    #[test]
    fn bad_overrides_name_file_line_and_key() {
        let text = "[keys]\ndown = [\"j\"]\nexplode = [\"e\"]\n";
        let src = Source::new("/c/config.toml", text);
        let e = Keymap::with_overrides(&keys(&[("down", &["j"]), ("explode", &["e"])]), Some(&src))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/c/config.toml:3:"), "{e}");
        assert!(
            e.contains("keys.explode") && e.contains("unknown action \"explode\""),
            "{e}"
        );
        let text = "[keys]\ndown = [\"ctrl-\"]\n";
        let src = Source::new("/c/config.toml", text);
        let e = Keymap::with_overrides(&keys(&[("down", &["ctrl-"])]), Some(&src))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/c/config.toml:2:"), "{e}");
        assert!(e.contains("unknown key \"ctrl-\""), "{e}");
        let e = Keymap::with_overrides(&keys(&[("down", &["x"]), ("up", &["x"])]), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("bound to both down and up"), "{e}");
    }

    #[test]
    fn hints_and_help_come_from_the_registry() {
        let m = Keymap::default();
        let hints = m.hints(Context::List, false);
        assert!(hints.contains(&("/".to_owned(), "filter")));
        assert!(hints.contains(&("?".to_owned(), "help")));
        let help = m.help(Context::List, false);
        assert!(
            help.iter()
                .any(|(k, i)| k == "j/down" && i.description == "move down" && i.name == "down")
        );
        assert!(
            !help.iter().any(|(_, i)| i.action == Action::PaneRight),
            "side-only action"
        );
    }
}
