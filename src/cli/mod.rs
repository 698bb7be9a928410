//! The non-interactive commands: dispatch from the parsed command line, output, exit codes.

pub mod args;
mod change_cmds;
mod complete;
mod config_cmd;
mod config_init;
mod created;
mod disk_cmds;
mod doctor;
mod every_region;
pub mod exit;
mod follow;
mod format;
mod help;
mod image_cmds;
mod jobs_cmd;
mod jobs_retry;
mod list_cmd;
mod list_stream;
mod man;
mod names;
mod out;
mod read_cmds;
mod remote_console;
pub mod session;
mod snapshot_cmds;
mod snapshot_resume;
mod snapshot_sets;
pub mod table;
pub mod target;
mod waiting;

use clap::FromArgMatches;

pub use args::{Cli, Command, ConfigCommand, GlobalArgs, Output};
pub use exit::{CliError, ExitCode};

use crate::config::{Paths, Service};

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    complete::answer_if_asked();
    let matches = help::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // Only the subcommand's name is logged: its arguments may hold secrets (`sim --sk`).
    let name = matches.subcommand_name().unwrap_or("console").to_owned();
    match run(cli, &name) {
        Ok(()) => 0,
        Err(e) if e.code.is_quiet() => e.code as i32,
        Err(e) => {
            out::note(&format!("hvecs: {}", e.message));
            e.code as i32
        }
    }
}

fn run(cli: Cli, name: &str) -> Result<(), CliError> {
    let paths = Paths::from_platform()?;
    let _log = crate::logging::init(&paths);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command = name,
        "hvecs starting"
    );
    match cli.command {
        Some(Command::Config(ConfigCommand::Check { resolve })) => {
            out::text(&config_cmd::check(&cli.global, resolve, &paths)?)
        }
        Some(Command::Config(ConfigCommand::Init(args))) => {
            out::text(&config_init::run(&cli.global, &args, &paths)?)
        }
        Some(Command::Config(ConfigCommand::Path)) => {
            out::text(&config_cmd::path(&cli.global, &paths))
        }
        Some(Command::Sim(args)) => {
            crate::sim::args::run(&args).map_err(|e| CliError::new(ExitCode::Usage, e))
        }
        Some(Command::Demo(d)) => {
            let demo = crate::tui::term::demo::DemoOptions {
                servers: d.servers,
                speed: d.speed,
                state: d.state,
            };
            crate::tui::term::demo::run(&launch_options(&cli.global), &demo, &paths)
                .map_err(launch_error)
                .and_then(ended)
        }
        Some(Command::Completions { shell }) => out::raw(
            &complete::registration(shell).map_err(|e| CliError::new(ExitCode::Failed, e))?,
        ),
        Some(Command::Man { command, dir }) => match dir {
            Some(dir) => out::text(&man::write_all(&dir)?),
            None => out::raw(&man::page(&command)?),
        },
        Some(Command::Doctor) => doctor::run(&cli.global, &paths),
        Some(Command::Servers(c)) if change_cmds::is_change(&c) => {
            change_cmds::servers(&cli.global, &paths, &c)
        }
        Some(Command::Images(c)) if image_cmds::is_change(&c) => {
            image_cmds::images(&cli.global, &paths, &c)
        }
        Some(Command::Disks(c)) if disk_cmds::is_own(&c) => {
            disk_cmds::disks(&cli.global, &paths, &c)
        }
        Some(Command::Snapshots(c)) if snapshot_cmds::is_own(&cli.global, &c) => {
            snapshot_cmds::snapshots(&cli.global, &paths, &c)
        }
        Some(Command::Jobs(c)) => jobs_cmd::jobs(&cli.global, &paths, &c),
        Some(cmd) => read_command(&cli.global, &paths, &cmd),
        None => crate::tui::term::launch::open(&launch_options(&cli.global), &paths)
            .map_err(launch_error)
            .and_then(ended),
    }
}

/// The read-only gateway commands: one runtime, the cloud session, output to stdout. The lists
/// of servers, images, snapshots and disks take `--region all`.
fn read_command(global: &GlobalArgs, paths: &Paths, cmd: &Command) -> Result<(), CliError> {
    let format = format::Format::of(global)?;
    let conn = session::connection(global, paths)?;
    let cloud = session::cloud(&conn, global)?;
    let rt = session::runtime()?;
    if session::every_region(global) {
        let Some(list) = list_cmd::List::of(cmd) else {
            return session::one_region(global, "this command");
        };
        return rt.block_on(every_region::list(&cloud, list, &format));
    }
    let gw = cloud.home()?;
    let service = match cmd {
        Command::Regions(_) => Service::Iam,
        Command::Networks(_) => Service::Vpc,
        Command::Images(_) => Service::Ims,
        Command::Snapshots(_) | Command::Disks(_) => Service::Evs,
        _ => Service::Ecs,
    };
    let what = waiting::what(&gw, service);
    let f = &format;
    rt.block_on(waiting::announce(&what, async {
        match cmd {
            Command::Regions(_) => read_cmds::regions(&gw, f).await,
            Command::Azs(_) => read_cmds::azs(&gw, f).await,
            Command::Flavors(c) => read_cmds::flavors(&gw, c, f).await,
            Command::Networks(_) => read_cmds::networks(&gw, f).await,
            Command::Quotas(_) => read_cmds::quotas(&gw, f).await,
            Command::Servers(c) => read_cmds::servers(&gw, c, f).await,
            Command::Images(c) => read_cmds::images(&gw, c, f).await,
            Command::Snapshots(c) => read_cmds::snapshots(&gw, c, f).await,
            Command::Disks(c) => read_cmds::disks(&gw, c, f).await,
            Command::Hosts(c) => read_cmds::hosts(&gw, c, f).await,
            // Dispatched in `run` before this function is called.
            Command::Config(_)
            | Command::Completions { .. }
            | Command::Man { .. }
            | Command::Doctor
            | Command::Sim(_)
            | Command::Demo(_)
            | Command::Jobs(_) => Ok(()),
        }
    }))
}

/// The global flags that shape the console.
pub(super) fn launch_options(global: &GlobalArgs) -> crate::tui::term::launch::LaunchOptions {
    crate::tui::term::launch::LaunchOptions {
        config: global.config.clone(),
        profile: global.profile.clone(),
        overrides: config_cmd::overrides(global),
        theme: global.theme.clone(),
        ascii: global.ascii,
        no_color: global.no_color,
        trace_http: global.trace_http.clone(),
        all_regions: session::every_region(global),
    }
}

/// A console that a signal ended exits with 128 + its number, quietly.
fn ended(signal: Option<i32>) -> Result<(), CliError> {
    match signal {
        Some(n) => Err(CliError::new(ExitCode::after_signal(n), "")),
        None => Ok(()),
    }
}

pub(super) fn launch_error(e: crate::tui::term::launch::LaunchError) -> CliError {
    use crate::tui::term::launch::LaunchError;
    let code = match &e {
        LaunchError::Usage(_) => ExitCode::Usage,
        LaunchError::Connect(_) => ExitCode::Api,
        LaunchError::Terminal(_) => ExitCode::Failed,
    };
    CliError::new(code, e.to_string())
}
