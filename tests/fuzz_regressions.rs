//! What the fuzz targets (fuzz/) found, each through the product's real path: a small local
//! server on 127.0.0.1 that answers as the fuzzer's input did.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hvecs::gateway::{ErrorBody, ErrorKind, Gateway, GatewayOptions};
use support::raw_http::{self, Reply};

fn gateway(url: &str) -> Gateway {
    Gateway::new(&support::signed_connection(url), GatewayOptions::default()).unwrap()
}

/// gateway_answer: an error body whose `error_msg` (or code) is long was kept whole, unlike a
/// body that is not JSON, which is cut at 200 characters.
#[tokio::test]
async fn a_long_error_message_from_the_gateway_is_bounded() {
    let long = "j".repeat(5000);
    let body =
        format!(r#"{{"error_code":"Ecs.{long}","error_msg":"The throttling threshold {long}"}}"#);
    let srv = raw_http::start(move |_, _| Reply::json(400, &body)).await;
    let e = gateway(&srv.url("http"))
        .show_server("s-1")
        .await
        .unwrap_err();
    let ErrorKind::Api { body, .. } = &e.kind else {
        panic!("not an API error: {e}");
    };
    assert!(
        body.message.starts_with("The throttling threshold jjj"),
        "{body:?}"
    );
    assert!(
        body.message.chars().count() <= 201,
        "{} characters",
        body.message.len()
    );
    let code = body.code.as_deref().unwrap_or_default();
    assert!(
        code.starts_with("Ecs.jjj") && code.chars().count() <= 201,
        "{code}"
    );
    assert!(
        e.to_string().len() < 1000,
        "{} bytes: {e}",
        e.to_string().len()
    );
}

/// The fuzzer's own input (fuzz/artifacts/gateway_answer/crash-5576da56…), minimised.
#[test]
fn the_fuzzers_error_body_is_bounded() {
    let msg = format!(
        "The throttling threshold has been reached: {}",
        "j".repeat(190)
    );
    let b = ErrorBody::parse(format!(r#"{{"error_msg":"{msg}"}}"#).as_bytes());
    assert_eq!(b.message.chars().count(), 201, "{b:?}");
    assert!(b.message.ends_with('…'));
}
