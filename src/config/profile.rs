//! A validated profile: where the gateway is, how to authenticate, and how to behave.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::secret::Secret;
use super::secret_source::{SecretSource, ValueSource};

/// The services a profile names a base URL for. The paths of the services do not collide, so one
/// `endpoint` may serve all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Iam,
    Ecs,
    Ims,
    Evs,
    Vpc,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::Iam,
        Service::Ecs,
        Service::Ims,
        Service::Evs,
        Service::Vpc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Iam => "iam",
            Service::Ecs => "ecs",
            Service::Ims => "ims",
            Service::Evs => "evs",
            Service::Vpc => "vpc",
        }
    }

    /// The profile key of this service's URL (`ecs_url`).
    pub fn url_key(self) -> &'static str {
        match self {
            Service::Iam => "iam_url",
            Service::Ecs => "ecs_url",
            Service::Ims => "ims_url",
            Service::Evs => "evs_url",
            Service::Vpc => "vpc_url",
        }
    }
}

/// A base URL that may hold `{region}`, filled in per region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplate(String);

impl UrlTemplate {
    /// Checks the template (with a sample region when it has `{region}`) and keeps it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().trim_end_matches('/');
        let sample = t.replace("{region}", "region-1");
        let url = url::Url::parse(&sample).map_err(|e| {
            format!("{text:?} is not a URL ({e}); write it as https://host[:port][/path]")
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(format!(
                "{text:?} has scheme {:?}; use https:// (or http:// for a lab)",
                url.scheme()
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!(
                "{text:?} has no host; write it as https://host[:port]"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "{text:?} has a query or fragment; a base URL has neither"
            ));
        }
        Ok(UrlTemplate(t.to_owned()))
    }

    pub fn needs_region(&self) -> bool {
        self.0.contains("{region}")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The base URL for one region (no trailing `/`).
    pub fn for_region(&self, region: &str) -> String {
        self.0.replace("{region}", region)
    }
}

/// One URL template per service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrls {
    pub iam: UrlTemplate,
    pub ecs: UrlTemplate,
    pub ims: UrlTemplate,
    pub evs: UrlTemplate,
    pub vpc: UrlTemplate,
}

impl ServiceUrls {
    pub fn all(url: UrlTemplate) -> Self {
        ServiceUrls {
            iam: url.clone(),
            ecs: url.clone(),
            ims: url.clone(),
            evs: url.clone(),
            vpc: url,
        }
    }

    pub fn get(&self, service: Service) -> &UrlTemplate {
        match service {
            Service::Iam => &self.iam,
            Service::Ecs => &self.ecs,
            Service::Ims => &self.ims,
            Service::Evs => &self.evs,
            Service::Vpc => &self.vpc,
        }
    }
}

/// How the profile authenticates, with its secrets not yet read.
#[derive(Debug, Clone)]
pub enum Auth {
    AkSk {
        ak: ValueSource,
        sk: SecretSource,
        project_id: Option<String>,
    },
    Password {
        user: ValueSource,
        domain: String,
        password: SecretSource,
        project: Option<String>,
    },
}

/// Credentials with their secrets read: what the gateway client signs or logs in with.
#[derive(Debug, Clone)]
pub enum Credentials {
    AkSk {
        ak: String,
        sk: Secret,
    },
    Password {
        user: String,
        domain: String,
        password: Secret,
    },
}

impl Credentials {
    /// Who is acting, for the header and the audit log: the user name or the AK (never a secret).
    pub fn principal(&self) -> &str {
        match self {
            Credentials::AkSk { ak, .. } => ak,
            Credentials::Password { user, .. } => user,
        }
    }
}

/// A profile as the config file and the environment give it, validated.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub urls: ServiceUrls,
    pub region: Option<String>,
    pub auth: Auth,
    /// `[profiles.NAME.projects]`: region → pinned project id.
    pub projects: BTreeMap<String, String>,
    pub read_only: bool,
    pub transport: Transport,
    pub max_parallel_tasks: usize,
    pub accent: Option<super::theme::ThemeColor>,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_PARALLEL_TASKS: usize = 4;

/// How the client reaches a profile's gateway: the certificate it trusts and the name it
/// checks (or not), and how long a request and a connection may take.
#[derive(Debug, Clone)]
pub struct Transport {
    pub ca_file: Option<PathBuf>,
    pub tls_server_name: Option<String>,
    pub insecure_skip_tls_verify: bool,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            ca_file: None,
            tls_server_name: None,
            insecure_skip_tls_verify: false,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }
}

/// Everything the gateway client needs to talk to one profile's gateway, secrets read.
#[derive(Debug, Clone)]
pub struct Connection {
    pub profile: String,
    pub urls: ServiceUrls,
    pub region: String,
    pub credentials: Credentials,
    /// Pinned projects, region → project id (with a password login, an id or a name): the
    /// `[projects]` table, and the auth's single `project_id`/`project` for `region`. Any other
    /// region's project is found through IAM.
    pub projects: BTreeMap<String, String>,
    pub read_only: bool,
    pub transport: Transport,
}

impl Profile {
    /// Reads the secrets (running `*_command`s) and gives what the gateway client needs.
    pub fn connect(&self) -> Result<Connection, super::ConfigError> {
        let region = self.region.clone().ok_or_else(|| {
            super::ConfigError::Other(format!(
                "profile {:?} has no region: set `region` in the profile, HVECS_REGION, or --region",
                self.name
            ))
        })?;
        let (credentials, single) = match &self.auth {
            Auth::AkSk { ak, sk, project_id } => (
                Credentials::AkSk {
                    ak: ak.read()?,
                    sk: sk.read()?,
                },
                project_id,
            ),
            Auth::Password {
                user,
                domain,
                password,
                project,
            } => (
                Credentials::Password {
                    user: user.read()?,
                    domain: domain.clone(),
                    password: password.read()?,
                },
                project,
            ),
        };
        let mut projects = self.projects.clone();
        if let Some(p) = single {
            projects.insert(region.clone(), p.clone());
        }
        Ok(Connection {
            profile: self.name.clone(),
            urls: self.urls.clone(),
            region,
            credentials,
            projects,
            read_only: self.read_only,
            transport: self.transport.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_templates_are_checked_and_filled() {
        let t = UrlTemplate::parse("https://ecs.{region}.example.com/").unwrap();
        assert!(t.needs_region());
        assert_eq!(t.for_region("r1"), "https://ecs.r1.example.com");
        assert!(UrlTemplate::parse("ecs.example.com").is_err());
        assert!(UrlTemplate::parse("ftp://x").is_err());
        assert!(UrlTemplate::parse("https://x/?a=b").is_err());
        let plain = UrlTemplate::parse("http://127.0.0.1:8080").unwrap();
        assert!(!plain.needs_region());
    }
}
