//! Logging in with a password profile: the IAM token of the region's scope, cached on the
//! client's authenticator (renewed before it expires, again after a 401), and the headers that
//! authenticate each request.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use super::auth::Token;
use super::client::Gateway;
use super::error::{ErrorKind, GatewayError};
use super::model::TokenInfo;
use super::request::{Credential, Request, Scope};
use crate::config::{Credentials, Secret, Service};

/// Renew a token this long before it expires.
const RENEW_MARGIN: Duration = Duration::from_secs(10 * 60);

impl Gateway {
    /// The headers that authenticate a request: the AK/SK signature, or the token (logging in
    /// first when there is no valid one).
    pub(crate) async fn authorize(
        &self,
        req: &Request,
        url: &url::Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, GatewayError> {
        if let Some(signed) = self.auth().signature(req, url, headers, body) {
            return Ok(signed);
        }
        let token = self.token().await?;
        Ok(vec![(
            "x-auth-token".into(),
            token.value.expose().to_owned(),
        )])
    }

    /// A valid token for the gateway's region, scoped to the project pinned for it or else to
    /// the project named as the region (password auth only).
    pub async fn token(&self) -> Result<Token, GatewayError> {
        let auth = self.auth();
        if !auth.is_token() {
            return Err(GatewayError::new(
                "IAM login",
                ErrorKind::Setup("the profile authenticates with AK/SK, not with a token".into()),
            ));
        };
        let scope = self.pinned_project().unwrap_or(self.region()).to_owned();
        let mut cache = auth.tokens.lock().await;
        if let Some(t) = cache.get(&scope)
            && Instant::now() < t.renew_at
        {
            return Ok(t.clone());
        }
        let t = self.login(&scope).await?;
        cache.insert(scope, t.clone());
        Ok(t)
    }

    async fn login(&self, scope: &str) -> Result<Token, GatewayError> {
        let Credentials::Password {
            user,
            domain,
            password,
        } = &self.auth().credentials
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
        let answer = Box::pin(self.execute(req)).await?;
        self.auth()
            .logins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
}
