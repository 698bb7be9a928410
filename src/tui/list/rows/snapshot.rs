//! A disk snapshot's row: name, status, size, source disk, progress, created, id.

use super::{Cells, Column, Row, STATUS, SnapshotFields, StatusClass, col, num, row_type};
use crate::read::source::Payload;

pub static SNAPSHOT_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 6, 16),
    num("GB", "size", 3, 4, 8),
    col("DISK", "disk", 4, 8, 36),
    col("PROGRESS", "progress", 6, 8, 8),
    col("CREATED", "created", 5, 16, 16),
    col("ID", "id", 9, 36, 36),
];

row_type!(SnapshotRow, SnapshotFields, SNAPSHOT_COLUMNS, status: Some(STATUS), az: None,
rows: |p, _| match p {
    Payload::Snapshots(r) => Some(r.into_iter().map(SnapshotRow::new).collect()),
    _ => None,
});

impl SnapshotRow {
    pub fn new(f: SnapshotFields) -> Self {
        let busy = StatusClass::of(&f.status) == StatusClass::Transition
            || StatusClass::of(&f.status) == StatusClass::Build;
        SnapshotRow::build(
            Cells::new(&[
                &f.name,
                &f.status,
                &f.size,
                &f.disk,
                &f.progress,
                &f.created,
                &f.id,
            ]),
            STATUS,
            busy,
            f,
        )
    }
}
