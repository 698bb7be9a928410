//! Disk calls through the real gateway: each `DiskCall` becomes one typed EVS or ECS call, a look
//! at disks reads each by id (a 404 is a disk that is gone), and a listed disk becomes the
//! `DiskRef` an op names.

use crate::gateway::model::Disk;
use crate::gateway::{DiskSpec, Gateway, GatewayError, found};

use crate::runner::cloud::Accepted;
use crate::runner::disk::call::{DiskCall, KnownDisk};
use crate::runner::disk::op::DiskRef;

/// Sends one disk call (`dry_run`: only an attach has one; the others are refused before here).
pub async fn send(gw: &Gateway, call: &DiskCall, dry_run: bool) -> Result<Accepted, GatewayError> {
    let submitted = match call {
        DiskCall::Create { spec, client_token } => {
            let made = gw
                .create_disks(
                    &DiskSpec {
                        name: spec.name.clone(),
                        availability_zone: spec.az.clone(),
                        volume_type: spec.volume_type.clone(),
                        size_gb: spec.size_gb,
                        count: spec.count,
                        description: None,
                    },
                    client_token,
                )
                .await?;
            return Ok(Accepted {
                http_status: made.job.http_status,
                request_id: made.job.request_id,
                job_id: made.job.job_id,
                server_ids: Vec::new(),
                volume_ids: made.volume_ids,
                snapshot_id: None,
            });
        }
        DiskCall::Attach {
            volume_id,
            server_id,
            device,
        } => {
            gw.attach_volume(server_id, volume_id, device.as_deref(), dry_run)
                .await?
        }
        DiskCall::Detach {
            volume_id,
            server_id,
        } => gw.detach_volume(server_id, volume_id, false).await?,
        DiskCall::Expand {
            volume_id,
            new_size_gb,
        } => gw.expand_disk(volume_id, *new_size_gb).await?,
        DiskCall::Rename { volume_id, name } => {
            gw.rename_disk(volume_id, name, None).await?;
            return Ok(Accepted {
                http_status: 200,
                ..Accepted::default()
            });
        }
        DiskCall::Delete { volume_id } => gw.delete_disk(volume_id).await?,
    };
    Ok(Accepted {
        http_status: submitted.http_status,
        request_id: submitted.request_id,
        job_id: submitted.job_id,
        ..Accepted::default()
    })
}

/// A disk as an op names it, with what was seen of it.
pub fn disk_ref(d: &Disk) -> DiskRef {
    DiskRef {
        id: d.id.clone(),
        name: d.name.clone(),
        az: d.availability_zone.clone(),
        status: d.status.clone(),
        size_gb: d.size,
        bootable: d.bootable,
        server_id: d.attachments.first().map(|a| a.server_id.clone()),
    }
}

/// The disk as the runner looks at it.
pub fn known_disk(d: Disk) -> KnownDisk {
    KnownDisk {
        server_id: d.attachments.first().map(|a| a.server_id.clone()),
        id: d.id,
        name: d.name,
        status: d.status,
        size_gb: d.size,
    }
}

/// The disks among `ids` that exist, each read by id.
pub async fn look(gw: &Gateway, ids: &[String]) -> Result<Vec<KnownDisk>, GatewayError> {
    each_found(ids, |id| gw.show_disk(id), known_disk).await
}

/// What exists among `ids`, each read by id with `show` (one that is gone, a 404, is left out)
/// and made into what the runner looks at with `known`.
pub async fn each_found<'a, R, T, F>(
    ids: &'a [String],
    show: impl Fn(&'a str) -> F,
    known: impl Fn(R) -> T,
) -> Result<Vec<T>, GatewayError>
where
    F: Future<Output = Result<R, GatewayError>>,
{
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(found(show(id).await)?.map(&known));
    }
    Ok(out)
}
