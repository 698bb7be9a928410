//! The create-server form over the whole body: the quota headroom, one line per field with its
//! value and why it is wrong beside it, the focused field's reason in full, and the form's keys.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{CreateForm, FieldId};
use crate::read::catalog::{Catalog, ram_text};
use crate::tui::dialog::Env;
use crate::tui::dialog::frame::Frame;
use crate::tui::keymap::Action;
use crate::tui::theme::Styles;

const LABEL: usize = 15;

/// Draws the form; returns where the text cursor goes when a text field has the focus.
pub fn render(
    form: &CreateForm,
    env: &Env,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let title = format!("create server {} {}", styles.symbols.dot, env.region);
    let inner = Frame::new(title)
        .hint("tab/up/down", "field")
        .hint("left/right", "choose")
        .hint("enter", "create")
        .hint("esc", "cancel")
        .fill(styles, area, buf);
    // `inner` stops above the keys' line.
    if inner.height < 3 || inner.width < 30 {
        return None;
    }
    let cat = env.catalog();
    let mut y = inner.y;
    let line = |y: u16| Rect {
        y,
        height: 1,
        ..inner
    };
    Line::from(headroom(env, cat, inner.width >= 100, styles)).render(line(y), buf);
    y += 1;
    let width = inner.width as usize;
    let value_w = ((width.saturating_sub(LABEL + 2)) * 55 / 100).clamp(16, 48);
    let mut cursor = None;
    let fields = form.fields();
    // On a small screen the fields scroll to keep the focused one in view.
    let room = (inner.bottom().saturating_sub(2).saturating_sub(y) as usize).max(1);
    let at = fields.iter().position(|f| *f == form.focus).unwrap_or(0);
    let first = (at + 1).saturating_sub(room);
    for f in fields.iter().skip(first).take(room) {
        let focused = *f == form.focus;
        let problem = cat.and_then(|c| form.problem(*f, c));
        let (spans, cur) = field_line(form, *f, focused, problem.as_deref(), cat, value_w, styles);
        if let Some(c) = cur {
            let x = inner.x + (2 + LABEL + c) as u16;
            cursor = Some(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
        Line::from(spans).render(line(y), buf);
        y += 1;
    }
    // The focused field's reason in full, above the keys.
    let why_area = Rect {
        y: y + 1,
        height: inner.bottom().saturating_sub(y + 1),
        ..inner
    };
    if let Some(c) = cat
        && let Some(p) = form.problem(form.focus, c)
        && why_area.height > 0
    {
        Paragraph::new(Line::styled(
            format!(" {}: {p}", form.focus.label()),
            styles.error,
        ))
        .wrap(Wrap { trim: false })
        .render(why_area, buf);
    }
    cursor
}

/// "quota left: 7 servers · 30 vCPU · 48 GB RAM", or why there is no catalog yet.
fn headroom<'a>(env: &Env, cat: Option<&Catalog>, wide: bool, styles: &Styles) -> Vec<Span<'a>> {
    let Some(cat) = cat else {
        let text = match &env.catalog.error {
            Some(e) if !env.catalog.loading => {
                return vec![Span::styled(
                    format!(
                        " could not read the catalog: {e} ({} reads again)",
                        env.keymap.first(Action::Refresh)
                    ),
                    styles.error,
                )];
            }
            _ => " reading flavors, images, networks and quotas…",
        };
        return vec![Span::styled(text, styles.dim)];
    };
    let q = &cat.quotas;
    let left = |room: Option<u64>, unit: &str| match room {
        Some(r) => format!("{r} {unit}"),
        None => format!("no limit on {unit}"),
    };
    let ram = match q.ram_mb.headroom() {
        Some(r) => format!("{} RAM", ram_text(r)),
        None => "no limit on RAM".to_owned(),
    };
    let dot = styles.symbols.dot;
    let mut spans = vec![
        Span::styled(" quota left: ", styles.dim),
        Span::styled(
            format!(
                "{} {dot} {} {dot} {ram}",
                left(q.instances.headroom(), "servers"),
                left(q.cores.headroom(), "vCPU"),
            ),
            styles.text,
        ),
    ];
    if wide {
        spans.push(Span::styled(
            format!(
                "   (used: {} servers, {} vCPU)",
                q.instances.text(),
                q.cores.text()
            ),
            styles.dim,
        ));
    }
    spans
}

/// One field: marker, label, value (the tail that holds the cursor), and its check.
fn field_line<'a>(
    form: &CreateForm,
    f: FieldId,
    focused: bool,
    problem: Option<&str>,
    cat: Option<&Catalog>,
    value_w: usize,
    styles: &Styles,
) -> (Vec<Span<'a>>, Option<usize>) {
    let marker = if focused { styles.symbols.cursor } else { " " };
    let mut spans = vec![
        Span::styled(format!("{marker} "), styles.accent),
        Span::styled(
            format!("{:<LABEL$}", f.label()),
            if focused { styles.title } else { styles.dim },
        ),
    ];
    let mut cursor = None;
    let value_style: Style = if focused {
        styles.selection
    } else {
        styles.text
    };
    let shown = form.shown(f, cat);
    let text = match form.text(f) {
        Some(t) => {
            let chars: Vec<char> = shown.chars().collect();
            let room = value_w.saturating_sub(1);
            let start = t.cursor().saturating_sub(room);
            if focused {
                cursor = Some(t.cursor() - start);
            }
            chars[start.min(chars.len())..]
                .iter()
                .take(value_w)
                .collect::<String>()
        }
        None if focused => format!("< {shown} >"),
        None => shown,
    };
    let text = fit(&text, value_w);
    spans.push(Span::styled(format!("{text:<value_w$}"), value_style));
    match (cat, problem) {
        (None, _) => {}
        (Some(_), Some(p)) => {
            spans.push(Span::styled(
                format!(" {} {p}", styles.symbols.failed),
                styles.error,
            ));
        }
        (Some(_), None) => {
            spans.push(Span::styled(format!(" {}", styles.symbols.ok), styles.ok));
        }
    }
    (spans, cursor)
}

/// At most `w` characters, an ellipsis marking a cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
    out.push('~');
    out
}
