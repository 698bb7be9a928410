//! Authentication as the API gateway does it: IAM tokens and AK/SK signatures (api.md §9, server
//! side) with a 15-minute clock window and an AK locked for 5 minutes after 5 bad signatures.

use std::collections::HashMap;

use base64::Engine;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::clock::{Millis, parse_sdk_date};
use super::signing;
use crate::config::Secret;

/// The credentials the simulator accepts.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub ak: String,
    pub sk: Secret,
    pub user: String,
    pub password: Secret,
    pub domain: String,
}

impl Credentials {
    /// Fresh random credentials (when the flags give none).
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const MIXED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut pick = |set: &[u8], n: usize| -> String {
            (0..n)
                .map(|_| set[rng.random_range(0..set.len())] as char)
                .collect()
        };
        Credentials {
            ak: pick(UPPER, 20),
            sk: Secret::new(pick(MIXED, 40)),
            user: "hvecs-admin".into(),
            password: Secret::new(pick(MIXED, 16)),
            domain: "hvecs-lab".into(),
        }
    }
}

/// What a token is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// A project (by region index).
    Project(usize),
    /// The domain: valid on IAM APIs only.
    Domain,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenInfo {
    pub scope: Scope,
    pub issued: Millis,
    pub expires: Millis,
}

/// Who made a request, once authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A project token, or AK/SK with `X-Project-Id`.
    Project(usize),
    /// AK/SK without a project: the account (any of its projects).
    Account,
    /// A domain-scoped token.
    Domain,
}

/// A refusal: (HTTP status, APIGW code, message).
pub type Refusal = (u16, &'static str, String);

const WINDOW_MS: Millis = 15 * 60 * 1000;
const LOCK_MS: Millis = 5 * 60 * 1000;
const MAX_BAD: u32 = 5;
pub const TOKEN_TTL_MS: Millis = 24 * 3600 * 1000;

/// Tokens issued and the bad-signature streaks of AKs.
#[derive(Default, Serialize, Deserialize)]
pub struct AuthState {
    pub tokens: HashMap<String, TokenInfo>,
    #[serde(skip)]
    bad: HashMap<String, (u32, Millis)>,
}

impl AuthState {
    pub fn issue(&mut self, scope: Scope, now: Millis) -> (String, TokenInfo) {
        let mut bytes = vec![0u8; 1536];
        rand::rng().fill(&mut bytes[..]);
        let token = format!(
            "MIIDkg{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
        );
        let info = TokenInfo {
            scope,
            issued: now,
            expires: now + TOKEN_TTL_MS,
        };
        self.tokens.retain(|_, t| t.expires > now);
        self.tokens.insert(token.clone(), info.clone());
        (token, info)
    }

    pub fn check_token(&self, token: &str, now: Millis) -> Result<Caller, Refusal> {
        let info = self.tokens.get(token).ok_or_else(|| {
            (
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: decrypt token fail".to_owned(),
            )
        })?;
        if info.expires <= now {
            return Err((
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: token expires".into(),
            ));
        }
        Ok(match info.scope {
            Scope::Project(r) => Caller::Project(r),
            Scope::Domain => Caller::Domain,
        })
    }

    /// Verifies an AK/SK-signed request; `header` gives a received header by lowercase name.
    #[allow(clippy::too_many_arguments)]
    pub fn check_signature(
        &mut self,
        creds: &Credentials,
        authorization: &str,
        method: &str,
        path: &str,
        query: &str,
        header: &dyn Fn(&str) -> Option<String>,
        body: &[u8],
        now: Millis,
    ) -> Result<(), Refusal> {
        let bad = |m: &str| {
            (
                401,
                "APIGW.0301",
                format!("Incorrect IAM authentication information: {m}"),
            )
        };
        let auth = signing::parse_authorization(authorization)
            .ok_or_else(|| bad("the Authorization header is not SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…"))?;
        if auth.access != creds.ak {
            return Err(bad(&format!(
                "Get secretKey failed,ak:{},err:ak not exist",
                auth.access
            )));
        }
        if let Some((n, until)) = self.bad.get(&auth.access)
            && *n >= MAX_BAD
            && *until > now
        {
            return Err(bad("AK access failed to reach the limit,forbidden"));
        }
        if !auth.signed_headers.iter().any(|h| h == "x-sdk-date") {
            return Err(bad("x-sdk-date is not in SignedHeaders"));
        }
        let date = header("x-sdk-date").ok_or_else(|| bad("X-Sdk-Date header not found"))?;
        let t =
            parse_sdk_date(date.trim()).ok_or_else(|| bad("X-Sdk-Date is not YYYYMMDDTHHMMSSZ"))?;
        if (now - t).abs() > WINDOW_MS {
            return Err(bad(
                "the request time X-Sdk-Date differs from the server time by more than 15 minutes",
            ));
        }
        let body_hash = header("x-sdk-content-sha256").unwrap_or_else(|| signing::sha256_hex(body));
        let canonical = signing::canonical_request(
            method,
            path,
            query,
            &auth.signed_headers,
            header,
            &body_hash,
        );
        let expected = signing::signature(
            creds.sk.expose().as_bytes(),
            &signing::string_to_sign(date.trim(), &canonical),
        );
        if signing::same(&expected, &auth.signature) {
            self.bad.remove(&auth.access);
            Ok(())
        } else {
            let e = self.bad.entry(auth.access).or_insert((0, 0));
            if e.1 <= now && e.0 >= MAX_BAD {
                *e = (0, 0);
            }
            e.0 += 1;
            if e.0 >= MAX_BAD {
                e.1 = now + LOCK_MS;
            }
            Err(bad("verify aksk signature fail"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::signing::guide_header;

    fn creds() -> Credentials {
        Credentials {
            ak: "QTWAOYTTINDUT2QVKYUC".into(),
            sk: Secret::new("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"),
            user: "u".into(),
            password: Secret::new("p"),
            domain: "d".into(),
        }
    }

    const GOOD: &str = "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";

    fn check(st: &mut AuthState, auth: &str, query: &str, now: Millis) -> Result<(), Refusal> {
        st.check_signature(
            &creds(),
            auth,
            "GET",
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            query,
            &guide_header,
            b"",
            now,
        )
    }

    const Q: &str = "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
    const T: Millis = 1_573_789_015_000;

    #[test]
    fn test_vector_passes_and_a_changed_query_fails() {
        let mut st = AuthState::default();
        assert_eq!(check(&mut st, GOOD, Q, T + 60_000), Ok(()));
        let e = check(
            &mut st,
            GOOD,
            "limit=3&marker=13551d6b-755d-4757-b956-536f674975c0",
            T,
        )
        .unwrap_err();
        assert_eq!((e.0, e.1), (401, "APIGW.0301"));
        assert!(e.2.contains("verify aksk signature fail"));
    }

    #[test]
    fn clock_window_is_fifteen_minutes() {
        let mut st = AuthState::default();
        assert!(check(&mut st, GOOD, Q, T + 14 * 60_000).is_ok());
        let e = check(&mut st, GOOD, Q, T + 16 * 60_000).unwrap_err();
        assert!(e.2.contains("15 minutes"), "{}", e.2);
        assert!(check(&mut st, GOOD, Q, T - 16 * 60_000).is_err());
    }

    #[test]
    fn five_bad_signatures_lock_the_ak_for_five_minutes() {
        let mut st = AuthState::default();
        for _ in 0..5 {
            assert!(check(&mut st, GOOD, "limit=9", T).is_err());
        }
        let e = check(&mut st, GOOD, Q, T).unwrap_err();
        assert!(e.2.contains("limit,forbidden"), "{}", e.2);
        assert!(check(&mut st, GOOD, Q, T + 5 * 60_000 + 1000).is_ok());
    }

    #[test]
    fn unknown_ak_and_expired_tokens_are_refused() {
        let mut st = AuthState::default();
        let other = GOOD.replace("QTWAOYTTINDUT2QVKYUC", "NOPE");
        assert!(
            check(&mut st, &other, Q, T)
                .unwrap_err()
                .2
                .contains("ak not exist")
        );
        let (tok, _) = st.issue(Scope::Project(1), 1000);
        assert_eq!(st.check_token(&tok, 2000), Ok(Caller::Project(1)));
        assert!(
            st.check_token(&tok, 1000 + TOKEN_TTL_MS)
                .unwrap_err()
                .2
                .contains("token expires")
        );
        assert!(
            st.check_token("bogus", 2000)
                .unwrap_err()
                .2
                .contains("decrypt token fail")
        );
    }
}
