//! AK/SK request signing, SDK-HMAC-SHA256 (api.md §9), as plain functions of the request.
//! Checked against the signing guide's vector and vectors made with the official Python SDK.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const EMPTY_BODY_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
pub const CONTENT_SHA_HEADER: &str = "x-sdk-content-sha256";
pub const DATE_HEADER: &str = "x-sdk-date";

/// RFC 3986: everything but `A–Z a–z 0–9 - _ . ~` is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment, query name or value (upper-case hex, UTF-8).
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).to_string()
}

/// A request as the signer sees it: the path as it goes on the wire (encoded or not), the query
/// as decoded pairs, and the headers that will be sent and signed.
#[derive(Debug, Clone)]
pub struct SignInput<'a> {
    pub method: &'a str,
    /// `host[:port]` exactly as sent (a non-default port kept).
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    /// Headers to sign besides `host` and `x-sdk-date` (e.g. `content-type`, `x-project-id`).
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// `YYYYMMDDTHHMMSSZ`.
    pub sdk_date: &'a str,
}

/// What to add to the request: the headers (lower-case names) including `Authorization`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    pub authorization: String,
    /// `x-sdk-date`, and `x-sdk-content-sha256` for a non-JSON body.
    pub extra_headers: Vec<(String, String)>,
}

/// The query string in canonical form: pairs sorted by name then value, both RFC 3986 encoded.
/// Sent as-is, so that what is signed is what goes on the wire.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The path decoded, re-encoded per segment, with a `/` appended.
pub fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Whether a body of this content type is hashed (JSON, BSON) or sent as `UNSIGNED-PAYLOAD`.
fn payload_is_signed(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|ct| {
        let ct = ct.trim().to_ascii_lowercase();
        ct.starts_with("application/json") || ct.starts_with("application/bson")
    })
}

/// Signs a request with the AK and SK.
pub fn sign(input: &SignInput<'_>, ak: &str, sk: &str) -> Signed {
    let mut headers: Vec<(String, String)> = input
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| k != "host" && k != DATE_HEADER && !k.contains('_'))
        .collect();
    headers.push(("host".into(), input.host.trim().to_owned()));
    headers.push((DATE_HEADER.into(), input.sdk_date.to_owned()));
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.as_str());
    let mut extra = vec![(DATE_HEADER.to_owned(), input.sdk_date.to_owned())];
    if !payload_is_signed(content_type) {
        headers.push((CONTENT_SHA_HEADER.into(), "UNSIGNED-PAYLOAD".into()));
        extra.push((CONTENT_SHA_HEADER.into(), "UNSIGNED-PAYLOAD".into()));
    }
    headers.sort();
    headers.dedup_by(|a, b| a.0 == b.0);
    let signed_names = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let payload_hash = if input.body.is_empty() {
        EMPTY_BODY_HASH.to_owned()
    } else if let Some((_, v)) = headers.iter().find(|(k, _)| k == CONTENT_SHA_HEADER) {
        v.clone()
    } else {
        hex::encode(Sha256::digest(input.body))
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        canonical_uri(input.path),
        canonical_query(input.query),
        canonical_headers,
        signed_names,
        payload_hash
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{}",
        input.sdk_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let signature = hmac_hex(sk.as_bytes(), string_to_sign.as_bytes());
    Signed {
        canonical_request,
        authorization: format!(
            "{ALGORITHM} Access={ak}, SignedHeaders={signed_names}, Signature={signature}"
        ),
        extra_headers: extra,
    }
}

fn hmac_hex(key: &[u8], msg: &[u8]) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(msg);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// `YYYYMMDDTHHMMSSZ` for a time.
pub fn sdk_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signing guide's example (api.md §9).
    #[test]
    fn signing_guide_vector() {
        let query = vec![
            (
                "marker".to_owned(),
                "13551d6b-755d-4757-b956-536f674975c0".to_owned(),
            ),
            ("limit".to_owned(), "2".to_owned()),
        ];
        let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        let input = SignInput {
            method: "GET",
            host: "service.region.example.com",
            path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            query: &query,
            headers: &headers,
            body: b"",
            sdk_date: "20191115T033655Z",
        };
        let s = sign(
            &input,
            "QTWAOYTTINDUT2QVKYUC",
            "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        );
        assert_eq!(
            hex::encode(Sha256::digest(s.canonical_request.as_bytes())),
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        assert_eq!(
            s.authorization,
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    #[test]
    fn path_and_query_are_encoded_per_rfc3986() {
        assert_eq!(canonical_uri("/v1/a b/%E5%BF%AB/"), "/v1/a%20b/%E5%BF%AB/");
        assert_eq!(canonical_uri("/v2/x:y@z"), "/v2/x%3Ay%40z/");
        let q = vec![
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "x y+z".to_owned()),
            ("b".to_owned(), "1".to_owned()),
        ];
        assert_eq!(canonical_query(&q), "a=x%20y%2Bz&b=1&b=2");
    }
}
