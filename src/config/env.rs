//! The `HVECS_*` environment: overrides for a profile, or an implicit profile by itself.

use std::collections::BTreeMap;

/// The variables hvecs reads, in one list so that help and `config check` can name them.
pub const VARIABLES: &[&str] = &[
    "HVECS_PROFILE",
    "HVECS_ENDPOINT",
    "HVECS_IAM_URL",
    "HVECS_ECS_URL",
    "HVECS_IMS_URL",
    "HVECS_EVS_URL",
    "HVECS_VPC_URL",
    "HVECS_REGION",
    "HVECS_AK",
    "HVECS_SK",
    "HVECS_PROJECT_ID",
    "HVECS_USERNAME",
    "HVECS_PASSWORD",
    "HVECS_DOMAIN",
];

/// A snapshot of the `HVECS_*` variables (so that loading is a plain function of its inputs).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        let vars = VARIABLES
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| ((*k).to_owned(), v)))
            .collect();
        Env { vars }
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// A variable's value, if set and not blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether the environment names a gateway (and so can form a profile by itself).
    pub fn names_endpoint(&self) -> bool {
        self.has("HVECS_ENDPOINT") || self.has("HVECS_ECS_URL")
    }
}
