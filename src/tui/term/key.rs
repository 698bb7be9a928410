//! A key press as the keymap knows it: from a terminal event, or from its name in the config
//! (`j`, `G`, `ctrl-u`, `space`, `shift-tab`, `pgdn`, `f5`), and back to that name.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key press: a code and its modifiers (Shift folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        Key { code, mods }
    }

    pub const fn plain(code: KeyCode) -> Self {
        Key::new(code, KeyModifiers::NONE)
    }

    pub const fn char(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// From a terminal event; `G` arrives as Shift+`G`, and Shift is dropped for characters.
    pub fn from_event(e: &KeyEvent) -> Self {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            c => c,
        };
        Key { code, mods }
    }

    /// Parses a key as the config writes it: `j`, `G`, `ctrl-u`, `space`, `shift-tab`, `pgdn`, `f5`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let lower = text.to_ascii_lowercase();
        let (mods, rest) = if lower.starts_with("ctrl-") {
            (KeyModifiers::CONTROL, &text[5..])
        } else if lower.starts_with("alt-") {
            (KeyModifiers::ALT, &text[4..])
        } else {
            (KeyModifiers::NONE, text)
        };
        let named = match rest.to_ascii_lowercase().as_str() {
            "space" => Some(KeyCode::Char(' ')),
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" => Some(KeyCode::Tab),
            "shift-tab" | "backtab" => Some(KeyCode::BackTab),
            "backspace" => Some(KeyCode::Backspace),
            "delete" | "del" => Some(KeyCode::Delete),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "pgup" | "pageup" => Some(KeyCode::PageUp),
            "pgdn" | "pagedown" => Some(KeyCode::PageDown),
            "insert" => Some(KeyCode::Insert),
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                f[1..].parse().ok().map(KeyCode::F)
            }
            _ => None,
        };
        let code = match named {
            Some(c) => c,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        if mods.contains(KeyModifiers::CONTROL) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => {
                        return Err(format!(
                            "unknown key {text:?}; write keys like j, G, ?, ctrl-u, alt-x, space, enter, esc, tab, shift-tab, backspace, up, down, left, right, home, end, pgup, pgdn, f1-f12"
                        ));
                    }
                }
            }
        };
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}
