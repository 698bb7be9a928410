//! The console: a full-screen TUI (ratatui + crossterm) over the gateway's lists. Only this module
//! touches the terminal; it reads through `DataSource` and never waits on the network.

pub mod actions;
pub mod app;
mod app_dialog;
mod app_keys;
mod app_work;
pub mod catalog_state;
mod clipboard;
pub mod command;
pub mod demo;
pub mod dialog;
pub mod jobs;
pub mod key;
pub mod keymap;
pub mod launch;
pub mod layout;
pub mod line_input;
pub mod list;
pub mod messages;
pub mod mouse;
mod mouse_keys;
mod ops;
mod profile_switch;
pub mod region_parts;
pub mod regions;
pub mod run;
mod run_jobs;
mod targets;
pub mod terminal;
#[cfg(test)]
mod test_console;
pub mod theme;
pub mod views;
pub mod widgets;

#[cfg(test)]
mod extras_tests;
#[cfg(test)]
mod hints_tests;
#[cfg(test)]
mod work_tests;
