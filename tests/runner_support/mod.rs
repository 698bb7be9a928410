//! A simulator and a runner wired together for the runner's tests, and ways to read the
//! simulator's `/_sim/stats`.
// Test support: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};
use hvecs::gateway::{CloudSession, Gateway, GatewayOptions, ServerFilter};
use hvecs::runner::gateway_api::known;
use hvecs::runner::{
    CloudApi, CreateSpec, GatewayApi, Known, KnownServer, Op, Priority, Runner, RunnerSettings,
    Submission, SubmitError, Task, TaskEvent, TaskId, Timing, VolumeSpec,
};
use hvecs::sim::{FaultSpec, SimHandle, SimOptions};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;

pub struct Lab {
    pub sim: SimHandle,
    /// The session every call goes through (the runner's too).
    pub cloud: CloudSession,
    /// The client of the first region.
    pub gw: Gateway,
    pub runner: Runner,
    pub dir: tempfile::TempDir,
    pub region: String,
}

/// Polls faster than the 1 s → 5 s of a console, to keep tests short.
pub fn test_timing() -> Timing {
    Timing {
        poll_first: Duration::from_millis(200),
        poll_max: Duration::from_secs(1),
        confirm_for: Duration::from_secs(60),
        ..Timing::default()
    }
}

pub fn connection(sim: &SimHandle, read_only: bool) -> Connection {
    let region = sim.regions()[0].clone();
    let c = sim.credentials();
    Connection {
        profile: "lab".into(),
        urls: ServiceUrls::all(UrlTemplate::parse(&sim.base_url()).unwrap()),
        region: region.name.clone(),
        credentials: Credentials::AkSk {
            ak: c.ak.clone(),
            sk: c.sk.clone(),
        },
        projects: [(region.name.clone(), region.project_id.clone())].into(),
        read_only,
        transport: Transport {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            ..Transport::default()
        },
    }
}

impl Lab {
    pub async fn start(servers: usize, faults: &str) -> Lab {
        Lab::start_with(servers, faults, test_timing()).await
    }

    pub async fn start_with(servers: usize, faults: &str, timing: Timing) -> Lab {
        let sim = hvecs::sim::start(SimOptions {
            servers,
            speed: 100.0,
            seed: 7,
            faults: if faults.is_empty() {
                FaultSpec::default()
            } else {
                FaultSpec::parse(faults).unwrap()
            },
            ..SimOptions::default()
        })
        .await
        .unwrap();
        let conn = connection(&sim, false);
        let cloud = CloudSession::new(conn.clone(), GatewayOptions::default()).unwrap();
        let gw = cloud.home().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner::start(
            RunnerSettings {
                profile: "lab".into(),
                region: conn.region.clone(),
                principal: conn.credentials.principal().to_owned(),
                state_dir: dir.path().to_path_buf(),
                max_parallel: 4,
                read_only: cloud.read_only().clone(),
                timing,
            },
            Arc::new(cloud.clone()),
        )
        .unwrap();
        Lab {
            region: conn.region.clone(),
            sim,
            cloud,
            gw,
            runner,
            dir,
        }
    }

    /// Every server of the region, as the runner sees them.
    pub async fn all(&self) -> Vec<KnownServer> {
        // Faults may hit reads too: the gateway retries them, and so does this.
        let all = ServerFilter::default();
        retry(|| self.gw.list_servers(&all))
            .await
            .into_iter()
            .map(known)
            .collect()
    }

    pub async fn known(&self) -> Known {
        self.all()
            .await
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect()
    }

    pub async fn servers_in(&self, status: &str) -> Vec<KnownServer> {
        let mut v: Vec<KnownServer> = self
            .all()
            .await
            .into_iter()
            .filter(|s| s.status == status && s.task_state.is_none())
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    pub async fn look(&self, ids: &[String]) -> Vec<KnownServer> {
        let api = GatewayApi::new(self.cloud.clone(), &self.region);
        for _ in 0..20 {
            if let Ok(v) = api.servers(ids).await {
                return v;
            }
        }
        panic!("cannot look at servers");
    }

    pub async fn named(&self, name: &str) -> Vec<KnownServer> {
        let api = GatewayApi::new(self.cloud.clone(), &self.region);
        for _ in 0..20 {
            if let Ok(v) = api.servers_named(name).await {
                return v;
            }
        }
        panic!("cannot look at servers");
    }

    pub async fn submit(&self, op: Op, priority: Priority) -> Result<Arc<Task>, SubmitError> {
        Ok(self
            .runner
            .submit(Submission {
                region: self.region.clone(),
                op,
                priority,
                known: self.known().await,
                skip_inapplicable: false,
            })
            .await?
            .task)
    }

    /// A create spec from what the region has: an image, a flavor, a VPC and subnet.
    pub async fn create_spec(&self, name: &str, count: u32) -> CreateSpec {
        let all = ServerFilter::default();
        let servers = retry(|| self.gw.list_servers_raw(&all)).await;
        let s = &servers[0];
        let image = s["image"]["id"].as_str().unwrap().to_owned();
        let vpc = s["metadata"]["vpc_id"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| {
                s["addresses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone()
            });
        let subnets = retry(|| self.gw.list_subnets(Some(&vpc))).await;
        let az = s["OS-EXT-AZ:availability_zone"]
            .as_str()
            .unwrap()
            .to_owned();
        let subnet = subnets
            .iter()
            .find(|n| n.availability_zone.is_empty() || n.availability_zone == az)
            .unwrap()
            .id
            .clone();
        CreateSpec {
            name: name.into(),
            image_id: image,
            flavor_id: "hv1.medium.2".into(),
            vpc_id: vpc,
            subnet_id: subnet,
            availability_zone: Some(az),
            root_volume: VolumeSpec {
                volume_type: "SSD".into(),
                size_gb: 60,
            },
            data_volumes: vec![],
            count,
            key_name: None,
            admin_pass: None,
            had_admin_pass: false,
        }
    }

    pub async fn stats(&self) -> Value {
        stats(&self.sim.base_url()).await
    }

    pub async fn mutations(&self) -> u64 {
        self.stats().await["mutations"].as_u64().unwrap()
    }
}

/// A read, again until it works (faults hit reads too; the gateway's own retries may give up).
pub async fn retry<T, E: std::fmt::Debug, F: std::future::Future<Output = Result<T, E>>>(
    mut f: impl FnMut() -> F,
) -> T {
    let mut last = None;
    for _ in 0..20 {
        match f().await {
            Ok(v) => return v,
            Err(e) => last = Some(e),
        }
    }
    panic!("a read failed 20 times: {last:?}");
}

pub async fn stats(base: &str) -> Value {
    reqwest::get(format!("{base}/_sim/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Requests counted at `/_sim/stats` with this method whose route contains `route_part`.
pub fn count(stats: &Value, method: &str, route_part: &str) -> u64 {
    stats["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["route"].as_str().unwrap().contains(route_part))
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

pub fn posts(stats: &Value, route_part: &str) -> u64 {
    count(stats, "POST", route_part)
}

pub async fn next(rx: &mut UnboundedReceiver<TaskEvent>) -> TaskEvent {
    tokio::time::timeout(Duration::from_secs(300), rx.recv())
        .await
        .expect("no task event for 5 minutes")
        .expect("runner alive")
}

pub async fn until_end(rx: &mut UnboundedReceiver<TaskEvent>, id: &TaskId) -> Arc<Task> {
    loop {
        let ev = next(rx).await;
        if &ev.id == id && ev.is_end() {
            return ev.task;
        }
    }
}
