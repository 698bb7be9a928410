//! An image's row: name, status, OS, type, size, minimum disk, created, id.

use super::{Cells, Column, ImageFields, Row, STATUS, StatusClass, col, num, row_type};
use crate::read::source::Payload;

pub static IMAGE_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 6, 10),
    col("OS", "os", 3, 6, 30),
    col("TYPE", "type", 5, 4, 8),
    num("SIZE", "size", 4, 6, 10),
    num("MIN DISK", "min_disk", 6, 8, 8),
    col("CREATED", "created", 7, 16, 16),
    col("ID", "id", 9, 36, 36),
];

row_type!(ImageRow, ImageFields, IMAGE_COLUMNS, status: Some(STATUS), az: None,
rows: |p, _| match p {
    Payload::Images(r) => Some(r.into_iter().map(ImageRow::new).collect()),
    _ => None,
});

impl ImageRow {
    pub fn new(f: ImageFields) -> Self {
        ImageRow::build(
            Cells::new(&[
                &f.name,
                &f.status,
                &f.os,
                &f.image_type,
                &f.size,
                &f.min_disk,
                &f.created,
                &f.id,
            ]),
            STATUS,
            false,
            f,
        )
    }
}
