//! The table: only the visible slice is drawn, straight from precomputed cells; on narrow screens
//! columns are dropped by priority.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::tui::list::rows::{Column, Row};
use crate::tui::list::{ListState, cell_width};
use crate::tui::theme::Styles;

/// Width of the mark column (`● `).
const MARK: u16 = 2;

/// The narrowest a column that was dropped comes back as, cut, when there is room left.
const CUT_FLOOR: u16 = 8;

/// Which columns fit in `width`, and how wide each is drawn (in the table's order). Each wants
/// the width of its widest cell on screen, within its bounds. In the columns' declared priority
/// (`drop_order`: 0 always stays), each is taken when it fits whole; the ones that stay shrink
/// when even they do not fit. The space left goes first to the columns whose cells were cut
/// (up to their widest cell), then to a dropped column, shown cut. Columns whose field is in
/// `hidden` are not drawn.
pub fn fit_columns(
    columns: &[Column],
    widest: &[u16],
    width: u16,
    hidden: &[&str],
) -> Vec<(usize, u16)> {
    let avail = width.saturating_sub(MARK);
    let floor = |c: &Column| c.min_width.max(c.header.len() as u16);
    let content = |i: usize| widest.get(i).copied().unwrap_or(0);
    let mut by_priority: Vec<(usize, u16)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !hidden.contains(&c.field))
        .map(|(i, c)| (i, content(i).clamp(floor(c), c.max_width.max(floor(c)))))
        .collect();
    by_priority.sort_by_key(|(i, _)| columns[*i].drop_order);
    let total = |cols: &[(usize, u16)]| -> u16 {
        cols.iter().map(|(_, w)| *w).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    let (mut chosen, rest): (Vec<_>, Vec<_>) = by_priority
        .into_iter()
        .partition(|(i, _)| columns[*i].drop_order == 0);
    // Those that always stay, shrunk (the widest first) when even they are too wide.
    while total(&chosen) > avail {
        let Some(wide) = chosen
            .iter_mut()
            .filter(|(_, w)| *w > 1)
            .max_by_key(|(_, w)| *w)
        else {
            break;
        };
        wide.1 -= 1;
    }
    let mut dropped = Vec::new();
    for (i, w) in rest {
        if total(&chosen) + w < avail {
            chosen.push((i, w));
        } else {
            dropped.push(i);
        }
    }
    // What is left: to the cut cells first, in priority order, then to a dropped column.
    let mut left = avail.saturating_sub(total(&chosen));
    for (i, w) in chosen.iter_mut() {
        let more = content(*i).saturating_sub(*w).min(left);
        *w += more;
        left -= more;
    }
    for i in dropped {
        let need = floor(&columns[i]).min(CUT_FLOOR.max(columns[i].header.len() as u16));
        if left > need {
            let w = content(i).max(need).min(left - 1);
            chosen.push((i, w));
            left -= w + 1;
        }
    }
    chosen.sort_by_key(|(i, _)| *i);
    chosen
}

/// What a table shows beside its rows' cells.
pub struct Extras<'a> {
    /// By row id, the console's own running task on it: shown in the `task` column (and marked
    /// as a transition) instead of the cloud's task state.
    pub task_of: &'a dyn Fn(&str) -> Option<String>,
    /// The fields of the columns left out.
    pub hidden: &'a [&'a str],
    /// Each column's sort letter (`list::sort_keys`), underlined in its header.
    pub letters: &'a [Option<char>],
}

/// Draws the header row and the page of `list` that is on screen into `area`.
pub fn render<R: Row>(
    list: &ListState<R>,
    extras: &Extras<'_>,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let columns = R::columns();
    let page_height = area.height.saturating_sub(1) as usize;
    let ours: Vec<Option<String>> = list
        .page(page_height)
        .map(|(_, r)| (extras.task_of)(r.id()))
        .collect();
    let task_col = columns.iter().position(|c| c.field == "task");
    let fit = fit_columns(
        columns,
        &widths_with_tasks(&list.page_widths(page_height), task_col, &ours),
        area.width,
        extras.hidden,
    );
    let header_style = styles.title;
    let mut x = area.x + MARK;
    for &(i, w) in &fit {
        let header = columns[i].header;
        buf.set_stringn(x, area.y, header, w as usize, header_style);
        let letter = extras.letters.get(i).copied().flatten();
        if let Some(at) = letter
            .and_then(|l| header.find(l))
            .filter(|at| *at < usize::from(w))
        {
            let cell = Rect::new(x + at as u16, area.y, 1, 1);
            buf.set_style(cell, header_style.add_modifier(Modifier::UNDERLINED));
        }
        x += w + 1;
    }
    let rows_area = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let status_col = R::status_column();
    let sym = &styles.symbols;
    for ((index, row), ours) in list.page(rows_area.height as usize).zip(ours) {
        let y = rows_area.y + (index - list.offset()) as u16;
        let selected = index == list.selected();
        let base = if selected {
            styles.selection
        } else {
            styles.text
        };
        if selected {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..rows_area
                },
                base,
            );
        }
        if list.is_marked(row.id()) {
            let st = if selected { base } else { styles.mark };
            buf.set_stringn(rows_area.x, y, sym.mark, 1, st);
        }
        let mut x = rows_area.x + MARK;
        for &(i, w) in &fit {
            let cell = match (&ours, task_col) {
                (Some(t), Some(c)) if c == i => t.as_str(),
                _ => row.cells().get(i),
            };
            let is_status = status_col == Some(i);
            let style: Style = if is_status && !selected {
                styles.status(row.status())
            } else {
                base
            };
            let text = if cell.is_empty() { sym.none } else { cell };
            let end = cut_cell(buf, (x, y), text, w, sym.cut, style);
            if is_status && (row.in_transition() || ours.is_some()) && end + 1 < x + w {
                buf.set_stringn(end + 1, y, sym.transition, 1, style);
            }
            x += w + 1;
        }
    }
}

/// Draws `text` at `at` in `w` cells; a text too wide ends in `cut` (so that a cut name does
/// not pass for a whole one). Returns where the text ends.
fn cut_cell(buf: &mut Buffer, at: (u16, u16), text: &str, w: u16, cut: &str, style: Style) -> u16 {
    let (x, y) = at;
    if cell_width(text) <= usize::from(w) || w < 2 {
        return buf.set_stringn(x, y, text, w as usize, style).0;
    }
    buf.set_stringn(x, y, text, usize::from(w - 1), style);
    buf.set_stringn(x + w - 1, y, cut, 1, style);
    x + w
}

/// The widest cell of each column, the task column as wide as the console's own task texts on
/// the page too (so that "50% reboot" is not cut to "50% re").
fn widths_with_tasks(widest: &[u16], task_col: Option<usize>, ours: &[Option<String>]) -> Vec<u16> {
    let mut w = widest.to_vec();
    if let Some(c) = task_col
        && let Some(slot) = w.get_mut(c)
    {
        let longest = ours.iter().flatten().map(|t| t.chars().count()).max();
        *slot = (*slot).max(longest.unwrap_or(0).min(u16::MAX as usize) as u16);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::list::rows::SERVER_COLUMNS;

    fn headers(fit: &[(usize, u16)]) -> Vec<&'static str> {
        fit.iter().map(|(i, _)| SERVER_COLUMNS[*i].header).collect()
    }

    /// The cells the columns take, separators and the mark column included.
    fn used(fit: &[(usize, u16)]) -> u16 {
        MARK + fit.iter().map(|(_, w)| w + 1).sum::<u16>() - 1
    }

    const WIDEST: [u16; 12] = [12, 7, 0, 10, 9, 8, 12, 7, 16, 9, 20, 36];

    /// The server columns a console of one region hides by default.
    const HIDDEN: &[&str] = &["region", "host", "tag"];

    #[test]
    fn narrow_screens_drop_columns_by_priority() {
        let wide = fit_columns(SERVER_COLUMNS, &WIDEST, 200, HIDDEN);
        assert_eq!(
            headers(&wide),
            [
                "NAME", "STATUS", "TASK", "AZ", "FLAVOR", "IP", "IMAGE", "CREATED", "ID"
            ]
        );
        // 58 cells: NAME, STATUS, TASK, then IP and AZ whole; FLAVOR does not fit, IMAGE does.
        let narrow = fit_columns(SERVER_COLUMNS, &WIDEST, 60, HIDDEN);
        assert_eq!(
            headers(&narrow),
            ["NAME", "STATUS", "TASK", "AZ", "IP", "IMAGE"]
        );
        let all = fit_columns(SERVER_COLUMNS, &WIDEST, 70, &["host", "tag"]);
        assert_eq!(
            headers(&all),
            ["NAME", "STATUS", "TASK", "REGION", "AZ", "FLAVOR", "IP"]
        );
        assert_eq!(
            all[5],
            (5, 6),
            "FLAVOR, dropped, is back cut in the 7 cells left"
        );
        let hosts = headers(&fit_columns(
            SERVER_COLUMNS,
            &WIDEST,
            200,
            &["region", "tag"],
        ));
        assert!(
            hosts.contains(&"HOST") && !hosts.contains(&"TAGS"),
            "{hosts:?}"
        );
        let tiny = fit_columns(SERVER_COLUMNS, &WIDEST, 20, HIDDEN);
        assert_eq!(
            headers(&tiny),
            ["NAME", "STATUS", "TASK"],
            "they shrink, never go"
        );
        assert!(used(&tiny) <= 20, "{tiny:?}");
    }

    #[test]
    fn the_task_column_stays_at_every_width_and_nothing_overflows() {
        for width in 20..=240 {
            let fit = fit_columns(SERVER_COLUMNS, &WIDEST, width, HIDDEN);
            assert_eq!(headers(&fit)[..3], ["NAME", "STATUS", "TASK"], "at {width}");
            assert!(used(&fit) <= width, "at {width}: {fit:?}");
        }
    }

    #[test]
    fn the_space_left_is_given_to_cut_cells_then_to_a_dropped_column_shown_cut() {
        // A name of 60 cells is cut to NAME's 40; there is room for 20 more.
        let mut widest = WIDEST;
        widest[0] = 60;
        let fit = fit_columns(SERVER_COLUMNS, &widest, 200, HIDDEN);
        assert_eq!(fit[0], (0, 60), "{fit:?}");
        // At 100 columns (a main pane of 82) no run of 30 empty cells is left: the ID,
        // dropped, comes back cut in the space left.
        for width in [78, 82, 90, 94] {
            let fit = fit_columns(SERVER_COLUMNS, &WIDEST, width, HIDDEN);
            let left = width - used(&fit);
            assert!(left <= CUT_FLOOR, "at {width}: {left} left, {fit:?}");
        }
        let fit = fit_columns(SERVER_COLUMNS, &WIDEST, 96, HIDDEN);
        assert_eq!(headers(&fit).last(), Some(&"ID"), "{fit:?}");
        assert!(fit.last().is_some_and(|(_, w)| *w < 36));
    }

    #[test]
    fn the_task_column_is_as_wide_as_a_running_task_on_the_page() {
        let widest = [12, 7, 0, 10, 9, 8, 12, 7, 16, 9, 20, 36];
        let ours = [None, Some("50% reboot".to_owned()), None];
        let w = widths_with_tasks(&widest, Some(2), &ours);
        let fit = fit_columns(SERVER_COLUMNS, &w, 200, HIDDEN);
        assert_eq!(fit[2], (2, 10), "{fit:?}");
        let idle = fit_columns(
            SERVER_COLUMNS,
            &widths_with_tasks(&widest, Some(2), &[]),
            200,
            HIDDEN,
        );
        assert_eq!(idle[2], (2, 6));
    }
}
