//! A subnet's row (`:networks`): its VPC, CIDR, gateway and the AZ it serves.

use super::{Cells, Column, Row, StatusClass, col, row_type};
use crate::read::catalog::{NetworkInfo, SubnetInfo};
use crate::read::source::Payload;

pub static NETWORK_COLUMNS: &[Column] = &[
    col("VPC", "vpc", 0, 6, 30),
    col("STATUS", "status", 0, 6, 10),
    col("SUBNET", "subnet", 0, 6, 30),
    col("CIDR", "cidr", 1, 9, 18),
    col("GATEWAY", "gateway", 3, 7, 15),
    col("AZ", "az", 2, 4, 20),
    col("VPC CIDR", "vpc_cidr", 4, 9, 18),
    col("ID", "id", 9, 8, 36),
];

/// What a network row is made of: a VPC, and one of its subnets (none: a VPC without subnets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkLine {
    pub vpc_id: String,
    pub vpc_name: String,
    pub subnet: Option<SubnetInfo>,
}

row_type!(NetworkRow, NetworkLine, NETWORK_COLUMNS, status: Some(1), az: None,
rows: |p, _| match p {
    Payload::Networks(n) => Some(n.iter().flat_map(NetworkRow::of).collect()),
    _ => None,
});

impl NetworkRow {
    /// One row per subnet (the AZ it serves, or `all`); a VPC without subnets gets one row.
    pub fn of(n: &NetworkInfo) -> Vec<NetworkRow> {
        if n.subnets.is_empty() {
            return vec![NetworkRow::build(
                Cells::new(&[&n.name, &n.status, "", "", "", "", &n.cidr, &n.id]),
                1,
                false,
                NetworkLine {
                    vpc_id: n.id.clone(),
                    vpc_name: n.name.clone(),
                    subnet: None,
                },
            )];
        }
        n.subnets
            .iter()
            .map(|s| {
                NetworkRow::build(
                    Cells::new(&[
                        &n.name,
                        &s.status,
                        &s.name,
                        &s.cidr,
                        &s.gateway_ip,
                        s.az.as_deref().unwrap_or("all"),
                        &n.cidr,
                        &s.id,
                    ]),
                    1,
                    false,
                    NetworkLine {
                        vpc_id: n.id.clone(),
                        vpc_name: n.name.clone(),
                        subnet: Some(s.clone()),
                    },
                )
            })
            .collect()
    }
}
