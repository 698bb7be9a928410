//! EVS snapshot changes: create (with `force` and `metadata`), rename, roll back, delete. Each
//! answer is checked strictly: a create or rename that does not name its snapshot, or a rollback
//! that names another disk, is an error naming the call and its request id, never "done".

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use super::client::Gateway;
use super::error::GatewayError;
use super::model::Snapshot;
use super::request::Request;
use super::sign::encode;
use crate::config::Service;

/// A snapshot to make of one disk (`POST /v2/{p}/cloudsnapshots`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotSpec {
    pub volume_id: String,
    pub name: String,
    pub description: Option<String>,
    /// Needed while the disk is attached (`in-use`).
    pub force: bool,
    pub metadata: BTreeMap<String, String>,
}

impl SnapshotSpec {
    /// The create body of the documents (`CreateSnapshotRequestBody`).
    pub fn to_json(&self) -> Value {
        let mut v = json!({"volume_id": self.volume_id, "name": self.name, "force": self.force});
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        if !self.metadata.is_empty() {
            v["metadata"] = json!(self.metadata);
        }
        json!({"snapshot": v})
    }
}

fn snapshot_path(id: &str) -> String {
    format!("/v2/{{p}}/cloudsnapshots/{}", encode(id))
}

impl Gateway {
    /// `POST /v2/{p}/cloudsnapshots` (202, `creating`): the snapshot as made, its id required.
    pub async fn create_snapshot(&self, spec: &SnapshotSpec) -> Result<Snapshot, GatewayError> {
        let a = self
            .execute(Request::change(
                Service::Evs,
                Method::POST,
                "/v2/{p}/cloudsnapshots",
                Some(&spec.to_json()),
                format!(
                    "EVS create snapshot {:?} of disk {}",
                    spec.name, spec.volume_id
                ),
            ))
            .await?;
        let snap: Snapshot = a.object_as("snapshot")?;
        if snap.id.is_empty() {
            return Err(a.bad("`snapshot` has no id"));
        }
        if !snap.volume_id.is_empty() && snap.volume_id != spec.volume_id {
            return Err(a.bad(format!(
                "the snapshot is of disk {:?}, not {}",
                snap.volume_id, spec.volume_id
            )));
        }
        Ok(snap)
    }

    /// `PUT /v2/{p}/cloudsnapshots/{id}` (200): the snapshot as it is now.
    pub async fn rename_snapshot(
        &self,
        id: &str,
        name: &str,
        description: Option<&str>,
    ) -> Result<Snapshot, GatewayError> {
        let labels = (Some(name), description);
        let req = Request::relabel(
            Service::Evs,
            snapshot_path(id),
            "snapshot",
            labels,
            format!("EVS rename snapshot {id}"),
        );
        let a = self.execute(req).await?;
        let s: Snapshot = a.object_as("snapshot")?;
        if s.id != id {
            return Err(a.bad(format!("the answer is snapshot {:?}, not {id}", s.id)));
        }
        Ok(s)
    }

    /// `POST /v2/{p}/cloudsnapshots/{id}/rollback` (202): only to its own, detached disk; the
    /// answer names that disk.
    pub async fn rollback_snapshot(
        &self,
        id: &str,
        volume_id: &str,
        name: Option<&str>,
    ) -> Result<(), GatewayError> {
        let mut rb = json!({"volume_id": volume_id});
        if let Some(n) = name {
            rb["name"] = json!(n);
        }
        let a = self
            .execute(Request::change(
                Service::Evs,
                Method::POST,
                format!("{}/rollback", snapshot_path(id)),
                Some(&json!({"rollback": rb})),
                format!("EVS roll back disk {volume_id} to snapshot {id}"),
            ))
            .await?;
        let answered = a.object("rollback")?;
        match answered.get("volume_id") {
            Some(Value::String(v)) if v == volume_id => Ok(()),
            other => Err(a.bad(format!(
                "`rollback.volume_id` is {}, not {volume_id}",
                other.map_or_else(|| "missing".to_owned(), Value::to_string)
            ))),
        }
    }

    /// `DELETE /v2/{p}/cloudsnapshots/{id}` (202, no body): the platform merges the snapshot
    /// away over minutes (`deleting`).
    pub async fn delete_snapshot(&self, id: &str) -> Result<(), GatewayError> {
        self.execute(Request::change(
            Service::Evs,
            Method::DELETE,
            snapshot_path(id),
            None,
            format!("EVS delete snapshot {id}"),
        ))
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_create_body_has_the_documented_shape() {
        let mut spec = SnapshotSpec {
            volume_id: "d-1".into(),
            name: "web-20260101-0000".into(),
            force: true,
            ..SnapshotSpec::default()
        };
        assert_eq!(
            spec.to_json(),
            json!({"snapshot": {"volume_id": "d-1", "name": "web-20260101-0000", "force": true}})
        );
        spec.metadata.insert("hvecs_set".into(), "s-1".into());
        assert_eq!(spec.to_json()["snapshot"]["metadata"]["hvecs_set"], "s-1");
    }
}
