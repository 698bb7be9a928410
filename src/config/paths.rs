//! Where hvecs keeps its files: config, user themes, state (journal, audit log) and the log.

use std::path::PathBuf;

use super::error::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The default config file (`$XDG_CONFIG_HOME/hvecs/config.toml`).
    pub config_file: PathBuf,
    /// User themes (`$XDG_CONFIG_HOME/hvecs/themes/`).
    pub themes_dir: PathBuf,
    /// State: one folder per profile with `journal.jsonl` and `audit.jsonl`
    /// (`$XDG_STATE_HOME/hvecs/`, or the data folder where the platform has no state folder).
    pub state_dir: PathBuf,
    /// The log file (`hvecs.log` in the state folder).
    pub log_file: PathBuf,
}

impl Paths {
    /// The platform's folders, from `directories` (which follows the XDG variables on Linux).
    pub fn from_platform() -> Result<Self, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "hvecs").ok_or_else(|| {
            ConfigError::Other(
                "cannot find a home folder for the config and state: set HOME (or XDG_CONFIG_HOME and XDG_STATE_HOME)"
                    .to_owned(),
            )
        })?;
        let config_dir = dirs.config_dir().to_path_buf();
        let state_dir = dirs
            .state_dir()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
        Ok(Paths {
            config_file: config_dir.join("config.toml"),
            themes_dir: config_dir.join("themes"),
            log_file: state_dir.join("hvecs.log"),
            state_dir,
        })
    }

    /// The state folder of one profile (journal, audit log).
    pub fn profile_state_dir(&self, profile: &str) -> PathBuf {
        self.state_dir.join(sanitize(profile))
    }
}

/// A profile name made safe as a folder name.
fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("_{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_folders_are_safe_names() {
        let p = Paths {
            config_file: "/c/config.toml".into(),
            themes_dir: "/c/themes".into(),
            state_dir: "/s".into(),
            log_file: "/s/hvecs.log".into(),
        };
        assert_eq!(p.profile_state_dir("lab"), PathBuf::from("/s/lab"));
        assert_eq!(p.profile_state_dir("../x"), PathBuf::from("/s/_.._x"));
    }
}
