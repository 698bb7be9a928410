//! Configuration errors: each names the file, line, column and key, and says what would be right.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A problem at a place in a file: `FILE:LINE:COL: key PATH: message`.
    #[error("{file}:{line}:{col}: key {key}: {message}")]
    At {
        file: PathBuf,
        line: usize,
        col: usize,
        key: String,
        message: String,
    },
    /// A problem with a whole file (missing, unreadable, too open).
    #[error("{file}: {message}")]
    File { file: PathBuf, message: String },
    /// A problem with no file behind it (the environment, a flag).
    #[error("{0}")]
    Other(String),
}

impl ConfigError {
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ConfigError::File {
            file: file.into(),
            message: message.into(),
        }
    }
}
