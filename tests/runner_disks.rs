//! The runner's disk ops against the simulator over real HTTP (`--speed 100`): an attach holds
//! its disk and its server (a stop of that server waits for it), and lost answers (half the
//! connections reset) settled by looking at the disk, a create asked again with its client
//! token: never a second disk, never a second expand.

mod runner_support;

use hvecs::gateway::model::Disk;
use hvecs::runner::disk::gateway::disk_ref;
use hvecs::runner::disk::op::{DiskOp, NewDisks, ServerInAz};
use hvecs::runner::{
    Cause, Hardness, KnownServer, Op, PowerAction, Priority, ServerRef, TargetOutcome, TaskState,
};
use runner_support::{Lab, next, retry, until_end};

async fn disks_named(lab: &Lab, name: &str) -> Vec<Disk> {
    retry(|| lab.gw.list_disks(None))
        .await
        .into_iter()
        .filter(|d| d.name == name)
        .collect()
}

async fn az_of(lab: &Lab, s: &KnownServer) -> String {
    retry(|| lab.gw.show_server(&s.id)).await.availability_zone
}

fn new_disk(name: &str, az: &str) -> Op {
    Op::Disk(DiskOp::Create(NewDisks {
        name: name.into(),
        az: az.into(),
        volume_type: "SAS".into(),
        size_gb: 10,
        count: 1,
        attach_to: None,
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attach_holds_its_disk_and_its_server() {
    let lab = Lab::start(40, "").await;
    let mut rx = lab.runner.subscribe();
    let server = lab.servers_in("ACTIVE").await.remove(0);
    let az = az_of(&lab, &server).await;
    let t = lab
        .submit(new_disk("held", &az), Priority::Interactive)
        .await
        .unwrap();
    let made = until_end(&mut rx, &t.id).await;
    assert_eq!(made.state, TaskState::Succeeded, "{:?}", made.note);
    let disk = disks_named(&lab, "held").await.remove(0);

    let attach = Op::Disk(DiskOp::Attach {
        disk: disk_ref(&disk),
        to: ServerInAz {
            server: ServerRef::new(server.id.clone(), server.name.clone()),
            az,
        },
        device: None,
    });
    let stop = Op::Power {
        action: PowerAction::Stop(Hardness::Hard),
        servers: vec![ServerRef::new(server.id.clone(), server.name.clone())],
    };
    let a = lab.submit(attach, Priority::Interactive).await.unwrap();
    let s = lab.submit(stop, Priority::Interactive).await.unwrap();
    let mut ended = std::collections::HashMap::new();
    while ended.len() < 2 {
        let ev = next(&mut rx).await;
        if ev.is_end() && (ev.id == a.id || ev.id == s.id) {
            ended.insert(ev.id.clone(), ev.task);
        }
    }
    let (attached, stopped) = (&ended[&a.id], &ended[&s.id]);
    assert_eq!(attached.state, TaskState::Succeeded, "{:?}", attached.note);
    assert_eq!(
        stopped.state,
        TaskState::Succeeded,
        "the stop waited for the attach, so the platform did not refuse it: {:?}",
        stopped.note
    );
    assert!(
        stopped.started_at.unwrap() >= attached.finished_at.unwrap(),
        "the stop started while the attach held the server"
    );
    let now = retry(|| lab.gw.show_disk(&disk.id)).await;
    assert_eq!(now.status, "in-use");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_disk_answers_are_settled_without_a_second_disk_or_expand() {
    // Every other request loses its connection: half before the API sees it, half after.
    let lab = Lab::start(40, "reset=0.5").await;
    let mut rx = lab.runner.subscribe();
    let server = lab.servers_in("ACTIVE").await.remove(0);
    let az = az_of(&lab, &server).await;
    let audit_of = |id: &str| {
        let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
        audit
            .lines()
            .filter(|l| l.contains(&format!("\"task\":\"{id}\"")))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };

    // Creates go on until one answer was lost after the simulator made the disk.
    let mut made = None;
    let mut lost_after_made = false;
    for n in 0..16 {
        let name = format!("lost-disk-{n}");
        let t = lab
            .submit(new_disk(&name, &az), Priority::Interactive)
            .await
            .unwrap();
        let done = until_end(&mut rx, &t.id).await;
        let named = disks_named(&lab, &name).await;
        assert!(named.len() <= 1, "{} disks named {name}", named.len());
        match done.state {
            TaskState::Succeeded => {
                assert_eq!(named.len(), 1);
                made.get_or_insert_with(|| named[0].clone());
                if audit_of(t.id.as_str())
                    .iter()
                    .any(|l| l.contains("\"unknown\""))
                {
                    lost_after_made = true;
                    break;
                }
            }
            TaskState::Failed => assert_eq!(done.cause, Some(Cause::NotSent), "{:?}", done.note),
            other => panic!("{other:?}: {:?}", done.note),
        }
    }
    assert!(
        lost_after_made,
        "no disk create's answer was lost after it was made in 16 tries at reset=0.5"
    );

    // Expands: each reaches the cloud at most once, and a lost one is settled by looking.
    let disk = made.expect("a disk was made");
    let mut lost = 0;
    for _ in 0..8 {
        let now = retry(|| lab.gw.show_disk(&disk.id)).await;
        let before = lab.mutations().await;
        let op = Op::Disk(DiskOp::Expand {
            disk: disk_ref(&now),
            new_size_gb: now.size + 10,
        });
        let t = lab.submit(op, Priority::Interactive).await.unwrap();
        let done = until_end(&mut rx, &t.id).await;
        let after = lab.mutations().await;
        let size = retry(|| lab.gw.show_disk(&disk.id)).await.size;
        assert!(
            after - before <= 1,
            "an expand reached the cloud {} times",
            after - before
        );
        if audit_of(t.id.as_str())
            .iter()
            .any(|l| l.contains("\"unknown\""))
        {
            lost += 1;
        }
        match done.state {
            TaskState::Succeeded => assert_eq!((after - before, size), (1, now.size + 10)),
            TaskState::Failed => assert_eq!(done.cause, Some(Cause::NotSent), "{:?}", done.note),
            TaskState::Interrupted => {
                assert_eq!((after - before, size), (0, now.size), "{:?}", done.note);
                assert!(
                    done.note
                        .as_deref()
                        .unwrap()
                        .contains("nothing was sent again"),
                    "{:?}",
                    done.note
                );
            }
            other => panic!("{other:?}: {:?}", done.note),
        }
    }
    assert!(
        lost > 0,
        "no expand answer was lost in 8 tries at reset=0.5"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partly_failed_disk_create_fails_only_the_disks_whose_sub_job_failed() {
    // Half the sub-jobs fail at a random step: creates of 4 go on until one fails in part.
    let lab = Lab::start(40, "jobfail=0.5").await;
    let mut rx = lab.runner.subscribe();
    let az = az_of(&lab, &lab.servers_in("ACTIVE").await.remove(0)).await;
    for n in 0..12 {
        let name = format!("part-{n}");
        let op = Op::Disk(DiskOp::Create(NewDisks {
            name: name.clone(),
            az: az.clone(),
            volume_type: "SSD".into(),
            size_gb: 10,
            count: 4,
            attach_to: None,
        }));
        let t = lab.submit(op, Priority::Interactive).await.unwrap();
        let done = until_end(&mut rx, &t.id).await;
        let failed: Vec<&String> = done
            .targets
            .iter()
            .filter(|(_, t)| matches!(t.outcome, TargetOutcome::Failed { .. }))
            .map(|(id, _)| id)
            .collect();
        if failed.is_empty() || failed.len() == 4 {
            continue;
        }
        assert_eq!(done.state, TaskState::Failed, "{:?}", done.note);
        assert_eq!(done.targets.len(), 4);
        for d in disks_named_like(&lab, &name).await {
            let target = &done.targets[&d.id];
            match &target.outcome {
                TargetOutcome::Failed { .. } => assert_eq!(d.status, "error", "{}", d.name),
                TargetOutcome::Succeeded => assert_eq!(d.status, "available", "{}", d.name),
                other => panic!("{}: {other:?}", d.name),
            }
            assert_eq!(target.name, d.name);
        }
        return;
    }
    panic!("no create of 4 disks failed in part in 12 tries at jobfail=0.5");
}

/// The disks a create of several named `name` made (`name-0001`…).
async fn disks_named_like(lab: &Lab, name: &str) -> Vec<Disk> {
    let prefix = format!("{name}-");
    retry(|| lab.gw.list_disks(None))
        .await
        .into_iter()
        .filter(|d| d.name.starts_with(&prefix))
        .collect()
}
