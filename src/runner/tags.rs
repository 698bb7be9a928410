//! Server tags: what a tag change asks (`k=v` to add, `k` to remove) and its calls, ECS
//! `BatchCreateServerTags` then `BatchDeleteServerTags`, one of each a server (synchronous;
//! `step::tag_calls`).

use serde::{Deserialize, Serialize};

/// The most tags one call names (and a server carries), per the documents.
pub const MAX_TAGS: usize = 10;

/// One tag; an empty value is a tag with a key alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

impl Tag {
    /// `key=value`, or `key` alone.
    pub fn text(&self) -> String {
        if self.value.is_empty() {
            self.key.clone()
        } else {
            format!("{}={}", self.key, self.value)
        }
    }
}

/// Create (or set the value of) tags, or delete them by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagAction {
    Create,
    Delete,
}

impl TagAction {
    /// The body's `action`.
    pub fn api_name(self) -> &'static str {
        match self {
            TagAction::Create => "create",
            TagAction::Delete => "delete",
        }
    }
}

/// What a tag change does to each of its servers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagChange {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Tag>,
    /// Keys, whatever their value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

impl TagChange {
    /// `add` as `k=v` (or `k`), `remove` as keys; what is wrong with them, said for a person.
    pub fn parse(add: &[String], remove: &[String]) -> Result<TagChange, String> {
        let add: Vec<Tag> = add
            .iter()
            .map(|t| {
                let (key, value) = t.split_once('=').unwrap_or((t, ""));
                Tag {
                    key: key.trim().to_owned(),
                    value: value.trim().to_owned(),
                }
            })
            .collect();
        let remove: Vec<String> = remove.iter().map(|k| k.trim().to_owned()).collect();
        let change = TagChange { add, remove };
        match change.problem() {
            Some(p) => Err(p),
            None => Ok(change),
        }
    }

    /// Reads `+k=v -k k2=v2` (a word without a sign adds), as the console's tag line takes it.
    pub fn parse_line(line: &str) -> Result<TagChange, String> {
        let (mut add, mut remove) = (Vec::new(), Vec::new());
        for w in line.split_whitespace() {
            match w.strip_prefix('-') {
                Some(k) => remove.push(k.to_owned()),
                None => add.push(w.strip_prefix('+').unwrap_or(w).to_owned()),
            }
        }
        TagChange::parse(&add, &remove)
    }

    /// Why the API would refuse it, checked before anything is sent (the API checks the
    /// characters).
    pub fn problem(&self) -> Option<String> {
        if self.add.is_empty() && self.remove.is_empty() {
            return Some("no tag to add (k=v) or remove (-k)".into());
        }
        if self.add.len() > MAX_TAGS || self.remove.len() > MAX_TAGS {
            return Some(format!("at most {MAX_TAGS} tags a change"));
        }
        let keys = self.add.iter().map(|t| &t.key).chain(&self.remove);
        if let Some(k) = keys
            .clone()
            .find(|k| k.is_empty() || k.chars().count() > 36)
        {
            return Some(format!("tag key {k:?}: 1 to 36 characters"));
        }
        if let Some(t) = self.add.iter().find(|t| t.value.chars().count() > 43) {
            return Some(format!("tag {}: a value has at most 43 characters", t.key));
        }
        let added: Vec<&String> = self.add.iter().map(|t| &t.key).collect();
        if let Some(k) = self.remove.iter().find(|k| added.contains(k)) {
            return Some(format!("tag {k} is both added and removed"));
        }
        None
    }

    /// "+env=prod -owner".
    pub fn describe(&self) -> String {
        let add = self.add.iter().map(|t| format!("+{}", t.text()));
        let remove = self.remove.iter().map(|k| format!("-{k}"));
        add.chain(remove).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::step::{Call, tag_calls};

    #[test]
    fn a_change_reads_its_tags_and_says_what_is_wrong() {
        let c = TagChange::parse_line("env=prod +owner=ops -app backup").unwrap();
        assert_eq!(c.describe(), "+env=prod +owner=ops +backup -app");
        assert_eq!(tag_calls(&c, "s1").len(), 2);
        assert!(matches!(
            &tag_calls(&c, "s1")[1],
            Call::Tags { action: TagAction::Delete, tags, .. } if tags[0].key == "app"
        ));
        assert!(TagChange::parse_line("").unwrap_err().contains("no tag"));
        assert!(TagChange::parse_line("=v").unwrap_err().contains("1 to 36"));
        assert!(TagChange::parse_line("a -a").unwrap_err().contains("both"));
        let eleven: Vec<String> = (0..11).map(|i| format!("k{i}=v")).collect();
        assert!(
            TagChange::parse(&eleven, &[])
                .unwrap_err()
                .contains("at most 10")
        );
        let only_remove = TagChange::parse(&[], &["env".into()]).unwrap();
        assert_eq!(tag_calls(&only_remove, "s").len(), 1);
    }
}
