//! The servers a `servers create` made, found by the names it gives them (`NAME`, or
//! `NAME-0001`… for several) among those not there before it was sent.

use std::time::Duration;

use crate::gateway::{Gateway, ServerFilter};
use crate::runner::{Task, TaskState};

use super::exit::CliError;

/// How long a create that was not followed to its end waits for its servers to be listed.
const LISTED_WITHIN: std::time::Duration = Duration::from_secs(15);

/// The servers a create made (id, name): those named as it names them that were not there
/// `before`. A create not followed to its end looks until its `count` servers are listed (the
/// cloud lists them once its job has begun), `LISTED_WITHIN` at most.
pub async fn made_by(
    gw: &Gateway,
    task: &Task,
    name: &str,
    count: usize,
    before: &[(String, String)],
) -> Result<Vec<(String, String)>, CliError> {
    let started = tokio::time::Instant::now();
    loop {
        let made: Vec<(String, String)> = named_like(gw, name)
            .await?
            .into_iter()
            .filter(|(id, _)| !before.iter().any(|(b, _)| b == id))
            .collect();
        let may_come = !task.state.is_final() || task.state == TaskState::Unfollowed;
        if made.len() >= count || !may_come || started.elapsed() >= LISTED_WITHIN {
            return Ok(made);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The servers named `name`, or `name-0001`… as a create of several names them: id and name.
pub async fn named_like(gw: &Gateway, name: &str) -> Result<Vec<(String, String)>, CliError> {
    let filter = ServerFilter {
        name: Some(name.to_owned()),
        ..ServerFilter::default()
    };
    let numbered = |n: &str| {
        n.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    };
    Ok(gw
        .list_servers(&filter)
        .await?
        .into_iter()
        .filter(|s| s.name == name || numbered(&s.name))
        .map(|s| (s.id, s.name))
        .collect())
}
