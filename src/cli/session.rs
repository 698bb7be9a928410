//! Opens the gateway for a CLI command: the profile in use, its secrets, a tokio runtime, and
//! the mapping of gateway errors to exit codes (DESIGN §2).

use crate::config::{Config, Connection, Env, Paths};
use crate::gateway::{ErrorKind, Gateway, GatewayError, GatewayOptions};

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
                     set HVECS_ENDPOINT, HVECS_REGION and HVECS_AK/HVECS_SK (or write a config file)",
                    paths.config_file.display()
                ),
            )
        })?;
    Ok(profile.connect()?)
}

/// A gateway client for the connection; its warnings (insecure TLS) go to stderr.
pub fn gateway(conn: &Connection, global: &GlobalArgs) -> Result<Gateway, CliError> {
    let gw = Gateway::new(
        conn,
        GatewayOptions {
            trace_http: global.trace_http.clone(),
            ..Default::default()
        },
    )?;
    for w in gw.warnings() {
        super::out::note(&format!("hvecs: {w}"));
    }
    Ok(gw)
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
        ErrorKind::Setup(_) => ExitCode::Usage,
        _ => ExitCode::Api,
    }
}

impl From<GatewayError> for CliError {
    fn from(e: GatewayError) -> Self {
        CliError::new(exit_code(&e), e.to_string())
    }
}
