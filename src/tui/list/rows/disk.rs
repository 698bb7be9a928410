//! A disk's row: name, status, size, type, AZ, server, device, bootable, id.

use super::{Cells, Column, DiskFields, Row, STATUS, StatusClass, col, num, row_type};
use crate::read::source::Payload;
use crate::runner::disk::op::DiskRef;

pub static DISK_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 6, 16),
    num("GB", "size", 3, 4, 8),
    col("TYPE", "type", 5, 4, 6),
    col("AZ", "az", 4, 6, 20),
    col("SERVER", "server", 2, 8, 36),
    col("DEVICE", "device", 6, 6, 10),
    col("BOOT", "boot", 7, 4, 5),
    col("ID", "id", 9, 36, 36),
];

row_type!(DiskRow, DiskFields, DISK_COLUMNS, status: Some(STATUS), az: Some(4),
rows: |p, _| match p {
    Payload::Disks(r) => Some(r.into_iter().map(DiskRow::new).collect()),
    _ => None,
});

impl DiskRow {
    pub fn new(f: DiskFields) -> Self {
        let busy = StatusClass::of(&f.status) == StatusClass::Transition;
        DiskRow::build(
            Cells::new(&[
                f.name.as_str(),
                &f.status,
                &f.size,
                &f.disk_type,
                &f.az,
                &f.server,
                &f.device,
                if f.bootable { "yes" } else { "no" },
                &f.id,
            ]),
            STATUS,
            busy,
            f,
        )
    }
}

impl DiskRow {
    /// The disk as an op names it, with what the console last saw of it.
    pub fn disk_ref(&self) -> DiskRef {
        let f = &self.record;
        DiskRef {
            id: f.id.clone(),
            name: f.name.clone(),
            az: f.az.clone(),
            status: f.status.clone(),
            // The record's size was written from the API's integer.
            size_gb: f.size.parse().unwrap_or(0),
            bootable: f.bootable,
            server_id: (!f.server_id.is_empty()).then(|| f.server_id.clone()),
        }
    }

    /// "data-7  100 GB SAS  available  region-1b": how a picker or a dialog names it.
    pub fn summary(&self) -> String {
        let f = &self.record;
        let mut s = format!(
            "{}  {} GB {}  {}  {}",
            f.name, f.size, f.disk_type, f.status, f.az
        );
        if !f.device.is_empty() {
            s.push_str(&format!("  {}", f.device));
        }
        if f.bootable {
            s.push_str("  system disk");
        }
        s
    }
}
