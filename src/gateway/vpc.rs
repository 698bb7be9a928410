//! VPC calls: VPCs and subnets (marker pages), for the networks of the create form.

use serde_json::Value;

use super::client::Gateway;
use super::error::GatewayError;
use super::model::{Subnet, Vpc};
use super::request::Request;
use super::typed;
use crate::config::Service;

const VPC_PAGE: u64 = 1000;

impl Gateway {
    /// `GET /v1/{p}/vpcs`.
    pub async fn list_vpcs_raw(&self) -> Result<Vec<Value>, GatewayError> {
        let request = |marker| {
            Request::get(Service::Vpc, "/v1/{p}/vpcs", "VPC list VPCs")
                .query("limit", VPC_PAGE)
                .query_opt("marker", marker)
        };
        self.marker_rows::<Vpc>(VPC_PAGE, "vpcs", request).await
    }

    pub async fn list_vpcs(&self) -> Result<Vec<Vpc>, GatewayError> {
        typed("VPC list VPCs", &self.list_vpcs_raw().await?)
    }

    /// `GET /v1/{p}/subnets`, optionally of one VPC.
    pub async fn list_subnets_raw(&self, vpc_id: Option<&str>) -> Result<Vec<Value>, GatewayError> {
        let request = |marker| {
            Request::get(Service::Vpc, "/v1/{p}/subnets", "VPC list subnets")
                .query("limit", VPC_PAGE)
                .query_opt("vpc_id", vpc_id)
                .query_opt("marker", marker)
        };
        self.marker_rows::<Subnet>(VPC_PAGE, "subnets", request)
            .await
    }

    pub async fn list_subnets(&self, vpc_id: Option<&str>) -> Result<Vec<Subnet>, GatewayError> {
        typed("VPC list subnets", &self.list_subnets_raw(vpc_id).await?)
    }
}
