//! The screen of ux.md: header, side panes (regions, AZs), the main pane (a list or describe),
//! the status line (filter, command, messages), the hint bar, and help over them.

mod command_line;
mod describe;
mod help;
mod lists;
mod messages;
mod side;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::app::{AppState, Focus, Mode};
use super::layout::Layout;
use super::theme::Styles;
use super::widgets::{hint_bar, job_strip, status_bar};

/// Below this the screen shows a notice instead of the console.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Draws the whole screen into `buf`; returns where the text cursor goes (typing a filter or a
/// command), if anywhere.
pub fn draw(app: &AppState, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(styles, area, buf);
        return None;
    }
    let layout = app.layout_in(area);
    let Layout {
        header,
        body,
        side: left,
        main,
        strip,
        status,
        hints,
        ..
    } = layout;
    let list = app.list(app.view).state();
    let failed = list.stale.as_ref().map(|s| s.error.as_str());
    status_bar::render(&app.session, list.fetched_at, failed, styles, header, buf);
    if left.width > 0 {
        side::render(app, styles, left, buf);
    }
    match &app.mode {
        Mode::Describe(d) => describe::render(d, &app.jobs, styles, main, buf),
        _ => lists::render(app, &layout, styles, buf),
    }
    job_strip::render(&app.jobs, chrono::Utc::now(), styles, strip, buf);
    let mut cursor = command_line::render(app, styles, status, buf);
    hint_bar::render(app.hints(hints.width as usize), styles, hints, buf);
    if let Mode::Dialog(d) = &app.mode {
        cursor = d.draw(&app.env(), styles, body, buf);
    }
    if let Some(scroll) = app.help {
        help::render(app, scroll, styles, body, buf);
    }
    if let Some(up) = app.messages.open {
        messages::render(&app.messages, up, styles, body, buf);
    }
    cursor
}

/// A bordered block in the theme's symbols; focused blocks stand out.
fn block<'a>(title: Line<'a>, focused: bool, styles: &Styles) -> Block<'a> {
    styles.block(title, focused)
}

fn focused(app: &AppState, pane: Focus) -> bool {
    app.help.is_none() && app.messages.open.is_none() && app.focus == pane
}

fn too_small(styles: &Styles, area: Rect, buf: &mut Buffer) {
    let text = format!(
        "terminal too small: {}x{}; hvecs needs at least {MIN_WIDTH}x{MIN_HEIGHT}",
        area.width, area.height
    );
    let y = area.y + area.height / 2;
    Paragraph::new(text)
        .style(styles.warning)
        .centered()
        .wrap(Wrap { trim: true })
        .render(
            Rect {
                y,
                height: area.bottom() - y,
                ..area
            },
            buf,
        );
}
