//! The background task runner: every change goes through here. The scheduler filters (read-only,
//! preconditions), orders and locks; the executor runs each task's steps; journal and audit log.

pub mod audit;
pub mod backoff;
pub mod cloud;
pub mod disk;
pub mod event;
pub mod executor;
pub mod gateway_api;
pub mod image;
pub mod journal;
mod known;
pub mod op;
pub mod precondition;
pub mod reconcile;
pub mod scheduler;
pub mod server_ref;
pub mod service;
mod settle;
pub mod snapshot;
pub mod step;
pub mod tags;
pub mod task;
pub mod task_failure;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod service_tests;

pub use cloud::{Accepted, CallError, CloudApi, Clouds, JobStatus, JobView, SubJob};
pub use event::{EventKind, TaskEvent};
pub use executor::Timing;
pub use gateway_api::GatewayApi;
pub use image::op::{ImageCall, ImageOp, ImageRef, ImageSpec};
pub use op::{CreateSpec, Hardness, Op, PowerAction, Resource, ServerRef, VolumeSpec};
pub use precondition::{Known, KnownServer, Refusal};
pub use service::{
    Reattach, Runner, RunnerError, RunnerSettings, Submission, SubmitError, Submitted,
};
pub use task::{Cause, Priority, Progress, TargetOutcome, Task, TaskId, TaskState};
