//! EVS disk changes: create (`X-Client-Token`), rename, expand, delete. Each answer is checked
//! strictly: a job call without a `job_id` string (or a create without its `volume_ids`) is an
//! error naming the call and its request id, never "nothing happened".

use reqwest::Method;
use serde_json::{Value, json};

use super::client::Gateway;
use super::error::GatewayError;
use super::model::{Disk, JobSubmitted};
use super::request::Request;
use super::sign::encode;
use crate::config::Service;

/// Blank data disks to create (`POST /v2.1/{p}/cloudvolumes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskSpec {
    pub name: String,
    pub availability_zone: String,
    pub volume_type: String,
    pub size_gb: u64,
    pub count: u32,
    pub description: Option<String>,
}

impl DiskSpec {
    /// The create body (pay-per-use: no `bssParam`).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "availability_zone": self.availability_zone,
            "volume_type": self.volume_type,
            "size": self.size_gb,
        });
        if self.count > 1 {
            v["count"] = json!(self.count);
        }
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        json!({"volume": v})
    }
}

/// The answer to a disk create: its job and the ids of the disks it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisksSubmitted {
    pub job: JobSubmitted,
    pub volume_ids: Vec<String>,
}

fn volume(id: &str) -> String {
    format!("/v2/{{p}}/cloudvolumes/{}", encode(id))
}

impl Gateway {
    /// `POST /v2.1/{p}/cloudvolumes` (202): `job_id` and `volume_ids`. `client_token` makes a
    /// second send give back the first job, not new disks.
    pub async fn create_disks(
        &self,
        spec: &DiskSpec,
        client_token: &str,
    ) -> Result<DisksSubmitted, GatewayError> {
        let mut req = Request::change(
            Service::Evs,
            Method::POST,
            "/v2.1/{p}/cloudvolumes",
            Some(&spec.to_json()),
            format!("EVS create disk {:?}", spec.name),
        );
        req.client_token = Some(client_token.to_owned());
        let a = self.execute(req).await?;
        let job = a.job()?;
        let ids = match a.top()?.remove("volume_ids") {
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) if !s.is_empty() => Ok(s),
                    other => Err(a.bad(format!("`volume_ids` holds {other}, not a disk id"))),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => return Err(a.bad(format!("`volume_ids` is {other}, not a list"))),
            None => return Err(a.bad("no `volume_ids` in the answer")),
        };
        if ids.len() != spec.count.max(1) as usize {
            return Err(a.bad(format!(
                "{} disk id(s) in `volume_ids` for a create of {}",
                ids.len(),
                spec.count.max(1)
            )));
        }
        Ok(DisksSubmitted {
            job,
            volume_ids: ids,
        })
    }

    /// `PUT /v2/{p}/cloudvolumes/{id}` (200): the disk as it is now (the answer is the disk's
    /// fields, not wrapped).
    pub async fn rename_disk(
        &self,
        id: &str,
        name: &str,
        description: Option<&str>,
    ) -> Result<Disk, GatewayError> {
        let labels = (Some(name), description);
        let req = Request::relabel(
            Service::Evs,
            volume(id),
            "volume",
            labels,
            format!("EVS rename disk {id}"),
        );
        let a = self.execute(req).await?;
        let top = Value::Object(a.top()?);
        let disk: Disk = serde_json::from_value(top).map_err(|e| a.bad(e.to_string()))?;
        if disk.id != id {
            return Err(a.bad(format!("the answer is disk {:?}, not {id}", disk.id)));
        }
        Ok(disk)
    }

    /// `POST /v2.1/{p}/cloudvolumes/{id}/action` `os-extend` (202): grows the disk to `new_size` GB.
    pub async fn expand_disk(&self, id: &str, new_size: u64) -> Result<JobSubmitted, GatewayError> {
        let a = self
            .execute(Request::change(
                Service::Evs,
                Method::POST,
                format!("/v2.1/{{p}}/cloudvolumes/{}/action", encode(id)),
                Some(&json!({"os-extend": {"new_size": new_size}})),
                format!("EVS expand disk {id} to {new_size} GB"),
            ))
            .await?;
        a.job()
    }

    /// `DELETE /v2/{p}/cloudvolumes/{id}` (200, `job_id`).
    pub async fn delete_disk(&self, id: &str) -> Result<JobSubmitted, GatewayError> {
        let a = self
            .execute(Request::change(
                Service::Evs,
                Method::DELETE,
                volume(id),
                None,
                format!("EVS delete disk {id}"),
            ))
            .await?;
        a.job()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_create_body_has_the_documented_shape() {
        let spec = DiskSpec {
            name: "data".into(),
            availability_zone: "az1".into(),
            volume_type: "SAS".into(),
            size_gb: 20,
            count: 1,
            description: None,
        };
        assert_eq!(
            spec.to_json(),
            json!({"volume": {"name": "data", "availability_zone": "az1", "volume_type": "SAS", "size": 20}})
        );
        let many = DiskSpec { count: 3, ..spec };
        assert_eq!(many.to_json()["volume"]["count"], 3);
    }
}
