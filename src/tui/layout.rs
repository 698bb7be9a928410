//! Where each part of the screen is, computed once from the screen's size and the state: the
//! views draw into these rectangles, the reducer reads them (the table's height, the mouse).

use ratatui::layout::{Position, Rect};

/// The parts of the screen (ux.md): the header line, the side panes and the main pane, then the
/// job strip, the status line and the hint bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub header: Rect,
    /// The side panes and the main pane; dialogs, help and messages are drawn over it.
    pub body: Rect,
    /// The side panes (regions, AZs).
    pub side: Rect,
    /// The main pane, its border included (a list or a describe).
    pub main: Rect,
    /// A list's table inside the main pane: its column headers, then its rows.
    pub table: Rect,
    /// Under the table, a line per region loading or stale (`:region all`).
    pub region_lines: Rect,
    pub strip: Rect,
    pub status: Rect,
    pub hints: Rect,
}

impl Layout {
    /// The screen `area` with `region_lines` lines of regions' news wanted under the table (as
    /// many as fit, leaving the table its header and a row); `folded`: the side panes are folded
    /// away (`Ctrl-b`) and the main pane takes their width.
    pub fn of(area: Rect, region_lines: usize, folded: bool) -> Layout {
        let line = |from_bottom: u16| Rect {
            y: area.bottom().saturating_sub(from_bottom),
            height: 1.min(area.height),
            ..area
        };
        let body = Rect {
            y: area.y.saturating_add(1),
            height: area.height.saturating_sub(4),
            ..area
        };
        let side_w = match (folded, area.width >= 120) {
            (true, _) => 0,
            (false, true) => 20,
            (false, false) => 16,
        }
        .min(body.width);
        let main = Rect {
            x: body.x + side_w,
            width: body.width - side_w,
            ..body
        };
        // Inside the main pane's border.
        let inner = Rect {
            x: main.x.saturating_add(1),
            y: main.y.saturating_add(1),
            width: main.width.saturating_sub(2),
            height: main.height.saturating_sub(2),
        };
        let n = (region_lines.min(u16::MAX as usize) as u16).min(inner.height.saturating_sub(2));
        let table = Rect {
            height: inner.height - n,
            ..inner
        };
        Layout {
            header: Rect {
                height: 1.min(area.height),
                ..area
            },
            body,
            side: Rect {
                width: side_w,
                ..body
            },
            main,
            table,
            region_lines: Rect {
                y: table.bottom(),
                height: n,
                ..inner
            },
            strip: line(3),
            status: line(2),
            hints: line(1),
        }
    }

    /// The table's rows, below its column headers.
    pub fn rows(&self) -> Rect {
        Rect {
            y: self.table.y.saturating_add(1),
            height: self.table.height.saturating_sub(1),
            ..self.table
        }
    }

    /// The table row (0: the first on screen) at a screen cell, if the cell is on one.
    pub fn row_at(&self, column: u16, row: u16) -> Option<usize> {
        let rows = self.rows();
        rows.contains(Position::new(column, row))
            .then(|| usize::from(row - rows.y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_s_rows_sit_under_header_border_and_column_headers() {
        let l = Layout::of(Rect::new(0, 0, 100, 30), 0, false);
        assert_eq!(l.side.width, 16);
        assert_eq!(l.rows(), Rect::new(17, 3, 82, 23));
        assert_eq!(l.row_at(17, 3), Some(0));
        assert_eq!(l.row_at(98, 25), Some(22));
        assert_eq!(l.row_at(16, 3), None, "the main pane's border");
        assert_eq!(l.row_at(99, 3), None, "its right border");
        assert_eq!(l.row_at(20, 2), None, "the column headers");
        assert_eq!(l.row_at(20, 26), None, "its bottom border");
        assert_eq!((l.strip.y, l.status.y, l.hints.y), (27, 28, 29));
        let wide = Layout::of(Rect::new(0, 0, 120, 30), 0, false);
        assert_eq!(wide.side.width, 20);
    }

    #[test]
    fn folded_side_panes_give_the_main_pane_their_width() {
        let l = Layout::of(Rect::new(0, 0, 80, 24), 0, true);
        assert_eq!(l.side.width, 0);
        assert_eq!(l.main, Rect::new(0, 1, 80, 20));
        assert_eq!(l.rows(), Rect::new(1, 3, 78, 17));
        assert_eq!(l.row_at(1, 3), Some(0), "a click where the side panes were");
    }

    #[test]
    fn region_lines_take_rows_from_the_table_as_far_as_they_fit() {
        let l = Layout::of(Rect::new(0, 0, 100, 30), 3, false);
        assert_eq!(l.rows().height, 20);
        assert_eq!(
            l.region_lines,
            Rect::new(17, 23, 82, 3),
            "under the table, above the border"
        );
        let crowded = Layout::of(Rect::new(0, 0, 100, 20), 50, false);
        assert_eq!(crowded.table.height, 2, "the header and a row stay");
        assert_eq!(crowded.rows().height, 1);
    }

    #[test]
    fn a_screen_too_small_to_draw_still_has_a_layout() {
        for h in 0..8 {
            for w in [0, 1, 10, 17, 18] {
                for folded in [false, true] {
                    let l = Layout::of(Rect::new(0, 0, w, h), 4, folded);
                    assert_eq!(l.rows().height, 0, "{w}x{h}");
                }
            }
        }
    }
}
