//! `Uid`: a UUID the simulator made, kept as its 16 bytes and written as the lowercase hyphenated
//! string it was made as (the wire and the `--state` file see the same string as before).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A lowercase hyphenated UUID (`8-4-4-4-12` hex digits), 16 bytes instead of a 36-byte string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid([u8; 16]);

/// Why a string is not a simulator id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UidError {
    #[error("`{0}` is not an id: {1} characters, an id has 36 (8-4-4-4-12 hex digits)")]
    Length(String, usize),
    #[error("`{0}` is not an id: character {1} should be `-`")]
    Hyphen(String, usize),
    #[error("`{0}` is not an id: character {1} is not a lowercase hex digit")]
    Digit(String, usize),
}

const HYPHENS: [usize; 4] = [8, 13, 18, 23];

impl Uid {
    pub fn from_bytes(b: [u8; 16]) -> Self {
        Uid(b)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The text form, written into a stack buffer.
    pub fn encode<'a>(&self, buf: &'a mut [u8; 36]) -> &'a str {
        uuid::Uuid::from_bytes(self.0)
            .hyphenated()
            .encode_lower(buf)
    }

    /// Parses exactly the form `encode` writes (another spelling of the same UUID is another
    /// string, so it is not the same id).
    pub fn parse(s: &str) -> Result<Self, UidError> {
        let b = s.as_bytes();
        if b.len() != 36 {
            return Err(UidError::Length(shown(s), s.chars().count()));
        }
        let mut out = [0u8; 16];
        let mut nibbles = 0;
        for (i, &c) in b.iter().enumerate() {
            if HYPHENS.contains(&i) {
                if c != b'-' {
                    return Err(UidError::Hyphen(shown(s), i + 1));
                }
                continue;
            }
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => return Err(UidError::Digit(shown(s), i + 1)),
            };
            out[nibbles / 2] |= if nibbles % 2 == 0 { v << 4 } else { v };
            nibbles += 1;
        }
        Ok(Uid(out))
    }
}

/// What a record is looked up by: an id, or a string that may be one (from a request).
pub trait AsUid {
    fn as_uid(&self) -> Option<Uid>;
}

impl AsUid for Uid {
    fn as_uid(&self) -> Option<Uid> {
        Some(*self)
    }
}

impl<T: AsUid + ?Sized> AsUid for &T {
    fn as_uid(&self) -> Option<Uid> {
        (**self).as_uid()
    }
}

impl AsUid for str {
    fn as_uid(&self) -> Option<Uid> {
        Uid::parse(self).ok()
    }
}

impl AsUid for String {
    fn as_uid(&self) -> Option<Uid> {
        Uid::parse(self).ok()
    }
}

/// The string an error shows (bounded: it may come from a request).
fn shown(s: &str) -> String {
    s.chars().take(64).filter(|c| !c.is_control()).collect()
}

impl FromStr for Uid {
    type Err = UidError;
    fn from_str(s: &str) -> Result<Self, UidError> {
        Uid::parse(s)
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.encode(&mut [0; 36]))
    }
}

impl fmt::Debug for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uid({self})")
    }
}

impl PartialEq<str> for Uid {
    fn eq(&self, other: &str) -> bool {
        self.encode(&mut [0; 36]) == other
    }
}

impl PartialEq<&str> for Uid {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Uid {
    fn eq(&self, other: &String) -> bool {
        *self == *other.as_str()
    }
}

impl PartialEq<Uid> for str {
    fn eq(&self, other: &Uid) -> bool {
        *other == *self
    }
}

impl PartialEq<Uid> for &str {
    fn eq(&self, other: &Uid) -> bool {
        *other == **self
    }
}

impl PartialEq<Uid> for String {
    fn eq(&self, other: &Uid) -> bool {
        *other == *self.as_str()
    }
}

impl Serialize for Uid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.encode(&mut [0; 36]))
    }
}

impl<'de> Deserialize<'de> for Uid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Uid::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8b3c1e-5a2d-4e6f-9a7b-1c2d3e4f5a6b";

    #[test]
    fn parses_and_writes_the_same_string() {
        let u = Uid::parse(ID).unwrap();
        assert_eq!(u.to_string(), ID);
        assert_eq!(u, ID);
        assert_eq!(serde_json::to_string(&u).unwrap(), format!("\"{ID}\""));
        let back: Uid = serde_json::from_str(&format!("\"{ID}\"")).unwrap();
        assert_eq!(back, u);
        let v4 = uuid::Uuid::new_v4();
        assert_eq!(Uid::from_bytes(*v4.as_bytes()).to_string(), v4.to_string());
    }

    #[test]
    fn refuses_other_spellings_with_the_reason() {
        let upper = ID.to_uppercase();
        assert_eq!(
            Uid::parse(&upper).unwrap_err().to_string(),
            format!("`{upper}` is not an id: character 2 is not a lowercase hex digit")
        );
        assert_eq!(
            Uid::parse("web-1").unwrap_err().to_string(),
            "`web-1` is not an id: 5 characters, an id has 36 (8-4-4-4-12 hex digits)"
        );
        let moved = ID.replacen('-', "0", 1);
        assert!(matches!(Uid::parse(&moved), Err(UidError::Hyphen(_, 9))));
        let simple = ID.replace('-', "");
        assert!(Uid::parse(&simple).is_err());
        let err = serde_json::from_str::<Uid>("\"nope\"").unwrap_err();
        assert!(err.to_string().contains("`nope` is not an id"), "{err}");
    }
}
