//! A call to the gateway as data: service, method, path, query, body, and how it is scoped.

use reqwest::Method;
use serde_json::{Value, json};

use crate::config::Service;

/// Whether a call needs the project id (ECS/IMS/EVS/VPC do; IAM does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `{p}` in the path and `X-Project-Id` with AK/SK: the region's project, looked up if needed.
    Project,
    /// No project: the IAM project lookup itself, and the login.
    None,
}

/// How the call authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// Token or AK/SK, per the profile.
    Profile,
    /// No auth header: the password login.
    Anonymous,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub service: Service,
    pub method: Method,
    /// The path after the service's base URL; `{p}` is replaced by the project id.
    pub path: String,
    /// Decoded pairs; sent in canonical (sorted, RFC 3986) form.
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub content_type: &'static str,
    /// Shown in errors: `ECS list servers`.
    pub operation: String,
    /// `X-Client-Token` (the idempotency key of an ECS create).
    pub client_token: Option<String>,
    pub scope: Scope,
    pub credential: Credential,
    /// Whether the call changes something (refused in read-only sessions, never retried once
    /// sent). Every method but GET by default; a login is a POST that changes nothing.
    pub changes: bool,
}

pub const JSON: &str = "application/json;charset=UTF-8";
pub const JSON_PATCH: &str = "application/openstack-images-v2.1-json-patch";

impl Request {
    pub fn get(service: Service, path: impl Into<String>, operation: impl Into<String>) -> Self {
        Request {
            service,
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            content_type: JSON,
            operation: operation.into(),
            client_token: None,
            scope: Scope::Project,
            credential: Credential::Profile,
            changes: false,
        }
    }

    /// A change with a JSON body (`None` for a bodiless DELETE).
    pub fn change(
        service: Service,
        method: Method,
        path: impl Into<String>,
        body: Option<&Value>,
        operation: impl Into<String>,
    ) -> Self {
        Request {
            changes: method != Method::GET && method != Method::HEAD,
            method,
            body: body.map(|b| b.to_string().into_bytes()),
            ..Request::get(service, path, operation)
        }
    }

    /// `PUT` of an update that renames and/or re-describes: `{key: {…}}` with only the fields
    /// given.
    pub fn relabel(
        service: Service,
        path: impl Into<String>,
        key: &str,
        (name, description): (Option<&str>, Option<&str>),
        operation: impl Into<String>,
    ) -> Self {
        let mut labels = json!({});
        if let Some(n) = name {
            labels["name"] = json!(n);
        }
        if let Some(d) = description {
            labels["description"] = json!(d);
        }
        let body = json!({ key: labels });
        Request::change(service, Method::PUT, path, Some(&body), operation)
    }

    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Adds the pair when the value is given.
    pub fn query_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    pub fn unscoped(mut self) -> Self {
        self.scope = Scope::None;
        self
    }

    pub fn is_change(&self) -> bool {
        self.changes
    }
}

/// An answer with a 2xx status.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The call it answers (`ECS list servers`), for errors about its body.
    pub operation: String,
    pub status: u16,
    /// The gateway's `X-Request-Id`.
    pub request_id: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    /// The body, checked to be JSON (or empty, e.g. 204).
    pub body: bytes::Bytes,
}

impl Answer {
    /// The body as a JSON tree (`Null` when empty; the client checked that it is JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The body's top-level member `key` (`Null` when the body has none).
    pub fn member(&self, key: &str) -> Value {
        match self.json() {
            Value::Object(mut m) => m.remove(key).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// The body decoded straight into a type, without a JSON tree in between.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relabel_puts_only_the_fields_given_under_its_key() {
        let body = |r: Request| serde_json::from_slice::<Value>(&r.body.unwrap()).unwrap();
        let both = Request::relabel(Service::Evs, "/v", "volume", (Some("n"), Some("d")), "op");
        assert_eq!(both.method, Method::PUT);
        assert!(both.is_change());
        assert_eq!(
            body(both),
            json!({"volume": {"name": "n", "description": "d"}})
        );
        let one = Request::relabel(Service::Ecs, "/s", "server", (None, Some("")), "op");
        assert_eq!(body(one), json!({"server": {"description": ""}}));
    }
}
