//! The create-server body (api.md §4) and its checks: image, flavor, network, disks, AZ, count,
//! and the project quotas; yields one `CreateSpec` per server. Also the server-name rule.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::sim::error::{ApiError, ApiResult};
use crate::sim::quota;
use crate::sim::sym::Sym;
use crate::sim::task::CreateSpec;
use crate::sim::world::World;

#[derive(Deserialize)]
pub struct CreateBody {
    pub server: ServerBody,
    pub dry_run: Option<bool>,
}

#[derive(Deserialize)]
pub struct ServerBody {
    name: String,
    #[serde(rename = "imageRef")]
    image_ref: String,
    #[serde(rename = "flavorRef")]
    flavor_ref: String,
    vpcid: String,
    nics: Vec<NicBody>,
    root_volume: VolumeBody,
    #[serde(default)]
    data_volumes: Vec<VolumeBody>,
    availability_zone: Option<String>,
    count: Option<u64>,
    #[serde(rename = "isAutoRename")]
    is_auto_rename: Option<bool>,
    key_name: Option<String>,
    /// Accepted (and type-checked); the simulated guest has no password to set.
    #[serde(rename = "adminPass")]
    #[allow(dead_code)]
    admin_pass: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    server_tags: Vec<TagBody>,
    description: Option<String>,
    pub extendparam: Option<ExtendParam>,
}

#[derive(Deserialize)]
pub struct ExtendParam {
    #[serde(rename = "chargingMode")]
    pub charging_mode: Option<String>,
}

#[derive(Deserialize)]
struct NicBody {
    subnet_id: String,
}

#[derive(Deserialize)]
struct VolumeBody {
    volumetype: String,
    size: Option<u64>,
}

#[derive(Deserialize)]
struct TagBody {
    key: String,
    value: String,
}

const VOLUME_TYPES: [&str; 7] = ["SATA", "SAS", "SSD", "GPSSD", "ESSD", "GPSSD2", "ESSD2"];

fn volume_type(t: &str) -> ApiResult<Sym> {
    if VOLUME_TYPES.contains(&t) {
        Ok(Sym::new(t))
    } else {
        Err(ApiError::ecs_bad(format!(
            "invalid volumetype `{t}`: one of {}",
            VOLUME_TYPES.join(", ")
        )))
    }
}

/// The ECS rule for a server name (create, update, rename): 1 to 64 letters, digits, `_-.`.
pub fn check_name(name: &str) -> ApiResult<()> {
    let n = name.chars().count();
    let ok_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || "_-.".contains(c));
    if !(1..=64).contains(&n) || !ok_chars {
        return Err(ApiError::ecs_bad(format!(
            "invalid name `{name}`: 1 to 64 characters, letters, digits, _ - . or Chinese characters"
        )));
    }
    Ok(())
}

/// Checks a create body against the inventory and the quotas.
pub fn validate_create(w: &mut World, r: usize, req: &CreateBody) -> ApiResult<Vec<CreateSpec>> {
    let s = &req.server;
    check_name(&s.name)?;
    let count = s.count.unwrap_or(1);
    if !(1..=100).contains(&count) {
        return Err(ApiError::ecs_bad(format!(
            "invalid count {count}: 1 to 100"
        )));
    }
    let image = w.image_for(r, &s.image_ref).cloned().ok_or_else(|| {
        ApiError::ecs_bad(format!("invalid imageRef `{}`: no such image", s.image_ref))
    })?;
    if image.status != "active" {
        return Err(ApiError::ecs_bad(format!(
            "image {} is {}, not active",
            image.id, image.status
        )));
    }
    let flavor = w.flavor(&s.flavor_ref).cloned().ok_or_else(|| {
        ApiError::ecs_bad(format!(
            "invalid flavorRef `{}`: no such flavor",
            s.flavor_ref
        ))
    })?;
    if flavor.ram_mb < image.min_ram {
        return Err(ApiError::ecs_bad(format!(
            "flavor {} has {} MB memory; image {} needs at least {} MB",
            flavor.id, flavor.ram_mb, image.name, image.min_ram
        )));
    }
    if !w.vpcs.iter().any(|v| v.region == r && v.id == s.vpcid) {
        return Err(ApiError::ecs_bad(format!(
            "invalid vpcid `{}`: no such VPC",
            s.vpcid
        )));
    }
    if let Some(k) = &s.key_name
        && !w.regions[r].keypairs.iter().any(|p| &p.name == k)
    {
        // Ecs.0005 (invalid parameter): the code api.md documents for bad create input.
        return Err(ApiError::ecs_bad(format!(
            "invalid key_name `{k}`: no key pair of that name in this project"
        )));
    }
    if s.nics.is_empty() || s.nics.len() > 12 {
        return Err(ApiError::ecs_bad("nics must list 1 to 12 subnets"));
    }
    let azs = w.regions[r].azs.clone();
    let az = match &s.availability_zone {
        Some(a) if azs.contains(a) => a.clone(),
        Some(a) => {
            return Err(ApiError::ecs_bad(format!(
                "invalid availability_zone `{a}`: this region has {}",
                azs.join(", ")
            )));
        }
        None => {
            let mut best: Option<(u64, String)> = None;
            for a in azs.iter().filter(|a| !flavor.sold_out.contains(a)) {
                let free: u64 = w
                    .hosts
                    .iter()
                    .filter(|h| h.region == r && &h.az == a && !h.maintenance)
                    .map(|h| h.free_ram_mb())
                    .sum();
                if best.as_ref().is_none_or(|(f, _)| free > *f) {
                    best = Some((free, a.clone()));
                }
            }
            best.map(|(_, a)| a).ok_or_else(|| {
                ApiError::ecs_bad(format!("flavor {} is sold out in every AZ", flavor.id))
            })?
        }
    };
    if flavor.sold_out.contains(&az) {
        return Err(ApiError::ecs_bad(format!(
            "flavor {} is sold out in {az}",
            flavor.id
        )));
    }
    let mut subnets = Vec::new();
    for n in &s.nics {
        let sn = w.subnet(r, &n.subnet_id).ok_or_else(|| {
            ApiError::ecs_bad(format!(
                "invalid nics.subnet_id `{}`: no such subnet",
                n.subnet_id
            ))
        })?;
        if sn.vpc_id != s.vpcid {
            return Err(ApiError::ecs_bad(format!(
                "subnet {} is not in VPC {}",
                sn.id, s.vpcid
            )));
        }
        if sn.az.as_ref().is_some_and(|z| z != &az) {
            return Err(ApiError::ecs_bad(format!(
                "subnet {} serves only {}, not {az}",
                sn.id,
                sn.az.clone().unwrap_or_default()
            )));
        }
        subnets.push(sn.id.to_string());
    }
    let root_size = s.root_volume.size.unwrap_or(image.min_disk.max(40));
    if root_size < image.min_disk || root_size > 1024 {
        return Err(ApiError::ecs_bad(format!(
            "invalid root_volume.size {root_size}: from the image's min_disk {} to 1024 GB",
            image.min_disk
        )));
    }
    let root = (volume_type(&s.root_volume.volumetype)?, root_size);
    if s.data_volumes.len() > 23 {
        return Err(ApiError::ecs_bad("data_volumes holds at most 23 disks"));
    }
    let mut data = Vec::new();
    for d in &s.data_volumes {
        let size = d
            .size
            .ok_or_else(|| ApiError::ecs_bad("data_volumes[].size is required"))?;
        if !(10..=32768).contains(&size) {
            return Err(ApiError::ecs_bad(format!(
                "invalid data volume size {size}: 10 to 32768 GB"
            )));
        }
        data.push((volume_type(&d.volumetype)?, size));
    }
    if s.metadata.len() > 10 {
        return Err(ApiError::ecs_bad("metadata holds at most 10 pairs"));
    }
    if s.server_tags
        .iter()
        .any(|t| t.key.is_empty() || t.value.is_empty())
    {
        return Err(ApiError::ecs_bad(
            "server_tags: a tag key or value is empty",
        ));
    }
    let description = s.description.clone().unwrap_or_default();
    if description.chars().count() > 85 {
        return Err(ApiError::ecs_bad(
            "description is longer than 85 characters",
        ));
    }
    let u = quota::usage(w, r);
    let q = &w.regions[r].quota;
    let quota_err = |what: &str, want: u64, used: u64, max: u64| {
        ApiError::service(
            403,
            "Ecs.0605",
            format!(
                "Quota exceeded for {what}: Requested {want}, but already used {used} of {max} {what}"
            ),
        )
    };
    if u.instances + count > q.instances {
        return Err(quota_err("instances", count, u.instances, q.instances));
    }
    if u.cores + count * flavor.vcpus > q.cores {
        return Err(quota_err("cores", count * flavor.vcpus, u.cores, q.cores));
    }
    if u.ram_mb + count * flavor.ram_mb > q.ram_mb {
        return Err(quota_err("ram", count * flavor.ram_mb, u.ram_mb, q.ram_mb));
    }
    let disks = 1 + data.len() as u64;
    if u.volumes + count * disks > q.volumes {
        return Err(quota_err("volumes", count * disks, u.volumes, q.volumes));
    }
    let rename = count > 1 && s.is_auto_rename.unwrap_or(true);
    let tags: Vec<(String, String)> = s
        .server_tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    Ok((1..=count)
        .map(|i| CreateSpec {
            server_id: w.new_uuid().to_string(),
            name: if rename {
                format!("{}-{i:04}", s.name)
            } else {
                s.name.clone()
            },
            description: description.clone(),
            region: r,
            az: az.as_str().into(),
            flavor: flavor.id.as_str().into(),
            image: image.id.to_string(),
            vpc: s.vpcid.clone(),
            subnets: subnets.clone(),
            root,
            data: data.clone(),
            key_name: s.key_name.clone(),
            metadata: s.metadata.clone(),
            tags: tags.clone(),
        })
        .collect())
}
