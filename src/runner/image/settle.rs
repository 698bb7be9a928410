//! Settling an image step by looking at images: after its job (the image `active`, or gone after
//! a delete) and after a lost answer (found by name or id, never sent again). Part of the executor.

use std::collections::HashMap;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::runner::cloud::CallError;
use crate::runner::event::EventKind;
use crate::runner::executor::{Executor, Flow, pending_ids, step_ids};
use crate::runner::image::op::ImageCall;
use crate::runner::image::op::KnownImage;
use crate::runner::settle::{Looked, unconfirmed};
use crate::runner::task::{Call, Cause, Settle, StepState, Target, TargetOutcome, Task, TaskState};

impl Executor {
    /// Reads images by id (or, with `name`, the private ones of that name), waiting out 429s.
    async fn look_images(
        &self,
        ids: &[String],
        name: Option<&str>,
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Result<HashMap<String, KnownImage>, CallError>> {
        let read = || match name {
            Some(n) => self.api.images_named(n),
            None => self.api.images(ids),
        };
        let list = self.read_past_429(stop, read).await?;
        Some(list.map(|l| l.into_iter().map(|i| (i.id.clone(), i)).collect()))
    }

    /// Waits until the step's images are `active` (a create) or gone (a delete). A create's
    /// server shares its image's outcome when no earlier step settled it.
    pub(in crate::runner) async fn confirm_image(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let settle = task.steps[i].settle;
        let call = task.steps[i].call.clone();
        let mut looks = self.looks_for(self.timing.confirm_for);
        loop {
            let pending = pending_ids(task, i);
            let server = match &call {
                Call::Image(ImageCall::Create { server_id, .. }) => Some(server_id.clone()),
                _ => None,
            };
            // A create whose job named no image: it is looked for by its name.
            let by_name = match (&call, &server) {
                (Call::Image(ImageCall::Create { spec, .. }), Some(s))
                    if pending == [s.clone()] =>
                {
                    Some(spec.name.clone())
                }
                _ => None,
            };
            if pending.is_empty() {
                if let Some(s) = &server
                    && task.targets.get(s).map(|t| &t.outcome) == Some(&TargetOutcome::Pending)
                {
                    let image = step_ids(task, i)
                        .first()
                        .and_then(|id| task.targets.get(id))
                        .map(|t| t.outcome.clone())
                        .unwrap_or(TargetOutcome::Succeeded);
                    task.set_outcome(s, image);
                }
                return self.finish_step(task, i);
            }
            let read = self.look_images(&pending, by_name.as_deref(), stop).await;
            let seen = match self
                .confirm_look(&mut looks, task, "the image", read, stop)
                .await
            {
                Looked::Saw(s) => s,
                Looked::Again => continue,
                Looked::End(end) => return end,
            };
            if let Some(name) = &by_name {
                if let Some(found) = seen.values().next() {
                    task.targets.insert(
                        found.id.clone(),
                        Target {
                            name: name.clone(),
                            outcome: TargetOutcome::Pending,
                        },
                    );
                    self.save(task);
                    continue;
                }
            } else {
                let mut changed = false;
                for id in &pending {
                    let status = seen.get(id).map(|i| i.status.as_str());
                    if settle.reached(status) {
                        task.set_outcome(id, TargetOutcome::Succeeded);
                        changed = true;
                    } else if settle == Settle::ImageActive
                        && matches!(status, None | Some("killed" | "deleted"))
                    {
                        let now = status.unwrap_or("gone");
                        task.set_outcome(
                            id,
                            TargetOutcome::Failed {
                                code: None,
                                reason: format!("the image is {now}, not active"),
                            },
                        );
                        changed = true;
                    }
                }
                if changed {
                    self.emit(EventKind::Progress, task);
                    continue;
                }
            }
            if Instant::now() >= looks.deadline {
                let note = format!("not {} after its job", settle.describe());
                let notes = pending
                    .iter()
                    .map(|id| (id.clone(), note.clone()))
                    .collect();
                let why = format!(
                    "the image did not become {} in {} s",
                    settle.describe(),
                    self.timing.confirm_for.as_secs()
                );
                return unconfirmed(task, i, notes, why);
            }
            if !self.next_look(&mut looks, stop).await {
                return Flow::Stopped;
            }
        }
    }

    /// An image call whose answer was lost (now, or before a crash), settled by looking: a
    /// create by its name, a rename and a delete by the image. Sends nothing.
    pub(in crate::runner) async fn settle_image_by_looking(
        &self,
        task: &mut Task,
        i: usize,
        call: &ImageCall,
        why: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let (ids, name) = match call {
            ImageCall::Create { spec, .. } => (Vec::new(), Some(spec.name.as_str())),
            ImageCall::Rename { id, .. } | ImageCall::Delete { id } => (vec![id.clone()], None),
        };
        let mut seen = HashMap::new();
        let mut looked = false;
        for look in 0..self.timing.looks.max(1) {
            if look > 0 && !self.pause(self.timing.poll_first * (1 << look), stop).await {
                return Flow::Stopped;
            }
            match self.look_images(&ids, name, stop).await {
                None => return Flow::Stopped,
                Some(Ok(s)) => {
                    seen = s;
                    looked = true;
                    break;
                }
                Some(Err(e)) => {
                    task.note = Some(format!(
                        "cannot look at the image ({e}); the outcome is unknown"
                    ));
                }
            }
        }
        let unknown = |task: &mut Task, what: String| {
            task.steps[i].state = StepState::Unknown;
            for id in task.steps[i].call.target_ids() {
                task.set_outcome(&id, TargetOutcome::Unknown { note: what.clone() });
            }
            Flow::End(TaskState::Interrupted, Some(Cause::Lost), Some(what))
        };
        if !looked {
            return unknown(
                task,
                format!(
                    "the image call: {why}, and the image could not be read: look before sending it again"
                ),
            );
        }
        match call {
            ImageCall::Create { spec, .. } => match seen.values().next() {
                Some(found) => {
                    task.targets.insert(
                        found.id.clone(),
                        Target {
                            name: spec.name.clone(),
                            outcome: TargetOutcome::Pending,
                        },
                    );
                    let note = format!(
                        "the image create: {why}; image {} ({}) exists: following it",
                        spec.name, found.id
                    );
                    self.to_confirming(task, i, note)
                }
                None => unknown(
                    task,
                    format!(
                        "the image create: {why}, and no image named {} exists: it was probably not received; nothing was re-sent; look before making it again",
                        spec.name
                    ),
                ),
            },
            ImageCall::Rename { id, name } => match seen.get(id) {
                Some(img) if &img.name == name => {
                    task.set_outcome(id, TargetOutcome::Succeeded);
                    self.finish_step(task, i)
                }
                Some(img) => unknown(
                    task,
                    format!(
                        "the rename: {why}, and the image is still named {}: it was probably not received; nothing was re-sent",
                        img.name
                    ),
                ),
                None => unknown(
                    task,
                    format!("the rename: {why}, and the image no longer exists"),
                ),
            },
            ImageCall::Delete { id } => match seen.get(id) {
                Some(img) if img.status != "deleted" => unknown(
                    task,
                    format!(
                        "the delete: {why}, and the image is still {}: it was probably not received; nothing was re-sent",
                        img.status
                    ),
                ),
                _ => {
                    task.steps[i].state = StepState::Confirming;
                    self.save(task);
                    Flow::Next
                }
            },
        }
    }
}
