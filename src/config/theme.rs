//! Themes: semantic style names mapped to colours and attributes, built in or from the user's folder.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::error::ConfigError;
use super::locate::{self, Source};

/// A colour as a theme file writes it: a name, `#rrggbb`, or an index 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeColor {
    Reset,
    Named(NamedColor),
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// The 16 colours every terminal has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedColor {
    Black,
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    Gray,
    DarkGray,
    LightRed,
    LightGreen,
    LightYellow,
    LightBlue,
    LightMagenta,
    LightCyan,
    White,
}

const NAMES: [(&str, NamedColor); 16] = [
    ("black", NamedColor::Black),
    ("red", NamedColor::Red),
    ("green", NamedColor::Green),
    ("yellow", NamedColor::Yellow),
    ("blue", NamedColor::Blue),
    ("magenta", NamedColor::Magenta),
    ("cyan", NamedColor::Cyan),
    ("gray", NamedColor::Gray),
    ("dark_gray", NamedColor::DarkGray),
    ("light_red", NamedColor::LightRed),
    ("light_green", NamedColor::LightGreen),
    ("light_yellow", NamedColor::LightYellow),
    ("light_blue", NamedColor::LightBlue),
    ("light_magenta", NamedColor::LightMagenta),
    ("light_cyan", NamedColor::LightCyan),
    ("white", NamedColor::White),
];

impl ThemeColor {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        if t == "reset" || t == "default" {
            return Ok(ThemeColor::Reset);
        }
        if let Some(hex) = t.strip_prefix('#') {
            if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
                return Ok(ThemeColor::Rgb(byte(0), byte(2), byte(4)));
            }
            return Err(format!(
                "{text:?} is not a colour: write #rrggbb with six hex digits"
            ));
        }
        if let Ok(n) = t.parse::<u8>() {
            return Ok(ThemeColor::Indexed(n));
        }
        let t = t.replace(['-', ' '], "_").replace("grey", "gray");
        NAMES
            .iter()
            .find(|(n, _)| *n == t)
            .map(|(_, c)| ThemeColor::Named(*c))
            .ok_or_else(|| {
                format!(
                    "{text:?} is not a colour: use one of {}, \"reset\", \"#rrggbb\" or 0-255",
                    NAMES.map(|(n, _)| n).join(", ")
                )
            })
    }
}

impl<'de> Deserialize<'de> for ThemeColor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Index(i64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(s) => ThemeColor::parse(&s).map_err(serde::de::Error::custom),
            Raw::Index(n) => u8::try_from(n).map(ThemeColor::Indexed).map_err(|_| {
                serde::de::Error::custom(format!("{n} is not a colour index: use 0-255"))
            }),
        }
    }
}

impl fmt::Display for ThemeColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThemeColor::Reset => f.write_str("reset"),
            ThemeColor::Indexed(n) => write!(f, "{n}"),
            ThemeColor::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
            ThemeColor::Named(c) => {
                let name = NAMES
                    .iter()
                    .find(|(_, n)| n == c)
                    .map(|(s, _)| *s)
                    .unwrap_or("reset");
                f.write_str(name)
            }
        }
    }
}

/// One semantic style: colours and attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<ThemeColor>,
    pub bg: Option<ThemeColor>,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub dim: bool,
    #[serde(default)]
    pub italic: bool,
    #[serde(default)]
    pub underline: bool,
    #[serde(default)]
    pub reverse: bool,
}

/// The semantic names every theme defines. The TUI asks for styles by these names only.
pub const STYLE_NAMES: &[&str] = &[
    "text",
    "dim",
    "header",
    "accent",
    "border",
    "border_focused",
    "title",
    "selection",
    "mark",
    "hint_key",
    "hint_text",
    "error",
    "warning",
    "ok",
    "progress",
    "stale",
    "status_active",
    "status_shutoff",
    "status_build",
    "status_transition",
    "status_error",
    "status_unknown",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    pub description: String,
    pub styles: BTreeMap<String, StyleSpec>,
}

impl Theme {
    pub fn style(&self, name: &str) -> StyleSpec {
        self.styles.get(name).copied().unwrap_or_default()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    #[serde(default)]
    description: String,
    styles: BTreeMap<String, StyleSpec>,
}

/// The themes built into the binary, from `themes/*.toml`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("ansi16", include_str!("../../themes/ansi16.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// Parses a theme file; errors name the file, line and key.
pub fn parse(name: &str, source: &Source) -> Result<Theme, ConfigError> {
    let raw: RawTheme = locate::parse(source)?;
    for key in raw.styles.keys() {
        if !STYLE_NAMES.contains(&key.as_str()) {
            return Err(source.error_at(
                &["styles", key],
                format!(
                    "unknown style {key:?}; the styles are: {}",
                    STYLE_NAMES.join(", ")
                ),
            ));
        }
    }
    if let Some(missing) = STYLE_NAMES.iter().find(|n| !raw.styles.contains_key(**n)) {
        return Err(source.error_at(
            &["styles"],
            format!(
                "style {missing:?} is missing; every theme defines all of: {}",
                STYLE_NAMES.join(", ")
            ),
        ));
    }
    Ok(Theme {
        name: name.to_owned(),
        description: raw.description,
        styles: raw.styles,
    })
}

/// The names of every theme: built in, and those in the user's folder.
pub fn names(user_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
    if let Some(dir) = user_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "toml")
                && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
                && !names.iter().any(|n| n == stem)
            {
                names.push(stem.to_owned());
            }
        }
    }
    names
}

/// Loads a theme by name: the user's folder first (it overrides a built-in of the same name).
pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ConfigError> {
    if let Some(dir) = user_dir {
        let path = dir.join(format!("{name}.toml"));
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::file(&path, format!("cannot read theme: {e}")))?;
            return parse(name, &Source::new(path, text));
        }
    }
    let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name) else {
        return Err(ConfigError::Other(format!(
            "no theme named {name:?}; the themes are: {}",
            names(user_dir).join(", ")
        )));
    };
    parse(
        name,
        &Source::new(format!("<built-in>/themes/{name}.toml"), *text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_defines_every_style() {
        for (name, _) in BUILTIN {
            let t = load(name, None).unwrap_or_else(|e| panic!("theme {name}: {e}"));
            assert_eq!(t.styles.len(), STYLE_NAMES.len(), "theme {name}");
        }
    }

    #[test]
    fn mono_uses_no_colour() {
        let t = load("mono", None).unwrap();
        for (name, s) in &t.styles {
            assert!(
                matches!(s.fg, None | Some(ThemeColor::Reset))
                    && matches!(s.bg, None | Some(ThemeColor::Reset)),
                "mono style {name} has a colour"
            );
        }
    }

    #[test]
    fn ansi16_uses_only_the_16_colours() {
        let t = load("ansi16", None).unwrap();
        for (name, s) in &t.styles {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    matches!(c, ThemeColor::Named(_) | ThemeColor::Reset),
                    "ansi16 style {name} uses {c}"
                );
            }
        }
    }

    #[test]
    fn colours_parse() {
        assert_eq!(
            ThemeColor::parse("#ff0080").unwrap(),
            ThemeColor::Rgb(255, 0, 128)
        );
        assert_eq!(ThemeColor::parse("208").unwrap(), ThemeColor::Indexed(208));
        assert_eq!(
            ThemeColor::parse("Light-Blue").unwrap(),
            ThemeColor::Named(NamedColor::LightBlue)
        );
        assert_eq!(
            ThemeColor::parse("grey").unwrap(),
            ThemeColor::Named(NamedColor::Gray)
        );
        assert!(ThemeColor::parse("#12").is_err());
        assert!(
            ThemeColor::parse("mauve")
                .unwrap_err()
                .contains("light_blue")
        );
    }

    /// Writes the user theme `name` into `dir`: the first built-in one, `from` made `to` once.
    fn user_theme(dir: &Path, name: &str, from: &str, to: &str) {
        let (_, text) = BUILTIN[0];
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn a_bad_user_theme_names_file_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let sparkle = "[styles]\nsparkle = { fg = \"red\" }";
        user_theme(dir.path(), "mine", "[styles]", sparkle);
        let e = load("mine", Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("mine.toml:"), "{e}");
        assert!(e.contains("key styles.sparkle"), "{e}");
        user_theme(dir.path(), "mine", "fg = ", "fg = \"chartreuse\", bogus = ");
        let e = load("mine", Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("mine.toml:") && e.contains("key styles."), "{e}");
    }

    #[test]
    fn a_user_theme_overrides_a_builtin_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let mine = "description = \"mine\" #";
        user_theme(dir.path(), "default", "description = ", mine);
        assert_eq!(
            load("default", Some(dir.path())).unwrap().description,
            "mine"
        );
    }
}
