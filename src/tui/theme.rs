//! The config's theme made into ratatui styles, with the symbols to draw (Unicode or `--ascii`).

use std::path::PathBuf;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::text::Line;
use ratatui::widgets::Block;

use crate::config::ConfigError;
use crate::config::theme::{self, NamedColor, StyleSpec, Theme, ThemeColor};

use super::list::rows::StatusClass;

/// The characters the screen is drawn with.
#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    pub border: border::Set<'static>,
    pub mark: &'static str,
    pub cursor: &'static str,
    pub transition: &'static str,
    pub none: &'static str,
    pub dot: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    /// A progress bar's done and to-do cells.
    pub bar_done: &'static str,
    pub bar_todo: &'static str,
    /// A finished task's outcome.
    pub ok: &'static str,
    pub failed: &'static str,
    /// The last cell of a table cell cut to its column's width.
    pub cut: &'static str,
}

pub const UNICODE: Symbols = Symbols {
    border: border::PLAIN,
    mark: "●",
    cursor: "▶",
    transition: "▸",
    none: "—",
    dot: "·",
    up: "▲",
    down: "▼",
    bar_done: "█",
    bar_todo: "░",
    ok: "✓",
    failed: "✗",
    cut: "…",
};

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

pub const ASCII: Symbols = Symbols {
    border: ASCII_BORDER,
    mark: "*",
    cursor: ">",
    transition: "~",
    none: "-",
    dot: "|",
    up: "^",
    down: "v",
    bar_done: "#",
    bar_todo: "-",
    ok: "ok",
    failed: "X",
    cut: "+",
};

/// Every semantic style of the theme, as ratatui styles.
#[derive(Debug, Clone)]
pub struct Styles {
    pub text: Style,
    pub dim: Style,
    pub header: Style,
    pub accent: Style,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selection: Style,
    pub mark: Style,
    pub hint_key: Style,
    pub hint_text: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    pub stale: Style,
    status: [Style; 6],
    pub symbols: Symbols,
}

impl Styles {
    /// A bordered block in the theme's symbols; a focused one stands out.
    pub fn block<'a>(&self, title: Line<'a>, focused: bool) -> Block<'a> {
        Block::bordered()
            .border_set(self.symbols.border)
            .border_style(if focused {
                self.border_focused
            } else {
                self.border
            })
            .title(title)
    }

    /// `accent` is the profile's colour (ignored without colour); `no_color` uses the mono theme.
    pub fn new(theme: &Theme, accent: Option<ThemeColor>, no_color: bool, ascii: bool) -> Styles {
        let mono;
        let theme = if no_color {
            mono = theme::load("mono", None).unwrap_or_else(|_| theme.clone());
            &mono
        } else {
            theme
        };
        let s = |name: &str| style(theme.style(name));
        let mut accent_style = s("accent");
        if let (Some(c), false) = (accent, no_color) {
            accent_style = accent_style.fg(color(c));
        }
        Styles {
            text: s("text"),
            dim: s("dim"),
            header: s("header"),
            accent: accent_style,
            border: s("border"),
            border_focused: s("border_focused"),
            title: s("title"),
            selection: s("selection"),
            mark: s("mark"),
            hint_key: s("hint_key"),
            hint_text: s("hint_text"),
            error: s("error"),
            warning: s("warning"),
            ok: s("ok"),
            stale: s("stale"),
            status: [
                s("status_active"),
                s("status_shutoff"),
                s("status_build"),
                s("status_transition"),
                s("status_error"),
                s("status_unknown"),
            ],
            symbols: if ascii { ASCII } else { UNICODE },
        }
    }

    /// The built-in default theme (for tests and benches).
    pub fn builtin(name: &str, ascii: bool) -> Styles {
        let t = theme::load(name, None).unwrap_or_else(|_| Theme {
            name: name.to_owned(),
            description: String::new(),
            styles: Default::default(),
        });
        Styles::new(&t, None, false, ascii)
    }

    pub fn status(&self, class: StatusClass) -> Style {
        self.status[match class {
            StatusClass::Active => 0,
            StatusClass::Shutoff => 1,
            StatusClass::Build => 2,
            StatusClass::Transition => 3,
            StatusClass::Error => 4,
            StatusClass::Unknown => 5,
        }]
    }
}

/// How the screen should look, whatever the theme: what `:theme NAME` builds new styles from.
#[derive(Debug, Clone, Default)]
pub struct Look {
    pub themes_dir: Option<PathBuf>,
    pub accent: Option<ThemeColor>,
    pub no_color: bool,
    pub ascii: bool,
}

impl Look {
    pub fn styles(&self, theme_name: &str) -> Result<Styles, ConfigError> {
        let t = theme::load(theme_name, self.themes_dir.as_deref())?;
        Ok(Styles::new(&t, self.accent, self.no_color, self.ascii))
    }

    pub fn theme_names(&self) -> Vec<String> {
        theme::names(self.themes_dir.as_deref())
    }
}

fn style(spec: StyleSpec) -> Style {
    let mut s = Style::default();
    if let Some(c) = spec.fg {
        s = s.fg(color(c));
    }
    if let Some(c) = spec.bg {
        s = s.bg(color(c));
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reverse, Modifier::REVERSED),
    ] {
        if on {
            s = s.add_modifier(m);
        }
    }
    s
}

fn color(c: ThemeColor) -> Color {
    match c {
        ThemeColor::Reset => Color::Reset,
        ThemeColor::Indexed(i) => Color::Indexed(i),
        ThemeColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
        ThemeColor::Named(n) => match n {
            NamedColor::Black => Color::Black,
            NamedColor::Red => Color::Red,
            NamedColor::Green => Color::Green,
            NamedColor::Yellow => Color::Yellow,
            NamedColor::Blue => Color::Blue,
            NamedColor::Magenta => Color::Magenta,
            NamedColor::Cyan => Color::Cyan,
            NamedColor::Gray => Color::Gray,
            NamedColor::DarkGray => Color::DarkGray,
            NamedColor::LightRed => Color::LightRed,
            NamedColor::LightGreen => Color::LightGreen,
            NamedColor::LightYellow => Color::LightYellow,
            NamedColor::LightBlue => Color::LightBlue,
            NamedColor::LightMagenta => Color::LightMagenta,
            NamedColor::LightCyan => Color::LightCyan,
            NamedColor::White => Color::White,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_has_no_colour_and_ascii_has_no_unicode() {
        let t = theme::load("default", None).unwrap();
        let s = Styles::new(&t, Some(ThemeColor::Named(NamedColor::Red)), true, true);
        for st in [
            s.text,
            s.selection,
            s.accent,
            s.status(StatusClass::Error),
            s.mark,
        ] {
            assert!(matches!(st.fg, None | Some(Color::Reset)), "{st:?}");
            assert!(matches!(st.bg, None | Some(Color::Reset)), "{st:?}");
        }
        let ascii = [
            s.symbols.mark,
            s.symbols.cursor,
            s.symbols.transition,
            s.symbols.none,
            s.symbols.dot,
        ];
        assert!(ascii.iter().all(|x| x.is_ascii()));
        assert!(s.symbols.border.top_left.is_ascii());
    }

    #[test]
    fn the_profile_accent_colours_the_accent() {
        let t = theme::load("default", None).unwrap();
        let s = Styles::new(&t, Some(ThemeColor::Named(NamedColor::Red)), false, false);
        assert_eq!(s.accent.fg, Some(Color::Red));
        assert_eq!(s.status(StatusClass::Active).fg, Some(Color::Indexed(114)));
    }
}
