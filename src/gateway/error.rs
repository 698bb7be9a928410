//! One error type for every failure of a gateway call, built from the four error-body shapes
//! (api.md §8). `Display` is a sentence an operator can act on, with the request id.

use std::fmt;

use serde_json::Value;

use super::model::lenient::value_to_string;

/// What the gateway said in an error body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorBody {
    /// `Ecs.0005`, `APIGW.0301`, `IAM.0001`, or a Keystone number as text (`401`).
    pub code: Option<String>,
    pub message: String,
}

impl ErrorBody {
    /// Decodes an error body the way the SDK does: `error_code`+`error_msg`, `errorCode`+`errorMsg`,
    /// `code`+`message`, then the same one level down; else the raw text. Every text is cut at
    /// 200 characters: the gateway's words are untrusted.
    pub fn parse(body: &[u8]) -> ErrorBody {
        let text = String::from_utf8_lossy(body);
        let Ok(v) = serde_json::from_slice::<Value>(body) else {
            return ErrorBody {
                code: None,
                message: shorten(text.trim()),
            };
        };
        if let Some(b) = from_object(&v) {
            return b;
        }
        if let Value::Object(m) = &v {
            for inner in m.values() {
                if let Some(b) = from_object(inner) {
                    return b;
                }
            }
        }
        ErrorBody {
            code: None,
            message: shorten(text.trim()),
        }
    }
}

fn from_object(v: &Value) -> Option<ErrorBody> {
    let m = v.as_object()?;
    for (c, msg) in [
        ("error_code", "error_msg"),
        ("errorCode", "errorMsg"),
        ("code", "message"),
    ] {
        let code = m.get(c).and_then(value_to_string);
        let message = m.get(msg).and_then(value_to_string);
        if code.is_some() || message.is_some() {
            return Some(ErrorBody {
                code: code.filter(|c| !c.is_empty()).map(|c| shorten(&c)),
                message: shorten(&message.unwrap_or_default()),
            });
        }
    }
    None
}

fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{cut}…")
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The gateway answered with an error status.
    Api { status: u16, body: ErrorBody },
    /// No answer: DNS, connect, reset, timeout. Nothing was changed (a read, or a change that
    /// could not have been sent).
    Network(String),
    /// The TLS handshake failed; the text says why and what to do.
    Tls(String),
    /// An answer came but its body was empty, cut short or not the expected JSON.
    BadBody { status: u16, detail: String },
    /// A list read stopped: a page repeated, a marker came back, or a ceiling of pages, bytes
    /// or reported total was passed (the text says which).
    Paging(String),
    /// A change was sent and its answer was lost: it may or may not have happened.
    OutcomeUnknown(String),
    /// The gateway refused the profile's credentials before (the text: that refusal), and they
    /// are held: nothing is sent with them until the person acts.
    CredentialsHeld(String),
    /// The session is read-only and this call would change something.
    ReadOnly,
    /// The profile or an argument cannot form a request (a bad URL, a missing project).
    Setup(String),
    /// A pinned project is not the project of the region it would be used in: nothing was sent.
    WrongProject {
        region: String,
        project: String,
        why: String,
    },
}

/// A failed gateway call: what, which operation, and the ids to find it in the gateway's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    pub kind: ErrorKind,
    /// The operation, e.g. `ECS list servers`.
    pub operation: String,
    /// The gateway's `X-Request-Id`, when an answer came.
    pub request_id: Option<String>,
    /// The client-side id of the attempt (sent as `X-Client-Request-Id`), when no answer came.
    pub attempt_id: Option<String>,
    /// How far the gateway's `Date` was from this machine's clock, in seconds (gateway − local).
    pub clock_skew_secs: Option<i64>,
    /// The AK in use, to name it in signature errors (never the SK).
    pub principal: Option<String>,
}

/// The gateway's clock-skew window.
pub const SKEW_LIMIT_SECS: i64 = 15 * 60;

impl GatewayError {
    pub fn new(operation: impl Into<String>, kind: ErrorKind) -> Self {
        GatewayError {
            kind,
            operation: operation.into(),
            request_id: None,
            attempt_id: None,
            clock_skew_secs: None,
            principal: None,
        }
    }

    /// A change was sent and the answer lost: the caller must look before it retries.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self.kind, ErrorKind::OutcomeUnknown(_))
    }

    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ErrorKind::Api { status, .. } | ErrorKind::BadBody { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service code (`Ecs.0005`), when the body had one.
    pub fn code(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Api { body, .. } => body.code.as_deref(),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A 401 (expired or refused credentials).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    fn message_lower(&self) -> String {
        match &self.kind {
            ErrorKind::Api { body, .. } => body.message.to_lowercase(),
            _ => String::new(),
        }
    }

    /// The sentence for a person: what happened and what to do.
    fn advice(&self) -> String {
        let msg = self.message_lower();
        let code = self.code().unwrap_or("").to_ascii_uppercase();
        match &self.kind {
            ErrorKind::ReadOnly => {
                "refused: the session is read-only (drop --read-only or read_only in the profile to make changes)".into()
            }
            ErrorKind::Setup(s) => s.clone(),
            ErrorKind::WrongProject { region, project, why } => format!(
                "refused: the pinned project {project} is not a project of region {region} ({why}); nothing was sent. Pin {region}'s own project under [profiles.NAME.projects], or pin none to find it through IAM"
            ),
            ErrorKind::Network(s) => format!("no answer from the gateway: {s}"),
            ErrorKind::Tls(s) => s.clone(),
            ErrorKind::BadBody { status, detail } => {
                format!("the gateway answered HTTP {status} with a body hvecs cannot read: {detail}")
            }
            ErrorKind::Paging(s) => format!("stopped reading the list: {s}"),
            ErrorKind::CredentialsHeld(s) => format!(
                "authentication refused; not sending again with these credentials until you act: Ctrl-r in the console, or fix the profile (AK/SK, password, clock) and run again (the refusal: {s})"
            ),
            ErrorKind::OutcomeUnknown(s) => format!(
                "the change was sent but its answer was lost ({s}); it may or may not have happened: look at the resource before trying again"
            ),
            ErrorKind::Api { status, body } => {
                if let Some(skew) = self.clock_skew_secs
                    && skew.abs() > SKEW_LIMIT_SECS
                    && *status == 401
                {
                    let mins = (skew.abs() + 59) / 60;
                    let dir = if skew > 0 { "behind" } else { "ahead of" };
                    return format!(
                        "this machine's clock is {mins} minutes {dir} the gateway's: the gateway allows 15; fix the clock (NTP) and try again"
                    );
                }
                if msg.contains("reach the limit") || msg.contains("forbidden") && code.ends_with(".0301") {
                    return "the AK is locked for 5 minutes after several bad signatures in a row: wait, then check the SK".into();
                }
                if msg.contains("ak not exist") {
                    let ak = self.principal.as_deref().unwrap_or("in use");
                    return format!("the gateway does not know the AK {ak}: check the AK in the profile");
                }
                if msg.contains("signature") {
                    return "the gateway rejected the AK/SK signature: check that the SK belongs to the AK, and the clock".into();
                }
                if msg.contains("quota") {
                    return format!(
                        "quota exceeded: {} (free some resources or ask for a higher quota; `hvecs quotas list` shows the use)",
                        body.message
                    );
                }
                if msg.contains("token expire") || msg.contains("token expired") {
                    return "the token expired: log in again (hvecs renews tokens itself; if this repeats, check the clock)".into();
                }
                if msg.contains("decrypt token") || msg.contains("token not found") || msg.contains("x-auth-token") {
                    return format!("the gateway refused the token ({}): log in again", body.message);
                }
                match status {
                    401 if msg.contains("password") => format!(
                        "IAM refused the login: {} (check user, domain and password)",
                        body.message
                    ),
                    401 => format!("not authenticated: {}", nonempty(&body.message, "the credentials were refused")),
                    403 => format!(
                        "forbidden: {} (the credentials have no right to this, or the project does not match)",
                        nonempty(&body.message, "access denied")
                    ),
                    404 => format!("not found: {}", nonempty(&body.message, "no such object or API")),
                    409 => format!("conflict: {} (the object is busy or in the wrong state)", nonempty(&body.message, "state conflict")),
                    429 => format!(
                        "throttled by the gateway ({}): wait a little and try again",
                        nonempty(&body.message, "too many requests")
                    ),
                    500..=599 => format!(
                        "the gateway failed (HTTP {status}): {}; try again later",
                        nonempty(&body.message, "server error")
                    ),
                    _ => format!("refused: {}", nonempty(&body.message, "request refused")),
                }
            }
        }
    }
}

fn nonempty<'a>(s: &'a str, default: &'a str) -> &'a str {
    if s.trim().is_empty() { default } else { s }
}

impl GatewayError {
    /// What failed and why, with the HTTP status and the API's code (and the client request id
    /// when no answer came), but without the gateway's request id: for callers that show it on
    /// their own. `Display` adds it.
    pub fn message(&self) -> String {
        self.sentence(false)
    }

    /// `operation: advice [HTTP s, code, request id r]`, each part once.
    fn sentence(&self, with_request_id: bool) -> String {
        let mut s = format!("{}: {}", self.operation, self.advice());
        let mut tags = Vec::new();
        if let Some(st) = self.status() {
            tags.push(format!("HTTP {st}"));
        }
        if let Some(c) = self.code() {
            tags.push(c.to_owned());
        }
        match (&self.request_id, &self.attempt_id) {
            (Some(r), _) if with_request_id => tags.push(format!("request id {r}")),
            (None, Some(a)) => tags.push(format!("client request id {a}")),
            _ => {}
        }
        if !tags.is_empty() {
            s.push_str(&format!(" [{}]", tags.join(", ")));
        }
        s
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence(true))
    }
}

impl std::error::Error for GatewayError {}

/// A read's value; `None` when what it reads does not exist (a 404).
pub fn found<T>(read: Result<T, GatewayError>) -> Result<Option<T>, GatewayError> {
    match read {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str) -> GatewayError {
        let mut e = GatewayError::new(
            "ECS list servers",
            ErrorKind::Api {
                status,
                body: ErrorBody::parse(body.as_bytes()),
            },
        );
        e.request_id = Some("0123abcd".into());
        e
    }

    #[test]
    fn all_four_body_shapes_are_read() {
        let b = ErrorBody::parse(br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: decrypt token fail","request_id":"x"}"#);
        assert_eq!(b.code.as_deref(), Some("APIGW.0301"));
        assert!(b.message.contains("decrypt token fail"));
        let b = ErrorBody::parse(
            br#"{"error":{"message":"request body is illegal.","code":"Ecs.0005"}}"#,
        );
        assert_eq!(b.code.as_deref(), Some("Ecs.0005"));
        assert_eq!(b.message, "request body is illegal.");
        let b = ErrorBody::parse(br#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#);
        assert_eq!(b.code.as_deref(), Some("401"));
        let b = ErrorBody::parse(br#"{"error_code":"IAM.0001","error_msg":"The request you have made requires authentication."}"#);
        assert_eq!(b.code.as_deref(), Some("IAM.0001"));
        let b = ErrorBody::parse(br#"{"errorCode":"X.1","errorMsg":"camel"}"#);
        assert_eq!(
            (b.code.as_deref(), b.message.as_str()),
            (Some("X.1"), "camel")
        );
        let b = ErrorBody::parse(b"<html>bad gateway</html>");
        assert_eq!(
            (b.code, b.message.as_str()),
            (None, "<html>bad gateway</html>")
        );
        let b = ErrorBody::parse(b"");
        assert_eq!(b.message, "");
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = api(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires"}"#,
        );
        let s = e.to_string();
        assert!(s.starts_with("ECS list servers: the token expired"), "{s}");
        assert!(
            s.contains("HTTP 401, APIGW.0301, request id 0123abcd"),
            "{s}"
        );

        let e = api(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"AK access failed to reach the limit,forbidden"}"#,
        );
        assert!(e.to_string().contains("locked for 5 minutes"), "{e}");

        let mut e = api(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}"#,
        );
        e.clock_skew_secs = Some(17 * 60);
        assert!(
            e.to_string()
                .contains("clock is 17 minutes behind the gateway's: the gateway allows 15"),
            "{e}"
        );

        let e = api(
            403,
            r#"{"error":{"code":"Ecs.0605","message":"Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}"#,
        );
        let s = e.to_string();
        assert!(
            s.contains("quota exceeded: Quota exceeded for instances"),
            "{s}"
        );
        assert!(
            !s.contains("credentials"),
            "a quota is not a credentials problem: {s}"
        );
        assert_eq!(s.matches("Ecs.0605").count(), 1, "{s}");
        assert!(!e.message().contains("0123abcd"), "{}", e.message());
        assert_eq!(s.matches("0123abcd").count(), 1, "{s}");

        let e = api(
            400,
            r#"{"error":{"code":"Ecs.0005","message":"bad flavor"}}"#,
        );
        assert_eq!(
            e.to_string(),
            "ECS list servers: refused: bad flavor [HTTP 400, Ecs.0005, request id 0123abcd]"
        );

        let e = api(
            429,
            r#"{"error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:XX,time:1 second","error_code":"APIG.0308"}"#,
        );
        assert!(e.to_string().contains("throttled by the gateway"), "{e}");

        let e = GatewayError {
            attempt_id: Some("c-42".into()),
            ..GatewayError::new(
                "ECS stop servers",
                ErrorKind::OutcomeUnknown("connection reset".into()),
            )
        };
        assert!(e.is_outcome_unknown());
        assert!(e.to_string().contains("client request id c-42"), "{e}");
    }
}
