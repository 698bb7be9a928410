//! What the console last saw of servers (`Known`), and whether a server is in a state an op
//! needs, with the reason a person reads when it is not.

use std::collections::HashMap;

use super::op::ServerRef;

/// What the console last saw of a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownServer {
    pub id: String,
    pub name: String,
    /// ECS `status` (ACTIVE, SHUTOFF, BUILD…).
    pub status: String,
    /// `OS-EXT-STS:task_state`: set while something runs on it (powering-off, deleting…).
    pub task_state: Option<String>,
    pub flavor_id: Option<String>,
}

/// The last known state of servers, by id.
pub type Known = HashMap<String, KnownServer>;

/// `None` when the server is in one of `allowed` and idle; else why not, e.g.
/// "web-02 is SHUTOFF: nothing to stop".
pub fn state_reason(
    s: &ServerRef,
    known: &Known,
    allowed: &[&str],
    verb: &str,
    hint: Option<&str>,
) -> Option<String> {
    let Some(k) = known.get(&s.id) else {
        return Some(format!(
            "{}: its state is not known (no server {} in the last list); refresh and try again",
            s.name, s.id
        ));
    };
    if let Some(busy) = k.task_state.as_deref().filter(|t| !t.is_empty()) {
        return Some(format!(
            "{} is busy ({busy}): wait until it is done, then try again",
            k.name
        ));
    }
    if allowed.contains(&k.status.as_str()) {
        return None;
    }
    let hint = match hint {
        _ if k.status == "ERROR" => IN_ERROR.to_owned(),
        Some(h) if is_stable(&k.status) => h.to_owned(),
        _ => format!("can {verb} only when {}", allowed.join(" or ")),
    };
    Some(format!("{} is {}: {hint}", k.name, k.status))
}

/// What a server in ERROR still takes (the platform's rule: `precondition::power_reason` and
/// the delete's states follow it).
pub const IN_ERROR: &str = "a server in ERROR takes only a hard stop, a hard reboot or a delete";

fn is_stable(status: &str) -> bool {
    matches!(status, "ACTIVE" | "SHUTOFF")
}
