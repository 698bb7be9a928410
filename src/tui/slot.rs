//! Requests of the same slot replace each other: the slot a read fills, and which list it is.

use crate::read::source::{View, What};

/// Requests of the same slot replace each other: only the newest is worth finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Regions,
    Azs,
    List(View),
    Detail,
    Flavors,
    Networks,
    Quotas,
    Catalog,
}

/// The slot a read fills.
pub fn slot(what: &What) -> Slot {
    match what {
        What::Regions => Slot::Regions,
        What::Azs => Slot::Azs,
        What::Servers(_) => Slot::List(View::Servers),
        What::Images => Slot::List(View::Images),
        What::Snapshots => Slot::List(View::Snapshots),
        What::Disks => Slot::List(View::Disks),
        What::Detail(..) => Slot::Detail,
        What::Flavors(_) => Slot::Flavors,
        What::Networks => Slot::Networks,
        What::Quotas => Slot::Quotas,
        What::Catalog => Slot::Catalog,
    }
}
