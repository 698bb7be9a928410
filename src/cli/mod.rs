//! The non-interactive commands: dispatch from the parsed command line, output, exit codes.

pub mod args;
mod change_cmds;
mod config_cmd;
mod doctor;
pub mod exit;
mod follow;
mod jobs_cmd;
mod read_cmds;
pub mod session;
pub mod table;
pub mod target;

use clap::{CommandFactory, FromArgMatches};

pub use args::{Cli, Command, ConfigCommand, GlobalArgs, Output};
pub use exit::{CliError, ExitCode};

use crate::config::Paths;

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // Only the subcommand's name is logged: its arguments may hold secrets (`sim --sk`).
    let name = matches.subcommand_name().unwrap_or("console").to_owned();
    match run(cli, &name) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("hvecs: {}", e.message);
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
            print!("{}", config_cmd::check(&cli.global, resolve, &paths)?);
            Ok(())
        }
        Some(Command::Config(ConfigCommand::Path)) => {
            print!("{}", config_cmd::path(&cli.global, &paths));
            Ok(())
        }
        Some(Command::Sim(args)) => {
            crate::sim::args::run(&args).map_err(|e| CliError::new(ExitCode::Usage, e))
        }
        Some(Command::Demo(d)) => {
            let demo = crate::tui::demo::DemoOptions {
                servers: d.servers,
                speed: d.speed,
                state: d.state,
            };
            crate::tui::demo::run(&launch_options(&cli.global), &demo, &paths).map_err(launch_error)
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "hvecs", &mut std::io::stdout());
            Ok(())
        }
        Some(Command::Doctor) => doctor::run(&cli.global, &paths),
        Some(Command::Servers(c)) if change_cmds::is_change(&c) => {
            change_cmds::servers(&cli.global, &paths, &c)
        }
        Some(Command::Jobs(c)) => jobs_cmd::jobs(&cli.global, &paths, &c),
        Some(cmd) => read_command(&cli.global, &paths, &cmd),
        None => {
            crate::tui::launch::open(&launch_options(&cli.global), &paths).map_err(launch_error)
        }
    }
}

/// The read-only gateway commands: one runtime, one client, output to stdout.
fn read_command(global: &GlobalArgs, paths: &Paths, cmd: &Command) -> Result<(), CliError> {
    let conn = session::connection(global, paths)?;
    let gw = session::gateway(&conn, global)?;
    let out = global.output;
    let rt = session::runtime()?;
    let text = rt.block_on(async {
        match cmd {
            Command::Regions(_) => read_cmds::regions(&gw, out).await,
            Command::Azs(_) => read_cmds::azs(&gw, out).await,
            Command::Flavors(c) => read_cmds::flavors(&gw, c, out).await,
            Command::Networks(_) => read_cmds::networks(&gw, out).await,
            Command::Quotas(_) => read_cmds::quotas(&gw, out).await,
            Command::Servers(c) => read_cmds::servers(&gw, c, out).await,
            Command::Images(c) => read_cmds::images(&gw, c, out).await,
            Command::Snapshots(c) => read_cmds::snapshots(&gw, c, out).await,
            Command::Disks(c) => read_cmds::disks(&gw, c, out).await,
            // Dispatched in `run` before this function is called.
            Command::Config(_)
            | Command::Completions { .. }
            | Command::Doctor
            | Command::Sim(_)
            | Command::Demo(_)
            | Command::Jobs(_) => Ok(String::new()),
        }
    })?;
    print!("{text}");
    Ok(())
}

/// The global flags that shape the console.
fn launch_options(global: &GlobalArgs) -> crate::tui::launch::LaunchOptions {
    crate::tui::launch::LaunchOptions {
        config: global.config.clone(),
        profile: global.profile.clone(),
        overrides: config_cmd::overrides(global),
        theme: global.theme.clone(),
        ascii: global.ascii,
        no_color: global.no_color,
        trace_http: global.trace_http.clone(),
    }
}

fn launch_error(e: crate::tui::launch::LaunchError) -> CliError {
    use crate::tui::launch::LaunchError;
    let code = match &e {
        LaunchError::Usage(_) => ExitCode::Usage,
        LaunchError::Connect(_) => ExitCode::Api,
        LaunchError::Terminal(_) => ExitCode::Failed,
    };
    CliError::new(code, e.to_string())
}
