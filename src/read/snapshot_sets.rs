//! Snapshots grouped into sets: the snapshots tagged with one set id (`hvecs_set`) are one set
//! (a server's disks taken together); a snapshot made elsewhere is a set of one. Pure, for the
//! CLI's `snapshots list`, the console's Snapshots pane and a server's describe.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::gateway::model::{Snapshot, Timestamp};
use crate::runner::snapshot::op::{DEVICE_KEY, SERVER_KEY, SET_KEY};

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
    /// The same time, with its instant (for a local display).
    #[serde(skip)]
    pub taken: Timestamp,
    pub size_gb: u64,
    /// One status when all agree, else each status with its count.
    pub status: String,
    pub members: Vec<Member>,
}

impl SnapshotSet {
    /// The set's name: the name its members share before their `-<device>` (a set's members are
    /// named `<name>-vda`, `<name>-vdb`, …), else its first member's name.
    pub fn name(&self) -> String {
        let first = self
            .members
            .first()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        if self.members.len() < 2 {
            return first;
        }
        let base = |m: &Member| -> Option<String> {
            let dev = m.device.as_deref()?;
            let tail = dev.rsplit('/').next().unwrap_or(dev);
            m.name
                .strip_suffix(tail)
                .and_then(|b| b.strip_suffix('-'))
                .map(str::to_owned)
        };
        let bases: Vec<Option<String>> = self.members.iter().map(base).collect();
        match bases.first() {
            Some(Some(b)) if bases.iter().all(|x| x.as_deref() == Some(b.as_str())) => b.clone(),
            _ => first,
        }
    }

    /// The server as a person knows it: its name, else its id, else `-`.
    pub fn server_text(&self) -> String {
        self.server
            .clone()
            .or_else(|| self.server_id.clone())
            .unwrap_or_else(|| "-".into())
    }
}

/// Groups `snaps` into sets, newest first; `name_of` gives a server's name by its id.
pub fn group(snaps: &[Snapshot], name_of: impl Fn(&str) -> Option<String>) -> Vec<SnapshotSet> {
    let mut sets: BTreeMap<String, SnapshotSet> = BTreeMap::new();
    for s in snaps {
        let tag = s.metadata.get(SET_KEY).filter(|t| !t.is_empty());
        let key = tag.cloned().unwrap_or_else(|| s.id.clone());
        let server_id = s.metadata.get(SERVER_KEY).cloned();
        let set = sets.entry(key.clone()).or_insert_with(|| SnapshotSet {
            set: key,
            tagged: tag.is_some(),
            server: server_id.as_deref().and_then(&name_of),
            server_id,
            time: s.created_at.to_string(),
            taken: s.created_at.clone(),
            size_gb: 0,
            status: String::new(),
            members: Vec::new(),
        });
        if s.created_at.to_string() < set.time {
            set.time = s.created_at.to_string();
            set.taken = s.created_at.clone();
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

/// The sets of the server `server_id` (tagged with it, or of one of its `disks`), newest first.
pub fn of_server<'a>(
    sets: &'a [SnapshotSet],
    server_id: &str,
    disks: &[String],
) -> Vec<&'a SnapshotSet> {
    sets.iter()
        .filter(|s| {
            s.server_id.as_deref() == Some(server_id)
                || (s.server_id.is_none() && s.members.iter().any(|m| disks.contains(&m.volume_id)))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let names: BTreeMap<String, String> = [("s-1".to_owned(), "web-01".to_owned())].into();
        let sets = group(&snaps, |id| names.get(id).cloned());
        assert_eq!(sets.len(), 2);
        assert_eq!((sets[0].set.as_str(), sets[0].tagged), ("c", false));
        assert_eq!(sets[0].server_text(), "-");
        let s = &sets[1];
        assert_eq!(s.server.as_deref(), Some("web-01"));
        assert_eq!(s.size_gb, 20);
        assert_eq!(s.status, "1 available, 1 creating");
        assert_eq!(s.members[0].device.as_deref(), Some("/dev/vda"));
        assert!(s.time.starts_with("2026-12-07 10:00:00"), "{}", s.time);
        assert_eq!(s.taken.text, "2026-12-07T10:00:00");
        assert_eq!(of_server(&sets, "s-1", &[]).len(), 1);
        assert_eq!(of_server(&sets, "s-2", &["d-c".into()]).len(), 1);
    }

    #[test]
    fn a_set_is_named_by_what_its_members_share_before_their_device() {
        let mut a = snap(
            "a",
            Some("set-1"),
            "/dev/vda",
            "available",
            "2026-12-07T10:00:00",
        );
        a.name = "pre-patch-vda".into();
        let mut b = snap(
            "b",
            Some("set-1"),
            "/dev/vdb",
            "available",
            "2026-12-07T10:00:00",
        );
        b.name = "pre-patch-vdb".into();
        let sets = group(&[a.clone(), b.clone()], |_| None);
        assert_eq!(sets[0].name(), "pre-patch");
        b.name = "renamed".into();
        let sets = group(&[a.clone(), b], |_| None);
        assert_eq!(sets[0].name(), "pre-patch-vda");
        a.metadata.clear();
        a.name = "lone".into();
        assert_eq!(group(&[a], |_| None)[0].name(), "lone");
    }
}
