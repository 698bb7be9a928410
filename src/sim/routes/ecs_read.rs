//! ECS reads: availability zones, flavors, server lists (v1 pages, v1.1 and Nova markers), show,
//! limits and block devices.

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use super::input::{Project, Query, Svc, fuzzy};
use super::show::{self, found};
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::ids::device_name;
use crate::sim::model::{Flavor, Server};
use crate::sim::quota;
use crate::sim::render;
use crate::sim::render_server::{self, ServerJson, server_nova, server_v1};
use crate::sim::uid::Uid;
use crate::sim::world::World;

type P1 = Path<String>;
type P2 = Path<(String, String)>;

pub async fn nova_azs(Project { sim, region: r, .. }: Project) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let info: Vec<Value> = w.regions[r]
        .azs
        .iter()
        .map(|a| json!({"zoneName": a, "zoneState": {"available": true}, "hosts": null}))
        .collect();
    Ok(Json(json!({"availabilityZoneInfo": info})))
}

pub async fn azs(Project { sim, region: r, .. }: Project) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let list: Vec<Value> = w.regions[r]
        .azs
        .iter()
        .map(|a| json!({"availability_zone_id": a, "alias": a, "type": "core", "mode": "single", "category": 0, "az_group_ids": [], "public_border_group": "center"}))
        .collect();
    Ok(Json(json!({"availability_zones": list})))
}

fn check_az(w: &World, r: usize, az: Option<&str>) -> ApiResult<()> {
    match az {
        Some(a) if !w.regions[r].azs.iter().any(|z| z == a) => Err(ApiError::ecs_bad(format!(
            "invalid availability_zone `{a}`: this region has {}",
            w.regions[r].azs.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Drops the flavors up to and with the `marker` one; a marker not in the list is refused.
fn after_marker(list: &mut Vec<&Flavor>, marker: Option<&str>) -> ApiResult<()> {
    if let Some(m) = marker {
        let i = list
            .iter()
            .position(|f| f.id == m)
            .ok_or_else(|| ApiError::ecs_bad(format!("invalid marker `{m}`: no such flavor")))?;
        list.drain(..=i);
    }
    Ok(())
}

pub async fn flavors(Project { sim, region: r, .. }: Project, q: Query) -> ApiResult<Json<Value>> {
    let limit = q.int(Svc::Ecs, "limit", 1, 1000, 1000)? as usize;
    let w = sim.world();
    check_az(&w, r, q.get("availability_zone"))?;
    let mut list: Vec<_> = w
        .flavors
        .iter()
        .filter(|f| q.get("flavor_id").is_none_or(|id| id == f.id))
        .collect();
    after_marker(&mut list, q.get("marker"))?;
    let azs = match q.get("availability_zone") {
        Some(a) => vec![a.to_owned()],
        None => w.regions[r].azs.clone(),
    };
    let project = &w.regions[r].project_id;
    let out: Vec<Value> = list
        .into_iter()
        .take(limit)
        .map(|f| render::flavor(f, &azs, project))
        .collect();
    Ok(Json(json!({"flavors": out})))
}

pub async fn resize_flavors(
    Project { sim, region: r, .. }: Project,
    q: Query,
) -> ApiResult<Json<Value>> {
    let limit = q.int(Svc::Ecs, "limit", 1, 1000, 1000)? as usize;
    let w = sim.world();
    let (source, az) = match (
        q.get("instance_uuid"),
        q.get("source_flavor_id").or(q.get("source_flavor_name")),
    ) {
        (Some(id), _) => {
            let s = found(&w, r, id)?;
            (s.flavor_id.to_string(), Some(s.az.to_string()))
        }
        (None, Some(f)) => {
            w.flavor(f).ok_or_else(|| {
                ApiError::ecs_bad(format!("invalid source flavor `{f}`: no such flavor"))
            })?;
            (f.to_owned(), None)
        }
        (None, None) => {
            return Err(ApiError::ecs_bad(
                "one of instance_uuid, source_flavor_id or source_flavor_name is required",
            ));
        }
    };
    let mut list: Vec<_> = w.flavors.iter().filter(|f| f.id != source).collect();
    let desc = match q.get("sort_dir") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(d) => {
            return Err(ApiError::ecs_bad(format!(
                "invalid sort_dir `{d}`: asc or desc"
            )));
        }
    };
    match q.get("sort_key").unwrap_or("flavorid") {
        "flavorid" | "name" => list.sort_by(|a, b| a.id.cmp(&b.id)),
        "memory_mb" => list.sort_by_key(|f| f.ram_mb),
        "vcpus" => list.sort_by_key(|f| f.vcpus),
        "root_gb" => {}
        k => {
            return Err(ApiError::ecs_bad(format!(
                "invalid sort_key `{k}`: flavorid, name, memory_mb, vcpus or root_gb"
            )));
        }
    }
    if desc {
        list.reverse();
    }
    after_marker(&mut list, q.get("marker"))?;
    let azs = az
        .map(|a| vec![a])
        .unwrap_or_else(|| w.regions[r].azs.clone());
    let project = &w.regions[r].project_id;
    let out: Vec<Value> = list
        .into_iter()
        .take(limit)
        .map(|f| {
            let mut v = render::flavor(f, &azs, project);
            v["extra_specs"] = v["os_extra_specs"].clone();
            v["instance_quota"] = json!({});
            v
        })
        .collect();
    Ok(Json(json!({"flavors": out})))
}

const STATUSES: [&str; 15] = [
    "ACTIVE",
    "BUILD",
    "ERROR",
    "HARD_REBOOT",
    "MIGRATING",
    "REBOOT",
    "REBUILD",
    "RESIZE",
    "REVERT_RESIZE",
    "SHUTOFF",
    "VERIFY_RESIZE",
    "DELETED",
    "SHELVED",
    "SHELVED_OFFLOADED",
    "UNKNOWN",
];

/// The documented status filter: an intermediate status also matches its base status.
fn status_matches(filter: &str, s: &Server) -> bool {
    let st = s.status.ecs(None);
    st.status == filter
        || (filter == "ACTIVE"
            && st.vm_state == "active"
            && ["REBOOT", "HARD_REBOOT", "RESIZE"].contains(&st.status))
        || (filter == "SHUTOFF" && st.vm_state == "stopped" && st.status == "RESIZE")
}

fn check_status(q: &Query) -> ApiResult<Option<String>> {
    match q.get("status") {
        None => Ok(None),
        Some(s) if STATUSES.contains(&s) => Ok(Some(s.to_owned())),
        Some(s) => Err(ApiError::ecs_bad(format!(
            "invalid status `{s}`: one of {}",
            STATUSES.join(", ")
        ))),
    }
}

fn tag_matches(s: &Server, spec: &str) -> bool {
    spec.split(',')
        .filter(|t| !t.is_empty())
        .all(|t| match t.split_once('=') {
            Some((k, v)) => s.tags.iter().any(|(a, b)| a == k && b == v),
            None => s.tags.iter().any(|(a, _)| a == t),
        })
}

/// The query parameters `filter` reads.
const FILTERS: [&str; 13] = [
    "name",
    "status",
    "flavor",
    "flavor_name",
    "image_id",
    "key_name",
    "availability_zone",
    "availability_zone_eq",
    "tags",
    "not-tags",
    "ip",
    "ip_eq",
    "reservation_id",
];

/// Whether the list is filtered (then it is walked whole; unfiltered, it is paged in place).
fn filtered(q: &Query) -> bool {
    FILTERS.iter().any(|k| q.get(k).is_some())
}

/// The filters the v1, v1.1 and Nova lists share.
fn filter<'a>(r: usize, q: &'a Query, status: &'a Option<String>) -> impl Fn(&Server) -> bool + 'a {
    let flavor_names = q.get("flavor").or(q.get("flavor_name")).map(str::to_owned);
    move |s: &Server| {
        s.region == r
            && q.get("name").is_none_or(|n| fuzzy(n, &s.name))
            && status.as_deref().is_none_or(|f| status_matches(f, s))
            && flavor_names.as_deref().is_none_or(|f| f == s.flavor_id)
            && q.get("image_id").is_none_or(|i| i == s.image_id)
            && q.get("key_name")
                .is_none_or(|k| s.key_name.as_deref() == Some(k))
            && q.get("availability_zone")
                .or(q.get("availability_zone_eq"))
                .is_none_or(|a| a == s.az)
            && q.get("tags").is_none_or(|t| tag_matches(s, t))
            && q.get("not-tags").is_none_or(|t| !tag_matches(s, t))
            && q.get("ip")
                .is_none_or(|ip| s.nics.iter().any(|n| n.ip.to_string().contains(ip)))
            && q.get("ip_eq")
                .is_none_or(|ip| s.nics.iter().any(|n| n.ip.to_string() == ip))
            && q.get("reservation_id")
                .is_none_or(|rid| rid == format!("r-{}", &s.id.to_string()[..8]))
    }
}

fn bad_marker(m: &str) -> ApiError {
    ApiError::ecs_bad(format!(
        "invalid marker `{m}`: no server with this id in the list"
    ))
}

/// The v1 list's answer.
#[derive(Serialize)]
struct CountedPage<'a> {
    count: usize,
    servers: Vec<ServerJson<'a>>,
}

/// The Nova list's answer.
#[derive(Serialize)]
struct LinkedPage<'a> {
    servers: Vec<ServerJson<'a>>,
    servers_links: Vec<Value>,
}

pub async fn list_v1(Project { sim, region: r, .. }: Project, q: Query) -> ApiResult<Response> {
    let limit = q.int(Svc::Ecs, "limit", 1, 1000, 25)? as usize;
    let page = q.int(Svc::Ecs, "offset", 0, u32::MAX as u64, 1)?.max(1) as usize;
    let status = check_status(&q)?;
    let w = sim.world();
    if let Some(ids) = q.get("server_id") {
        let servers: Vec<ServerJson> = ids
            .split(',')
            .map(str::trim)
            .filter_map(|id| w.server_in(r, id))
            .map(|s| server_v1(&w, s))
            .collect();
        let count = servers.len();
        return Ok(Json(CountedPage { count, servers }).into_response());
    }
    let marker = q.get("marker");
    let skip = if marker.is_some() {
        0
    } else {
        (page - 1) * limit
    };
    if !filtered(&q) {
        let servers: Vec<ServerJson> = newest(&w, r, marker, skip)?
            .take(limit)
            .map(|s| server_v1(&w, s))
            .collect();
        let count = w.servers.len_in(r);
        return Ok(Json(CountedPage { count, servers }).into_response());
    }
    let keep = filter(r, &q, &status);
    let mut count = 0usize;
    let mut servers = Vec::new();
    for s in newest(&w, r, marker, 0)?.filter(|s| keep(s)) {
        if count >= skip && servers.len() < limit {
            servers.push(server_v1(&w, s));
        }
        count += 1;
    }
    if marker.is_some() {
        count = w.servers.newest_in(r, 0).filter(|s| keep(s)).count();
    }
    Ok(Json(CountedPage { count, servers }).into_response())
}

/// Region `r`'s servers newest first: after `marker` when given (a marker that is not one of
/// the region's servers is a 400), else without the `skip` newest.
fn newest<'a>(
    w: &'a World,
    r: usize,
    marker: Option<&str>,
    skip: usize,
) -> ApiResult<Box<dyn Iterator<Item = &'a Server> + 'a>> {
    Ok(match marker {
        None => Box::new(w.servers.newest_in(r, skip)),
        Some(m) => Box::new(
            w.servers
                .newest_after_in(r, m)
                .ok_or_else(|| bad_marker(m))?,
        ),
    })
}

/// `servers_links`: a `next` link after the last server when more follow.
fn next_link(more: bool, page: &[&Server], path: &str, limit: usize) -> Vec<Value> {
    match (more, page.last()) {
        (true, Some(last)) => {
            vec![json!({"rel": "next", "href": format!("{path}?limit={limit}&marker={}", last.id)})]
        }
        _ => vec![],
    }
}

/// A server list paged by marker (v1.1, Nova): the page's servers as `render` writes them, and
/// its `servers_links` (`path` is the list's own path, for the next link).
fn marker_page<'a, T>(
    (w, r): (&'a World, usize),
    q: &Query,
    (limit, path): (usize, &str),
    keep: impl Fn(&Server) -> bool,
    render: impl Fn(&'a World, &'a Server) -> T,
) -> ApiResult<(Vec<T>, Vec<Value>)> {
    let mut page: Vec<&Server> = newest(w, r, q.get("marker"), 0)?
        .filter(|s| keep(s))
        .take(limit + 1)
        .collect();
    let more = page.len() > limit;
    page.truncate(limit);
    let links = next_link(more, &page, path, limit);
    Ok((page.into_iter().map(|s| render(w, s)).collect(), links))
}

pub async fn list_v11(
    Project {
        sim,
        region: r,
        request_id,
    }: Project,
    Path(p): P1,
    q: Query,
) -> ApiResult<Json<Value>> {
    let limit = q.int(Svc::Ecs, "limit", 1, 100, 10)? as usize;
    let status = check_status(&q)?;
    let w = sim.world();
    let keep = filter(r, &q, &status);
    let id = q.get("id").map(str::to_owned);
    let (servers, links) = marker_page(
        (&w, r),
        &q,
        (limit, &format!("/v1.1/{p}/cloudservers/detail")),
        |s| keep(s) && id.as_deref().is_none_or(|i| i == s.id),
        render_server::server_v11,
    )?;
    Ok(Json(
        json!({"request_id": request_id, "servers": servers, "servers_links": links}),
    ))
}

pub async fn list_nova(
    Project { sim, region: r, .. }: Project,
    Path(p): P1,
    q: Query,
) -> ApiResult<Response> {
    let limit = q.int(Svc::Ecs, "limit", 1, 1000, 1000)? as usize;
    let status = check_status(&q)?;
    let w = sim.world();
    let keep = filter(r, &q, &status);
    let path = format!("/v2.1/{p}/servers/detail");
    let (servers, servers_links) = marker_page((&w, r), &q, (limit, &path), keep, server_nova)?;
    Ok(Json(LinkedPage {
        servers,
        servers_links,
    })
    .into_response())
}

pub async fn show(p: Project, Path((_, id)): P2) -> ApiResult<Json<Value>> {
    show::show(p, ("server", &id), found, |w, s| json!(server_v1(w, s)))
}

pub async fn show_nova(p: Project, Path((_, id)): P2) -> ApiResult<Json<Value>> {
    show::show(p, ("server", &id), found, |w, s| json!(server_nova(w, s)))
}

pub async fn limits(Project { sim, region: r, .. }: Project) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let u = quota::usage(&w, r);
    let q = &w.regions[r].quota;
    Ok(Json(json!({"absolute": {
        "maxTotalInstances": q.instances, "totalInstancesUsed": u.instances,
        "maxTotalCores": q.cores, "totalCoresUsed": u.cores,
        "maxTotalRAMSize": q.ram_mb, "totalRAMUsed": u.ram_mb,
        "maxTotalKeypairs": 100, "maxServerGroups": 50, "totalServerGroupsUsed": 0, "maxServerGroupMembers": 16,
        "maxSecurityGroups": 100, "maxSecurityGroupRules": 5000, "maxTotalFloatingIps": 50,
        "maxServerMeta": 10, "maxImageMeta": 50, "maxPersonality": 5, "maxPersonalitySize": 10240,
        "limit_by_flavor": [], "maxTotalSpotInstances": 0, "maxTotalSpotCores": 0, "maxTotalSpotRAMSize": 0,
        "totalSpotInstancesUsed": 0, "totalSpotCoresUsed": 0, "totalSpotRAMUsed": 0,
        "totalFloatingIpsUsed": 0, "totalSecurityGroupsUsed": 1,
    }})))
}

fn attachment_json(w: &World, s: &Server, vid: &Uid) -> Option<Value> {
    let v = w.volumes.get(vid)?;
    let a = v.attachment.as_ref()?;
    let boot = if a.device == device_name(0) {
        json!(0)
    } else {
        Value::Null
    };
    let pos = s.volumes.iter().position(|x| x == vid).unwrap_or(0);
    Some(
        json!({"id": v.id, "volumeId": v.id, "serverId": s.id, "device": a.device, "bootIndex": boot,
                "size": v.size, "bus": "scsi", "pciAddress": format!("0000:02:{pos:02x}.0")}),
    )
}

pub async fn block_devices(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let s = found(&w, r, &id)?;
    let list: Vec<Value> = s
        .volumes
        .iter()
        .filter_map(|v| attachment_json(&w, s, v))
        .collect();
    let free = 24usize.saturating_sub(list.len());
    Ok(Json(
        json!({"attachableQuantity": {"free_scsi": free, "free_blk": 0, "free_disk": free}, "volumeAttachments": list}),
    ))
}

pub async fn block_device(
    Project { sim, region: r, .. }: Project,
    Path((_, id, vid)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let s = found(&w, r, &id)?;
    let a = s
        .volumes
        .iter()
        .find(|v| **v == vid)
        .and_then(|v| attachment_json(&w, s, v))
        .ok_or_else(|| ApiError::ecs_not_attached(&vid, &id))?;
    Ok(Json(json!({"volumeAttachment": a})))
}
