//! The sets of `snapshots list` as a table (the grouping is the read model's,
//! `read/snapshot_sets.rs`, which the console shares).

use crate::read::snapshot_sets::SnapshotSet;

use super::format::{Column, col, wide};

/// The sets as a table: SET, SERVER, TIME, DISKS, SIZE, STATUS, NAME.
/// The columns of the sets' list (`SERVER ID` in `-o wide` and tsv).
pub const COLUMNS: &[Column] = &[
    col("SET"),
    col("SERVER"),
    col("TIME"),
    col("DISKS"),
    col("SIZE"),
    col("STATUS"),
    col("NAME"),
    wide("SERVER ID"),
];

/// One row of cells per set, under `COLUMNS`.
pub fn rows(sets: &[SnapshotSet]) -> Vec<Vec<String>> {
    sets.iter()
        .map(|s| {
            let server = s.server_text();
            let name = s
                .members
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default();
            vec![
                s.set.clone(),
                server,
                s.time.clone(),
                s.members.len().to_string(),
                format!("{} GB", s.size_gb),
                s.status.clone(),
                name,
                s.server_id.clone().unwrap_or_default(),
            ]
        })
        .collect()
}
