//! The read-only commands: regions, azs, flavors, networks, quotas, servers, images, snapshots,
//! disks. `-o json` prints the objects as the API returned them; `-o table` a table.

use serde_json::Value;

use crate::gateway::model::{
    AvailabilityZone, Disk, Flavor, Image, Region, Row, Server, Snapshot, Subnet, Vpc,
};
use crate::gateway::{
    Gateway, GatewayError, ImageFilter, RawRow, ServerFilter, decode, decode_all,
};

use super::args::{
    DisksCommand, FlavorsCommand, ImagesCommand, Output, ServersCommand, SnapshotsCommand,
};
use super::exit::{CliError, ExitCode};
use super::image_cmds::{api_type, type_word};
use super::list_stream::{Item, ListWriter};
use super::table::{Table, fields};
use super::target::{looks_like_id, pick};

pub fn json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn list_out(
    out: Output,
    raw: Vec<Value>,
    table: impl FnOnce(Vec<Value>) -> Result<Table, CliError>,
) -> Result<String, CliError> {
    Ok(match out {
        Output::Json => json(&Value::Array(raw)),
        Output::Table => table(raw)?.print(),
    })
}

/// `list_out` for the commands that decode their own rows.
fn typed_out<T: serde::de::DeserializeOwned + Row>(
    out: Output,
    raw: Vec<Value>,
    table: impl FnOnce(Vec<T>) -> Table,
) -> Result<String, CliError> {
    list_out(out, raw, |raw| Ok(table(rows(&raw)?)))
}

/// Rows of a list the gateway checked, as their type (an API error if one does not read).
fn rows<T: serde::de::DeserializeOwned + Row>(raw: &[Value]) -> Result<Vec<T>, CliError> {
    decode_all(raw).map_err(|why| CliError::new(ExitCode::Api, why))
}

fn gib(mb: u64) -> String {
    if mb.is_multiple_of(1024) {
        format!("{}", mb / 1024)
    } else {
        format!("{:.1}", mb as f64 / 1024.0)
    }
}

pub async fn regions(gw: &Gateway, out: Output) -> Result<String, CliError> {
    let raw = gw.list_regions_raw().await?;
    typed_out(out, raw, |rs: Vec<Region>| {
        let mut t = Table::new(&["ID", "NAME", "TYPE"]);
        for r in rs {
            t.push(vec![r.id.clone(), r.display_name().to_owned(), r.kind]);
        }
        t
    })
}

pub async fn azs(gw: &Gateway, out: Output) -> Result<String, CliError> {
    let raw = gw.list_azs_raw().await?;
    typed_out(out, raw, |zs: Vec<AvailabilityZone>| {
        let mut t = Table::new(&["NAME", "AVAILABLE"]);
        for z in zs {
            t.push(vec![z.name, if z.available { "yes" } else { "no" }.into()]);
        }
        t
    })
}

pub async fn flavors(gw: &Gateway, cmd: &FlavorsCommand, out: Output) -> Result<String, CliError> {
    let FlavorsCommand::List { az } = cmd;
    let mut writer = ListWriter::new(out, &["ID", "VCPUS", "RAM GIB", "TYPE", "ON SALE"]);
    let cells = |f: &Flavor| {
        let sale = match az {
            Some(a) => f.on_sale_in(a),
            None => !f.disabled && f.sale_state().is_on_sale(),
        };
        vec![
            f.id.clone(),
            f.vcpus.to_string(),
            gib(f.ram),
            f.performance_type().unwrap_or("").to_owned(),
            if sale { "yes" } else { "no" }.into(),
        ]
    };
    gw.flavors_by_page(az.as_deref(), |rows| {
        writer.page(items(rows, out, |_| true, cells))
    })
    .await?;
    writer.finish()?;
    Ok(String::new())
}

pub async fn networks(gw: &Gateway, out: Output) -> Result<String, CliError> {
    let (vpcs, subnets) = tokio::try_join!(gw.list_vpcs_raw(), gw.list_subnets_raw(None))?;
    if out == Output::Json {
        return Ok(json(&serde_json::json!({"vpcs": vpcs, "subnets": subnets})));
    }
    let vpcs: Vec<Vpc> = rows(&vpcs)?;
    let subnets: Vec<Subnet> = rows(&subnets)?;
    let mut t = Table::new(&[
        "VPC",
        "VPC ID",
        "SUBNET",
        "SUBNET ID",
        "CIDR",
        "AZ",
        "STATUS",
    ]);
    for v in &vpcs {
        let mine: Vec<&Subnet> = subnets.iter().filter(|s| s.vpc_id == v.id).collect();
        if mine.is_empty() {
            t.push(vec![
                v.name.clone(),
                v.id.clone(),
                "-".into(),
                "".into(),
                v.cidr.clone(),
                "".into(),
                v.status.clone(),
            ]);
        }
        for s in mine {
            let az = if s.availability_zone.is_empty() {
                "(all)"
            } else {
                &s.availability_zone
            };
            t.push(vec![
                v.name.clone(),
                v.id.clone(),
                s.name.clone(),
                s.id.clone(),
                s.cidr.clone(),
                az.into(),
                s.status.clone(),
            ]);
        }
    }
    Ok(t.print())
}

/// A quota the gateway may not offer: a note on stderr instead of a failure.
fn optional<T>(name: &str, r: Result<T, GatewayError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if e.is_not_found() => {
            super::out::note(&format!(
                "hvecs: note: this gateway offers no {name} quotas ({e})"
            ));
            None
        }
        Err(e) => {
            super::out::note(&format!("hvecs: note: {e}"));
            None
        }
    }
}

fn limit(v: Option<i64>) -> String {
    match v {
        Some(-1) => "unlimited".into(),
        Some(n) => n.to_string(),
        None => "-".into(),
    }
}

/// ECS quotas always; EVS and IMS quotas when the gateway offers them (a note on stderr if not).
pub async fn quotas(gw: &Gateway, out: Output) -> Result<String, CliError> {
    let (ecs, evs, ims) =
        tokio::join!(gw.compute_quota_raw(), gw.storage_quota(), gw.image_quota());
    let ecs = ecs?;
    let evs = optional("EVS", evs).unwrap_or_default();
    let ims = optional("IMS", ims).unwrap_or_default();
    if out == Output::Json {
        let evs: serde_json::Map<String, Value> = evs
            .iter()
            .map(|(k, q)| {
                (
                    k.clone(),
                    serde_json::json!({"in_use": q.in_use, "limit": q.limit}),
                )
            })
            .collect();
        let ims: Vec<Value> = ims
            .iter()
            .map(|q| serde_json::json!({"type": q.kind, "used": q.used, "quota": q.quota}))
            .collect();
        return Ok(json(
            &serde_json::json!({"ecs": ecs, "evs": evs, "ims": ims}),
        ));
    }
    let q: crate::gateway::model::ComputeQuota = decode(&ecs);
    let mut t = Table::new(&["RESOURCE", "USED", "LIMIT"]);
    t.push(vec![
        "servers".into(),
        limit(q.instances_used),
        limit(q.max_instances),
    ]);
    t.push(vec![
        "vCPUs".into(),
        limit(q.cores_used),
        limit(q.max_cores),
    ]);
    t.push(vec![
        "RAM (MB)".into(),
        limit(q.ram_used_mb),
        limit(q.max_ram_mb),
    ]);
    for (k, u) in &evs {
        t.push(vec![format!("disk {k}"), limit(u.in_use), limit(u.limit)]);
    }
    for i in &ims {
        t.push(vec![format!("{}s", i.kind), limit(i.used), limit(i.quota)]);
    }
    Ok(t.print())
}

/// The server with this id or exact name, as the API returned it.
pub async fn find_server(gw: &Gateway, wanted: &str) -> Result<Value, CliError> {
    if looks_like_id(wanted) {
        match gw.show_server_raw(wanted).await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    let filter = ServerFilter {
        name: Some(wanted.to_owned()),
        ..Default::default()
    };
    let mut found = gw.list_servers_raw(&filter).await?;
    // The API's name filter is regex-like: a name with special characters may not match itself.
    if !found.iter().any(|v| v["name"] == wanted) {
        found = gw.list_servers_raw(&ServerFilter::default()).await?;
    }
    pick("server", wanted, found)
}

pub async fn servers(gw: &Gateway, cmd: &ServersCommand, out: Output) -> Result<String, CliError> {
    match cmd {
        ServersCommand::List { .. } => print_list(gw, List::Servers(cmd), out).await,
        // The changing subcommands go through the runner (change_cmds), never here.
        ServersCommand::Create(_)
        | ServersCommand::Start { .. }
        | ServersCommand::Stop { .. }
        | ServersCommand::Reboot { .. }
        | ServersCommand::Resize { .. }
        | ServersCommand::Rename { .. }
        | ServersCommand::Delete { .. } => Err(CliError::new(
            super::exit::ExitCode::Usage,
            "a changing command reached the read path",
        )),
        ServersCommand::Console { server } => super::remote_console::show(gw, server, out).await,
        ServersCommand::Show { server } => {
            let raw = find_server(gw, server).await?;
            if out == Output::Json {
                return Ok(json(&raw));
            }
            let s: Server = decode(&raw);
            let disks: Vec<String> = s
                .volumes_attached
                .iter()
                .map(|v| format!("{} {}", v.device, v.id).trim().to_owned())
                .collect();
            Ok(fields(&[
                ("name", s.name.clone()),
                ("id", s.id.clone()),
                ("status", s.status.to_string()),
                ("task", s.task_state.clone().unwrap_or_else(|| "-".into())),
                (
                    "flavor",
                    format!(
                        "{} ({} vCPU, {} GiB)",
                        s.flavor.name,
                        s.flavor.vcpus,
                        gib(s.flavor.ram)
                    ),
                ),
                ("image", s.image_id.clone()),
                ("az", s.availability_zone.clone()),
                ("ips", s.ips().join(", ")),
                ("vpc", s.vpc_id().unwrap_or("").to_owned()),
                ("disks", disks.join(", ")),
                ("key", s.key_name.clone().unwrap_or_default()),
                ("created", s.created.to_string()),
                ("updated", s.updated.to_string()),
                ("description", s.description.clone()),
                (
                    "fault",
                    s.fault
                        .as_ref()
                        .map(|f| format!("{} {}", f.code, f.message))
                        .unwrap_or_default(),
                ),
            ]))
        }
    }
}

pub async fn images(gw: &Gateway, cmd: &ImagesCommand, out: Output) -> Result<String, CliError> {
    match cmd {
        ImagesCommand::List { .. } => print_list(gw, List::Images(cmd), out).await,
        ImagesCommand::Show { image } => {
            let raw = super::image_cmds::find_image(gw, image).await?;
            if out == Output::Json {
                return Ok(json(&raw));
            }
            let i: Image = decode(&raw);
            Ok(fields(&[
                ("name", i.name.clone()),
                ("id", i.id.clone()),
                ("status", i.status.clone()),
                ("type", type_word(&i.image_type).to_owned()),
                ("os", i.os_version.clone()),
                ("platform", i.platform.clone()),
                ("min disk", format!("{} GB", i.min_disk)),
                ("min ram", format!("{} MB", i.min_ram)),
                (
                    "size",
                    i.image_size
                        .map(|b| format!("{b} bytes"))
                        .unwrap_or_default(),
                ),
                ("visibility", i.visibility.clone()),
                ("created", i.created_at.to_string()),
                ("updated", i.updated_at.to_string()),
            ]))
        }
        ImagesCommand::Create { .. }
        | ImagesCommand::Rename { .. }
        | ImagesCommand::Delete { .. } => Err(CliError::new(ExitCode::Usage, "not a read command")),
    }
}

/// The id of a server named by id or name.
async fn server_id(gw: &Gateway, server: &str) -> Result<String, CliError> {
    let s = find_server(gw, server).await?;
    Ok(s["id"].as_str().unwrap_or_default().to_owned())
}

/// The disks attached to a server (by id or name).
async fn server_disks(gw: &Gateway, server: &str) -> Result<Vec<Value>, CliError> {
    let id = server_id(gw, server).await?;
    Ok(gw.list_disks_raw(Some(&id)).await?)
}

pub async fn snapshots(
    gw: &Gateway,
    cmd: &SnapshotsCommand,
    out: Output,
) -> Result<String, CliError> {
    match cmd {
        SnapshotsCommand::List { .. } => print_list(gw, List::Snapshots(cmd), out).await,
        SnapshotsCommand::Show { snapshot } => {
            let raw = if looks_like_id(snapshot) {
                match gw.show_snapshot_raw(snapshot).await {
                    Ok(v) => v,
                    Err(e) if e.is_not_found() => {
                        pick("snapshot", snapshot, gw.list_snapshots_raw(None).await?)?
                    }
                    Err(e) => return Err(e.into()),
                }
            } else {
                pick("snapshot", snapshot, gw.list_snapshots_raw(None).await?)?
            };
            if out == Output::Json {
                return Ok(json(&raw));
            }
            let s: Snapshot = decode(&raw);
            Ok(fields(&[
                ("name", s.name.clone()),
                ("id", s.id.clone()),
                ("status", s.status.clone()),
                ("size", format!("{} GB", s.size)),
                ("disk", s.volume_id.clone()),
                ("progress", s.progress.clone()),
                ("description", s.description.clone()),
                (
                    "automatic",
                    if s.is_automatic() { "yes" } else { "no" }.into(),
                ),
                ("created", s.created_at.to_string()),
                ("updated", s.updated_at.to_string()),
            ]))
        }
        // The changes (`snapshot_cmds.rs`) are dispatched before the reads.
        _ => Err(CliError::new(ExitCode::Usage, "not a read command")),
    }
}

pub async fn disks(gw: &Gateway, cmd: &DisksCommand, out: Output) -> Result<String, CliError> {
    print_list(gw, List::Disks(cmd), out).await
}

/// Writes a list to stdout page by page as it is read; the text left to print is empty.
async fn print_list(gw: &Gateway, list: List<'_>, out: Output) -> Result<String, CliError> {
    let mut writer = ListWriter::new(out, list.header());
    list.by_page(gw, out, &mut |items| writer.page(items))
        .await?;
    writer.finish()?;
    Ok(String::new())
}

/// A list command that may run in every region (`--region all`): its read, and its table.
#[derive(Clone, Copy)]
pub enum List<'a> {
    Servers(&'a ServersCommand),
    Images(&'a ImagesCommand),
    Snapshots(&'a SnapshotsCommand),
    Disks(&'a DisksCommand),
}

impl<'a> List<'a> {
    /// The list command among these, if `cmd` is one.
    pub fn of(cmd: &'a super::args::Command) -> Option<List<'a>> {
        use super::args::Command;
        match cmd {
            Command::Servers(c @ ServersCommand::List { .. }) => Some(List::Servers(c)),
            Command::Images(c @ ImagesCommand::List { .. }) => Some(List::Images(c)),
            Command::Snapshots(c @ SnapshotsCommand::List { .. }) => Some(List::Snapshots(c)),
            Command::Disks(c @ DisksCommand::List { .. }) => Some(List::Disks(c)),
            _ => None,
        }
    }

    /// The columns of its table.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            List::Servers(_) => &[
                "NAME", "ID", "STATUS", "TASK", "FLAVOR", "AZ", "IP", "CREATED",
            ],
            List::Images(_) => &["NAME", "ID", "STATUS", "TYPE", "OS", "MIN DISK", "CREATED"],
            List::Snapshots(_) => &["NAME", "ID", "STATUS", "SIZE", "DISK", "CREATED"],
            List::Disks(_) => &[
                "NAME", "ID", "STATUS", "SIZE", "TYPE", "BOOT", "SERVER", "DEVICE", "AZ",
            ],
        }
    }

    /// Reads one region's list, each page handed to `sink` as it comes (its items as the API
    /// sent them, with their table cells for `-o table`).
    pub async fn by_page(
        self,
        gw: &Gateway,
        out: Output,
        sink: &mut impl FnMut(Vec<Item>) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        match self {
            List::Servers(ServersCommand::List { az, status, name }) => {
                let filter = ServerFilter {
                    name: name.clone(),
                    status: status.as_ref().map(|s| s.to_uppercase()),
                    ..Default::default()
                };
                let here = |s: &Server| az.as_ref().is_none_or(|az| s.availability_zone == *az);
                gw.servers_by_page(&filter, |rows| sink(items(rows, out, here, server_cells)))
                    .await
            }
            List::Images(ImagesCommand::List { image_type }) => {
                let f = ImageFilter {
                    image_type: image_type.as_deref().map(api_type).transpose()?,
                    ..Default::default()
                };
                gw.images_by_page(&f, |rows| sink(items(rows, out, |_| true, image_cells)))
                    .await
            }
            List::Snapshots(SnapshotsCommand::List { server, .. }) => {
                let disks = match server {
                    Some(server) => Some(server_disks(gw, server).await?),
                    None => None,
                };
                let of_disks = |s: &Snapshot| {
                    disks
                        .as_ref()
                        .is_none_or(|d| d.iter().any(|d| d["id"] == s.volume_id.as_str()))
                };
                gw.snapshots_by_page(|rows| sink(items(rows, out, of_disks, snapshot_cells)))
                    .await
            }
            List::Disks(DisksCommand::List { server }) => {
                let id = match server {
                    Some(s) => Some(server_id(gw, s).await?),
                    None => None,
                };
                gw.disks_by_page(id.as_deref(), |rows| {
                    sink(items(rows, out, |_| true, disk_cells))
                })
                .await
            }
            List::Servers(_) | List::Images(_) | List::Snapshots(_) | List::Disks(_) => Ok(()),
        }
    }
}

/// The items of a page that `keep` keeps, with their cells for `-o table`.
fn items<T>(
    rows: Vec<RawRow<T>>,
    out: Output,
    keep: impl Fn(&T) -> bool,
    cells: impl Fn(&T) -> Vec<String>,
) -> Vec<Item> {
    rows.into_iter()
        .filter(|r| keep(&r.row))
        .map(|r| Item {
            cells: match out {
                Output::Table => cells(&r.row),
                Output::Json => Vec::new(),
            },
            json: r.json,
        })
        .collect()
}

fn server_cells(s: &Server) -> Vec<String> {
    vec![
        s.name.clone(),
        s.id.clone(),
        s.status.to_string(),
        s.task_state.clone().unwrap_or_default(),
        s.flavor.name.clone(),
        s.availability_zone.clone(),
        s.ips().join(","),
        s.created.to_string(),
    ]
}

fn image_cells(i: &Image) -> Vec<String> {
    vec![
        i.name.clone(),
        i.id.clone(),
        i.status.clone(),
        type_word(&i.image_type).to_owned(),
        i.os_version.clone(),
        format!("{} GB", i.min_disk),
        i.created_at.to_string(),
    ]
}

fn snapshot_cells(s: &Snapshot) -> Vec<String> {
    vec![
        s.name.clone(),
        s.id.clone(),
        s.status.clone(),
        format!("{} GB", s.size),
        s.volume_id.clone(),
        s.created_at.to_string(),
    ]
}

fn disk_cells(d: &Disk) -> Vec<String> {
    let att = d.attachments.first();
    vec![
        d.name.clone(),
        d.id.clone(),
        d.status.clone(),
        format!("{} GB", d.size),
        d.volume_type.clone(),
        if d.bootable { "yes" } else { "no" }.into(),
        att.map(|a| a.server_id.clone()).unwrap_or_default(),
        att.map(|a| a.device.clone()).unwrap_or_default(),
        d.availability_zone.clone(),
    ]
}
