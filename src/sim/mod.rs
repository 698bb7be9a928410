//! The gateway simulator (`hvecs sim`, `hvecs demo`, the tests): the ECS/IMS/EVS/VPC/IAM API of
//! api.md over a simulated SCVMM (backend.md), served by axum on 127.0.0.1.

mod app;
pub mod args;
mod auth;
mod clock;
mod disk_jobs;
mod error;
mod faults;
mod ids;
mod job;
mod jobs;
mod keypairs;
mod model;
mod ops;
mod order;
mod outcome;
mod placement;
mod quota;
mod render;
mod render_server;
mod routes;
mod seed;
mod server;
mod signing;
mod stats;
mod status;
mod store;
mod sym;
mod table;
mod task;
mod uid;
mod vm;
mod world;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use args::SimArgs;
pub use auth::Credentials;
pub use faults::FaultSpec;

use crate::config::Secret;
use app::{Sim, lock};

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    pub seed: u64,
    pub servers: usize,
    /// Durations are divided by this (100 = a create takes about two seconds).
    pub speed: f64,
    pub faults: FaultSpec,
    pub state_dir: Option<PathBuf>,
    /// `None` = generated (or the ones saved in the state dir).
    pub credentials: Option<Credentials>,
    /// (certificate PEM, key PEM).
    pub tls: Option<(PathBuf, PathBuf)>,
    /// IMS makes images of running servers (newer releases); by default it answers IMG.0008.
    pub image_from_running: bool,
    /// The private-image quota of every project (default 100).
    pub image_quota: Option<u64>,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 1,
            servers: 300,
            speed: 1.0,
            faults: FaultSpec::default(),
            state_dir: None,
            credentials: None,
            tls: None,
            image_from_running: false,
            image_quota: None,
        }
    }
}

/// A region as the simulator serves it: its name (= project name) and project id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    pub name: String,
    pub project_id: String,
}

/// A running simulator.
pub struct SimHandle {
    addr: SocketAddr,
    tls: bool,
    credentials: Credentials,
    regions: Vec<RegionInfo>,
    sim: Arc<Sim>,
    state_dir: Option<PathBuf>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS).
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn regions(&self) -> &[RegionInfo] {
        &self.regions
    }

    /// How many servers the simulated cloud holds now.
    pub fn server_count(&self) -> usize {
        self.sim.world().servers.len()
    }

    /// Saves the state now (with a state dir); errors name the file.
    pub fn save(&self) -> Result<(), String> {
        save(&self.sim, self.state_dir.as_deref()).map(|_| ())
    }

    /// Stops serving and saves the state (with a state dir).
    pub async fn shutdown(mut self) -> Result<(), String> {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        self.save()
    }
}

/// Saves when a state dir is set; returns the world version saved.
fn save(sim: &Sim, dir: Option<&std::path::Path>) -> Result<u64, String> {
    let Some(dir) = dir else { return Ok(0) };
    let (bytes, version) = {
        let w = sim.world();
        let a = lock(&sim.auth);
        (store::snapshot(&w, &a, &sim.creds)?, w.version)
    };
    store::write(dir, &bytes)?;
    Ok(version)
}

/// Builds the world (loaded from the state dir, or seeded) and starts serving.
pub async fn start(opts: SimOptions) -> Result<SimHandle, String> {
    if !(opts.speed.is_finite() && opts.speed > 0.0) {
        return Err(format!(
            "--speed must be a positive number, not {}",
            opts.speed
        ));
    }
    let tls = match &opts.tls {
        Some((c, k)) => Some(server::tls_acceptor(c, k)?),
        None => None,
    };
    let saved = match &opts.state_dir {
        Some(d) => store::load(d)?,
        None => None,
    };
    let (world, auth_state, creds) = match saved {
        Some(s) => {
            let creds = opts.credentials.clone().unwrap_or(Credentials {
                ak: s.ak,
                sk: Secret::new(s.sk),
                user: s.user,
                password: Secret::new(s.password),
                domain: s.domain,
            });
            let mut world = s.world;
            jobs::rescale(&mut world, clock::now_ms(), opts.speed);
            let mut a = auth::AuthState::default();
            a.tokens = s.tokens;
            (world, a, creds)
        }
        None => {
            let creds = opts
                .credentials
                .clone()
                .unwrap_or_else(Credentials::generate);
            let seed_opts = seed::SeedOptions {
                seed: opts.seed,
                servers: opts.servers,
                speed: opts.speed,
                user: creds.user.clone(),
                domain: creds.domain.clone(),
            };
            let world = seed::generate(&seed_opts, clock::now_ms());
            (world, auth::AuthState::default(), creds)
        }
    };
    let mut world = world;
    if let Some(q) = opts.image_quota {
        for r in &mut world.regions {
            r.quota.images = q;
        }
    }
    let regions = world
        .regions
        .iter()
        .map(|r| RegionInfo {
            name: r.name.clone(),
            project_id: r.project_id.clone(),
        })
        .collect();
    let faults = faults::Faults::new(opts.faults.clone(), opts.seed);
    let mut sim = Sim::new(world, auth_state, creds.clone(), faults);
    sim.image_from_running = opts.image_from_running;
    let sim = Arc::new(sim);
    let listener = TcpListener::bind(opts.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let (stop, stop_rx) = watch::channel(false);
    let app = routes::router(sim.clone());
    let mut tasks = vec![tokio::spawn(server::serve(
        listener,
        tls.clone(),
        app,
        stop_rx.clone(),
    ))];
    tasks.push(tokio::spawn(ticker(
        sim.clone(),
        opts.state_dir.clone(),
        stop_rx,
    )));
    Ok(SimHandle {
        addr,
        tls: tls.is_some(),
        credentials: creds,
        regions,
        sim,
        state_dir: opts.state_dir,
        stop,
        tasks,
    })
}

/// Advances jobs in the background (so that time passes without requests) and saves on change.
/// A save holds the world while it serializes, so saves are spaced to at least ten times the
/// last one's duration (a large inventory is saved less often, never more than 20% of the time).
async fn ticker(sim: Arc<Sim>, dir: Option<PathBuf>, mut stop: watch::Receiver<bool>) {
    let mut saved = 0;
    let mut next_save = std::time::Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = stop.changed() => return,
        }
        let version = sim.world().version;
        if dir.is_some() && version != saved && std::time::Instant::now() >= next_save {
            let s = sim.clone();
            let d = dir.clone();
            let began = std::time::Instant::now();
            match tokio::task::spawn_blocking(move || save(&s, d.as_deref())).await {
                Ok(Ok(v)) => saved = v,
                Ok(Err(e)) => tracing::warn!("simulator state not saved: {e}"),
                Err(e) => tracing::warn!("simulator state not saved: {e}"),
            }
            next_save = std::time::Instant::now() + began.elapsed() * 10;
        }
    }
}
