//! The real `hvecs` binary at its edges: a closed pipe on stdout ends it quietly (exit 141),
//! text from the gateway never reaches a terminal with its control characters (`-o json` keeps
//! the exact value), and a failure names what failed, the API's code and message once, and the
//! request id.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Output, Stdio};

use support::raw_http::{self, Reply};

/// A command line for `hvecs` with a clean environment and its own config and state folders.
fn hvecs(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    for v in hvecs::config::ENV_VARIABLES {
        cmd.env_remove(v);
    }
    cmd.env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .envs(env.iter().copied())
        .args(args);
    cmd
}

/// Runs `hvecs ARGS` to its end off the async runtime (the test's gateway runs on it).
async fn run(dir: &std::path::Path, env: &[(&'static str, &str)], args: &[&str]) -> Output {
    let mut cmd = hvecs(dir, env, args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `cmd` with its stdout a pipe whose reading end is already closed: its first write
/// meets EPIPE (SIGPIPE is ignored by Rust programs, so the write fails instead).
fn with_closed_stdout(mut cmd: Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// A gateway whose only server list holds `name` (with every other field as documented).
async fn gateway_with_server_named(name: &str) -> raw_http::Server {
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ecs_list_servers_detail.response.json"
    ))
    .unwrap();
    let mut page: serde_json::Value = serde_json::from_str(&fixture).unwrap();
    page["servers"][0]["name"] = name.into();
    let count = page["servers"].as_array().unwrap().len();
    page["count"] = count.into();
    let first = page.to_string();
    let empty = serde_json::json!({"count": count, "servers": []}).to_string();
    raw_http::start(move |seen, _| {
        let first_page = seen.target.contains("offset=1&") || seen.target.ends_with("offset=1");
        if seen.target.contains("/cloudservers/detail") && first_page {
            Reply::json(200, &first).with_header("X-Request-Id", "req-servers-1")
        } else if seen.target.contains("/cloudservers/detail") {
            Reply::json(200, &empty)
        } else if seen.method == "POST" {
            Reply::json(
                403,
                r#"{"error":{"code":"Ecs.0605","message":"Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}"#,
            )
            .with_header("X-Request-Id", "req-quota-7")
        } else {
            Reply::json(
                404,
                r#"{"error_code":"Ecs.0114","error_msg":"no such API here"}"#,
            )
        }
    })
    .await
}

fn env_for(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("HVECS_ENDPOINT", url.to_owned()),
        ("HVECS_REGION", "region-1".to_owned()),
        ("HVECS_AK", "AKTEST".to_owned()),
        ("HVECS_SK", "not-a-real-secret".to_owned()),
        (
            "HVECS_PROJECT_ID",
            "0123456789abcdef0123456789abcdef".to_owned(),
        ),
    ]
}

fn borrowed<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn completions_into_a_closed_pipe_end_quietly_with_141() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(hvecs(dir.path(), &[], &["completions", "bash"]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert!(err.is_empty(), "nothing to say about a closed pipe: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_into_a_closed_pipe_ends_quietly_with_141() {
    let srv = gateway_with_server_named("web-01").await;
    let env = env_for(&srv.url("http"));
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["servers", "list", "-o", "json"][..],
        &["servers", "list"][..],
    ] {
        let cmd = hvecs(dir.path(), &borrowed(&env), args);
        let out = tokio::task::spawn_blocking(move || with_closed_stdout(cmd))
            .await
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_from_the_gateway_never_reach_the_terminal() {
    let evil = "\x1b[2J\x07evil\u{202e}txt.exe\u{9b}31m\x7f";
    let srv = gateway_with_server_named(evil).await;
    let env = env_for(&srv.url("http"));
    let dir = tempfile::tempdir().unwrap();

    let out = run(dir.path(), &borrowed(&env), &["servers", "list"]).await;
    let table = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(table.contains("evil"), "{table}");
    for bad in ['\x1b', '\x07', '\u{202e}', '\u{9b}', '\x7f'] {
        assert!(!table.contains(bad), "{bad:?} reached the table: {table:?}");
    }
    assert!(
        table.contains("\u{fffd}[2J\u{fffd}evil"),
        "the controls are shown, not hidden: {table:?}"
    );

    let out = run(
        dir.path(),
        &borrowed(&env),
        &["servers", "list", "-o", "json"],
    )
    .await;
    let json = text(&out.stdout);
    for bad in ['\x1b', '\x07', '\u{202e}', '\u{9b}', '\x7f'] {
        assert!(
            !json.contains(bad),
            "{bad:?} reached the terminal raw: {json:?}"
        );
    }
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(list[0]["name"], evil, "-o json keeps the exact value");
}

/// The last line of stderr: what a script's log keeps of a failure.
fn last_line(out: &Output) -> String {
    text(&out.stderr).lines().last().unwrap_or("").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_names_the_code_the_message_and_the_request_id_once() {
    let srv = gateway_with_server_named("web-01").await;
    let env = env_for(&srv.url("http"));
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &borrowed(&env),
        &["servers", "stop", "web-01", "--yes", "--wait"],
    )
    .await;
    let last = last_line(&out);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(last.starts_with("hvecs: "), "{last}");
    assert_eq!(last.matches("req-quota-7").count(), 1, "{last}");
    assert_eq!(last.matches("Ecs.0605").count(), 1, "{last}");
    assert_eq!(
        last.matches("Quota exceeded for instances").count(),
        1,
        "{last}"
    );
    assert!(last.contains("stop"), "what failed: {last}");
    assert!(
        !last.contains("credentials"),
        "a quota is not a credentials problem: {last}"
    );
    assert!(last.contains("quota"), "{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_not_found_is_an_api_answer_exit_3() {
    let srv = gateway_with_server_named("web-01").await;
    let env = env_for(&srv.url("http"));
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["servers", "show", "no-such-server"][..],
        &["servers", "stop", "no-such-server", "--yes"][..],
    ] {
        let out = run(dir.path(), &borrowed(&env), args).await;
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            last_line(&out).contains("no-such-server"),
            "{}",
            last_line(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_names_the_job_the_servers_error_and_the_request_id() {
    let h = hvecs::sim::start(hvecs::sim::SimOptions {
        servers: 6,
        speed: 1000.0,
        faults: hvecs::sim::FaultSpec::parse("jobfail=1").unwrap(),
        ..Default::default()
    })
    .await
    .unwrap();
    let c = h.credentials();
    let region = h.regions()[0].clone();
    let env = vec![
        ("HVECS_ENDPOINT", h.base_url()),
        ("HVECS_REGION", region.name.clone()),
        ("HVECS_AK", c.ak.clone()),
        ("HVECS_SK", c.sk.expose().to_owned()),
        ("HVECS_PROJECT_ID", region.project_id.clone()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &borrowed(&env),
        &["servers", "list", "-o", "json"],
    )
    .await;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let (name, verb) = list
        .iter()
        .find_map(|s| match s["status"].as_str() {
            Some("ACTIVE") => Some((s["name"].as_str()?.to_owned(), "stop")),
            Some("SHUTOFF") => Some((s["name"].as_str()?.to_owned(), "start")),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no server to start or stop: {list:?}"));

    let out = run(
        dir.path(),
        &borrowed(&env),
        &["servers", verb, &name, "--yes", "--wait"],
    )
    .await;
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let last = last_line(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        !all.contains("Ecs.0204: Ecs.0204"),
        "the code doubled: {all}"
    );
    assert!(last.starts_with("hvecs: "), "{last}");
    assert!(last.contains(&name), "which server: {last}");
    assert_eq!(last.matches("Ecs.0204").count(), 1, "{last}");
    assert_eq!(
        last.matches("VMM cannot complete the WMI operation")
            .count(),
        1,
        "the reason once: {last}"
    );
    assert!(last.contains("job "), "the job id: {last}");
    assert!(last.contains("request id "), "the request id: {last}");
}
