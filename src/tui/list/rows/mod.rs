//! Compact typed rows for the lists: display cells built once per fetch, beside the typed record
//! they were made from; one file per row kind.

/// The cells of one row, kept in one string with end offsets (few allocations per row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cells {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Cells {
    /// Joins `cells` with newlines (a cell never holds one: control characters, from the gateway
    /// or anywhere, become a visible placeholder), so that a `~regex` can anchor at a cell with
    /// `^` and `$`.
    pub fn new<S: AsRef<str>>(cells: &[S]) -> Self {
        let mut text = String::with_capacity(cells.iter().map(|c| c.as_ref().len() + 1).sum());
        let mut ends = Vec::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                text.push(SEP);
            }
            text.extend(
                c.as_ref()
                    .chars()
                    .map(|ch| if is_unsafe(ch) { PLACEHOLDER } else { ch }),
            );
            ends.push(text.len() as u32);
        }
        Cells {
            text: text.into(),
            ends: ends.into(),
        }
    }

    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        &self.text[start..end as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every cell, separated by newlines (which no query word can hold).
    pub fn joined(&self) -> &str {
        &self.text
    }
}

const SEP: char = '\n';

use crate::read::source::Payload;
use crate::terminal_text::{PLACEHOLDER, is_unsafe};

mod disk;
mod flavor;
mod host;
mod image;
mod keypair;
mod network;
mod quota;
mod server;
mod snapshot_set;

pub use crate::read::records::{
    AzRow, DiskFields, ImageFields, KeypairFields, RegionRow, ServerFields,
};
pub use disk::{DISK_COLUMNS, DiskRow};
pub use flavor::{FLAVOR_COLUMNS, FlavorRow};
pub use host::{HOST_COLUMNS, HostRow};
pub use image::{IMAGE_COLUMNS, ImageRow};
pub use keypair::{KEYPAIR_COLUMNS, KeypairRow};
pub use network::{NETWORK_COLUMNS, NetworkLine, NetworkRow};
pub use quota::{QUOTA_COLUMNS, QuotaLine, QuotaRow};
pub use server::{OPTIONAL_COLUMNS, SERVER_COLUMNS, ServerRow};
pub use snapshot_set::{SNAPSHOT_SET_COLUMNS, SnapshotSetRow};

/// How a status reads at a glance; the theme gives each a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    Active,
    Shutoff,
    Build,
    Transition,
    Error,
    Unknown,
}

impl StatusClass {
    /// Server statuses (api.md §6), image, disk and snapshot statuses (api.md §7).
    pub fn of(status: &str) -> StatusClass {
        match status.to_ascii_lowercase().as_str() {
            "active" | "available" | "in-use" | "ok" => StatusClass::Active,
            "shutoff" | "stopped" | "shelved" | "shelved_offloaded" | "paused" | "suspended"
            | "deleted" | "soft_deleted" => StatusClass::Shutoff,
            "build" | "creating" | "queued" | "saving" | "downloading" => StatusClass::Build,
            "reboot" | "hard_reboot" | "rebuild" | "migrating" | "resize" | "verify_resize"
            | "revert_resize" | "attaching" | "detaching" | "deleting" | "extending"
            | "rollbacking" | "uploading" | "backing-up" | "restoring-backup" => {
                StatusClass::Transition
            }
            s if s.starts_with("error") || s == "killed" => StatusClass::Error,
            _ => StatusClass::Unknown,
        }
    }
}

/// A column of a list: its header, its name in `field:value` filters, and how it yields space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    /// The name a filter uses (`status:shutoff`).
    pub field: &'static str,
    /// Columns with a higher number are dropped first on narrow screens; 0 never is.
    pub drop_order: u8,
    pub min_width: u16,
    pub max_width: u16,
    /// Sort by the leading number of the cell rather than by its text.
    pub numeric: bool,
}

pub(crate) const fn col(
    header: &'static str,
    field: &'static str,
    drop_order: u8,
    min: u16,
    max: u16,
) -> Column {
    Column {
        header,
        field,
        drop_order,
        min_width: min,
        max_width: max,
        numeric: false,
    }
}

pub(crate) const fn num(
    header: &'static str,
    field: &'static str,
    drop_order: u8,
    min: u16,
    max: u16,
) -> Column {
    Column {
        numeric: true,
        ..col(header, field, drop_order, min, max)
    }
}

/// One row of a list: an id, cells for display and filtering, a status for colour.
pub trait Row {
    fn columns() -> &'static [Column];
    fn id(&self) -> &str;
    fn cells(&self) -> &Cells;
    fn status(&self) -> StatusClass;
    /// A transition is under way (a task state): the table shows a marker.
    fn in_transition(&self) -> bool {
        false
    }
    /// The column that holds the status (coloured by class), if any.
    fn status_column() -> Option<usize> {
        None
    }
    /// The column of the availability zone, if rows are filtered by the chosen AZ.
    fn az_column() -> Option<usize> {
        None
    }
    /// The rows a read's answer makes (`None`: the answer is not of these rows); `azs`: the
    /// region's AZs.
    fn from_payload(_payload: Payload, _azs: &[String]) -> Option<Vec<Self>>
    where
        Self: Sized,
    {
        None
    }
}

macro_rules! row_type {
    ($name:ident, $record:ty, $columns:ident, status: $status:expr, az: $az:expr) => {
        row_type!($name, $record, $columns, status: $status, az: $az, rows: |_p, _azs| None);
    };
    ($name:ident, $record:ty, $columns:ident, status: $status:expr, az: $az:expr, rows: $rows:expr) => {
        /// Display cells, and beside them the typed record they were made from.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            cells: Cells,
            status: StatusClass,
            transition: bool,
            record: $record,
        }

        impl Row for $name {
            fn columns() -> &'static [Column] {
                $columns
            }
            fn id(&self) -> &str {
                self.cells.get(self.cells.len().saturating_sub(1))
            }
            fn cells(&self) -> &Cells {
                &self.cells
            }
            fn status(&self) -> StatusClass {
                self.status
            }
            fn in_transition(&self) -> bool {
                self.transition
            }
            fn status_column() -> Option<usize> {
                $status
            }
            fn az_column() -> Option<usize> {
                $az
            }
            fn from_payload(
                payload: crate::read::source::Payload,
                azs: &[String],
            ) -> Option<Vec<Self>> {
                let rows: fn(crate::read::source::Payload, &[String]) -> Option<Vec<Self>> = $rows;
                rows(payload, azs)
            }
        }

        impl $name {
            fn build(cells: Cells, status_col: usize, transition: bool, record: $record) -> Self {
                let status = StatusClass::of(cells.get(status_col));
                $name {
                    cells,
                    status,
                    transition,
                    record,
                }
            }

            /// The typed record the row was made from (what the console acts on).
            pub fn record(&self) -> &$record {
                &self.record
            }

            /// The cell of the column whose filter name is `field`: for tests only (the console
            /// acts on `record()` and shows the cells).
            #[cfg(test)]
            pub fn field(&self, field: &str) -> &str {
                $columns
                    .iter()
                    .position(|c| c.field == field)
                    .map(|i| self.cells.get(i))
                    .unwrap_or("")
            }
        }
    };
}

pub(crate) use row_type;

/// Every row type keeps its status in column 1 and its id in the last column (dropped first).
pub(crate) const STATUS: usize = 1;

/// The leading number of a cell (`"40 GB"` → 40), for numeric sorting.
pub fn leading_number(cell: &str) -> f64 {
    let end = cell
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(cell.len());
    cell[..end].parse().unwrap_or(f64::NEG_INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip() {
        let c = Cells::new(&["Web-01", "", "ACTIVE\u{7}x"]);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(0), "Web-01");
        assert_eq!(c.get(1), "");
        assert_eq!(c.get(2), "ACTIVE\u{fffd}x");
        assert_eq!(c.get(9), "");
        assert_eq!(c.joined(), "Web-01\n\nACTIVE\u{fffd}x");
    }

    #[test]
    fn statuses_are_classed() {
        assert_eq!(StatusClass::of("ACTIVE"), StatusClass::Active);
        assert_eq!(StatusClass::of("HARD_REBOOT"), StatusClass::Transition);
        assert_eq!(StatusClass::of("error_rollbacking"), StatusClass::Error);
        assert_eq!(StatusClass::of("WEIRD"), StatusClass::Unknown);
        assert_eq!(leading_number("40 GB"), 40.0);
        assert_eq!(leading_number("—"), f64::NEG_INFINITY);
    }
}
