//! A server's remote login (`v`, `hvecs servers console`) through the real binary against `hvecs
//! sim` run as a separate process: the one-time URL is printed, refused for a server that is not
//! ACTIVE, changes nothing, and its token never reaches the trace, the log or the state folder.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{Cli, code, server_with, text};
use support::sim_process;

/// The token of a one-time URL.
fn token(url: &str) -> String {
    let at = url.find("token=").expect("a token in the URL") + "token=".len();
    url[at..].split('&').next().unwrap().to_owned()
}

/// Every file below `dir`, read as text (lossy).
fn all_text(dir: &std::path::Path) -> String {
    let mut out = String::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push_str(&all_text(&p));
            } else if let Ok(b) = std::fs::read(&p) {
                out.push_str(&String::from_utf8_lossy(&b));
            }
        }
    }
    out
}

#[test]
fn servers_console_prints_a_one_time_url_that_no_file_keeps() {
    let sim = sim_process::start(1000, 20);
    let cli = Cli::new(sim.env());
    let (id, name) = server_with(&cli, "ACTIVE");
    let before = sim.mutations();
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let trace_arg = trace.to_str().unwrap();

    let o = cli.run(&["servers", "console", &name, "--trace-http", trace_arg]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let url = String::from_utf8(o.stdout.clone()).unwrap();
    let url = url.trim();
    assert!(url.starts_with("https://"), "{url}");
    let first = token(url);

    let o = cli.run(&[
        "servers",
        "console",
        &id,
        "-o",
        "json",
        "--trace-http",
        trace_arg,
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["server_id"], id.as_str());
    assert_eq!(j["server_name"], name.as_str());
    assert_eq!(j["protocol"], "vnc");
    let second = token(j["url"].as_str().unwrap());
    assert_ne!(first, second, "each login is a URL of its own");

    let traced = std::fs::read_to_string(&trace).unwrap();
    assert!(traced.contains("remote_console"), "the calls were traced");
    let kept = format!("{traced}{}", all_text(cli.state().parent().unwrap()));
    for t in [&first, &second] {
        assert!(
            !kept.contains(t.as_str()),
            "a console token was written to a file"
        );
    }
    assert_eq!(sim.mutations(), before, "a remote login changes nothing");
}

#[test]
fn servers_console_of_a_stopped_server_says_it_must_be_active() {
    let sim = sim_process::start(1000, 20);
    let cli = Cli::new(sim.env());
    let (_, name) = server_with(&cli, "SHUTOFF");
    let o = cli.run(&["servers", "console", &name]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Ecs.0011") && err.contains("ACTIVE"), "{err}");
    assert!(o.stdout.is_empty());

    let o = cli.run(&["servers", "console", "no-such-server"]);
    assert_ne!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-server"));
}

#[test]
fn v_in_the_console_shows_the_url_copies_it_and_no_file_keeps_its_token() {
    let sim = sim_process::start(50, 20);
    let trace = tempfile::tempdir().unwrap();
    let trace_file = trace.path().join("trace.jsonl");
    let mut p = sim.console(&["--trace-http", trace_file.to_str().unwrap()]);
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    p.wait_text("filter \"status:active\"");
    let before = sim.mutations();
    p.keys("v");
    let s = p.wait_text("token=");
    assert!(s.contains("remote login"), "{s}");
    let line = s.lines().find(|l| l.contains("token=")).unwrap();
    let url = line.trim().trim_matches('│').trim();
    let tok = token(url);
    assert!(tok.len() >= 8, "{url}");
    p.keys("Y");
    p.wait_for("the OSC 52 copy", |_| p.raw().contains("\x1b]52;c;"));
    let raw = p.raw();
    let b64 = raw
        .split("\x1b]52;c;")
        .nth(1)
        .and_then(|r| r.split('\x07').next())
        .unwrap()
        .to_owned();
    let copied = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    };
    let copied = String::from_utf8(copied).unwrap();
    assert!(
        copied.starts_with(url) && copied.contains(&tok),
        "{copied} vs {url}"
    );
    p.wait_text("copied the remote login URL");
    p.send(b"\x1b");
    p.wait_for("the dialog to close", |s| !s.contains("token="));
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);

    assert_eq!(sim.mutations(), before, "a remote login changes nothing");
    let traced = std::fs::read_to_string(&trace_file).unwrap();
    assert!(traced.contains("remote_console"), "the call was traced");
    let kept = format!("{traced}{}", all_text(p.dir.path()));
    assert!(
        !kept.contains(&tok),
        "the console token was written to a file"
    );
}
