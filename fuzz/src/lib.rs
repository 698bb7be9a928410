//! The fuzz entry points: each feeds untrusted bytes to what hvecs runs on them. Shared by the
//! cargo-fuzz targets (fuzz_targets/) and, under proptest, by tests/fuzz_entry_points.rs.

pub mod answer;
pub mod config_file;
pub mod filter_parse;
pub mod filter_query;
pub mod journal_file;
