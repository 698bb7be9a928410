//! The non-interactive commands: dispatch from the parsed command line, output, exit codes.

pub mod args;
mod config_cmd;
pub mod exit;

use clap::{CommandFactory, Parser};

pub use args::{Cli, Command, ConfigCommand, GlobalArgs, Output};
pub use exit::{CliError, ExitCode};

use crate::config::Paths;

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("hvecs: {}", e.message);
            e.code as i32
        }
    }
}

/// The subcommand's name for the log (never its arguments, which may name secrets' sources).
fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Config(_) => "config",
        Command::Completions { .. } => "completions",
        Command::Sim(_) => "sim",
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let paths = Paths::from_platform()?;
    let _log = crate::logging::init(&paths);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), command = ?cli.command.as_ref().map(command_name), "hvecs starting");
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
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "hvecs", &mut std::io::stdout());
            Ok(())
        }
        None => {
            Cli::command().print_help().ok();
            Ok(())
        }
    }
}
