//! Helpers shared by the integration tests.
// Test support: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cli_env;
pub mod pty;
pub mod raw_http;
pub mod screen;
pub mod sim_process;

use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};

/// A connection named `profile` with every service at `url`, region `region-1`, TLS checked,
/// 5 s per request and 2 s to connect.
#[allow(dead_code)] // the console tests use `support` without a gateway
pub fn connection(profile: &str, url: &str, credentials: Credentials) -> Connection {
    Connection {
        profile: profile.into(),
        urls: ServiceUrls::all(UrlTemplate::parse(url).unwrap()),
        region: "region-1".into(),
        credentials,
        projects: Default::default(),
        read_only: false,
        transport: Transport {
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(2),
            ..Transport::default()
        },
    }
}

/// The connection with `project` pinned for its region.
#[allow(dead_code)]
pub fn pinned(mut c: Connection, project: Option<&str>) -> Connection {
    if let Some(p) = project {
        c.projects.insert(c.region.clone(), p.to_owned());
    }
    c
}

/// A project id for tests that need one (32 hex digits): the lab project of `region-1` that
/// `raw_http` lists.
#[allow(dead_code)]
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// `connection("test", url, …)` signing with AK `TESTAK`, the project `PROJECT` pinned.
#[allow(dead_code)]
pub fn signed_connection(url: &str) -> Connection {
    let credentials = Credentials::AkSk {
        ak: "TESTAK".into(),
        sk: hvecs::config::Secret::new("TESTSK-secret"),
    };
    pinned(connection("test", url, credentials), Some(PROJECT))
}
