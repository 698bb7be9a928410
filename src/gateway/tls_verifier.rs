//! The profile's certificate checks around the platform verifier: `tls_server_name` checked
//! instead of the host dialled, and a certificate of `ca_file` presented as it is (self-signed,
//! often its own CA as `openssl req -x509` makes it, which webpki refuses as an end entity)
//! trusted as the anchor it is, after its names and dates are checked; or, insecure, none.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct};

/// Checks the certificate as the profile says, and the handshake's signatures always (with the
/// provider's algorithms).
#[derive(Debug)]
pub struct ProfileVerifier {
    pub provider: Arc<CryptoProvider>,
    /// `None`: `insecure_skip_tls_verify`, any certificate, any name.
    pub certificates: Option<CertificateChecks>,
}

/// Checks a certificate byte-identical to one of `pinned` itself, every other one with `inner`;
/// against `name` when set, else the name dialled.
#[derive(Debug)]
pub struct CertificateChecks {
    pub inner: Arc<dyn ServerCertVerifier>,
    pub pinned: Vec<CertificateDer<'static>>,
    pub name: Option<ServerName<'static>>,
}

impl ServerCertVerifier for ProfileVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(checks) = &self.certificates else {
            return Ok(ServerCertVerified::assertion());
        };
        let server_name = checks.name.as_ref().unwrap_or(server_name);
        if !checks
            .pinned
            .iter()
            .any(|p| p.as_ref() == end_entity.as_ref())
        {
            return checks.inner.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            );
        }
        let (not_before, not_after) =
            validity(end_entity.as_ref()).ok_or(CertificateError::BadEncoding)?;
        let now = now.as_secs() as i64;
        if now < not_before {
            return Err(CertificateError::NotValidYet.into());
        }
        if now > not_after {
            return Err(CertificateError::Expired.into());
        }
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One DER element: its tag, its content, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// `notBefore` and `notAfter` of an X.509 certificate, in Unix seconds.
fn validity(der: &[u8]) -> Option<(i64, i64)> {
    const SEQUENCE: u8 = 0x30;
    let (SEQUENCE, cert, _) = element(der)? else {
        return None;
    };
    let (SEQUENCE, tbs, _) = element(cert)? else {
        return None;
    };
    // [0] version (optional), serial number, signature algorithm, issuer, validity.
    let (tag, _, mut rest) = element(tbs)?;
    let skip = if tag == 0xa0 { 3 } else { 2 };
    for _ in 0..skip {
        rest = element(rest)?.2;
    }
    let (SEQUENCE, times, _) = element(rest)? else {
        return None;
    };
    let (t1, v1, rest) = element(times)?;
    let (t2, v2, _) = element(rest)?;
    Some((time(t1, v1)?, time(t2, v2)?))
}

/// A UTCTime (`YYMMDDHHMMSSZ`, 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), in Unix seconds.
fn time(tag: u8, value: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(value).ok()?;
    let full = match tag {
        0x17 => {
            let yy: u32 = text.get(..2)?.parse().ok()?;
            format!("{}{text}", if yy < 50 { "20" } else { "19" })
        }
        0x18 => text.to_owned(),
        _ => return None,
    };
    chrono::NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%SZ")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_time_forms_are_read() {
        assert_eq!(time(0x17, b"700101000000Z"), Some(0));
        assert_eq!(time(0x17, b"490101000000Z"), Some(2_493_072_000));
        assert_eq!(time(0x18, b"20900101000000Z"), Some(3_786_912_000));
        assert_eq!(time(0x18, b"2090"), None);
        assert_eq!(validity(b"\x30\x03\x02\x01\x00"), None);
        assert_eq!(element(b"\x04\x82\x01"), None);
    }
}
