//! A refused credential is not used again until the person acts (issue 14, fault 4): the gateway
//! locks an AK for everyone after 5 bad signatures, so after the first 401 with an auth code no
//! read, refresh or change sends with it; a reset (the console's Ctrl-r) lets one through.

mod support;

use hvecs::config::{Credentials, Secret};
use hvecs::gateway::{CloudSession, CredentialGuard, Gateway, GatewayOptions, ServerFilter};
use hvecs::read::gateway_source::GatewaySource;
use hvecs::read::source::{DataSource, Scope, What};
use support::raw_http::{self, Reply};

const P: &str = "0123456789abcdef0123456789abcdef";

const BAD_SIGNATURE: &str = r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"x"}"#;

fn aksk() -> Credentials {
    Credentials::AkSk {
        ak: "TESTAK".into(),
        sk: Secret::new("WRONG-SK"),
    }
}

fn refused(text: &str) {
    assert!(text.contains("authentication refused"), "{text}");
    assert!(text.contains("not sending again"), "{text}");
    assert!(text.contains("Ctrl-r"), "{text}");
    assert!(!text.contains("WRONG-SK"), "{text}");
}

#[tokio::test]
async fn a_refused_signature_is_sent_once_however_many_reads_follow() {
    let srv = raw_http::start(|_, _| Reply::json(401, BAD_SIGNATURE)).await;
    let opts = GatewayOptions::default();
    let guard: CredentialGuard = opts.credential_guard.clone();
    let c = support::pinned(support::connection("t", &srv.url("http"), aksk()), Some(P));
    let gw = Gateway::new(&c, opts.clone()).unwrap();
    // Another region's client of the same profile shares the guard.
    let other = Gateway::new(
        &hvecs::config::Connection {
            region: "region-2".into(),
            ..c.clone()
        },
        opts.clone(),
    )
    .unwrap();
    let first = gw.list_servers(&ServerFilter::default()).await.unwrap_err();
    assert!(
        first.to_string().contains("verify aksk signature fail")
            || first.to_string().contains("signature"),
        "{first}"
    );
    for _ in 0..3 {
        refused(
            &gw.list_servers(&ServerFilter::default())
                .await
                .unwrap_err()
                .to_string(),
        );
        refused(
            &other
                .list_images(&Default::default())
                .await
                .unwrap_err()
                .to_string(),
        );
    }
    let ids = ["s-1".to_owned()];
    let (a, b, c2) = tokio::join!(
        gw.list_flavors(None),
        gw.list_vpcs(),
        gw.stop_servers(&ids, hvecs::gateway::Force::Soft)
    );
    refused(&a.unwrap_err().to_string());
    refused(&b.unwrap_err().to_string());
    refused(&c2.unwrap_err().to_string());
    assert_eq!(
        srv.seen.lock().unwrap().len(),
        1,
        "one bad signature, not more"
    );
    assert!(guard.refusal().is_some());

    guard.reset();
    gw.list_servers(&ServerFilter::default()).await.unwrap_err();
    assert_eq!(
        srv.seen.lock().unwrap().len(),
        2,
        "the reset lets one through"
    );
    refused(
        &gw.list_servers(&ServerFilter::default())
            .await
            .unwrap_err()
            .to_string(),
    );
    assert_eq!(srv.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn concurrent_first_reads_send_one_probe() {
    let srv = raw_http::start(|_, _| Reply::json(401, BAD_SIGNATURE)).await;
    // No pin: the first request is the project's look-up, refused like every other one (a pin
    // would be checked against the stub's `/v3/auth/projects`, which accepts any signature).
    let c = support::connection("t", &srv.url("http"), aksk());
    let gw = Gateway::new(&c, GatewayOptions::default()).unwrap();
    let f = ServerFilter::default();
    let images = hvecs::gateway::ImageFilter::default();
    let (a, b, c, d, e, g) = tokio::join!(
        gw.list_servers(&f),
        gw.list_images(&images),
        gw.list_flavors(None),
        gw.list_vpcs(),
        gw.list_subnets(None),
        gw.list_disks(None),
    );
    for r in [
        a.map(|_| ()),
        b.map(|_| ()),
        c.map(|_| ()),
        d.map(|_| ()),
        e.map(|_| ()),
        g.map(|_| ()),
    ] {
        assert!(r.is_err());
    }
    assert_eq!(srv.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_console_sends_once_until_ctrl_r() {
    let srv = raw_http::start(|_, _| Reply::json(401, BAD_SIGNATURE)).await;
    let c = support::pinned(support::connection("t", &srv.url("http"), aksk()), Some(P));
    let opts = GatewayOptions::default();
    let source = GatewaySource::new(CloudSession::new(c.clone(), opts).unwrap());
    for _ in 0..4 {
        for what in [
            What::Servers(Scope::All),
            What::Images,
            What::Catalog,
            What::Disks,
        ] {
            let _ = source.fetch(c.region.clone(), what).await;
        }
    }
    let Err(e) = source.fetch(c.region.clone(), What::Images).await else {
        panic!("a refused credential read something")
    };
    refused(&e.message);
    assert_eq!(srv.seen.lock().unwrap().len(), 1);
    source.reset_credentials();
    let _ = source.fetch(c.region.clone(), What::Images).await;
    assert_eq!(srv.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_refused_password_is_not_tried_again() {
    let srv = raw_http::start(|_, _| {
        Reply::json(401, r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#)
    })
    .await;
    let creds = Credentials::Password {
        user: "ops".into(),
        domain: "dom".into(),
        password: Secret::new("pw-very-secret"),
    };
    let c = support::connection("t", &srv.url("http"), creds);
    let gw = Gateway::new(&c, GatewayOptions::default()).unwrap();
    for _ in 0..5 {
        let _ = gw.list_servers(&ServerFilter::default()).await;
    }
    refused(
        &gw.list_servers(&ServerFilter::default())
            .await
            .unwrap_err()
            .to_string(),
    );
    assert_eq!(srv.hits("POST", "/v3/auth/tokens"), 1);
    assert_eq!(srv.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn other_refusals_do_not_hold_the_credential() {
    // A 403 (no right to this) and a 404 are not authentication failures.
    let srv = raw_http::start(|_, i| match i {
        0 => Reply::json(
            403,
            r#"{"error":{"code":"Ecs.0013","message":"forbidden"}}"#,
        ),
        _ => Reply::json(
            404,
            r#"{"error":{"code":"Ecs.0114","message":"not found"}}"#,
        ),
    })
    .await;
    let c = support::pinned(support::connection("t", &srv.url("http"), aksk()), Some(P));
    let gw = Gateway::new(&c, GatewayOptions::default()).unwrap();
    for _ in 0..3 {
        let _ = gw.show_server("s-1").await;
    }
    assert_eq!(srv.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn the_runner_says_it_will_not_send_again() {
    use hvecs::runner::cloud::{CallError, CloudApi};
    use hvecs::runner::gateway_api::GatewayApi;
    let srv = raw_http::start(|_, _| Reply::json(401, BAD_SIGNATURE)).await;
    let c = support::pinned(support::connection("t", &srv.url("http"), aksk()), Some(P));
    let api = GatewayApi::new(
        CloudSession::new(c.clone(), GatewayOptions::default()).unwrap(),
        &c.region,
    );
    let first = api.job("j-1").await.unwrap_err();
    assert!(
        matches!(
            first,
            CallError::Rejected {
                http_status: 401,
                ..
            }
        ),
        "{first:?}"
    );
    let ids = ["s-1".to_owned()];
    let then = api.servers(&ids).await.unwrap_err();
    let CallError::NotSent(text) = &then else {
        panic!("{then:?}")
    };
    assert!(
        text.contains("authentication refused; not sending again with these credentials until"),
        "{text}"
    );
    assert!(text.contains("request id req0000"), "{text}");
    assert_eq!(srv.seen.lock().unwrap().len(), 1);
}
