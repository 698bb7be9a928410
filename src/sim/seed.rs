//! The deterministic starting inventory: 3 regions × 3 AZs with Hyper-V hosts, flavors (some
//! sold out), public and private images, VPCs and subnets, and `--servers N` servers with disks.

use std::collections::BTreeMap;

use rand::Rng;

use super::clock::Millis;
use super::ids::{IdGen, device_name, ip_in, mac_from};
use super::keypairs;
use super::model::{
    Attachment, Flavor, Host, Image, Nic, Quota, Region, Server, Snapshot, Subnet, Volume, Vpc,
};
use super::sym::Sym;
use super::uid::Uid;
use super::vm::VmStatus;
use super::world::{Account, World};

const REGIONS: [(&str, &str); 3] = [
    ("cn-north-1", "CN North-Beijing1"),
    ("cn-east-2", "CN East-Shanghai2"),
    ("cn-south-1", "CN South-Guangzhou"),
];

const FLAVORS: [(&str, u64, u64); 8] = [
    ("hv1.small.1", 1, 1024),
    ("hv1.medium.2", 1, 2048),
    ("hv1.large.2", 2, 4096),
    ("hv1.xlarge.2", 4, 8192),
    ("hv1.large.4", 2, 8192),
    ("hv1.xlarge.4", 4, 16384),
    ("hv1.2xlarge.4", 8, 32768),
    ("hv1.4xlarge.4", 16, 65536),
];

/// (name, os_type, platform, os_version, min_disk GB, min_ram MB, size GB)
const IMAGES: [(&str, &str, &str, &str, u64, u64, u64); 6] = [
    (
        "Windows Server 2016 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2016 Datacenter 64bit",
        40,
        2048,
        14,
    ),
    (
        "Windows Server 2019 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2019 Datacenter 64bit",
        40,
        2048,
        15,
    ),
    (
        "Windows Server 2022 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2022 Datacenter 64bit",
        50,
        4096,
        17,
    ),
    (
        "CentOS 7.9 64bit",
        "Linux",
        "CentOS",
        "CentOS 7.9 64bit",
        20,
        1024,
        3,
    ),
    (
        "Ubuntu 22.04 server 64bit",
        "Linux",
        "Ubuntu",
        "Ubuntu 22.04 server 64bit",
        20,
        1024,
        3,
    ),
    (
        "Debian 12.0 64bit",
        "Linux",
        "Debian",
        "Debian 12.0 64bit",
        20,
        512,
        2,
    ),
];

const WORDS: [&str; 12] = [
    "web", "db", "app", "cache", "ad", "file", "sql", "iis", "build", "mq", "etl", "jump",
];

const OWNERS: [&str; 5] = ["ops", "dba", "web-team", "finance", "platform"];

/// Server `i`'s tags, as admins keep them: most carry `env` (prod, test or dev), many an `owner`
/// and an `app` (the role in the name); a few none.
fn seeded_tags(i: usize) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    if i % 7 != 6 {
        let env = ["prod", "test", "prod", "dev"][i % 4];
        tags.push(("env".to_owned(), env.to_owned()));
    }
    if i.is_multiple_of(2) {
        tags.push(("owner".to_owned(), OWNERS[i / 2 % OWNERS.len()].to_owned()));
    }
    if i % 3 != 2 {
        tags.push(("app".to_owned(), WORDS[i % WORDS.len()].to_owned()));
    }
    tags
}

/// The EVS disk types the simulated regions sell.
pub const VOLUME_TYPES: [&str; 3] = ["SAS", "SSD", "GPSSD"];

pub struct SeedOptions {
    pub seed: u64,
    pub servers: usize,
    pub speed: f64,
    pub user: String,
    pub domain: String,
}

/// Builds the whole inventory; `now` anchors the creation times.
pub fn generate(o: &SeedOptions, now: Millis) -> World {
    let mut g = IdGen::new(o.seed);
    let account = Account {
        domain_id: g.hex32(),
        domain_name: o.domain.clone(),
        user_id: g.hex32(),
        user_name: o.user.clone(),
    };
    let per_region = o.servers.div_ceil(REGIONS.len()) as u64;
    let quota = Quota {
        instances: (per_region * 2).max(200),
        cores: (per_region * 16).max(800),
        ram_mb: (per_region * 65_536).max(1_638_400),
        volumes: (per_region * 10).max(1000),
        gigabytes: (per_region * 2000).max(100_000),
        snapshots: (per_region * 2).max(500),
        images: 100,
    };
    let mut regions = Vec::new();
    let mut hosts = Vec::new();
    let mut vpcs = Vec::new();
    let mut subnets = Vec::new();
    let hosts_per_az = (o.servers as u64).div_ceil(9 * 30).max(4) as usize;
    for (ri, (name, locale)) in REGIONS.iter().enumerate() {
        let azs: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|s| format!("{name}{s}"))
            .collect();
        for (ai, az) in azs.iter().enumerate() {
            for h in 0..hosts_per_az {
                hosts.push(Host {
                    name: format!("hv-{name}{}-{h:03}", ["a", "b", "c"][ai]),
                    region: ri,
                    az: az.clone(),
                    cpu: 128,
                    ram_mb: 1_048_576,
                    storage_gb: 40_000,
                    used_cpu: 0,
                    used_ram_mb: 0,
                    used_storage_gb: 0,
                    maintenance: ai == 0 && h == hosts_per_az - 1,
                });
            }
        }
        let project_id = g.hex32();
        regions.push(Region {
            name: (*name).into(),
            locale: (*locale).into(),
            keypairs: keypairs::seeded(&project_id),
            project_id,
            azs: azs.clone(),
            quota,
        });
        for (vi, vname) in ["vpc-prod", "vpc-dev"].iter().enumerate() {
            let vpc_id = g.uid();
            let second = 10 + ri * 20 + vi * 10;
            vpcs.push(Vpc {
                id: vpc_id,
                name: (*vname).into(),
                cidr: format!("10.{second}.0.0/12"),
                region: ri,
            });
            for (si, az) in [None, Some(azs[0].clone())].into_iter().enumerate() {
                let cidr = format!("10.{}.0.0/16", second + si);
                subnets.push(Subnet {
                    id: g.uid(),
                    name: format!("{}-subnet-{}", vname.trim_start_matches("vpc-"), si + 1),
                    gateway_ip: ip_in(&cidr, 1).to_string(),
                    cidr,
                    vpc_id,
                    az,
                    region: ri,
                    neutron_subnet_id: g.uuid(),
                    next_ip: 10,
                });
            }
        }
    }
    let flavors: Vec<Flavor> = FLAVORS
        .iter()
        .map(|(id, vcpus, ram)| Flavor {
            id: (*id).into(),
            vcpus: *vcpus,
            ram_mb: *ram,
            sold_out: match *id {
                "hv1.4xlarge.4" => regions.iter().map(|r| r.azs[2].clone()).collect(),
                "hv1.2xlarge.4" => vec![regions[1].azs[1].clone()],
                _ => vec![],
            },
        })
        .collect();
    let mut w = World::new(
        o.seed, o.speed, account, regions, hosts, flavors, vpcs, subnets,
    );
    let two_years: Millis = 2 * 365 * 24 * 3600 * 1000;
    let mut public = Vec::new();
    for (name, os, platform, ver, min_disk, min_ram, gb) in IMAGES {
        let id = g.uid();
        public.push(id);
        w.images.insert(Image {
            id,
            name: name.into(),
            owner: None,
            os_type: os.into(),
            os_version: ver.into(),
            platform: platform.into(),
            os_bit: "64".into(),
            min_disk,
            min_ram,
            size_bytes: gb * 1_000_000_000,
            status: "active".into(),
            created: now - two_years - 86_400_000,
            updated: now - two_years,
            tags: vec![],
            description: String::new(),
            origin_server: None,
        });
    }
    for r in 0..w.regions.len() {
        let id = g.uid();
        w.images.insert(Image {
            id,
            name: format!("golden-win2019-{}", w.regions[r].name),
            owner: Some(r),
            os_type: "Windows".into(),
            os_version: "Windows Server 2019 Datacenter 64bit".into(),
            platform: "Windows".into(),
            os_bit: "64".into(),
            min_disk: 60,
            min_ram: 4096,
            size_bytes: 21_000_000_000,
            status: "active".into(),
            created: now - two_years / 2,
            updated: now - two_years / 2,
            tags: vec!["team.ops".into()],
            description: "baseline image".into(),
            origin_server: None,
        });
    }
    seed_servers(&mut w, &mut g, &public, o.servers, now);
    w
}

fn seed_servers(w: &mut World, g: &mut IdGen, images: &[Uid], n: usize, now: Millis) {
    let span: Millis = 2 * 365 * 24 * 3600 * 1000;
    let mut next_host = vec![0usize; w.regions.len() * 3];
    let az_hosts: Vec<Vec<usize>> = (0..w.regions.len() * 3)
        .map(|k| {
            let (r, a) = (k / 3, k % 3);
            let az = &w.regions[r].azs[a];
            (0..w.hosts.len())
                .filter(|&i| {
                    w.hosts[i].region == r && &w.hosts[i].az == az && !w.hosts[i].maintenance
                })
                .collect()
        })
        .collect();
    let image_meta: Vec<(u64, u64)> = images
        .iter()
        .filter_map(|id| w.images.get(id).map(|i| (i.min_disk, i.size_bytes)))
        .collect();
    w.servers.reserve(n);
    w.volumes.reserve(n * 3);
    for i in 0..n {
        let created = now - span + (span / (n as Millis + 1)) * (i as Millis + 1);
        let r = i % w.regions.len();
        let a = g.rng().random_range(0..3usize);
        let az = Sym::new(&w.regions[r].azs[a]);
        let flavor = loop {
            let f = &w.flavors[g.rng().random_range(0..w.flavors.len())];
            if !f.sold_out.iter().any(|z| *z == az) {
                break f.clone();
            }
        };
        let ii = g.rng().random_range(0..images.len());
        let image = images[ii];
        let min_disk = image_meta.get(ii).map(|m| m.0).unwrap_or(40);
        let k = r * 3 + a;
        let host_i = az_hosts[k][next_host[k] % az_hosts[k].len()];
        next_host[k] += 1;
        let roll: f64 = g.rng().random();
        let status = if roll < 0.72 {
            VmStatus::Running
        } else if roll < 0.97 {
            VmStatus::PowerOff
        } else {
            VmStatus::CreationFailed
        };
        let id = g.uid();
        let name = format!("ecs-{}-{:05}", WORDS[i % WORDS.len()], i);
        let subnet = {
            let cands: Vec<usize> = (0..w.subnets.len())
                .filter(|&k| {
                    let s = &w.subnets[k];
                    s.region == r && s.az.as_ref().is_none_or(|z| *z == az)
                })
                .collect();
            cands[g.rng().random_range(0..cands.len())]
        };
        let sn = &mut w.subnets[subnet];
        sn.next_ip += 1;
        let port_id = g.uid();
        let nic = Nic {
            subnet_id: sn.id,
            vpc_id: sn.vpc_id,
            ip: ip_in(&sn.cidr, sn.next_ip),
            mac: mac_from(port_id.to_string().as_bytes()),
            port_id,
        };
        let data_disks = g.rng().random_range(0..4usize);
        let mut volumes = Vec::with_capacity(1 + data_disks);
        let mut disk_gb = 0;
        for d in 0..=data_disks {
            let vid = g.uid();
            let size = if d == 0 {
                min_disk.max(40)
            } else {
                [10, 50, 100, 200, 500][g.rng().random_range(0..5usize)]
            };
            disk_gb += size;
            w.volumes.insert(Volume {
                id: vid,
                name: format!("{name}-volume-{d:04}"),
                description: String::new(),
                region: r,
                az,
                size,
                volume_type: VOLUME_TYPES[g.rng().random_range(0..3usize)].into(),
                bootable: d == 0,
                status: "in-use".into(),
                attachment: Some(Attachment {
                    server_id: id,
                    attachment_id: g.uid(),
                    device: device_name(d).into(),
                    attached_at: created,
                }),
                image_id: (d == 0).then_some(image),
                snapshot_id: None,
                created,
                updated: created,
            });
            if g.rng().random_range(0..20) == 0 {
                seed_snapshot(w, g, vid, r, size, created);
            }
            volumes.push(vid);
        }
        let host = &mut w.hosts[host_i];
        host.used_cpu += flavor.vcpus;
        host.used_ram_mb += flavor.ram_mb;
        host.used_storage_gb += disk_gb;
        let host = Sym::new(&host.name);
        let tags = seeded_tags(i);
        let failed = status == VmStatus::CreationFailed;
        w.servers.insert(Server {
            id,
            name,
            description: String::new(),
            region: r,
            az,
            host,
            flavor_id: flavor.id.into(),
            image_id: image,
            vpc_id: nic.vpc_id,
            nics: vec![nic],
            volumes,
            status,
            task: None,
            locked_by: None,
            fault: failed.then(|| super::model::Fault {
                code: 500,
                message: "Error (12700): VMM cannot complete the host operation on the server"
                    .into(),
                created,
            }),
            tags,
            metadata: BTreeMap::new(),
            key_name: None,
            created,
            updated: created,
            launched_at: (!failed).then_some(created + 90_000),
            instance_name: format!("instance-{i:08x}"),
        });
        if i % 10 == 0 {
            let vid = g.uid();
            let size = [10, 50, 100][i % 3];
            w.volumes.insert(Volume {
                id: vid,
                name: format!("spare-{i:05}"),
                description: String::new(),
                region: r,
                az,
                size,
                volume_type: "SAS".into(),
                bootable: false,
                status: "available".into(),
                attachment: None,
                image_id: None,
                snapshot_id: None,
                created,
                updated: created,
            });
        }
    }
}

fn seed_snapshot(w: &mut World, g: &mut IdGen, volume: Uid, r: usize, size: u64, at: Millis) {
    w.snapshots.insert(Snapshot {
        id: g.uid(),
        name: format!("snap-{}", &volume.to_string()[..8]),
        description: String::new(),
        region: r,
        volume_id: volume,
        size,
        status: "available".into(),
        progress: 100,
        metadata: BTreeMap::new(),
        created: at + 3_600_000,
        updated: at + 3_600_000,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(seed: u64, servers: usize) -> SeedOptions {
        SeedOptions {
            seed,
            servers,
            speed: 1.0,
            user: "u".into(),
            domain: "d".into(),
        }
    }

    #[test]
    fn same_seed_same_inventory_other_seed_other_ids() {
        let a = generate(&opts(1, 50), 1_700_000_000_000);
        let b = generate(&opts(1, 50), 1_700_000_000_000);
        let c = generate(&opts(2, 50), 1_700_000_000_000);
        let ids = |w: &World| w.servers.iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_ne!(ids(&a), ids(&c));
        assert_eq!(a.servers.len(), 50);
        assert_eq!(a.regions.len(), 3);
        assert!(
            a.regions
                .iter()
                .all(|r| r.azs.len() == 3 && r.project_id.len() == 32)
        );
        assert!(a.hosts.iter().any(|h| h.maintenance));
        for s in a.servers.iter() {
            let boot = a.volumes.get(&s.volumes[0]).unwrap();
            assert!(boot.bootable && boot.attachment.as_ref().unwrap().server_id == s.id);
            assert!(
                !a.flavor(&s.flavor_id)
                    .unwrap()
                    .sold_out
                    .iter()
                    .any(|z| *z == s.az)
            );
        }
    }
}
