//! `Table<T>`: records kept in creation order (for stable pages), found by id, and ordered per
//! partition (a project's region) so that a page of one costs what it returns.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::order::Order;
use super::uid::{AsUid, Uid};

pub trait Keyed {
    fn key(&self) -> Uid;
    /// The partition the record is listed in (a region's index); it must not change while the
    /// record is in a table.
    fn part(&self) -> usize {
        0
    }
}

/// Records in creation order with an id index and one `Order` per partition. Lists walk a
/// partition newest first.
pub struct Table<T> {
    /// Boxed: the map's leaves, filled in order, stay about half full, and a record inline
    /// there would double its size (measured at 100k servers: ~100 MB).
    rows: BTreeMap<u64, Box<T>>,
    index: HashMap<Uid, u64>,
    parts: Vec<Order>,
    next: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
            index: HashMap::new(),
            parts: Vec::new(),
            next: 0,
        }
    }
}

impl<T: Keyed> Table<T> {
    pub fn insert(&mut self, row: T) {
        let seq = self.next;
        self.next += 1;
        if let Some(old) = self.index.insert(row.key(), seq) {
            self.forget(old);
        }
        let part = row.part();
        if self.parts.len() <= part {
            self.parts.resize_with(part + 1, Order::default);
        }
        self.parts[part].push(seq);
        self.rows.insert(seq, Box::new(row));
    }

    fn forget(&mut self, seq: u64) -> Option<T> {
        let row = self.rows.remove(&seq)?;
        if let Some(order) = self.parts.get_mut(row.part()) {
            order.remove(seq);
        }
        Some(*row)
    }

    pub fn get<K: AsUid + ?Sized>(&self, id: &K) -> Option<&T> {
        self.seq(id).and_then(|s| self.rows.get(&s)).map(|r| &**r)
    }

    pub fn get_mut<K: AsUid + ?Sized>(&mut self, id: &K) -> Option<&mut T> {
        let seq = self.seq(id)?;
        self.rows.get_mut(&seq).map(|r| &mut **r)
    }

    pub fn remove<K: AsUid + ?Sized>(&mut self, id: &K) -> Option<T> {
        let seq = self.index.remove(&id.as_uid()?)?;
        self.forget(seq)
    }

    fn seq<K: AsUid + ?Sized>(&self, id: &K) -> Option<u64> {
        self.index.get(&id.as_uid()?).copied()
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
        self.rows.values().map(|r| &**r)
    }

    /// Records in partition `part`.
    pub fn len_in(&self, part: usize) -> usize {
        self.parts.get(part).map_or(0, Order::len)
    }

    /// Partition `part` newest first, without its `skip` newest records: O(log n) to start,
    /// then O(1) a record (O(log n) past a removed one).
    pub fn newest_in(&self, part: usize, skip: usize) -> impl Iterator<Item = &T> {
        self.parts
            .get(part)
            .into_iter()
            .flat_map(move |o| o.newest(skip))
            .filter_map(|seq| self.rows.get(&seq).map(|r| &**r))
    }

    /// Partition `part` newest first, starting after the record `marker`. A marker that is not
    /// in the partition yields `None` so that callers can answer 400/404 as their API does.
    pub fn newest_after_in(
        &self,
        part: usize,
        marker: &str,
    ) -> Option<impl Iterator<Item = &T> + use<'_, T>> {
        let seq = self.seq(marker)?;
        let walk = self.parts.get(part)?.newest_after(seq)?;
        Some(walk.filter_map(|seq| self.rows.get(&seq).map(|r| &**r)))
    }
}

impl<T: Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.values().map(|r| &**r))
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
    struct R(String, usize);
    impl Keyed for R {
        fn key(&self) -> Uid {
            uid(&self.0)
        }
        fn part(&self) -> usize {
            self.1
        }
    }

    /// The id of the record called `k` (its first letter makes it).
    fn id(k: &str) -> String {
        format!("{:08x}-0000-4000-8000-000000000000", k.as_bytes()[0])
    }

    fn uid(k: &str) -> Uid {
        Uid::parse(&id(k)).unwrap()
    }

    fn ids<'a>(it: impl Iterator<Item = &'a R>) -> Vec<&'a str> {
        it.map(|r| r.0.as_str()).collect()
    }

    #[test]
    fn pages_a_partition_newest_first_and_survives_serde() {
        let mut t = Table::default();
        for (k, p) in [("a", 0), ("x", 1), ("b", 0), ("c", 0), ("y", 1), ("d", 0)] {
            t.insert(R(k.into(), p));
        }
        assert_eq!(ids(t.newest_in(0, 1)), ["c", "b", "a"]);
        assert_eq!(ids(t.newest_in(1, 0)), ["y", "x"]);
        assert_eq!(ids(t.newest_in(2, 0)), Vec::<&str>::new());
        assert_eq!(ids(t.newest_after_in(0, &id("c")).unwrap()), ["b", "a"]);
        assert!(t.newest_after_in(0, &id("z")).is_none());
        assert!(
            t.newest_after_in(0, &id("x")).is_none(),
            "a marker of another partition"
        );
        t.remove(&id("b"));
        assert!(t.get("d").is_none(), "a string that is not an id");
        // Inserting an id again moves it to the newest place.
        t.insert(R("a".into(), 0));
        assert_eq!(ids(t.newest_in(0, 0)), ["a", "d", "c"]);
        assert_eq!((t.len_in(0), t.len_in(1), t.len()), (3, 2, 5));
        let json = serde_json::to_string(&t).unwrap();
        let back: Table<R> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 5);
        assert_eq!(back.get(&id("d")), Some(&R("d".into(), 0)));
        assert_eq!(ids(back.newest_in(0, 0)), ["a", "d", "c"]);
        assert_eq!(ids(back.newest_in(1, 1)), ["x"]);
    }
}
