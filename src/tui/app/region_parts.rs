//! The all-regions view's pieces as plain data: each region's share of the servers list, the
//! line a region shows under the table, an op for one region, and the texts that say where.

use std::collections::BTreeMap;

use chrono::{DateTime, Local};

use crate::runner::{Known, Op};
use crate::tui::list::Stale;
use crate::tui::list::rows::ServerRow;

/// The name of the all-regions view (`:region all`, the first row of the Regions pane).
pub const ALL: &str = "all";

/// One region's share of the all-regions servers list: its newest request and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPart {
    pub region: String,
    /// The newest request's sequence number; older answers are dropped.
    pub want: u64,
    pub loading: bool,
    pub fetched_at: Option<DateTime<Local>>,
    /// The last read failed: the region's rows stay, marked stale, and it is retried.
    pub stale: Option<Stale>,
}

/// What a region's line under the all-regions table says, when it says anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionLine<'a> {
    /// Not read yet.
    Loading(&'a str),
    Stale(&'a str, &'a Stale),
}

/// An op for one region: a bulk action over rows of several regions becomes one per region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionOp {
    pub region: String,
    pub op: Op,
    pub known: Known,
}

/// "a new server needs one region: choose it (:region NAME, or the Regions pane); nothing was sent".
pub fn choose_a_region(what: &str) -> String {
    format!(
        "{what} needs one region, not all: choose it (:region NAME, or the Regions pane); \
         nothing was sent"
    )
}

/// Where rows are: "in 2 AZs (region-1a, region-1b)", or for rows of several regions
/// "in 2 regions (region-1: 2, region-2: 1)".
pub fn spread(rows: &[ServerRow]) -> String {
    let mut regions: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        *regions.entry(r.region()).or_default() += 1;
    }
    if regions.len() > 1 {
        let each: Vec<String> = regions.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        return format!("in {} regions ({})", regions.len(), each.join(", "));
    }
    let azs: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.az()).collect();
    let names: Vec<&str> = azs.iter().copied().collect();
    format!(
        "in {} AZ{} ({})",
        azs.len(),
        if azs.len() == 1 { "" } else { "s" },
        names.join(", ")
    )
}
