//! `Sym`: an interned string for the model's values from small closed sets (AZ and host names,
//! flavor ids, disk types and statuses, device names), one copy each however many records use it.

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every distinct value is kept for the life of the process: only for values whose set is
/// bounded by the inventory or by a check on the request (never free text from a request).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(&'static str);

static SYMS: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);

impl Sym {
    pub fn new(s: &str) -> Self {
        let mut set = SYMS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&k) = set.get(s) {
            return Sym(k);
        }
        let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
        set.insert(k);
        Sym(k)
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Self {
        Sym::new(s)
    }
}

impl From<String> for Sym {
    fn from(s: String) -> Self {
        Sym::new(&s)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl PartialEq<str> for Sym {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Sym {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Sym {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<Sym> for String {
    fn eq(&self, other: &Sym) -> bool {
        self.as_str() == other.0
    }
}

impl PartialEq<Sym> for &str {
    fn eq(&self, other: &Sym) -> bool {
        *self == other.0
    }
}

impl PartialEq<Sym> for str {
    fn eq(&self, other: &Sym) -> bool {
        self == other.0
    }
}

impl Serialize for Sym {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Sym {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Sym::new(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_value_and_the_same_string_on_the_wire() {
        let a = Sym::new("cn-north-1a");
        let b = Sym::from(String::from("cn-north-1a"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, "cn-north-1a");
        assert_ne!(a, Sym::new("cn-north-1b"));
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"cn-north-1a\"");
        let back: Sym = serde_json::from_str("\"cn-north-1a\"").unwrap();
        assert!(std::ptr::eq(back.as_str(), a.as_str()));
    }
}
