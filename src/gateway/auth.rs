//! Authentication state: IAM password tokens (one per project, in memory only; `login.rs` gets
//! and renews them) or AK/SK signing (`sign.rs`) with `X-Project-Id`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::request::Request;
use super::sign;
use crate::config::{Credentials, Secret};

/// A token and when to renew it (by the local monotonic clock, so a skewed clock cannot fool it).
#[derive(Debug, Clone)]
pub struct Token {
    pub value: Secret,
    pub project_id: String,
    pub project_name: String,
    pub renew_at: Instant,
}

/// The profile's credentials and, with a password, the tokens they got.
pub struct Authenticator {
    pub credentials: Credentials,
    /// Scope (project name or id) → token (password auth only).
    pub tokens: tokio::sync::Mutex<HashMap<String, Token>>,
    /// Logins made (password auth only).
    pub logins: AtomicU64,
}

impl Authenticator {
    pub fn new(c: &Credentials) -> Self {
        Authenticator {
            credentials: c.clone(),
            tokens: Default::default(),
            logins: Default::default(),
        }
    }

    pub fn is_token(&self) -> bool {
        matches!(self.credentials, Credentials::Password { .. })
    }

    pub fn is_aksk(&self) -> bool {
        matches!(self.credentials, Credentials::AkSk { .. })
    }

    /// The AK or the user name (never a secret).
    pub fn principal(&self) -> &str {
        self.credentials.principal()
    }

    /// How many logins this client made (for tests and `doctor`).
    pub fn login_count(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }

    /// The AK/SK signature headers of a request; `None` with password auth (a token is sent).
    pub fn signature(
        &self,
        req: &Request,
        url: &url::Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<Vec<(String, String)>> {
        let Credentials::AkSk { ak, sk } = &self.credentials else {
            return None;
        };
        let host = url_authority(url);
        let query: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let date = sign::sdk_date(chrono::Utc::now());
        let signed = sign::sign(
            &sign::SignInput {
                method: req.method.as_str(),
                host: &host,
                path: url.path(),
                query: &query,
                headers,
                body,
                sdk_date: &date,
            },
            ak,
            sk.expose(),
        );
        let mut out = signed.extra_headers;
        out.push(("authorization".into(), signed.authorization));
        Some(out)
    }

    /// Drops the region's token (after a 401), so the next call logs in again.
    pub async fn forget_token(&self) {
        self.tokens.lock().await.clear();
    }
}

/// `host[:port]` as sent in the `Host` header (the default port left out).
pub fn url_authority(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let host = match url.host() {
        Some(url::Host::Ipv6(_)) if !host.starts_with('[') => format!("[{host}]"),
        _ => host.to_owned(),
    };
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_keeps_non_default_ports() {
        let u = url::Url::parse("https://gw.example.com:8443/v1").unwrap();
        assert_eq!(url_authority(&u), "gw.example.com:8443");
        let u = url::Url::parse("https://gw.example.com/v1").unwrap();
        assert_eq!(url_authority(&u), "gw.example.com");
        let u = url::Url::parse("http://127.0.0.1:80/v1").unwrap();
        assert_eq!(url_authority(&u), "127.0.0.1");
    }
}
