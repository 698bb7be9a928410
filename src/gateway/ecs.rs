//! ECS reads: servers (v1 list with page numbers and `count`, show), flavors, AZs, quotas,
//! attached disks, key pairs.

use serde_json::Value;

use super::client::Gateway;
use super::error::GatewayError;
use super::model::{AvailabilityZone, ComputeQuota, Flavor, Keypair, Server};
use super::page::{self, Page, Position};
use super::raw_rows::RawRow;
use super::reads::Show;
use super::request::Request;
use super::sign::encode;
use super::{decode, typed};
use crate::config::Service;

/// ECS v1 allows up to 1000 servers a page.
pub const SERVER_PAGE: u64 = 1000;
const FLAVOR_PAGE: u64 = 1000;
const SERVER: Show = (
    Service::Ecs,
    "/v1/{p}/cloudservers",
    "server",
    "ECS show server",
);

/// The answer of the server list, decoded directly (the fast path of long lists; public for
/// the fuzz targets).
#[doc(hidden)]
#[derive(serde::Deserialize)]
pub struct ServerList {
    #[serde(default, deserialize_with = "super::model::lenient::opt_number")]
    pub count: Option<u64>,
    pub servers: Vec<Server>,
}

/// Filters of the server list the API applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerFilter {
    /// Fuzzy (regex-like) name match.
    pub name: Option<String>,
    pub status: Option<String>,
    pub flavor: Option<String>,
    /// Only these ids (other filters are then ignored by the API).
    pub ids: Vec<String>,
}

/// One page of `GET /v1/{p}/cloudservers/flavors` (marker pages), optionally for one AZ.
fn flavors_request(az: Option<&str>, marker: Option<String>) -> Request {
    Request::get(
        Service::Ecs,
        "/v1/{p}/cloudservers/flavors",
        "ECS list flavors",
    )
    .query("limit", FLAVOR_PAGE)
    .query_opt("availability_zone", az)
    .query_opt("marker", marker)
}

impl Gateway {
    fn servers_request(filter: &ServerFilter, page: u64, limit: u64) -> Request {
        let mut req = Request::get(
            Service::Ecs,
            "/v1/{p}/cloudservers/detail",
            "ECS list servers",
        )
        .query("offset", page)
        .query("limit", limit)
        .query_opt("name", filter.name.as_ref())
        .query_opt("status", filter.status.as_ref())
        .query_opt("flavor", filter.flavor.as_ref());
        if !filter.ids.is_empty() {
            req = req.query("server_id", filter.ids.join(","));
        }
        req
    }

    /// One page of `GET /v1/{p}/cloudservers/detail` (`page` counts from 1), as returned.
    pub async fn servers_page(
        &self,
        filter: &ServerFilter,
        page: u64,
        limit: u64,
    ) -> Result<Page<Value>, GatewayError> {
        let a = self
            .execute(Self::servers_request(filter, page, limit))
            .await?;
        let (items, count) = a.counted_rows::<Server>("servers")?;
        Ok(Page::of(&a, items, count))
    }

    /// One page, decoded straight into servers (no JSON tree: the fast path of long lists).
    pub async fn servers_page_typed(
        &self,
        filter: &ServerFilter,
        page: u64,
        limit: u64,
    ) -> Result<Page<Server>, GatewayError> {
        let a = self
            .execute(Self::servers_request(filter, page, limit))
            .await?;
        if let Some(list) = a.decode::<ServerList>()
            && list.servers.iter().all(|s| !s.id.is_empty())
        {
            return Ok(Page::of(&a, list.servers, list.count));
        }
        // Not the documented shape: the tree says what is wrong (and which rows).
        let items = a.rows_as::<Server>("servers")?;
        Ok(Page::of(&a, items, page::total(&a.json())))
    }

    /// Every server matching the filter, as the API returned them.
    pub async fn list_servers_raw(
        &self,
        filter: &ServerFilter,
    ) -> Result<Vec<Value>, GatewayError> {
        page::by_position(self.paging(Position::PageNumber, SERVER_PAGE), |p| {
            self.servers_page(filter, p, SERVER_PAGE)
        })
        .await
    }

    /// Every server matching the filter, each page handed to `sink` as it comes, its items as
    /// the API sent them (the walk stops at the first error, the sink's own included).
    pub async fn servers_by_page<E: From<GatewayError>>(
        &self,
        filter: &ServerFilter,
        sink: impl FnMut(Vec<RawRow<Server>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let request = |p| Self::servers_request(filter, p, SERVER_PAGE);
        self.position_pages(
            (Position::PageNumber, SERVER_PAGE),
            "servers",
            request,
            sink,
        )
        .await
    }

    pub async fn list_servers(&self, filter: &ServerFilter) -> Result<Vec<Server>, GatewayError> {
        page::by_position(self.paging(Position::PageNumber, SERVER_PAGE), |p| {
            self.servers_page_typed(filter, p, SERVER_PAGE)
        })
        .await
    }

    /// `GET /v1/{p}/cloudservers/{id}`.
    pub async fn show_server_raw(&self, id: &str) -> Result<Value, GatewayError> {
        self.show_one(SERVER, id).await
    }

    pub async fn show_server(&self, id: &str) -> Result<Server, GatewayError> {
        Ok(decode(&self.show_server_raw(id).await?))
    }

    /// `GET /v1/{p}/cloudservers/flavors` (marker pages), optionally for one AZ.
    pub async fn list_flavors_raw(&self, az: Option<&str>) -> Result<Vec<Value>, GatewayError> {
        let request = |marker| flavors_request(az, marker);
        self.marker_rows::<Flavor>(FLAVOR_PAGE, "flavors", request)
            .await
    }

    /// The flavors (of one AZ), each page handed to `sink` as it comes, as the API sent them.
    pub async fn flavors_by_page<E: From<GatewayError>>(
        &self,
        az: Option<&str>,
        sink: impl FnMut(Vec<RawRow<Flavor>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let request = |marker| flavors_request(az, marker);
        self.marker_pages(FLAVOR_PAGE, "flavors", request, sink)
            .await
    }

    pub async fn list_flavors(&self, az: Option<&str>) -> Result<Vec<Flavor>, GatewayError> {
        typed("ECS list flavors", &self.list_flavors_raw(az).await?)
    }

    /// `GET /v2.1/{p}/os-availability-zone` (Nova; ManageOne has it).
    pub async fn list_azs_raw(&self) -> Result<Vec<Value>, GatewayError> {
        let req = Request::get(
            Service::Ecs,
            "/v2.1/{p}/os-availability-zone",
            "ECS list availability zones",
        );
        self.execute(req)
            .await?
            .rows::<AvailabilityZone>("availabilityZoneInfo")
    }

    pub async fn list_azs(&self) -> Result<Vec<AvailabilityZone>, GatewayError> {
        typed("ECS list availability zones", &self.list_azs_raw().await?)
    }

    /// `GET /v1/{p}/cloudservers/limits` → `absolute`.
    pub async fn compute_quota_raw(&self) -> Result<Value, GatewayError> {
        let req = Request::get(
            Service::Ecs,
            "/v1/{p}/cloudservers/limits",
            "ECS show quotas",
        );
        self.execute(req).await?.object("absolute")
    }

    pub async fn compute_quota(&self) -> Result<ComputeQuota, GatewayError> {
        Ok(decode(&self.compute_quota_raw().await?))
    }

    /// `GET /v1/{p}/cloudservers/{id}/block_device` → `volumeAttachments`.
    pub async fn server_block_devices(&self, id: &str) -> Result<Vec<Value>, GatewayError> {
        let req = Request::get(
            Service::Ecs,
            format!("/v1/{{p}}/cloudservers/{}/block_device", encode(id)),
            format!("ECS list disks of server {id}"),
        );
        self.execute(req).await?.list("volumeAttachments")
    }

    /// `GET /v2.1/{p}/os-keypairs` (Nova): the project's SSH key pairs, one request (the
    /// `limit`/`marker` of microversion 2.35 are not sent; without them Nova returns them all).
    pub async fn list_keypairs(&self) -> Result<Vec<Keypair>, GatewayError> {
        let req = Request::get(Service::Ecs, "/v2.1/{p}/os-keypairs", "ECS list key pairs");
        let a = self.execute(req).await?;
        let items = a.list("keypairs")?;
        let unwrapped: Vec<Value> = items.iter().map(|i| Keypair::unwrap(i).clone()).collect();
        super::shape::decode_rows(&unwrapped).map_err(|why| a.bad(why))
    }
}
