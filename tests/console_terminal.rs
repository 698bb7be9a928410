//! The real `hvecs` in a pseudo-terminal, on a gateway that does not answer: the console opens
//! anyway (no key waits on the network), and every way out gives the terminal back.

mod support;

use support::pty::Pty;

/// An environment-only profile whose gateway refuses connections (port 1 on 127.0.0.1).
const UNREACHABLE: &[(&str, &str)] = &[
    ("HVECS_ENDPOINT", "http://127.0.0.1:1"),
    ("HVECS_REGION", "region-1"),
    ("HVECS_AK", "AKTEST"),
    ("HVECS_SK", "not-a-real-secret"),
    ("HVECS_PROJECT_ID", "0123456789abcdef0123456789abcdef"),
    ("HVECS_TEST_PANIC_KEY", "%"),
];

fn open() -> Pty {
    let p = Pty::spawn(&[], UNREACHABLE, 100, 30);
    p.wait_text("Servers");
    p
}

#[test]
fn without_config_or_environment_it_explains_and_exits_2() {
    let p = Pty::spawn(&[], &[], 100, 30);
    let (code, _) = p.wait_exit();
    let screen = p.screen();
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("nothing to connect to"), "{screen}");
    assert!(screen.contains("hvecs demo"), "{screen}");
}

#[test]
fn q_quits_and_the_terminal_is_back() {
    let mut p = open();
    let s = p.wait_text("env");
    assert!(
        s.contains("region-1") && s.contains("AKTEST"),
        "header: {s}"
    );
    assert!(p.alternate_screen() && p.cursor_hidden());
    // keys work while the gateway fails
    p.keys("?");
    p.wait_text("Help");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_failed_read_is_shown_with_what_went_wrong() {
    let p = open();
    let s = p.wait_text("could not read servers");
    assert!(s.contains("Servers"), "{s}");
}

#[test]
fn sigterm_restores_the_terminal() {
    let p = open();
    p.signal("TERM");
    assert_eq!(p.assert_terminal_restored(), 143, "128 + SIGTERM");
}

#[test]
fn sighup_restores_the_terminal() {
    let p = open();
    p.signal("HUP");
    assert_eq!(p.assert_terminal_restored(), 129, "128 + SIGHUP");
}

#[test]
fn sigint_restores_the_terminal() {
    let p = open();
    p.signal("INT");
    assert_eq!(p.assert_terminal_restored(), 130, "128 + SIGINT");
}

#[test]
fn sigquit_restores_the_terminal() {
    let p = open();
    p.signal("QUIT");
    assert_eq!(p.assert_terminal_restored(), 131, "128 + SIGQUIT");
    let raw = p.raw();
    let end = raw.rfind("hvecs-exit=").unwrap();
    let before = &raw[..end];
    assert!(
        before.rfind("\x1b[?1049l") > before.rfind("\x1b[?1049h")
            && before.rfind("\x1b[?25h") > before.rfind("\x1b[?25l"),
        "the output ends leaving the alternate screen with the cursor shown"
    );
}

/// Waits until `pred` holds for the pty (a generous limit: machines here are shared).
fn wait_until(p: &Pty, what: &str, pred: impl Fn(&Pty) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !pred(p) {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}; the screen:\n{}",
            p.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn suspend_gives_the_terminal_back_and_continue_takes_it_again() {
    let mut p = open();
    for round in 0..2 {
        // SIGTSTP from outside, then Ctrl-z typed (raw mode reads it as a key).
        if round == 0 {
            p.signal("TSTP");
        } else {
            p.send(b"\x1a");
        }
        wait_until(&p, "the main screen and the cursor", |p| {
            !p.alternate_screen() && !p.cursor_hidden()
        });
        p.signal("CONT");
        wait_until(&p, "the console again", |p| {
            p.alternate_screen() && p.cursor_hidden() && p.screen().contains("Servers")
        });
        // Raw mode again: a key is read at once, without Enter.
        p.keys("?");
        p.wait_text("Help");
        p.send(b"\x1b");
        wait_until(&p, "help closed", |p| !p.screen().contains("Help"));
    }
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    let mut p = open();
    p.keys("%");
    let code = p.assert_terminal_restored();
    assert_eq!(code, 101);
    let s = p.screen();
    assert!(
        s.contains("test panic requested"),
        "the panic message is readable:\n{s}"
    );
}

#[test]
fn a_tiny_terminal_gets_a_notice_not_a_crash() {
    let mut p = Pty::spawn(&[], UNREACHABLE, 50, 12);
    p.wait_text("terminal too small");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_bad_key_binding_names_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config/hvecs");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        "[ui]\ntheme = \"default\"\n\n[keys]\ndown = [\"n\"]\nexplode = [\"e\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .env_clear()
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml:6:"), "{err}");
    assert!(
        err.contains("key keys.explode") && err.contains("unknown action \"explode\""),
        "{err}"
    );
}
