//! The console's side of the terminal: the event loop and its effects (`run.rs`, `run_jobs.rs`),
//! raw mode, signals and suspend (`terminal.rs`), keys, the clipboard and the URL opener, launch
//! and the demo.

pub(in crate::tui) mod clipboard;
pub mod demo;
pub mod key;
pub mod launch;
pub(in crate::tui) mod opener;
pub mod run;
pub(in crate::tui) mod run_jobs;
pub mod terminal;
