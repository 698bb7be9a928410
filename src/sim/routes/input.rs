//! What handlers read from a request: the caller's project (`Project`, the opening every
//! project-scoped handler shares), query parameters (repeated keys kept), JSON bodies with errors
//! that say what is wrong, and limits checked against their range.

use std::convert::Infallible;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::sim::app::Sim;
use crate::sim::error::{ApiError, ApiResult};

/// Set by the gateway for every authenticated request.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The project's region (from the path, `X-Project-Id` or the token).
    pub region: Option<usize>,
    pub request_id: String,
}

/// Which service answers, for the error codes of bad input.
#[derive(Clone, Copy)]
pub enum Svc {
    Ecs,
    Ims,
    Evs,
    Vpc,
}

impl Svc {
    pub fn bad(self, msg: impl Into<String>) -> ApiError {
        match self {
            Svc::Ecs => ApiError::ecs_bad(msg),
            Svc::Ims => ApiError::service(400, "IMG.0001", msg),
            Svc::Evs => ApiError::service(400, "EVS.0001", msg),
            Svc::Vpc => ApiError::service(400, "VPC.0002", msg),
        }
    }
}

impl Ctx {
    pub fn region(&self) -> ApiResult<usize> {
        self.region.ok_or_else(|| {
            ApiError::service(
                403,
                "Ecs.0001",
                "no project: send X-Project-Id or use a project-scoped token",
            )
        })
    }
}

/// The caller's project, as the gateway checked it (`gateway::authenticate`): an extractor for
/// every handler of a project's resources. Lock the world with `sim.world()` after the request's
/// own checks, so that a bad request never waits for the lock.
pub struct Project {
    pub sim: Arc<Sim>,
    /// The project's region.
    pub region: usize,
    pub request_id: String,
}

impl FromRequestParts<Arc<Sim>> for Project {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sim: &Arc<Sim>) -> ApiResult<Self> {
        let ctx = parts.extensions.get::<Ctx>().ok_or_else(|| {
            ApiError::service(
                500,
                "APIGW.0103",
                "the request did not pass the gateway's authentication",
            )
        })?;
        Ok(Project {
            sim: sim.clone(),
            region: ctx.region()?,
            request_id: ctx.request_id.clone(),
        })
    }
}

/// Query parameters in order, repeated keys kept.
pub struct Query(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Query::parse(parts.uri.query()))
    }
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        Query(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An integer parameter in `min..=max`, `default` when absent.
    pub fn int(&self, svc: Svc, name: &str, min: u64, max: u64, default: u64) -> ApiResult<u64> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(svc.bad(format!(
                    "invalid {name} `{v}`: it must be an integer from {min} to {max}"
                ))),
            },
        }
    }

    /// `sort_dir`: `desc` (when absent) or `asc`.
    pub fn sort_desc(&self, svc: Svc) -> ApiResult<bool> {
        match self.get("sort_dir") {
            None | Some("desc") => Ok(true),
            Some("asc") => Ok(false),
            Some(d) => Err(svc.bad(format!("invalid sort_dir `{d}`: asc or desc"))),
        }
    }

    pub fn bool(&self, svc: Svc, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name).map(|v| v.to_ascii_lowercase()) {
            None => Ok(None),
            Some(v) if v == "true" => Ok(Some(true)),
            Some(v) if v == "false" => Ok(Some(false)),
            Some(v) => Err(svc.bad(format!("invalid {name} `{v}`: it must be true or false"))),
        }
    }
}

/// A JSON body read into `T` (see `json`), refused with the bad-request error of service `S`:
/// `JsonBody(req, ..): JsonBody<ResizeBody, Ecs>`.
pub struct JsonBody<T, S>(pub T, pub PhantomData<S>);

/// A service whose handlers read JSON bodies, as the type parameter of `JsonBody`.
pub trait Answering {
    const SVC: Svc;
}

pub enum Ecs {}
pub enum Ims {}
pub enum Evs {}

impl Answering for Ecs {
    const SVC: Svc = Svc::Ecs;
}

impl Answering for Ims {
    const SVC: Svc = Svc::Ims;
}

impl Answering for Evs {
    const SVC: Svc = Svc::Evs;
}

impl<T: DeserializeOwned, S: Answering, St: Send + Sync> FromRequest<St> for JsonBody<T, S> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &St) -> Result<Self, Response> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match json(S::SVC, &body) {
            Ok(t) => Ok(JsonBody(t, PhantomData)),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Parses a JSON body into `T`; serde's message names the field and the problem.
pub fn json<T: DeserializeOwned>(svc: Svc, body: &Bytes) -> ApiResult<T> {
    if body.is_empty() {
        return Err(
            svc.bad("request body is illegal: the body is empty, a JSON object is expected")
        );
    }
    serde_json::from_slice(body).map_err(|e| svc.bad(format!("request body is illegal: {e}")))
}

/// A new name and/or description, as an update body carries them.
#[derive(Deserialize)]
pub struct Relabel {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl Relabel {
    /// At least one of the two is given, or the `what`'s update is refused.
    pub fn given(&self, svc: Svc, what: &str) -> ApiResult<()> {
        if self.name.is_none() && self.description.is_none() {
            return Err(svc.bad(format!("{what} needs a name or a description")));
        }
        Ok(())
    }

    /// Writes what is given over `name` and `description`.
    pub fn apply(self, name: &mut String, description: &mut String) {
        if let Some(n) = self.name {
            *name = n;
        }
        if let Some(d) = self.description {
            *description = d;
        }
    }
}

/// Fuzzy name match of the ECS list (`.` matches any character; case-insensitive substring).
pub fn fuzzy(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    if p.len() > n.len() {
        return false;
    }
    (0..=n.len() - p.len()).any(|i| p.iter().zip(&n[i..]).all(|(a, b)| *a == '.' || a == b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_name_matching_treats_dot_as_any_character() {
        assert!(fuzzy("web", "ecs-WEB-00001"));
        assert!(fuzzy("ecs.web", "ecs-web-1"));
        assert!(!fuzzy("db", "ecs-web-1"));
    }

    #[test]
    fn limits_out_of_range_are_named() {
        let q = Query::parse(Some("limit=5000&limit=3&flag=maybe"));
        let e = q.int(Svc::Ecs, "limit", 1, 1000, 25).unwrap_err();
        assert!(format!("{e:?}").contains("limit `5000`"));
        assert_eq!(q.all("limit"), ["5000", "3"]);
        assert!(q.bool(Svc::Ecs, "flag").is_err());
    }
}
