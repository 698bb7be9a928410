//! EVS reads: disks and snapshots (item-offset pages with `count`) and quotas; the snapshot
//! changes are in `evs_snapshot.rs`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::Gateway;
use super::error::GatewayError;
use super::model::{Disk, QuotaUsage, Row, Snapshot};
use super::page::Position;
use super::raw_rows::RawRow;
use super::reads::Show;
use super::request::Request;
use super::{decode, typed};
use crate::config::Service;

const EVS_PAGE: u64 = 1000;
/// The EVS lists: path, the answer's key, the call's name.
const DISKS: (&str, &str, &str) = ("/v2/{p}/cloudvolumes/detail", "volumes", "EVS list disks");
const SNAPSHOTS: (&str, &str, &str) = (
    "/v2/{p}/cloudsnapshots/detail",
    "snapshots",
    "EVS list snapshots",
);
/// The EVS shows.
const DISK: Show = (
    Service::Evs,
    "/v2/{p}/cloudvolumes",
    "volume",
    "EVS show disk",
);
const SNAPSHOT: Show = (
    Service::Evs,
    "/v2/{p}/cloudsnapshots",
    "snapshot",
    "EVS show snapshot",
);

/// One page of an EVS list: `offset` counts items.
fn evs_request(path: &str, operation: &str, offset: u64, filter: Option<(&str, &str)>) -> Request {
    let mut req = Request::get(Service::Evs, path, operation)
        .query("offset", offset)
        .query("limit", EVS_PAGE);
    if let Some((name, value)) = filter {
        req = req.query(name, value);
    }
    req
}

impl Gateway {
    /// Every item of an EVS list (`offset` counts items; `count` is the total), each checked to
    /// read as a `T`.
    async fn evs_list<T: DeserializeOwned + Row>(
        &self,
        (path, key, operation): (&str, &str, &str),
        filter: Option<(&str, &str)>,
    ) -> Result<Vec<Value>, GatewayError> {
        let request = |offset| evs_request(path, operation, offset, filter);
        self.position_rows::<T>((Position::ItemOffset, EVS_PAGE), key, request)
            .await
    }

    /// An EVS list as `evs_list`, each page handed to `sink` as it comes, its items as the API
    /// sent them.
    async fn evs_by_page<T: DeserializeOwned + Row, E: From<GatewayError>>(
        &self,
        (path, key, operation): (&str, &str, &str),
        filter: Option<(&str, &str)>,
        sink: impl FnMut(Vec<RawRow<T>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let request = |offset| evs_request(path, operation, offset, filter);
        self.position_pages((Position::ItemOffset, EVS_PAGE), key, request, sink)
            .await
    }

    /// The disks (of one server), each page handed to `sink` as it comes, as the API sent them.
    pub async fn disks_by_page<E: From<GatewayError>>(
        &self,
        server_id: Option<&str>,
        sink: impl FnMut(Vec<RawRow<Disk>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let filter = server_id.map(|id| ("server_id", id));
        self.evs_by_page(DISKS, filter, sink).await
    }

    /// The snapshots, each page handed to `sink` as it comes, as the API sent them.
    pub async fn snapshots_by_page<E: From<GatewayError>>(
        &self,
        sink: impl FnMut(Vec<RawRow<Snapshot>>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.evs_by_page(SNAPSHOTS, None, sink).await
    }

    /// `GET /v2/{p}/cloudvolumes/detail`, optionally the disks of one server.
    pub async fn list_disks_raw(
        &self,
        server_id: Option<&str>,
    ) -> Result<Vec<Value>, GatewayError> {
        let filter = server_id.map(|id| ("server_id", id));
        self.evs_list::<Disk>(DISKS, filter).await
    }

    pub async fn list_disks(&self, server_id: Option<&str>) -> Result<Vec<Disk>, GatewayError> {
        typed("EVS list disks", &self.list_disks_raw(server_id).await?)
    }

    /// `GET /v2/{p}/cloudvolumes/{id}`.
    pub async fn show_disk_raw(&self, id: &str) -> Result<Value, GatewayError> {
        self.show_one(DISK, id).await
    }

    pub async fn show_disk(&self, id: &str) -> Result<Disk, GatewayError> {
        Ok(decode(&self.show_disk_raw(id).await?))
    }

    /// `GET /v2/{p}/cloudsnapshots/detail`, optionally of one disk.
    pub async fn list_snapshots_raw(
        &self,
        volume_id: Option<&str>,
    ) -> Result<Vec<Value>, GatewayError> {
        let filter = volume_id.map(|id| ("volume_id", id));
        self.evs_list::<Snapshot>(SNAPSHOTS, filter).await
    }

    pub async fn list_snapshots(
        &self,
        volume_id: Option<&str>,
    ) -> Result<Vec<Snapshot>, GatewayError> {
        typed(
            "EVS list snapshots",
            &self.list_snapshots_raw(volume_id).await?,
        )
    }

    /// `GET /v2/{p}/cloudsnapshots/{id}`.
    pub async fn show_snapshot_raw(&self, id: &str) -> Result<Value, GatewayError> {
        self.show_one(SNAPSHOT, id).await
    }

    pub async fn show_snapshot(&self, id: &str) -> Result<Snapshot, GatewayError> {
        Ok(decode(&self.show_snapshot_raw(id).await?))
    }

    /// `GET /v2/{p}/os-quota-sets/{p}?usage=True` → name (`volumes`, `gigabytes`, …) → usage.
    pub async fn storage_quota(&self) -> Result<Vec<(String, QuotaUsage)>, GatewayError> {
        let req = Request::get(Service::Evs, "/v2/{p}/os-quota-sets/{p}", "EVS show quotas")
            .query("usage", "True");
        let a = self.execute(req).await?;
        let mut out = Vec::new();
        if let Value::Object(m) = a.object("quota_set")? {
            for (k, v) in m {
                // Besides the usages, `quota_set` has its `id` (a string).
                if v.is_object() {
                    out.push((k, decode(&v)));
                }
            }
        }
        Ok(out)
    }
}
