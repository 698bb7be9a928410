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
    /// The console ended on SIGHUP (128 + 1).
    Hangup = 129,
    /// The console ended on SIGINT (128 + 2).
    Interrupted = 130,
    /// The console ended on SIGQUIT (128 + 3).
    Quit = 131,
    /// Whoever read stdout closed it (`| head`): stop quietly, as a SIGPIPE would (128 + 13).
    ClosedPipe = 141,
    /// The console ended on SIGTERM (128 + 15).
    Terminated = 143,
}

impl ExitCode {
    /// The code of a process that a signal ended: 128 + its number, for the signals the
    /// console ends on (SIGHUP, SIGINT, SIGQUIT, SIGTERM).
    pub fn after_signal(signal: i32) -> ExitCode {
        match signal {
            1 => ExitCode::Hangup,
            2 => ExitCode::Interrupted,
            3 => ExitCode::Quit,
            _ => ExitCode::Terminated,
        }
    }

    /// Codes that need no message: the person or the pipe ended it.
    pub fn is_quiet(self) -> bool {
        matches!(
            self,
            ExitCode::Hangup
                | ExitCode::Interrupted
                | ExitCode::Quit
                | ExitCode::ClosedPipe
                | ExitCode::Terminated
        )
    }
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
