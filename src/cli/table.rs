//! `-o table`: aligned columns fitted to the terminal width (wide columns are cut with `…`),
//! a bold header only on a TTY, and `FIELD  VALUE` blocks for one object.

use std::borrow::Cow;
use std::io::IsTerminal;

use crate::terminal_text;

/// Rows of text under a header.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

const MIN_COL: usize = 6;
const GAP: usize = 2;

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; its cells (often text from the gateway) are made safe for a terminal.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(
            row.into_iter()
                .map(|c| match terminal_text::line(&c) {
                    Cow::Borrowed(_) => c,
                    Cow::Owned(safe) => safe,
                })
                .collect(),
        );
    }

    /// Renders for `width` columns (`None`: no limit); `bold` styles the header.
    pub fn render(&self, width: Option<usize>, bold: bool) -> String {
        let widths = self.widths(width);
        let mut out = self.head(&widths, bold);
        out.push_str(&self.body(&widths, true));
        out
    }

    /// The columns' widths: each the widest of its cells, narrowed to fit in `width` columns.
    pub fn widths(&self, width: Option<usize>) -> Vec<usize> {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        if let Some(max) = width {
            // Ids are what a person copies into the next command: cut them last.
            let keep: Vec<usize> = self
                .header
                .iter()
                .zip(&widths)
                .map(|(h, w)| {
                    if *h == "ID" || h.ends_with(" ID") {
                        *w
                    } else {
                        MIN_COL
                    }
                })
                .collect();
            fit(&mut widths, max, &keep);
            fit(&mut widths, max, &vec![MIN_COL; n]);
        }
        widths
    }

    /// The header line for these widths; `bold` styles it.
    pub fn head(&self, widths: &[usize], bold: bool) -> String {
        let line = format_row(&self.header, widths, true);
        if bold {
            format!("\x1b[1m{line}\x1b[0m\n")
        } else {
            format!("{line}\n")
        }
    }

    /// The rows' lines for these widths; a wider cell is cut with `…` when `cut`, else written
    /// whole (pushing the rest of its row right).
    pub fn body(&self, widths: &[usize], cut: bool) -> String {
        let mut out = String::new();
        for r in &self.rows {
            out.push_str(&format_row(r, widths, cut));
            out.push('\n');
        }
        out
    }

    /// Renders for stdout: fitted to the terminal when it is one.
    pub fn print(&self) -> String {
        let (width, bold) = stdout_style();
        self.render(width, bold)
    }
}

/// How a table is written to stdout: the terminal's width (`None` when not a terminal and no
/// `COLUMNS`), and whether the header is bold.
pub fn stdout_style() -> (Option<usize>, bool) {
    let tty = std::io::stdout().is_terminal();
    let bold = tty && std::env::var_os("NO_COLOR").is_none();
    (terminal_width(tty), bold)
}

/// The terminal's width: `COLUMNS` when set, else the TTY's size; `None` when not a TTY.
fn terminal_width(tty: bool) -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(c);
    }
    if !tty {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| w.0 as usize)
}

/// Narrows the widest columns until the row fits in `max`; column `i` keeps at least `min[i]`.
fn fit(widths: &mut [usize], max: usize, min: &[usize]) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
    while total(widths) > max {
        let widest = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > min[*i])
            .max_by_key(|(_, w)| **w)
            .map(|(i, _)| i);
        let Some(i) = widest else {
            return;
        };
        widths[i] -= 1;
    }
}

fn format_row(cells: &[String], widths: &[usize], cut_wide: bool) -> String {
    let mut parts = Vec::with_capacity(widths.len());
    for (i, w) in widths.iter().enumerate() {
        let c = cells.get(i).map(String::as_str).unwrap_or("");
        if cut_wide {
            parts.push(pad(&cut(c, *w), *w));
        } else {
            parts.push(pad(c, *w));
        }
    }
    parts.join(&" ".repeat(GAP)).trim_end().to_owned()
}

fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

/// `FIELD  VALUE` lines for one object; the values are made safe for a terminal.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let w = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{}  {}\n", pad(k, w), terminal_text::line(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_fit_the_width() {
        let mut t = Table::new(&["NAME", "ID", "STATUS"]);
        t.push(vec![
            "web-1".into(),
            "9f819649-1f7c-44ea-a315-7aa6706de50b".into(),
            "ACTIVE".into(),
        ]);
        t.push(vec!["db".into(), "c93a".into(), "SHUTOFF".into()]);
        let wide = t.render(None, false);
        assert_eq!(
            wide,
            "NAME   ID                                    STATUS\n\
             web-1  9f819649-1f7c-44ea-a315-7aa6706de50b  ACTIVE\n\
             db     c93a                                  SHUTOFF\n"
        );
        // Other columns give way first: the id stays whole while it can.
        let fitted = t.render(Some(52), false);
        assert!(fitted.lines().all(|l| l.chars().count() <= 52), "{fitted}");
        assert!(
            fitted.contains("9f819649-1f7c-44ea-a315-7aa6706de50b"),
            "{fitted}"
        );
        let narrow = t.render(Some(30), false);
        assert!(narrow.lines().all(|l| l.chars().count() <= 30), "{narrow}");
        assert!(narrow.contains("9f819649-1f7c-…"), "{narrow}");
        assert!(!narrow.contains('\x1b'));
        assert!(t.render(None, true).starts_with("\x1b[1mNAME"));
    }
}
