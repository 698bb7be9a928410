//! A step: one API call and what it waits for (its job, then the servers' stable status), and
//! how an op is planned into steps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::disk::call::DiskCall;
use super::image::op::ImageCall;
use super::op::{BATCH_LIMIT, CreateSpec, Op, PowerAction, ServerRef};
use super::snapshot::call::SnapshotCall;
use super::tags::{Tag, TagAction, TagChange};

/// One API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum Call {
    Power {
        action: PowerAction,
        ids: Vec<String>,
    },
    Create {
        spec: Box<CreateSpec>,
        /// The `X-Client-Token`: a second send with it gives back the first job, not new servers.
        client_token: String,
    },
    Resize {
        id: String,
        flavor_id: String,
        with_stop: bool,
    },
    Rename {
        id: String,
        name: String,
    },
    Delete {
        ids: Vec<String>,
        delete_volumes: bool,
    },
    /// IMS (`image_op.rs`).
    Image(ImageCall),
    /// A call on EVS disks (`disk_call.rs`).
    Disk(DiskCall),
    /// A call of the snapshot family (`snapshot/call.rs`).
    Snapshot(SnapshotCall),
    /// Tags of one server created or deleted (`tags.rs`): synchronous.
    Tags {
        id: String,
        action: TagAction,
        tags: Vec<Tag>,
    },
}

impl Call {
    /// The existing servers the call acts on (a create's are known only from its answer).
    pub fn server_ids(&self) -> Vec<String> {
        match self {
            Call::Power { ids, .. } | Call::Delete { ids, .. } => ids.clone(),
            Call::Resize { id, .. } | Call::Rename { id, .. } | Call::Tags { id, .. } => {
                vec![id.clone()]
            }
            Call::Create { .. } | Call::Image(_) | Call::Disk(_) => Vec::new(),
            Call::Snapshot(c) => c.server_ids(),
        }
    }

    /// What the call acts on: its servers, or an image call's server or image.
    pub fn target_ids(&self) -> Vec<String> {
        match self {
            Call::Image(c) => c.subject_ids(),
            Call::Snapshot(c) => c.subject_ids(),
            other => other.server_ids(),
        }
    }
}

/// The stable state a step waits for once its job is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settle {
    Active,
    Shutoff,
    /// ACTIVE or SHUTOFF, whichever it settles in (a resize keeps the power state).
    Stable,
    Gone,
    /// A synchronous call: its answer is the result.
    Nothing,
    /// The image the call makes is `active`.
    ImageActive,
    /// The image is gone.
    ImageGone,
}

impl Settle {
    /// Whether a server (or image) with `status` (None: it does not exist) has settled.
    pub fn reached(self, status: Option<&str>) -> bool {
        match (self, status) {
            (Settle::Gone | Settle::ImageGone, None) => true,
            (Settle::Gone, s) => s == Some("DELETED"),
            (_, None) => false,
            (Settle::Active, Some(s)) => s == "ACTIVE",
            (Settle::Shutoff, Some(s)) => s == "SHUTOFF",
            (Settle::Stable, Some(s)) => s == "ACTIVE" || s == "SHUTOFF",
            (Settle::Nothing, _) => true,
            (Settle::ImageActive, Some(s)) => s == "active",
            (Settle::ImageGone, Some(s)) => s == "deleted",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Settle::Active => "ACTIVE",
            Settle::Shutoff => "SHUTOFF",
            Settle::Stable => "ACTIVE or SHUTOFF",
            Settle::Gone => "deleted",
            Settle::Nothing => "done",
            Settle::ImageActive => "active",
            Settle::ImageGone => "deleted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Pending,
    /// Written to the journal; the request is on its way. A task found in this state after a
    /// crash may or may not have been received: it is reconciled by looking.
    Sending,
    /// The job is running; `job_id` is set.
    Following,
    /// The job ended; waiting for the servers' stable status.
    Confirming,
    Done,
    Failed,
    /// Sent, but the answer was lost and looking could not settle it.
    Unknown,
}

/// One API call and what it waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub call: Call,
    pub settle: Settle,
    pub state: StepState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Times a create was sent again with its client token after a lost answer.
    #[serde(default)]
    pub resends: u32,
    /// A send of this step may have reached the API (its answer was lost, or the process ended
    /// while sending): from then on a refusal of a resend proves nothing; only a look settles it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub maybe_reached: bool,
    /// Undoes what the steps before it did to keep the task's work going (the start after a
    /// stop-first): it runs even when a step between them failed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restores: bool,
}

impl Step {
    pub(super) fn new(call: Call, settle: Settle) -> Self {
        Step {
            call,
            settle,
            state: StepState::Pending,
            job_id: None,
            request_id: None,
            http_status: None,
            started_at: None,
            finished_at: None,
            error: None,
            resends: 0,
            maybe_reached: false,
            restores: false,
        }
    }

    /// "stop 1000 servers (job 2c9e…)", for the Jobs pane and the CLI.
    pub fn describe(&self) -> String {
        let what = match &self.call {
            Call::Power { action, ids } => format!("{} {} server(s)", action.verb(), ids.len()),
            Call::Create { spec, .. } => format!("create {} × {}", spec.count, spec.name),
            Call::Resize { flavor_id, .. } => format!("resize to {flavor_id}"),
            Call::Rename { name, .. } => format!("rename to {name}"),
            Call::Delete { ids, .. } => format!("delete {} server(s)", ids.len()),
            Call::Image(c) => c.describe(),
            Call::Disk(d) => d.describe(),
            Call::Snapshot(c) => c.describe(),
            Call::Tags { action, tags, .. } => format!(
                "{} tags {}",
                action.api_name(),
                tags.iter().map(Tag::text).collect::<Vec<_>>().join(" ")
            ),
        };
        match &self.job_id {
            Some(j) => format!("{what} (job {j})"),
            None => what,
        }
    }
}

/// The steps of a server op: batch calls take up to `BATCH_LIMIT` servers each.
pub fn plan(op: &Op) -> Vec<Step> {
    let ids = |s: &[ServerRef]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    match op {
        Op::CreateServers(spec) => vec![Step::new(
            Call::Create {
                spec: Box::new(spec.clone()),
                client_token: uuid::Uuid::new_v4().to_string(),
            },
            Settle::Active,
        )],
        Op::Power { action, servers } => {
            let settle = match action {
                PowerAction::Stop(_) => Settle::Shutoff,
                _ => Settle::Active,
            };
            ids(servers)
                .chunks(BATCH_LIMIT)
                .map(|c| {
                    Step::new(
                        Call::Power {
                            action: *action,
                            ids: c.to_vec(),
                        },
                        settle,
                    )
                })
                .collect()
        }
        Op::Resize {
            server,
            flavor_id,
            with_stop,
        } => vec![Step::new(
            Call::Resize {
                id: server.id.clone(),
                flavor_id: flavor_id.clone(),
                with_stop: *with_stop,
            },
            Settle::Stable,
        )],
        Op::Rename { server, name } => vec![Step::new(
            Call::Rename {
                id: server.id.clone(),
                name: name.clone(),
            },
            Settle::Nothing,
        )],
        Op::Delete {
            servers,
            delete_volumes,
        } => ids(servers)
            .chunks(BATCH_LIMIT)
            .map(|c| {
                Step::new(
                    Call::Delete {
                        ids: c.to_vec(),
                        delete_volumes: *delete_volumes,
                    },
                    Settle::Gone,
                )
            })
            .collect(),
        Op::Tags { servers, change } => servers
            .iter()
            .flat_map(|s| tag_calls(change, &s.id))
            .map(|c| Step::new(c, Settle::Nothing))
            .collect(),
        // Planned by `image_plan.rs` and `snapshot/plan.rs` (see `task::plan`).
        Op::Image(_) | Op::Snapshot(_) => Vec::new(),
        // A disk's stable state is read from the disk (`disk_settle.rs`), not from a server.
        Op::Disk(d) => DiskCall::plan(d)
            .into_iter()
            .map(|c| {
                let settle = if c.has_job() {
                    Settle::Stable
                } else {
                    Settle::Nothing
                };
                Step::new(Call::Disk(c), settle)
            })
            .collect(),
    }
}

/// The calls of a tag change for server `id`: the create, then the delete (those it has).
pub fn tag_calls(change: &TagChange, id: &str) -> Vec<Call> {
    let call = |action, tags: Vec<Tag>| Call::Tags {
        id: id.to_owned(),
        action,
        tags,
    };
    let mut calls = Vec::new();
    if !change.add.is_empty() {
        calls.push(call(TagAction::Create, change.add.clone()));
    }
    if !change.remove.is_empty() {
        let keys = change.remove.iter().map(|k| Tag {
            key: k.clone(),
            value: String::new(),
        });
        calls.push(call(TagAction::Delete, keys.collect()));
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::op::soft_stop_of as stop;

    #[test]
    fn batches_split_at_the_api_limit() {
        assert_eq!(plan(&stop(1000)).len(), 1);
        let steps = plan(&stop(2500));
        assert_eq!(steps.len(), 3);
        let sizes: Vec<usize> = steps
            .iter()
            .map(|s| match &s.call {
                Call::Power { ids, .. } => ids.len(),
                _ => 0,
            })
            .collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert!(steps.iter().all(|s| s.settle == Settle::Shutoff));
    }
}
