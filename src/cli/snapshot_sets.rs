//! Snapshots grouped into sets: the snapshots tagged with one set id (`hvecs_set`) are one set
//! (a server's disks taken together); a snapshot made elsewhere is a set of one. Pure, for
//! `snapshots list` and for finding the set a command names.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::gateway::model::Snapshot;
use crate::runner::snapshot::op::{DEVICE_KEY, SERVER_KEY, SET_KEY};

use super::format::{Column, col, wide};

/// One snapshot of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub snapshot_id: String,
    pub name: String,
    pub volume_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    pub size_gb: u64,
    pub status: String,
}

/// A set: its id (a single snapshot's id for a set of one), its server, when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotSet {
    pub set: String,
    /// Tagged by hvecs (else a snapshot made elsewhere).
    pub tagged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The first member's creation time, as the API gave it.
    pub time: String,
    pub size_gb: u64,
    /// One status when all agree, else each status with its count.
    pub status: String,
    pub members: Vec<Member>,
}

/// Groups `snaps` into sets, newest first; `names` gives server names by id.
pub fn group(snaps: &[Snapshot], names: &BTreeMap<String, String>) -> Vec<SnapshotSet> {
    let mut sets: BTreeMap<String, SnapshotSet> = BTreeMap::new();
    for s in snaps {
        let tag = s.metadata.get(SET_KEY).filter(|t| !t.is_empty());
        let key = tag.cloned().unwrap_or_else(|| s.id.clone());
        let server_id = s.metadata.get(SERVER_KEY).cloned();
        let set = sets.entry(key.clone()).or_insert_with(|| SnapshotSet {
            set: key,
            tagged: tag.is_some(),
            server: server_id.as_ref().and_then(|id| names.get(id).cloned()),
            server_id,
            time: s.created_at.to_string(),
            size_gb: 0,
            status: String::new(),
            members: Vec::new(),
        });
        if s.created_at.to_string() < set.time {
            set.time = s.created_at.to_string();
        }
        set.size_gb += s.size;
        set.members.push(Member {
            snapshot_id: s.id.clone(),
            name: s.name.clone(),
            volume_id: s.volume_id.clone(),
            device: s.metadata.get(DEVICE_KEY).cloned(),
            size_gb: s.size,
            status: s.status.clone(),
        });
    }
    let mut out: Vec<SnapshotSet> = sets
        .into_values()
        .map(|mut set| {
            set.members.sort_by(|a, b| a.device.cmp(&b.device));
            set.status = status_of(&set.members);
            set
        })
        .collect();
    out.sort_by(|a, b| b.time.cmp(&a.time).then(a.set.cmp(&b.set)));
    out
}

fn status_of(members: &[Member]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in members {
        *counts.entry(m.status.as_str()).or_default() += 1;
    }
    match counts.len() {
        1 => counts
            .keys()
            .next()
            .map(|s| (*s).to_owned())
            .unwrap_or_default(),
        _ => counts
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The sets as a table: SET, SERVER, TIME, DISKS, SIZE, STATUS, NAME.
/// The columns of the sets' list (`SERVER ID` in `-o wide` and tsv).
pub const COLUMNS: &[Column] = &[
    col("SET"),
    col("SERVER"),
    col("TIME"),
    col("DISKS"),
    col("SIZE"),
    col("STATUS"),
    col("NAME"),
    wide("SERVER ID"),
];

/// One row of cells per set, under `COLUMNS`.
pub fn rows(sets: &[SnapshotSet]) -> Vec<Vec<String>> {
    sets.iter()
        .map(|s| {
            let server = s
                .server
                .clone()
                .or_else(|| s.server_id.clone())
                .unwrap_or_else(|| "-".into());
            let name = s
                .members
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default();
            vec![
                s.set.clone(),
                server,
                s.time.clone(),
                s.members.len().to_string(),
                format!("{} GB", s.size_gb),
                s.status.clone(),
                name,
                s.server_id.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::model::Timestamp;

    fn snap(id: &str, set: Option<&str>, device: &str, status: &str, at: &str) -> Snapshot {
        let mut s = Snapshot {
            id: id.into(),
            name: format!("n-{id}"),
            status: status.into(),
            size: 10,
            volume_id: format!("d-{id}"),
            created_at: Timestamp::parse(at),
            ..Snapshot::default()
        };
        if let Some(set) = set {
            s.metadata.insert(SET_KEY.into(), set.into());
            s.metadata.insert(SERVER_KEY.into(), "s-1".into());
            s.metadata.insert(DEVICE_KEY.into(), device.into());
        }
        s
    }

    #[test]
    fn tagged_snapshots_are_one_set_and_the_others_sets_of_one_newest_first() {
        let snaps = [
            snap(
                "a",
                Some("set-1"),
                "/dev/vdb",
                "available",
                "2026-12-07T10:00:01",
            ),
            snap(
                "b",
                Some("set-1"),
                "/dev/vda",
                "creating",
                "2026-12-07T10:00:00",
            ),
            snap("c", None, "", "available", "2026-12-07T11:00:00"),
        ];
        let names = [("s-1".to_owned(), "web-01".to_owned())].into();
        let sets = group(&snaps, &names);
        assert_eq!(sets.len(), 2);
        assert_eq!((sets[0].set.as_str(), sets[0].tagged), ("c", false));
        let s = &sets[1];
        assert_eq!(s.server.as_deref(), Some("web-01"));
        assert_eq!(s.size_gb, 20);
        assert_eq!(s.status, "1 available, 1 creating");
        assert_eq!(s.members[0].device.as_deref(), Some("/dev/vda"));
        assert!(s.time.starts_with("2026-12-07 10:00:00"), "{}", s.time);
        let text = rows(&sets).concat().join(" ");
        assert!(text.contains("set-1") && text.contains("web-01") && text.contains("20 GB"));
    }
}
