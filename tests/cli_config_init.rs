//! `hvecs config init` as a real process: from flags (no terminal), and answering its questions
//! in a pseudo-terminal; what it writes is a file `config check` accepts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::pty::Pty;

fn hvecs(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const LAB: &[&str] = &[
    "config",
    "init",
    "--profile",
    "lab",
    "--endpoint",
    "https://gw.example.com:8443",
    "--region",
    "region-1",
    "--auth",
    "aksk",
    "--ak",
    "AKID1",
    "--sk-command",
    "pass show lab/sk",
];

#[test]
fn init_from_flags_writes_an_owner_only_file_that_config_check_accepts() {
    let home = tempfile::tempdir().unwrap();
    let out = hvecs(home.path(), LAB);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let file = home.path().join("config/hvecs/config.toml");
    assert!(
        text(&out).contains(&format!("wrote {}", file.display())),
        "{}",
        text(&out)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("sk_command = \"pass show lab/sk\""),
        "{written}"
    );
    assert!(written.contains("default_profile = \"lab\""), "{written}");
    let check = hvecs(home.path(), &["config", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let shown = text(&check);
    assert!(
        shown.contains("profile: lab") && shown.contains("region: region-1"),
        "{shown}"
    );
}

#[test]
fn a_second_profile_is_added_and_an_existing_one_is_refused_with_the_file_untouched() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(hvecs(home.path(), LAB).status.code(), Some(0));
    let file = home.path().join("config/hvecs/config.toml");
    let before = std::fs::read_to_string(&file).unwrap();

    let again = hvecs(home.path(), LAB);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("already has a profile \"lab\""),
        "{}",
        text(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);

    let prod = hvecs(
        home.path(),
        &[
            "config",
            "init",
            "--profile",
            "prod",
            "--endpoint",
            "https://gw.prod.example.com",
            "--region",
            "cn-north-1",
            "--auth",
            "password",
            "--user",
            "ops",
            "--domain",
            "ops-account",
            "--password-env",
            "PROD_PW",
        ],
    );
    assert_eq!(prod.status.code(), Some(0), "{}", text(&prod));
    assert!(text(&prod).contains("--profile prod"), "{}", text(&prod));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.starts_with(&before), "the old text is kept as it was");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the file keeps its permissions");
    }
    let left: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["config.toml"], "no copy is left beside it");
    for profile in ["lab", "prod"] {
        let check = hvecs(home.path(), &["config", "check", "--profile", profile]);
        assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    }
}

#[test]
fn without_a_terminal_a_missing_value_is_named_and_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let out = hvecs(
        home.path(),
        &[
            "config",
            "init",
            "--endpoint",
            "https://gw",
            "--region",
            "r1",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("needs --auth"), "{}", text(&out));
    assert!(!home.path().join("config/hvecs/config.toml").exists());

    let bad = hvecs(
        home.path(),
        &[
            "config",
            "init",
            "--endpoint",
            "gw.example.com",
            "--region",
            "r1",
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        text(&bad).contains("--endpoint: \"gw.example.com\" is not a URL"),
        "{}",
        text(&bad)
    );
}

#[test]
fn on_a_terminal_it_asks_for_each_value_and_never_for_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hvecs.toml");
    let file_arg = file.to_string_lossy().into_owned();
    let mut p = Pty::spawn(&["config", "init", "--config", &file_arg], &[], 120, 30);
    p.wait_text("base URL");
    p.keys("not a url\r");
    p.wait_text("is not a URL");
    p.keys("https://gw.example.com\r");
    p.wait_text("region the console opens in");
    p.keys("region-1\r");
    p.wait_text("aksk (an access key) or password");
    p.keys("aksk\r");
    p.wait_text("access key id");
    p.keys("AKID9\r");
    let screen = p.wait_text("never the secret itself");
    assert!(screen.contains("environment variable's NAME"), "{screen}");
    p.keys("!pass show lab/sk\r");
    let screen = p.wait_text("hvecs-exit=0");
    assert!(screen.contains("wrote"), "{screen}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("endpoint = \"https://gw.example.com\""),
        "{written}"
    );
    assert!(written.contains("ak = \"AKID9\""), "{written}");
    assert!(
        written.contains("sk_command = \"pass show lab/sk\""),
        "{written}"
    );
}
