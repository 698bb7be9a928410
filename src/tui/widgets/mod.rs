//! Widgets drawn straight into the buffer: the table, the header (status bar), the job strip and the hint bar.

pub mod hint_bar;
pub mod job_strip;
pub mod status_bar;
pub mod table;
