//! A blackholed gateway (issue 14, fault 13): on a terminal the CLI says what it is waiting for
//! after a few seconds instead of staying silent until the 60 s timeout; on a pipe it says nothing.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::pty::Pty;

const P: &str = "0123456789abcdef0123456789abcdef";

/// A port that accepts connections (the kernel's backlog) and never answers.
fn blackhole() -> (std::net::TcpListener, String) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

fn env(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("HVECS_ENDPOINT", url.to_owned()),
        ("HVECS_REGION", "region-1".to_owned()),
        ("HVECS_AK", "TESTAK".to_owned()),
        ("HVECS_SK", "TESTSK-secret".to_owned()),
        ("HVECS_PROJECT_ID", P.to_owned()),
    ]
}

#[test]
fn on_a_terminal_the_cli_says_what_it_waits_for() {
    let (_hole, url) = blackhole();
    let vars = env(&url);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let pty = Pty::spawn(&["servers", "list"], &vars, 120, 10);
    let screen = pty.wait_text("(5 s)");
    let port = url.rsplit(':').next().unwrap();
    assert!(
        screen.contains(&format!("waiting for ecs at http://127.0.0.1:{port}")),
        "{screen}"
    );
    pty.signal("TERM");
}

#[test]
fn on_a_pipe_the_cli_stays_quiet() {
    let (_hole, url) = blackhole();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    for v in hvecs::config::ENV_VARIABLES {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .envs(env(&url))
        .env("XDG_CONFIG_HOME", dir.path().join("c"))
        .env("XDG_STATE_HOME", dir.path().join("s"))
        .args(["servers", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(7));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("waiting for"), "{err}");
}
