//! A snapshot set's row (the Snapshots pane): its name, status, server, disks, total size, when
//! it was taken, its set id (a single snapshot made elsewhere is a set of one, by its own id).

use super::{Cells, Column, Row, STATUS, StatusClass, col, num, row_type};
use crate::read::records::when;
use crate::read::snapshot_sets::SnapshotSet;
use crate::read::source::Payload;

pub static SNAPSHOT_SET_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 6, 24),
    col("SERVER", "server", 2, 8, 30),
    num("DISKS", "disks", 3, 5, 5),
    num("GB", "size", 4, 4, 8),
    col("TAKEN", "taken", 5, 16, 16),
    col("ID", "id", 9, 16, 36),
];

row_type!(SnapshotSetRow, SnapshotSet, SNAPSHOT_SET_COLUMNS, status: Some(STATUS), az: None,
rows: |p, _| match p {
    Payload::Snapshots(sets) => Some(sets.into_iter().map(SnapshotSetRow::new).collect()),
    _ => None,
});

impl SnapshotSetRow {
    pub fn new(s: SnapshotSet) -> Self {
        let busy = s.members.iter().any(|m| {
            matches!(
                StatusClass::of(&m.status),
                StatusClass::Transition | StatusClass::Build
            )
        });
        SnapshotSetRow::build(
            Cells::new(&[
                &s.name(),
                &s.status,
                &s.server_text(),
                &s.members.len().to_string(),
                &s.size_gb.to_string(),
                &when(&s.taken),
                &s.set,
            ]),
            STATUS,
            busy,
            s,
        )
    }
}
