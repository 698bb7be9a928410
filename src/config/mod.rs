//! Configuration: the TOML file, `HVECS_*` variables and flags, made into one validated profile.
//! Also the paths hvecs uses, secrets and themes. Nothing here touches the network or the terminal.

mod auth;
mod draft;
mod env;
mod error;
mod locate;
mod paths;
mod profile;
mod schema;
mod secret;
mod secret_source;
pub mod theme;
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use draft::Overrides;
pub use env::{Env, VARIABLES as ENV_VARIABLES};
pub use error::ConfigError;
pub use locate::Source;
pub use paths::Paths;
pub use profile::{
    Auth, Connection, Credentials, Profile, Service, ServiceUrls, Transport, UrlTemplate,
};
pub use secret::Secret;
pub use secret_source::{SecretSource, ValueSource};

use draft::Draft;
use schema::RawConfig;

/// The `[ui]` table, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiSettings {
    pub theme: String,
    /// 0 turns automatic refresh off.
    pub refresh_seconds: u64,
    pub ascii: bool,
    pub mouse: bool,
    /// `[ui] open_command`: the program (and its first arguments) a remote login URL is handed
    /// to, as its last argument; none by default (a jump host has no browser).
    pub open_command: Vec<String>,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            theme: "default".to_owned(),
            refresh_seconds: 15,
            ascii: false,
            mouse: false,
            open_command: Vec::new(),
        }
    }
}

/// The config file, loaded and checked (its profiles not yet merged with the environment).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file's text and path; `None` when there is no config file.
    pub source: Option<Source>,
    pub default_profile: Option<String>,
    pub ui: UiSettings,
    /// `[keys]`: action name → keys, checked by the keymap, which can point into `source`.
    pub keys: BTreeMap<String, Vec<String>>,
    drafts: BTreeMap<String, Draft>,
}

/// The name the environment-only profile goes by.
pub const IMPLICIT_PROFILE: &str = "env";

impl Config {
    /// Loads `explicit` (which must exist) or the default file (which may be missing).
    pub fn load(explicit: Option<&Path>, paths: &Paths) -> Result<Config, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) if p.as_os_str().is_empty() => {
                return Err(ConfigError::file(
                    p,
                    "--config was given an empty path; name a file, or leave --config out for the default (`hvecs config path`)",
                ));
            }
            Some(p) => (p.to_path_buf(), true),
            None => (paths.config_file.clone(), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::default());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::file(
                    &path,
                    "no such file; check the path given to --config (`hvecs config path` shows the default)",
                ));
            }
            Err(e) => return Err(ConfigError::file(&path, format!("cannot read: {e}"))),
        };
        Config::parse(Source::new(path, text), Some(&paths.themes_dir))
    }

    /// Parses and checks a config file's text.
    pub fn parse(source: Source, themes_dir: Option<&Path>) -> Result<Config, ConfigError> {
        let raw: RawConfig = locate::parse(&source)?;
        check_permissions(&source, &raw)?;
        let mut ui = UiSettings::default();
        if let Some(t) = &raw.ui.theme {
            if !theme::names(themes_dir).iter().any(|n| n == t) {
                return Err(source.error_at(
                    &["ui", "theme"],
                    format!(
                        "no theme named {t:?}; the themes are: {}",
                        theme::names(themes_dir).join(", ")
                    ),
                ));
            }
            ui.theme = t.clone();
        }
        if let Some(r) = raw.ui.refresh_seconds {
            if r > 3600 {
                return Err(source.error_at(
                    &["ui", "refresh_seconds"],
                    format!(
                        "{r} is out of range; use 1 to 3600 seconds, or 0 to refresh only on Ctrl-r"
                    ),
                ));
            }
            ui.refresh_seconds = r;
        }
        ui.ascii = raw.ui.ascii.unwrap_or(false);
        ui.mouse = raw.ui.mouse.unwrap_or(false);
        if let Some(cmd) = &raw.ui.open_command {
            if cmd.first().is_none_or(|p| p.trim().is_empty()) {
                return Err(source.error_at(
                    &["ui", "open_command"],
                    "give the program first, e.g. [\"xdg-open\"]; leave it out to open nothing"
                        .to_owned(),
                ));
            }
            ui.open_command = cmd.clone();
        }
        let mut drafts = BTreeMap::new();
        for (name, p) in &raw.profiles {
            if name.trim().is_empty() {
                return Err(
                    source.error_at(&["profiles"], "a profile has an empty name".to_owned())
                );
            }
            drafts.insert(name.clone(), Draft::from_file(name, p, &source)?);
        }
        if let Some(d) = &raw.default_profile
            && !drafts.contains_key(d)
        {
            return Err(source.error_at(&["default_profile"], missing_profile(d, drafts.keys())));
        }
        Ok(Config {
            source: Some(source),
            default_profile: raw.default_profile,
            ui,
            keys: raw.keys,
            drafts,
        })
    }

    pub fn profile_names(&self) -> Vec<String> {
        self.drafts.keys().cloned().collect()
    }

    /// The profile to use: `--profile`, else `HVECS_PROFILE`, else `default_profile`, else the only
    /// one; with no profiles at all, the environment alone (`HVECS_ENDPOINT` and credentials).
    /// `Ok(None)` means there is nothing to connect to: the caller shows how to make a config.
    pub fn select(
        &self,
        wanted: Option<&str>,
        env: &Env,
        flags: &Overrides,
    ) -> Result<Option<Profile>, ConfigError> {
        let wanted = wanted
            .map(str::to_owned)
            .or_else(|| env.get("HVECS_PROFILE").map(str::to_owned));
        let mut draft = match (&wanted, &self.default_profile) {
            (Some(name), _) => self.drafts.get(name).cloned().ok_or_else(|| {
                let msg = missing_profile(name, self.drafts.keys());
                match &self.source {
                    Some(src) => ConfigError::file(src.path(), msg),
                    None => ConfigError::Other(format!(
                        "{msg} (there is no config file: `hvecs config path` says where it goes)"
                    )),
                }
            })?,
            (None, Some(name)) => self
                .drafts
                .get(name)
                .cloned()
                .ok_or_else(|| ConfigError::Other(missing_profile(name, self.drafts.keys())))?,
            (None, None) if self.drafts.len() == 1 => self
                .drafts
                .values()
                .next()
                .cloned()
                .ok_or_else(|| ConfigError::Other("no profile".into()))?,
            (None, None) if self.drafts.is_empty() => {
                if !env.names_endpoint() && flags.endpoint.is_none() {
                    return Ok(None);
                }
                Draft::empty(IMPLICIT_PROFILE)
            }
            (None, None) => {
                let names: Vec<_> = self.drafts.keys().cloned().collect();
                let msg = format!(
                    "there are {} profiles ({}) and no default_profile: pick one with --profile NAME or set default_profile",
                    names.len(),
                    names.join(", ")
                );
                return Err(match &self.source {
                    Some(src) => ConfigError::file(src.path(), msg),
                    None => ConfigError::Other(msg),
                });
            }
        };
        draft.apply_env(env)?;
        draft.apply_flags(flags)?;
        draft.finish().map(Some)
    }
}

fn missing_profile<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> String {
    let known: Vec<&str> = known.map(String::as_str).collect();
    if known.is_empty() {
        format!("no profile named {name:?}: the file defines no profiles; add [profiles.{name}]")
    } else {
        format!(
            "no profile named {name:?}; the profiles are: {}",
            known.join(", ")
        )
    }
}

/// A file that holds an inline secret must be readable by its owner only (as ssh does for keys).
fn check_permissions(source: &Source, raw: &RawConfig) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Some((name, auth)) = raw.profiles.iter().find_map(|(n, p)| {
            p.auth
                .as_ref()
                .filter(|a| a.has_inline_secret())
                .map(|a| (n, a))
        }) else {
            return Ok(());
        };
        let Ok(meta) = std::fs::metadata(source.path()) else {
            return Ok(());
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            let key = if auth.sk.is_some() { "sk" } else { "password" };
            return Err(source.error_at(
                &["profiles", name, "auth", key],
                format!(
                    "the file holds a secret inline and is readable by others (mode {mode:03o}): run `chmod 600 {}`, or use `{key}_env` / `{key}_command` instead",
                    source.path().display()
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (source, raw);
    Ok(())
}

/// Where the config file is looked for: `--config`, else the default path.
pub fn config_file(explicit: Option<&Path>, paths: &Paths) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| paths.config_file.clone())
}
