//! The real `hvecs` console in a pseudo-terminal on a long list (issue 21): the first page's rows
//! are on screen, with how far the read has got, while the gateway still holds the later pages
//! back; once they come the list is whole.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::pty::Pty;
use support::raw_http::{self, Gate, Reply};

const SERVERS: usize = 3000;
const PAGE: usize = 1000;
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The pages of `SERVERS` servers `srv-0` … named in list order, each the documented server.
fn pages() -> Vec<String> {
    let page: Value =
        serde_json::from_str(&fixture("ecs_list_servers_detail.response.json")).unwrap();
    let model = page["servers"][0].clone();
    let all: Vec<Value> = (0..SERVERS)
        .map(|i| {
            let mut s = model.clone();
            s["id"] = format!("00000000-0000-4000-8000-{i:012}").into();
            s["name"] = format!("srv-{i:04}").into();
            s
        })
        .collect();
    all.chunks(PAGE)
        .map(|c| serde_json::json!({"count": SERVERS, "servers": c}).to_string())
        .collect()
}

/// A gateway whose server pages after the first wait for `gate`.
async fn gateway(gate: Gate) -> raw_http::Server {
    let pages = pages();
    let azs = fixture("ecs_list_availability_zones.response.json");
    raw_http::start(move |seen, _| {
        let t = &seen.target;
        if t.starts_with("/v3/regions") {
            return Reply::json(200, r#"{"regions": [{"id": "region-1"}]}"#);
        }
        if t.contains("os-availability-zone") {
            return Reply::json(200, &azs);
        }
        if !t.contains("/cloudservers/detail") {
            return Reply::json(404, "{}");
        }
        let page: usize = t
            .split(['?', '&'])
            .find_map(|kv| kv.strip_prefix("offset="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let reply = match pages.get(page.saturating_sub(1)) {
            Some(body) => Reply::json(200, body),
            None => Reply::json(200, &format!(r#"{{"count": {SERVERS}, "servers": []}}"#)),
        };
        if page > 1 { gate.hold(reply) } else { reply }
    })
    .await
}

#[test]
fn the_first_page_is_on_screen_before_the_later_pages_are_served() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let gate = Gate::default();
    let srv = rt.block_on(gateway(gate.clone()));
    let url = srv.url("http");
    let env = [
        ("HVECS_ENDPOINT", url.as_str()),
        ("HVECS_REGION", "region-1"),
        ("HVECS_AK", "AKTEST"),
        ("HVECS_SK", "not-a-real-secret"),
        ("HVECS_PROJECT_ID", PROJECT),
    ];
    let mut p = Pty::spawn(&[], &env, 160, 40);
    let screen = p.wait_for("the first page's rows", |s| {
        s.contains("srv-0000") && s.contains("1,000 of 3,000…")
    });
    // The later pages were asked for and are held: nothing of them is on screen.
    assert!(srv.hits("GET", &format!("/v1/{PROJECT}/cloudservers/detail")) >= 2);
    assert!(!screen.contains("srv-1000"), "{screen}");
    assert!(!screen.contains("loading servers"), "{screen}");

    gate.open();
    let screen = p.wait_for("the whole list", |s| s.contains("az: all · 3000 "));
    assert!(!screen.contains("of 3,000"), "{screen}");
    p.keys("G");
    p.wait_text("srv-2999");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
