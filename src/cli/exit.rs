//! Exit codes (DESIGN §2) and the error that carries one to `main`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitCode {
    Done = 0,
    /// The operation failed (the job failed).
    Failed = 1,
    /// Usage or configuration error.
    Usage = 2,
    /// API, auth or network error: nothing was changed.
    Api = 3,
    /// Refused: not confirmed, read-only, a precondition.
    Refused = 4,
    /// A change was sent but its outcome is unknown: look before retrying.
    Unknown = 5,
    /// Whoever read stdout closed it (`| head`): stop quietly, as a SIGPIPE would (128 + 13).
    ClosedPipe = 141,
}

/// An error for a person, with the exit code it ends the process with.
#[derive(Debug)]
pub struct CliError {
    pub code: ExitCode,
    pub message: String,
}

impl CliError {
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
        }
    }

    /// Stdout was closed by its reader: nothing more to say, to anyone.
    pub fn closed_pipe() -> Self {
        CliError::new(ExitCode::ClosedPipe, "")
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> Self {
        CliError::new(ExitCode::Usage, e.to_string())
    }
}
