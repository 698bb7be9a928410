//! The Hyper-V hosts the servers are placed on, summed from the servers read (their
//! `OS-EXT-SRV-ATTR:host`): no API lists hosts to a tenant, so the servers are the source.

use std::collections::BTreeMap;

use super::records::ServerFields;

/// One host: the sums over the servers placed on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HostFields {
    #[serde(rename = "host")]
    pub name: String,
    /// The AZ of its first server (a host is in one AZ).
    #[serde(rename = "availability_zone")]
    pub az: String,
    pub servers: usize,
    /// Servers ACTIVE on it.
    pub running: usize,
    pub vcpus: u64,
    pub ram_mb: u64,
}

/// The hosts of some servers, by name, and how many servers carry no host (a gateway that does
/// not return `OS-EXT-SRV-ATTR:host` to this account).
#[derive(Debug, Default)]
pub struct Hosts {
    pub hosts: Vec<HostFields>,
    pub without_host: usize,
}

/// Sums `servers` per host.
pub fn hosts_of<'a>(servers: impl IntoIterator<Item = &'a ServerFields>) -> Hosts {
    let mut by_name: BTreeMap<&str, HostFields> = BTreeMap::new();
    let mut without_host = 0;
    for f in servers {
        if f.host.is_empty() {
            without_host += 1;
            continue;
        }
        let h = by_name.entry(&f.host).or_insert_with(|| HostFields {
            name: f.host.clone(),
            az: f.az.clone(),
            ..HostFields::default()
        });
        h.servers += 1;
        h.running += usize::from(f.status == "ACTIVE");
        h.vcpus += f.vcpus;
        h.ram_mb += f.ram_mb;
    }
    Hosts {
        hosts: by_name.into_values().collect(),
        without_host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, status: &str, vcpus: u64, ram_mb: u64) -> ServerFields {
        ServerFields {
            status: status.into(),
            az: "az1".into(),
            host: host.into(),
            vcpus,
            ram_mb,
            ..ServerFields::default()
        }
    }

    #[test]
    fn hosts_sum_their_servers() {
        let servers = [
            server("hv-2", "ACTIVE", 2, 4096),
            server("hv-1", "SHUTOFF", 1, 1024),
            server("hv-2", "ACTIVE", 4, 8192),
            server("", "ACTIVE", 4, 8192),
        ];
        let h = hosts_of(&servers);
        assert_eq!(h.without_host, 1);
        let line = |f: &HostFields| (f.name.clone(), f.servers, f.running, f.vcpus, f.ram_mb);
        assert_eq!(
            h.hosts.iter().map(line).collect::<Vec<_>>(),
            [
                ("hv-1".to_owned(), 1, 0, 1, 1024),
                ("hv-2".to_owned(), 2, 2, 6, 12288)
            ]
        );
    }
}
