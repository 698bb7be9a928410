//! Opens the cloud session for a CLI command: the profile in use, its secrets, a tokio runtime,
//! and the mapping of gateway errors to exit codes (DESIGN §2).

use crate::config::{Config, Connection, Env, Paths};
use crate::gateway::{ALL_REGIONS, CloudSession, ErrorKind, GatewayError, GatewayOptions};

use super::args::GlobalArgs;
use super::config_cmd::overrides;
use super::exit::{CliError, ExitCode};

/// The connection of the profile in use (secrets read), or a usage error that says what to set.
pub fn connection(global: &GlobalArgs, paths: &Paths) -> Result<Connection, CliError> {
    let config = Config::load(global.config.as_deref(), paths)?;
    let profile = config
        .select(global.profile.as_deref(), &Env::from_process(), &overrides(global))?
        .ok_or_else(|| {
            CliError::new(
                ExitCode::Usage,
                format!(
                    "no profile: there is no config file at {} and HVECS_ENDPOINT is not set; \
                     set HVECS_ENDPOINT, HVECS_REGION and HVECS_AK/HVECS_SK (or run `hvecs config init` to write a config file)",
                    paths.config_file.display()
                ),
            )
        })?;
    Ok(profile.connect()?)
}

/// The cloud session on the connection; its warnings (insecure TLS) go to stderr.
pub fn cloud(conn: &Connection, global: &GlobalArgs) -> Result<CloudSession, CliError> {
    cloud_with(conn, global, GatewayOptions::default())
}

/// The same with options of the caller's (`--trace-http` is always the flag's).
pub fn cloud_with(
    conn: &Connection,
    global: &GlobalArgs,
    opts: GatewayOptions,
) -> Result<CloudSession, CliError> {
    let session = CloudSession::new(
        conn.clone(),
        GatewayOptions {
            trace_http: global.trace_http.clone(),
            ..opts
        },
    )?;
    for w in session.warnings() {
        super::out::note(&format!("hvecs: {w}"));
    }
    Ok(session)
}

/// Whether the command was given `--region all` (every region, for the lists).
pub fn every_region(global: &GlobalArgs) -> bool {
    global.region.as_deref() == Some(ALL_REGIONS)
}

/// Refuses `--region all` for a command that acts in one region.
pub fn one_region(global: &GlobalArgs, what: &str) -> Result<(), CliError> {
    if every_region(global) {
        return Err(CliError::new(
            ExitCode::Usage,
            format!(
                "--region all: {what} acts in one region; name it (--region REGION), or leave --region out for the profile's"
            ),
        ));
    }
    Ok(())
}

pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::new(
                ExitCode::Failed,
                format!("cannot start the async runtime: {e}"),
            )
        })
}

/// The exit code a gateway error ends the process with.
pub fn exit_code(e: &GatewayError) -> ExitCode {
    match e.kind {
        ErrorKind::OutcomeUnknown(_) => ExitCode::Unknown,
        ErrorKind::ReadOnly => ExitCode::Refused,
        ErrorKind::Setup(_) | ErrorKind::WrongProject { .. } => ExitCode::Usage,
        _ => ExitCode::Api,
    }
}

impl From<GatewayError> for CliError {
    fn from(e: GatewayError) -> Self {
        CliError::new(exit_code(&e), e.to_string())
    }
}
