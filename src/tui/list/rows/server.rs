//! A server's row: name, status, task, region, AZ, flavor, IP, image, created, host, tags, id.

use super::{Cells, Column, Row, STATUS, ServerFields, StatusClass, col, row_type};
use crate::runner::{KnownServer, ServerRef};

/// The drop order is the priority on a narrow screen: NAME, STATUS and TASK (a running task's
/// progress) always stay; IP, AZ, FLAVOR, IMAGE, CREATED and ID give way in that order.
pub static SERVER_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("STATUS", "status", 0, 7, 14),
    col("TASK", "task", 0, 6, 22),
    // Shown in the all-regions view only (`views::lists`).
    col("REGION", "region", 1, 6, 20),
    col("AZ", "az", 3, 6, 20),
    col("FLAVOR", "flavor", 4, 6, 20),
    col("IP", "ip", 2, 7, 39),
    col("IMAGE", "image", 5, 6, 30),
    col("CREATED", "created", 7, 16, 16),
    // Hidden until `:columns` shows them (`OPTIONAL_COLUMNS`); chosen, they stay as long as AZ
    // and IMAGE do.
    col("HOST", "host", 3, 6, 24),
    col("TAGS", "tag", 5, 6, 40),
    col("ID", "id", 9, 36, 36),
];

/// The columns hidden until `:columns` shows them, by field.
pub const OPTIONAL_COLUMNS: &[&str] = &["host", "tag"];

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
                &f.host,
                &f.tags.join(" "),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
