//! A quota's row (`:quotas`): used of the limit, headroom and percent.

use super::{Cells, Column, Row, StatusClass, col, num, row_type};
use crate::read::catalog::{Quotas, Usage};
use crate::read::source::Payload;

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

row_type!(QuotaRow, QuotaLine, QUOTA_COLUMNS, status: None, az: None,
rows: |p, _| match p {
    Payload::Quotas(q) => Some(QuotaRow::of(&q)),
    _ => None,
});

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

    /// Servers, vCPUs and RAM (in MB), then each storage line, then the private images.
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
        rows.extend(
            q.images
                .iter()
                .map(|u| QuotaRow::new("private images", "images", u)),
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
