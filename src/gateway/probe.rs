//! Checks for `hvecs doctor`: DNS, TCP and TLS to a base URL, and one cheap read per API.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::net::TcpStream;

use super::client::Gateway;
use super::error::GatewayError;
use super::request::Request;
use super::tls;
use crate::config::{Connection, Service};

/// What reaching one base URL showed; each step is `Err(reason)` when it failed.
#[derive(Debug, Clone)]
pub struct Reach {
    pub url: String,
    pub dns: Result<Vec<std::net::SocketAddr>, String>,
    pub tcp: Result<std::net::SocketAddr, String>,
    /// `None` for http:// URLs.
    pub tls: Option<Result<(), String>>,
}

/// Resolves, connects to and (for https) shakes hands with a base URL's host.
pub async fn reach(conn: &Connection, base: &str) -> Reach {
    let mut r = Reach {
        url: base.to_owned(),
        dns: Err("not tried".into()),
        tcp: Err("not tried".into()),
        tls: None,
    };
    let url = match url::Url::parse(base) {
        Ok(u) => u,
        Err(e) => {
            r.dns = Err(format!("not a URL: {e}"));
            return r;
        }
    };
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<_> = match tokio::net::lookup_host((host.as_str(), port)).await {
        Ok(a) => a.collect(),
        Err(e) => {
            r.dns = Err(format!("cannot resolve {host}: {e}"));
            return r;
        }
    };
    r.dns = Ok(addrs.clone());
    let mut stream = None;
    let mut last = String::from("no address");
    for a in &addrs {
        match tokio::time::timeout(conn.transport.connect_timeout, TcpStream::connect(a)).await {
            Ok(Ok(s)) => {
                r.tcp = Ok(*a);
                stream = Some(s);
                break;
            }
            Ok(Err(e)) => last = format!("cannot connect to {a}: {e}"),
            Err(_) => {
                last = format!(
                    "no answer from {a} within {:?}",
                    conn.transport.connect_timeout
                )
            }
        }
    }
    let Some(stream) = stream else {
        r.tcp = Err(last);
        return r;
    };
    if url.scheme() != "https" {
        return r;
    }
    r.tls = Some(handshake(conn, stream, &host).await);
    r
}

async fn handshake(conn: &Connection, stream: TcpStream, host: &str) -> Result<(), String> {
    let config = tls::client_config(&tls::TlsSettings {
        ca_file: conn.transport.ca_file.as_deref(),
        server_name: conn.transport.tls_server_name.as_deref(),
        insecure: conn.transport.insecure_skip_tls_verify,
    })?;
    let name = conn.transport.tls_server_name.as_deref().unwrap_or(host);
    let server_name = ServerName::try_from(name.to_owned())
        .map_err(|_| format!("{name:?} is not a valid TLS server name"))?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    match tokio::time::timeout(
        Duration::from_secs(10).max(conn.transport.connect_timeout),
        connector.connect(server_name, stream),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            let detail = format!("{e} {e:?}");
            Err(tls::explain(&detail, host)
                .unwrap_or_else(|| format!("TLS handshake with {host} failed: {e}")))
        }
        Err(_) => Err(format!("TLS handshake with {host} timed out")),
    }
}

impl Gateway {
    /// One cheap read of a service's API, to prove it answers (the doctor's per-API check).
    pub async fn read_check(&self, service: Service) -> Result<Option<String>, GatewayError> {
        let req = match service {
            Service::Iam => {
                Request::get(Service::Iam, "/v3/regions", "IAM list regions").unscoped()
            }
            Service::Ecs => Request::get(
                Service::Ecs,
                "/v1/{p}/cloudservers/detail",
                "ECS list servers",
            )
            .query("offset", 1)
            .query("limit", 1),
            Service::Ims => {
                Request::get(Service::Ims, "/v2/cloudimages", "IMS list images").query("limit", 1)
            }
            Service::Evs => Request::get(
                Service::Evs,
                "/v2/{p}/cloudvolumes/detail",
                "EVS list disks",
            )
            .query("limit", 1),
            Service::Vpc => {
                Request::get(Service::Vpc, "/v1/{p}/vpcs", "VPC list VPCs").query("limit", 1)
            }
        };
        Ok(self.execute(req).await?.request_id)
    }

    /// Proves the credentials: a password login, or an AK/SK-signed IAM query.
    pub async fn auth_check(&self) -> Result<String, GatewayError> {
        if self.auth().is_token() {
            let t = self.token().await?;
            return Ok(format!(
                "token for project {} ({})",
                t.project_name, t.project_id
            ));
        }
        let found = self.find_projects(self.region()).await?;
        Ok(format!(
            "AK/SK signature accepted ({} project(s) named {})",
            found.len(),
            self.region()
        ))
    }
}
