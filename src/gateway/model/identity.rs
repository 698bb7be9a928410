//! IAM objects: regions, projects, and the token a password login returns.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient::{self, Timestamp};

/// A region (`/v3/regions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Region {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_region_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_map")]
    pub locales: BTreeMap<String, String>,
}

impl Region {
    /// The English name when given (`CN North-Beijing1`), else the id.
    pub fn display_name(&self) -> &str {
        self.locales
            .get("en-us")
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.id)
    }
}

/// A project (`/v3/auth/projects`, `/v3/projects`). Its name is a region id or a sub-project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Project {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub domain_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    #[serde(deserialize_with = "enabled")]
    pub enabled: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_id: Option<String>,
}

fn enabled<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    // Absent or null means enabled: IAM omits it for ordinary projects in some releases.
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::String(s) => !s.eq_ignore_ascii_case("false"),
        _ => true,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NamedRef {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
}

/// The body of `POST /v3/auth/tokens` (`token`); the token itself is the `X-Subject-Token` header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TokenInfo {
    pub expires_at: Timestamp,
    pub issued_at: Timestamp,
    #[serde(deserialize_with = "lenient::or_default")]
    pub project: Option<NamedRef>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub user: NamedRef,
    #[serde(deserialize_with = "lenient::list")]
    pub roles: Vec<NamedRef>,
}
