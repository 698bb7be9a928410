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

    fn server(name: &str, host: &str, status: &str, vcpus: u64, ram_mb: u64) -> ServerRow {
        ServerRow::new(ServerFields {
            id: format!("id-{name}"),
            name: name.into(),
            status: status.into(),
            az: "az1".into(),
            host: host.into(),
            vcpus,
            ram_mb,
            ..ServerFields::default()
        })
    }

    #[test]
    fn hosts_sum_their_servers() {
        let servers = [
            server("a", "hv-2", "ACTIVE", 2, 4096),
            server("b", "hv-1", "SHUTOFF", 1, 1024),
            server("c", "hv-2", "ACTIVE", 4, 8192),
            server("d", "", "ACTIVE", 4, 8192),
        ];
        let (rows, without_host) = HostRow::of(&servers);
        assert_eq!(without_host, 1);
        let cells: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| (0..6).map(|i| r.cells().get(i)).collect())
            .collect();
        assert_eq!(
            cells,
            [
                ["hv-1", "az1", "1", "0", "1", "1 GB"],
                ["hv-2", "az1", "2", "2", "6", "12 GB"]
            ]
        );
        assert_eq!(rows[1].id(), "hv-2");
        assert_eq!(rows[1].record().running, 2);
    }
}
