//! The configuration as a person writes it: good files, each profile form, environment overrides,
//! and malformed files whose errors must name the line and the key.

use hvecs::config::{Auth, Config, ConfigError, Env, Overrides, Service, Source};

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(Source::new("/etc/hvecs/test.toml", text), None)
}

fn select(text: &str, env: &[(&str, &str)]) -> Result<Option<hvecs::config::Profile>, ConfigError> {
    parse(text)?.select(
        None,
        &Env::from_pairs(env.iter().copied()),
        &Overrides::default(),
    )
}

const GOOD_AKSK: &str = r##"
[profiles.lab]
endpoint = "https://gw.example.com:8443/"
region = "region-1"
accent = "#ff8800"
[profiles.lab.auth]
method = "aksk"
ak = "QTWAOYTTINDUT2QVKYUC"
sk_env = "LAB_SK"
project_id = "77B6A44CBA5143AB91D13AB9A8FF44FD"
"##;

#[test]
fn a_good_aksk_profile_loads_with_one_endpoint_for_every_service() {
    let p = select(GOOD_AKSK, &[]).unwrap().unwrap();
    assert_eq!(p.name, "lab");
    for s in Service::ALL {
        assert_eq!(p.urls.get(s).for_region("x"), "https://gw.example.com:8443");
    }
    assert_eq!(p.region.as_deref(), Some("region-1"));
    match &p.auth {
        Auth::AkSk { ak, sk, project_id } => {
            assert_eq!(ak.describe(), "QTWAOYTTINDUT2QVKYUC");
            assert_eq!(sk.describe(), "*** (from $LAB_SK)");
            assert_eq!(
                project_id.as_deref(),
                Some("77b6a44cba5143ab91d13ab9a8ff44fd")
            );
        }
        other => panic!("wrong auth {other:?}"),
    }
    assert_eq!(p.max_parallel_tasks, 4);
    assert_eq!(p.transport.timeout.as_secs(), 30);
}

#[test]
fn a_password_profile_with_region_templates() {
    let text = r#"
default_profile = "prod"
[ui]
theme = "ansi16"
refresh_seconds = 0
[profiles.prod]
iam_url = "https://iam.{region}.example.com"
ecs_url = "https://ecs.{region}.example.com"
ims_url = "https://ims.{region}.example.com"
evs_url = "https://evs.{region}.example.com"
vpc_url = "https://vpc.{region}.example.com"
region = "cn-north-1"
read_only = true
[profiles.prod.auth]
method = "password"
user = "ops"
domain = "acct"
password_command = "printf s3cret"
[profiles.other]
endpoint = "http://127.0.0.1:1"
region = "r"
[profiles.other.auth]
method = "aksk"
ak_env = "X_AK"
sk_env = "X_SK"
"#;
    let config = parse(text).unwrap();
    assert_eq!(config.ui.theme, "ansi16");
    assert_eq!(config.ui.refresh_seconds, 0);
    let p = config
        .select(None, &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    assert_eq!(p.name, "prod");
    assert!(p.read_only);
    assert_eq!(
        p.urls.get(Service::Evs).for_region("cn-north-1"),
        "https://evs.cn-north-1.example.com"
    );
    let conn = p.connect().unwrap();
    match conn.credentials {
        hvecs::config::Credentials::Password {
            user,
            domain,
            password,
            ..
        } => {
            assert_eq!((user.as_str(), domain.as_str()), ("ops", "acct"));
            assert_eq!(password.expose(), "s3cret");
        }
        other => panic!("wrong credentials {other:?}"),
    }
    let other = config
        .select(Some("other"), &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    assert_eq!(other.name, "other");
}

#[test]
fn environment_variables_override_the_file_and_flags_override_both() {
    let env = [
        ("HVECS_ENDPOINT", "http://127.0.0.1:9000"),
        ("HVECS_REGION", "region-2"),
        ("HVECS_PROJECT_ID", "0123456789abcdef0123456789abcdef"),
    ];
    let p = select(GOOD_AKSK, &env).unwrap().unwrap();
    assert_eq!(
        p.urls.get(Service::Ecs).for_region("x"),
        "http://127.0.0.1:9000"
    );
    assert_eq!(p.region.as_deref(), Some("region-2"));
    match &p.auth {
        Auth::AkSk { project_id, .. } => assert_eq!(
            project_id.as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        ),
        other => panic!("{other:?}"),
    }
    let flags = Overrides {
        endpoint: Some("https://flag.example.com".into()),
        region: Some("r9".into()),
        read_only: true,
    };
    let p = parse(GOOD_AKSK)
        .unwrap()
        .select(None, &Env::from_pairs(env), &flags)
        .unwrap()
        .unwrap();
    assert_eq!(
        p.urls.get(Service::Iam).for_region("x"),
        "https://flag.example.com"
    );
    assert_eq!(p.region.as_deref(), Some("r9"));
    assert!(p.read_only);
}

#[test]
fn the_environment_alone_forms_an_implicit_profile() {
    let empty = Config::default();
    let none = empty
        .select(None, &Env::default(), &Overrides::default())
        .unwrap();
    assert!(
        none.is_none(),
        "no config and no environment: nothing to connect to"
    );
    let env = Env::from_pairs([
        ("HVECS_ENDPOINT", "http://127.0.0.1:8080"),
        ("HVECS_REGION", "region-1"),
        ("HVECS_AK", "AK1"),
        ("HVECS_SK", "SK1"),
    ]);
    let p = empty
        .select(None, &env, &Overrides::default())
        .unwrap()
        .unwrap();
    assert_eq!(p.name, "env");
    assert!(matches!(
        &p.auth,
        Auth::AkSk {
            project_id: None,
            ..
        }
    ));
    let env = Env::from_pairs([
        ("HVECS_ECS_URL", "http://e"),
        ("HVECS_IAM_URL", "http://i"),
        ("HVECS_IMS_URL", "http://m"),
        ("HVECS_EVS_URL", "http://v"),
        ("HVECS_VPC_URL", "http://n"),
        ("HVECS_REGION", "region-1"),
        ("HVECS_USERNAME", "u"),
        ("HVECS_PASSWORD", "p"),
        ("HVECS_DOMAIN", "d"),
    ]);
    let p = empty
        .select(None, &env, &Overrides::default())
        .unwrap()
        .unwrap();
    assert_eq!(p.urls.get(Service::Ims).for_region("x"), "http://m");
    assert!(matches!(&p.auth, Auth::Password { domain, .. } if domain == "d"));
    // Credentials missing from the environment: a clear error, not a half profile.
    let env = Env::from_pairs([
        ("HVECS_ENDPOINT", "http://127.0.0.1:8080"),
        ("HVECS_REGION", "r"),
    ]);
    let e = empty
        .select(None, &env, &Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no credentials") && e.contains("HVECS_AK"),
        "{e}"
    );
    let env = Env::from_pairs([
        ("HVECS_ENDPOINT", "http://x"),
        ("HVECS_USERNAME", "u"),
        ("HVECS_PASSWORD", "p"),
    ]);
    let e = empty
        .select(None, &env, &Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("HVECS_DOMAIN"), "{e}");
}

/// Each malformed file, the line and key its error must name, and a word of its explanation.
const MALFORMED: &[(&str, &str, usize, &str, &str)] = &[
    (
        "unknown top-level key",
        "colour = \"red\"\n",
        1,
        "colour",
        "unknown key",
    ),
    (
        "unknown ui key",
        "[ui]\ntheme = \"default\"\nblink = true\n",
        3,
        "ui.blink",
        "unknown key",
    ),
    (
        "wrong type",
        "[ui]\nrefresh_seconds = \"soon\"\n",
        2,
        "ui.refresh_seconds",
        "wrong type",
    ),
    (
        "mouse not a boolean",
        "[ui]\ntheme = \"default\"\nmouse = \"yes\"\n",
        3,
        "ui.mouse",
        "wrong type",
    ),
    (
        "unknown theme",
        "[ui]\ntheme = \"neon\"\n",
        2,
        "ui.theme",
        "no theme named \"neon\"",
    ),
    (
        "refresh out of range",
        "[ui]\nrefresh_seconds = 99999\n",
        2,
        "ui.refresh_seconds",
        "out of range",
    ),
    (
        "unknown profile key",
        "[profiles.a]\nendpoint = \"http://x\"\nregoin = \"r\"\n",
        3,
        "profiles.a.regoin",
        "unknown key",
    ),
    (
        "bad URL",
        "[profiles.a]\nendpoint = \"gw.example.com\"\n",
        2,
        "profiles.a.endpoint",
        "not a URL",
    ),
    (
        "bad scheme",
        "[profiles.a]\necs_url = \"ftp://gw\"\n",
        2,
        "profiles.a.ecs_url",
        "scheme",
    ),
    (
        "unknown auth method",
        "[profiles.a]\nendpoint = \"http://x\"\n[profiles.a.auth]\nmethod = \"kerberos\"\n",
        4,
        "profiles.a.auth.method",
        "kerberos",
    ),
    (
        "unknown auth key",
        "[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"S\"\nsecret = \"x\"\n",
        5,
        "profiles.a.auth.secret",
        "unknown key",
    ),
    (
        "two secret sources",
        "[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"S\"\nsk_command = \"pass x\"\n",
        4,
        "profiles.a.auth.sk_env",
        "only one",
    ),
    (
        "no secret",
        "[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\n",
        1,
        "profiles.a.auth",
        "sk_command",
    ),
    (
        "env name is a value",
        "[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"abc def\"\n",
        4,
        "profiles.a.auth.sk_env",
        "not an environment variable name",
    ),
    (
        "key of the other method",
        "[profiles.a.auth]\nmethod = \"password\"\nuser = \"u\"\ndomain = \"d\"\npassword_env = \"P\"\nsk_env = \"S\"\n",
        6,
        "profiles.a.auth.sk_env",
        "belongs to method = \"aksk\"",
    ),
    (
        "bad project id",
        "[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"S\"\nproject_id = \"proj-1\"\n",
        5,
        "profiles.a.auth.project_id",
        "32 hex",
    ),
    (
        "password without domain",
        "[profiles.a.auth]\nmethod = \"password\"\nuser = \"u\"\npassword_env = \"P\"\n",
        1,
        "profiles.a.auth",
        "domain",
    ),
    (
        "bad accent",
        "[profiles.a]\naccent = \"mauve\"\n",
        2,
        "profiles.a.accent",
        "not a colour",
    ),
    (
        "timeout out of range",
        "[profiles.a]\ntimeout_seconds = 0\n",
        2,
        "profiles.a.timeout_seconds",
        "out of range",
    ),
    (
        "parallel out of range",
        "[profiles.a]\nmax_parallel_tasks = 500\n",
        2,
        "profiles.a.max_parallel_tasks",
        "1 to 64",
    ),
    (
        "missing default profile",
        "default_profile = \"prod\"\n[profiles.lab]\nregion = \"r\"\n",
        1,
        "default_profile",
        "lab",
    ),
    (
        "missing CA file",
        "[profiles.a]\nca_file = \"/nonexistent/ca.pem\"\n",
        2,
        "profiles.a.ca_file",
        "does not exist",
    ),
    (
        "bad region",
        "[profiles.a]\nregion = \"cn north\"\n",
        2,
        "profiles.a.region",
        "not a region id",
    ),
    (
        "TOML syntax",
        "[profiles.a\nregion = \"r\"\n",
        1,
        "",
        "unclosed table",
    ),
    (
        "keys not a list",
        "[keys]\nquit = \"q\"\n",
        2,
        "keys.quit",
        "wrong type",
    ),
    (
        "a pinned project that is not a project id",
        "[profiles.a]\nendpoint = \"http://x\"\n[profiles.a.projects]\ncn-north-1 = \"north\"\n",
        4,
        "profiles.a.projects.cn-north-1",
        "not a project id",
    ),
    (
        "a pinned project under a name that is not a region",
        "[profiles.a]\nendpoint = \"http://x\"\n[profiles.a.projects]\n\"cn north\" = \"77b6a44cba5143ab91d13ab9a8ff44fd\"\n",
        4,
        "profiles.a.projects.cn north",
        "not a region id",
    ),
];

#[test]
fn projects_are_pinned_per_region_and_project_id_pins_the_profiles_region() {
    let text = format!(
        "{}[profiles.lab.projects]\nregion-1 = \"{}\"\nregion-2 = \"{}\"\n",
        GOOD_AKSK.replace("sk_env = \"LAB_SK\"", "sk = \"inline\""),
        "11111111111111111111111111111111",
        "22222222222222222222222222222222"
    );
    let p = select(&text, &[("LAB_SK", "s")]).unwrap().unwrap();
    assert_eq!(p.projects.len(), 2);
    let conn = p.connect().unwrap();
    // `project_id` pins the profile's own region (region-1), over its [projects] line.
    assert_eq!(
        conn.projects.get("region-1").map(String::as_str),
        Some("77b6a44cba5143ab91d13ab9a8ff44fd")
    );
    assert_eq!(
        conn.projects.get("region-2").map(String::as_str),
        Some("22222222222222222222222222222222")
    );
    // With another region, `project_id` pins that one: it will be checked there, not borrowed.
    let p = parse(&text)
        .unwrap()
        .select(
            None,
            &Env::from_pairs([("LAB_SK", "s")]),
            &Overrides {
                region: Some("region-3".into()),
                ..Overrides::default()
            },
        )
        .unwrap()
        .unwrap();
    let conn = p.connect().unwrap();
    assert_eq!(
        conn.projects.get("region-3").map(String::as_str),
        Some("77b6a44cba5143ab91d13ab9a8ff44fd")
    );
    assert_eq!(
        conn.projects.get("region-1").map(String::as_str),
        Some("11111111111111111111111111111111")
    );
}

#[test]
fn malformed_files_name_the_file_line_and_key() {
    assert!(MALFORMED.len() >= 15);
    for (what, text, line, key, words) in MALFORMED {
        let err = parse(text)
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted {text:?}"));
        let msg = err.to_string();
        match &err {
            ConfigError::At {
                file,
                line: l,
                key: k,
                ..
            } => {
                assert_eq!(file.to_str(), Some("/etc/hvecs/test.toml"), "{what}: {msg}");
                assert_eq!(l, line, "{what}: wrong line in {msg}");
                if !key.is_empty() {
                    assert_eq!(k, key, "{what}: wrong key in {msg}");
                }
            }
            other => panic!("{what}: error without a place: {other}"),
        }
        assert!(
            msg.starts_with(&format!("/etc/hvecs/test.toml:{line}:")),
            "{what}: {msg}"
        );
        assert!(
            msg.to_lowercase().contains(&words.to_lowercase()),
            "{what}: {msg:?} does not say {words:?}"
        );
    }
}

#[test]
fn incomplete_profiles_are_errors_that_say_what_is_missing() {
    let no_url = "[profiles.a]\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"S\"\n";
    let e = select(no_url, &[]).unwrap_err().to_string();
    assert!(e.contains("test.toml:1:") && e.contains("endpoint"), "{e}");
    let template_without_region = "[profiles.a]\nendpoint = \"https://{region}.example.com\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_env = \"S\"\n";
    let e = select(template_without_region, &[])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("test.toml:2:")
            && e.contains("key profiles.a.endpoint")
            && e.contains("no region"),
        "{e}"
    );
    // The environment may give the region the template needs.
    assert!(select(template_without_region, &[("HVECS_REGION", "r1")]).is_ok());
    let two = "[profiles.a]\nendpoint = \"http://x\"\n[profiles.b]\nendpoint = \"http://y\"\n";
    let e = select(two, &[]).unwrap_err().to_string();
    assert!(e.contains("a, b") && e.contains("--profile"), "{e}");
    let e = parse(GOOD_AKSK)
        .unwrap()
        .select(Some("nope"), &Env::default(), &Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no profile named \"nope\"") && e.contains("lab"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn an_inline_secret_in_a_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = "[profiles.a]\nendpoint = \"http://x\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk = \"inline-secret-value\"\n";
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let paths = test_paths(dir.path());
    let e = Config::load(Some(&path), &paths).unwrap_err().to_string();
    assert!(
        e.contains("chmod 600") && e.contains(":7:") && e.contains("key profiles.a.auth.sk"),
        "{e}"
    );
    assert!(!e.contains("inline-secret-value"), "{e}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let config = Config::load(Some(&path), &paths).unwrap();
    let p = config
        .select(None, &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    assert_eq!(p.connect().unwrap().credentials.principal(), "A");
    // The same file without an inline secret may be readable by others.
    std::fs::write(
        &path,
        text.replace("sk = \"inline-secret-value\"", "sk_env = \"S\""),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(Config::load(Some(&path), &paths).is_ok());
}

#[test]
fn a_missing_explicit_config_is_an_error_and_a_missing_default_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let paths = test_paths(dir.path());
    let e = Config::load(Some(&dir.path().join("nope.toml")), &paths)
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope.toml") && e.contains("no such file"), "{e}");
    let c = Config::load(None, &paths).unwrap();
    assert!(c.source.is_none() && c.profile_names().is_empty());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let text = "[profiles.a]\nendpoint = \"http://x\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"password\"\nuser = \"u\"\ndomain = \"d\"\npassword = \"Tr0ub4dor&3\"\n";
    let config = parse(text).unwrap();
    let p = config
        .select(None, &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    let conn = p.connect().unwrap();
    for dump in [
        format!("{config:?}"),
        format!("{p:?}"),
        format!("{conn:?}"),
        format!("{:?}", conn.credentials),
    ] {
        assert!(!dump.contains("Tr0ub4dor"), "secret in {dump}");
    }
    assert!(format!("{conn:?}").contains("***"));
}

#[test]
fn secret_commands_run_only_when_the_secret_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let text = format!(
        "[profiles.a]\nendpoint = \"http://x\"\nregion = \"r\"\n[profiles.a.auth]\nmethod = \"aksk\"\nak = \"A\"\nsk_command = \"touch {} && echo sk\"\n",
        marker.display()
    );
    let p = parse(&text)
        .unwrap()
        .select(None, &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    assert!(!marker.exists(), "loading must not run *_command");
    let conn = p.connect().unwrap();
    assert!(marker.exists());
    assert!(
        matches!(conn.credentials, hvecs::config::Credentials::AkSk { ref sk, .. } if sk.expose() == "sk")
    );
    let failing = text.replace(&format!("touch {} && echo sk", marker.display()), "exit 7");
    let p = parse(&failing)
        .unwrap()
        .select(None, &Env::default(), &Overrides::default())
        .unwrap()
        .unwrap();
    let e = p.connect().unwrap_err().to_string();
    assert!(
        e.contains("test.toml:7:")
            && e.contains("key profiles.a.auth.sk_command")
            && e.contains("exit code 7"),
        "{e}"
    );
}

fn test_paths(root: &std::path::Path) -> hvecs::config::Paths {
    hvecs::config::Paths {
        config_file: root.join("config.toml"),
        themes_dir: root.join("themes"),
        state_dir: root.join("state"),
        log_file: root.join("state/hvecs.log"),
    }
}
