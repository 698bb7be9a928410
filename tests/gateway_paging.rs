//! Pagination against gateways that misbehave on purpose (issue 14, fault 2): a page number or
//! marker ignored, a huge `count` with full pages, endless new pages. Every list stops with an
//! error that names the call, the request id and why, after a bounded number of requests.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hvecs::config::Connection;
use hvecs::gateway::{ErrorKind, Gateway, GatewayError, GatewayOptions, ImageFilter, ServerFilter};
use support::raw_http::{self, Reply, Seen};

fn conn(url: &str) -> Connection {
    support::signed_connection(url)
}

fn gateway(url: &str, opts: GatewayOptions) -> Gateway {
    Gateway::new(&conn(url), opts).unwrap()
}

/// A list body of `n` objects under `key`, ids `<prefix>-<i>`, with an optional `count`.
fn list_body(key: &str, prefix: &str, n: usize, count: Option<u64>) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"{prefix}-{i}","name":"n{i}","status":"ACTIVE"}}"#))
        .collect();
    let count = count
        .map(|c| format!(r#""count":{c},"#))
        .unwrap_or_default();
    format!(r#"{{{count}"{key}":[{}]}}"#, items.join(","))
}

/// Runs a list to its end, or fails the test after 30 s (today's endless loops).
async fn bounded<T>(
    f: impl std::future::Future<Output = Result<T, GatewayError>>,
) -> Result<T, GatewayError> {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("the list did not end within 30 s")
}

fn assert_paging_error(e: &GatewayError, operation: &str, why: &str) {
    assert!(matches!(e.kind, ErrorKind::Paging(_)), "{e:?}");
    let text = e.to_string();
    assert!(text.starts_with(operation), "{text}");
    assert!(text.contains(why), "{text}");
    assert!(text.contains("request id req"), "{text}");
}

fn query(s: &Seen, name: &str) -> Option<String> {
    let q = s.target.split_once('?')?.1;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[tokio::test]
async fn servers_stop_when_the_gateway_ignores_the_page_number_without_a_count() {
    let page = list_body("servers", "s", 1000, None);
    let srv = raw_http::start(move |_, _| Reply::json(200, &page)).await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_servers(&ServerFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "ECS list servers", "page 2 adds no new id");
    assert_eq!(srv.hits("GET", "/v1/"), 2);
    let raw = bounded(gw.list_servers_raw(&ServerFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&raw, "ECS list servers", "page 2 adds no new id");
}

#[tokio::test]
async fn servers_stop_when_the_gateway_repeats_pages_under_a_count() {
    let page = list_body("servers", "s", 1000, Some(5000));
    let srv = raw_http::start(move |_, _| Reply::json(200, &page)).await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_servers(&ServerFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "ECS list servers", "page 2 adds no new id");
    assert!(srv.hits("GET", "/v1/") <= 5, "{}", srv.hits("GET", "/v1/"));
}

#[tokio::test]
async fn a_huge_count_is_refused_before_its_pages_are_read() {
    // Full pages of new ids every time, and a count of a trillion.
    let srv = raw_http::start(|_, i| {
        Reply::json(
            200,
            &list_body("servers", &format!("p{i}"), 1000, Some(1_000_000_000_000)),
        )
    })
    .await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_servers(&ServerFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "ECS list servers", "1000000000000 items");
    assert_eq!(srv.hits("GET", "/v1/"), 1);
}

#[tokio::test]
async fn endless_new_pages_stop_at_the_page_ceiling() {
    let srv = raw_http::start(|_, i| {
        Reply::json(200, &list_body("servers", &format!("p{i}"), 1000, None))
    })
    .await;
    let opts = GatewayOptions {
        page_limits: hvecs::gateway::PageLimits {
            pages: 7,
            ..Default::default()
        },
        ..Default::default()
    };
    let gw = gateway(&srv.url("http"), opts);
    let e = bounded(gw.list_servers(&ServerFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "ECS list servers", "more than 7 pages");
    assert_eq!(srv.hits("GET", "/v1/"), 8);
}

#[tokio::test]
async fn endless_new_pages_stop_at_the_byte_ceiling() {
    let srv =
        raw_http::start(|_, i| Reply::json(200, &list_body("images", &format!("p{i}"), 500, None)))
            .await;
    let opts = GatewayOptions {
        page_limits: hvecs::gateway::PageLimits {
            bytes: 200_000,
            ..Default::default()
        },
        ..Default::default()
    };
    let gw = gateway(&srv.url("http"), opts);
    let e = bounded(gw.list_images(&ImageFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "IMS list images", "more than 200000 bytes");
    assert!(srv.hits("GET", "/v2/cloudimages") <= 10);
}

#[tokio::test]
async fn images_stop_when_the_gateway_ignores_the_marker() {
    // Today the repeated page ends the list quietly: 500 images of however many there are.
    let page = list_body("images", "i", 500, None);
    let srv = raw_http::start(move |_, _| Reply::json(200, &page)).await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_images(&ImageFilter::default()))
        .await
        .unwrap_err();
    assert_paging_error(&e, "IMS list images", "adds no new id");
    assert_eq!(srv.hits("GET", "/v2/cloudimages"), 2);
}

#[tokio::test]
async fn flavors_and_networks_stop_when_the_marker_is_ignored() {
    let srv = raw_http::start(|req, _| {
        let (key, n) = if req.target.contains("/flavors") {
            ("flavors", 1000)
        } else if req.target.contains("/subnets") {
            ("subnets", 1000)
        } else {
            ("vpcs", 1000)
        };
        Reply::json(200, &list_body(key, key, n, None))
    })
    .await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_flavors(None)).await.unwrap_err();
    assert_paging_error(&e, "ECS list flavors", "adds no new id");
    let e = bounded(gw.list_vpcs()).await.unwrap_err();
    assert_paging_error(&e, "VPC list VPCs", "adds no new id");
    let e = bounded(gw.list_subnets(None)).await.unwrap_err();
    assert_paging_error(&e, "VPC list subnets", "adds no new id");
}

#[tokio::test]
async fn disks_and_snapshots_stop_when_the_offset_is_ignored() {
    let srv = raw_http::start(|req, _| {
        let key = if req.target.contains("cloudvolumes") {
            "volumes"
        } else {
            "snapshots"
        };
        // No count (the walk goes on until a short page), and the same page for every offset.
        Reply::json(200, &list_body(key, key, 1000, None))
    })
    .await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let e = bounded(gw.list_disks(None)).await.unwrap_err();
    assert_paging_error(&e, "EVS list disks", "offset 1000 adds no new id");
    let e = bounded(gw.list_snapshots(None)).await.unwrap_err();
    assert_paging_error(&e, "EVS list snapshots", "offset 1000 adds no new id");
}

#[tokio::test]
async fn well_behaved_pages_are_all_read_once() {
    // 2,345 servers in pages of 1000 with a count; a page answered for each offset asked.
    let srv = raw_http::start(|req, _| {
        let page: usize = query(req, "offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(1);
        let start = (page - 1) * 1000;
        let n = 2345usize.saturating_sub(start).min(1000);
        let items: Vec<String> = (start..start + n)
            .map(|i| format!(r#"{{"id":"s-{i}","name":"n{i}"}}"#))
            .collect();
        Reply::json(
            200,
            &format!(r#"{{"count":2345,"servers":[{}]}}"#, items.join(",")),
        )
    })
    .await;
    let gw = gateway(&srv.url("http"), GatewayOptions::default());
    let all = bounded(gw.list_servers(&ServerFilter::default()))
        .await
        .unwrap();
    assert_eq!(all.len(), 2345);
    assert_eq!(all[2344].id, "s-2344");
    assert_eq!(srv.hits("GET", "/v1/"), 3);
}

#[tokio::test]
async fn the_console_stops_when_the_gateway_ignores_the_page_number() {
    use hvecs::read::gateway_source::GatewaySource;
    use hvecs::read::source::{DataSource, Scope, What};
    let page = list_body("servers", "s", 1000, None);
    let srv = raw_http::start(move |_, _| Reply::json(200, &page)).await;
    let c = conn(&srv.url("http"));
    let session = hvecs::gateway::CloudSession::new(c.clone(), GatewayOptions::default()).unwrap();
    let source = GatewaySource::new(session);
    let got = tokio::time::timeout(
        Duration::from_secs(30),
        source.fetch(c.region.clone(), What::Servers(Scope::All)),
    )
    .await
    .expect("the console's server list did not end within 30 s");
    let Err(e) = got else {
        panic!("an error, not a list")
    };
    assert!(e.message.contains("page 2 adds no new id"), "{}", e.message);
    assert_eq!(e.request_id.as_deref(), Some("req0001"));
    assert_eq!(srv.hits("GET", "/v1/"), 2);
}
