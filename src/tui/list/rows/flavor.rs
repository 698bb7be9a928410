//! A flavor's row (`:flavors`): its size, and where it is on sale and where not.

use super::{Cells, Column, Row, StatusClass, col, num, row_type};
use crate::read::catalog::{FlavorInfo, ram_text};
use crate::read::source::Payload;

pub static FLAVOR_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 32),
    col("SALE", "sale", 0, 6, 10),
    num("VCPU", "vcpu", 1, 4, 6),
    num("RAM", "ram", 1, 6, 10),
    col("ON SALE IN", "azs", 2, 10, 60),
    col("NOT IN", "off", 3, 6, 40),
    col("TYPE", "type", 4, 6, 16),
    col("ID", "id", 9, 8, 36),
];

row_type!(FlavorRow, FlavorInfo, FLAVOR_COLUMNS, status: None, az: None,
rows: |p, azs| match p {
    Payload::Flavors(f) => Some(f.into_iter().map(|f| FlavorRow::new(f, azs)).collect()),
    _ => None,
});

impl FlavorRow {
    /// `azs`: the region's AZs, to say where the flavor is on sale and where not.
    pub fn new(f: FlavorInfo, azs: &[String]) -> Self {
        let sale = if f.disabled {
            "disabled".to_owned()
        } else {
            f.sale_state.clone()
        };
        let (on, off): (Vec<&String>, Vec<&String>) = azs.iter().partition(|a| f.on_sale_in(a));
        let join = |v: Vec<&String>| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
        FlavorRow::build(
            Cells::new(&[
                &f.name,
                &sale,
                &f.vcpus.to_string(),
                &ram_text(f.ram_mb),
                &join(on),
                &join(off),
                &f.performance,
                &f.id,
            ]),
            1,
            false,
            f,
        )
    }
}
