//! SSH key pairs (Nova `os-keypairs`): what a create's `key_name` may name.

use serde::Deserialize;
use serde_json::Value;

use super::lenient;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Keypair {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub fingerprint: String,
    #[serde(deserialize_with = "lenient::string")]
    pub public_key: String,
    /// `ssh` (the default) or `x509`; empty when the API does not say (before microversion 2.2).
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
}

impl Keypair {
    /// The key pair object of a list item: `{"keypair":{…}}` as Nova wraps it, or the bare object.
    pub fn unwrap(item: &Value) -> &Value {
        item.get("keypair").unwrap_or(item)
    }

    /// Decodes one list item: `{"keypair":{…}}` as Nova wraps it, or the bare object. Items
    /// without a name are no use to a create and are skipped (`None`).
    pub fn from_item(item: &Value) -> Option<Keypair> {
        Keypair::deserialize(Keypair::unwrap(item))
            .ok()
            .filter(|k| !k.name.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrapped_bare_and_odd_items() {
        let wrapped = json!({"keypair": {"name": "k1", "fingerprint": "aa:bb", "public_key": "ssh-rsa AAA", "type": "ssh"}});
        let k = Keypair::from_item(&wrapped).unwrap();
        assert_eq!((k.name.as_str(), k.kind.as_str()), ("k1", "ssh"));
        let bare = json!({"name": "k2", "fingerprint": null, "extra": 1});
        assert_eq!(Keypair::from_item(&bare).unwrap().name, "k2");
        assert!(Keypair::from_item(&json!({"keypair": {"fingerprint": "x"}})).is_none());
        assert!(Keypair::from_item(&json!("k3")).is_none());
    }
}
