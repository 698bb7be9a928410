//! `hvecs --help`, `config path` and `config check` run as real processes, with a private home.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn hvecs(&self, args: &[&str]) -> Output {
        self.hvecs_env(args, &[])
    }

    fn hvecs_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_STATE_HOME", self.path().join("state"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn help_and_version() {
    let home = Home::new();
    let out = home.hvecs(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in [
        "config",
        "--profile",
        "--read-only",
        "--trace-http",
        "--no-color",
    ] {
        assert!(help.contains(word), "help lacks {word}: {help}");
    }
    let out = home.hvecs(&["--version"]);
    assert!(text(&out.stdout).starts_with("hvecs "));
}

#[test]
fn config_path_follows_the_xdg_variables() {
    let home = Home::new();
    let out = home.hvecs(&["config", "path"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    let root = home.path().display().to_string();
    assert!(
        s.contains(&format!(
            "config: {root}/config/hvecs/config.toml (not there yet)"
        )),
        "{s}"
    );
    assert!(
        s.contains(&format!("themes: {root}/config/hvecs/themes")),
        "{s}"
    );
    assert!(s.contains(&format!("state:  {root}/state/hvecs")), "{s}");
    assert!(
        s.contains(&format!("log:    {root}/state/hvecs/hvecs.log")),
        "{s}"
    );
}

#[test]
fn the_example_config_checks_clean() {
    let home = Home::new();
    let ca_dir = home.path().join(".config/hvecs");
    std::fs::create_dir_all(&ca_dir).unwrap();
    std::fs::write(ca_dir.join("lab-ca.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    // Global flags work after the subcommand too.
    let out = home.hvecs(&["config", "check", "--config", example]);
    let s = text(&out.stdout);
    assert!(
        out.status.success(),
        "stdout {s}\nstderr {}",
        text(&out.stderr)
    );
    assert!(
        s.contains("profile: lab") && s.contains("sk: *** (from command `pass show cloud/lab/sk`)"),
        "{s}"
    );
    let out = home.hvecs(&["--config", example, "--profile", "prod", "config", "check"]);
    let s = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        s.contains("ecs_url: https://ecs.{region}.cloud.example.com"),
        "{s}"
    );
    assert!(s.contains("read_only: true"), "{s}");
}

#[test]
fn config_check_shows_secrets_as_stars_and_resolve_reads_them() {
    let home = Home::new();
    let file = home.path().join("c.toml");
    std::fs::write(
        &file,
        "[profiles.a]\nendpoint = \"http://127.0.0.1:9\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"AK1\"\nsk_command = \"echo sk-$((6*7))\"\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = home.hvecs(&["--config", f, "config", "check", "--resolve"]);
    let s = text(&out.stdout) + &text(&out.stderr);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("every secret") && !s.contains("sk-42"), "{s}");
    std::fs::write(
        &file,
        "[profiles.a]\nendpoint = \"http://127.0.0.1:9\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"AK1\"\nsk_command = \"echo vault sealed >&2; exit 2\"\n",
    )
    .unwrap();
    let out = home.hvecs(&["--config", f, "config", "check"]);
    assert!(out.status.success(), "without --resolve no command runs");
    let out = home.hvecs(&["--config", f, "config", "check", "--resolve"]);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(e.contains("c.toml:7:") && e.contains("vault sealed"), "{e}");
}

#[test]
fn bad_config_exits_2_with_file_line_and_key() {
    let home = Home::new();
    let dir = home.path().join("config/hvecs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.a]\nendpoint = \"http://x\"\ntimeout = 5\n",
    )
    .unwrap();
    let out = home.hvecs(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(
        e.contains("config.toml:3:1: key profiles.a.timeout: unknown key `timeout`"),
        "{e}"
    );
    let out = home.hvecs(&["--config", "/nonexistent/hvecs.toml", "config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/hvecs.toml: no such file"));
}

#[test]
fn no_config_and_no_environment_says_how_to_start() {
    let home = Home::new();
    let out = home.hvecs(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(
        e.contains("config.example.toml") && e.contains("hvecs demo"),
        "{e}"
    );
    let out = home.hvecs_env(
        &["config", "check"],
        &[
            ("HVECS_ENDPOINT", "http://127.0.0.1:1"),
            ("HVECS_REGION", "r"),
            ("HVECS_AK", "A"),
            ("HVECS_SK", "topsecret"),
        ],
    );
    let s = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        s.contains("profile: env")
            && s.contains("sk: *** (from $HVECS_SK)")
            && !s.contains("topsecret"),
        "{s}"
    );
}

#[test]
fn completions_are_generated() {
    let home = Home::new();
    let out = home.hvecs(&["completions", "bash"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("_hvecs"));
}

/// A profile that needs nothing from the environment, then `extra`.
fn config_with(home: &Home, extra: &str) -> String {
    let file = home.path().join("c.toml");
    std::fs::write(
        &file,
        format!(
            "[profiles.a]\nendpoint = \"http://127.0.0.1:9\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"AK1\"\nsk_env = \"NO_SUCH_SK\"\n{extra}"
        ),
    )
    .unwrap();
    file.to_str().unwrap().to_owned()
}

#[test]
fn config_check_refuses_what_the_console_refuses() {
    let home = Home::new();
    let f = config_with(&home, "");
    let out = home.hvecs(&["--config", &f, "config", "check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A key bound to two actions: the console refuses to start, so does the check.
    let f = config_with(&home, "[keys]\ndown = [\"x\"]\nup = [\"x\"]\n");
    let out = home.hvecs(&["--config", &f, "config", "check"]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("bound to both down and up"), "{e}");

    // A theme given on the command line is checked too.
    let f = config_with(&home, "");
    let out = home.hvecs(&[
        "--config",
        &f,
        "--theme",
        "no-such-theme",
        "config",
        "check",
    ]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("no-such-theme"), "{e}");
    let out = home.hvecs(&["--config", &f, "--theme", "mono", "config", "check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("theme mono"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn syntax_errors_and_duplicate_keys_name_their_key() {
    let home = Home::new();
    let f = config_with(&home, "[ui]\nrefresh_seconds = 5\nrefresh_seconds = 6\n");
    let out = home.hvecs(&["--config", &f, "config", "check"]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("c.toml:10:"), "{e}");
    assert!(e.contains("key ui.refresh_seconds"), "{e}");
    assert!(!e.contains("(top level)"), "{e}");

    let f = config_with(&home, "[ui]\nascii = tru\n");
    let out = home.hvecs(&["--config", &f, "config", "check"]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("c.toml:9:") && e.contains("key ui.ascii"), "{e}");
}

#[test]
fn an_empty_config_file_is_named_as_itself() {
    let home = Home::new();
    let file = home.path().join("empty.toml");
    std::fs::write(&file, "").unwrap();
    let f = file.to_str().unwrap();
    let out = home.hvecs(&["--config", f, "config", "check"]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("empty.toml"), "the file given: {e}");
    assert!(
        !e.contains("there is no config file"),
        "the file is there, empty: {e}"
    );
    let out = home.hvecs(&["--config", "", "config", "check"]);
    let e = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(e.contains("--config"), "{e}");
}

#[test]
fn man_pages_come_from_the_same_definitions_as_help() {
    let home = Home::new();
    let out = home.hvecs(&["man", "servers", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains(".TH hvecs-servers-list 1"), "{page}");
    assert!(
        page.contains("Only servers in this availability zone"),
        "{page}"
    );
    let dir = home.path().join("man");
    let out = home.hvecs(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for page in ["hvecs.1", "hvecs-servers-list.1", "hvecs-config-init.1"] {
        assert!(dir.join(page).is_file(), "{page} missing");
    }
    let out = home.hvecs(&["man", "servers", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no command `hvecs servers nope`"),
        "{}",
        text(&out.stderr)
    );
}
