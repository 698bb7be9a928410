//! A small cloud in memory for the runner's unit tests: servers, jobs that end after a set time
//! (tokio's paused clock), client tokens, and scripted answers (429, lost, refused).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use super::cloud::{Accepted, CallError, CloudApi, Clouds, JobStatus, JobView, SubJob};
use super::image::op::ImageCall;
use super::image::op::KnownImage;
use super::op::PowerAction;
use super::precondition::{Known, KnownServer};
use super::task::Call;

/// The next answer to a change.
#[derive(Debug, Clone)]
pub enum Scripted {
    Throttle,
    Reject,
    /// The answer is lost; `applied` says whether the cloud did it.
    Lost {
        applied: bool,
    },
}

struct Job {
    ids: Vec<String>,
    call: Call,
    ends: Instant,
    fail: Vec<String>,
    finished: bool,
    /// The image an image create makes.
    image: Option<String>,
}

#[derive(Default)]
pub struct State {
    pub servers: HashMap<String, KnownServer>,
    pub images: HashMap<String, KnownImage>,
    /// (used, limit) of private images.
    pub image_quota: Option<(u64, u64)>,
    /// Image creates whose job fails.
    pub image_fails: bool,
    /// Image creates refused at once (as IMG.0009, a name taken).
    pub image_refused: bool,
    jobs: HashMap<String, Job>,
    tokens: HashMap<String, String>,
    pub script: VecDeque<Scripted>,
    /// Every change that reached the cloud.
    pub applied: Vec<Call>,
    /// Every change request, answered or not.
    pub sends: u32,
    pub job_polls: u32,
    pub looks: u32,
    /// Servers whose sub-job fails.
    pub failing: Vec<String>,
    pub job_time: Duration,
    /// Every region the runner asked for the cloud of, in order.
    pub regions: Vec<String>,
    next: u32,
}

pub struct FakeCloud {
    pub state: Mutex<State>,
}

impl FakeCloud {
    pub fn new(servers: &[(&str, &str)]) -> Self {
        let mut st = State {
            job_time: Duration::from_secs(10),
            ..State::default()
        };
        for (id, status) in servers {
            st.servers.insert(
                (*id).to_owned(),
                KnownServer {
                    id: (*id).into(),
                    name: format!("vm-{id}"),
                    status: (*status).into(),
                    task_state: None,
                    flavor_id: Some("small".into()),
                },
            );
        }
        FakeCloud {
            state: Mutex::new(st),
        }
    }

    pub fn known(&self) -> Known {
        self.state.lock().unwrap().servers.clone()
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// A read of the cloud: counted, at the cloud's present time.
    fn look<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        let mut st = self.state.lock().unwrap();
        st.looks += 1;
        st.advance();
        f(&st)
    }
}

/// The values of `ids` that `map` holds, in the order of `ids`.
fn pick<T: Clone>(map: &HashMap<String, T>, ids: &[String]) -> Vec<T> {
    ids.iter().filter_map(|i| map.get(i).cloned()).collect()
}

impl State {
    /// An IMS call: a create makes a `saving` image and a job; rename and delete are at once.
    fn apply_image(&mut self, call: &ImageCall) -> Accepted {
        self.applied.push(Call::Image(call.clone()));
        self.next += 1;
        let answer = |job_id| Accepted {
            http_status: 200,
            request_id: Some(format!("req-{}", self.next)),
            job_id,
            server_ids: vec![],
            volume_ids: vec![],
            snapshot_id: None,
        };
        match call {
            ImageCall::Create { spec, .. } => {
                let id = format!("img-{}", self.next);
                self.images.insert(
                    id.clone(),
                    KnownImage {
                        id: id.clone(),
                        name: spec.name.clone(),
                        status: "saving".into(),
                    },
                );
                let job_id = format!("job-{}", self.next);
                self.jobs.insert(
                    job_id.clone(),
                    Job {
                        ids: vec![],
                        call: Call::Image(call.clone()),
                        ends: Instant::now() + self.job_time,
                        fail: vec![],
                        finished: false,
                        image: Some(id),
                    },
                );
                answer(Some(job_id))
            }
            ImageCall::Rename { id, name } => {
                if let Some(i) = self.images.get_mut(id) {
                    i.name = name.clone();
                }
                answer(None)
            }
            ImageCall::Delete { id } => {
                self.images.remove(id);
                answer(None)
            }
        }
    }

    fn apply(&mut self, call: &Call) -> Accepted {
        if let Call::Image(c) = call {
            return self.apply_image(c);
        }
        if let Call::Create { client_token, .. } = call
            && let Some(job) = self.tokens.get(client_token)
        {
            return Accepted {
                http_status: 200,
                request_id: Some("again".into()),
                job_id: Some(job.clone()),
                ..Accepted::default()
            };
        }
        self.applied.push(call.clone());
        self.next += 1;
        let job_id = format!("job-{}", self.next);
        let ids: Vec<String> = match call {
            Call::Power { ids, .. } | Call::Delete { ids, .. } => ids.clone(),
            Call::Resize { id, .. } | Call::Rename { id, .. } | Call::Tags { id, .. } => {
                vec![id.clone()]
            }
            Call::Image(_) => vec![],
            // This fake has no disks: a disk call changes no server.
            Call::Disk(_) | Call::Snapshot(_) => Vec::new(),
            Call::Create { spec, client_token } => {
                self.tokens.insert(client_token.clone(), job_id.clone());
                (0..spec.count)
                    .map(|n| {
                        let id = format!("new-{}-{n}", self.next);
                        self.servers.insert(
                            id.clone(),
                            KnownServer {
                                id: id.clone(),
                                name: format!("{}-{:04}", spec.name, n + 1),
                                status: "BUILD".into(),
                                task_state: Some("spawning".into()),
                                flavor_id: Some(spec.flavor_id.clone()),
                            },
                        );
                        id
                    })
                    .collect()
            }
        };
        for id in &ids {
            let Some(s) = self.servers.get_mut(id) else {
                continue;
            };
            match call {
                Call::Power { action, .. } => {
                    s.task_state = Some(
                        match action {
                            PowerAction::Start => "powering-on",
                            PowerAction::Stop(_) => "powering-off",
                            PowerAction::Reboot(_) => "rebooting",
                        }
                        .into(),
                    )
                }
                Call::Delete { .. } => s.task_state = Some("deleting".into()),
                Call::Resize { .. } => s.status = "RESIZE".into(),
                Call::Rename { name, .. } => s.name = name.clone(),
                // This fake keeps no tags: the call is answered, and the runner's part tested.
                Call::Create { .. }
                | Call::Image(_)
                | Call::Disk(_)
                | Call::Snapshot(_)
                | Call::Tags { .. } => {}
            }
        }
        if matches!(call, Call::Rename { .. } | Call::Tags { .. }) {
            return Accepted {
                http_status: 200,
                request_id: Some(format!("req-{}", self.next)),
                job_id: None,
                ..Accepted::default()
            };
        }
        let fail = ids
            .iter()
            .filter(|i| self.failing.contains(i))
            .cloned()
            .collect();
        self.jobs.insert(
            job_id.clone(),
            Job {
                ids,
                call: call.clone(),
                ends: Instant::now() + self.job_time,
                fail,
                finished: false,
                image: None,
            },
        );
        Accepted {
            http_status: 200,
            request_id: Some(format!("req-{}", self.next)),
            job_id: Some(job_id),
            ..Accepted::default()
        }
    }

    /// Ends every job whose time has come, as the cloud does whether anyone looks or not.
    fn advance(&mut self) {
        let now = Instant::now();
        for job in self.jobs.values_mut() {
            if now < job.ends || job.finished {
                continue;
            }
            job.finished = true;
            if let Some(img) = job.image.as_ref().and_then(|i| self.images.get_mut(i)) {
                img.status = if self.image_fails { "killed" } else { "active" }.into();
            }
            for sid in &job.ids {
                let failed = job.fail.contains(sid);
                let Some(s) = self.servers.get_mut(sid) else {
                    continue;
                };
                s.task_state = None;
                if failed {
                    continue;
                }
                match &job.call {
                    Call::Power {
                        action: PowerAction::Stop(_),
                        ..
                    } => s.status = "SHUTOFF".into(),
                    Call::Power { .. } | Call::Create { .. } => s.status = "ACTIVE".into(),
                    Call::Resize { flavor_id, .. } => {
                        s.status = "SHUTOFF".into();
                        s.flavor_id = Some(flavor_id.clone());
                    }
                    _ => {}
                }
                if matches!(job.call, Call::Delete { .. }) {
                    self.servers.remove(sid);
                }
            }
        }
    }

    fn job(&mut self, id: &str) -> Option<JobView> {
        self.advance();
        let job = self.jobs.get(id)?;
        let done = job.finished;
        let image_failed = done && job.image.is_some() && self.image_fails;
        let sub = |sid: &String| SubJob {
            status: match (done, job.fail.contains(sid)) {
                (false, _) => JobStatus::Pending,
                (true, true) => JobStatus::Failed,
                (true, false) => JobStatus::Succeeded,
            },
            server_id: Some(sid.clone()),
            error_code: job.fail.contains(sid).then(|| "Ecs.0204".into()),
            fail_reason: job.fail.contains(sid).then(|| "host not responding".into()),
        };
        Some(JobView {
            status: match (done, job.fail.is_empty() && !image_failed) {
                (false, _) => JobStatus::Pending,
                (true, true) => JobStatus::Succeeded,
                (true, false) => JobStatus::Failed,
            },
            percent: job.image.as_ref().map(|_| if done { 100 } else { 40 }),
            image_id: job.image.clone(),
            sub_jobs: job.ids.iter().map(sub).collect(),
            sub_jobs_total: Some(job.ids.len() as u32),
            server_id: None,
            error_code: image_failed.then(|| "IMG.0031".into()),
            fail_reason: image_failed.then(|| "the VHDX export failed".into()),
        })
    }
}

/// One cloud answers for every region (the regions asked for are noted).
impl Clouds for FakeCloud {
    fn in_region(self: Arc<Self>, region: &str) -> Arc<dyn CloudApi> {
        if let Ok(mut st) = self.state.lock() {
            st.regions.push(region.to_owned());
        }
        self
    }
}

impl CloudApi for FakeCloud {
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        Box::pin(async move {
            let mut st = self.state.lock().unwrap();
            st.sends += 1;
            match st.script.pop_front() {
                Some(Scripted::Throttle) => Err(CallError::Throttled {
                    request_id: Some("r429".into()),
                }),
                Some(Scripted::Reject) => Err(CallError::Rejected {
                    http_status: 409,
                    code: Some("Ecs.0001".into()),
                    message: "objects are locked by another job".into(),
                    request_id: Some("r409".into()),
                }),
                Some(Scripted::Lost { applied }) => {
                    if applied {
                        st.apply(call);
                    }
                    Err(CallError::OutcomeUnknown("connection reset".into()))
                }
                None if st.image_refused
                    && matches!(call, Call::Image(ImageCall::Create { .. })) =>
                {
                    Err(CallError::Rejected {
                        http_status: 400,
                        code: Some("IMG.0009".into()),
                        message: "An image named gold already exists".into(),
                        request_id: Some("r400".into()),
                    })
                }
                None => Ok(st.apply(call)),
            }
        })
    }

    fn dry_run<'a>(&'a self, _call: &'a Call) -> BoxFuture<'a, Result<Accepted, CallError>> {
        Box::pin(async move {
            Ok(Accepted {
                http_status: 202,
                ..Accepted::default()
            })
        })
    }

    fn job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        Box::pin(async move {
            let mut st = self.state.lock().unwrap();
            st.job_polls += 1;
            st.job(job_id).ok_or_else(|| CallError::Rejected {
                http_status: 404,
                code: None,
                message: "no such job".into(),
                request_id: None,
            })
        })
    }

    fn servers<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        Box::pin(async move { Ok(self.look(|st| pick(&st.servers, ids))) })
    }

    fn image_job<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<JobView, CallError>> {
        self.job(job_id)
    }

    fn images<'a>(
        &'a self,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        Box::pin(async move { Ok(self.look(|st| pick(&st.images, ids))) })
    }

    fn images_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownImage>, CallError>> {
        Box::pin(async move {
            Ok(self.look(|st| {
                let named = st.images.values().filter(|i| i.name == name);
                named.cloned().collect()
            }))
        })
    }

    fn image_quota(&self) -> BoxFuture<'_, Result<Option<(u64, u64)>, CallError>> {
        Box::pin(async move { Ok(self.state.lock().unwrap().image_quota) })
    }

    fn servers_named<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Vec<KnownServer>, CallError>> {
        Box::pin(async move {
            let mut st = self.state.lock().unwrap();
            st.advance();
            Ok(st
                .servers
                .values()
                .filter(|s| s.name == name || s.name.starts_with(&format!("{name}-")))
                .cloned()
                .collect())
        })
    }
}
