//! The API gateway in front of the routes: request ids, injected faults, statistics,
//! authentication (token or AK/SK) and the project check.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, Response, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use rand::Rng;

use super::input::Ctx;
use crate::sim::app::{Sim, lock};
use crate::sim::auth::Caller;
use crate::sim::clock::now_ms;
use crate::sim::error::ApiError;
use crate::sim::faults::Fate;
use crate::sim::server::DropConnection;

/// The request id of a request (32 hex), also sent as `X-Request-Id`.
#[derive(Clone)]
pub struct RequestId(pub String);

/// The route template a response answered (for the statistics).
#[derive(Clone)]
struct Route(String);

/// The project a request acted under (for the statistics per project).
#[derive(Clone)]
struct UnderProject(String);

/// Body size limit of the gateway (api.md §9: AK/SK bodies up to 12 MB).
const BODY_LIMIT: usize = 12 * 1024 * 1024;

pub async fn remember_route(req: Request, next: Next) -> Response<Body> {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut resp = next.run(req).await;
    if let Some(r) = route {
        resp.extensions_mut().insert(Route(r));
    }
    resp
}

pub async fn no_such_api(req: Request) -> Response<Body> {
    let rid = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    ApiError::gateway(
        404,
        "APIGW.0101",
        format!(
            "The API does not exist or has not been published: {} {}",
            req.method(),
            req.uri().path()
        ),
        &rid,
    )
    .into_response()
}

/// Outermost layer: request id, faults, statistics.
pub async fn front(State(sim): State<Arc<Sim>>, mut req: Request, next: Next) -> Response<Body> {
    let rid = hex::encode(rand::rng().random::<[u8; 16]>());
    req.extensions_mut().insert(RequestId(rid.clone()));
    let method = req.method().clone();
    let simulator_only = req.uri().path().starts_with("/_sim/");
    let fate = if simulator_only || !sim.faults.active() {
        Fate::Normal
    } else {
        if !sim.faults.spec.latency.is_zero() {
            tokio::time::sleep(sim.faults.spec.latency).await;
        }
        sim.faults.fate()
    };
    let mut resp = match fate {
        Fate::ServerError(code) => {
            let (c, m) = match code {
                502 => ("APIGW.0202", "Backend unavailable"),
                503 => (
                    "APIGW.0203",
                    "The backend service is busy, please try again later",
                ),
                _ => ("APIGW.0103", "The API gateway internal error"),
            };
            ApiError::gateway(code, c, m, &rid).into_response()
        }
        Fate::Throttled => {
            let prefix = sim.next_throttle_prefix();
            ApiError::gateway(
                429,
                &format!("{prefix}.0308"),
                "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:1 second",
                &rid,
            )
            .into_response()
        }
        Fate::DropBefore => {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(DropConnection);
            return r;
        }
        Fate::Normal | Fate::DropAfter | Fate::Truncate => next.run(req).await,
    };
    let route = resp
        .extensions()
        .get::<Route>()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| "(not routed)".into());
    let project = resp.extensions().get::<UnderProject>().map(|p| p.0.clone());
    lock(&sim.stats).record(
        method.as_str(),
        &route,
        resp.status().as_u16(),
        project.as_deref(),
    );
    if let Ok(v) = HeaderValue::from_str(&rid) {
        resp.headers_mut().insert("x-request-id", v);
    }
    match fate {
        Fate::DropAfter => {
            resp.extensions_mut().insert(DropConnection);
            resp
        }
        Fate::Truncate => truncate(resp).await,
        _ => resp,
    }
}

/// Sends the head and half the body, with the full `Content-Length`, then breaks off.
async fn truncate(resp: Response<Body>) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT * 4)
        .await
        .unwrap_or_default();
    let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(1)),
    );
    // The pause lets the head and the first half go out before the connection breaks.
    let stream = futures::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Some((
                        Err(std::io::Error::other("body cut short (fault injection)")),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

fn refuse(status: u16, code: &str, msg: impl Into<String>, rid: &str) -> Response<Body> {
    ApiError::gateway(status, code, msg, rid).into_response()
}

/// Where `{project_id}` sits in the route, and the id the path gives there.
fn path_project(template: &str, path: &str) -> Option<String> {
    let i = template.split('/').position(|s| s == "{project_id}")?;
    path.split('/').nth(i).map(str::to_owned)
}

/// Authenticates (token or AK/SK), checks the project, and hands the handler a `Ctx`.
pub async fn authenticate(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response<Body> {
    let rid = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let (mut parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return refuse(
                413,
                "APIGW.0201",
                "Request entity too large: the body exceeds 12 MB",
                &rid,
            );
        }
    };
    let path = parts.uri.path().to_owned();
    let is_token_request = template == "/v3/auth/tokens" && parts.method == Method::POST;
    // HTTP/2 carries the host as the `:authority` pseudo-header, which lands in the URI.
    let authority = parts.uri.authority().map(|a| a.as_str().to_owned());
    let header = |n: &str| -> Option<String> {
        let found = parts
            .headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if n == "host" {
            found.or_else(|| authority.clone())
        } else {
            found
        }
    };
    let now = now_ms();
    let caller = if is_token_request {
        None
    } else if let Some(token) = header("x-auth-token") {
        match lock(&sim.auth).check_token(token.trim(), now) {
            Ok(c) => Some(c),
            Err((s, c, m)) => return refuse(s, c, m, &rid),
        }
    } else if let Some(authz) = header("authorization") {
        let query = parts.uri.query().unwrap_or("").to_owned();
        let checked = lock(&sim.auth).check_signature(
            &sim.creds,
            &authz,
            parts.method.as_str(),
            &path,
            &query,
            &header,
            &body,
            now,
        );
        if let Err((s, c, m)) = checked {
            return refuse(s, c, m, &rid);
        }
        match header("x-project-id") {
            Some(p) => match sim.region_of_project(p.trim()) {
                Some(r) => Some(Caller::Project(r)),
                None => {
                    return refuse(
                        403,
                        "APIGW.0302",
                        format!(
                            "The project {} in X-Project-Id does not exist or is not yours",
                            p.trim()
                        ),
                        &rid,
                    );
                }
            },
            None => Some(Caller::Account),
        }
    } else {
        return refuse(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: x-auth-token not found",
            &rid,
        );
    };
    let is_iam = template.starts_with("/v3/");
    let region = match (path_project(&template, &path), caller) {
        (_, None) => None,
        (Some(p), Some(c)) => {
            let r = sim.region_of_project(&p);
            match (r, c) {
                (Some(r), Caller::Project(mine)) if r == mine => Some(r),
                (Some(r), Caller::Account) => Some(r),
                (_, Caller::Domain) => {
                    return refuse(
                        403,
                        "APIGW.0302",
                        "A domain-scoped token cannot be used on project resources: get a project-scoped token",
                        &rid,
                    );
                }
                _ => {
                    return refuse(
                        403,
                        "APIGW.0302",
                        format!(
                            "The credentials are not valid for project {p}: the token or X-Project-Id names another project"
                        ),
                        &rid,
                    );
                }
            }
        }
        (None, Some(Caller::Project(r))) => Some(r),
        (None, Some(_)) if is_iam => None,
        (None, Some(_)) => {
            return refuse(
                403,
                "APIGW.0302",
                "This API needs a project: send X-Project-Id or use a project-scoped token",
                &rid,
            );
        }
    };
    parts.extensions.insert(Ctx {
        region,
        request_id: rid,
    });
    let project = region.and_then(|r| sim.project_of_region(r));
    let mut resp = next.run(Request::from_parts(parts, Body::from(body))).await;
    if let Some(p) = project {
        resp.extensions_mut().insert(UnderProject(p));
    }
    resp
}
