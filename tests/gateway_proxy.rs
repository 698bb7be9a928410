//! `HTTP_PROXY`/`HTTPS_PROXY` and `NO_PROXY` are honoured. One test in its own binary, because
//! it sets process environment variables before anything else runs.

mod support;

use hvecs::config::{Connection, Credentials, Secret};
use hvecs::gateway::{Gateway, GatewayOptions, RetryPolicy, ServerFilter};
use support::raw_http::{self, Reply};

const P: &str = "0123456789abcdef0123456789abcdef";

fn conn(url: &str) -> Connection {
    let credentials = Credentials::AkSk {
        ak: "AK".into(),
        sk: Secret::new("SK"),
    };
    support::pinned(support::connection("proxy", url, credentials), Some(P))
}

#[test]
fn requests_go_through_the_proxy_unless_no_proxy_names_the_host() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let proxy = rt.block_on(raw_http::start(|_, _| {
        Reply::json(
            200,
            r#"{"count":1,"servers":[{"id":"s","name":"via-proxy","status":"ACTIVE"}]}"#,
        )
    }));
    // SAFETY: this test binary has one test and sets the variables before any client exists.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.url("http"));
        std::env::set_var("NO_PROXY", "direct.invalid");
    }
    let opts = || GatewayOptions {
        retry: RetryPolicy::none(),
        ..Default::default()
    };
    let gw = Gateway::new(&conn("http://gateway.invalid:8080"), opts()).unwrap();
    let s = rt
        .block_on(gw.list_servers(&ServerFilter::default()))
        .unwrap();
    assert_eq!(s[0].name, "via-proxy");
    let seen = proxy.seen.lock().unwrap()[0].clone();
    assert!(
        seen.target.starts_with(&format!(
            "http://gateway.invalid:8080/v1/{P}/cloudservers/detail?"
        )),
        "{}",
        seen.target
    );
    assert_eq!(seen.header("host"), Some("gateway.invalid:8080"));

    // NO_PROXY: dialled directly, and .invalid does not resolve.
    let gw = Gateway::new(&conn("http://direct.invalid:8080"), opts()).unwrap();
    let e = rt
        .block_on(gw.list_servers(&ServerFilter::default()))
        .unwrap_err();
    assert!(e.status().is_none(), "{e}");
    assert_eq!(proxy.seen.lock().unwrap().len(), 1);
}
