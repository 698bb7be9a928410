//! ECS remote login (`ShowServerRemoteConsole`): a server's one-time noVNC URL. The URL carries a
//! token, so it is a `Secret` from the moment it is read.

use serde_json::json;

use super::client::Gateway;
use super::error::GatewayError;
use super::request::Request;
use super::sign::encode;
use crate::config::{Secret, Service};

/// The longest URL taken from the gateway (the documented ones are about 150 characters).
const MAX_URL: usize = 2048;

/// A server's remote login: the protocol and type the gateway granted, and the one-time URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteConsole {
    pub protocol: String,
    pub kind: String,
    /// Valid a few minutes and only once; never logged, journaled or traced.
    pub url: Secret,
}

#[derive(serde::Deserialize)]
struct Body {
    protocol: String,
    #[serde(rename = "type")]
    kind: String,
    url: String,
}

impl Gateway {
    /// `POST /v1/{p}/cloudservers/{id}/remote_console` with `vnc`/`novnc`, the only pair the
    /// documents allow. It changes nothing, so a read-only session may ask for it.
    pub async fn remote_console(&self, server_id: &str) -> Result<RemoteConsole, GatewayError> {
        let body = json!({"remote_console": {"protocol": "vnc", "type": "novnc"}});
        let mut req = Request::change(
            Service::Ecs,
            reqwest::Method::POST,
            format!(
                "/v1/{{p}}/cloudservers/{}/remote_console",
                encode(server_id)
            ),
            Some(&body),
            format!("ECS remote login to server {server_id}"),
        );
        req.changes = false;
        let answer = self.execute(req).await?;
        let b: Body = answer.object_as("remote_console")?;
        let url = b.url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.len() > MAX_URL || url.chars().any(char::is_control) {
            // Not the URL itself in the error: it may hold the token.
            return Err(answer.bad(format!(
                "`remote_console.url` is not an http(s) URL of at most {MAX_URL} characters"
            )));
        }
        Ok(RemoteConsole {
            protocol: b.protocol,
            kind: b.kind,
            url: Secret::new(url),
        })
    }
}
