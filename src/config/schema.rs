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
    pub read_only: Option<bool>,
    pub ca_file: Option<String>,
    pub tls_server_name: Option<String>,
    pub insecure_skip_tls_verify: Option<bool>,
    pub timeout_seconds: Option<u64>,
    pub connect_timeout_seconds: Option<u64>,
    pub max_parallel_tasks: Option<usize>,
    pub accent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", deny_unknown_fields)]
pub enum RawAuth {
    #[serde(rename = "aksk")]
    AkSk {
        ak: Option<String>,
        ak_env: Option<String>,
        sk: Option<String>,
        sk_env: Option<String>,
        sk_command: Option<String>,
        project_id: Option<String>,
    },
    #[serde(rename = "password")]
    Password {
        user: Option<String>,
        user_env: Option<String>,
        domain: Option<String>,
        password: Option<String>,
        password_env: Option<String>,
        password_command: Option<String>,
        project: Option<String>,
    },
}

impl RawAuth {
    /// Whether the file itself holds a secret (and so must not be readable by others).
    pub fn has_inline_secret(&self) -> bool {
        match self {
            RawAuth::AkSk { sk, .. } => sk.is_some(),
            RawAuth::Password { password, .. } => password.is_some(),
        }
    }
}
