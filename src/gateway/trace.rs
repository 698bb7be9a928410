//! `--trace-http FILE`: every request and response as one JSON line (method, URL, status,
//! headers, body, timing), with tokens, signatures, passwords and secret keys redacted.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{Value, json};

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
];
const MAX_BODY: usize = 64 * 1024;

/// Where traced exchanges go.
#[derive(Debug)]
pub struct Tracer {
    file: Mutex<std::fs::File>,
}

/// One exchange, as recorded.
#[derive(Debug, Clone, Default)]
pub struct Exchange<'a> {
    pub attempt_id: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub request_headers: Vec<(String, String)>,
    pub request_body: &'a [u8],
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: &'a [u8],
    pub error: Option<String>,
    pub millis: u128,
}

impl Tracer {
    /// Opens (appends to) the trace file, readable by its owner only.
    pub fn open(path: &Path) -> Result<Tracer, String> {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts
            .open(path)
            .map_err(|e| format!("--trace-http {}: cannot open it: {e}", path.display()))?;
        Ok(Tracer {
            file: Mutex::new(file),
        })
    }

    pub fn record(&self, x: &Exchange<'_>) {
        let line = render(x);
        if let Ok(mut f) = self.file.lock() {
            // Tracing is best effort: a full disk must not fail the call being traced.
            let _ = writeln!(f, "{line}");
        }
    }
}

/// The JSON line for an exchange, redacted.
pub fn render(x: &Exchange<'_>) -> String {
    json!({
        "time": chrono::Utc::now().to_rfc3339(),
        "attempt": x.attempt_id,
        "method": x.method,
        "url": x.url,
        "request": {"headers": headers(&x.request_headers), "body": body(x.request_body)},
        "status": x.status,
        "response": {"headers": headers(&x.response_headers), "body": body(x.response_body)},
        "error": x.error,
        "ms": x.millis as u64,
    })
    .to_string()
}

fn headers(h: &[(String, String)]) -> Value {
    Value::Object(
        h.iter()
            .map(|(k, v)| {
                let shown = if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                    "***".to_owned()
                } else {
                    v.clone()
                };
                (k.clone(), Value::String(shown))
            })
            .collect(),
    )
}

fn body(b: &[u8]) -> Value {
    if b.is_empty() {
        return Value::Null;
    }
    match serde_json::from_slice::<Value>(b) {
        Ok(mut v) => {
            redact(&mut v);
            v
        }
        Err(_) => {
            let text = String::from_utf8_lossy(&b[..b.len().min(MAX_BODY)]).into_owned();
            Value::String(redact_text(&text))
        }
    }
}

/// Whether a JSON key names a secret.
fn is_secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k == "sk"
        || k == "adminpass"
        || k == "user_data"
        || k.contains("token") && !k.ends_with("_at") && k != "x-client-token"
}

/// Replaces every secret value in a JSON document with `***`.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if is_secret_key(k) && !val.is_object() {
                    *val = Value::String("***".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(redact),
        // A URL with a token in it (a remote login's one-time URL), whatever its key.
        Value::String(s) if carries_token(s) => *s = "***".into(),
        _ => {}
    }
}

/// Whether a text holds a `token=` parameter (a one-time URL).
fn carries_token(t: &str) -> bool {
    t.to_ascii_lowercase().contains("token=")
}

/// Non-JSON text is kept only when it mentions no password or key.
fn redact_text(t: &str) -> String {
    let l = t.to_ascii_lowercase();
    if l.contains("password") || l.contains("secret") || carries_token(&l) {
        "*** (a non-JSON body that mentions a secret)".into()
    } else {
        t.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_reach_the_trace() {
        let req = br#"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"u","password":"hunter2","domain":{"name":"d"}}}}},"server":{"adminPass":"P@ss"}}"#;
        let line = render(&Exchange {
            attempt_id: "a1",
            method: "POST",
            url: "https://iam/v3/auth/tokens",
            request_headers: vec![
                (
                    "Authorization".into(),
                    "SDK-HMAC-SHA256 Access=AK, Signature=abc".into(),
                ),
                ("X-Auth-Token".into(), "MIIDtoken".into()),
            ],
            request_body: req,
            response_headers: vec![("X-Subject-Token".into(), "MIIDsubject".into())],
            ..Default::default()
        });
        for secret in [
            "hunter2",
            "P@ss",
            "MIIDtoken",
            "MIIDsubject",
            "Signature=abc",
        ] {
            assert!(!line.contains(secret), "{secret} leaked: {line}");
        }
        assert!(line.contains("\"name\":\"u\""), "{line}");
        assert!(line.contains("POST"));
    }

    #[test]
    fn a_one_time_console_url_never_reaches_the_trace() {
        let resp = br#"{"remote_console":{"protocol":"vnc","type":"novnc","url":"https://vnc.example:8002/vnc_auto.html?token=0fda3eca-8232&lang=EN"}}"#;
        let line = render(&Exchange {
            method: "POST",
            response_body: resp,
            ..Default::default()
        });
        assert!(!line.contains("0fda3eca"), "the token leaked: {line}");
        assert!(line.contains("\"protocol\":\"vnc\""), "{line}");
        let text = render(&Exchange {
            response_body: b"see https://vnc/vnc_auto.html?token=0fda3eca",
            ..Default::default()
        });
        assert!(!text.contains("0fda3eca"), "the token leaked: {text}");
    }
}
