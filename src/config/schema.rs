//! The config file as written: serde structs with the schema names of DESIGN §5, unknown keys refused.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub ui: RawUi,
    /// action name → keys; validated by the keymap (`tui::keymap`), which knows the actions.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub profiles: BTreeMap<String, RawProfile>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUi {
    pub theme: Option<String>,
    pub refresh_seconds: Option<u64>,
    pub ascii: Option<bool>,
    pub mouse: Option<bool>,
    pub open_command: Option<Vec<String>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub endpoint: Option<String>,
    pub iam_url: Option<String>,
    pub ecs_url: Option<String>,
    pub ims_url: Option<String>,
    pub evs_url: Option<String>,
    pub vpc_url: Option<String>,
    pub region: Option<String>,
    pub auth: Option<RawAuth>,
    /// `[profiles.NAME.projects]`: region → the project id pinned for it.
    pub projects: Option<BTreeMap<String, String>>,
    pub read_only: Option<bool>,
    pub ca_file: Option<String>,
    pub tls_server_name: Option<String>,
    pub insecure_skip_tls_verify: Option<bool>,
    pub timeout_seconds: Option<u64>,
    pub connect_timeout_seconds: Option<u64>,
    pub max_parallel_tasks: Option<usize>,
    pub accent: Option<String>,
}

/// `[profiles.NAME.auth]`. One flat table (so that every error keeps its line); which keys
/// belong to which `method` is checked when the profile is built.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub method: AuthMethod,
    pub ak: Option<String>,
    pub ak_env: Option<String>,
    pub sk: Option<String>,
    pub sk_env: Option<String>,
    pub sk_command: Option<String>,
    pub project_id: Option<String>,
    pub user: Option<String>,
    pub user_env: Option<String>,
    pub domain: Option<String>,
    pub password: Option<String>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AuthMethod {
    #[serde(rename = "aksk")]
    AkSk,
    #[serde(rename = "password")]
    Password,
}

impl RawAuth {
    /// Whether the file itself holds a secret (and so must not be readable by others).
    pub fn has_inline_secret(&self) -> bool {
        self.sk.is_some() || self.password.is_some()
    }

    /// The keys that are set but belong to the other method.
    pub fn foreign_keys(&self) -> Vec<&'static str> {
        let aksk = [
            ("ak", self.ak.is_some()),
            ("ak_env", self.ak_env.is_some()),
            ("sk", self.sk.is_some()),
            ("sk_env", self.sk_env.is_some()),
            ("sk_command", self.sk_command.is_some()),
            ("project_id", self.project_id.is_some()),
        ];
        let password = [
            ("user", self.user.is_some()),
            ("user_env", self.user_env.is_some()),
            ("domain", self.domain.is_some()),
            ("password", self.password.is_some()),
            ("password_env", self.password_env.is_some()),
            ("password_command", self.password_command.is_some()),
            ("project", self.project.is_some()),
        ];
        let other: &[(&'static str, bool)] = match self.method {
            AuthMethod::AkSk => &password,
            AuthMethod::Password => &aksk,
        };
        other
            .iter()
            .filter(|(_, set)| *set)
            .map(|(k, _)| *k)
            .collect()
    }
}
