//! The image family through the runner against the simulator over real HTTP (`--speed 100`):
//! stop → image → start as one task with the IMS job's percent as progress, each step sent once;
//! the platform's IMG.0008 for a running server without stop-first; rename and delete.

mod runner_support;

use hvecs::gateway::ImageFilter;
use hvecs::runner::{Cause, ImageOp, ImageRef, ImageSpec, Op, Priority, TargetOutcome, TaskState};
use runner_support::{Lab, next, posts, until_end};

fn from(server: &hvecs::runner::KnownServer, name: &str, stop_first: bool) -> Op {
    Op::Image(ImageOp::FromServer {
        server: ImageRef::new(server.id.clone(), server.name.clone()),
        spec: ImageSpec {
            name: name.into(),
            description: Some("made by the runner".into()),
            tags: vec![("team".into(), "ops".into())],
        },
        stop_first,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_first_images_a_running_server_and_starts_it_again() {
    let lab = Lab::start(60, "").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await.remove(0);

    // Without stop-first the platform refuses a running server: IMG.0008, nothing changed.
    let t = lab
        .submit(from(&on, "refused", false), Priority::Interactive)
        .await
        .unwrap();
    let done = until_end(&mut rx, &t.id).await;
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Failed, Some(Cause::Rejected))
    );
    assert!(matches!(
        &done.targets[&on.id].outcome,
        TargetOutcome::Failed { code: Some(c), .. } if c == "IMG.0008"
    ));

    let before = lab.stats().await;
    let t = lab
        .submit(from(&on, "runner-gold", true), Priority::Interactive)
        .await
        .unwrap();
    let mut percents = Vec::new();
    let done = loop {
        let ev = next(&mut rx).await;
        if ev.id != t.id {
            continue;
        }
        if ev.task.current_step() == Some(1) {
            percents.extend(ev.task.progress.percent);
        }
        if ev.is_end() {
            break ev.task;
        }
    };
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert!(
        percents.iter().any(|p| *p > 0),
        "the IMS job's percent is the step's progress: {percents:?}"
    );
    let after = lab.stats().await;
    assert_eq!(
        posts(&after, "/cloudimages/action") - posts(&before, "/cloudimages/action"),
        1
    );
    assert_eq!(
        posts(&after, "/cloudservers/action") - posts(&before, "/cloudservers/action"),
        2,
        "one stop, one start"
    );
    assert_eq!(
        lab.look(std::slice::from_ref(&on.id)).await[0].status,
        "ACTIVE"
    );
    let f = ImageFilter {
        name: Some("runner-gold".into()),
        ..ImageFilter::default()
    };
    let images = lab.gw.list_images(&f).await.unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].status, "active");
    let image = ImageRef::new(images[0].id.clone(), "runner-gold");

    let t = lab
        .submit(
            Op::Image(ImageOp::Rename {
                image: image.clone(),
                name: "runner-gold-2".into(),
            }),
            Priority::Interactive,
        )
        .await
        .unwrap();
    assert_eq!(until_end(&mut rx, &t.id).await.state, TaskState::Succeeded);
    assert_eq!(
        lab.gw.show_image(&image.id).await.unwrap().name,
        "runner-gold-2"
    );
    let t = lab
        .submit(
            Op::Image(ImageOp::Delete {
                images: vec![image.clone()],
            }),
            Priority::Interactive,
        )
        .await
        .unwrap();
    assert_eq!(until_end(&mut rx, &t.id).await.state, TaskState::Succeeded);
    assert!(
        lab.gw
            .show_image(&image.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}
