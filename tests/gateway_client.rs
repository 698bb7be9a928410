//! The gateway client over real HTTP against small local servers on 127.0.0.1: retries of reads,
//! changes never repeated, read-only refusal, auth headers, project lookup, token renewal,
//! clock-skew advice and trace redaction.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hvecs::config::{Connection, Credentials, Secret};
use hvecs::gateway::{ErrorKind, Force, Gateway, GatewayOptions, RetryPolicy, ServerFilter};
use support::raw_http::{self, Reply};

const P: &str = "0123456789abcdef0123456789abcdef";

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(5),
        throttle_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_total: Duration::from_secs(20),
    }
}

/// AK/SK credentials, and the project pinned for the region.
fn aksk(project: Option<&str>) -> (Credentials, Option<&str>) {
    (
        Credentials::AkSk {
            ak: "TESTAK".into(),
            sk: Secret::new("TESTSK-secret"),
        },
        project,
    )
}

fn password() -> (Credentials, Option<&'static str>) {
    (
        Credentials::Password {
            user: "ops".into(),
            domain: "dom".into(),
            password: Secret::new("pw-very-secret"),
        },
        None,
    )
}

fn conn(url: &str, (credentials, project): (Credentials, Option<&str>)) -> Connection {
    support::pinned(support::connection("test", url, credentials), project)
}

fn gateway(c: &Connection, attempts: u32) -> Gateway {
    Gateway::new(
        c,
        GatewayOptions {
            retry: fast_retries(attempts),
            ..Default::default()
        },
    )
    .unwrap()
}

const ONE_SERVER: &str = r#"{"count":1,"servers":[{"id":"s-1","name":"web-1","status":"ACTIVE"}]}"#;

#[tokio::test]
async fn reads_recover_from_5xx_429_cut_and_garbled_answers() {
    let srv = raw_http::start(|_, i| match i {
        0 => Reply::json(503, "busy"),
        1 => Reply::json(429, r#"{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}"#)
            .with_header("retry-after", "0"),
        2 => Reply::Truncated { status: 200, body: ONE_SERVER.into(), send: 10 },
        3 => Reply::json(200, "<html>proxy error</html>"),
        4 => Reply::Reset,
        _ => Reply::json(200, ONE_SERVER),
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 8);
    let servers = gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0].name, "web-1");
    assert_eq!(srv.hits("GET", &format!("/v1/{P}/cloudservers/detail")), 6);
}

#[tokio::test]
async fn reads_give_up_when_the_budget_is_spent_and_name_the_request_id() {
    let srv = raw_http::start(|_, _| {
        Reply::json(
            503,
            r#"{"error":{"code":"Ecs.0001","message":"system busy"}}"#,
        )
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 3);
    let e = gw.list_servers(&ServerFilter::default()).await.unwrap_err();
    assert_eq!(srv.hits("GET", "/v1/"), 3);
    assert_eq!(e.status(), Some(503));
    let text = e.to_string();
    assert!(
        text.starts_with("ECS list servers: the gateway failed (HTTP 503): system busy"),
        "{text}"
    );
    assert!(text.contains("request id req0002"), "{text}");
}

#[tokio::test]
async fn a_refused_change_is_sent_once() {
    let srv = raw_http::start(|_, _| Reply::json(503, "busy")).await;
    let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 5);
    let e = gw
        .stop_servers(&["s-1".into()], Force::Soft)
        .await
        .unwrap_err();
    assert_eq!(srv.hits("POST", "/v1/"), 1);
    assert!(!e.is_outcome_unknown());
    assert_eq!(e.status(), Some(503));
}

#[tokio::test]
async fn a_change_whose_answer_is_lost_is_outcome_unknown_and_not_repeated() {
    for (name, reply) in [
        ("reset", 0usize),
        ("truncated", 1),
        ("gateway timeout", 2),
        ("garbled", 3),
    ] {
        let srv = raw_http::start(move |_, _| match reply {
            0 => Reply::Reset,
            1 => Reply::Truncated {
                status: 200,
                body: r#"{"job_id":"0123456789abcdef0123456789abcdef"}"#.into(),
                send: 5,
            },
            2 => Reply::json(504, "upstream timed out"),
            _ => Reply::json(200, "not json"),
        })
        .await;
        let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 5);
        let e = gw.start_servers(&["s-1".into()]).await.unwrap_err();
        assert_eq!(
            srv.hits("POST", "/v1/"),
            1,
            "{name}: the change was repeated"
        );
        assert!(e.is_outcome_unknown(), "{name}: {e}");
        let text = e.to_string();
        assert!(
            text.contains("may or may not have happened"),
            "{name}: {text}"
        );
        assert!(
            text.contains("request id"),
            "{name}: no request id in {text}"
        );
    }
}

#[tokio::test]
async fn read_only_sessions_send_no_change() {
    let srv = raw_http::start(|_, _| Reply::json(200, r#"{"job_id":"j"}"#)).await;
    let mut c = conn(&srv.url("http"), aksk(Some(P)));
    c.read_only = true;
    let gw = gateway(&c, 3);
    let e = gw
        .delete_servers(&["s-1".into()], false, false)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReadOnly);
    assert!(e.to_string().contains("read-only"));
    assert_eq!(srv.seen.lock().unwrap().len(), 0);
    // Reads still work.
    let srv2 = raw_http::start(|_, _| Reply::json(200, ONE_SERVER)).await;
    let mut c2 = conn(&srv2.url("http"), aksk(Some(P)));
    c2.read_only = true;
    assert_eq!(
        gateway(&c2, 1)
            .list_servers(&ServerFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn aksk_requests_are_signed_and_carry_the_project() {
    let srv = raw_http::start(|_, _| Reply::json(200, ONE_SERVER)).await;
    let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 1);
    gw.list_servers(&ServerFilter {
        name: Some("web 1".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let seen = srv.seen.lock().unwrap()[0].clone();
    assert_eq!(seen.header("x-project-id"), Some(P));
    let auth = seen.header("authorization").unwrap();
    assert!(auth.starts_with("SDK-HMAC-SHA256 Access=TESTAK, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature="), "{auth}");
    assert_eq!(seen.header("x-sdk-date").unwrap().len(), 16);
    // The query goes out in canonical form: sorted, %20 for a space.
    assert_eq!(
        seen.target,
        format!("/v1/{P}/cloudservers/detail?limit=1000&name=web%201&offset=1")
    );
    assert!(seen.header("x-auth-token").is_none());
}

#[tokio::test]
async fn the_project_is_found_from_the_region_once() {
    let srv = raw_http::start(|req, _| {
        if req.target.starts_with("/v3/projects") {
            assert_eq!(req.target, "/v3/projects?name=region-1");
            assert!(req.header("x-project-id").is_none());
            Reply::json(
                200,
                &format!(r#"{{"projects":[{{"id":"{P}","name":"region-1"}}]}}"#),
            )
        } else {
            Reply::json(200, ONE_SERVER)
        }
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), aksk(None)), 1);
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(srv.hits("GET", "/v3/projects"), 1);
    assert_eq!(srv.hits("GET", &format!("/v1/{P}/")), 2);

    let none = raw_http::start(|_, _| Reply::json(200, r#"{"projects":[]}"#)).await;
    let e = gateway(&conn(&none.url("http"), aksk(None)), 1)
        .project_id()
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("IAM knows no project named \"region-1\""),
        "{e}"
    );
}

fn token_reply(lifetime_secs: i64) -> Reply {
    let issued = chrono::Utc::now();
    let expires = issued + chrono::Duration::seconds(lifetime_secs);
    let body = serde_json::json!({"token": {"issued_at": issued.to_rfc3339(), "expires_at": expires.to_rfc3339(),
        "project": {"id": P, "name": "region-1"}, "user": {"id": "u", "name": "ops"}}});
    Reply::Full {
        status: 201,
        headers: vec![(
            "x-subject-token".into(),
            format!("TOKEN-{}", issued.timestamp_nanos_opt().unwrap_or(0)),
        )],
        body: body.to_string(),
    }
}

#[tokio::test]
async fn tokens_are_reused_renewed_on_401_and_before_expiry() {
    let gets = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let g2 = gets.clone();
    let srv = raw_http::start(move |req, _| {
        if req.method == "POST" && req.target.starts_with("/v3/auth/tokens") {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
            assert_eq!(body["auth"]["scope"]["project"]["name"], "region-1");
            assert_eq!(body["auth"]["identity"]["password"]["user"]["password"], "pw-very-secret");
            return token_reply(24 * 3600);
        }
        assert!(req.header("x-auth-token").unwrap().starts_with("TOKEN-"));
        // The second read is refused once, as for a token revoked on the gateway.
        if g2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            return Reply::json(401, r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires"}"#);
        }
        Reply::json(200, ONE_SERVER)
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), password()), 1);
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(gw.project_id().await.unwrap(), P);
    assert_eq!(srv.hits("POST", "/v3/auth/tokens"), 1);
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(
        srv.hits("POST", "/v3/auth/tokens"),
        2,
        "a 401 did not renew the token"
    );
    assert_eq!(gw.login_count(), 2);

    // A token that expires within the renewal margin is renewed before each use.
    let short = raw_http::start(|req, _| {
        if req.method == "POST" {
            token_reply(60)
        } else {
            Reply::json(200, ONE_SERVER)
        }
    })
    .await;
    let gw = gateway(&conn(&short.url("http"), password()), 1);
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    let before = short.hits("POST", "/v3/auth/tokens");
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(
        short.hits("POST", "/v3/auth/tokens"),
        before + 1,
        "a token about to expire was used"
    );
}

#[tokio::test]
async fn a_wrong_password_is_said_plainly_and_not_retried() {
    let srv = raw_http::start(|_, _| {
        Reply::json(401, r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#)
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), password()), 4);
    let e = gw.list_servers(&ServerFilter::default()).await.unwrap_err();
    assert_eq!(srv.hits("POST", "/v3/auth/tokens"), 1);
    let text = e.to_string();
    assert!(
        text.contains("IAM refused the login: The username or password is wrong."),
        "{text}"
    );
    assert!(!text.contains("pw-very-secret"));
}

#[tokio::test]
async fn clock_skew_is_named_in_signature_errors() {
    let srv = raw_http::start(|_, _| {
        let date = (chrono::Utc::now() + chrono::Duration::minutes(17)).to_rfc2822();
        Reply::json(401, r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}"#)
            .with_header("date", &date)
    })
    .await;
    let gw = gateway(&conn(&srv.url("http"), aksk(Some(P))), 1);
    let e = gw.list_servers(&ServerFilter::default()).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("clock is 17 minutes behind the gateway's: the gateway allows 15"),
        "{e}"
    );
    assert!(gw.clock_skew_secs().unwrap() > 16 * 60);
}

#[tokio::test]
async fn the_trace_has_every_exchange_and_no_secret() {
    let srv = raw_http::start(|req, _| {
        if req.method == "POST" {
            token_reply(3600)
        } else {
            Reply::json(200, ONE_SERVER)
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let gw = Gateway::new(
        &conn(&srv.url("http"), password()),
        GatewayOptions {
            trace_http: Some(trace.clone()),
            retry: fast_retries(1),
            ..Default::default()
        },
    )
    .unwrap();
    gw.list_servers(&ServerFilter::default()).await.unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("/v3/auth/tokens") && text.contains("cloudservers/detail"));
    assert!(text.contains("\"status\":201") && text.contains("web-1"));
    assert!(!text.contains("pw-very-secret"), "password leaked");
    assert!(!text.contains("TOKEN-"), "token leaked");
}
