//! Helpers shared by the integration tests.

pub mod pty;
pub mod raw_http;
pub mod screen;
pub mod sim_process;

use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, UrlTemplate};

/// A connection named `profile` with every service at `url`, region `region-1`, TLS checked,
/// 5 s per request and 2 s to connect.
#[allow(dead_code)] // the console tests use `support` without a gateway
pub fn connection(profile: &str, url: &str, credentials: Credentials) -> Connection {
    Connection {
        profile: profile.into(),
        urls: ServiceUrls::all(UrlTemplate::parse(url).unwrap()),
        region: "region-1".into(),
        credentials,
        read_only: false,
        ca_file: None,
        tls_server_name: None,
        insecure_skip_tls_verify: false,
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
    }
}
