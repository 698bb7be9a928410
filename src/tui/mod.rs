//! The console: a full-screen TUI (ratatui + crossterm) over the gateway's lists. Only this module
//! touches the terminal; it reads through `DataSource` and never waits on the network.

pub mod actions;
pub mod app;
pub mod command;
pub mod dialog;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod line_input;
pub mod list;
pub mod mouse;
pub mod recall;
pub mod term;
#[cfg(test)]
mod test_console;
pub mod theme;
pub mod views;
pub mod widgets;
