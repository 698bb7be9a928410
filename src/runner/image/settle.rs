//! Settling an image step by looking at images: after its job (the image `active`, or gone after
//! a delete) and after a lost answer (found by name or id, never sent again). Part of the executor.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::watch;

use crate::runner::cloud::CallError;
use crate::runner::executor::{Executor, Flow, pending_ids, step_ids};
use crate::runner::image::op::ImageCall;
use crate::runner::image::op::KnownImage;
use crate::runner::settle::{Judged, each_settled};
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
        let server = match &call {
            Call::Image(ImageCall::Create { server_id, .. }) => Some(server_id.clone()),
            _ => None,
        };
        // (what is pending, and the name of a create whose job named no image: it is looked for
        // by its name)
        let pending = |task: &mut Task| {
            let pending = pending_ids(task, i);
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
                return Err(self.finish_step(task, i));
            }
            Ok((pending, by_name))
        };
        let judge = |task: &mut Task,
                     (pending, by_name): &(Vec<String>, Option<String>),
                     seen: HashMap<String, KnownImage>,
                     late: Option<Duration>| {
            if let Some(name) = by_name
                && let Some(found) = seen.values().next()
            {
                task.targets
                    .insert(found.id.clone(), Target::pending(name.clone()));
                self.save(task);
                return Judged::Again;
            }
            let settled = |_: &mut Task, id: &str| {
                let status = seen.get(id).map(|i| i.status.as_str());
                if by_name.is_some() {
                    None
                } else if settle.reached(status) {
                    Some(TargetOutcome::Succeeded)
                } else if settle == Settle::ImageActive
                    && matches!(status, None | Some("killed" | "deleted"))
                {
                    let now = status.unwrap_or("gone");
                    Some(TargetOutcome::Failed {
                        code: None,
                        reason: format!("the image is {now}, not active"),
                    })
                } else {
                    None
                }
            };
            let still = |_: &str| format!("not {} after its job", settle.describe());
            let why = || format!("the image did not become {}", settle.describe());
            each_settled(task, i, pending, late, settled, still, why)
        };
        self.confirming(
            task,
            self.watch("the image"),
            stop,
            pending,
            judge,
            |x, (p, n), stop| Box::pin(x.look_images(p, n.as_deref(), stop)),
        )
        .await
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
                    task.targets
                        .insert(found.id.clone(), Target::pending(spec.name.clone()));
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
