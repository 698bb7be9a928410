//! Placement: filter the AZ's Hyper-V hosts, sort by free memory, take the best.

use super::model::{Flavor, Host};

/// Picks a host for a server of `flavor` with `disk_gb` of disks in `az`, or says why none fits.
pub fn choose_host(
    hosts: &[Host],
    region: usize,
    az: &str,
    flavor: &Flavor,
    disk_gb: u64,
) -> Result<usize, String> {
    let best = hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.region == region && h.az == az && !h.maintenance)
        .filter(|(_, h)| {
            h.free_cpu() >= flavor.vcpus
                && h.free_ram_mb() >= flavor.ram_mb
                && h.free_storage_gb() >= disk_gb
        })
        .max_by(|(ia, a), (ib, b)| {
            a.free_ram_mb()
                .cmp(&b.free_ram_mb())
                .then(a.free_cpu().cmp(&b.free_cpu()))
                .then(ib.cmp(ia))
        });
    best.map(|(i, _)| i).ok_or_else(|| {
        format!(
            "no suitable host: no Hyper-V host in {az} has {} vCPU, {} MB memory and {disk_gb} GB storage free",
            flavor.vcpus, flavor.ram_mb
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str, az: &str, free_ram: u64, maintenance: bool) -> Host {
        Host {
            name: name.into(),
            region: 0,
            az: az.into(),
            cpu: 64,
            ram_mb: 262_144,
            storage_gb: 10_000,
            used_cpu: 0,
            used_ram_mb: 262_144 - free_ram,
            used_storage_gb: 0,
            maintenance,
        }
    }

    #[test]
    fn picks_the_host_with_most_free_memory_and_skips_maintenance() {
        let f = Flavor {
            id: "f".into(),
            vcpus: 2,
            ram_mb: 4096,
            sold_out: vec![],
        };
        let hosts = vec![
            host("a", "az1", 8192, false),
            host("b", "az1", 200_000, true),
            host("c", "az1", 100_000, false),
            host("d", "az2", 250_000, false),
        ];
        assert_eq!(choose_host(&hosts, 0, "az1", &f, 40), Ok(2));
        let big = Flavor {
            ram_mb: 150_000,
            ..f
        };
        let err = choose_host(&hosts, 0, "az1", &big, 40).unwrap_err();
        assert!(err.contains("no suitable host"), "{err}");
    }
}
