//! `[profiles.NAME.auth]` made into an `Auth`: which keys each method takes, and where secrets come from.

use super::error::ConfigError;
use super::locate::Source;
use super::profile::Auth;
use super::schema::{AuthMethod, RawAuth};
use super::secret::Secret;
use super::secret_source::{SecretSource, ValueSource};
use super::values::{check_project_id, is_env_name};

pub(super) fn auth_from_file(
    name: &str,
    raw: &RawAuth,
    source: &Source,
) -> Result<Auth, ConfigError> {
    fn path<'a>(name: &'a str, key: &'a str) -> [&'a str; 4] {
        ["profiles", name, "auth", key]
    }
    let at = |key: &str, msg: String| source.error_at(&path(name, key), msg);
    let origin = |key: &str| match source.error_at(&path(name, key), "") {
        ConfigError::At {
            file,
            line,
            col,
            key,
            ..
        } => format!("{}:{line}:{col}: key {key}", file.display()),
        other => other.to_string(),
    };
    let secret = |inline: &Option<String>,
                  env: &Option<String>,
                  cmd: &Option<String>,
                  key: &str|
     -> Result<SecretSource, ConfigError> {
        let env_key = format!("{key}_env");
        let cmd_key = format!("{key}_command");
        match (inline, env, cmd) {
            (Some(v), None, None) => {
                if v.is_empty() {
                    return Err(at(
                        key,
                        format!(
                            "`{key}` is empty; give the secret, or use `{env_key}` or `{cmd_key}`"
                        ),
                    ));
                }
                Ok(SecretSource::Inline(Secret::new(v.clone()), origin(key)))
            }
            (None, Some(v), None) => {
                if !is_env_name(v) {
                    return Err(at(
                        &env_key,
                        format!(
                            "{v:?} is not an environment variable name; write the name, e.g. \"HVECS_SK\", not its value"
                        ),
                    ));
                }
                Ok(SecretSource::Env(v.clone(), origin(&env_key)))
            }
            (None, None, Some(v)) => {
                if v.trim().is_empty() {
                    return Err(at(
                        &cmd_key,
                        format!(
                            "`{cmd_key}` is empty; give a command that prints the secret, e.g. \"pass show cloud/sk\""
                        ),
                    ));
                }
                Ok(SecretSource::Command(v.clone(), origin(&cmd_key)))
            }
            (None, None, None) => Err(source.error_at(
                &["profiles", name, "auth"],
                format!("no `{key}`: set one of `{key}`, `{env_key}` or `{cmd_key}`"),
            )),
            _ => {
                let which = if inline.is_some() {
                    key.to_owned()
                } else {
                    env_key.clone()
                };
                Err(at(
                    &which,
                    format!("give only one of `{key}`, `{env_key}` and `{cmd_key}`"),
                ))
            }
        }
    };
    if let Some(key) = raw.foreign_keys().first() {
        let (this, other) = match raw.method {
            AuthMethod::AkSk => ("aksk", "password"),
            AuthMethod::Password => ("password", "aksk"),
        };
        return Err(at(
            key,
            format!(
                "`{key}` belongs to method = \"{other}\", and this profile has method = \"{this}\"; remove it or change the method"
            ),
        ));
    }
    let RawAuth {
        ak,
        ak_env,
        sk,
        sk_env,
        sk_command,
        project_id,
        user,
        user_env,
        domain,
        password,
        password_env,
        password_command,
        project,
        ..
    } = raw;
    match raw.method {
        AuthMethod::AkSk => {
            let ak = match (ak, ak_env) {
                (Some(a), None) => {
                    if a.trim().is_empty() || a.chars().any(char::is_whitespace) {
                        return Err(at(
                            "ak",
                            format!("{a:?} is not an access key id (it has blanks or is empty)"),
                        ));
                    }
                    ValueSource::Inline(a.clone())
                }
                (None, Some(v)) => {
                    if !is_env_name(v) {
                        return Err(at(
                            "ak_env",
                            format!("{v:?} is not an environment variable name"),
                        ));
                    }
                    ValueSource::Env(v.clone(), origin("ak_env"))
                }
                (None, None) => {
                    return Err(source.error_at(
                        &["profiles", name, "auth"],
                        "no `ak`: set `ak` or `ak_env`".to_owned(),
                    ));
                }
                (Some(_), Some(_)) => {
                    return Err(at("ak", "give only one of `ak` and `ak_env`".to_owned()));
                }
            };
            let sk = secret(sk, sk_env, sk_command, "sk")?;
            let project_id = match project_id {
                Some(p) => Some(check_project_id(p).map_err(|m| at("project_id", m))?),
                None => None,
            };
            Ok(Auth::AkSk { ak, sk, project_id })
        }
        AuthMethod::Password => {
            let user = match (user, user_env) {
                (Some(u), None) if !u.trim().is_empty() => ValueSource::Inline(u.trim().to_owned()),
                (Some(_), None) => {
                    return Err(at(
                        "user",
                        "`user` is empty; give the IAM user name".to_owned(),
                    ));
                }
                (None, Some(v)) if is_env_name(v) => {
                    ValueSource::Env(v.clone(), origin("user_env"))
                }
                (None, Some(v)) => {
                    return Err(at(
                        "user_env",
                        format!("{v:?} is not an environment variable name"),
                    ));
                }
                (None, None) => {
                    return Err(source.error_at(
                        &["profiles", name, "auth"],
                        "no `user`: set `user` (the IAM user name)".to_owned(),
                    ));
                }
                (Some(_), Some(_)) => {
                    return Err(at(
                        "user",
                        "give only one of `user` and `user_env`".to_owned(),
                    ));
                }
            };
            let domain = match domain {
                Some(d) if !d.trim().is_empty() => d.trim().to_owned(),
                Some(_) => {
                    return Err(at(
                        "domain",
                        "`domain` is empty; give the account (domain) name".to_owned(),
                    ));
                }
                None => {
                    return Err(source.error_at(
                        &["profiles", name, "auth"],
                        "no `domain`: set `domain` (the account name the user belongs to)"
                            .to_owned(),
                    ));
                }
            };
            let password = secret(password, password_env, password_command, "password")?;
            Ok(Auth::Password {
                user,
                domain,
                password,
                project: project.clone(),
            })
        }
    }
}
