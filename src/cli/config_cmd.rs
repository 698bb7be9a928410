//! `hvecs config check [--resolve]` and `hvecs config path`.

use std::fmt::Write as _;

use crate::config::{Auth, Config, Env, Overrides, Paths, Profile, Service};

use super::args::GlobalArgs;
use super::exit::{CliError, ExitCode};

/// Loads and checks the config (every profile), then prints the profile in use, secrets as `***`.
pub fn check(global: &GlobalArgs, resolve: bool, paths: &Paths) -> Result<String, CliError> {
    let config = Config::load(global.config.as_deref(), paths)?;
    let env = Env::from_process();
    let flags = overrides(global);
    let mut out = String::new();
    match &config.source {
        Some(src) => writeln!(out, "config: {} (ok)", src.path().display()),
        None => writeln!(
            out,
            "config: none at {} (the environment alone may form a profile)",
            paths.config_file.display()
        ),
    }
    .ok();
    // The keymap and the theme, as the console checks them before it starts.
    crate::tui::term::launch::check_look(&config, &super::launch_options(global), paths)
        .map_err(super::launch_error)?;
    // Every profile of the file must be complete, not only the one in use.
    for name in config.profile_names() {
        config.select(Some(&name), &env, &flags)?;
    }
    let Some(profile) = config.select(global.profile.as_deref(), &env, &flags)? else {
        return Err(CliError::new(
            ExitCode::Usage,
            format!(
                "no profile to check: {}.\n\
                 Run `hvecs config init` to write a profile (or see config.example.toml), or set HVECS_ENDPOINT, HVECS_REGION and HVECS_AK/HVECS_SK.\n\
                 To try hvecs without a cloud: hvecs demo",
                crate::tui::term::launch::no_profile_reason(&config, paths)
            ),
        ));
    };
    describe(&mut out, &profile);
    let ui = &config.ui;
    writeln!(
        out,
        "ui: theme {}, refresh {}, ascii {}, mouse {}",
        global.theme.as_deref().unwrap_or(&ui.theme),
        if ui.refresh_seconds == 0 {
            "off".to_owned()
        } else {
            format!("every {} s", ui.refresh_seconds)
        },
        ui.ascii,
        ui.mouse
    )
    .ok();
    if resolve {
        profile.connect()?;
        writeln!(
            out,
            "secrets: every secret of profile {:?} was read",
            profile.name
        )
        .ok();
    } else {
        writeln!(
            out,
            "secrets: not read (add --resolve to run *_command and read *_env)"
        )
        .ok();
    }
    Ok(out)
}

fn describe(out: &mut String, p: &Profile) {
    writeln!(out, "profile: {}", p.name).ok();
    let same = Service::ALL
        .iter()
        .all(|s| p.urls.get(*s) == p.urls.get(Service::Iam));
    if same {
        writeln!(out, "  endpoint: {}", p.urls.iam.as_str()).ok();
    } else {
        for s in Service::ALL {
            writeln!(out, "  {}: {}", s.url_key(), p.urls.get(s).as_str()).ok();
        }
    }
    writeln!(
        out,
        "  region: {}",
        p.region
            .as_deref()
            .unwrap_or("(none: set region, HVECS_REGION or --region)")
    )
    .ok();
    let (method, fields) = match &p.auth {
        Auth::AkSk { ak, sk, project_id } => {
            let project = project_id.as_deref().unwrap_or("(found from the region)");
            let fields = vec![
                ("ak", ak.describe()),
                ("sk", sk.describe()),
                ("project_id", project.to_owned()),
            ];
            ("aksk", fields)
        }
        Auth::Password {
            user,
            domain,
            password,
            project,
        } => {
            let project = project.as_deref().unwrap_or("(the region's project)");
            let fields = vec![
                ("user", user.describe()),
                ("domain", domain.clone()),
                ("password", password.describe()),
                ("project", project.to_owned()),
            ];
            ("password", fields)
        }
    };
    writeln!(out, "  auth: {method}").ok();
    for (key, value) in fields {
        writeln!(out, "    {key}: {value}").ok();
    }
    for (region, project) in &p.projects {
        writeln!(out, "  project of {region}: {project} (pinned)").ok();
    }
    writeln!(out, "  read_only: {}", p.read_only).ok();
    if let Some(ca) = &p.transport.ca_file {
        writeln!(out, "  ca_file: {}", ca.display()).ok();
    }
    if let Some(n) = &p.transport.tls_server_name {
        writeln!(out, "  tls_server_name: {n}").ok();
    }
    if p.transport.insecure_skip_tls_verify {
        writeln!(
            out,
            "  insecure_skip_tls_verify: true (WARNING: the gateway's certificate is not checked)"
        )
        .ok();
    }
    writeln!(
        out,
        "  timeout: {} s (connect {} s)",
        p.transport.timeout.as_secs(),
        p.transport.connect_timeout.as_secs()
    )
    .ok();
    writeln!(out, "  max_parallel_tasks: {}", p.max_parallel_tasks).ok();
    if let Some(a) = p.accent {
        writeln!(out, "  accent: {a}").ok();
    }
}

/// `hvecs config path`.
pub fn path(global: &GlobalArgs, paths: &Paths) -> String {
    let config = crate::config::config_file(global.config.as_deref(), paths);
    let exists = if config.is_file() {
        ""
    } else {
        " (not there yet)"
    };
    format!(
        "config: {}{exists}\nthemes: {}\nstate:  {}\nlog:    {}\n",
        config.display(),
        paths.themes_dir.display(),
        paths.state_dir.display(),
        paths.log_file.display()
    )
}

/// The flags that override the profile. `--region all` names no one region: the profile's own
/// region stays the session's (see `session::every_region`).
pub fn overrides(global: &GlobalArgs) -> Overrides {
    Overrides {
        endpoint: global.endpoint.clone(),
        region: global
            .region
            .clone()
            .filter(|r| r != crate::gateway::ALL_REGIONS),
        read_only: global.read_only,
    }
}
