//! Opening the console: config, keymap, theme and profile made into a running console (on a
//! profile's gateway, or on the embedded simulator for `hvecs demo`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{Config, ConfigError, Connection, Env, Overrides, Paths, UiSettings};
use crate::gateway::{CloudSession, GatewayOptions};
use crate::read::gateway_source::GatewaySource;
use crate::runner::{Runner, RunnerSettings, Timing};
use crate::tui::app::{AppState, Session};
use crate::tui::keymap::Keymap;
use crate::tui::term::run::{self, Console, Ended};
use crate::tui::theme::Look;

/// Where the console's task runner keeps its journal and audit log, and how much it runs at once.
#[derive(Debug, Clone)]
pub struct RunnerPlace {
    pub state_dir: PathBuf,
    pub max_parallel: usize,
}

/// The command line's say in how the console opens.
#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    pub config: Option<PathBuf>,
    pub profile: Option<String>,
    pub overrides: Overrides,
    pub theme: Option<String>,
    pub ascii: bool,
    pub no_color: bool,
    pub trace_http: Option<PathBuf>,
    /// `--region all`: the console opens on the all-regions view (its session lives in the
    /// profile's own region; `overrides.region` is then `None`).
    pub all_regions: bool,
}

/// Why the console could not open (or ended badly).
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// Configuration or usage: exit 2.
    #[error("{0}")]
    Usage(String),
    /// The gateway could not be reached or refused us: exit 3.
    #[error("{0}")]
    Connect(String),
    #[error("the terminal failed: {0}")]
    Terminal(#[from] std::io::Error),
}

impl From<ConfigError> for LaunchError {
    fn from(e: ConfigError) -> Self {
        LaunchError::Usage(e.to_string())
    }
}

/// Why there is no profile: the config file read has none, or there is no config file.
pub fn no_profile_reason(config: &Config, paths: &Paths) -> String {
    match &config.source {
        Some(src) => format!(
            "{} has no profile ([profiles.NAME]) and HVECS_ENDPOINT is not set",
            src.path().display()
        ),
        None => format!(
            "there is no config file at {} and HVECS_ENDPOINT is not set",
            paths.config_file.display()
        ),
    }
}

/// Shown when there is neither a config nor an environment to connect with.
pub fn no_profile_help(config: &Config, paths: &Paths) -> String {
    format!(
        "nothing to connect to: {}.\n\
         \n\
         To connect to a cloud, either\n\
         - run `hvecs config init`: it asks for the endpoint, region and credentials and writes {}, or\n\
         - set HVECS_ENDPOINT, HVECS_REGION and HVECS_AK + HVECS_SK (or HVECS_USERNAME, HVECS_PASSWORD, HVECS_DOMAIN).\n\
         \n\
         To try hvecs without a cloud, on a simulated one: hvecs demo",
        no_profile_reason(config, paths),
        config
            .source
            .as_ref()
            .map_or(paths.config_file.as_path(), |s| s.path())
            .display()
    )
}

/// `hvecs` with no command: the console on the configured profile or the environment; after
/// `:profile NAME`, again on that profile (the `--endpoint`/`--region` flags were for the first
/// one and are dropped; `--read-only` stays).
/// Returns the signal that ended the console, if one did.
pub fn open(opts: &LaunchOptions, paths: &Paths) -> Result<Option<i32>, LaunchError> {
    let config = Config::load(opts.config.as_deref(), paths)?;
    let keymap = check_look(&config, opts, paths)?;
    let env = Env::from_process();
    let rt = runtime()?;
    let (mut wanted, mut overrides) = (opts.profile.clone(), opts.overrides.clone());
    loop {
        let Some(profile) = config.select(wanted.as_deref(), &env, &overrides)? else {
            return Err(LaunchError::Usage(no_profile_help(&config, paths)));
        };
        let conn = profile.connect()?;
        let look = look(opts, &config.ui, paths, profile.accent);
        let place = RunnerPlace {
            state_dir: paths.profile_state_dir(&profile.name),
            max_parallel: profile.max_parallel_tasks,
        };
        let on = ConsoleOn {
            ui: &config.ui,
            place,
            profiles: config.profile_names(),
        };
        match rt.block_on(console(conn, keymap.clone(), look, opts, on))? {
            Ended::Quit => return Ok(None),
            Ended::Signal(n) => return Ok(Some(n)),
            Ended::SwitchProfile(p) => {
                wanted = Some(p);
                overrides.endpoint = None;
                overrides.region = None;
            }
        }
    }
}

/// What the console checks of the config besides the profile and its secrets: the keymap and
/// the theme (`--theme`, else `[ui] theme`, with the user's theme files). `config check` runs
/// it too, so that it passes only what the console accepts.
pub fn check_look(
    config: &Config,
    opts: &LaunchOptions,
    paths: &Paths,
) -> Result<Keymap, LaunchError> {
    let keymap = Keymap::with_overrides(&config.keys, config.source.as_ref())?;
    let theme = opts.theme.as_deref().unwrap_or(&config.ui.theme);
    look(opts, &config.ui, paths, None).styles(theme)?;
    Ok(keymap)
}

/// Where a console runs besides its connection: the `[ui]` settings, its task runner's place,
/// and the profiles `:profile` may switch to.
pub struct ConsoleOn<'a> {
    pub ui: &'a UiSettings,
    pub place: RunnerPlace,
    pub profiles: Vec<String>,
}

/// Builds the console on a connection and runs it to the end.
pub async fn console(
    conn: Connection,
    keymap: Keymap,
    look: Look,
    opts: &LaunchOptions,
    on: ConsoleOn<'_>,
) -> Result<Ended, LaunchError> {
    let ConsoleOn {
        ui,
        place,
        profiles,
    } = on;
    let theme = opts.theme.clone().unwrap_or_else(|| ui.theme.clone());
    let styles = look.styles(&theme)?;
    let gw_opts = GatewayOptions {
        trace_http: opts.trace_http.clone(),
        ..GatewayOptions::default()
    };
    let cloud =
        CloudSession::new(conn, gw_opts).map_err(|e| LaunchError::Connect(e.to_string()))?;
    let session = Session {
        profile: cloud.profile().to_owned(),
        user: cloud.principal().to_owned(),
        region: if opts.all_regions {
            crate::gateway::ALL_REGIONS.to_owned()
        } else {
            cloud.region().to_owned()
        },
        read_only: cloud.read_only().get(),
    };
    let settings = RunnerSettings {
        profile: cloud.profile().to_owned(),
        region: cloud.region().to_owned(),
        principal: session.user.clone(),
        state_dir: place.state_dir,
        max_parallel: place.max_parallel,
        read_only: cloud.read_only().clone(),
        timing: Timing::default(),
    };
    let runner = Runner::start(settings, Arc::new(cloud.clone()))
        .map_err(|e| LaunchError::Usage(format!("the task runner did not start: {e}")))?;
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = AppState::new(session, keymap, look.theme_names(), size);
    app.profiles = profiles;
    if let Some(n) = runner.journal_notice() {
        app.message = Some((crate::tui::app::Level::Error, n.to_owned()));
    }
    let refresh = (ui.refresh_seconds > 0).then(|| Duration::from_secs(ui.refresh_seconds));
    run::run(Console {
        app,
        styles,
        look,
        source: Arc::new(GatewaySource::new(cloud)),
        refresh,
        runner: Some(runner),
        mouse: ui.mouse,
        opener: ui.open_command.clone(),
    })
    .await
    .map_err(LaunchError::from)
}

/// How the screen looks: flags, then the config; `NO_COLOR` turns colour off, a locale that is
/// not UTF-8 turns ASCII on.
pub fn look(
    opts: &LaunchOptions,
    ui: &UiSettings,
    paths: &Paths,
    accent: Option<crate::config::theme::ThemeColor>,
) -> Look {
    let no_color = opts.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Look {
        themes_dir: Some(paths.themes_dir.clone()),
        accent,
        no_color,
        ascii: opts.ascii || ui.ascii || !utf8_locale(),
    }
}

/// Whether the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) is UTF-8.
fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .map(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
        .unwrap_or(false)
}

pub fn runtime() -> Result<tokio::runtime::Runtime, LaunchError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
