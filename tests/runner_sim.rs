//! The runner against the simulator over real HTTP on 127.0.0.1 (`--speed 100`): every server op
//! end to end, refusals that send nothing, per-server locking, a 1000-server batch, failed jobs
//! and retry, 429 storms, and lost answers reconciled without duplicates.

mod runner_support;

use hvecs::runner::{
    Cause, Hardness, Op, PowerAction, Priority, Refusal, ServerRef, Submission, SubmitError,
    TargetOutcome, TaskState,
};
use runner_support::{Lab, posts, until_end};

fn refs(servers: &[hvecs::runner::KnownServer]) -> Vec<ServerRef> {
    servers
        .iter()
        .map(|s| ServerRef::new(s.id.clone(), s.name.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_op_runs_end_to_end() {
    let lab = Lab::start(60, "").await;
    let mut rx = lab.runner.subscribe();
    // Create two from an image the region has.
    let spec = lab.create_spec("e2e", 2).await;
    let t = lab
        .submit(Op::CreateServers(spec), Priority::Interactive)
        .await
        .unwrap();
    let created = until_end(&mut rx, &t.id).await;
    assert_eq!(created.state, TaskState::Succeeded, "{:?}", created.note);
    assert_eq!(created.targets.len(), 2);
    let ids: Vec<String> = created.targets.keys().cloned().collect();
    let now = lab.look(&ids).await;
    assert!(now.iter().all(|s| s.status == "ACTIVE"), "{now:?}");
    let one = ServerRef::new(now[0].id.clone(), now[0].name.clone());
    let both = refs(&now);

    let steps: Vec<(Op, &str)> = vec![
        (
            Op::Power {
                action: PowerAction::Reboot(Hardness::Hard),
                servers: both.clone(),
            },
            "ACTIVE",
        ),
        (
            Op::Power {
                action: PowerAction::Stop(Hardness::Soft),
                servers: both.clone(),
            },
            "SHUTOFF",
        ),
        (
            Op::Resize {
                server: one.clone(),
                flavor_id: "hv1.large.2".into(),
                with_stop: false,
            },
            "SHUTOFF",
        ),
        (
            Op::Power {
                action: PowerAction::Start,
                servers: both.clone(),
            },
            "ACTIVE",
        ),
        (
            Op::Power {
                action: PowerAction::Reboot(Hardness::Soft),
                servers: vec![one.clone()],
            },
            "ACTIVE",
        ),
        (
            Op::Power {
                action: PowerAction::Stop(Hardness::Hard),
                servers: vec![one.clone()],
            },
            "SHUTOFF",
        ),
        (
            Op::Rename {
                server: one.clone(),
                name: "e2e-renamed".into(),
            },
            "SHUTOFF",
        ),
    ];
    for (op, want) in steps {
        let what = op.describe();
        let t = lab.submit(op, Priority::Interactive).await.unwrap();
        let done = until_end(&mut rx, &t.id).await;
        assert_eq!(done.state, TaskState::Succeeded, "{what}: {:?}", done.note);
        let after = lab.look(std::slice::from_ref(&one.id)).await;
        assert_eq!(after[0].status, want, "{what}");
    }
    let after = lab.look(std::slice::from_ref(&one.id)).await;
    assert_eq!(after[0].name, "e2e-renamed");
    assert_eq!(after[0].flavor_id.as_deref(), Some("hv1.large.2"));
    let del = Op::Delete {
        servers: both,
        delete_volumes: true,
    };
    let t = lab.submit(del, Priority::Interactive).await.unwrap();
    let done = until_end(&mut rx, &t.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert!(lab.look(&ids).await.is_empty(), "both are gone");
    // Every request is in the audit log, with its request id.
    let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 9);
    assert!(audit.lines().all(|l| l.contains("\"accepted\"")), "{audit}");
    // The gateway's rename (a sync PUT) does not hand back its request id; every job call does.
    let with_ids = audit
        .lines()
        .filter(|l| l.contains("\"request_id\""))
        .count();
    assert_eq!(with_ids, 8, "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_send_nothing_to_the_cloud() {
    let lab = Lab::start(60, "").await;
    let before = lab.mutations().await;
    let off = lab.servers_in("SHUTOFF").await;
    let stop = Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: refs(&off[..1]),
    };
    let err = lab.submit(stop, Priority::Interactive).await.unwrap_err();
    assert!(
        err.to_string().contains("is SHUTOFF: nothing to stop"),
        "{err}"
    );
    lab.runner.set_read_only(true, "test").unwrap();
    let start = Op::Power {
        action: PowerAction::Start,
        servers: refs(&off[..1]),
    };
    let err = lab.submit(start, Priority::Interactive).await.unwrap_err();
    assert!(
        matches!(err, SubmitError::Refused(Refusal::ReadOnly { .. })),
        "{err}"
    );
    assert_eq!(lab.mutations().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tasks_on_one_server_run_one_after_the_other() {
    let lab = Lab::start(60, "").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let one = refs(&on[..1]);
    let known = lab.known().await;
    let sub = |op| Submission {
        region: lab.region.clone(),
        op,
        priority: Priority::Interactive,
        known: known.clone(),
        skip_inapplicable: false,
    };
    let reboot = lab
        .runner
        .submit(sub(Op::Power {
            action: PowerAction::Reboot(Hardness::Soft),
            servers: one.clone(),
        }))
        .await
        .unwrap()
        .task;
    let stop = lab
        .runner
        .submit(sub(Op::Power {
            action: PowerAction::Stop(Hardness::Hard),
            servers: one.clone(),
        }))
        .await
        .unwrap()
        .task;
    let first = until_end(&mut rx, &reboot.id).await;
    let second = until_end(&mut rx, &stop.id).await;
    // Sent together, the simulator would refuse the second: "objects are locked by another job".
    assert_eq!(first.state, TaskState::Succeeded, "{:?}", first.note);
    assert_eq!(second.state, TaskState::Succeeded, "{:?}", second.note);
    assert!(first.finished_at <= second.started_at);
    assert_eq!(lab.look(&[one[0].id.clone()]).await[0].status, "SHUTOFF");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_servers_stop_in_one_batch_call() {
    let lab = Lab::start(4500, "").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    assert!(on.len() >= 1000, "only {} running", on.len());
    let before = lab.stats().await;
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Hard),
        servers: refs(&on[..1000]),
    };
    let t = lab.submit(op, Priority::Bulk).await.unwrap();
    let mut progress_events = 0;
    let done = loop {
        let ev = runner_support::next(&mut rx).await;
        if ev.id != t.id {
            continue;
        }
        if ev.kind == hvecs::runner::EventKind::Progress {
            progress_events += 1;
        }
        if ev.is_end() {
            break ev.task;
        }
    };
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    assert_eq!(done.tally(), (1000, 0, 0));
    let after = lab.stats().await;
    assert_eq!(
        posts(&after, "action") - posts(&before, "action"),
        1,
        "one batch POST"
    );
    let polls = runner_support::count(&after, "GET", "jobs")
        - runner_support::count(&before, "GET", "jobs");
    let elapsed =
        (done.finished_at.unwrap() - done.started_at.unwrap()).num_milliseconds() as f64 / 1000.0;
    // Polls start at 0.2 s and back off to 1 s in this test: bounded by the time it took.
    assert!(
        polls as f64 <= elapsed / 0.2 + 2.0,
        "{polls} polls in {elapsed} s"
    );
    assert!(progress_events < 200, "{progress_events} progress events");
    eprintln!(
        "1000-server stop: {polls} job polls, {progress_events} progress events, {elapsed:.1} s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sub_jobs_are_reported_per_server_and_retried_alone() {
    let lab = Lab::start(200, "jobfail=0.5").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Hard),
        servers: refs(&on[..20]),
    };
    let t = lab.submit(op, Priority::Bulk).await.unwrap();
    let mut done = until_end(&mut rx, &t.id).await;
    assert_eq!(
        (done.state, done.cause),
        (TaskState::Failed, Some(Cause::JobFailed)),
        "{:?}",
        done.note
    );
    let (ok, failed, _) = done.tally();
    assert!(failed > 0 && ok > 0, "{ok} ok, {failed} failed");
    for t in done.targets.values() {
        if let TargetOutcome::Failed { reason, .. } = &t.outcome {
            assert!(!reason.is_empty());
        }
    }
    // Retry until nothing fails: each retry sends only the failed servers.
    for _ in 0..10 {
        let failed_ids = done.failed_ids();
        if failed_ids.is_empty() {
            break;
        }
        let again = lab
            .runner
            .retry_failed(&done.id, &lab.known().await)
            .await
            .unwrap()
            .task;
        let mut sent: Vec<String> = again.op.servers().into_iter().map(|s| s.id).collect();
        sent.sort();
        assert_eq!(sent, failed_ids);
        done = until_end(&mut rx, &again.id).await;
    }
    assert_eq!(done.state, TaskState::Succeeded);
    let ids: Vec<String> = on[..20].iter().map(|s| s.id.clone()).collect();
    assert!(lab.look(&ids).await.iter().all(|s| s.status == "SHUTOFF"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_slows_down_but_fails_nothing() {
    let lab = Lab::start(100, "429=0.3").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let mut ids = Vec::new();
    for s in &on[..8] {
        let op = Op::Power {
            action: PowerAction::Reboot(Hardness::Hard),
            servers: refs(std::slice::from_ref(s)),
        };
        ids.push(
            lab.submit(op, Priority::Interactive)
                .await
                .unwrap()
                .id
                .clone(),
        );
    }
    let mut ended = std::collections::HashMap::new();
    while ended.len() < ids.len() {
        let ev = runner_support::next(&mut rx).await;
        if ev.is_end() {
            ended.insert(ev.id.clone(), ev.task.clone());
        }
    }
    for id in &ids {
        let done = &ended[id];
        assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    }
    let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
    let accepted = audit.lines().filter(|l| l.contains("\"accepted\"")).count();
    assert_eq!(accepted, 8, "each reboot accepted once: {audit}");
    // The storm was real: the simulator answered 429 (to changes and to polls alike).
    let stats = lab.stats().await;
    let throttled: u64 = stats["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == 429)
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert!(throttled > 0, "a 30% storm throttled nothing?");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_reconciled_without_duplicates() {
    // Every other request loses its connection: half before the API sees it, half after.
    let lab = Lab::start(100, "reset=0.5").await;
    let mut rx = lab.runner.subscribe();
    let on = lab.servers_in("ACTIVE").await;
    let mut stops = 0;
    for s in &on[..8] {
        let before = lab.mutations().await;
        let op = Op::Power {
            action: PowerAction::Stop(Hardness::Hard),
            servers: refs(std::slice::from_ref(s)),
        };
        let t = lab.submit(op, Priority::Interactive).await.unwrap();
        let done = until_end(&mut rx, &t.id).await;
        let after = lab.mutations().await;
        assert!(
            after - before <= 1,
            "a stop reached the cloud {} times",
            after - before
        );
        match done.state {
            TaskState::Succeeded => {
                assert_eq!(after - before, 1);
                stops += 1;
            }
            TaskState::Failed => assert_eq!(done.cause, Some(Cause::NotSent), "{:?}", done.note),
            TaskState::Interrupted => {
                assert_eq!(after - before, 0, "interrupted only when nothing happened");
                assert!(
                    done.note
                        .as_deref()
                        .unwrap()
                        .contains("nothing was re-sent")
                );
            }
            other => panic!("{other:?}: {:?}", done.note),
        }
    }
    assert!(stops > 0);
    let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
    assert!(
        audit.contains("\"unknown\""),
        "no answer was lost in 8 stops at reset=0.5: {audit}"
    );
    // A create whose answer is lost asks again with its client token: one set of servers only.
    // Creates go on until one answer was lost after the simulator made the servers.
    let mut created_total = 0;
    for n in 0..16 {
        let name = format!("lost-{n}");
        let spec = lab.create_spec(&name, 2).await;
        let t = lab
            .submit(Op::CreateServers(spec), Priority::Interactive)
            .await
            .unwrap();
        let done = until_end(&mut rx, &t.id).await;
        let named = lab.named(&name).await;
        assert!(named.len() <= 2, "{} servers named {name}", named.len());
        if done.state == TaskState::Succeeded {
            assert_eq!(named.len(), 2);
            created_total += 1;
        }
        let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
        let lost_and_made = audit
            .lines()
            .any(|l| l.contains(&format!("\"task\":\"{}\"", t.id)) && l.contains("\"unknown\""))
            && named.len() == 2;
        if lost_and_made {
            break;
        }
    }
    assert!(created_total > 0);
    let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
    assert!(
        audit
            .lines()
            .any(|l| l.contains("\"op\":\"create\"") && l.contains("\"unknown\"")),
        "no create answer was lost in 16 tries at reset=0.5"
    );
}
