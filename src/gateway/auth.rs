//! Authentication: IAM password tokens (one per project, in memory only, renewed before they
//! expire and once on a 401) or AK/SK signing (`sign.rs`) with `X-Project-Id`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use super::client::Gateway;
use super::error::{ErrorKind, GatewayError};
use super::model::TokenInfo;
use super::request::{Credential, Request, Scope};
use super::sign;
use crate::config::{Credentials, Secret, Service};

/// Renew a token this long before it expires.
const RENEW_MARGIN: Duration = Duration::from_secs(10 * 60);

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

    /// The headers that authenticate a request: the AK/SK signature, or the token (logging in
    /// first when there is no valid one).
    pub async fn authorize(
        &self,
        gw: &Gateway,
        req: &Request,
        url: &url::Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, GatewayError> {
        match self {
            Authenticator::AkSk { ak, sk } => {
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
                Ok(out)
            }
            Authenticator::Password { .. } => {
                let token = self.token(gw).await?;
                Ok(vec![(
                    "x-auth-token".into(),
                    token.value.expose().to_owned(),
                )])
            }
        }
    }

    /// A valid token for the gateway's region, scoped to the project pinned for it or else to
    /// the project named as the region (password auth only).
    pub async fn token(&self, gw: &Gateway) -> Result<Token, GatewayError> {
        let Authenticator::Password { tokens, .. } = self else {
            return Err(GatewayError::new(
                "IAM login",
                ErrorKind::Setup("the profile authenticates with AK/SK, not with a token".into()),
            ));
        };
        let scope = gw.pinned_project().unwrap_or(gw.region()).to_owned();
        let mut cache = tokens.lock().await;
        if let Some(t) = cache.get(&scope)
            && Instant::now() < t.renew_at
        {
            return Ok(t.clone());
        }
        let t = self.login(gw, &scope).await?;
        cache.insert(scope, t.clone());
        Ok(t)
    }

    /// Drops the region's token (after a 401), so the next call logs in again.
    pub async fn forget_token(&self) {
        if let Authenticator::Password { tokens, .. } = self {
            tokens.lock().await.clear();
        }
    }

    async fn login(&self, gw: &Gateway, scope: &str) -> Result<Token, GatewayError> {
        let Authenticator::Password {
            user,
            domain,
            password,
            logins,
            ..
        } = self
        else {
            return Err(GatewayError::new(
                "IAM login",
                ErrorKind::Setup("not a password profile".into()),
            ));
        };
        let project = if is_project_id(scope) {
            json!({"id": scope})
        } else {
            json!({"name": scope})
        };
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": user, "password": password.expose(), "domain": {"name": domain}}}},
            "scope": {"project": project}}});
        let mut req = Request::change(
            Service::Iam,
            Method::POST,
            "/v3/auth/tokens",
            Some(&body),
            format!("IAM login as {user} to project {scope}"),
        )
        .query("nocatalog", "true");
        req.scope = Scope::None;
        req.credential = Credential::Anonymous;
        // A login changes nothing: allowed in read-only sessions, and safe to repeat.
        req.changes = false;
        let answer = Box::pin(gw.execute(req)).await?;
        logins.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bad = |m: &str| {
            let mut e = GatewayError::new(
                format!("IAM login as {user}"),
                ErrorKind::BadBody {
                    status: answer.status,
                    detail: m.to_owned(),
                },
            );
            e.request_id = answer.request_id.clone();
            e
        };
        let value = answer
            .header("x-subject-token")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("the answer has no X-Subject-Token header"))?
            .to_owned();
        let info: TokenInfo = answer
            .json()
            .get("token")
            .and_then(|t| serde_json::from_value(t.clone()).ok())
            .ok_or_else(|| bad("the answer has no `token` object"))?;
        let project = info
            .project
            .clone()
            .filter(|p| !p.id.is_empty())
            .ok_or_else(|| bad("the token is not scoped to a project"))?;
        Ok(Token {
            value: Secret::new(value),
            project_id: project.id,
            project_name: project.name,
            renew_at: Instant::now() + lifetime(&info).saturating_sub(RENEW_MARGIN),
        })
    }
}

/// How long a token lives: `expires_at − issued_at` (immune to local clock skew), else until
/// `expires_at` by the local clock, else one hour.
fn lifetime(info: &TokenInfo) -> Duration {
    match (info.issued_at.utc, info.expires_at.utc) {
        (Some(i), Some(e)) => (e - i).to_std().unwrap_or_default(),
        (None, Some(e)) => (e - chrono::Utc::now()).to_std().unwrap_or_default(),
        _ => Duration::from_secs(3600),
    }
}

fn is_project_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
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
    fn token_lifetime_ignores_the_local_clock() {
        let info: TokenInfo = serde_json::from_value(json!({
            "issued_at": "2020-01-03T09:05:22.701000Z", "expires_at": "2020-01-04T09:05:22.701000Z"}))
        .unwrap();
        assert_eq!(lifetime(&info), Duration::from_secs(24 * 3600));
    }

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
