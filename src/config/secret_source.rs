//! Where a secret or a value comes from: inline, an environment variable, or a command's output.

use std::process::{Command, Stdio};

use super::error::ConfigError;
use super::secret::Secret;

/// Where the error about a source points: `FILE:LINE:COL: key PATH` or `environment variable X`.
pub type Origin = String;

#[derive(Debug, Clone)]
pub enum SecretSource {
    Inline(Secret, Origin),
    Env(String, Origin),
    Command(String, Origin),
}

#[derive(Debug, Clone)]
pub enum ValueSource {
    Inline(String),
    Env(String, Origin),
}

impl ValueSource {
    pub fn read(&self) -> Result<String, ConfigError> {
        match self {
            ValueSource::Inline(v) => Ok(v.clone()),
            ValueSource::Env(var, origin) => read_env(var, origin),
        }
    }

    /// What `config check` shows: the value, or where it comes from.
    pub fn describe(&self) -> String {
        match self {
            ValueSource::Inline(v) => v.clone(),
            ValueSource::Env(var, _) => format!("${var}"),
        }
    }
}

impl SecretSource {
    /// Reads the secret; for `Command`, runs it (with `sh -c`) and takes its stdout, trimmed.
    pub fn read(&self) -> Result<Secret, ConfigError> {
        match self {
            SecretSource::Inline(s, _) => Ok(s.clone()),
            SecretSource::Env(var, origin) => read_env(var, origin).map(Secret::from),
            SecretSource::Command(cmd, origin) => run_command(cmd, origin),
        }
    }

    /// What `config check` shows: never the secret.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Inline(..) => "*** (inline)".to_owned(),
            SecretSource::Env(var, _) => format!("*** (from ${var})"),
            SecretSource::Command(cmd, _) => format!("*** (from command `{cmd}`)"),
        }
    }
}

fn read_env(var: &str, origin: &str) -> Result<String, ConfigError> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        Ok(_) => Err(ConfigError::Other(format!(
            "{origin}: environment variable {var} is empty; export it with the value"
        ))),
        Err(_) => Err(ConfigError::Other(format!(
            "{origin}: environment variable {var} is not set; export it, or name another variable"
        ))),
    }
}

fn run_command(cmd: &str, origin: &str) -> Result<Secret, ConfigError> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| ConfigError::Other(format!("{origin}: could not run `{cmd}`: {e}")))?;
    if !out.status.success() {
        // The command's stderr is shown (it says why `pass` or `vault` failed); its stdout is not,
        // since it may hold part of a secret.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        let status = out
            .status
            .code()
            .map(|c| format!("exit code {c}"))
            .unwrap_or_else(|| "a signal".to_owned());
        let why = if first.is_empty() {
            String::new()
        } else {
            format!(": {first}")
        };
        return Err(ConfigError::Other(format!(
            "{origin}: command `{cmd}` failed with {status}{why}; check that it prints the secret and exits 0"
        )));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| {
        ConfigError::Other(format!(
            "{origin}: command `{cmd}` printed something that is not UTF-8"
        ))
    })?;
    let secret = text.trim_end_matches(['\n', '\r']).to_owned();
    if secret.trim().is_empty() {
        return Err(ConfigError::Other(format!(
            "{origin}: command `{cmd}` printed nothing; it must print the secret on stdout"
        )));
    }
    Ok(Secret::new(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_output_is_the_secret() {
        let s = SecretSource::Command("printf 'ab'; echo c$((40+2))".into(), "here".into());
        assert_eq!(s.read().unwrap().expose(), "abc42");
        assert!(!s.describe().contains("abc42"));
    }

    #[test]
    fn failing_command_says_why_without_the_secret() {
        let s = SecretSource::Command(
            "echo leaked$((40+2)); echo no such entry >&2; exit 3".into(),
            "f:1:1: key sk_command".into(),
        );
        let e = s.read().unwrap_err().to_string();
        assert!(e.contains("exit code 3"), "{e}");
        assert!(e.contains("no such entry"), "{e}");
        assert!(e.contains("f:1:1: key sk_command"), "{e}");
        assert!(!e.contains("leaked42"), "{e}");
    }

    #[test]
    fn empty_output_is_an_error() {
        let s = SecretSource::Command("true".into(), "o".into());
        assert!(
            s.read()
                .unwrap_err()
                .to_string()
                .contains("printed nothing")
        );
    }
}
