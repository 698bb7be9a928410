//! A small cloud in memory for the snapshot family's tests: servers, disks attached at devices,
//! snapshots, with the platform's rules (a system disk detaches only from a stopped server, a
//! rollback only onto its own detached disk) and changes that take time on tokio's paused clock.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use crate::runner::cloud::{Accepted, CallError, CloudApi, Clouds, JobStatus, JobView};
use crate::runner::disk::call::{DiskCall, KnownDisk};
use crate::runner::image::op::KnownImage;
use crate::runner::op::PowerAction;
use crate::runner::precondition::{Known, KnownServer};
use crate::runner::snapshot::call::{KnownSnapshot, SnapshotCall};
use crate::runner::snapshot::op::{AttachedDisk, SetMember};
use crate::runner::task::Call;

/// Where a disk is attached: (server, device).
type Place = Option<(String, String)>;
/// A server: (status, task_state, what it becomes and when).
type FakeServer = (String, Option<String>, Option<(Instant, String)>);

#[derive(Debug, Clone)]
pub struct Disk {
    pub name: String,
    pub status: String,
    /// (server, device).
    pub at: Place,
    pub bootable: bool,
    /// What it becomes, and when.
    next: Option<(Instant, String, Place)>,
}

#[derive(Debug, Clone)]
pub struct Snap {
    pub name: String,
    pub status: String,
    pub volume_id: String,
    pub set_id: Option<String>,
    next: Option<(Instant, Option<String>)>,
}

#[derive(Default)]
pub struct State {
    /// id → (status, task_state, next: (when, status)).
    pub servers: BTreeMap<String, FakeServer>,
    pub disks: BTreeMap<String, Disk>,
    pub snapshots: BTreeMap<String, Snap>,
    jobs: BTreeMap<String, Instant>,
    /// Every change that reached the cloud, in words (`detach d-1`, `rollback d-1`…).
    pub sent: Vec<String>,
    /// The guest ignores a soft stop.
    pub deaf_guest: bool,
    /// The rollback of this disk fails on the platform.
    pub failing_rollback: Option<String>,
    next: u32,
}

pub struct SnapCloud {
    pub state: Mutex<State>,
}

const CHANGE: Duration = Duration::from_secs(10);

impl SnapCloud {
    /// Server `s-1` (`ACTIVE` or `SHUTOFF`) with `disks` disks: `d-0` its system disk at
    /// `/dev/vda`, then `d-1` at `/dev/vdb`, …; each with an available snapshot `sn-N` of set
    /// `set-1`.
    pub fn new(status: &str, disks: usize) -> Arc<Self> {
        let mut st = State::default();
        st.servers.insert("s-1".into(), (status.into(), None, None));
        for n in 0..disks {
            let dev = format!("/dev/vd{}", (b'a' + n as u8) as char);
            st.disks.insert(
                format!("d-{n}"),
                Disk {
                    name: format!("disk-{n}"),
                    status: "in-use".into(),
                    at: Some(("s-1".into(), dev)),
                    bootable: n == 0,
                    next: None,
                },
            );
            st.snapshots.insert(
                format!("sn-{n}"),
                Snap {
                    name: format!("web-{n}"),
                    status: "available".into(),
                    volume_id: format!("d-{n}"),
                    set_id: Some("set-1".into()),
                    next: None,
                },
            );
        }
        Arc::new(SnapCloud {
            state: Mutex::new(st),
        })
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut st = self.state.lock().unwrap();
        st.advance();
        f(&mut st)
    }

    /// A read of the cloud at its present time, answered at once.
    fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&State) -> T,
    ) -> BoxFuture<'static, Result<T, CallError>> {
        let found = self.with(|st| f(st));
        Box::pin(async move { Ok(found) })
    }

    pub fn known(&self) -> Known {
        self.with(|st| {
            st.servers
                .iter()
                .map(|(id, (status, task, _))| (id.clone(), known_server(id, status, task)))
                .collect()
        })
    }

    /// The disks of `s-1` as a snapshot op names them.
    pub fn attached(&self) -> Vec<AttachedDisk> {
        self.with(|st| {
            st.disks
                .iter()
                .filter_map(|(id, d)| {
                    let (_, device) = d.at.clone()?;
                    Some(AttachedDisk {
                        volume_id: id.clone(),
                        name: d.name.clone(),
                        device,
                        bootable: d.bootable,
                        size_gb: 10,
                    })
                })
                .collect()
        })
    }

    /// The members of set `set-1` as a rollback names them.
    pub fn members(&self) -> Vec<SetMember> {
        let disks = self.attached();
        self.with(|st| {
            disks
                .into_iter()
                .map(|disk| {
                    let (sid, s) = st
                        .snapshots
                        .iter()
                        .find(|(_, s)| s.volume_id == disk.volume_id)
                        .unwrap();
                    SetMember {
                        snapshot_id: sid.clone(),
                        snapshot_status: s.status.clone(),
                        attached_to: Some("s-1".into()),
                        disk_exists: true,
                        disk,
                    }
                })
                .collect()
        })
    }
}

fn known_server(id: &str, status: &str, task: &Option<String>) -> KnownServer {
    KnownServer {
        id: id.into(),
        name: format!("vm-{id}"),
        status: status.into(),
        task_state: task.clone(),
        flavor_id: None,
    }
}

fn refused(message: String) -> CallError {
    CallError::Rejected {
        http_status: 400,
        code: Some("EVS.0001".into()),
        message,
        request_id: None,
    }
}

impl State {
    fn advance(&mut self) {
        let now = Instant::now();
        for s in self.servers.values_mut() {
            if let Some((at, to)) = s.2.clone()
                && now >= at
            {
                *s = (to, None, None);
            }
        }
        for d in self.disks.values_mut() {
            if let Some((at, to, where_)) = d.next.clone()
                && now >= at
            {
                d.status = to;
                d.at = where_;
                d.next = None;
            }
        }
        let mut gone = Vec::new();
        for (id, s) in self.snapshots.iter_mut() {
            if let Some((at, to)) = s.next.clone()
                && now >= at
            {
                s.next = None;
                match to {
                    Some(to) => s.status = to,
                    None => gone.push(id.clone()),
                }
            }
        }
        for id in gone {
            self.snapshots.remove(&id);
        }
    }

    fn job(&mut self) -> Option<String> {
        self.next += 1;
        let id = format!("job-{}", self.next);
        self.jobs.insert(id.clone(), Instant::now() + CHANGE);
        Some(id)
    }

    fn power(&mut self, id: &str, task: &str, to: &str, after: Duration) -> Result<(), CallError> {
        let s = self
            .servers
            .get_mut(id)
            .ok_or_else(|| refused(format!("no server {id}")))?;
        if s.1.is_some() {
            return Err(refused(format!("server {id} is busy")));
        }
        *s = (
            s.0.clone(),
            Some(task.into()),
            Some((Instant::now() + after, to.into())),
        );
        Ok(())
    }

    fn apply(&mut self, call: &Call) -> Result<Accepted, CallError> {
        let now = Instant::now();
        let mut a = Accepted {
            http_status: 202,
            ..Accepted::default()
        };
        match call {
            Call::Power {
                action: PowerAction::Start,
                ids,
            } => {
                self.power(&ids[0], "powering-on", "ACTIVE", CHANGE)?;
                self.sent.push("start".into());
                a.job_id = self.job();
            }
            Call::Snapshot(SnapshotCall::SoftStop { server_id, .. }) => {
                if !self.deaf_guest {
                    self.power(server_id, "powering-off", "SHUTOFF", CHANGE)?;
                }
                self.sent.push("stop-soft".into());
            }
            Call::Snapshot(SnapshotCall::HardStop { server_id }) => {
                if let Some(s) = self.servers.get_mut(server_id) {
                    *s = (
                        s.0.clone(),
                        Some("powering-off".into()),
                        Some((now + CHANGE / 2, "SHUTOFF".into())),
                    );
                }
                self.sent.push("stop-hard".into());
                a.job_id = self.job();
            }
            Call::Disk(DiskCall::Detach {
                volume_id,
                server_id,
            }) => {
                let server_off = self
                    .servers
                    .get(server_id)
                    .is_some_and(|s| s.0 == "SHUTOFF" && s.1.is_none());
                let d = held(&mut self.disks, volume_id, "disk")?;
                if d.at.as_ref().map(|x| &x.0) != Some(server_id) || d.status != "in-use" {
                    return Err(refused(format!(
                        "disk {volume_id} is not attached to {server_id}"
                    )));
                }
                if d.bootable && !server_off {
                    return Err(refused(
                        "a system disk detaches only from a stopped server".into(),
                    ));
                }
                d.status = "detaching".into();
                d.next = Some((now + CHANGE, "available".into(), None));
                self.sent.push(format!("detach {volume_id}"));
                a.job_id = self.job();
            }
            Call::Disk(DiskCall::Attach {
                volume_id,
                server_id,
                device,
            }) => {
                let device = device.clone().unwrap_or_default();
                let taken = self
                    .disks
                    .values()
                    .any(|d| d.at == Some((server_id.clone(), device.clone())));
                let d = held(&mut self.disks, volume_id, "disk")?;
                if d.status != "available" || taken {
                    return Err(refused(format!(
                        "disk {volume_id} cannot attach at {device}"
                    )));
                }
                d.status = "attaching".into();
                d.next = Some((
                    now + CHANGE,
                    "in-use".into(),
                    Some((server_id.clone(), device)),
                ));
                self.sent.push(format!("attach {volume_id}"));
                a.job_id = self.job();
            }
            Call::Snapshot(SnapshotCall::Create {
                volume_id,
                name,
                set_id,
                force,
                ..
            }) => {
                let d = held(&mut self.disks, volume_id, "disk")?;
                if d.status == "in-use" && !force {
                    return Err(refused("force is needed while attached".into()));
                }
                self.next += 1;
                let id = format!("new-sn-{}", self.next);
                self.snapshots.insert(
                    id.clone(),
                    Snap {
                        name: name.clone(),
                        status: "creating".into(),
                        volume_id: volume_id.clone(),
                        set_id: Some(set_id.clone()),
                        next: Some((now + CHANGE, Some("available".into()))),
                    },
                );
                self.sent.push(format!("snapshot {volume_id}"));
                a.snapshot_id = Some(id);
            }
            Call::Snapshot(SnapshotCall::Rollback {
                snapshot_id,
                volume_id,
            }) => {
                let s = held(&mut self.snapshots, snapshot_id, "snapshot")?;
                if s.volume_id != *volume_id || s.status != "available" {
                    return Err(refused("not its disk, or not available".into()));
                }
                let fails = self.failing_rollback.as_ref() == Some(volume_id);
                let d = held(&mut self.disks, volume_id, "disk")?;
                if d.status != "available" {
                    return Err(refused(format!(
                        "disk {volume_id} is {}: detach it first",
                        d.status
                    )));
                }
                d.status = "rollbacking".into();
                let to = if fails {
                    "error_rollbacking"
                } else {
                    "available"
                };
                d.next = Some((now + 2 * CHANGE, to.into(), None));
                self.sent.push(format!("rollback {volume_id}"));
            }
            Call::Snapshot(SnapshotCall::Delete { snapshot_id }) => {
                let s = held(&mut self.snapshots, snapshot_id, "snapshot")?;
                s.status = "deleting".into();
                s.next = Some((now + 3 * CHANGE, None));
                self.sent.push(format!("delete {snapshot_id}"));
            }
            Call::Snapshot(SnapshotCall::Rename { snapshot_id, name }) => {
                let s = held(&mut self.snapshots, snapshot_id, "snapshot")?;
                s.name = name.clone();
                self.sent.push(format!("rename {snapshot_id}"));
                a.http_status = 200;
            }
            other => return Err(CallError::NotSent(format!("not in this fake: {other:?}"))),
        }
        Ok(a)
    }
}

impl Clouds for SnapCloud {
    fn in_region(self: Arc<Self>, _region: &str) -> Arc<dyn CloudApi> {
        self
    }
}

/// What `map` holds under `id`, or the refusal the platform gives for a `what` it does not have.
fn held<'a, T>(
    map: &'a mut BTreeMap<String, T>,
    id: &str,
    what: &str,
) -> Result<&'a mut T, CallError> {
    map.get_mut(id).ok_or_else(|| refused(format!("no {what}")))
}

fn not_here<T: Send + 'static>() -> BoxFuture<'static, Result<T, CallError>> {
    Box::pin(async { Err(CallError::NotSent("not in this fake".into())) })
}

impl CloudApi for SnapCloud {
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        let r = self.with(|st| st.apply(call));
        Box::pin(async move { r })
    }

    fn dry_run<'a>(&'a self, _call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        not_here()
    }

    fn job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        let ends = self.with(|st| st.jobs.get(job_id).copied());
        Box::pin(async move {
            let ends = ends.ok_or_else(|| refused(format!("no job {job_id}")))?;
            Ok(JobView {
                status: if Instant::now() >= ends {
                    JobStatus::Succeeded
                } else {
                    JobStatus::Pending
                },
                percent: None,
                sub_jobs: Vec::new(),
                sub_jobs_total: None,
                server_id: None,
                image_id: None,
                error_code: None,
                fail_reason: None,
            })
        })
    }

    fn disks<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<KnownDisk>, CallError>> {
        self.read(|st| {
            ids.iter()
                .filter_map(|id| {
                    let d = st.disks.get(id)?;
                    Some(KnownDisk {
                        id: id.clone(),
                        name: d.name.clone(),
                        status: d.status.clone(),
                        size_gb: 10,
                        server_id: d.at.as_ref().map(|a| a.0.clone()),
                    })
                })
                .collect()
        })
    }

    fn snapshots<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        self.read(|st| st.known_snapshots(|id, _| ids.contains(id)))
    }

    fn snapshots_of_disk<'a>(
        &'a self,
        volume_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        self.read(|st| st.known_snapshots(|_, s| s.volume_id == volume_id))
    }

    fn servers<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        self.read(|st| {
            st.servers
                .iter()
                .filter(|(id, _)| ids.contains(id))
                .map(|(id, (status, task, _))| known_server(id, status, task))
                .collect()
        })
    }

    fn servers_named<'a>(
        &'a self,
        _name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        not_here()
    }

    fn image_job<'a>(&'a self, _job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        not_here()
    }

    fn images<'a>(
        &'a self,
        _ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        not_here()
    }

    fn images_named<'a>(
        &'a self,
        _name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        not_here()
    }

    fn image_quota(&self) -> BoxFuture<'_, Result<Option<(u64, u64)>, CallError>> {
        not_here()
    }
}

impl State {
    /// The snapshots `keep` keeps, as the runner knows them.
    fn known_snapshots(&self, keep: impl Fn(&String, &Snap) -> bool) -> Vec<KnownSnapshot> {
        let kept = self.snapshots.iter().filter(|(id, s)| keep(id, s));
        kept.map(|(id, s)| known_snapshot(id, s)).collect()
    }
}

fn known_snapshot(id: &str, s: &Snap) -> KnownSnapshot {
    KnownSnapshot {
        id: id.into(),
        name: s.name.clone(),
        status: s.status.clone(),
        volume_id: s.volume_id.clone(),
        set_id: s.set_id.clone(),
    }
}
