//! Authentication state: IAM password tokens (one per project, in memory only; `login.rs` gets
//! and renews them) or AK/SK signing (`sign.rs`) with `X-Project-Id`.

use std::collections::HashMap;
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

pub enum Authenticator {
    AkSk {
        ak: String,
        sk: Secret,
    },
    Password {
        user: String,
        domain: String,
        password: Secret,
        /// Scope (project name or id) → token.
        tokens: tokio::sync::Mutex<HashMap<String, Token>>,
        logins: std::sync::atomic::AtomicU64,
    },
}

impl Authenticator {
    pub fn new(c: &Credentials) -> Self {
        match c {
            Credentials::AkSk { ak, sk } => Authenticator::AkSk {
                ak: ak.clone(),
                sk: sk.clone(),
            },
            Credentials::Password {
                user,
                domain,
                password,
            } => Authenticator::Password {
                user: user.clone(),
                domain: domain.clone(),
                password: password.clone(),
                tokens: Default::default(),
                logins: Default::default(),
            },
        }
    }

    pub fn is_token(&self) -> bool {
        matches!(self, Authenticator::Password { .. })
    }

    pub fn is_aksk(&self) -> bool {
        matches!(self, Authenticator::AkSk { .. })
    }

    /// The AK or the user name (never a secret).
    pub fn principal(&self) -> &str {
        match self {
            Authenticator::AkSk { ak, .. } => ak,
            Authenticator::Password { user, .. } => user,
        }
    }

    /// How many logins this client made (for tests and `doctor`).
    pub fn login_count(&self) -> u64 {
        match self {
            Authenticator::Password { logins, .. } => {
                logins.load(std::sync::atomic::Ordering::Relaxed)
            }
            Authenticator::AkSk { .. } => 0,
        }
    }

    /// The AK/SK signature headers of a request; `None` with password auth (a token is sent).
    pub fn signature(
        &self,
        req: &Request,
        url: &url::Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<Vec<(String, String)>> {
        let Authenticator::AkSk { ak, sk } = self else {
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
        if let Authenticator::Password { tokens, .. } = self {
            tokens.lock().await.clear();
        }
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
