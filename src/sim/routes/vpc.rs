//! VPC v1: VPCs and subnets (for the networks of the create form).

use axum::Json;
use serde_json::{Value, json};

use super::input::{Project, Query, Svc};
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::uid::Uid;

/// One VPC page: the items after `marker` (if any), at most `limit` (1..=2000, default 2000).
fn page<T>(
    q: &Query,
    items: impl Iterator<Item = T>,
    id: impl Fn(&T) -> &Uid,
) -> ApiResult<impl Iterator<Item = T>> {
    let limit = q.int(Svc::Vpc, "limit", 1, 2000, 2000)? as usize;
    Ok(after(items.collect(), q.get("marker"), id)?
        .into_iter()
        .take(limit))
}

fn after<T>(list: Vec<T>, marker: Option<&str>, id: impl Fn(&T) -> &Uid) -> ApiResult<Vec<T>> {
    match marker {
        None => Ok(list),
        Some(m) => {
            let i = list.iter().position(|x| *id(x) == m).ok_or_else(|| {
                ApiError::service(
                    400,
                    "VPC.0002",
                    format!("invalid marker `{m}`: no such id in the list"),
                )
            })?;
            Ok(list.into_iter().skip(i + 1).collect())
        }
    }
}

pub async fn vpcs(Project { sim, region: r, .. }: Project, q: Query) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let list = w
        .vpcs
        .iter()
        .filter(|v| v.region == r && q.get("id").is_none_or(|i| i == v.id));
    let out: Vec<Value> = page(&q, list, |v| &v.id)?
        .map(|v| json!({"id": v.id, "name": v.name, "cidr": v.cidr, "status": "OK", "description": "", "routes": [], "enterprise_project_id": "0"}))
        .collect();
    Ok(Json(json!({"vpcs": out})))
}

pub async fn subnets(Project { sim, region: r, .. }: Project, q: Query) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let list = w
        .subnets
        .iter()
        .filter(|s| s.region == r && q.get("vpc_id").is_none_or(|v| v == s.vpc_id));
    let out: Vec<Value> = page(&q, list, |s| &s.id)?
        .map(|s| json!({
            "id": s.id, "name": s.name, "cidr": s.cidr, "gateway_ip": s.gateway_ip, "vpc_id": s.vpc_id,
            "availability_zone": s.az.clone().unwrap_or_default(), "status": "ACTIVE", "dhcp_enable": true,
            "primary_dns": "100.125.1.250", "secondary_dns": "100.125.21.250",
            "neutron_network_id": s.id, "neutron_subnet_id": s.neutron_subnet_id, "description": "", "ipv6_enable": false,
            "available_ip_address_count": 65_533u64.saturating_sub(s.next_ip), "cidr_v6": "", "gateway_ip_v6": "",
            "neutron_subnet_id_v6": "", "dnsList": ["100.125.1.250", "100.125.21.250"], "extra_dhcp_opts": [],
            "enable_network_address_usage_metrics": false, "tenant_id": w.regions[r].project_id,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        }))
        .collect();
    Ok(Json(json!({"subnets": out})))
}
