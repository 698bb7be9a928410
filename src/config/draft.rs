//! Building a profile in layers: the file, then `HVECS_*` variables, then flags; checked at the end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::auth::auth_from_file;
use super::env::Env;
use super::error::ConfigError;
use super::locate::Source;
use super::profile::{
    Auth, DEFAULT_MAX_PARALLEL_TASKS, Profile, Service, ServiceUrls, Transport, UrlTemplate,
};
use super::schema::RawProfile;
use super::secret_source::{SecretSource, ValueSource};
use super::theme::ThemeColor;
use super::values::check_project_id;

/// Where a value came from, so a late error can still point at it.
#[derive(Debug, Clone)]
enum From {
    File(Vec<String>),
    Env(&'static str),
    Flag(&'static str),
}

#[derive(Debug, Clone)]
struct Url {
    template: UrlTemplate,
    from: From,
}

/// A profile being put together; `finish` checks that it is complete.
#[derive(Debug, Clone)]
pub struct Draft {
    name: String,
    source: Option<Source>,
    endpoint: Option<Url>,
    urls: [Option<Url>; 5],
    region: Option<String>,
    auth: Option<Auth>,
    projects: BTreeMap<String, String>,
    read_only: bool,
    transport: Transport,
    max_parallel_tasks: usize,
    accent: Option<ThemeColor>,
}

/// Flags that override a profile.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub read_only: bool,
}

fn index(s: Service) -> usize {
    Service::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

impl Draft {
    pub fn empty(name: &str) -> Self {
        Draft {
            name: name.to_owned(),
            source: None,
            endpoint: None,
            urls: Default::default(),
            region: None,
            auth: None,
            projects: BTreeMap::new(),
            read_only: false,
            transport: Transport::default(),
            max_parallel_tasks: DEFAULT_MAX_PARALLEL_TASKS,
            accent: None,
        }
    }

    /// A profile from the file, each value checked where it stands.
    pub fn from_file(name: &str, raw: &RawProfile, source: &Source) -> Result<Self, ConfigError> {
        let mut d = Draft::empty(name);
        d.source = Some(source.clone());
        let at = |key: &[&str], msg: String| {
            let mut path = vec!["profiles", name];
            path.extend_from_slice(key);
            source.error_at(&path, msg)
        };
        let from = |key: &str| From::File(vec!["profiles".into(), name.into(), key.into()]);
        if let Some(e) = &raw.endpoint {
            let template = UrlTemplate::parse(e).map_err(|m| at(&["endpoint"], m))?;
            d.endpoint = Some(Url {
                template,
                from: from("endpoint"),
            });
        }
        let per_service = [
            &raw.iam_url,
            &raw.ecs_url,
            &raw.ims_url,
            &raw.evs_url,
            &raw.vpc_url,
        ];
        for (service, value) in Service::ALL.iter().zip(per_service) {
            if let Some(v) = value {
                let key = service.url_key();
                let template = UrlTemplate::parse(v).map_err(|m| at(&[key], m))?;
                d.urls[index(*service)] = Some(Url {
                    template,
                    from: from(key),
                });
            }
        }
        if let Some(r) = &raw.region {
            d.region = Some(check_region(r).map_err(|m| at(&["region"], m))?);
        }
        for (region, project) in raw.projects.iter().flatten() {
            let r = check_region(region).map_err(|m| at(&["projects", region], m))?;
            let p = check_project_id(project).map_err(|m| at(&["projects", region], m))?;
            d.projects.insert(r, p);
        }
        d.read_only = raw.read_only.unwrap_or(false);
        if let Some(ca) = &raw.ca_file {
            let path = expand_home(ca);
            if !path.is_file() {
                return Err(at(
                    &["ca_file"],
                    format!(
                        "{} does not exist or is not a file; give the path of a PEM file with the gateway's CA",
                        path.display()
                    ),
                ));
            }
            d.transport.ca_file = Some(path);
        }
        if let Some(n) = &raw.tls_server_name {
            if n.trim().is_empty() || n.contains('/') || n.contains(':') {
                return Err(at(
                    &["tls_server_name"],
                    format!(
                        "{n:?} is not a host name; write the name the certificate holds, e.g. \"gw.example.com\""
                    ),
                ));
            }
            d.transport.tls_server_name = Some(n.trim().to_owned());
        }
        d.transport.insecure_skip_tls_verify = raw.insecure_skip_tls_verify.unwrap_or(false);
        if let Some(t) = raw.timeout_seconds {
            d.transport.timeout = seconds(t, 1, 600).map_err(|m| at(&["timeout_seconds"], m))?;
        }
        if let Some(t) = raw.connect_timeout_seconds {
            d.transport.connect_timeout =
                seconds(t, 1, 120).map_err(|m| at(&["connect_timeout_seconds"], m))?;
        }
        if let Some(n) = raw.max_parallel_tasks {
            if !(1..=64).contains(&n) {
                return Err(at(
                    &["max_parallel_tasks"],
                    format!("{n} is out of range; use 1 to 64"),
                ));
            }
            d.max_parallel_tasks = n;
        }
        if let Some(a) = &raw.accent {
            d.accent = Some(ThemeColor::parse(a).map_err(|m| at(&["accent"], m))?);
        }
        if let Some(auth) = &raw.auth {
            d.auth = Some(auth_from_file(name, auth, source)?);
        }
        Ok(d)
    }

    /// `HVECS_*` variables override what the file says.
    pub fn apply_env(&mut self, env: &Env) -> Result<(), ConfigError> {
        let env_err =
            |var: &str, m: String| ConfigError::Other(format!("environment variable {var}: {m}"));
        if let Some(e) = env.get("HVECS_ENDPOINT") {
            let template = UrlTemplate::parse(e).map_err(|m| env_err("HVECS_ENDPOINT", m))?;
            self.endpoint = Some(Url {
                template,
                from: From::Env("HVECS_ENDPOINT"),
            });
            self.urls = Default::default();
        }
        let vars = [
            "HVECS_IAM_URL",
            "HVECS_ECS_URL",
            "HVECS_IMS_URL",
            "HVECS_EVS_URL",
            "HVECS_VPC_URL",
        ];
        for (service, var) in Service::ALL.iter().zip(vars) {
            if let Some(v) = env.get(var) {
                let template = UrlTemplate::parse(v).map_err(|m| env_err(var, m))?;
                self.urls[index(*service)] = Some(Url {
                    template,
                    from: From::Env(var),
                });
            }
        }
        if let Some(r) = env.get("HVECS_REGION") {
            self.region = Some(check_region(r).map_err(|m| env_err("HVECS_REGION", m))?);
        }
        if env.has("HVECS_AK") || env.has("HVECS_SK") {
            let project_id = match env.get("HVECS_PROJECT_ID") {
                Some(p) => Some(check_project_id(p).map_err(|m| env_err("HVECS_PROJECT_ID", m))?),
                None => match &self.auth {
                    Some(Auth::AkSk { project_id, .. }) => project_id.clone(),
                    _ => None,
                },
            };
            let (old_ak, old_sk) = match &self.auth {
                Some(Auth::AkSk { ak, sk, .. }) => (Some(ak.clone()), Some(sk.clone())),
                _ => (None, None),
            };
            let missing = "HVECS_SK is set but HVECS_AK is not: set both";
            let ak = env_or(env, "HVECS_AK", ValueSource::Env, old_ak, missing)?;
            let missing = "HVECS_AK is set but HVECS_SK is not: set both";
            let sk = env_or(env, "HVECS_SK", SecretSource::Env, old_sk, missing)?;
            self.auth = Some(Auth::AkSk { ak, sk, project_id });
        } else if env.has("HVECS_USERNAME") || env.has("HVECS_PASSWORD") {
            let old = match &self.auth {
                Some(Auth::Password {
                    user,
                    domain,
                    password,
                    project,
                }) => Some((
                    user.clone(),
                    domain.clone(),
                    password.clone(),
                    project.clone(),
                )),
                _ => None,
            };
            let old_user = old.as_ref().map(|o| o.0.clone());
            let missing = "HVECS_PASSWORD is set but HVECS_USERNAME is not: set HVECS_USERNAME, HVECS_PASSWORD and HVECS_DOMAIN";
            let user = env_or(env, "HVECS_USERNAME", ValueSource::Env, old_user, missing)?;
            let old_password = old.as_ref().map(|o| o.2.clone());
            let missing = "HVECS_USERNAME is set but HVECS_PASSWORD is not: set HVECS_USERNAME, HVECS_PASSWORD and HVECS_DOMAIN";
            let password = env_or(
                env,
                "HVECS_PASSWORD",
                SecretSource::Env,
                old_password,
                missing,
            )?;
            let domain =
                match (env.get("HVECS_DOMAIN"), &old) {
                    (Some(d), _) => d.to_owned(),
                    (None, Some(o)) => o.1.clone(),
                    (None, None) => return Err(ConfigError::Other(
                        "HVECS_DOMAIN is not set: password login needs the account (domain) name"
                            .into(),
                    )),
                };
            let project = old.and_then(|o| o.3);
            self.auth = Some(Auth::Password {
                user,
                domain,
                password,
                project,
            });
        } else if let (Some(p), Some(Auth::AkSk { project_id, .. })) =
            (env.get("HVECS_PROJECT_ID"), &mut self.auth)
        {
            *project_id = Some(check_project_id(p).map_err(|m| env_err("HVECS_PROJECT_ID", m))?);
        }
        if let (Some(d), Some(Auth::Password { domain, .. })) =
            (env.get("HVECS_DOMAIN"), &mut self.auth)
        {
            *domain = d.to_owned();
        }
        Ok(())
    }

    /// Command-line flags override everything.
    pub fn apply_flags(&mut self, o: &Overrides) -> Result<(), ConfigError> {
        if let Some(e) = &o.endpoint {
            let template = UrlTemplate::parse(e)
                .map_err(|m| ConfigError::Other(format!("--endpoint: {m}")))?;
            self.endpoint = Some(Url {
                template,
                from: From::Flag("--endpoint"),
            });
            self.urls = Default::default();
        }
        if let Some(r) = &o.region {
            self.region =
                Some(check_region(r).map_err(|m| ConfigError::Other(format!("--region: {m}")))?);
        }
        if o.read_only {
            self.read_only = true;
        }
        Ok(())
    }

    fn error(&self, from: &From, msg: String) -> ConfigError {
        match (from, &self.source) {
            (From::File(path), Some(src)) => {
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                src.error_at(&p, msg)
            }
            (From::Env(var), _) => ConfigError::Other(format!("environment variable {var}: {msg}")),
            (From::Flag(flag), _) => ConfigError::Other(format!("{flag}: {msg}")),
            (From::File(path), None) => {
                ConfigError::Other(format!("key {}: {msg}", path.join(".")))
            }
        }
    }

    fn profile_error(&self, msg: String) -> ConfigError {
        match &self.source {
            Some(src) => src.error_at(&["profiles", &self.name], msg),
            None => ConfigError::Other(msg),
        }
    }

    /// Checks that the profile is complete: a URL for every service, a region where a URL needs
    /// one, and credentials.
    pub fn finish(self) -> Result<Profile, ConfigError> {
        let mut urls = Vec::new();
        for s in Service::ALL {
            let url = self.urls[index(s)]
                .clone()
                .or_else(|| self.endpoint.clone());
            let Some(url) = url else {
                return Err(self.profile_error(format!(
                    "profile {:?} has no URL for {}: set `endpoint` (one base URL for all services) or `{}` (HVECS_ENDPOINT or HVECS_{}_URL in the environment)",
                    self.name, s.name().to_uppercase(), s.url_key(), s.name().to_uppercase()
                )));
            };
            if url.template.needs_region() && self.region.is_none() {
                return Err(self.error(
                    &url.from,
                    format!("{:?} uses {{region}} but the profile has no region: set `region` (or HVECS_REGION, or --region)", url.template.as_str()),
                ));
            }
            urls.push(url.template);
        }
        let mut it = urls.into_iter();
        let mut next = || {
            it.next()
                .ok_or_else(|| ConfigError::Other("internal: service list".into()))
        };
        let urls = ServiceUrls {
            iam: next()?,
            ecs: next()?,
            ims: next()?,
            evs: next()?,
            vpc: next()?,
        };
        let Some(auth) = self.auth.clone() else {
            return Err(self.profile_error(format!(
                "profile {:?} has no credentials: add [profiles.{}.auth] with method = \"aksk\" or \"password\" (or set HVECS_AK and HVECS_SK)",
                self.name, self.name
            )));
        };
        Ok(Profile {
            name: self.name,
            urls,
            region: self.region,
            auth,
            projects: self.projects,
            read_only: self.read_only,
            transport: self.transport,
            max_parallel_tasks: self.max_parallel_tasks,
            accent: self.accent,
        })
    }
}

fn check_region(r: &str) -> Result<String, String> {
    let r = r.trim();
    if r.is_empty()
        || !r
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(format!(
            "{r:?} is not a region id; region ids look like \"cn-north-4\""
        ));
    }
    Ok(r.to_owned())
}

fn seconds(n: u64, min: u64, max: u64) -> Result<Duration, String> {
    if n < min || n > max {
        return Err(format!("{n} is out of range; use {min} to {max} seconds"));
    }
    Ok(Duration::from_secs(n))
}

fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(p)
}

/// The source `var` names when it is set (`from_env(var, what it is)`); else what the profile
/// had; else the error `missing`.
fn env_or<T>(
    env: &Env,
    var: &str,
    from_env: fn(String, String) -> T,
    old: Option<T>,
    missing: &str,
) -> Result<T, ConfigError> {
    if env.has(var) {
        return Ok(from_env(var.into(), format!("environment variable {var}")));
    }
    old.ok_or_else(|| ConfigError::Other(missing.into()))
}
