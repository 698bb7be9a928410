//! How a snapshot op plans into steps, each one API call journaled before it is sent. A set: one
//! create per disk (the last one waits for the whole set). A rollback: stop (soft, then hard if
//! the server is not SHUTOFF after the visible timeout) → detach each disk (data disks first) →
//! roll back each → attach each at its device (system disk first) → start if it was running.

use crate::runner::disk::call::DiskCall;
use crate::runner::op::PowerAction;
use crate::runner::snapshot::call::SnapshotCall;
use crate::runner::snapshot::op::{AttachedDisk, SnapshotOp, member_name};
use crate::runner::step::{Call, Settle, Step};

fn attach(server_id: &str, d: &AttachedDisk) -> Step {
    Step::new(
        Call::Disk(DiskCall::Attach {
            volume_id: d.volume_id.clone(),
            server_id: server_id.to_owned(),
            device: Some(d.device.clone()),
        }),
        Settle::Stable,
    )
}

fn start(server_id: &str) -> Step {
    Step::new(
        Call::Power {
            action: PowerAction::Start,
            ids: vec![server_id.to_owned()],
        },
        Settle::Active,
    )
}

/// The system disk first, then by device.
fn boot_first(disks: &mut [AttachedDisk]) {
    disks.sort_by(|a, b| (!a.bootable, &a.device).cmp(&(!b.bootable, &b.device)));
}

pub fn plan(op: &SnapshotOp) -> Vec<Step> {
    match op {
        SnapshotOp::Create {
            server,
            set_id,
            disks,
            name,
            taken_at,
        } => disks
            .iter()
            .map(|d| {
                Step::new(
                    Call::Snapshot(SnapshotCall::Create {
                        volume_id: d.volume_id.clone(),
                        name: member_name(
                            &server.name,
                            name.as_deref(),
                            *taken_at,
                            &d.device,
                            disks.len(),
                        ),
                        set_id: set_id.clone(),
                        server_id: server.id.clone(),
                        device: d.device.clone(),
                        force: true,
                        snapshot_id: None,
                    }),
                    Settle::Stable,
                )
            })
            .collect(),
        SnapshotOp::Rollback {
            server,
            members,
            was_running,
            soft_stop_secs,
            ..
        } => {
            let mut disks: Vec<AttachedDisk> = members.iter().map(|m| m.disk.clone()).collect();
            boot_first(&mut disks);
            let mut steps = Vec::new();
            if *was_running {
                steps.push(Step::new(
                    Call::Snapshot(SnapshotCall::SoftStop {
                        server_id: server.id.clone(),
                        give_up_secs: *soft_stop_secs,
                    }),
                    Settle::Shutoff,
                ));
                steps.push(Step::new(
                    Call::Snapshot(SnapshotCall::HardStop {
                        server_id: server.id.clone(),
                    }),
                    Settle::Shutoff,
                ));
            }
            for d in disks.iter().rev() {
                steps.push(Step::new(
                    Call::Disk(DiskCall::Detach {
                        volume_id: d.volume_id.clone(),
                        server_id: server.id.clone(),
                    }),
                    Settle::Stable,
                ));
            }
            for d in &disks {
                let Some(m) = members.iter().find(|m| m.disk.volume_id == d.volume_id) else {
                    continue;
                };
                steps.push(Step::new(
                    Call::Snapshot(SnapshotCall::Rollback {
                        snapshot_id: m.snapshot_id.clone(),
                        volume_id: d.volume_id.clone(),
                    }),
                    Settle::Stable,
                ));
            }
            steps.extend(disks.iter().map(|d| attach(&server.id, d)));
            if *was_running {
                steps.push(start(&server.id));
            }
            steps
        }
        SnapshotOp::Finish {
            server,
            attach: disks,
            start: and_start,
            ..
        } => {
            let mut disks = disks.clone();
            boot_first(&mut disks);
            let mut steps: Vec<Step> = disks.iter().map(|d| attach(&server.id, d)).collect();
            if *and_start {
                steps.push(start(&server.id));
            }
            steps
        }
        SnapshotOp::Delete { snapshots } => snapshots
            .iter()
            .map(|s| {
                Step::new(
                    Call::Snapshot(SnapshotCall::Delete {
                        snapshot_id: s.id.clone(),
                    }),
                    Settle::Stable,
                )
            })
            .collect(),
        SnapshotOp::Rename { snapshot, name } => vec![Step::new(
            Call::Snapshot(SnapshotCall::Rename {
                snapshot_id: snapshot.id.clone(),
                name: name.clone(),
            }),
            Settle::Nothing,
        )],
    }
}
