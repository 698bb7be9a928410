//! The console drawn into ratatui's TestBackend, as text: one line per row, every cell.
#![allow(dead_code)] // not every test binary that includes `support` draws the console

use hvecs::tui::app::AppState;
use hvecs::tui::theme::Styles;
use hvecs::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The whole screen of `app` at `(width, height)` in the default theme.
pub fn drawn(app: &AppState, (w, h): (u16, u16)) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        views::draw(
            app,
            &Styles::builtin("default", false),
            area,
            f.buffer_mut(),
        );
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
