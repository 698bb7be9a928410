//! `CloudApi` for the real gateway: each runner call becomes one typed call through the cloud
//! session's client of the task's region, and each gateway error one of the runner's four kinds
//! (throttled, rejected, not sent, unknown).

use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;

use crate::config::Service;
use crate::gateway::model::{Job, JobStatus as GwJobStatus, JobSubmitted, Server};
use crate::gateway::{
    CloudSession, ErrorKind, Force, Gateway, GatewayError, ServerFilter, ServerSpec,
};

use super::cloud::{Accepted, CallError, CloudApi, Clouds, JobStatus, JobView, SubJob};
use super::disk::call::KnownDisk;
use super::image::op::KnownImage;
use super::op::{CreateSpec, Hardness, PowerAction};
use super::precondition::KnownServer;
use super::snapshot::call::KnownSnapshot;
use super::tags::TagAction;
use super::task::Call;

/// Ids per server-list request when looking at many servers (keeps URLs short).
const LOOK_CHUNK: usize = 100;

/// The cloud of one region, through the session's client of that region.
pub struct GatewayApi {
    session: CloudSession,
    region: String,
}

impl GatewayApi {
    pub fn new(session: CloudSession, region: &str) -> Self {
        GatewayApi {
            session,
            region: region.to_owned(),
        }
    }

    fn gw(&self) -> Result<Gateway, CallError> {
        self.session.client(&self.region).map_err(call_error)
    }

    /// A read through the region's client, its error as the runner's.
    fn read<'a, T, Fut>(
        &'a self,
        read: impl FnOnce(Gateway) -> Fut + Send + 'a,
    ) -> BoxFuture<'a, Result<T, CallError>>
    where
        Fut: Future<Output = Result<T, GatewayError>> + Send + 'a,
    {
        Box::pin(async move { read(self.gw()?).await.map_err(call_error) })
    }
}

impl Clouds for CloudSession {
    fn in_region(self: Arc<Self>, region: &str) -> Arc<dyn CloudApi> {
        Arc::new(GatewayApi::new((*self).clone(), region))
    }
}

fn force(h: Hardness) -> Force {
    match h {
        Hardness::Soft => Force::Soft,
        Hardness::Hard => Force::Hard,
    }
}

/// The gateway's error as the runner treats it.
pub fn call_error(e: GatewayError) -> CallError {
    let request_id = e.request_id.clone();
    match &e.kind {
        ErrorKind::Api { status: 429, .. } => CallError::Throttled { request_id },
        ErrorKind::Api { status, body } => CallError::Rejected {
            http_status: *status,
            code: body.code.clone(),
            message: e.message(),
            request_id,
        },
        ErrorKind::Paging(_) => CallError::Rejected {
            http_status: 200,
            code: None,
            message: e.to_string(),
            request_id,
        },
        ErrorKind::BadBody { status, .. } => CallError::Rejected {
            http_status: *status,
            code: None,
            message: e.message(),
            request_id,
        },
        ErrorKind::OutcomeUnknown(_) => CallError::OutcomeUnknown(e.to_string()),
        ErrorKind::Network(_)
        | ErrorKind::Tls(_)
        | ErrorKind::ReadOnly
        | ErrorKind::Setup(_)
        | ErrorKind::WrongProject { .. }
        | ErrorKind::CredentialsHeld(_) => CallError::NotSent(e.to_string()),
    }
}

fn accepted(s: JobSubmitted) -> Accepted {
    Accepted {
        http_status: s.http_status,
        request_id: s.request_id,
        job_id: s.job_id,
        server_ids: s.server_ids,
        volume_ids: Vec::new(),
        snapshot_id: None,
    }
}

fn server_spec(spec: &CreateSpec) -> ServerSpec {
    ServerSpec {
        name: spec.name.clone(),
        image_id: spec.image_id.clone(),
        flavor_id: spec.flavor_id.clone(),
        vpc_id: spec.vpc_id.clone(),
        subnet_ids: vec![spec.subnet_id.clone()],
        root_volume_type: spec.root_volume.volume_type.clone(),
        root_volume_size: Some(u64::from(spec.root_volume.size_gb)),
        data_volumes: spec
            .data_volumes
            .iter()
            .map(|v| (v.volume_type.clone(), u64::from(v.size_gb)))
            .collect(),
        availability_zone: spec.availability_zone.clone(),
        count: Some(spec.count),
        admin_pass: spec.admin_pass.clone(),
        key_name: spec.key_name.clone(),
        ..ServerSpec::default()
    }
}

fn job_status(s: &GwJobStatus) -> JobStatus {
    if s.is_pending() {
        JobStatus::Pending
    } else if s.is_success() {
        JobStatus::Succeeded
    } else {
        JobStatus::Failed
    }
}

fn job_view(job: Job) -> JobView {
    let sub_jobs = job
        .entities
        .sub_jobs
        .iter()
        .map(|s| SubJob {
            status: job_status(&s.status),
            server_id: s
                .entities
                .server_id
                .clone()
                .or_else(|| s.entities.volume_id.clone()),
            error_code: s.error_code.clone(),
            fail_reason: s.reason(),
        })
        .collect();
    JobView {
        status: job_status(&job.status),
        percent: job.entities.process_percent.map(|p| p.min(100) as u8),
        sub_jobs,
        sub_jobs_total: job.entities.sub_jobs_total.map(|t| t as u32),
        server_id: job.entities.server_id.clone(),
        image_id: job.entities.image_id.clone(),
        error_code: job.error_code.clone(),
        fail_reason: job.reason(),
    }
}

pub fn known(s: Server) -> KnownServer {
    KnownServer {
        status: s.status.to_string(),
        task_state: s.task_state.filter(|t| !t.is_empty()),
        flavor_id: Some(s.flavor.id).filter(|f| !f.is_empty()),
        id: s.id,
        name: s.name,
    }
}

impl GatewayApi {
    async fn send_call(&self, call: &Call, dry_run: bool) -> Result<Accepted, GatewayError> {
        let gw = &self.session.client(&self.region)?;
        let submitted = match call {
            Call::Power { action, ids } => match action {
                PowerAction::Start => gw.start_servers(ids).await?,
                PowerAction::Stop(h) => gw.stop_servers(ids, force(*h)).await?,
                PowerAction::Reboot(h) => gw.reboot_servers(ids, force(*h)).await?,
            },
            Call::Create { spec, client_token } => {
                gw.create_servers(&server_spec(spec), client_token, dry_run)
                    .await?
            }
            Call::Resize {
                id,
                flavor_id,
                with_stop,
            } => gw.resize_server(id, flavor_id, *with_stop, dry_run).await?,
            Call::Rename { id, name } => {
                gw.update_server(id, Some(name), None).await?;
                return Ok(Accepted {
                    http_status: 200,
                    ..Accepted::default()
                });
            }
            Call::Delete {
                ids,
                delete_volumes,
            } => gw.delete_servers(ids, *delete_volumes, false).await?,
            Call::Image(c) => match super::image::gateway::send(gw, c).await? {
                Some(job) => job,
                None => {
                    return Ok(Accepted {
                        http_status: 200,
                        ..Accepted::default()
                    });
                }
            },
            Call::Disk(d) => return super::disk::gateway::send(gw, d, dry_run).await,
            Call::Snapshot(c) => return super::snapshot::gateway::send(gw, c).await,
            Call::Tags { id, action, tags } => {
                let http_status = match action {
                    TagAction::Create => {
                        let pairs: Vec<(String, String)> = tags
                            .iter()
                            .map(|t| (t.key.clone(), t.value.clone()))
                            .collect();
                        gw.create_server_tags(id, &pairs).await?
                    }
                    TagAction::Delete => {
                        let keys: Vec<String> = tags.iter().map(|t| t.key.clone()).collect();
                        gw.delete_server_tags(id, &keys).await?
                    }
                };
                return Ok(Accepted {
                    http_status,
                    ..Accepted::default()
                });
            }
        };
        Ok(accepted(submitted))
    }

    async fn list(&self, filter: ServerFilter) -> Result<Vec<KnownServer>, CallError> {
        Ok(self
            .gw()?
            .list_servers(&filter)
            .await
            .map_err(call_error)?
            .into_iter()
            .map(known)
            .collect())
    }
}

impl CloudApi for GatewayApi {
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        Box::pin(async move { self.send_call(call, false).await.map_err(call_error) })
    }

    fn dry_run<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        Box::pin(async move { self.send_call(call, true).await.map_err(call_error) })
    }

    fn job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        self.read(move |gw| async move { gw.show_job(Service::Ecs, job_id).await.map(job_view) })
    }

    fn job_of<'a>(
        &'a self,
        call: &'a Call,
        job_id: &'a str,
    ) -> BoxFuture<'a, Result<JobView, CallError>> {
        let service = match call {
            Call::Disk(d) if d.evs_job() => Service::Evs,
            _ => Service::Ecs,
        };
        self.read(move |gw| async move { gw.show_job(service, job_id).await.map(job_view) })
    }

    fn disks<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<KnownDisk>, CallError>> {
        self.read(move |gw| async move { super::disk::gateway::look(&gw, ids).await })
    }

    fn snapshots<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        self.read(move |gw| async move { super::snapshot::gateway::look(&gw, ids).await })
    }

    fn snapshots_of_disk<'a>(
        &'a self,
        volume_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        self.read(move |gw| async move { super::snapshot::gateway::of_disk(&gw, volume_id).await })
    }

    fn servers<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(LOOK_CHUNK) {
                let found = self
                    .list(ServerFilter {
                        ids: chunk.to_vec(),
                        ..ServerFilter::default()
                    })
                    .await?;
                // The list may include DELETED servers for admins: those are gone.
                out.extend(found.into_iter().filter(|s| s.status != "DELETED"));
            }
            Ok(out)
        })
    }

    fn image_job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        self.read(move |gw| async move { gw.show_image_job(job_id).await.map(job_view) })
    }

    fn images<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        self.read(move |gw| async move { super::image::gateway::images(&gw, ids).await })
    }

    fn images_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        self.read(move |gw| async move { super::image::gateway::named(&gw, name).await })
    }

    fn image_quota(&self) -> BoxFuture<'_, Result<Option<(u64, u64)>, CallError>> {
        self.read(|gw| async move { gw.private_image_quota().await })
    }

    fn servers_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        Box::pin(async move {
            let all = self.list(ServerFilter::default()).await?;
            let prefix = format!("{name}-");
            Ok(all
                .into_iter()
                .filter(|s| {
                    s.name == name
                        || s.name
                            .strip_prefix(&prefix)
                            .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sub_jobs_of_an_evs_batch_name_their_disks() {
        let job: Job = serde_json::from_value(serde_json::json!({
            "status": "FAIL", "job_type": "batchCreateVolume",
            "entities": {"sub_jobs": [
                {"status": "SUCCESS", "entities": {"volume_id": "d-1"}},
                {"status": "FAIL", "error_code": "EVS.2024", "fail_reason": "host",
                 "entities": {"volume_id": "d-2"}},
                {"status": "SUCCESS", "entities": {"server_id": "s-1", "volume_id": "d-3"}}]}
        }))
        .unwrap();
        let v = job_view(job);
        let ids: Vec<Option<&str>> = v.sub_jobs.iter().map(|s| s.server_id.as_deref()).collect();
        assert_eq!(ids, [Some("d-1"), Some("d-2"), Some("s-1")]);
        assert_eq!(v.sub_jobs[1].status, JobStatus::Failed);
    }
}
