//! The runner in every region, against the simulator over real HTTP: a task in another region
//! than the profile's reaches the simulator under that region's own project (looked up through
//! IAM; the profile pins only its own region's), and carries its region in the journal and the
//! audit log.

mod runner_support;

use hvecs::runner::gateway_api::known;
use hvecs::runner::{Hardness, Known, Op, PowerAction, Priority, ServerRef, Submission, TaskState};
use runner_support::{Lab, retry, until_end};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_in_another_region_acts_under_that_regions_project() {
    let lab = Lab::start(20, "").await;
    let regions = lab.sim.regions().to_vec();
    let (home, east) = (&regions[0], &regions[1]);
    assert_eq!(lab.region, home.name);
    let gw = lab.cloud.client(&east.name).unwrap();
    let all = hvecs::gateway::ServerFilter::default();
    let servers: Vec<_> = retry(|| gw.list_servers(&all))
        .await
        .into_iter()
        .map(known)
        .collect();
    let victim = servers
        .iter()
        .find(|s| s.status == "ACTIVE" && s.task_state.is_none())
        .unwrap()
        .clone();
    let known: Known = servers.iter().map(|s| (s.id.clone(), s.clone())).collect();
    let before = lab.stats().await;
    let mut rx = lab.runner.subscribe();
    let task = lab
        .runner
        .submit(Submission {
            region: east.name.clone(),
            op: Op::Power {
                action: PowerAction::Stop(Hardness::Soft),
                servers: vec![ServerRef::new(victim.id.clone(), victim.name.clone())],
            },
            priority: Priority::Interactive,
            known,
            skip_inapplicable: false,
        })
        .await
        .unwrap()
        .task;
    assert_eq!(task.region, east.name);
    let done = until_end(&mut rx, &task.id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{:?}", done.note);
    let after = lab.stats().await;
    let mutations =
        |s: &serde_json::Value, p: &str| s["projects"][p]["mutations"].as_u64().unwrap_or(0);
    assert_eq!(
        mutations(&after, &east.project_id) - mutations(&before, &east.project_id),
        1,
        "the stop reached {}'s project: {after}",
        east.name
    );
    assert_eq!(
        mutations(&after, &home.project_id),
        mutations(&before, &home.project_id),
        "nothing changed under the profile's own project"
    );
    // The journal and the audit log name the task's region.
    let journal = std::fs::read_to_string(lab.dir.path().join("journal.jsonl")).unwrap();
    assert!(
        journal
            .lines()
            .filter(|l| l.contains(task.id.as_str()))
            .all(|l| l.contains(&format!("\"region\":\"{}\"", east.name))),
        "{journal}"
    );
    let audit = std::fs::read_to_string(lab.dir.path().join("audit.jsonl")).unwrap();
    let request = audit
        .lines()
        .find(|l| l.contains(task.id.as_str()))
        .unwrap();
    assert!(
        request.contains(&format!("\"region\":\"{}\"", east.name)),
        "{request}"
    );
}
