//! Keys bound to actions: the registry's defaults with `[keys]` from the config applied (rebind,
//! or unbind with `[]`); unknown action or key names are config errors with line and key.

use std::collections::{BTreeMap, HashMap};

pub use super::term::key::Key;
#[cfg(test)]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::{ConfigError, Source};

pub use super::actions::{Action, ActionInfo, Context, Pane, REGISTRY, info_of};
use super::list::registry::spec_of;
use crate::read::source::View;

/// The word the hint bar shows for an action, given its registry hint word (`None`: none).
pub type Offered<'a> = dyn Fn(Action, &'static str) -> Option<&'static str> + 'a;

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

    /// The first key of an action as a hint names it (`j`, `enter`); empty when it is unbound.
    pub fn first(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(Key::to_string)
            .unwrap_or_default()
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
            .filter(|i| i.applies(context) && !(read_only && i.dangerous))
            .filter_map(|i| self.label(i.action).map(|l| (l, i)))
            .collect()
    }

    /// The hint bar: the first key of each hinted action that applies there; those made for
    /// this list (start, cancel, …) come before those every list has, and help comes last.
    pub fn hints(&self, context: Context, read_only: bool) -> Vec<(String, &'static str)> {
        self.hints_offered(context, read_only, &|_, hint| Some(hint))
    }

    /// `hints`, with the word `offered` gives each action (from its registry hint word; `None`
    /// or empty: not hinted), so that the chosen rows' few keys can be offered alone.
    pub fn hints_offered(
        &self,
        context: Context,
        read_only: bool,
        offered: &Offered<'_>,
    ) -> Vec<(String, &'static str)> {
        let mut hinted: Vec<(&ActionInfo, &'static str)> = REGISTRY
            .iter()
            .filter(|i| i.applies(context) && !(read_only && i.dangerous))
            .filter_map(|i| offered(i.action, i.hint).map(|w| (i, w)))
            .filter(|(_, w)| !w.is_empty())
            .collect();
        // A stable sort: registry order within each group.
        hinted.sort_by_key(|(i, _)| match i.action {
            Action::Help => 2,
            _ if i.views.is_some() => 0,
            _ => 1,
        });
        hinted
            .into_iter()
            .filter_map(|(i, w)| self.keys(i.action).first().map(|k| (k.to_string(), w)))
            .collect()
    }

    /// The hints that fit whole in `width` columns (as the hint bar draws them: a leading
    /// space, `<key> word`, two spaces between), help always among them: others are dropped.
    pub fn hints_fitting(
        &self,
        context: Context,
        read_only: bool,
        width: usize,
    ) -> Vec<(String, &'static str)> {
        Keymap::fit(self.hints(context, read_only), width)
    }

    /// The hints of `all` that fit whole in `width` columns, help always among them.
    pub fn fit(all: Vec<(String, &'static str)>, width: usize) -> Vec<(String, &'static str)> {
        let help_hint = info_of(Action::Help).hint;
        let cost = |(k, w): &(String, &str)| k.chars().count() + 3 + w.chars().count() + 2;
        let mut used = 1 + all
            .iter()
            .filter(|h| h.1 == help_hint)
            .map(cost)
            .sum::<usize>();
        let mut out = Vec::new();
        for h in all {
            if h.1 == help_hint {
                out.push(h);
            } else if used + cost(&h) <= width + 2 {
                used += cost(&h);
                out.push(h);
            }
        }
        out
    }

    /// Why a key does nothing on this list, naming the lists it applies to and how to get
    /// there; `None` when it applies here.
    pub fn not_here(&self, action: Action, view: View) -> Option<String> {
        let info = info_of(action);
        let on_lists = info.panes.contains(&Pane::List);
        if !on_lists || info.applies(Context::List(view)) {
            return None;
        }
        let places: Vec<String> = info
            .views
            .unwrap_or_default()
            .iter()
            .map(|v| format!("{} (press {})", spec_of(*v).name, self.how_to_show(*v)))
            .collect();
        let places = match places.as_slice() {
            [one] => one.clone(),
            [first @ .., last] => format!("{} and {last}", first.join(", ")),
            [] => String::new(),
        };
        Some(format!(
            "{} applies to {places}",
            info.name.replace('_', " ")
        ))
    }

    /// The key that shows a list (`1`…`5`), else its command (`:flavors`).
    fn how_to_show(&self, view: View) -> String {
        let spec = spec_of(view);
        spec.action
            .and_then(|a| self.keys(a).first())
            .map(Key::to_string)
            .unwrap_or_else(|| format!(":{}", spec.name))
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
            !m.help(Context::List(View::Servers), false)
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
        let hints = m.hints(Context::List(View::Servers), false);
        assert!(hints.contains(&("/".to_owned(), "filter")));
        assert!(hints.contains(&("?".to_owned(), "help")));
        let help = m.help(Context::List(View::Servers), false);
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
