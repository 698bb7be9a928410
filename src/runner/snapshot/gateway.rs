//! Snapshot calls through the real gateway: each `SnapshotCall` becomes one typed EVS (or ECS, for
//! the stops) call; a look reads snapshots by id (a 404 is one that is gone) or a disk's snapshots.

use crate::gateway::model::Snapshot;
use crate::gateway::{Force, Gateway, GatewayError, SnapshotSpec};

use crate::runner::cloud::Accepted;
use crate::runner::disk::gateway::each_found;
use crate::runner::snapshot::call::{KnownSnapshot, SnapshotCall};
use crate::runner::snapshot::op::{DEVICE_KEY, SERVER_KEY, SET_KEY};

/// Sends one snapshot call.
pub async fn send(gw: &Gateway, call: &SnapshotCall) -> Result<Accepted, GatewayError> {
    let done = |status| Accepted {
        http_status: status,
        ..Accepted::default()
    };
    match call {
        SnapshotCall::Create {
            volume_id,
            name,
            set_id,
            server_id,
            device,
            force,
            ..
        } => {
            let spec = SnapshotSpec {
                volume_id: volume_id.clone(),
                name: name.clone(),
                description: None,
                force: *force,
                metadata: [
                    (SET_KEY.to_owned(), set_id.clone()),
                    (SERVER_KEY.to_owned(), server_id.clone()),
                    (DEVICE_KEY.to_owned(), device.clone()),
                ]
                .into(),
            };
            let made = gw.create_snapshot(&spec).await?;
            Ok(Accepted {
                snapshot_id: Some(made.id),
                ..done(202)
            })
        }
        SnapshotCall::SoftStop { server_id, .. } => {
            // The server is watched up to the visible timeout, not the job (a soft stop's job
            // may wait on the guest for long).
            let job = gw
                .stop_servers(std::slice::from_ref(server_id), Force::Soft)
                .await?;
            Ok(Accepted {
                request_id: job.request_id,
                ..done(job.http_status)
            })
        }
        SnapshotCall::HardStop { server_id } => {
            let job = gw
                .stop_servers(std::slice::from_ref(server_id), Force::Hard)
                .await?;
            Ok(Accepted {
                request_id: job.request_id,
                job_id: job.job_id,
                ..done(job.http_status)
            })
        }
        SnapshotCall::Rollback {
            snapshot_id,
            volume_id,
        } => {
            gw.rollback_snapshot(snapshot_id, volume_id, None).await?;
            Ok(done(202))
        }
        SnapshotCall::Delete { snapshot_id } => {
            gw.delete_snapshot(snapshot_id).await?;
            Ok(done(202))
        }
        SnapshotCall::Rename { snapshot_id, name } => {
            gw.rename_snapshot(snapshot_id, name, None).await?;
            Ok(done(200))
        }
    }
}

/// The snapshot as the runner looks at it.
pub fn known_snapshot(s: Snapshot) -> KnownSnapshot {
    KnownSnapshot {
        set_id: s.metadata.get(SET_KEY).cloned(),
        id: s.id,
        name: s.name,
        status: s.status,
        volume_id: s.volume_id,
    }
}

/// The snapshots among `ids` that exist, each read by id.
pub async fn look(gw: &Gateway, ids: &[String]) -> Result<Vec<KnownSnapshot>, GatewayError> {
    each_found(ids, |id| gw.show_snapshot(id), known_snapshot).await
}

/// The snapshots of one disk.
pub async fn of_disk(gw: &Gateway, volume_id: &str) -> Result<Vec<KnownSnapshot>, GatewayError> {
    Ok(gw
        .list_snapshots(Some(volume_id))
        .await?
        .into_iter()
        .map(known_snapshot)
        .collect())
}
