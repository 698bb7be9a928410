//! `Table<T>`: records kept in creation order (for stable pages) and found by id.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub trait Keyed {
    fn key(&self) -> &str;
}

/// Records in creation order with an id index. Lists walk it newest first.
pub struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
            index: HashMap::new(),
            next: 0,
        }
    }
}

impl<T: Keyed> Table<T> {
    pub fn insert(&mut self, row: T) {
        let seq = self.next;
        self.next += 1;
        if let Some(old) = self.index.insert(row.key().to_owned(), seq) {
            self.rows.remove(&old);
        }
        self.rows.insert(seq, row);
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|s| self.rows.get(s))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let seq = *self.index.get(id)?;
        self.rows.get_mut(&seq)
    }

    pub fn remove(&mut self, id: &str) -> Option<T> {
        let seq = self.index.remove(id)?;
        self.rows.remove(&seq)
    }

    /// Room for `n` more records in the index.
    pub fn reserve(&mut self, n: usize) {
        self.index.reserve(n);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.values()
    }

    /// Newest first, starting after the record `marker` (when given and known).
    /// An unknown marker yields `None` so that callers can answer 400/404 as their API does.
    pub fn newest_after<'a>(
        &'a self,
        marker: Option<&str>,
    ) -> Option<Box<dyn Iterator<Item = &'a T> + 'a>> {
        match marker {
            None => Some(Box::new(self.rows.values().rev())),
            Some(m) => {
                let seq = *self.index.get(m)?;
                Some(Box::new(self.rows.range(..seq).rev().map(|(_, v)| v)))
            }
        }
    }
}

impl<T: Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.values())
    }
}

impl<'de, T: Deserialize<'de> + Keyed> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<T> = Vec::deserialize(d)?;
        let mut t = Table::default();
        for r in rows {
            t.insert(r);
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct R(String);
    impl Keyed for R {
        fn key(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn pages_newest_first_after_a_marker_and_survives_serde() {
        let mut t = Table::default();
        for k in ["a", "b", "c", "d"] {
            t.insert(R(k.into()));
        }
        let page: Vec<_> = t
            .newest_after(Some("c"))
            .unwrap()
            .map(|r| r.0.clone())
            .collect();
        assert_eq!(page, ["b", "a"]);
        assert!(t.newest_after(Some("zz")).is_none());
        t.remove("b");
        let json = serde_json::to_string(&t).unwrap();
        let back: Table<R> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back.get("d"), Some(&R("d".into())));
    }
}
