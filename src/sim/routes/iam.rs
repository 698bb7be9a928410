//! IAM (Keystone v3): tokens by password, regions, the caller's projects, project queries.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::input::{Ctx, Query};
use crate::sim::app::{Sim, lock};
use crate::sim::auth::Scope;
use crate::sim::clock::{iso_micros_z, now_ms};
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::signing;
use crate::sim::world::World;

#[derive(Deserialize)]
struct TokenRequest {
    auth: AuthBody,
}
#[derive(Deserialize)]
struct AuthBody {
    identity: Identity,
    scope: Option<ScopeBody>,
}
#[derive(Deserialize)]
struct Identity {
    methods: Vec<String>,
    password: Option<PasswordBody>,
}
#[derive(Deserialize)]
struct PasswordBody {
    user: UserBody,
}
#[derive(Deserialize)]
struct UserBody {
    name: String,
    password: String,
    domain: NameOrId,
}
#[derive(Deserialize)]
struct NameOrId {
    name: Option<String>,
    id: Option<String>,
}
#[derive(Deserialize)]
struct ScopeBody {
    project: Option<NameOrId>,
    domain: Option<NameOrId>,
}

fn invalid(why: &str) -> ApiError {
    ApiError::keystone(400, format!("The request body is invalid: {why}"))
}

fn iam_headers(resp: &mut Response) {
    let trace = hex::encode(rand::random::<[u8; 16]>());
    if let Ok(v) = HeaderValue::from_str(&trace) {
        resp.headers_mut().insert("x-iam-trace-id", v);
    }
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

pub async fn create_token(
    State(sim): State<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let req: TokenRequest = serde_json::from_slice(&body).map_err(|e| invalid(&e.to_string()))?;
    let a = req.auth;
    if !a.identity.methods.iter().any(|m| m == "password") {
        return Err(invalid("identity.methods must contain \"password\""));
    }
    let pw = a
        .identity
        .password
        .ok_or_else(|| invalid("identity.password is missing"))?;
    let creds = &sim.creds;
    let w = sim.world();
    let domain_ok = match (&pw.user.domain.name, &pw.user.domain.id) {
        (Some(n), _) => n == &creds.domain,
        (None, Some(i)) => i == &w.account.domain_id,
        (None, None) => return Err(invalid("user.domain needs a name or an id")),
    };
    let password_ok = signing::same(
        &signing::sha256_hex(pw.user.password.as_bytes()),
        &signing::sha256_hex(creds.password.expose().as_bytes()),
    );
    if !(domain_ok && pw.user.name == creds.user && password_ok) {
        return Err(ApiError::keystone(
            401,
            "The username or password is wrong.",
        ));
    }
    let scope = match a.scope {
        Some(ScopeBody {
            project: Some(p), ..
        }) => {
            let r = w.regions.iter().position(|r| {
                p.id.as_deref() == Some(r.project_id.as_str())
                    || p.name.as_deref() == Some(r.name.as_str())
            });
            match r {
                Some(r) => Scope::Project(r),
                None => {
                    return Err(ApiError::keystone(
                        400,
                        format!(
                            "The project {} does not exist",
                            p.id.or(p.name).unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        Some(ScopeBody {
            domain: Some(d), ..
        }) => {
            let ok = d.name.as_deref() == Some(creds.domain.as_str())
                || d.id.as_deref() == Some(w.account.domain_id.as_str());
            if !ok {
                return Err(ApiError::keystone(
                    400,
                    "The domain in scope is not the user's domain",
                ));
            }
            Scope::Domain
        }
        _ => Scope::Domain,
    };
    let now = now_ms();
    let (token, info) = lock(&sim.auth).issue(scope, now);
    let nocatalog = Query::parse(raw.as_deref()).get("nocatalog") == Some("true");
    let domain = json!({"id": w.account.domain_id, "name": creds.domain});
    let mut body = json!({"token": {
        "expires_at": iso_micros_z(info.expires), "issued_at": iso_micros_z(info.issued),
        "methods": ["password"],
        "user": {"id": w.account.user_id, "name": creds.user, "domain": domain, "password_expires_at": ""},
        "roles": [{"id": "0", "name": "te_admin"}, {"id": "0", "name": "op_service"}],
        "catalog": if nocatalog { json!([]) } else { catalog(&w, &base_url(&headers)) },
    }});
    match scope {
        Scope::Project(r) => {
            body["token"]["project"] =
                json!({"id": w.regions[r].project_id, "name": w.regions[r].name, "domain": domain});
        }
        Scope::Domain => body["token"]["domain"] = domain,
    }
    drop(w);
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&token) {
        resp.headers_mut().insert("x-subject-token", v);
    }
    iam_headers(&mut resp);
    Ok(resp)
}

fn catalog(w: &World, base: &str) -> Value {
    let services = [
        ("ecs", "compute"),
        ("ims", "image"),
        ("evs", "volumev2"),
        ("vpc", "network"),
        ("iam", "identity"),
    ];
    let list: Vec<Value> = services
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            let endpoints: Vec<Value> = w
                .regions
                .iter()
                .map(|r| json!({"id": format!("{:032x}", i * 16 + r.name.len()), "interface": "public", "region": r.name, "region_id": r.name, "url": base}))
                .collect();
            json!({"id": format!("{:032x}", i + 1), "name": name, "type": kind, "endpoints": endpoints})
        })
        .collect();
    Value::Array(list)
}

pub async fn regions(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Response {
    let w = sim.world();
    let base = base_url(&headers);
    let regions: Vec<Value> = w
        .regions
        .iter()
        .map(|r| {
            json!({"id": r.name, "type": "public", "description": "", "parent_region_id": null,
                        "links": {"self": format!("{base}/v3/regions/{}", r.name)},
                        "locales": {"en-us": r.locale, "zh-cn": r.locale}})
        })
        .collect();
    let mut resp = Json(json!({"links": {"self": format!("{base}/v3/regions"), "next": null, "previous": null}, "regions": regions})).into_response();
    iam_headers(&mut resp);
    resp
}

fn project_json(w: &World, r: usize, base: &str) -> Value {
    let reg = &w.regions[r];
    json!({"id": reg.project_id, "name": reg.name, "domain_id": w.account.domain_id, "description": "",
           "enabled": true, "is_domain": false, "parent_id": w.account.domain_id,
           "links": {"self": format!("{base}/v3/projects/{}", reg.project_id), "next": null, "previous": null}})
}

pub async fn auth_projects(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Response {
    let w = sim.world();
    let base = base_url(&headers);
    let projects: Vec<Value> = (0..w.regions.len())
        .map(|r| project_json(&w, r, &base))
        .collect();
    let mut resp =
        Json(json!({"links": {"self": format!("{base}/v3/auth/projects")}, "projects": projects}))
            .into_response();
    iam_headers(&mut resp);
    resp
}

pub async fn projects(
    State(sim): State<Arc<Sim>>,
    Extension(_ctx): Extension<Ctx>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let q = Query::parse(raw.as_deref());
    let iam_bad = |m: String| ApiError::Iam {
        status: StatusCode::BAD_REQUEST,
        code: "IAM.0003".into(),
        msg: m,
    };
    let (page, per_page) = match (q.get("page"), q.get("per_page")) {
        (None, None) => (1, 5000),
        (Some(p), Some(pp)) => {
            let p: usize = p.parse().ok().filter(|p| *p >= 1).ok_or_else(|| {
                iam_bad(format!(
                    "invalid page `{p}`: it must be an integer of at least 1"
                ))
            })?;
            let pp: usize = pp
                .parse()
                .ok()
                .filter(|n| (1..=5000).contains(n))
                .ok_or_else(|| {
                    iam_bad(format!(
                        "invalid per_page `{pp}`: it must be an integer from 1 to 5000"
                    ))
                })?;
            (p, pp)
        }
        _ => return Err(iam_bad("page and per_page must be given together".into())),
    };
    let enabled = q.get("enabled");
    if let Some(e) = enabled
        && e != "true"
        && e != "false"
    {
        return Err(iam_bad(format!(
            "invalid enabled `{e}`: it must be true or false"
        )));
    }
    let w = sim.world();
    let base = base_url(&headers);
    let all: Vec<usize> = (0..w.regions.len())
        .filter(|&r| q.get("name").is_none_or(|n| n == w.regions[r].name))
        .filter(|_| q.get("domain_id").is_none_or(|d| d == w.account.domain_id))
        .filter(|_| q.get("parent_id").is_none_or(|d| d == w.account.domain_id))
        .filter(|_| enabled != Some("false"))
        .collect();
    let projects: Vec<Value> = all
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|&r| project_json(&w, r, &base))
        .collect();
    let mut resp = Json(json!({"links": {"self": format!("{base}/v3/projects"), "next": null, "previous": null}, "projects": projects})).into_response();
    iam_headers(&mut resp);
    Ok(resp)
}
