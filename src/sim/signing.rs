//! SDK-HMAC-SHA256 (api.md §9) as the API gateway checks it: the canonical request rebuilt from
//! what was received, and the signature. The simulator's own code, written from the document.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
#[cfg(test)]
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    pub access: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` (spaces optional).
pub fn parse_authorization(value: &str) -> Option<AuthHeader> {
    let rest = value.trim().strip_prefix(ALGORITHM)?;
    if !rest.starts_with(' ') {
        return None;
    }
    let (mut access, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k.trim() {
            "Access" => access = Some(v.trim().to_owned()),
            "SignedHeaders" => signed = Some(v.trim().to_owned()),
            "Signature" => sig = Some(v.trim().to_owned()),
            _ => return None,
        }
    }
    let (access, signed, signature) = (access?, signed?, sig?);
    let hex64 = signature.len() == 64
        && signature
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if access.is_empty() || signed.is_empty() || !hex64 {
        return None;
    }
    Some(AuthHeader {
        access,
        signed_headers: signed
            .split(';')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
        signature,
    })
}

/// The canonical URI: decoded, re-encoded per segment, with a trailing `/`.
pub fn canonical_uri(path: &str) -> String {
    let mut out = path
        .split('/')
        .map(|seg| encode(&decode(seg)))
        .collect::<Vec<_>>()
        .join("/");
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical query: pairs decoded (`+` is a space), sorted by name then value, re-encoded.
pub fn canonical_query(raw: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(&k.replace('+', " ")), decode(&v.replace('+', " ")))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical request. `headers` gives each signed header's received value (by lowercase name).
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    signed: &[String],
    header: impl Fn(&str) -> Option<String>,
    body_hash: &str,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for name in signed {
        out.push_str(name);
        out.push(':');
        out.push_str(header(name).unwrap_or_default().trim());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed.join(";"));
    out.push('\n');
    out.push_str(body_hash);
    out
}

pub fn string_to_sign(sdk_date: &str, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical.as_bytes())
    )
}

pub fn signature(sk: &[u8], string_to_sign: &str) -> String {
    // HMAC takes keys of any length; an error here cannot happen, and would only fail the check.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(sk) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of two signatures.
pub fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The headers of the api.md §9 test vector (a `GET` of `/v1/77b6…/vpcs`), by lower-case name.
#[cfg(test)]
pub(crate) fn guide_header(name: &str) -> Option<String> {
    let value = match name {
        "content-type" => "application/json",
        "host" => "service.region.example.com",
        "x-sdk-date" => "20191115T033655Z",
        _ => return None,
    };
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// api.md §9 test vector.
    #[test]
    fn the_signing_guide_test_vector_verifies() {
        let signed: Vec<String> = ["content-type", "host", "x-sdk-date"]
            .map(String::from)
            .to_vec();
        let c = canonical_request(
            "GET",
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
            &signed,
            guide_header,
            EMPTY_SHA256,
        );
        assert_eq!(
            c,
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(c.as_bytes()),
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        let sig = signature(
            b"MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
            &string_to_sign("20191115T033655Z", &c),
        );
        assert_eq!(
            sig,
            "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
        let h = parse_authorization(
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
        )
        .unwrap();
        assert_eq!(h.access, "QTWAOYTTINDUT2QVKYUC");
        assert_eq!(h.signed_headers, signed);
        assert!(same(&h.signature, &sig));
    }

    #[test]
    fn query_is_decoded_sorted_and_reencoded() {
        assert_eq!(
            canonical_query("b=2&a=z&a=y+x&c=%E4%B8%AD"),
            "a=y%20x&a=z&b=2&c=%E4%B8%AD"
        );
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("flag"), "flag=");
        assert_eq!(canonical_uri("/v1/a%20b/c"), "/v1/a%20b/c/");
        assert_eq!(canonical_uri("/v1/x/"), "/v1/x/");
    }

    #[test]
    fn malformed_authorization_is_refused() {
        assert!(
            parse_authorization("SDK-HMAC-SHA256 Access=a, SignedHeaders=host, Signature=xyz")
                .is_none()
        );
        assert!(parse_authorization("AWS4 Access=a").is_none());
        let ok = format!(
            "SDK-HMAC-SHA256 Access=a,SignedHeaders=host;x-sdk-date,Signature={}",
            "0".repeat(64)
        );
        assert!(parse_authorization(&ok).is_some());
    }
}
