//! The real `hvecs` binary writing a long list page by page (issue 21): `-o json` is the API's
//! items in one array, `-o table` keeps the first page's columns, and a gateway that fails on
//! page 7 ends with exit 3 and an array that no JSON parser takes for a whole list (also with
//! `--region all`, when a region fails after its first items were written).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Output};

use serde_json::Value;
use support::raw_http::{self, Reply};

const SERVERS: usize = 10_000;
const PAGE: usize = 1000;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const OTHER_PROJECT: &str = "fedcba9876543210fedcba9876543210";

/// Runs `hvecs ARGS` against `url` (AK/SK from the environment) to its end, off the runtime.
async fn run(url: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    for v in hvecs::config::ENV_VARIABLES {
        cmd.env_remove(v);
    }
    cmd.env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("HVECS_ENDPOINT", url)
        .env("HVECS_REGION", "region-1")
        .env("HVECS_AK", "AKTEST")
        .env("HVECS_SK", "not-a-real-secret")
        .args(args);
    if !args.contains(&"all") {
        cmd.env("HVECS_PROJECT_ID", PROJECT);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    drop(dir);
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The documented server of the fixture, as server `i` (its own id and name; names grow
/// longer on later pages: `srv-9` … `srv-9999`).
fn servers() -> Vec<Value> {
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ecs_list_servers_detail.response.json"
    ))
    .unwrap();
    let page: Value = serde_json::from_str(&fixture).unwrap();
    let model = page["servers"][0].clone();
    (0..SERVERS)
        .map(|i| {
            let mut s = model.clone();
            s["id"] = format!("00000000-0000-4000-8000-{i:012}").into();
            s["name"] = format!("srv-{i}").into();
            s
        })
        .collect()
}

/// A page that fails: the project it is of, its number, and its answer.
type BadPage = (&'static str, u64, fn() -> Reply);

/// A gateway with `SERVERS` servers in pages of `PAGE` in each of two regions (`region-1`,
/// `region-2`: IAM names them and their projects), whose page `bad.1` of project `bad.0` (if any)
/// is `bad.2`.
async fn gateway(bad: Option<BadPage>) -> (raw_http::Server, Vec<Value>) {
    let all = servers();
    let pages: Vec<String> = all
        .chunks(PAGE)
        .map(|c| serde_json::json!({"count": SERVERS, "servers": c}).to_string())
        .collect();
    let srv = raw_http::start(move |seen, _| {
        let t = &seen.target;
        if t.starts_with("/v3/regions") {
            return Reply::json(
                200,
                r#"{"regions": [{"id": "region-1"}, {"id": "region-2"}]}"#,
            );
        }
        if t.starts_with("/v3/projects") {
            let (id, name) = match t.contains("region-2") {
                true => (OTHER_PROJECT, "region-2"),
                false => (PROJECT, "region-1"),
            };
            let body = serde_json::json!({"projects": [{"id": id, "name": name}]});
            return Reply::json(200, &body.to_string());
        }
        if !t.contains("/cloudservers/detail") {
            return Reply::json(404, "{}");
        }
        let page: u64 = t
            .split(['?', '&'])
            .find_map(|kv| kv.strip_prefix("offset="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        match bad {
            Some((project, at, reply)) if at == page && t.contains(project) => reply(),
            _ => match pages.get(page.saturating_sub(1) as usize) {
                Some(body) => {
                    Reply::json(200, body).with_header("X-Request-Id", &format!("req-page-{page}"))
                }
                None => Reply::json(200, r#"{"count": 10000, "servers": []}"#),
            },
        }
    })
    .await;
    (srv, all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_in_json_is_the_apis_items_in_one_array() {
    let (srv, all) = gateway(None).await;
    let out = run(&srv.url("http"), &["servers", "list", "-o", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got, all, "every server, in order, each as the API sent it");
    let json = text(&out.stdout);
    assert!(json.starts_with("[\n  {") && json.ends_with("}\n]\n"));
    assert_eq!(json.lines().count(), SERVERS + 2, "one line a server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_table_keeps_the_first_pages_columns_and_every_cell_whole() {
    let (srv, _) = gateway(None).await;
    let out = run(&srv.url("http"), &["servers", "list"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), SERVERS + 1);
    // The first page's names are at most `srv-999`: the next column starts after them.
    let status_at = lines[0].find("STATUS").unwrap();
    assert_eq!(status_at, "srv-999".len() + 2, "{}", lines[0]);
    let id_at = lines[0].find(" ID").unwrap() + 1;
    for (i, line) in lines[1..].iter().enumerate() {
        let id = format!("00000000-0000-4000-8000-{i:012}");
        assert!(line.starts_with(&format!("srv-{i} ")), "{line}");
        // Off a terminal a wider cell of a later page is written whole, never cut.
        let at = line.find(&id).unwrap_or_else(|| panic!("{line}"));
        if i < PAGE {
            assert_eq!(at, id_at, "{line}");
        }
    }
    assert!(!table.contains('…'));
}

fn wrong_shape() -> Reply {
    Reply::json(200, r#"{"count": 10000, "servers": {"id": "not a list"}}"#)
        .with_header("X-Request-Id", "req-page-7")
}

fn refused() -> Reply {
    Reply::json(
        400,
        r#"{"error": {"code": "Ecs.0005", "message": "page 7 is refused"}}"#,
    )
    .with_header("X-Request-Id", "req-page-7")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_fails_on_page_7_is_exit_3_and_no_whole_json() {
    for (fail, says) in [
        (wrong_shape as fn() -> Reply, "not a list"),
        (refused, "page 7 is refused"),
    ] {
        let (srv, all) = gateway(Some((PROJECT, 7, fail))).await;
        let out = run(&srv.url("http"), &["servers", "list", "-o", "json"]).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains(says) && err.contains("req-page-7"), "{err}");
        let json = text(&out.stdout);
        assert!(
            serde_json::from_str::<Value>(&json).is_err(),
            "a list cut short must not read as JSON: …{}",
            &json[json.len().saturating_sub(200)..]
        );
        // The six pages before it were written as they came, in order, and nothing after.
        assert!(json.starts_with("[\n  {"));
        assert_eq!(json.lines().count(), 6 * PAGE + 1);
        let closed: Vec<Value> = serde_json::from_str(&format!("{json}\n]")).unwrap();
        assert_eq!(closed, all[..6 * PAGE]);

        let out = run(&srv.url("http"), &["servers", "list"]).await;
        assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout).lines().count(), 6 * PAGE + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_region_leaves_the_array_open_only_when_a_region_failed_after_its_first_items() {
    let all_regions = ["servers", "list", "--region", "all", "-o", "json"];
    // region-2 fails on its third page: region-1 whole, then two pages of region-2, left open.
    let (srv, _) = gateway(Some((OTHER_PROJECT, 3, refused))).await;
    let out = run(&srv.url("http"), &all_regions).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("region region-2") && err.contains("page 7 is refused"),
        "{err}"
    );
    let json = text(&out.stdout);
    assert!(serde_json::from_str::<Value>(&json).is_err());
    let closed: Vec<Value> = serde_json::from_str(&format!("{json}\n]")).unwrap();
    assert_eq!(closed.len(), SERVERS + 2 * PAGE);
    assert_eq!(closed[0]["region"], "region-1");
    assert_eq!(closed[SERVERS]["region"], "region-2");

    // region-2 fails on its first page: nothing of it was written, region-1 is a whole list.
    let (srv, all) = gateway(Some((OTHER_PROJECT, 1, refused))).await;
    let out = run(&srv.url("http"), &all_regions).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let got: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got.len(), SERVERS);
    let mut first = all[0].clone();
    first["region"] = "region-1".into();
    assert_eq!(got[0], first);
}
