//! The narrow view of the cloud the executor needs (`CloudApi`): send one call, read a job, look
//! at servers, in one region; `Clouds` gives the view of each region. The gateway session
//! implements them (`gateway_api.rs`); tests use a fake.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::disk::call::KnownDisk;
use super::image::op::KnownImage;
use super::precondition::KnownServer;
use super::snapshot::call::KnownSnapshot;
use super::task::Call;

/// What the gateway answered to an accepted call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accepted {
    pub http_status: u16,
    pub request_id: Option<String>,
    /// Async calls: the job to follow.
    pub job_id: Option<String>,
    /// A create may name its servers at once (`serverIds`); else they come from the job.
    pub server_ids: Vec<String>,
    /// A disk create names its disks at once (`volume_ids`).
    pub volume_ids: Vec<String>,
    /// A snapshot create names its snapshot at once.
    pub snapshot_id: Option<String>,
}

/// Why a call did not go through, in the four ways the runner treats differently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// 429: slow the region down and send it again; not a failure.
    #[error("throttled by the gateway (429){}", rid(request_id))]
    Throttled { request_id: Option<String> },
    /// The gateway answered with an error: nothing changed.
    #[error("{message}{}", rid(request_id))]
    Rejected {
        http_status: u16,
        code: Option<String>,
        message: String,
        request_id: Option<String>,
    },
    /// It never left this machine (connection refused, TLS, a read-only session): nothing changed.
    #[error("not sent: {0}")]
    NotSent(String),
    /// Sent, and the answer was lost: it may or may not have happened. Look before anything else.
    #[error("sent, but the answer was lost: {0}")]
    OutcomeUnknown(String),
}

fn rid(r: &Option<String>) -> String {
    r.as_ref()
        .map(|r| format!(" (request id {r})"))
        .unwrap_or_default()
}

impl CallError {
    pub fn http_status(&self) -> Option<u16> {
        match self {
            CallError::Throttled { .. } => Some(429),
            CallError::Rejected { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            CallError::Throttled { request_id } | CallError::Rejected { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// INIT, RUNNING, PENDING_PAYMENT.
    Pending,
    Succeeded,
    /// FAIL, or anything else final that is not SUCCESS.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubJob {
    pub status: JobStatus,
    /// The server the sub-job acts on; for an EVS disk job (no server), its disk.
    pub server_id: Option<String>,
    pub error_code: Option<String>,
    pub fail_reason: Option<String>,
}

/// A job as the executor needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub status: JobStatus,
    /// The job's percent, when the API gives one.
    pub percent: Option<u8>,
    pub sub_jobs: Vec<SubJob>,
    /// `sub_jobs_total` when given (it may exceed the sub-jobs listed so far).
    pub sub_jobs_total: Option<u32>,
    /// A job without sub-jobs names its server here.
    pub server_id: Option<String>,
    /// An IMS job names the image it makes.
    pub image_id: Option<String>,
    pub error_code: Option<String>,
    pub fail_reason: Option<String>,
}

/// The cloud, as the executor sees it.
pub trait CloudApi: Send + Sync {
    /// Sends one change. Must not retry a change whose answer was lost.
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>>;

    /// Sends the call with `dry_run` (create, resize): the gateway checks and changes nothing.
    fn dry_run<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>>;

    fn job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>>;

    /// The job `call` made, read from the service that made it (EVS disk jobs from EVS).
    fn job_of<'a>(
        &'a self,
        call: &'a Call,
        job_id: &'a str,
    ) -> BoxFuture<'a, Result<JobView, CallError>> {
        let _ = call;
        self.job(job_id)
    }

    /// The disks among `ids` that exist. A view of the cloud without disks cannot look.
    fn disks<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<KnownDisk>, CallError>> {
        let _ = ids;
        Box::pin(async {
            Err(CallError::NotSent(
                "this view of the cloud has no disks".into(),
            ))
        })
    }

    /// The snapshots among `ids` that exist. A view of the cloud without snapshots cannot look.
    fn snapshots<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        let _ = ids;
        Box::pin(async {
            Err(CallError::NotSent(
                "this view of the cloud has no snapshots".into(),
            ))
        })
    }

    /// The snapshots of one disk.
    fn snapshots_of_disk<'a>(
        &'a self,
        volume_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownSnapshot>, CallError>> {
        let _ = volume_id;
        Box::pin(async {
            Err(CallError::NotSent(
                "this view of the cloud has no snapshots".into(),
            ))
        })
    }

    /// The servers among `ids` that exist (a deleted one is missing from the answer).
    fn servers<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>>;

    /// Servers whose name is exactly `name` or `name-NNNN` (what a create with a count makes).
    fn servers_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>>;

    /// An IMS job (the image service keeps its own).
    fn image_job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>>;

    /// The images among `ids` that exist.
    fn images<'a>(&'a self, ids: &'a [String])
    -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>>;

    /// The project's private images named exactly `name`.
    fn images_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>>;

    /// The private-image quota, (used, limit), when the API tells it.
    fn image_quota(&self) -> BoxFuture<'_, Result<Option<(u64, u64)>, CallError>>;
}

/// The cloud of every region: a task acts through the view of its own region.
pub trait Clouds: Send + Sync {
    fn in_region(self: Arc<Self>, region: &str) -> Arc<dyn CloudApi>;
}
