//! A Hyper-V host's row (`:hosts`): its AZ, how many servers it holds and runs, the vCPU and RAM
//! placed on it; made from the servers already read (no read of its own).

use super::{Cells, Column, Row, ServerRow, StatusClass, col, num};
use crate::read::catalog::ram_text;
use crate::read::hosts::{HostFields, hosts_of};

pub static HOST_COLUMNS: &[Column] = &[
    col("HOST", "host", 0, 8, 32),
    col("AZ", "az", 1, 6, 20),
    num("SERVERS", "servers", 0, 7, 8),
    num("RUNNING", "running", 0, 7, 8),
    num("VCPU", "vcpu", 2, 4, 8),
    num("RAM", "ram", 2, 6, 12),
];

const AZ: usize = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRow {
    cells: Cells,
    record: HostFields,
}

impl Row for HostRow {
    fn columns() -> &'static [Column] {
        HOST_COLUMNS
    }
    /// A host is known by its name.
    fn id(&self) -> &str {
        self.cells.get(0)
    }
    fn cells(&self) -> &Cells {
        &self.cells
    }
    fn status(&self) -> StatusClass {
        StatusClass::Unknown
    }
    fn az_column() -> Option<usize> {
        Some(AZ)
    }
}

impl HostRow {
    pub fn new(f: HostFields) -> HostRow {
        HostRow {
            cells: Cells::new(&[
                f.name.as_str(),
                &f.az,
                &f.servers.to_string(),
                &f.running.to_string(),
                &f.vcpus.to_string(),
                &ram_text(f.ram_mb),
            ]),
            record: f,
        }
    }

    pub fn record(&self) -> &HostFields {
        &self.record
    }

    /// The hosts of `servers`, and how many servers carry no host.
    pub fn of<'a>(servers: impl IntoIterator<Item = &'a ServerRow>) -> (Vec<HostRow>, usize) {
        let h = hosts_of(servers.into_iter().map(|s| s.record()));
        (
            h.hosts.into_iter().map(HostRow::new).collect(),
            h.without_host,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::records::ServerFields;

    #[test]
    fn a_host_row_shows_its_sums_with_ram_in_gb() {
        let row = HostRow::new(HostFields {
            name: "hv-2".into(),
            az: "az1".into(),
            servers: 2,
            running: 1,
            vcpus: 6,
            ram_mb: 12288,
        });
        let cells: Vec<&str> = (0..6).map(|i| row.cells().get(i)).collect();
        assert_eq!(cells, ["hv-2", "az1", "2", "1", "6", "12 GB"]);
        assert_eq!(row.id(), "hv-2");
        assert_eq!(row.record().running, 1);
    }

    #[test]
    fn the_rows_of_servers_are_their_hosts_and_those_without_one_are_counted() {
        let server = |name: &str, host: &str| {
            ServerRow::new(ServerFields {
                id: format!("id-{name}"),
                name: name.into(),
                host: host.into(),
                ..ServerFields::default()
            })
        };
        let (rows, without_host) = HostRow::of(&[server("a", "hv-1"), server("d", "")]);
        assert_eq!(rows.iter().map(|r| r.id()).collect::<Vec<_>>(), ["hv-1"]);
        assert_eq!(without_host, 1);
    }
}
