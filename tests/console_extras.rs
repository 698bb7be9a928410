//! The console's extras end to end, the real binary in a pseudo-terminal on `hvecs sim` run as a
//! separate process: automatic refresh (`refresh_seconds = 1`; a second process stops a server
//! behind the console's back and the row changes with no key pressed), `Y` (OSC 52 in the raw
//! output), `[ui] mouse` (a click selects the row under it) and `:profile`.

mod support;

use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use support::pty::Pty;
use support::sim_process;

/// The name of the first ACTIVE server on the screen (the word before its status).
fn first_active(screen: &str) -> Option<String> {
    screen.lines().find_map(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        let i = words.iter().position(|w| *w == "ACTIVE")?;
        words.get(i.checked_sub(1)?).map(|w| (*w).to_owned())
    })
}

#[test]
fn a_server_changed_elsewhere_changes_on_screen_without_a_key() {
    let sim = sim_process::start(50, 12);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[ui]\nrefresh_seconds = 1\n").unwrap();
    let env = sim.env();
    let mut p = Pty::spawn(&["--config", config.to_str().unwrap()], &env, 160, 40);
    let s = p.wait_text("ACTIVE");
    let name = first_active(&s).expect("an ACTIVE server on screen");
    // another process stops it
    let out = Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(["--config", config.to_str().unwrap()])
        .args(["servers", "stop", &name, "--yes", "--wait"])
        .envs(env)
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hvecs servers stop: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // no key: the refresh timer reads the visible rows again
    p.wait_for("the stopped server's row to say SHUTOFF", |s| {
        s.lines()
            .any(|l| l.split_whitespace().any(|w| w == name) && l.contains("SHUTOFF"))
    });
    // `Y` copies the selected id: OSC 52 in the raw output (vt100 does not show it)
    p.keys("Y");
    let s = p.wait_text("copied id ");
    let id = s
        .split("copied id ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_owned();
    let osc = format!("\x1b]52;c;{}\x07", STANDARD.encode(&id));
    p.wait_for("the OSC 52 sequence", |_| p.raw().contains(&osc));
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn with_mouse_on_a_click_selects_the_row_under_it() {
    let sim = sim_process::start(50, 12);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[ui]\nmouse = true\nrefresh_seconds = 0\n").unwrap();
    let env = sim.env();
    let mut p = Pty::spawn(&["--config", config.to_str().unwrap()], &env, 160, 40);
    let s = p.wait_text("ACTIVE");
    assert!(p.raw().contains("\x1b[?1000h"), "mouse capture is on");
    // the fourth row of the table: its screen line and name
    let (y, line) = s
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("ACTIVE") || l.contains("SHUTOFF"))
        .nth(3)
        .expect("four rows");
    let name = first_active(&line.replace("SHUTOFF", "ACTIVE")).expect(line);
    // an SGR left click at column 60 of that line (1-based), then describe
    p.send(format!("\x1b[<0;60;{}M\x1b[<0;60;{}m", y + 1, y + 1).as_bytes());
    p.send(b"\r");
    p.wait_text(&format!("Server {name} · describe"));
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
    assert!(
        p.raw().contains("\x1b[?1000l"),
        "mouse capture is off again"
    );
}

#[test]
fn colon_profile_opens_the_console_again_on_the_other_profile() {
    let sim = sim_process::start(50, 6);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let profile = |name: &str, read_only: bool| {
        format!(
            "[profiles.{name}]\nendpoint = \"{}\"\nregion = \"{}\"\nread_only = {read_only}\n\
             [profiles.{name}.auth]\nmethod = \"aksk\"\nak = \"{}\"\nsk_env = \"LAB_SK\"\n\
             project_id = \"{}\"\n",
            sim.base, sim.region, sim.ak, sim.project
        )
    };
    let text = format!(
        "default_profile = \"lab\"\n{}{}",
        profile("lab", false),
        profile("audit", true)
    );
    std::fs::write(&config, text).unwrap();
    let env = [("LAB_SK", sim.sk.as_str())];
    let mut p = Pty::spawn(&["--config", config.to_str().unwrap()], &env, 140, 40);
    let s = p.wait_text("ACTIVE");
    assert!(s.contains(" lab ") && !s.contains("READ-ONLY"), "{s}");
    // an unknown profile: an error, the console stays
    p.keys(":profile nope");
    p.send(b"\r");
    p.wait_text("no profile named \"nope\"");
    // Tab completes, Enter switches: the console opens again on `audit`, read-only
    p.keys(":profile au");
    p.send(b"\t");
    p.wait_text("profile audit");
    p.send(b"\r");
    let s = p.wait_for("the console on audit", |s| {
        s.contains(" audit ") && s.contains("READ-ONLY") && s.contains("ACTIVE")
    });
    assert!(!s.contains(" lab "), "{s}");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
