//! Compact typed rows for the lists: display cells and their lowercase twins, built once per fetch.

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

use crate::runner::{KnownServer, ServerRef};
use crate::terminal_text::{PLACEHOLDER, is_unsafe};

pub use crate::read::records::{
    AzRow, DiskFields, ImageFields, RegionRow, ServerFields, SnapshotFields,
};

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
}

macro_rules! row_type {
    ($name:ident, $record:ty, $columns:ident, status: $status:expr, az: $az:expr) => {
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

            /// The cell of the column whose filter name is `field` (for tests and display).
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
const STATUS: usize = 1;

pub static SERVER_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 7, 14),
    col("TASK", "task", 6, 6, 22),
    // Shown in the all-regions view only (`views::lists`).
    col("REGION", "region", 1, 6, 20),
    col("AZ", "az", 3, 6, 20),
    col("FLAVOR", "flavor", 4, 6, 20),
    col("IP", "ip", 2, 7, 39),
    col("IMAGE", "image", 5, 6, 30),
    col("CREATED", "created", 7, 16, 16),
    col("ID", "id", 9, 36, 36),
];

row_type!(ServerRow, ServerFields, SERVER_COLUMNS, status: Some(STATUS), az: Some(AZ));

/// The servers' REGION and AZ columns.
const REGION: usize = 3;
const AZ: usize = 4;

impl ServerRow {
    pub fn new(f: ServerFields) -> Self {
        ServerRow::build(
            Cells::new(&[
                &f.name,
                &f.status,
                &f.task_state,
                &f.region,
                &f.az,
                &f.flavor,
                &f.ip,
                &f.image,
                &f.created,
                &f.id,
            ]),
            STATUS,
            !f.task_state.is_empty(),
            f,
        )
    }
    pub fn name(&self) -> &str {
        self.cells.get(0)
    }

    pub fn region(&self) -> &str {
        self.cells.get(REGION)
    }

    /// The AZ and the status as shown.
    pub fn az(&self) -> &str {
        self.cells.get(AZ)
    }

    pub fn status_text(&self) -> &str {
        self.cells.get(STATUS)
    }

    /// The server, for an operation.
    pub fn server_ref(&self) -> ServerRef {
        ServerRef::new(&self.record.id, &self.record.name)
    }

    /// What the console last saw of the server, for the runner's preconditions (by its id).
    pub fn known(&self) -> (String, KnownServer) {
        let f = &self.record;
        let known = KnownServer {
            id: f.id.clone(),
            name: f.name.clone(),
            status: f.status.clone(),
            task_state: (!f.task_state.is_empty()).then(|| f.task_state.clone()),
            flavor_id: None,
        };
        (f.id.clone(), known)
    }

    /// A row of the server as read in `region` (the record says where it was read).
    pub fn read_in(f: ServerFields, region: &str) -> ServerRow {
        ServerRow::new(ServerFields {
            region: region.to_owned(),
            ..f
        })
    }
}

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

row_type!(ImageRow, ImageFields, IMAGE_COLUMNS, status: Some(STATUS), az: None);

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

pub static SNAPSHOT_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 6, 16),
    num("GB", "size", 3, 4, 8),
    col("DISK", "disk", 4, 8, 36),
    col("PROGRESS", "progress", 6, 8, 8),
    col("CREATED", "created", 5, 16, 16),
    col("ID", "id", 9, 36, 36),
];

row_type!(SnapshotRow, SnapshotFields, SNAPSHOT_COLUMNS, status: Some(STATUS), az: None);

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

row_type!(DiskRow, DiskFields, DISK_COLUMNS, status: Some(STATUS), az: Some(4));

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
    fn server_rows_know_their_fields_and_status() {
        let r = ServerRow::new(ServerFields {
            id: "1".into(),
            name: "web-01".into(),
            status: "SHUTOFF".into(),
            task_state: "powering-on".into(),
            az: "region-1a".into(),
            ..Default::default()
        });
        assert_eq!(r.id(), "1");
        assert_eq!(r.name(), "web-01");
        assert_eq!(r.field("az"), "region-1a");
        assert_eq!(r.status(), StatusClass::Shutoff);
        assert!(r.in_transition());
        assert_eq!(ServerRow::az_column(), Some(4));
        let r = ServerRow::read_in(r.record().clone(), "region-2");
        assert_eq!((r.region(), r.field("region")), ("region-2", "region-2"));
        assert_eq!(
            (r.id(), r.name(), r.field("az")),
            ("1", "web-01", "region-1a")
        );
        assert!(r.in_transition());
    }

    #[test]
    fn documented_servers_become_rows() {
        let path = format!(
            "{}/tests/fixtures/ecs_list_servers_detail.response.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let body: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let s: crate::gateway::model::Server = crate::gateway::decode(&body["servers"][0]);
        let r = ServerRow::new(crate::read::records::server_record(&s));
        assert_eq!(r.id(), s.id);
        assert_eq!(r.name(), s.name);
        assert_ne!(r.status(), StatusClass::Unknown);
        assert_eq!(r.record().id, s.id);
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
