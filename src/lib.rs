//! hvecs: a terminal console for Hyper-V Elastic Cloud Servers behind a ManageOne API gateway.
//! The library holds every module; `main.rs` only hands the command line to `cli`.

pub mod cli;
pub mod config;
pub mod gateway;
pub mod logging;
pub mod read;
pub mod runner;
pub mod sim;
pub mod terminal_text;
pub mod tui;
