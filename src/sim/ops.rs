//! What each kind of job does: its steps (with the durations of backend.md), and its effects on
//! servers, disks, images and snapshots when it begins and at each step (`outcome`: at its end).

use super::clock::Millis;
use super::disk_jobs;
use super::ids::{device_name, ip_in, mac_from};
use super::model::{Attachment, Nic, Server, Volume};
use super::placement;
use super::status::{lock, server_mut, set_snapshot, set_status, set_volume};
use super::sym::Sym;
use super::task::{CreateSpec, DiskSpec, Failure, Task};
use super::uid::Uid;
use super::vm::VmStatus;
use super::world::World;

/// The steps: (task_state, min seconds, max seconds), before `--speed`.
pub fn plan(w: &World, task: &Task) -> Vec<(String, f64, f64)> {
    let s = |n: &str, lo: f64, hi: f64| (n.to_owned(), lo, hi);
    match task {
        Task::Create(spec) => {
            let gb = w
                .images
                .get(&spec.image)
                .map(|i| i.size_bytes as f64 / 1e9)
                .unwrap_or(10.0);
            vec![
                s("scheduling", 2.0, 5.0),
                s("block_device_mapping", 15.0 + gb, 40.0 + 4.0 * gb),
                s("spawning", 10.0, 40.0),
                s("spawning", 10.0, 60.0),
                s("spawning", 5.0, 20.0),
            ]
        }
        Task::Start { .. } => vec![s("powering-on", 5.0, 30.0)],
        Task::Stop { hard: false, .. } => vec![s("powering-off", 5.0, 60.0)],
        Task::Stop { hard: true, .. } => vec![s("powering-off", 2.0, 10.0)],
        Task::Reboot { hard: false, .. } => vec![s("rebooting", 10.0, 60.0)],
        Task::Reboot { hard: true, .. } => vec![s("rebooting_hard", 5.0, 30.0)],
        Task::Delete { .. } => vec![s("deleting", 5.0, 20.0)],
        Task::Resize {
            with_stop,
            was_running,
            ..
        } => {
            let mut v = vec![s("resize_prep", 5.0, 10.0), s("resize_finish", 5.0, 20.0)];
            if *with_stop && *was_running {
                v.insert(0, s("powering-off", 5.0, 20.0));
                v.push(s("powering-on", 5.0, 15.0));
            }
            v
        }
        Task::Attach { .. } => vec![s("attaching", 5.0, 30.0)],
        Task::Detach { .. } => vec![s("detaching", 5.0, 30.0)],
        Task::Image { .. } => vec![
            s("image_pending_upload", 10.0, 30.0),
            s("image_uploading", 50.0, 240.0),
        ],
        Task::Snapshot { .. } => vec![s("creating", 5.0, 30.0)],
        Task::Rollback { .. } => vec![s("rollbacking", 10.0, 60.0)],
        Task::DeleteSnapshot { .. } => vec![s("deleting", 30.0, 180.0)],
        Task::Disk { change, .. } => disk_jobs::plan(change),
    }
}

/// Effects when the job is accepted: statuses go transient, the server is locked.
pub fn begin(w: &mut World, task: &Task, job: &str, first: Option<&str>) {
    match task {
        Task::Create(_) => {}
        Task::Start { server } => set_status(w, server, VmStatus::Starting, first, Some(job)),
        Task::Stop { server, .. } => set_status(w, server, VmStatus::PoweringOff, first, Some(job)),
        Task::Reboot { server, hard } => {
            set_status(w, server, VmStatus::Reset { hard: *hard }, first, Some(job))
        }
        Task::Delete { server, prior, .. } => {
            let running = prior.is_running();
            set_status(w, server, VmStatus::Deleting { running }, first, Some(job))
        }
        Task::Resize {
            server,
            was_running,
            ..
        } => set_status(
            w,
            server,
            VmStatus::UnderUpdate {
                running: *was_running,
            },
            first,
            Some(job),
        ),
        Task::Attach { server, volume, .. } => {
            lock(w, server, job);
            set_volume(w, volume, "attaching", None);
        }
        Task::Detach { server, volume } => {
            lock(w, server, job);
            set_volume(w, volume, "detaching", None);
        }
        Task::Image {
            server,
            was_running: true,
            ..
        } => lock(w, server, job),
        Task::Image { server, .. } => {
            set_status(w, server, VmStatus::UnderTemplateCreation, first, Some(job))
        }
        Task::Snapshot { .. } => {}
        Task::Rollback { snapshot, volume } => {
            set_volume(w, volume, "rollbacking", None);
            set_snapshot(w, snapshot, "rollbacking", None);
        }
        Task::DeleteSnapshot { snapshot } => set_snapshot(w, snapshot, "deleting", None),
        Task::Disk { volume, change } => disk_jobs::begin(w, volume, change),
    }
}

/// The fine-grained task of the step that starts now (servers only).
pub fn set_task(w: &mut World, task: &Task, state: &str) {
    if matches!(
        task,
        Task::Attach { .. }
            | Task::Detach { .. }
            | Task::Image {
                was_running: true,
                ..
            }
    ) {
        return;
    }
    let resize_state = match task {
        Task::Resize { was_running, .. } => Some(*was_running),
        _ => None,
    };
    if let Some(id) = task.server()
        && let Some(s) = server_mut(w, id)
    {
        s.task = Some(state.to_owned());
        if let Some(running) = resize_state {
            s.status = VmStatus::UnderUpdate { running };
        }
    }
}

/// Effects at the end of step `i`; an error fails the sub-job.
pub fn end_step(
    w: &mut World,
    task: &mut Task,
    i: usize,
    job: &str,
    at: Millis,
) -> Result<(), Failure> {
    match task {
        Task::Create(spec) if i == 0 => place_and_build(w, spec, job, at),
        Task::Create(spec) if i == 1 => {
            for v in volume_ids_of(w, &spec.server_id) {
                set_volume(w, &v, "in-use", Some(at));
            }
            Ok(())
        }
        Task::Resize { server, flavor, .. } if matches!(i, 0 | 1) && step_is_prep(w, server) => {
            resize_on_host(w, server, flavor, at)
        }
        _ => Ok(()),
    }
}

fn step_is_prep(w: &World, server: &str) -> bool {
    w.servers
        .get(server)
        .is_some_and(|s| s.task.as_deref() == Some("resize_prep"))
}

fn volume_ids_of(w: &World, server: &str) -> Vec<Uid> {
    w.servers
        .get(server)
        .map(|s| s.volumes.clone())
        .unwrap_or_default()
}

/// End of "scheduling": choose a host and make the VM and its disks (the id becomes visible now).
fn place_and_build(w: &mut World, spec: &CreateSpec, job: &str, at: Millis) -> Result<(), Failure> {
    let ids = (
        Uid::parse(&spec.server_id),
        Uid::parse(&spec.image),
        Uid::parse(&spec.vpc),
    );
    let (Ok(server_id), Ok(image), Ok(vpc)) = ids else {
        return Err(Failure {
            code: "Ecs.0000".into(),
            reason: format!(
                "Task-fail: server id {}, image id {} or VPC id {} is not an id",
                spec.server_id, spec.image, spec.vpc
            ),
        });
    };
    let flavor = w.flavor(&spec.flavor).cloned().ok_or_else(|| Failure {
        code: "Ecs.0204".into(),
        reason: format!("Task-fail: flavor {} no longer exists", spec.flavor),
    })?;
    let disk_gb = spec.root.1 + spec.data.iter().map(|d| d.1).sum::<u64>();
    let hi = placement::choose_host(&w.hosts, spec.region, &spec.az, &flavor, disk_gb).map_err(
        |reason| Failure {
            code: "Ecs.0311".into(),
            reason,
        },
    )?;
    let host = {
        let h = &mut w.hosts[hi];
        h.used_cpu += flavor.vcpus;
        h.used_ram_mb += flavor.ram_mb;
        h.used_storage_gb += disk_gb;
        Sym::new(&h.name)
    };
    let mut nics = Vec::new();
    for sid in &spec.subnets {
        let port_id = w.new_uuid();
        let mac = mac_from(port_id.to_string().as_bytes());
        if let Some(sn) = w.subnets.iter_mut().find(|s| s.id == *sid) {
            sn.next_ip += 1;
            nics.push(Nic {
                subnet_id: sn.id,
                vpc_id: sn.vpc_id,
                ip: ip_in(&sn.cidr, sn.next_ip),
                mac,
                port_id,
            });
        }
    }
    let mut volumes = Vec::new();
    let disks: Vec<(DiskSpec, bool)> = std::iter::once((spec.root, true))
        .chain(spec.data.iter().cloned().map(|d| (d, false)))
        .collect();
    for (n, ((vt, size), boot)) in disks.into_iter().enumerate() {
        let id = w.new_uuid();
        let attachment_id = w.new_uuid();
        w.volumes.insert(Volume {
            id,
            name: if boot {
                format!("{}-volume-0000", spec.name)
            } else {
                format!("{}-volume-{n:04}", spec.name)
            },
            description: String::new(),
            region: spec.region,
            az: spec.az,
            size,
            volume_type: vt,
            bootable: boot,
            status: if boot { "downloading" } else { "creating" }.into(),
            attachment: Some(Attachment {
                server_id,
                attachment_id,
                device: device_name(n).into(),
                attached_at: at,
            }),
            image_id: boot.then_some(image),
            snapshot_id: None,
            created: at,
            updated: at,
        });
        volumes.push(id);
    }
    let instance_name = format!("instance-{:08x}", w.id_counter);
    w.servers.insert(Server {
        id: server_id,
        name: spec.name.clone(),
        description: spec.description.clone(),
        region: spec.region,
        az: spec.az,
        host,
        flavor_id: spec.flavor,
        image_id: image,
        vpc_id: vpc,
        nics,
        volumes,
        status: VmStatus::UnderCreation,
        task: Some("block_device_mapping".into()),
        locked_by: Some(job.to_owned()),
        fault: None,
        tags: spec.tags.clone(),
        metadata: spec.metadata.clone(),
        key_name: spec.key_name.clone(),
        created: at,
        updated: at,
        launched_at: None,
        instance_name,
    });
    Ok(())
}

fn resize_on_host(w: &mut World, server: &str, flavor: &str, at: Millis) -> Result<(), Failure> {
    let (Some(s), Some(new)) = (w.servers.get(server).cloned(), w.flavor(flavor).cloned()) else {
        return Err(Failure {
            code: "Ecs.0204".into(),
            reason: "Task-fail: the server or the flavor no longer exists".into(),
        });
    };
    let old = w.flavor(&s.flavor_id).cloned();
    let (oc, or) = old.map(|f| (f.vcpus, f.ram_mb)).unwrap_or((0, 0));
    let Some(h) = w.host_mut(&s.host) else {
        return Ok(());
    };
    let need_cpu = new.vcpus.saturating_sub(oc);
    let need_ram = new.ram_mb.saturating_sub(or);
    if h.free_cpu() < need_cpu || h.free_ram_mb() < need_ram {
        return Err(Failure {
            code: "Ecs.0311".into(),
            reason: format!(
                "Task-fail: not enough capacity on host {} for flavor {}",
                h.name, new.id
            ),
        });
    }
    h.used_cpu = (h.used_cpu + new.vcpus).saturating_sub(oc);
    h.used_ram_mb = (h.used_ram_mb + new.ram_mb).saturating_sub(or);
    if let Some(s) = w.servers.get_mut(server) {
        s.flavor_id = new.id.into();
        s.updated = at;
    }
    Ok(())
}
