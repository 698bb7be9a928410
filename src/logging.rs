//! Logging with `tracing` to `hvecs.log` in the state folder, never to the terminal.
//! The level comes from `HVECS_LOG` (e.g. `info`, `hvecs=debug`); the default is `info`.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::config::Paths;

/// Starts logging; keep the guard alive until exit so that buffered lines are written.
/// Logging is best effort: a state folder that cannot be made leaves logging off, not the program.
pub fn init(paths: &Paths) -> Option<WorkerGuard> {
    let dir = paths.log_file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&paths.log_file)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("HVECS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let ok = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    ok.then_some(guard)
}
