//! The read-only views `:flavors`, `:networks` and `:quotas` as lists (filter, sort, describe the
//! row): their rows, made from the catalog's types, and how the app reads and fills them.

use super::rows::{Cells, Column, Row, StatusClass, col, num, row_type};
use super::slot::Slot;
use crate::read::catalog::{FlavorInfo, NetworkInfo, Quotas, SubnetInfo, Usage, ram_text};
use crate::read::source::{View, What};

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

row_type!(FlavorRow, FlavorInfo, FLAVOR_COLUMNS, status: None, az: None);

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
            f.clone(),
        )
    }
}

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

row_type!(NetworkRow, NetworkLine, NETWORK_COLUMNS, status: Some(1), az: None);

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

pub static QUOTA_COLUMNS: &[Column] = &[
    col("RESOURCE", "resource", 0, 8, 30),
    col("USED / LIMIT", "usage", 0, 12, 30),
    num("USED", "used", 2, 4, 12),
    num("LIMIT", "limit", 2, 5, 12),
    num("HEADROOM", "headroom", 0, 8, 12),
    num("% USED", "percent", 1, 6, 6),
    // the resource's key, as the id
    col("KEY", "key", 9, 4, 30),
];

/// What a quota row is made of: the resource's key (`instances`, `volumes_SSD`…) and its usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaLine {
    pub key: String,
    pub usage: Usage,
}

row_type!(QuotaRow, QuotaLine, QUOTA_COLUMNS, status: None, az: None);

impl QuotaRow {
    fn new(label: &str, key: &str, u: &Usage) -> QuotaRow {
        let limit = u
            .limit
            .map(|l| l.to_string())
            .unwrap_or_else(|| "no limit".into());
        let headroom = u
            .headroom()
            .map(|h| h.to_string())
            .unwrap_or_else(|| "no limit".into());
        let percent = match u.limit {
            Some(l) if l > 0 => format!("{}%", u.used.saturating_mul(100) / l),
            _ => String::new(),
        };
        QuotaRow::build(
            Cells::new(&[
                label,
                &u.text(),
                &u.used.to_string(),
                &limit,
                &headroom,
                &percent,
                key,
            ]),
            0,
            false,
            QuotaLine {
                key: key.to_owned(),
                usage: *u,
            },
        )
    }

    /// Servers, vCPUs and RAM (in MB), then each storage line.
    pub fn of(q: &Quotas) -> Vec<QuotaRow> {
        let mut rows = vec![
            QuotaRow::new("servers", "instances", &q.instances),
            QuotaRow::new("vCPUs", "cores", &q.cores),
            QuotaRow::new("RAM (MB)", "ram", &q.ram_mb),
        ];
        rows.extend(
            q.storage
                .iter()
                .map(|(name, u)| QuotaRow::new(&storage_label(name), name, u)),
        );
        rows
    }
}

/// "volumes", "gigabytes_SSD" → "disks", "disk GB (SSD)".
fn storage_label(key: &str) -> String {
    let (base, kind) = match key.split_once('_') {
        Some((b, k)) => (b, Some(k)),
        None => (key, None),
    };
    let base = match base {
        "volumes" => "disks",
        "gigabytes" => "disk GB",
        "snapshots" => "disk snapshots",
        "backups" => "backups",
        other => other,
    };
    match kind {
        Some(k) => format!("{base} ({k})"),
        None => base.to_owned(),
    }
}

/// Whether a view is one of these read-only lists (no detail to fetch, no actions).
pub fn is_catalog_view(view: View) -> bool {
    matches!(view, View::Flavors | View::Networks | View::Quotas)
}

/// The list a catalog slot fills.
pub fn view_of(slot: Slot) -> Option<View> {
    match slot {
        Slot::Flavors => Some(View::Flavors),
        Slot::Networks => Some(View::Networks),
        Slot::Quotas => Some(View::Quotas),
        _ => None,
    }
}

/// What reads a catalog view.
pub fn what_of(view: View) -> Option<What> {
    match view {
        View::Flavors => Some(What::Flavors(None)),
        View::Networks => Some(What::Networks),
        View::Quotas => Some(What::Quotas),
        _ => None,
    }
}
