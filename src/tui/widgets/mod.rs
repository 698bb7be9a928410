//! Widgets drawn straight into the buffer: the table, the header (status bar) and the hint bar.

pub mod hint_bar;
pub mod status_bar;
pub mod table;
