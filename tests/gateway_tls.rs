//! TLS against a local server with a generated CA: refused without `ca_file`, a clear message
//! for a certificate that names another host, accepted with `ca_file` + `tls_server_name`, and
//! `insecure_skip_tls_verify` that works but warns; a self-signed certificate that is its own CA
//! trusted when `ca_file` holds it, its names and dates still checked.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;

use hvecs::config::{Connection, Credentials, Secret};
use hvecs::gateway::{ErrorKind, Gateway, GatewayOptions, RetryPolicy, ServerFilter};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
};
use support::raw_http::{self, Reply};

const P: &str = "0123456789abcdef0123456789abcdef";

struct Pki {
    ca_pem: String,
    acceptor: tokio_rustls::TlsAcceptor,
}

/// A CA and a server certificate signed by it, for `names` (SANs) or, when empty, a CN only.
fn pki(names: &[&str], cn: &str) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name = DistinguishedName::new();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "hvecs test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    let cert = params.signed_by(&key, &issuer).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        acceptor: acceptor(&cert, &key),
    }
}

/// A TLS server that presents `cert`.
fn acceptor(cert: &rcgen::Certificate, key: &KeyPair) -> tokio_rustls::TlsAcceptor {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        )
        .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

fn conn(url: &str) -> Connection {
    let credentials = Credentials::AkSk {
        ak: "AK".into(),
        sk: Secret::new("SK"),
    };
    support::pinned(support::connection("tls", url, credentials), Some(P))
}

fn opts() -> GatewayOptions {
    GatewayOptions {
        retry: RetryPolicy::none(),
        ..Default::default()
    }
}

const ONE: &str = r#"{"count":1,"servers":[{"id":"s","name":"tls-ok","status":"ACTIVE"}]}"#;

#[tokio::test]
async fn a_private_ca_is_refused_without_ca_file_and_accepted_with_it() {
    let pki = pki(&["gw.test"], "gw.test");
    let srv = raw_http::start_with(|_, _| Reply::json(200, ONE), Some(pki.acceptor.clone())).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();

    let c = conn(&srv.url("https"));
    let e = Gateway::new(&c, opts())
        .unwrap()
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Tls(_)), "{e:?}");
    assert!(e.to_string().contains("does not trust: set ca_file"), "{e}");

    // The CA is trusted, but the certificate names gw.test and 127.0.0.1 was dialled.
    let mut c = conn(&srv.url("https"));
    c.transport.ca_file = Some(ca.clone());
    let e = Gateway::new(&c, opts())
        .unwrap()
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("does not name 127.0.0.1") && text.contains("set tls_server_name"),
        "{text}"
    );
    assert!(text.contains("IP addresses without an IP SAN"), "{text}");

    c.transport.tls_server_name = Some("gw.test".into());
    let gw = Gateway::new(&c, opts()).unwrap();
    let s = gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(s[0].name, "tls-ok");
    assert!(gw.warnings().is_empty());
}

#[tokio::test]
async fn a_cn_only_certificate_gets_advice() {
    let pki = pki(&[], "gw.test");
    let srv = raw_http::start_with(|_, _| Reply::json(200, ONE), Some(pki.acceptor.clone())).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mut c = conn(&srv.url("https"));
    c.transport.ca_file = Some(ca);
    c.transport.tls_server_name = Some("gw.test".into());
    let e = Gateway::new(&c, opts())
        .unwrap()
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("give the name only in the CN"),
        "{e}"
    );
}

#[tokio::test]
async fn insecure_mode_connects_and_warns() {
    let pki = pki(&["gw.test"], "gw.test");
    let srv = raw_http::start_with(|_, _| Reply::json(200, ONE), Some(pki.acceptor.clone())).await;
    let mut c = conn(&srv.url("https"));
    c.transport.insecure_skip_tls_verify = true;
    let gw = Gateway::new(&c, opts()).unwrap();
    assert_eq!(
        gw.list_servers(&ServerFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        gw.warnings()[0].contains("NOT checked"),
        "{:?}",
        gw.warnings()
    );
}

#[tokio::test]
async fn a_bad_ca_file_is_named() {
    let mut c = conn("https://127.0.0.1:1");
    c.transport.ca_file = Some("/nonexistent/ca.pem".into());
    let e = Gateway::new(&c, opts()).unwrap_err();
    assert!(
        e.to_string()
            .contains("ca_file /nonexistent/ca.pem: cannot read it"),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    c.transport.ca_file = Some(empty);
    let e = Gateway::new(&c, opts()).unwrap_err();
    assert!(e.to_string().contains("holds no certificate"), "{e}");
}

#[tokio::test]
async fn plain_http_to_a_tls_port_is_a_network_error() {
    let pki = pki(&["gw.test"], "gw.test");
    let srv = raw_http::start_with(|_, _| Reply::json(200, ONE), Some(pki.acceptor.clone())).await;
    let e = Gateway::new(&conn(&srv.url("http")), opts())
        .unwrap()
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    // The TLS server reads an HTTP request as garbage and hangs up: no answer, nothing changed.
    assert!(matches!(e.kind, ErrorKind::Network(_)), "{e:?}");
}

/// A self-signed certificate that is its own CA (`openssl req -x509`: basicConstraints CA:TRUE),
/// for `names`, valid from `not_before` to `not_after` (years).
fn self_signed_ca(names: &[&str], years: (i32, i32)) -> Pki {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.not_before = rcgen::date_time_ymd(years.0, 1, 1);
    params.not_after = rcgen::date_time_ymd(years.1, 1, 1);
    let cert = params.self_signed(&key).unwrap();
    Pki {
        ca_pem: cert.pem(),
        acceptor: acceptor(&cert, &key),
    }
}

async fn list_with_ca_file(
    pki: &Pki,
    server_name: Option<&str>,
) -> Result<usize, hvecs::gateway::GatewayError> {
    let srv = raw_http::start_with(|_, _| Reply::json(200, ONE), Some(pki.acceptor.clone())).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("self.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mut c = conn(&srv.url("https"));
    c.transport.ca_file = Some(ca);
    c.transport.tls_server_name = server_name.map(str::to_owned);
    Gateway::new(&c, opts())
        .unwrap()
        .list_servers(&ServerFilter::default())
        .await
        .map(|s| s.len())
}

#[tokio::test]
async fn a_self_signed_ca_certificate_named_in_ca_file_is_trusted() {
    let pki = self_signed_ca(&["gw.test", "127.0.0.1"], (2020, 2090));
    assert_eq!(list_with_ca_file(&pki, None).await.unwrap(), 1);
    assert_eq!(list_with_ca_file(&pki, Some("gw.test")).await.unwrap(), 1);
}

#[tokio::test]
async fn a_self_signed_ca_certificate_is_still_checked_for_name_and_dates() {
    let pki = self_signed_ca(&["gw.test"], (2020, 2090));
    let e = list_with_ca_file(&pki, None).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Tls(_)), "{e:?}");
    assert!(e.to_string().contains("does not name 127.0.0.1"), "{e}");
    let e = list_with_ca_file(&pki, Some("other.test"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("does not name"), "{e}");

    let old = self_signed_ca(&["gw.test", "127.0.0.1"], (2001, 2002));
    let e = list_with_ca_file(&old, None).await.unwrap_err();
    assert!(e.to_string().contains("expired or not yet valid"), "{e}");
    let early = self_signed_ca(&["gw.test", "127.0.0.1"], (2090, 2091));
    let e = list_with_ca_file(&early, None).await.unwrap_err();
    assert!(e.to_string().contains("expired or not yet valid"), "{e}");
}

#[tokio::test]
async fn a_self_signed_ca_certificate_not_in_ca_file_says_what_to_do() {
    let presented = self_signed_ca(&["gw.test", "127.0.0.1"], (2020, 2090));
    let other = self_signed_ca(&["gw.test", "127.0.0.1"], (2020, 2090));
    let mixed = Pki {
        ca_pem: other.ca_pem,
        acceptor: presented.acceptor,
    };
    let e = list_with_ca_file(&mixed, None).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Tls(_)), "{e:?}");
    assert!(
        e.to_string()
            .contains("put exactly that certificate in ca_file"),
        "{e}"
    );
}
