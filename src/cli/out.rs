//! Everything the CLI writes: stdout through one writer that turns a closed pipe into a quiet
//! exit (141, as if SIGPIPE had ended it), stderr at best effort; text made safe for a terminal.

use std::io::{self, Write};

use super::exit::{CliError, ExitCode};
use crate::terminal_text;

/// Writes `text` to stdout as it is (callers made its network parts safe, e.g. `Table`).
pub fn raw(text: &str) -> Result<(), CliError> {
    write_stdout(text.as_bytes())
}

/// Writes text for a person to stdout, every control character shown as a placeholder.
pub fn text(text: &str) -> Result<(), CliError> {
    raw(&terminal_text::text(text))
}

/// Writes JSON text to stdout, the values exact and nothing a terminal would act on.
pub fn json(json: &str) -> Result<(), CliError> {
    raw(&terminal_text::json(json))
}

/// Writes `value` as pretty JSON and a line break.
pub fn json_value(value: &impl serde::Serialize) -> Result<(), CliError> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::new(ExitCode::Failed, format!("cannot write JSON: {e}")))?;
    json(&format!("{s}\n"))
}

/// Writes one line for a person to stderr; a stderr that cannot be written to is left alone.
pub fn note(line: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{}", terminal_text::text(line));
}

/// Asks a question on stderr (no line break), before reading the answer.
pub fn prompt(question: &str) {
    let mut err = io::stderr().lock();
    let _ = write!(err, "{}", terminal_text::text(question)).and_then(|_| err.flush());
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => CliError::closed_pipe(),
            _ => CliError::new(ExitCode::Failed, format!("cannot write to stdout: {e}")),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_the_quiet_exit() {
        let e = CliError::closed_pipe();
        assert_eq!(e.code, ExitCode::ClosedPipe);
        assert_eq!(e.code as i32, 141);
        assert!(e.message.is_empty());
    }
}
