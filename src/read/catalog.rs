//! What a server may be made of, as typed records: flavors (with their sale state per AZ), images
//! (with their minimum disk and RAM), VPCs with their subnets, and the quotas. The create form,
//! the resize picker and the `:flavors`, `:networks`, `:quotas` views read these.

use crate::gateway::model::{ComputeQuota, Flavor, Image, QuotaUsage, Subnet, Vpc};

/// A flavor: its size, and whether new servers may use it (overall and per AZ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlavorInfo {
    pub id: String,
    pub name: String,
    pub vcpus: u32,
    pub ram_mb: u64,
    /// The flavor's own disk, GB (0 on ECS: the system disk is an EVS volume).
    pub disk_gb: u64,
    /// `normal` when the API gives none; `abandon` or `sellout` take it off sale everywhere.
    pub sale_state: String,
    /// Each AZ named in `cond:operation:az`, with its state there.
    pub sale_by_az: Vec<(String, String)>,
    pub disabled: bool,
    /// `ecs:performancetype` (`normal`, `computingv3`…), empty when not given.
    pub performance: String,
}

fn sale_ok(state: &str) -> bool {
    !matches!(state, "abandon" | "sellout")
}

impl FlavorInfo {
    /// Whether a new server in `az` may use it (api.md §3: `abandon`/`sellout` hide a flavor, overall
    /// or in its AZ entry).
    pub fn on_sale_in(&self, az: &str) -> bool {
        !self.disabled
            && sale_ok(&self.sale_state)
            && self
                .sale_by_az
                .iter()
                .find(|(a, _)| a == az)
                .is_none_or(|(_, s)| sale_ok(s))
    }

    /// "2 vCPU · 4 GB".
    pub fn size_text(&self) -> String {
        format!("{} vCPU · {}", self.vcpus, ram_text(self.ram_mb))
    }
}

/// MB as people read them: "512 MB", "4 GB", "1.5 GB".
pub fn ram_text(mb: u64) -> String {
    if mb < 1024 {
        format!("{mb} MB")
    } else if mb.is_multiple_of(1024) {
        format!("{} GB", mb / 1024)
    } else {
        format!("{:.1} GB", mb as f64 / 1024.0)
    }
}

/// An image as the create form needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub id: String,
    pub name: String,
    /// `active` images only can make servers.
    pub status: String,
    /// "Windows Server 2019 64bit", or the OS type when no version is given.
    pub os: String,
    /// `gold`, `private`, `shared`, `market`.
    pub image_type: String,
    pub min_disk_gb: u64,
    pub min_ram_mb: u64,
}

/// A subnet and the AZ it serves (`None`: every AZ of the region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetInfo {
    pub id: String,
    pub name: String,
    pub cidr: String,
    pub gateway_ip: String,
    pub az: Option<String>,
    pub status: String,
}

impl SubnetInfo {
    pub fn serves(&self, az: &str) -> bool {
        self.az.as_deref().is_none_or(|a| a == az)
    }
}

/// A VPC with its subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInfo {
    pub id: String,
    pub name: String,
    pub cidr: String,
    pub status: String,
    pub subnets: Vec<SubnetInfo>,
}

impl NetworkInfo {
    /// The subnets that serve `az`.
    pub fn subnets_in<'a>(&'a self, az: &'a str) -> impl Iterator<Item = &'a SubnetInfo> + 'a {
        self.subnets.iter().filter(move |s| s.serves(az))
    }
}

/// One quota: what is used of how much. `limit: None` or `-1` from the API: no limit known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub used: u64,
    /// `None`: unlimited (or not reported).
    pub limit: Option<u64>,
}

impl Usage {
    pub fn of(used: Option<i64>, limit: Option<i64>) -> Usage {
        Usage {
            used: used.unwrap_or(0).max(0) as u64,
            limit: limit.filter(|l| *l >= 0).map(|l| l as u64),
        }
    }

    /// What is left (`None`: no limit).
    pub fn headroom(&self) -> Option<u64> {
        self.limit.map(|l| l.saturating_sub(self.used))
    }

    /// "12 of 50", "12 (no limit)".
    pub fn text(&self) -> String {
        match self.limit {
            Some(l) => format!("{} of {l}", self.used),
            None => format!("{} (no limit)", self.used),
        }
    }
}

/// The project's quotas in the region: ECS (instances, cores, RAM) and EVS (volumes, gigabytes, and
/// per volume type, as the API names them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quotas {
    pub instances: Usage,
    pub cores: Usage,
    pub ram_mb: Usage,
    /// EVS lines by name (`volumes`, `gigabytes`, `snapshots`, `volumes_SSD`…), sorted by name.
    pub storage: Vec<(String, Usage)>,
    /// IMS private images (`None`: not read).
    pub images: Option<Usage>,
}

impl Quotas {
    pub fn storage(&self, name: &str) -> Option<Usage> {
        self.storage
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, u)| *u)
    }

    /// The disk types the region sells: those its EVS quota names (`volumes_SSD` → `SSD`), sorted.
    pub fn volume_types(&self) -> Vec<String> {
        self.storage
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("volumes_"))
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// How many servers of `vcpus` and `ram_mb` still fit, each with `disks` volumes (`None`: no
    /// limit applies).
    pub fn servers_that_fit(&self, vcpus: u32, ram_mb: u64, disks: u64) -> Option<u64> {
        let per = |room: Option<u64>, each: u64| room.map(|r| r.checked_div(each).unwrap_or(r));
        [
            self.instances.headroom(),
            per(self.cores.headroom(), u64::from(vcpus)),
            per(self.ram_mb.headroom(), ram_mb),
            per(self.storage("volumes").and_then(|u| u.headroom()), disks),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

/// Everything the create form chooses from, read in one go for the region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// The region's AZs that are available.
    pub azs: Vec<String>,
    pub flavors: Vec<FlavorInfo>,
    /// Active images only.
    pub images: Vec<ImageInfo>,
    pub networks: Vec<NetworkInfo>,
    pub quotas: Quotas,
    /// The project's key pair names, sorted; `None` when they could not be listed (a gateway
    /// without `os-keypairs`): the form then takes a typed name.
    pub keypairs: Option<Vec<String>>,
}

impl Catalog {
    pub fn flavor(&self, id: &str) -> Option<&FlavorInfo> {
        self.flavors.iter().find(|f| f.id == id)
    }

    pub fn image(&self, id: &str) -> Option<&ImageInfo> {
        self.images.iter().find(|i| i.id == id)
    }

    /// Flavors a new server in `az` may use, smallest first.
    pub fn flavors_in<'a>(&'a self, az: &'a str) -> impl Iterator<Item = &'a FlavorInfo> + 'a {
        self.flavors.iter().filter(move |f| f.on_sale_in(az))
    }
}

// --- from the gateway's models ---------------------------------------------------------------

pub fn flavor_info(f: &Flavor) -> FlavorInfo {
    let spec = |k: &str| f.os_extra_specs.get(k).cloned().unwrap_or_default();
    let state = spec("cond:operation:status");
    FlavorInfo {
        id: f.id.clone(),
        name: f.name.clone(),
        vcpus: u32::try_from(f.vcpus).unwrap_or(u32::MAX),
        ram_mb: f.ram,
        disk_gb: f.disk,
        sale_state: if state.trim().is_empty() {
            "normal".to_owned()
        } else {
            state.trim().to_owned()
        },
        sale_by_az: f
            .sale_by_az()
            .into_iter()
            .map(|(az, s)| (az, sale_text(&s)))
            .collect(),
        disabled: f.disabled,
        performance: spec("ecs:performancetype"),
    }
}

fn sale_text(s: &crate::gateway::model::SaleState) -> String {
    use crate::gateway::model::SaleState as S;
    match s {
        S::Normal => "normal".into(),
        S::Abandon => "abandon".into(),
        S::Sellout => "sellout".into(),
        S::Obt => "obt".into(),
        S::Promotion => "promotion".into(),
        S::Other(o) => o.clone(),
    }
}

/// Flavors smallest first (vCPU, then RAM, then name).
pub fn flavor_infos(list: &[Flavor]) -> Vec<FlavorInfo> {
    let mut out: Vec<FlavorInfo> = list.iter().map(flavor_info).collect();
    out.sort_by(|a, b| (a.vcpus, a.ram_mb, &a.name).cmp(&(b.vcpus, b.ram_mb, &b.name)));
    out
}

pub fn image_info(i: &Image) -> ImageInfo {
    ImageInfo {
        id: i.id.clone(),
        name: i.name.clone(),
        status: i.status.clone(),
        os: super::records::os_text(i),
        image_type: i.image_type.clone(),
        min_disk_gb: i.min_disk,
        min_ram_mb: i.min_ram,
    }
}

/// VPCs by name, each with its subnets (by name); subnets of no listed VPC are dropped.
pub fn network_infos(vpcs: &[Vpc], subnets: &[Subnet]) -> Vec<NetworkInfo> {
    let mut out: Vec<NetworkInfo> = vpcs
        .iter()
        .map(|v| {
            let mut subs: Vec<SubnetInfo> = subnets
                .iter()
                .filter(|s| s.vpc_id == v.id)
                .map(|s| SubnetInfo {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    cidr: s.cidr.clone(),
                    gateway_ip: s.gateway_ip.clone(),
                    az: (!s.availability_zone.is_empty()).then(|| s.availability_zone.clone()),
                    status: s.status.clone(),
                })
                .collect();
            subs.sort_by(|a, b| a.name.cmp(&b.name));
            NetworkInfo {
                id: v.id.clone(),
                name: v.name.clone(),
                cidr: v.cidr.clone(),
                status: v.status.clone(),
                subnets: subs,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

pub fn quotas(compute: &ComputeQuota, storage: &[(String, QuotaUsage)]) -> Quotas {
    let mut storage: Vec<(String, Usage)> = storage
        .iter()
        .map(|(n, u)| (n.clone(), Usage::of(u.in_use, u.limit)))
        .collect();
    storage.sort_by(|a, b| a.0.cmp(&b.0));
    Quotas {
        instances: Usage::of(compute.instances_used, compute.max_instances),
        cores: Usage::of(compute.cores_used, compute.max_cores),
        ram_mb: Usage::of(compute.ram_used_mb, compute.max_ram_mb),
        storage,
        images: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flavor(id: &str, specs: &[(&str, &str)]) -> Flavor {
        Flavor {
            id: id.into(),
            name: id.into(),
            vcpus: 2,
            ram: 4096,
            os_extra_specs: specs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            ..Flavor::default()
        }
    }

    #[test]
    fn a_flavor_sold_out_in_an_az_is_not_on_sale_there() {
        let f = flavor_info(&flavor(
            "hv1.large.2",
            &[("cond:operation:az", "az1(normal),az2(sellout)")],
        ));
        assert!(f.on_sale_in("az1"));
        assert!(!f.on_sale_in("az2"));
        assert!(
            f.on_sale_in("az3"),
            "an AZ not named follows the overall state"
        );
        let gone = flavor_info(&flavor("old", &[("cond:operation:status", "abandon")]));
        assert!(!gone.on_sale_in("az1"));
        assert_eq!(f.size_text(), "2 vCPU · 4 GB");
    }

    #[test]
    fn quotas_give_the_servers_that_still_fit() {
        let q = Quotas {
            instances: Usage::of(Some(8), Some(10)),
            cores: Usage::of(Some(10), Some(20)),
            ram_mb: Usage::of(Some(0), Some(-1)),
            storage: vec![("volumes".into(), Usage::of(Some(4), Some(10)))],
            images: None,
        };
        // 2 instances left; 10 cores / 4 = 2; volumes 6 / 2 = 3
        assert_eq!(q.servers_that_fit(4, 4096, 2), Some(2));
        assert_eq!(q.servers_that_fit(8, 4096, 1), Some(1));
        assert_eq!(q.ram_mb.text(), "0 (no limit)");
        assert_eq!(Quotas::default().servers_that_fit(1, 1, 1), None);
    }

    #[test]
    fn subnets_serve_their_az_or_every_az() {
        let vpc = Vpc {
            id: "v".into(),
            name: "prod".into(),
            ..Vpc::default()
        };
        let sub = |id: &str, az: &str| Subnet {
            id: id.into(),
            name: id.into(),
            vpc_id: "v".into(),
            availability_zone: az.into(),
            ..Subnet::default()
        };
        let nets = network_infos(&[vpc], &[sub("b", "az2"), sub("a", ""), sub("c", "az1")]);
        let ids: Vec<&str> = nets[0].subnets_in("az1").map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
    }
}
