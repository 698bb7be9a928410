//! The image family through the runner against the in-memory cloud, on tokio's paused clock:
//! stop → image → start as one task, the start after a refused image, the quota refused before
//! sending, reattach mid-image, lost answers settled by looking, rename and delete.

use std::sync::Arc;
use std::time::Duration;

use crate::runner::fake::{FakeCloud, State};
use crate::runner::image::op::ImageCall;
use crate::runner::service_tests::{
    assert_lost_unsent, handed_over, lost_answer, run, runner_in, settings, started, submit, until,
    until_end,
};
use crate::runner::task::{Call, StepState};
use crate::runner::*;

fn image_op(stop_first: bool) -> Op {
    Op::Image(ImageOp::FromServer {
        server: ImageRef::new("a", "vm-a"),
        spec: ImageSpec {
            name: "gold".into(),
            description: Some("base".into()),
            tags: vec![("team".into(), "ops".into())],
        },
        stop_first,
    })
}

/// Images running server `a`, stopping it first, on a cloud `set` up: the cloud and the task
/// at its end.
async fn image_running(set: impl FnOnce(&mut State)) -> (Arc<FakeCloud>, Arc<Task>) {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(set);
    let done = run(&cloud, image_op(true)).await;
    (cloud, done)
}

/// The calls that reached the cloud, in words.
fn applied(cloud: &FakeCloud) -> Vec<String> {
    cloud.with(|s| {
        s.applied
            .iter()
            .map(|c| match c {
                Call::Power { action, .. } => action.verb().to_owned(),
                Call::Image(ImageCall::Create { .. }) => "image".into(),
                Call::Image(ImageCall::Rename { .. }) => "rename".into(),
                Call::Image(ImageCall::Delete { .. }) => "delete".into(),
                other => format!("{other:?}"),
            })
            .collect()
    })
}

fn status(cloud: &FakeCloud, id: &str) -> Option<String> {
    cloud.with(|s| s.servers.get(id).map(|k| k.status.clone()))
}

#[tokio::test(start_paused = true)]
async fn stop_first_stops_images_and_starts_the_server_as_one_task() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.image_quota = Some((3, 10)));
    let (r, mut rx, _dir) = started(&cloud);
    let t = submit(&r, &cloud, image_op(true)).await;
    assert_eq!(t.steps.len(), 3);
    let (kinds, done) = until_end(&mut rx, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert!(kinds.contains(&EventKind::Progress), "{kinds:?}");
    assert_eq!(applied(&cloud), ["stop", "image", "start"]);
    assert_eq!(status(&cloud, "a").as_deref(), Some("ACTIVE"));
    let image = cloud.with(|s| s.images.values().next().cloned()).unwrap();
    assert_eq!(
        (image.name.as_str(), image.status.as_str()),
        ("gold", "active")
    );
    assert_eq!(
        done.targets.get(&image.id).map(|t| &t.outcome),
        Some(&TargetOutcome::Succeeded)
    );
    assert_eq!(done.targets["a"].outcome, TargetOutcome::Succeeded);
    assert!(done.steps.iter().all(|s| s.state == StepState::Done));
}

#[tokio::test(start_paused = true)]
async fn an_image_of_a_stopped_server_is_one_step_and_leaves_it_stopped() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "SHUTOFF")]));
    let done = run(&cloud, image_op(false)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(applied(&cloud), ["image"]);
    assert_eq!(done.targets.len(), 2, "the server and its image");
    assert_eq!(status(&cloud, "a").as_deref(), Some("SHUTOFF"));
}

#[tokio::test(start_paused = true)]
async fn a_refused_image_after_the_stop_still_starts_the_server_again() {
    // The stop goes through; the image is refused (its name is taken).
    let (cloud, done) = image_running(|s| s.image_refused = true).await;
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Failed, Some(Cause::Rejected)),
        "{:?}",
        done.note
    );
    assert_eq!(applied(&cloud), ["stop", "start"]);
    assert_eq!(done.steps[1].state, StepState::Failed);
    assert_eq!(done.steps[2].state, StepState::Done);
    assert_eq!(
        done.targets["a"].outcome,
        TargetOutcome::Succeeded,
        "the start was confirmed"
    );
    let note = done.note.clone().unwrap();
    assert!(note.contains("already exists"), "{note}");
    assert!(
        done.steps[1]
            .error
            .as_deref()
            .unwrap()
            .contains("already exists"),
        "{:?}",
        done.steps[1]
    );
    assert_eq!(status(&cloud, "a").as_deref(), Some("ACTIVE"));
}

#[tokio::test(start_paused = true)]
async fn a_failed_image_job_still_starts_the_server_and_fails_the_task() {
    let (cloud, done) = image_running(|s| s.image_fails = true).await;
    assert_eq!(done.state, TaskState::Failed, "{:?}", done.note);
    assert_eq!(applied(&cloud), ["stop", "image", "start"]);
    let image = cloud.with(|s| s.images.keys().next().cloned()).unwrap();
    assert!(matches!(
        &done.targets[&image].outcome,
        TargetOutcome::Failed { code: Some(c), .. } if c == "IMG.0031"
    ));
    assert_eq!(
        (done.cause, done.steps[1].state, done.steps[2].state),
        (Some(Cause::JobFailed), StepState::Failed, StepState::Done)
    );
    assert_eq!(
        done.targets["a"].outcome,
        TargetOutcome::Succeeded,
        "started again, confirmed"
    );
    assert!(
        done.note.as_deref().unwrap().contains("IMG.0031"),
        "{:?}",
        done.note
    );
    assert_eq!(status(&cloud, "a").as_deref(), Some("ACTIVE"));
}

#[tokio::test(start_paused = true)]
async fn a_full_private_image_quota_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "SHUTOFF")]));
    cloud.with(|s| s.image_quota = Some((10, 10)));
    let r = Runner::start(settings(dir.path()), cloud.clone()).unwrap();
    let e = r
        .submit(Submission::interactive(
            "region-1",
            image_op(false),
            cloud.known(),
        ))
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, SubmitError::Refused(_)), "{text}");
    assert!(
        text.contains("quota is full (10 of 10") && text.contains("IMG.0015"),
        "{text}"
    );
    assert!(text.ends_with("nothing was sent"), "{text}");
    assert_eq!(cloud.with(|s| s.sends), 0);
    assert!(r.tasks().await.unwrap().is_empty(), "no task was queued");
}

#[tokio::test(start_paused = true)]
async fn a_console_that_ends_mid_image_is_reattached_at_the_image_and_sends_each_step_once() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(FakeCloud::new(&[("a", "ACTIVE")]));
    cloud.with(|s| s.job_time = Duration::from_secs(30));
    let (first, mut rx) = runner_in(dir.path(), cloud.clone());
    let t = submit(&first, &cloud, image_op(true)).await;
    until(&mut rx, |ev| ev.task.steps[1].job_id.is_some()).await;
    let (_, _second, mut rx2) = handed_over(
        (&first, &mut rx),
        &t.id,
        dir.path(),
        cloud.clone(),
        "at the image",
    )
    .await;
    let (_, done) = until_end(&mut rx2, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(applied(&cloud), ["stop", "image", "start"]);
    assert_eq!(cloud.with(|s| s.sends), 3, "each step sent once");
    assert_eq!(status(&cloud, "a").as_deref(), Some("ACTIVE"));
}

#[tokio::test(start_paused = true)]
async fn a_lost_image_create_is_found_by_its_name_or_left_unknown_never_sent_again() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "SHUTOFF")]));
    let (r, mut rx, _dir) = started(&cloud);
    let (_, done) = lost_answer(&r, &mut rx, &cloud, image_op(false), true).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(cloud.with(|s| (s.sends, s.applied.len())), (1, 1));

    let other = Op::Image(ImageOp::FromServer {
        server: ImageRef::new("a", "vm-a"),
        spec: ImageSpec {
            name: "never".into(),
            description: None,
            tags: vec![],
        },
        stop_first: false,
    });
    let (_, done) = lost_answer(&r, &mut rx, &cloud, other, false).await;
    assert_lost_unsent(&done, "no image named never exists");
    assert_eq!(cloud.with(|s| (s.sends, s.applied.len())), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn rename_and_delete_lock_the_image_and_settle_by_looking_when_lost() {
    let cloud = Arc::new(FakeCloud::new(&[("a", "SHUTOFF")]));
    let (r, mut rx, _dir) = started(&cloud);
    let t = submit(&r, &cloud, image_op(false)).await;
    until_end(&mut rx, &t.id).await;
    let id = cloud.with(|s| s.images.keys().next().cloned()).unwrap();
    let rename = Op::Image(ImageOp::Rename {
        image: ImageRef::new(id.clone(), "gold"),
        name: "gold-2".into(),
    });
    assert_eq!(rename.resources(), [Resource::Image(id.clone())]);
    let (_, done) = lost_answer(&r, &mut rx, &cloud, rename, true).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(cloud.with(|s| s.images[&id].name.clone()), "gold-2");

    let delete = Op::Image(ImageOp::Delete {
        images: vec![ImageRef::new(id.clone(), "gold-2")],
    });
    let (_, done) = lost_answer(&r, &mut rx, &cloud, delete, true).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert!(cloud.with(|s| s.images.is_empty()));
    assert_eq!(applied(&cloud), ["image", "rename", "delete"]);
}
