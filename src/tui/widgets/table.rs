//! The table: only the visible slice is drawn, straight from precomputed cells; on narrow screens
//! columns are dropped by priority.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::list::ListState;
use crate::tui::list::rows::{Column, Row};
use crate::tui::theme::Styles;

/// Width of the mark column (`● `).
const MARK: u16 = 2;

/// Which columns fit in `width`, and how wide each is drawn: each as wide as its widest cell
/// (within its bounds); the columns that drop first go until the rest fit; the last one left
/// shrinks if even that is too wide. Columns whose field is in `hidden` are not drawn.
pub fn fit_columns(
    columns: &[Column],
    widest: &[u16],
    width: u16,
    hidden: &[&str],
) -> Vec<(usize, u16)> {
    let mut chosen: Vec<(usize, u16)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !hidden.contains(&c.field))
        .map(|(i, c)| {
            let w = widest.get(i).copied().unwrap_or(0);
            (
                i,
                w.clamp(
                    c.min_width.max(c.header.len() as u16),
                    c.max_width.max(c.min_width),
                ),
            )
        })
        .collect();
    let avail = width.saturating_sub(MARK);
    let total = |cols: &[(usize, u16)]| -> u16 {
        cols.iter().map(|(_, w)| *w).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    while total(&chosen) > avail {
        let Some((pos, _)) = chosen
            .iter()
            .enumerate()
            .filter(|(_, (i, _))| columns[*i].drop_order > 0)
            .max_by_key(|(_, (i, _))| columns[*i].drop_order)
        else {
            break;
        };
        chosen.remove(pos);
    }
    let over = total(&chosen).saturating_sub(avail);
    if over > 0
        && let Some(widest) = chosen.iter_mut().max_by_key(|(_, w)| *w)
    {
        widest.1 = widest.1.saturating_sub(over).max(1);
    }
    chosen
}

/// Draws the header row and the page of `list` that is on screen into `area`. `task_of` gives,
/// by row id, the console's own running task on it: shown in the `task` column (and marked as a
/// transition) instead of the cloud's task state. Columns whose field is in `hidden` are left out.
pub fn render<R: Row>(
    list: &ListState<R>,
    task_of: &dyn Fn(&str) -> Option<String>,
    hidden: &[&str],
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
        .map(|(_, r)| task_of(r.id()))
        .collect();
    let task_col = columns.iter().position(|c| c.field == "task");
    let fit = fit_columns(
        columns,
        &widths_with_tasks(list.widths(), task_col, &ours),
        area.width,
        hidden,
    );
    let header_style = styles.title;
    let mut x = area.x + MARK;
    for &(i, w) in &fit {
        buf.set_stringn(x, area.y, columns[i].header, w as usize, header_style);
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
            let (end, _) = buf.set_stringn(x, y, text, w as usize, style);
            if is_status && (row.in_transition() || ours.is_some()) && end + 1 < x + w {
                buf.set_stringn(end + 1, y, sym.transition, 1, style);
            }
            x += w + 1;
        }
    }
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

    /// The server columns a console of one region hides by default.
    const HIDDEN: &[&str] = &["region", "host", "tag"];

    #[test]
    fn narrow_screens_drop_columns_by_priority() {
        let widest = [12, 7, 0, 10, 9, 8, 12, 7, 16, 9, 20, 36];
        let wide: Vec<&str> = fit_columns(SERVER_COLUMNS, &widest, 200, HIDDEN)
            .iter()
            .map(|(i, _)| SERVER_COLUMNS[*i].header)
            .collect();
        assert_eq!(
            wide,
            [
                "NAME", "STATUS", "TASK", "AZ", "FLAVOR", "IP", "IMAGE", "CREATED", "ID"
            ]
        );
        let narrow: Vec<&str> = fit_columns(SERVER_COLUMNS, &widest, 60, HIDDEN)
            .iter()
            .map(|(i, _)| SERVER_COLUMNS[*i].header)
            .collect();
        assert_eq!(narrow, ["NAME", "STATUS", "AZ", "FLAVOR", "IP"]);
        let all: Vec<&str> = fit_columns(SERVER_COLUMNS, &widest, 70, &["host", "tag"])
            .iter()
            .map(|(i, _)| SERVER_COLUMNS[*i].header)
            .collect();
        assert_eq!(all, ["NAME", "STATUS", "REGION", "AZ", "FLAVOR", "IP"]);
        let hosts: Vec<&str> = fit_columns(SERVER_COLUMNS, &widest, 200, &["region", "tag"])
            .iter()
            .map(|(i, _)| SERVER_COLUMNS[*i].header)
            .collect();
        assert!(
            hosts.contains(&"HOST") && !hosts.contains(&"TAGS"),
            "{hosts:?}"
        );
        let tiny = fit_columns(SERVER_COLUMNS, &widest, 20, HIDDEN);
        assert_eq!(tiny.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
        assert!(tiny.iter().map(|(_, w)| w + 1).sum::<u16>() <= 20);
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
