//! The cloud session: the one place that knows which region and project a call goes to. It owns
//! the client of each region it has touched (made on first use from one profile's connection and
//! options, each with that region's pinned project or none) and the one read-only switch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::client::{Gateway, GatewayOptions};
use super::error::{ErrorKind, GatewayError};
use super::read_only::ReadOnly;
use crate::config::Connection;

/// The pseudo-region of the lists that cover every region (`--region all`, `:region all`).
pub const ALL_REGIONS: &str = "all";

/// One profile's access to the cloud, in any region. Cheap to clone; clones share the clients.
#[derive(Clone)]
pub struct CloudSession {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Connection,
    opts: GatewayOptions,
    read_only: ReadOnly,
    clients: Mutex<HashMap<String, Gateway>>,
    warnings: Vec<String>,
}

impl std::fmt::Debug for CloudSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudSession")
            .field("profile", &self.inner.conn.profile)
            .field("region", &self.inner.conn.region)
            .field("read_only", &self.inner.read_only.get())
            .finish_non_exhaustive()
    }
}

impl CloudSession {
    /// A session on the connection; the client of its own region is built at once, so that a
    /// setting that cannot work is reported before anything else.
    pub fn new(conn: Connection, opts: GatewayOptions) -> Result<CloudSession, GatewayError> {
        let read_only = ReadOnly::new(conn.read_only);
        let home = Gateway::with_switch(&conn, opts.clone(), read_only.clone())?;
        let warnings = home.warnings().to_vec();
        let mut clients = HashMap::new();
        clients.insert(conn.region.clone(), home);
        Ok(CloudSession {
            inner: Arc::new(Inner {
                conn,
                opts,
                read_only,
                clients: Mutex::new(clients),
                warnings,
            }),
        })
    }

    /// The profile's own region (where the session opened).
    pub fn region(&self) -> &str {
        &self.inner.conn.region
    }

    pub fn profile(&self) -> &str {
        &self.inner.conn.profile
    }

    /// Who acts: the user name or the AK (never a secret).
    pub fn principal(&self) -> &str {
        self.inner.conn.credentials.principal()
    }

    /// The switch every client, the runner and the screen obey.
    pub fn read_only(&self) -> &ReadOnly {
        &self.inner.read_only
    }

    /// Warnings to show on every start (e.g. TLS checks off).
    /// The guard every region's client shares: after the gateway refused the credentials,
    /// nothing is sent until the person acts (`reset`).
    pub fn credential_guard(&self) -> &super::CredentialGuard {
        &self.inner.opts.credential_guard
    }

    pub fn warnings(&self) -> &[String] {
        &self.inner.warnings
    }

    /// The regions whose project the profile pins, sorted.
    pub fn pinned_regions(&self) -> Vec<String> {
        self.inner.conn.projects.keys().cloned().collect()
    }

    /// The client of the profile's own region.
    pub fn home(&self) -> Result<Gateway, GatewayError> {
        self.client(self.region())
    }

    /// The client of a region, made on first use: it carries the region's pinned project (or
    /// none, to find it through IAM) and the session's read-only switch.
    pub fn client(&self, region: &str) -> Result<Gateway, GatewayError> {
        if region == ALL_REGIONS || region.is_empty() {
            return Err(GatewayError::new(
                "choosing a region",
                ErrorKind::Setup(format!(
                    "{region:?} is not one region: a call goes to one region at a time"
                )),
            ));
        }
        let mut clients = self.inner.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = clients.get(region) {
            return Ok(c.clone());
        }
        let conn = Connection {
            region: region.to_owned(),
            ..self.inner.conn.clone()
        };
        let c = Gateway::with_switch(&conn, self.inner.opts.clone(), self.inner.read_only.clone())?;
        clients.insert(region.to_owned(), c.clone());
        Ok(c)
    }
}
