//! The server wire shapes (api.md §3): ECS v1 and Nova written straight from the model by serde
//! (no JSON tree per server: a page of 1000 costs its bytes), v1.1 and the update answer.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Value, json};

use super::clock::{iso_micros_nozone, iso_seconds};
use super::ids::device_name;
use super::model::{Nic, Server, Volume};
use super::uid::Uid;
use super::world::World;

/// The API a server is written for: ECS v1 (`/v1/{p}/cloudservers`) or Nova (`/v2.1/{p}/servers`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    V1,
    Nova,
}

/// A server as ECS v1 or Nova writes it; serializing it writes the JSON object, its keys in
/// byte order (as a `serde_json` map writes them).
pub struct ServerJson<'a> {
    w: &'a World,
    s: &'a Server,
    api: Api,
}

/// ECS v1 `ServerDetail` (show and `/v1/{p}/cloudservers/detail`).
pub fn server_v1<'a>(w: &'a World, s: &'a Server) -> ServerJson<'a> {
    ServerJson { w, s, api: Api::V1 }
}

/// Nova `/v2.1/{p}/servers/detail` item (numbers where v1 has strings, `links`).
pub fn server_nova<'a>(w: &'a World, s: &'a Server) -> ServerJson<'a> {
    ServerJson {
        w,
        s,
        api: Api::Nova,
    }
}

/// `addresses`: the server's NICs by VPC id. `version` is a string in ECS v1 (`"4"`) and a
/// number in Nova and v1.1.
struct Addresses<'a> {
    s: &'a Server,
    version_as_string: bool,
}

impl Serialize for Addresses<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        // Ids order as their strings do (fixed-width lowercase hex).
        let mut by_vpc: BTreeMap<Uid, Vec<NicJson<'_>>> = BTreeMap::new();
        for nic in &self.s.nics {
            by_vpc.entry(nic.vpc_id).or_default().push(NicJson {
                nic,
                version_as_string: self.version_as_string,
            });
        }
        by_vpc.serialize(ser)
    }
}

struct NicJson<'a> {
    nic: &'a Nic,
    version_as_string: bool,
}

impl Serialize for NicJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let n = self.nic;
        let mut m = ser.serialize_map(Some(5))?;
        m.serialize_entry("OS-EXT-IPS-MAC:mac_addr", &n.mac)?;
        m.serialize_entry("OS-EXT-IPS:port_id", &n.port_id)?;
        m.serialize_entry("OS-EXT-IPS:type", "fixed")?;
        m.serialize_entry("addr", &n.ip)?;
        if self.version_as_string {
            m.serialize_entry("version", "4")?;
        } else {
            m.serialize_entry("version", &4)?;
        }
        m.end()
    }
}

/// `metadata`: the server's own keys, then the billing and image keys ECS adds.
fn metadata<'a>(w: &'a World, s: &'a Server) -> BTreeMap<&'a str, Cow<'a, str>> {
    let mut m: BTreeMap<&str, Cow<str>> = s
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), Cow::Borrowed(v.as_str())))
        .collect();
    m.insert("charging_mode", Cow::Borrowed("0"));
    m.insert("vpc_id", Cow::Owned(s.vpc_id.to_string()));
    if let Some(img) = w.images.get(&s.image_id) {
        m.insert("image_name", Cow::Borrowed(&img.name));
        m.insert("os_type", Cow::Borrowed(&img.os_type));
        m.insert("os_bit", Cow::Borrowed(&img.os_bit));
        m.insert("metering.image_id", Cow::Owned(img.id.to_string()));
        let kind = if img.owner.is_some() {
            "private"
        } else {
            "gold"
        };
        m.insert("metering.imagetype", Cow::Borrowed(kind));
    }
    let os = if m.get("os_type").map(|v| v.as_ref()) == Some("Windows") {
        "win"
    } else {
        "linux"
    };
    m.insert(
        "metering.resourcespeccode",
        Cow::Owned(format!("{}.{os}", s.flavor_id)),
    );
    m
}

/// The server's flavor's vCPUs and RAM (MB); zeros when the flavor is gone.
fn cores_and_ram(w: &World, s: &Server) -> (u64, u64) {
    w.flavor(&s.flavor_id)
        .map(|f| (f.vcpus, f.ram_mb))
        .unwrap_or((0, 0))
}

/// ECS `bootIndex` of an attachment at `device`: `"0"` for the system disk, else `""`.
fn boot_index(device: &str) -> &'static str {
    if device == device_name(0) { "0" } else { "" }
}

/// The server's attached disks with their devices.
fn attached<'a>(w: &'a World, s: &Server) -> Vec<(&'a Volume, &'a str)> {
    s.volumes
        .iter()
        .filter_map(|id| w.volumes.get(id))
        .filter_map(|v| v.attachment.as_ref().map(|a| (v, a.device.as_str())))
        .collect()
}

/// `tags`: `key=value` strings.
struct Tags<'a>(&'a Server);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.tags.iter().map(|(k, v)| format!("{k}={v}")))
    }
}

/// `fault`: the creation failure of a server in ERROR, else `null`.
struct Fault<'a>(&'a Server);

impl Serialize for Fault<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match (&self.0.fault, self.0.status.ecs(None).status) {
            (Some(f), "ERROR") => {
                let mut m = ser.serialize_map(Some(4))?;
                m.serialize_entry("code", &f.code)?;
                m.serialize_entry("created", &iso_seconds(f.created))?;
                m.serialize_entry("details", &f.message)?;
                m.serialize_entry("message", &f.message)?;
                m.end()
            }
            _ => ser.serialize_unit(),
        }
    }
}

/// One entry of `os-extended-volumes:volumes_attached`.
struct AttachedJson<'a> {
    volume: &'a Volume,
    device: &'a str,
    api: Api,
}

impl Serialize for AttachedJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let boot = boot_index(self.device);
        let mut m = ser.serialize_map(Some(4))?;
        m.serialize_entry("bootIndex", boot)?;
        match self.api {
            Api::V1 => m.serialize_entry("delete_on_termination", &(boot == "0").to_string())?,
            Api::Nova => m.serialize_entry("delete_on_termination", &(boot == "0"))?,
        }
        m.serialize_entry("device", self.device)?;
        m.serialize_entry("id", &self.volume.id)?;
        m.end()
    }
}

#[derive(Serialize)]
struct IdName<'a> {
    id: String,
    name: &'a str,
}

/// A small fixed JSON object.
struct Pairs<'a, V>(&'a [(&'static str, V)]);

impl<V: Serialize> Serialize for Pairs<'_, V> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(Serialize)]
struct Link<'a> {
    href: String,
    rel: &'a str,
}

/// An empty JSON object or array.
const NO_KEYS: BTreeMap<&str, &str> = BTreeMap::new();
const NO_ITEMS: [u8; 0] = [];

/// `flavor`: ECS v1 writes its numbers as strings, Nova as numbers.
struct FlavorJson<'a> {
    w: &'a World,
    s: &'a Server,
    api: Api,
}

impl Serialize for FlavorJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let id = &self.s.flavor_id;
        let (vcpus, ram) = cores_and_ram(self.w, self.s);
        let mut m = ser.serialize_map(Some(7))?;
        match self.api {
            Api::V1 => {
                m.serialize_entry("asic_accelerators", &NO_ITEMS)?;
                m.serialize_entry("disk", "0")?;
                m.serialize_entry("gpus", &NO_ITEMS)?;
                m.serialize_entry("id", id)?;
                m.serialize_entry("name", id)?;
                m.serialize_entry("ram", &format_args!("{ram}"))?;
                m.serialize_entry("vcpus", &format_args!("{vcpus}"))?;
            }
            Api::Nova => {
                m.serialize_entry("disk", &0)?;
                m.serialize_entry("id", id)?;
                m.serialize_entry("links", &NO_ITEMS)?;
                m.serialize_entry("original_name", id)?;
                m.serialize_entry("ram", &ram)?;
                m.serialize_entry("vcpus", &vcpus)?;
            }
        }
        m.end()
    }
}

/// `image`: its id (and, in Nova, no links).
struct ImageRef<'a> {
    id: &'a Uid,
    api: Api,
}

impl Serialize for ImageRef<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("id", self.id)?;
        if self.api == Api::Nova {
            m.serialize_entry("links", &NO_ITEMS)?;
        }
        m.end()
    }
}

impl Serialize for ServerJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (w, s, nova) = (self.w, self.s, self.api == Api::Nova);
        let st = s.status.ecs(s.task.as_deref());
        let project = &w.regions[s.region].project_id;
        let group = project.get(..8).unwrap_or(project);
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("OS-DCF:diskConfig", "MANUAL")?;
        m.serialize_entry("OS-EXT-AZ:availability_zone", &s.az)?;
        m.serialize_entry("OS-EXT-SRV-ATTR:host", &s.host)?;
        m.serialize_entry("OS-EXT-SRV-ATTR:hostname", &s.name.to_lowercase())?;
        m.serialize_entry(
            "OS-EXT-SRV-ATTR:hypervisor_hostname",
            &format_args!("{}.hyperv.local", s.host),
        )?;
        m.serialize_entry("OS-EXT-SRV-ATTR:instance_name", &s.instance_name)?;
        m.serialize_entry("OS-EXT-SRV-ATTR:kernel_id", "")?;
        m.serialize_entry("OS-EXT-SRV-ATTR:launch_index", &0)?;
        m.serialize_entry("OS-EXT-SRV-ATTR:ramdisk_id", "")?;
        m.serialize_entry(
            "OS-EXT-SRV-ATTR:reservation_id",
            &format_args!("r-{}", &s.id.encode(&mut [0; 36])[..8]),
        )?;
        m.serialize_entry("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda")?;
        m.serialize_entry("OS-EXT-STS:power_state", &st.power_state)?;
        m.serialize_entry("OS-EXT-STS:task_state", &st.task_state)?;
        m.serialize_entry("OS-EXT-STS:vm_state", st.vm_state)?;
        m.serialize_entry(
            "OS-SRV-USG:launched_at",
            &s.launched_at.map(iso_micros_nozone).unwrap_or_default(),
        )?;
        m.serialize_entry("OS-SRV-USG:terminated_at", "")?;
        m.serialize_entry("accessIPv4", "")?;
        m.serialize_entry("accessIPv6", "")?;
        let version_as_string = !nova;
        m.serialize_entry(
            "addresses",
            &Addresses {
                s,
                version_as_string,
            },
        )?;
        m.serialize_entry("auto_terminate_time", "")?;
        m.serialize_entry("capacity_reservation_id", "")?;
        let none = [("preference", "none")];
        m.serialize_entry("capacity_reservation_specification", &Pairs(&none))?;
        m.serialize_entry("config_drive", "")?;
        m.serialize_entry("created", &iso_seconds(s.created))?;
        m.serialize_entry("description", &s.description)?;
        m.serialize_entry("enclave_options", &Pairs(&[("enabled", false)]))?;
        m.serialize_entry("enterprise_project_id", "0")?;
        m.serialize_entry("fault", &Fault(s))?;
        let api = self.api;
        m.serialize_entry("flavor", &FlavorJson { w, s, api })?;
        m.serialize_entry("hostId", &s.host)?;
        let error = s.status.ecs(None).status == "ERROR";
        m.serialize_entry("host_status", if error { "UNKNOWN" } else { "UP" })?;
        m.serialize_entry("id", &s.id)?;
        m.serialize_entry(
            "image",
            &ImageRef {
                id: &s.image_id,
                api,
            },
        )?;
        m.serialize_entry("key_name", &s.key_name)?;
        if nova {
            let href = format!("/v2.1/{project}/servers/{}", s.id);
            m.serialize_entry("links", &[Link { href, rel: "self" }])?;
        }
        m.serialize_entry("locked", &false)?;
        m.serialize_entry("metadata", &metadata(w, s))?;
        m.serialize_entry("name", &s.name)?;
        let volumes: Vec<AttachedJson> = attached(w, s)
            .into_iter()
            .map(|(volume, device)| AttachedJson {
                volume,
                device,
                api: self.api,
            })
            .collect();
        m.serialize_entry("os-extended-volumes:volumes_attached", &volumes)?;
        m.serialize_entry("os:scheduler_hints", &NO_KEYS)?;
        m.serialize_entry("progress", &0)?;
        let sg = format!("{group}-sg-default");
        m.serialize_entry(
            "security_groups",
            &[IdName {
                id: sg,
                name: "default",
            }],
        )?;
        m.serialize_entry("spod_id", "")?;
        m.serialize_entry("status", st.status)?;
        let sys = [("key", "_sys_enterprise_project_id"), ("value", "0")];
        m.serialize_entry("sys_tags", &[Pairs(&sys)])?;
        m.serialize_entry("tags", &Tags(s))?;
        m.serialize_entry("tenant_id", project)?;
        m.serialize_entry("updated", &iso_seconds(s.updated))?;
        m.serialize_entry("user_id", &w.account.user_id)?;
        m.end()
    }
}

/// ECS v1.1 list item (integers in `flavor`, plain state names).
pub fn server_v11(w: &World, s: &Server) -> Value {
    let st = s.status.ecs(s.task.as_deref());
    let project = &w.regions[s.region].project_id;
    let (vcpus, ram) = cores_and_ram(w, s);
    let volumes: Vec<Value> = attached(w, s)
        .into_iter()
        .map(|(v, dev)| {
            json!({"id": v.id, "device": dev, "bootIndex": boot_index(dev), "size": v.size})
        })
        .collect();
    json!({
        "id": s.id, "name": s.name, "status": st.status, "description": s.description,
        "vm_state": st.vm_state, "task_state": st.task_state, "power_state": st.power_state,
        "availability_zone": s.az,
        "created": iso_seconds(s.created), "updated": iso_seconds(s.updated),
        "launched_at": s.launched_at.map(iso_seconds).unwrap_or_default(),
        "flavor": {"id": s.flavor_id, "name": s.flavor_id, "vcpus": vcpus, "ram": ram, "disk": 0},
        "image": {"id": s.image_id},
        "addresses": Addresses { s, version_as_string: false },
        "volumes_attached": volumes,
        "security_groups": [{"id": format!("{}-sg-default", &project[..8]), "name": "default"}],
        "metadata": metadata(w, s),
        "tags": Tags(s),
        "key_name": s.key_name,
        "locked": false,
        "fault": Fault(s),
        "tenant_id": project,
        "user_id": w.account.user_id,
        "in_recycle_bin": false,
        "market_info": {"charge_mode": "postpaid"},
        "spod_id": "",
        "enterprise_project_id": "0",
    })
}

/// The answer of `PUT /v1/{p}/cloudservers/{id}` (a Nova-style server, as its example shows).
pub fn server_update(w: &World, s: &Server) -> Value {
    let st = s.status.ecs(s.task.as_deref());
    let project = &w.regions[s.region].project_id;
    json!({
        "id": s.id, "name": s.name, "description": s.description, "status": st.status,
        "created": iso_seconds(s.created), "updated": iso_seconds(s.updated),
        "addresses": Addresses { s, version_as_string: false },
        "flavor": {"id": s.flavor_id, "links": [{"rel": "bookmark", "href": format!("/{project}/flavors/{}", s.flavor_id)}]},
        "image": s.image_id, "hostId": s.host, "progress": 0,
        "links": [{"rel": "self", "href": format!("/v2/{project}/servers/{}", s.id)}],
        "metadata": {"virtual_env_type": "FusionCompute"},
        "tenant_id": project, "user_id": w.account.user_id,
        "OS-DCF:diskConfig": "MANUAL", "accessIPv4": "", "accessIPv6": "",
        "OS-EXT-SRV-ATTR:hostname": s.name.to_lowercase(), "tags": Tags(s),
    })
}
