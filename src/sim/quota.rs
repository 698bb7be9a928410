//! What a project uses against its quotas (counting creates and disk expands still in flight),
//! for the checks at submit and the quota and limit reads.

use super::model::Quota;
use super::task::{DiskChange, Task};
use super::world::World;

/// What a project uses now, counting creates still in flight: the resources its quota counts.
pub type Usage = Quota;

pub fn usage(w: &World, region: usize) -> Usage {
    let mut u = Usage::default();
    for s in w.servers.iter().filter(|s| s.region == region) {
        u.instances += 1;
        if let Some(f) = w.flavor(&s.flavor_id) {
            u.cores += f.vcpus;
            u.ram_mb += f.ram_mb;
        }
    }
    for v in w.volumes.iter().filter(|v| v.region == region) {
        u.volumes += 1;
        u.gigabytes += v.size;
    }
    u.snapshots = w.snapshots.iter().filter(|s| s.region == region).count() as u64;
    u.images = w.images.iter().filter(|i| i.owner == Some(region)).count() as u64;
    for (_, id) in &w.active {
        let Some(job) = w.jobs.get(id) else { continue };
        if job.region != region {
            continue;
        }
        for sub in &job.subs {
            if let Task::Disk {
                volume,
                change: DiskChange::Extend { new_size, .. },
            } = &sub.task
                && !sub.status.done()
            {
                let now = w.volumes.get(volume).map(|v| v.size).unwrap_or(*new_size);
                u.gigabytes += new_size.saturating_sub(now);
            }
            if let Task::Create(spec) = &sub.task
                && !sub.status.done()
                && w.servers.get(&spec.server_id).is_none()
            {
                u.instances += 1;
                if let Some(f) = w.flavor(&spec.flavor) {
                    u.cores += f.vcpus;
                    u.ram_mb += f.ram_mb;
                }
                u.volumes += 1 + spec.data.len() as u64;
                u.gigabytes += spec.root.1 + spec.data.iter().map(|d| d.1).sum::<u64>();
            }
        }
    }
    u
}
