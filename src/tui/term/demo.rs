//! `hvecs demo`: the simulator in-process on 127.0.0.1 with its seeded inventory, and the console
//! on it over real HTTP (AK/SK-signed, as with a real gateway). The global flags hold as for any
//! profile: `--region` picks the simulated region, `--read-only` the switch.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Config, Connection, Credentials, Paths, ServiceUrls, Transport, UrlTemplate};
use crate::sim::{self, SimOptions};
use crate::tui::keymap::Keymap;
use crate::tui::term::launch::{self, LaunchError, LaunchOptions};
use crate::tui::term::run::Ended;

/// What `hvecs demo` takes.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub servers: usize,
    pub speed: f64,
    /// Keep the simulated cloud here between runs.
    pub state: Option<PathBuf>,
}

/// Returns the signal that ended the console, if one did.
pub fn run(
    opts: &LaunchOptions,
    demo: &DemoOptions,
    paths: &Paths,
) -> Result<Option<i32>, LaunchError> {
    if opts.overrides.endpoint.is_some() || opts.profile.is_some() {
        return Err(LaunchError::Usage(
            "the demo runs on its own simulated cloud: --endpoint and --profile do not apply (use them without `demo`)".to_owned(),
        ));
    }
    let config = Config::load(opts.config.as_deref(), paths)?;
    let keymap = Keymap::with_overrides(&config.keys, config.source.as_ref())?;
    let look = launch::look(opts, &config.ui, paths, None);
    launch::runtime()?.block_on(async {
        let handle = sim::start(SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            servers: demo.servers,
            speed: demo.speed,
            state_dir: demo.state.clone(),
            ..SimOptions::default()
        })
        .await
        .map_err(|e| LaunchError::Usage(format!("the demo simulator did not start: {e}")))?;
        let conn = connection(&handle, opts)?;
        // The demo's tasks are kept apart from every real profile's.
        let place = launch::RunnerPlace {
            state_dir: match &demo.state {
                Some(dir) => dir.join("runner"),
                None => paths.state_dir.join("demo-runner"),
            },
            // a profile's default
            max_parallel: 4,
        };
        let on = launch::ConsoleOn {
            ui: &config.ui,
            place,
            // the demo has no profiles to switch to
            profiles: Vec::new(),
        };
        let result = launch::console(conn, keymap, look, opts, on)
            .await
            .map(|ended| match ended {
                Ended::Signal(n) => Some(n),
                Ended::Quit | Ended::SwitchProfile(_) => None,
            });
        let saved = handle
            .shutdown()
            .await
            .map_err(|e| LaunchError::Usage(format!("the demo state was not saved: {e}")));
        result.and_then(|signal| saved.map(|_| signal))
    })
}

/// The console's connection to the simulator: AK/SK, in the `--region` asked for (else the first),
/// with every region's project pinned, read-only as `--read-only` says.
fn connection(handle: &sim::SimHandle, opts: &LaunchOptions) -> Result<Connection, LaunchError> {
    let url = UrlTemplate::parse(&handle.base_url()).map_err(LaunchError::Usage)?;
    let regions = handle.regions();
    let region = match &opts.overrides.region {
        Some(wanted) => regions.iter().find(|r| &r.name == wanted).ok_or_else(|| {
            let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
            LaunchError::Usage(format!(
                "--region {wanted}: the demo's regions are {}",
                names.join(", ")
            ))
        })?,
        None => regions
            .first()
            .ok_or_else(|| LaunchError::Usage("the demo simulator has no region".to_owned()))?,
    };
    let creds = handle.credentials();
    Ok(Connection {
        profile: "demo".to_owned(),
        urls: ServiceUrls::all(url),
        region: region.name.clone(),
        credentials: Credentials::AkSk {
            ak: creds.ak.clone(),
            sk: creds.sk.clone(),
        },
        projects: regions
            .iter()
            .map(|r| (r.name.clone(), r.project_id.clone()))
            .collect(),
        read_only: opts.overrides.read_only,
        transport: Transport {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            ..Transport::default()
        },
    })
}
