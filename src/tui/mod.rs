//! The console: a full-screen TUI (ratatui + crossterm) over the gateway's lists. Only this module
//! touches the terminal; it reads through `DataSource` and never waits on the network.

pub mod actions;
pub mod any_list;
pub mod app;
mod app_keys;
mod app_work;
mod catalog_fill;
pub mod catalog_rows;
pub mod catalog_state;
mod clipboard;
pub mod command;
pub mod delete;
mod delete_keys;
pub mod demo;
pub mod filter;
pub mod form;
pub mod jobs;
mod jobs_keys;
pub mod jobs_pane;
pub mod key;
pub mod keymap;
pub mod launch;
pub mod line_input;
pub mod list;
pub mod list_filter;
mod list_sort;
pub mod messages;
pub mod mouse;
mod mouse_keys;
mod ops;
mod profile_switch;
pub mod region_parts;
pub mod regions;
pub mod rename;
mod rename_keys;
pub mod rows;
pub mod run;
mod run_jobs;
pub mod slot;
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
