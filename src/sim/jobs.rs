//! The job table at work: `submit` registers a job (records in `job`), `advance` moves every job
//! to the present and applies its steps' effects (`ops` while it runs, `outcome` at its end).

use super::clock::Millis;
use super::job::{Job, JobStatus, Service, Step, SubJob};
use super::ops;
use super::outcome;
use super::task::Task;
use super::world::World;

/// Jobs start as INIT for this long (scaled) before their first step runs.
const INIT_MS: f64 = 300.0;
/// Finished jobs stay queryable this long.
const KEEP_MS: Millis = 24 * 3600 * 1000;

/// One sub-job to submit: its type, its task, and a refusal (code, reason) when it must fail
/// without running.
pub type SubmitTask = (String, Task, Option<(String, String)>);

/// Builds and registers a job with one sub-job per task; applies each task's first effects.
/// `fail` draws the injected failures (`Some(step)` = that step fails).
pub fn submit(
    w: &mut World,
    service: Service,
    region: usize,
    job_type: &str,
    tasks: Vec<SubmitTask>,
    now: Millis,
    mut fail: impl FnMut(usize) -> Option<usize>,
) -> String {
    let id = w.new_hex32();
    let start = now + w.scaled(INIT_MS);
    let many = tasks.len() > 1;
    let mut subs = Vec::with_capacity(tasks.len());
    for (sub_type, task, refused) in tasks {
        let plan = match refused {
            Some(_) => vec![("refused".to_owned(), 0.5, 1.0)],
            None => ops::plan(w, &task),
        };
        let mut t = start;
        let steps: Vec<Step> = plan
            .into_iter()
            .map(|(task_state, lo, hi)| {
                t += w.duration(lo, hi);
                Step {
                    task_state,
                    ends_at: t,
                }
            })
            .collect();
        let fail_at = if refused.is_some() {
            Some(0)
        } else {
            fail(steps.len())
        };
        let sub_id = if service == Service::Ecs || many {
            w.new_hex32()
        } else {
            id.clone()
        };
        if refused.is_none() {
            ops::begin(w, &task, &id, steps.first().map(|s| s.task_state.as_str()));
        }
        subs.push(SubJob {
            id: sub_id,
            job_type: sub_type,
            status: JobStatus::Init,
            begin: start,
            end: None,
            error_code: None,
            fail_reason: None,
            task,
            steps,
            done_steps: 0,
            fail_at,
            refused,
        });
    }
    let job = Job {
        id: id.clone(),
        job_type: job_type.to_owned(),
        service,
        region,
        status: JobStatus::Init,
        begin: now,
        end: None,
        error_code: None,
        fail_reason: None,
        subs,
    };
    w.jobs.insert(id.clone(), job);
    w.active.insert((now, id.clone()));
    w.next_due = 0;
    w.touch();
    id
}

/// Rescales what is still to come (steps of running jobs, settling statuses) to a new `--speed`,
/// so that a restart with another speed resumes its jobs at that speed.
pub fn rescale(w: &mut World, now: Millis, speed: f64) {
    let factor = w.speed / speed;
    if !(factor.is_finite() && factor > 0.0) || (factor - 1.0).abs() < 1e-9 {
        w.speed = speed;
        return;
    }
    let later = |t: Millis| {
        if t > now {
            now + ((t - now) as f64 * factor) as Millis
        } else {
            t
        }
    };
    for (_, id) in w.active.clone() {
        if let Some(job) = w.jobs.get_mut(&id) {
            for sub in job.subs.iter_mut() {
                sub.begin = later(sub.begin);
                for step in sub.steps.iter_mut() {
                    step.ends_at = later(step.ends_at);
                }
            }
        }
    }
    for s in w.settles.iter_mut() {
        s.at = later(s.at);
    }
    w.speed = speed;
    w.next_due = 0;
    w.touch();
}

/// Moves every job, and every settling status, to `now`. Cheap when nothing is due (the hot
/// path of every request).
pub fn advance(w: &mut World, now: Millis) {
    if now < w.next_due {
        return;
    }
    let due: Vec<(Millis, String)> = w.active.iter().cloned().collect();
    for key in due {
        let Some(mut job) = w.jobs.remove(&key.1) else {
            w.active.remove(&key);
            continue;
        };
        let changed = advance_job(w, &mut job, now);
        if job.status.done() {
            w.active.remove(&key);
        }
        w.jobs.insert(key.1, job);
        if changed {
            w.touch();
        }
    }
    if w.settles.iter().any(|s| s.at <= now) {
        let (ready, later): (Vec<_>, Vec<_>) = w.settles.drain(..).partition(|s| s.at <= now);
        w.settles = later;
        for s in ready {
            if let Some(srv) = w.servers.get_mut(&s.server_id) {
                srv.status = s.status;
                srv.task = None;
                srv.locked_by = None;
                srv.updated = s.at;
                // A server out of ERROR (a hard stop or reboot) keeps no fault.
                if s.status.ecs(None).status != "ERROR" {
                    srv.fault = None;
                }
            }
        }
        w.touch();
    }
    let old = now - KEEP_MS;
    let before = w.jobs.len();
    w.jobs.retain(|_, j| j.end.is_none_or(|e| e > old));
    w.client_tokens.retain(|_, (_, at)| *at > old);
    if w.jobs.len() != before {
        w.touch();
    }
    w.next_due = next_due(w, now);
}

/// The next time something in the job table changes: a step ends, a sub-job starts, a status
/// settles, or (at the latest a minute on) a finished job expires.
fn next_due(w: &World, now: Millis) -> Millis {
    let mut due = now + 60_000;
    for (_, id) in &w.active {
        for sub in w
            .jobs
            .get(id)
            .map(|j| j.subs.as_slice())
            .unwrap_or_default()
        {
            if sub.status.done() {
                continue;
            }
            if sub.status == JobStatus::Init {
                due = due.min(sub.begin);
            }
            if let Some(step) = sub.steps.get(sub.done_steps) {
                due = due.min(step.ends_at);
            }
        }
    }
    for s in &w.settles {
        due = due.min(s.at);
    }
    due
}

fn advance_job(w: &mut World, job: &mut Job, now: Millis) -> bool {
    let mut changed = false;
    for sub in job.subs.iter_mut() {
        if sub.status.done() || now < sub.begin {
            continue;
        }
        if sub.status == JobStatus::Init {
            sub.status = JobStatus::Running;
            changed = true;
        }
        while sub.done_steps < sub.steps.len() && sub.steps[sub.done_steps].ends_at <= now {
            let at = sub.steps[sub.done_steps].ends_at;
            changed = true;
            if let Some((code, reason)) = &sub.refused {
                sub.status = JobStatus::Fail;
                sub.end = Some(at);
                sub.error_code = Some(code.clone());
                sub.fail_reason = Some(reason.clone());
                break;
            }
            let outcome = if sub.fail_at == Some(sub.done_steps) {
                Err(outcome::injected_failure(&sub.task))
            } else {
                ops::end_step(w, &mut sub.task, sub.done_steps, &job.id, at)
            };
            match outcome {
                Ok(()) => {
                    sub.done_steps += 1;
                    if let Some(next) = sub.steps.get(sub.done_steps) {
                        ops::set_task(w, &sub.task, &next.task_state);
                    } else {
                        sub.status = JobStatus::Success;
                        sub.end = Some(at);
                        outcome::succeed(w, &sub.task, at);
                    }
                }
                Err(f) => {
                    sub.status = JobStatus::Fail;
                    sub.end = Some(at);
                    sub.error_code = Some(f.code.clone());
                    sub.fail_reason = Some(f.reason.clone());
                    outcome::fail(w, &sub.task, &f, at);
                    break;
                }
            }
        }
    }
    if job.status == JobStatus::Init && job.subs.iter().any(|s| s.status != JobStatus::Init) {
        job.status = JobStatus::Running;
        changed = true;
    }
    if !job.status.done() && job.subs.iter().all(|s| s.status.done()) {
        let failed: Vec<&SubJob> = job
            .subs
            .iter()
            .filter(|s| s.status == JobStatus::Fail)
            .collect();
        job.end = job.subs.iter().filter_map(|s| s.end).max();
        if let Some(first) = failed.first() {
            job.status = JobStatus::Fail;
            job.error_code = first.error_code.clone();
            job.fail_reason = if job.subs.len() > 1 {
                Some(format!(
                    "{} of {} sub-jobs failed; first: {}",
                    failed.len(),
                    job.subs.len(),
                    first.fail_reason.clone().unwrap_or_default()
                ))
            } else {
                first.fail_reason.clone()
            };
        } else {
            job.status = JobStatus::Success;
        }
        changed = true;
    }
    changed
}

/// The counts of jobs by status (for `/_sim/stats`).
pub fn counts(w: &World) -> [(JobStatus, usize); 4] {
    let mut c = [0usize; 4];
    for j in w.jobs.values() {
        c[j.status as usize] += 1;
    }
    [
        (JobStatus::Init, c[0]),
        (JobStatus::Running, c[1]),
        (JobStatus::Success, c[2]),
        (JobStatus::Fail, c[3]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::{SeedOptions, generate};
    use crate::sim::vm::VmStatus;

    fn world() -> World {
        generate(
            &SeedOptions {
                seed: 3,
                servers: 9,
                speed: 1.0,
                user: "u".into(),
                domain: "d".into(),
            },
            1_000_000,
        )
    }

    /// The id of the seed's first server in `status`.
    fn first_server(w: &World, status: VmStatus) -> crate::sim::uid::Uid {
        w.servers.iter().find(|s| s.status == status).unwrap().id
    }

    #[test]
    fn a_stop_runs_its_steps_settles_after_success_and_releases_the_lock() {
        let mut w = world();
        let id = first_server(&w, VmStatus::Running);
        let region = w.servers.get(&id).unwrap().region;
        let job = submit(
            &mut w,
            Service::Ecs,
            region,
            "stopServer",
            vec![(
                "stopServerSingle".into(),
                Task::Stop {
                    server: id.to_string(),
                    hard: true,
                },
                None,
            )],
            1_000_000,
            |_| None,
        );
        assert_eq!(w.servers.get(&id).unwrap().status, VmStatus::PoweringOff);
        assert_eq!(
            w.servers.get(&id).unwrap().locked_by.as_deref(),
            Some(job.as_str())
        );
        let end = w.jobs[&job].subs[0].steps.last().unwrap().ends_at;
        advance(&mut w, end);
        assert_eq!(w.jobs[&job].status, JobStatus::Success);
        assert_eq!(
            w.servers.get(&id).unwrap().status,
            VmStatus::PoweringOff,
            "the job ends a moment before the status settles"
        );
        advance(&mut w, end + 2000);
        let s = w.servers.get(&id).unwrap();
        assert_eq!(
            (s.status, s.locked_by.is_none()),
            (VmStatus::PowerOff, true)
        );
    }

    #[test]
    fn rescaling_shortens_what_remains() {
        let mut w = world();
        let id = first_server(&w, VmStatus::PowerOff);
        let job = submit(
            &mut w,
            Service::Ecs,
            0,
            "startServer",
            vec![(
                "startServerSingle".into(),
                Task::Start {
                    server: id.to_string(),
                },
                None,
            )],
            1_000_000,
            |_| None,
        );
        let end = w.jobs[&job].subs[0].steps[0].ends_at;
        rescale(&mut w, 1_000_000, 100.0);
        let new_end = w.jobs[&job].subs[0].steps[0].ends_at;
        assert!(new_end - 1_000_000 <= (end - 1_000_000) / 100 + 1);
    }
}
