//! The create-server form over the body: the quota headroom, one line per field with its value
//! and why it is wrong beside it, the focused field's reason in full, and the form's keys.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::block;
use crate::read::catalog::{Catalog, ram_text};
use crate::tui::app::AppState;
use crate::tui::form::{CreateForm, FieldId};
use crate::tui::theme::Styles;

const LABEL: usize = 15;

/// Draws the form; returns where the text cursor goes when a text field has the focus.
pub fn render(
    app: &AppState,
    form: &CreateForm,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    Clear.render(area, buf);
    let title = format!(
        " create server {} {} ",
        styles.symbols.dot, app.session.region
    );
    let b = block(Line::styled(title, styles.title), true, styles);
    let inner = b.inner(area);
    b.render(area, buf);
    if inner.height < 4 || inner.width < 30 {
        return None;
    }
    let cat = app.catalog.of(&app.session.region);
    let mut y = inner.y;
    let line = |y: u16| Rect {
        y,
        height: 1,
        ..inner
    };
    Line::from(headroom(app, cat, inner.width >= 100, styles)).render(line(y), buf);
    y += 1;
    let width = inner.width as usize;
    let value_w = ((width.saturating_sub(LABEL + 2)) * 55 / 100).clamp(16, 48);
    let mut cursor = None;
    let fields = form.fields();
    // On a small screen the fields scroll to keep the focused one in view.
    let room = (inner.bottom().saturating_sub(3).saturating_sub(y) as usize).max(1);
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
    // The focused field's reason in full, then the keys.
    let keys_y = inner.bottom() - 1;
    let why_area = Rect {
        y: y + 1,
        height: keys_y.saturating_sub(y + 1),
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
    let k = |s: &'static str| Span::styled(s, styles.hint_key);
    let t = |s: &'static str| Span::styled(s, styles.hint_text);
    Line::from(vec![
        k(" tab/up/down"),
        t(" field  "),
        k("left/right"),
        t(" choose  "),
        k("enter"),
        t(" create  "),
        k("esc"),
        t(" cancel"),
    ])
    .render(line(keys_y), buf);
    cursor
}

/// "quota left: 7 servers · 30 vCPU · 48 GB RAM", or why there is no catalog yet.
fn headroom<'a>(
    app: &AppState,
    cat: Option<&Catalog>,
    wide: bool,
    styles: &Styles,
) -> Vec<Span<'a>> {
    let Some(cat) = cat else {
        let text = match &app.catalog.error {
            Some(e) if !app.catalog.loading => {
                return vec![Span::styled(
                    format!(" could not read the catalog: {e} (ctrl-r reads again)"),
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
