//! `hvecs config init`: writes a commented profile to the config file (mode 0600), asking on a
//! terminal for what the flags leave out; never asks for a secret, only where to find it.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::config::{Config, Env, Overrides, Paths, Source};

use super::args::{GlobalArgs, InitArgs, InitAuth};
use super::exit::{CliError, ExitCode};

/// What the new profile says, every value given (by a flag or an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProfile {
    pub name: String,
    pub endpoint: String,
    pub region: String,
    pub auth: NewAuth,
}

/// How the new profile authenticates; secrets are named (a variable, a command), never held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewAuth {
    AkSk {
        ak: String,
        sk: SecretPlace,
    },
    Password {
        user: String,
        domain: String,
        password: SecretPlace,
    },
}

/// Where a secret is read from when the profile is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretPlace {
    Env(String),
    Command(String),
}

/// Runs `config init`: the profile from the flags (and, on a terminal, questions), checked as
/// `config check` would, then written; returns what was done.
pub fn run(global: &GlobalArgs, args: &InitArgs, paths: &Paths) -> Result<String, CliError> {
    let file = crate::config::config_file(global.config.as_deref(), paths);
    let existing = match std::fs::read_to_string(&file) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(usage(format!("cannot read {}: {e}", file.display())));
        }
    };
    let mut ask = Asker::new(super::change_cmds::tty());
    let profile = gather(global, args, &mut ask)?;
    let text = match &existing {
        None => format!("{}{}", header(&profile.name), section(&profile)),
        Some(old) => {
            let config = Config::parse(Source::new(&file, old.clone()), None)?;
            if config.profile_names().contains(&profile.name) {
                return Err(usage(format!(
                    "{} already has a profile {:?}; name another with --profile NAME, or edit the file",
                    file.display(),
                    profile.name
                )));
            }
            let sep = if old.ends_with('\n') || old.is_empty() {
                ""
            } else {
                "\n"
            };
            format!("{old}{sep}\n{}", section(&profile))
        }
    };
    // The text is checked as `config check` checks it before a byte is written.
    let config = Config::parse(Source::new(&file, text.clone()), None)?;
    config.select(Some(&profile.name), &Env::default(), &Overrides::default())?;
    write(&file, &text, existing.is_none())?;
    let verb = if existing.is_none() {
        "wrote"
    } else {
        "added to"
    };
    let mut out = format!(
        "{verb} {}: profile {:?} ({}, region {})\n",
        file.display(),
        profile.name,
        profile.endpoint,
        profile.region
    );
    if existing.is_some() {
        out.push_str(&format!(
            "use it with --profile {0} (or HVECS_PROFILE={0}, or default_profile in the file)\n",
            profile.name
        ));
    }
    out.push_str("next: hvecs config check --resolve (reads the secret), then hvecs doctor\n");
    Ok(out)
}

/// The profile from the flags, asking for each missing value when `ask` may.
fn gather(global: &GlobalArgs, args: &InitArgs, ask: &mut Asker) -> Result<NewProfile, CliError> {
    let name = global
        .profile
        .clone()
        .unwrap_or_else(|| "default".to_owned());
    check_name(&name)?;
    let endpoint = ask.value(
        global.endpoint.clone(),
        "--endpoint",
        "The gateway's base URL (https://…)",
        check_endpoint,
    )?;
    let region = ask.value(
        global.region.clone(),
        "--region",
        "The region the console opens in",
        check_region,
    )?;
    let method = match args.auth {
        Some(m) => m,
        None => {
            let m = ask.value(
                None,
                "--auth",
                "Authentication: aksk (an access key) or password (an IAM user)",
                |s| match s {
                    "aksk" | "password" => Ok(()),
                    _ => Err("answer aksk or password".to_owned()),
                },
            )?;
            if m == "aksk" {
                InitAuth::Aksk
            } else {
                InitAuth::Password
            }
        }
    };
    let auth = match method {
        InitAuth::Aksk => NewAuth::AkSk {
            ak: ask.value(
                args.ak.clone(),
                "--ak",
                "The access key id (not the secret)",
                check_plain,
            )?,
            sk: secret_place(
                ask,
                args.sk_env.clone(),
                args.sk_command.clone(),
                "--sk-env VAR or --sk-command CMD",
                "the secret key",
            )?,
        },
        InitAuth::Password => NewAuth::Password {
            user: ask.value(args.user.clone(), "--user", "The IAM user", check_plain)?,
            domain: ask.value(
                args.domain.clone(),
                "--domain",
                "The account (domain) of the user",
                check_plain,
            )?,
            password: secret_place(
                ask,
                args.password_env.clone(),
                args.password_command.clone(),
                "--password-env VAR or --password-command CMD",
                "the password",
            )?,
        },
    };
    Ok(NewProfile {
        name,
        endpoint,
        region,
        auth,
    })
}

/// Where a secret comes from: a variable or a command, given or asked (the secret never is).
fn secret_place(
    ask: &mut Asker,
    env: Option<String>,
    command: Option<String>,
    flags: &str,
    what: &str,
) -> Result<SecretPlace, CliError> {
    match (env, command) {
        (Some(v), None) => check_env_name(&v)
            .map(|()| SecretPlace::Env(v))
            .map_err(usage),
        (None, Some(c)) => check_plain(&c)
            .map(|()| SecretPlace::Command(c))
            .map_err(usage),
        (Some(_), Some(_)) => Err(usage(format!("give one of {flags}, not both"))),
        (None, None) => {
            let answer = ask.value(
                None,
                flags,
                &format!(
                    "Where {what} is read from: an environment variable's NAME, or `!command` that prints it (never the secret itself)"
                ),
                |s| match s.strip_prefix('!') {
                    Some(c) => check_plain(c.trim()),
                    None => check_env_name(s),
                },
            )?;
            Ok(match answer.strip_prefix('!') {
                Some(c) => SecretPlace::Command(c.trim().to_owned()),
                None => SecretPlace::Env(answer),
            })
        }
    }
}

/// Asks on the terminal (stderr for the question, stdin for the answer), or says which flag is
/// missing when there is no terminal.
struct Asker {
    tty: bool,
}

impl Asker {
    fn new(tty: bool) -> Self {
        Asker { tty }
    }

    fn value(
        &mut self,
        given: Option<String>,
        flag: &str,
        question: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, CliError> {
        if let Some(v) = given {
            check(&v).map_err(|e| usage(format!("{flag}: {e}")))?;
            return Ok(v);
        }
        if !self.tty {
            return Err(usage(format!(
                "config init needs {flag} (no terminal to ask on)"
            )));
        }
        let stdin = std::io::stdin();
        loop {
            eprint!("{question}: ");
            std::io::stderr().flush().ok();
            let mut line = String::new();
            match stdin.lock().read_line(&mut line) {
                Ok(0) => return Err(usage(format!("input ended before {flag} was given"))),
                Ok(_) => {}
                Err(e) => return Err(usage(format!("cannot read the answer: {e}"))),
            }
            let answer = line.trim().to_owned();
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(e) => eprintln!("  {e}"),
            }
        }
    }
}

fn check_name(name: &str) -> Result<(), CliError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(usage(format!(
            "--profile {name:?}: a new profile's name uses letters, digits, - and _"
        )))
    }
}

fn check_endpoint(s: &str) -> Result<(), String> {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => Ok(()),
        Ok(_) => Err(format!("{s:?} is not an http(s) URL with a host")),
        Err(e) => Err(format!("{s:?} is not a URL: {e}")),
    }
}

fn check_region(s: &str) -> Result<(), String> {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not a region name (letters, digits, -, _ and .)"
        ))
    }
}

fn check_env_name(s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an environment variable's name (letters, digits and _)"
        ))
    }
}

fn check_plain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        Err("it may not be empty".to_owned())
    } else if s.chars().any(char::is_control) {
        Err("it may not hold control characters".to_owned())
    } else {
        Ok(())
    }
}

/// The top of a new file: what it is and the default profile.
fn header(name: &str) -> String {
    format!(
        "# hvecs configuration, written by `hvecs config init`. Every key is explained in\n\
         # config.example.toml (in the hvecs repository); `hvecs config check` checks this file.\n\
         \n\
         # The profile used when neither --profile nor HVECS_PROFILE names one.\n\
         default_profile = {}\n",
        quoted(name)
    )
}

/// One profile's tables, with a comment per key.
fn section(p: &NewProfile) -> String {
    let mut s = format!(
        "\n[profiles.{name}]\n\
         # One base URL for IAM, ECS, IMS, EVS and VPC.\n\
         endpoint = {endpoint}\n\
         # The region the console opens in.\n\
         region = {region}\n\
         # Refuse every change in this profile (Ctrl-t in the console leaves it).\n\
         read_only = false\n\
         \n\
         [profiles.{name}.auth]\n",
        name = p.name,
        endpoint = quoted(&p.endpoint),
        region = quoted(&p.region),
    );
    match &p.auth {
        NewAuth::AkSk { ak, sk } => {
            s.push_str("# Sign every request with an access key (SDK-HMAC-SHA256).\n");
            s.push_str("method = \"aksk\"\n");
            s.push_str(&format!("ak = {}\n", quoted(ak)));
            s.push_str(&secret_line("sk", sk));
        }
        NewAuth::Password {
            user,
            domain,
            password,
        } => {
            s.push_str("# An IAM user's token, kept in memory only.\n");
            s.push_str("method = \"password\"\n");
            s.push_str(&format!("user = {}\n", quoted(user)));
            s.push_str(&format!("domain = {}\n", quoted(domain)));
            s.push_str(&secret_line("password", password));
        }
    }
    s
}

fn secret_line(key: &str, place: &SecretPlace) -> String {
    match place {
        SecretPlace::Env(v) => format!(
            "# The secret is read from this environment variable.\n{key}_env = {}\n",
            quoted(v)
        ),
        SecretPlace::Command(c) => format!(
            "# The secret is what this command prints.\n{key}_command = {}\n",
            quoted(c)
        ),
    }
}

/// A TOML string, quoted and escaped by the toml crate.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// Writes the file: a new one is created owner-only (0600) with its folder, never over another;
/// an existing one is replaced whole, through a copy beside it with its permissions renamed over
/// it, so that a write cut short leaves the old file as it was.
fn write(file: &Path, text: &str, new: bool) -> Result<(), CliError> {
    let fail = |e: std::io::Error| usage(format!("cannot write {}: {e}", file.display()));
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    if new {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(file).map_err(fail)?;
        f.write_all(text.as_bytes()).map_err(fail)?;
        return f.sync_all().map_err(fail);
    }
    let mut beside = file.as_os_str().to_owned();
    beside.push(".hvecs-init");
    let beside = std::path::PathBuf::from(beside);
    let permissions = std::fs::metadata(file).map_err(fail)?.permissions();
    let written = (|| {
        let mut f = std::fs::File::create(&beside)?;
        f.set_permissions(permissions)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&beside, file)
    })();
    if written.is_err() {
        std::fs::remove_file(&beside).ok();
    }
    written.map_err(fail)
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::new(ExitCode::Usage, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> NewProfile {
        NewProfile {
            name: "lab".to_owned(),
            endpoint: "https://gw.example.com:8443".to_owned(),
            region: "region-1".to_owned(),
            auth: NewAuth::AkSk {
                ak: "AKID\"quoted".to_owned(),
                sk: SecretPlace::Command("pass show lab/sk".to_owned()),
            },
        }
    }

    #[test]
    fn the_written_text_is_a_config_that_selects_the_profile() {
        let p = lab();
        let text = format!("{}{}", header(&p.name), section(&p));
        let config = Config::parse(Source::new("/x/config.toml", text), None).unwrap();
        let profile = config
            .select(None, &Env::default(), &Overrides::default())
            .unwrap()
            .unwrap();
        assert_eq!(profile.name, "lab");
        assert_eq!(profile.region.as_deref(), Some("region-1"));
    }

    #[test]
    fn bad_values_are_named() {
        assert!(
            check_endpoint("gw.example.com")
                .unwrap_err()
                .contains("not a URL")
        );
        assert!(check_endpoint("ftp://gw").unwrap_err().contains("http(s)"));
        assert!(check_region("region 1").is_err());
        assert!(check_env_name("1SK").is_err() && check_env_name("HVECS_SK").is_ok());
        assert!(check_name("a b").is_err() && check_name("prod-2").is_ok());
    }
}
