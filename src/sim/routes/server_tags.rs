//! ECS server tags: `ShowServerTags` (GET …/{server_id}/tags) and `BatchCreateServerTags` /
//! `BatchDeleteServerTags` (POST …/{server_id}/tags/action), synchronous, 204 without a body.
//! Checks from the documents: `action` in lower case, 1–10 tags a request, a key of 1–36 and a
//! value of 0–43 characters (letters, digits, `-`, `_`, CJK; `.` too in a value), at most 10
//! tags a server.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::input::{Ecs, JsonBody, Project};
use super::show::found;
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};

/// The most tags a server carries, and a request names.
pub const MAX_TAGS: usize = 10;
const KEY_MAX: usize = 36;
const VALUE_MAX: usize = 43;

#[derive(Deserialize)]
pub(super) struct ActionBody {
    action: String,
    tags: Vec<TagBody>,
}

#[derive(Deserialize)]
struct TagBody {
    key: String,
    #[serde(default)]
    value: Option<String>,
}

pub async fn show(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let s = found(&w, r, &id)?;
    let tags: Vec<Value> = s
        .tags
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    Ok(Json(json!({ "tags": tags })))
}

pub async fn action(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
    JsonBody(req, ..): JsonBody<ActionBody, Ecs>,
) -> ApiResult<Response> {
    let create = match req.action.as_str() {
        "create" => true,
        "delete" => false,
        other => {
            return Err(ApiError::ecs_bad(format!(
                "action {other:?} is not supported: create or delete (lower case)"
            )));
        }
    };
    if req.tags.is_empty() || req.tags.len() > MAX_TAGS {
        return Err(ApiError::ecs_bad(format!(
            "tags: 1 to {MAX_TAGS} tags a request, got {}",
            req.tags.len()
        )));
    }
    for t in &req.tags {
        check(&t.key, t.value.as_deref().unwrap_or(""))?;
    }
    let mut w = sim.world();
    found(&w, r, &id)?;
    let Some(s) = w.servers.get_mut(&id) else {
        return Err(ApiError::ecs_not_found("Instance", &id));
    };
    let mut tags = s.tags.clone();
    for t in req.tags {
        let value = t.value.unwrap_or_default();
        if create {
            // A key is unique on a server: creating it again sets its value.
            match tags.iter_mut().find(|(k, _)| *k == t.key) {
                Some(slot) => slot.1 = value,
                None => tags.push((t.key, value)),
            }
        } else {
            // A value given must match; none (or empty) deletes the key whatever its value.
            tags.retain(|(k, v)| !(*k == t.key && (value.is_empty() || *v == value)));
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(ApiError::ecs_bad(format!(
            "server {id} would carry {} tags: at most {MAX_TAGS}",
            tags.len()
        )));
    }
    s.tags = tags;
    s.updated = now_ms();
    w.touch();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A key and a value as the documents allow them.
fn check(key: &str, value: &str) -> ApiResult<()> {
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let key_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || cjk(c);
    let value_ok = |c: char| key_ok(c) || c == '.';
    let (klen, vlen) = (key.chars().count(), value.chars().count());
    if klen == 0 || klen > KEY_MAX || !key.chars().all(key_ok) {
        return Err(ApiError::ecs_bad(format!(
            "tag key {key:?}: 1 to {KEY_MAX} letters, digits, '-', '_' or CJK characters"
        )));
    }
    if vlen > VALUE_MAX || !value.chars().all(value_ok) {
        return Err(ApiError::ecs_bad(format!(
            "tag value {value:?} of key {key:?}: up to {VALUE_MAX} letters, digits, '.', '-', '_' or CJK characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_follow_the_documents() {
        assert!(check("env", "prod").is_ok());
        assert!(check("团队", "运维").is_ok());
        assert!(check("app_1-x", "v1.2").is_ok());
        assert!(check("k", "").is_ok());
        assert!(check("", "v").is_err());
        assert!(check("a.b", "v").is_err());
        assert!(check("k", "a b").is_err());
        assert!(check(&"k".repeat(37), "v").is_err());
        assert!(check("k", &"v".repeat(44)).is_err());
        assert!(check(&"k".repeat(36), &"v".repeat(43)).is_ok());
    }
}
