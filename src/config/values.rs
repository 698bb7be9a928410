//! Checks of single values that both profile drafts and auth sections read: environment
//! variable names and project ids.

/// Whether `s` can name an environment variable (`HVECS_SK`, `sk_2`).
pub(super) fn is_env_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A project id (32 hex digits), lowercased; else why not.
pub(super) fn check_project_id(p: &str) -> Result<String, String> {
    let p = p.trim();
    if p.len() != 32 || !p.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "{p:?} is not a project id; project ids are 32 hex digits (see `hvecs regions list`)"
        ));
    }
    Ok(p.to_ascii_lowercase())
}
