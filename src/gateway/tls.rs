//! TLS for the gateway client (rustls): system roots plus `ca_file`, a `tls_server_name` for
//! certificates that name another host than the one dialled, and an insecure mode that warns.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};

use super::tls_verifier::{CertificateChecks, ProfileVerifier};

/// The TLS settings of a profile.
#[derive(Debug, Clone, Default)]
pub struct TlsSettings<'a> {
    pub ca_file: Option<&'a Path>,
    pub server_name: Option<&'a str>,
    pub insecure: bool,
}

/// Builds the rustls configuration, or says which setting is wrong.
pub fn client_config(s: &TlsSettings<'_>) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // `insecure_skip_tls_verify`: any certificate, any name (signatures still checked).
    let certificates = if s.insecure {
        None
    } else {
        let extra = match s.ca_file {
            Some(path) => read_ca_file(path)?,
            None => Vec::new(),
        };
        let platform = rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra.clone(),
            provider.clone(),
        )
        .map_err(|e| format!("cannot set up certificate checks: {e}"))?;
        let name = match s.server_name {
            Some(name) => Some(ServerName::try_from(name.to_owned()).map_err(|_| {
                format!("tls_server_name {name:?} is not a DNS name or IP address")
            })?),
            None => None,
        };
        // A certificate of ca_file presented as is (a self-signed CA) is the anchor it names.
        Some(CertificateChecks {
            inner: Arc::new(platform),
            pinned: extra,
            name,
        })
    };
    let verifier = Arc::new(ProfileVerifier {
        provider: provider.clone(),
        certificates,
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only, as the official SDKs speak it: API gateways sign and route on `Host`, which
    // HTTP/2 replaces with `:authority`.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificates of a PEM file; an error names the file and the problem.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("ca_file {}: cannot read it: {e}", path.display()))?;
    let certs: Result<Vec<_>, _> = rustls_pemfile::certs(&mut bytes.as_slice()).collect();
    let certs = certs.map_err(|e| {
        format!(
            "ca_file {}: not a PEM certificate file: {e}",
            path.display()
        )
    })?;
    if certs.is_empty() {
        return Err(format!(
            "ca_file {}: holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)",
            path.display()
        ));
    }
    Ok(certs)
}

/// Explains a failed handshake with the fix, from the error text of the TLS stack.
pub fn explain(detail: &str, host: &str) -> Option<String> {
    let d = detail;
    if d.contains("UnknownIssuer") || d.contains("unknown issuer") {
        return Some(format!(
            "TLS: the certificate of {host} is signed by a CA this machine does not trust: set ca_file in the profile to the CA's PEM file"
        ));
    }
    if d.contains("NotValidForName") || d.contains("not valid for name") {
        return Some(format!(
            "TLS: the certificate of {host} does not name {host}. rustls refuses certificates that give the name only in the CN, and IP addresses without an IP SAN: set tls_server_name to a DNS name in the certificate's SAN, or have the certificate reissued with a SAN for {host}"
        ));
    }
    if d.contains("CaUsedAsEndEntity") {
        return Some(format!(
            "TLS: {host} presents a CA certificate (basicConstraints CA:TRUE) as its own, and it is not in ca_file: put exactly that certificate in ca_file (`openssl s_client -connect {host}:443 -showcerts` prints it; mind the port), or have the gateway use a certificate issued by that CA"
        ));
    }
    if d.contains("Expired") || d.contains("NotValidYet") {
        return Some(format!(
            "TLS: the certificate of {host} is expired or not yet valid: check this machine's clock and the certificate's dates"
        ));
    }
    if d.contains("InvalidCertificate")
        || d.contains("invalid peer certificate")
        || d.contains("certificate") && d.contains("TLS")
    {
        return Some(format!("TLS: the certificate of {host} was refused ({d})"));
    }
    if d.contains("InvalidContentType")
        || d.contains("CorruptMessage")
        || d.contains("received corrupt message")
    {
        return Some(format!(
            "TLS: {host} does not speak TLS on this port (is the URL http:// rather than https://?)"
        ));
    }
    None
}
