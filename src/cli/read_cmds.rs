//! The read-only commands: regions, azs, flavors, networks, quotas, and the shows of servers,
//! images and snapshots (the lists that stream are in `list_cmd`). The JSON form is the objects
//! as the API returned them; the table the console's columns.

use serde_json::Value;

use crate::gateway::model::{
    AvailabilityZone, Flavor, Image, Region, Row, Server, Snapshot, Subnet, Vpc,
};
use crate::gateway::{Gateway, GatewayError, ServerFilter, decode, decode_all};
use crate::read::catalog::ram_text;

use super::args::{
    DisksCommand, FlavorsCommand, HostsCommand, ImagesCommand, ServersCommand, SnapshotsCommand,
};
use super::exit::{CliError, ExitCode};
use super::format::{Column, Format, View, col, print, wide};
use super::image_cmds::type_word;
use super::list_cmd::{List, gb, items};
use super::list_stream::ListWriter;
use super::target::{find, find_image, find_server};

/// Rows of a list the gateway checked, as their type (an API error if one does not read).
fn rows<T: serde::de::DeserializeOwned + Row>(raw: &[Value]) -> Result<Vec<T>, CliError> {
    decode_all(raw).map_err(|why| CliError::new(ExitCode::Api, why))
}

/// Prints a list read whole: its items as the API sent them, or `table` of their typed rows.
fn print_rows<T: serde::de::DeserializeOwned + Row>(
    format: &Format,
    raw: Vec<Value>,
    columns: &[Column],
    cells: impl Fn(T) -> Vec<String>,
) -> Result<(), CliError> {
    let typed: Vec<T> = rows(&raw)?;
    let json = Value::Array(raw);
    print(format, &json, || View::Table {
        columns: columns.to_vec(),
        rows: typed.into_iter().map(cells).collect(),
    })
}

pub async fn regions(gw: &Gateway, format: &Format) -> Result<(), CliError> {
    let raw = gw.list_regions_raw().await?;
    super::complete::remember("regions", raw.iter().filter_map(|r| r["id"].as_str()));
    let columns = [col("ID"), col("NAME"), col("TYPE")];
    print_rows(format, raw, &columns, |r: Region| {
        vec![r.id.clone(), r.display_name().to_owned(), r.kind]
    })
}

pub async fn azs(gw: &Gateway, format: &Format) -> Result<(), CliError> {
    let raw = gw.list_azs_raw().await?;
    print_rows(
        format,
        raw,
        &[col("NAME"), col("AVAILABLE")],
        |z: AvailabilityZone| vec![z.name, if z.available { "yes" } else { "no" }.into()],
    )
}

static FLAVOR_COLUMNS: &[Column] = &[
    col("NAME"),
    col("VCPUS"),
    col("RAM"),
    col("TYPE"),
    col("ON SALE"),
    col("ID"),
    wide("RAM GB"),
];

pub async fn flavors(gw: &Gateway, cmd: &FlavorsCommand, format: &Format) -> Result<(), CliError> {
    let FlavorsCommand::List { az } = cmd;
    let mut writer = ListWriter::new(format, FLAVOR_COLUMNS);
    let cells = |f: &Flavor| {
        let sale = match az {
            Some(a) => f.on_sale_in(a),
            None => !f.disabled && f.sale_state().is_on_sale(),
        };
        vec![
            f.name.clone(),
            f.vcpus.to_string(),
            ram_text(f.ram),
            f.performance_type().unwrap_or("").to_owned(),
            if sale { "yes" } else { "no" }.into(),
            f.id.clone(),
            gb(f.ram),
        ]
    };
    let with_cells = format.needs_cells();
    gw.flavors_by_page(az.as_deref(), |rows| {
        writer.page(items(rows, with_cells, |_| true, cells))
    })
    .await?;
    writer.finish()
}

/// The hosts summed from every server (`read::hosts`); JSON: one object a host. Servers without
/// a host (a gateway that does not return it) are said once, on stderr.
pub async fn hosts(gw: &Gateway, cmd: &HostsCommand, format: &Format) -> Result<(), CliError> {
    let HostsCommand::List { az } = cmd;
    let servers = gw.list_servers(&ServerFilter::default()).await?;
    let records: Vec<_> = servers
        .iter()
        .filter(|s| az.as_ref().is_none_or(|az| s.availability_zone == *az))
        .map(crate::read::records::server_record)
        .collect();
    let found = crate::read::hosts::hosts_of(&records);
    if found.without_host > 0 {
        eprintln!(
            "hvecs: the gateway does not return hosts (no OS-EXT-SRV-ATTR:host) for {} of {} servers",
            found.without_host,
            records.len()
        );
    }
    let json = serde_json::to_value(&found.hosts)
        .map_err(|e| CliError::new(ExitCode::Failed, e.to_string()))?;
    print(format, &json, || View::Table {
        columns: vec![
            col("HOST"),
            col("AZ"),
            col("SERVERS"),
            col("RUNNING"),
            col("VCPUS"),
            col("RAM"),
        ],
        rows: found
            .hosts
            .iter()
            .map(|h| {
                vec![
                    h.name.clone(),
                    h.az.clone(),
                    h.servers.to_string(),
                    h.running.to_string(),
                    h.vcpus.to_string(),
                    ram_text(h.ram_mb),
                ]
            })
            .collect(),
    })
}

pub async fn networks(gw: &Gateway, format: &Format) -> Result<(), CliError> {
    let (vpcs, subnets) = tokio::try_join!(gw.list_vpcs_raw(), gw.list_subnets_raw(None))?;
    let typed_vpcs: Vec<Vpc> = rows(&vpcs)?;
    let typed_subnets: Vec<Subnet> = rows(&subnets)?;
    let json = serde_json::json!({"vpcs": vpcs, "subnets": subnets});
    print(format, &json, || {
        let mut rows = Vec::new();
        for v in &typed_vpcs {
            let mine: Vec<&Subnet> = typed_subnets.iter().filter(|s| s.vpc_id == v.id).collect();
            if mine.is_empty() {
                rows.push(vec![
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
                rows.push(vec![
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
        View::Table {
            columns: vec![
                col("VPC"),
                col("VPC ID"),
                col("SUBNET"),
                col("SUBNET ID"),
                col("CIDR"),
                col("AZ"),
                col("STATUS"),
            ],
            rows,
        }
    })
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
pub async fn quotas(gw: &Gateway, format: &Format) -> Result<(), CliError> {
    let (ecs, evs, ims) =
        tokio::join!(gw.compute_quota_raw(), gw.storage_quota(), gw.image_quota());
    let ecs = ecs?;
    let evs = optional("EVS", evs).unwrap_or_default();
    let ims = optional("IMS", ims).unwrap_or_default();
    let evs_json: serde_json::Map<String, Value> = evs
        .iter()
        .map(|(k, q)| {
            (
                k.clone(),
                serde_json::json!({"in_use": q.in_use, "limit": q.limit}),
            )
        })
        .collect();
    let ims_json: Vec<Value> = ims
        .iter()
        .map(|q| serde_json::json!({"type": q.kind, "used": q.used, "quota": q.quota}))
        .collect();
    let json = serde_json::json!({"ecs": ecs, "evs": evs_json, "ims": ims_json});
    print(format, &json, || {
        let q: crate::gateway::model::ComputeQuota = decode(&ecs);
        let mut rows = vec![
            vec![
                "servers".into(),
                limit(q.instances_used),
                limit(q.max_instances),
            ],
            vec!["vCPUs".into(), limit(q.cores_used), limit(q.max_cores)],
            vec!["RAM (MB)".into(), limit(q.ram_used_mb), limit(q.max_ram_mb)],
        ];
        for (k, u) in &evs {
            rows.push(vec![format!("disk {k}"), limit(u.in_use), limit(u.limit)]);
        }
        for i in &ims {
            rows.push(vec![format!("{}s", i.kind), limit(i.used), limit(i.quota)]);
        }
        View::Table {
            columns: vec![col("RESOURCE"), col("USED"), col("LIMIT")],
            rows,
        }
    })
}

/// Writes a list to stdout page by page as it is read.
pub async fn print_list(gw: &Gateway, list: List<'_>, format: &Format) -> Result<(), CliError> {
    let mut writer = ListWriter::new(format, list.columns());
    let mut names = super::complete::Names::new(list.kind());
    list.by_page(gw, format, &mut |items| {
        names.add(&items);
        writer.page(items)
    })
    .await?;
    writer.finish()?;
    names.keep();
    Ok(())
}

pub async fn servers(gw: &Gateway, cmd: &ServersCommand, format: &Format) -> Result<(), CliError> {
    match cmd {
        ServersCommand::List { .. } => print_list(gw, List::Servers(cmd), format).await,
        ServersCommand::Show { server } => {
            let raw = find_server(gw, server).await?;
            print(format, &raw, || server_fields(&decode(&raw)))
        }
        ServersCommand::Console { server } => super::remote_console::show(gw, server, format).await,
        // The changing subcommands go through the runner (change_cmds), never here.
        ServersCommand::Create(_)
        | ServersCommand::Start { .. }
        | ServersCommand::Stop { .. }
        | ServersCommand::Reboot { .. }
        | ServersCommand::Resize { .. }
        | ServersCommand::Rename { .. }
        | ServersCommand::Delete { .. }
        | ServersCommand::Tag { .. } => Err(CliError::new(
            ExitCode::Usage,
            "a changing command reached the read path",
        )),
    }
}

fn server_fields(s: &Server) -> View {
    let disks: Vec<String> = s
        .volumes_attached
        .iter()
        .map(|v| format!("{} {}", v.device, v.id).trim().to_owned())
        .collect();
    View::Fields(vec![
        ("name", s.name.clone()),
        ("id", s.id.clone()),
        ("status", s.status.to_string()),
        ("task", s.task_state.clone().unwrap_or_else(|| "-".into())),
        (
            "flavor",
            format!(
                "{} ({} vCPU, {} GB RAM)",
                s.flavor.name,
                s.flavor.vcpus,
                gb(s.flavor.ram)
            ),
        ),
        ("flavor id", s.flavor.id.clone()),
        ("image", crate::read::records::image_name(s)),
        ("image id", s.image_id.clone()),
        ("az", s.availability_zone.clone()),
        ("ips", s.ips().join(", ")),
        ("vpc id", s.vpc_id().unwrap_or("").to_owned()),
        ("disks", disks.join(", ")),
        ("key pair", s.key_name.clone().unwrap_or_default()),
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
    ])
}

pub async fn images(gw: &Gateway, cmd: &ImagesCommand, format: &Format) -> Result<(), CliError> {
    match cmd {
        ImagesCommand::List { .. } => print_list(gw, List::Images(cmd), format).await,
        ImagesCommand::Show { image } => {
            let raw = find_image(gw, image).await?;
            print(format, &raw, || image_fields(&decode(&raw)))
        }
        ImagesCommand::Create { .. }
        | ImagesCommand::Rename { .. }
        | ImagesCommand::Delete { .. } => Err(CliError::new(ExitCode::Usage, "not a read command")),
    }
}

fn image_fields(i: &Image) -> View {
    let r = crate::read::records::image_record(i);
    View::Fields(vec![
        ("name", i.name.clone()),
        ("id", i.id.clone()),
        ("status", i.status.clone()),
        ("type", type_word(&i.image_type).to_owned()),
        ("os", r.os),
        ("platform", i.platform.clone()),
        ("min disk", format!("{} GB", i.min_disk)),
        ("min ram", format!("{} MB", i.min_ram)),
        ("size", r.size),
        ("visibility", i.visibility.clone()),
        ("created", i.created_at.to_string()),
        ("updated", i.updated_at.to_string()),
    ])
}

pub async fn snapshots(
    gw: &Gateway,
    cmd: &SnapshotsCommand,
    format: &Format,
) -> Result<(), CliError> {
    match cmd {
        SnapshotsCommand::List { .. } => print_list(gw, List::Snapshots(cmd), format).await,
        SnapshotsCommand::Show { snapshot } => {
            let show = || gw.show_snapshot_raw(snapshot);
            let list = || gw.list_snapshots_raw(None);
            let raw = find("snapshot", snapshot, show, list).await?;
            let s: Snapshot = decode(&raw);
            let disk = if format.needs_cells() {
                gw.show_disk(&s.volume_id).await.map(|d| d.name).ok()
            } else {
                None
            };
            print(format, &raw, || snapshot_fields(&s, disk))
        }
        // The changes (`snapshot_cmds.rs`) are dispatched before the reads.
        _ => Err(CliError::new(ExitCode::Usage, "not a read command")),
    }
}

/// A snapshot's fields; `disk` the name of its disk when it was found.
fn snapshot_fields(s: &Snapshot, disk: Option<String>) -> View {
    View::Fields(vec![
        ("name", s.name.clone()),
        ("id", s.id.clone()),
        ("status", s.status.clone()),
        ("size", format!("{} GB", s.size)),
        ("disk", disk.unwrap_or_default()),
        ("disk id", s.volume_id.clone()),
        ("progress", s.progress.clone()),
        ("description", s.description.clone()),
        (
            "automatic",
            if s.is_automatic() { "yes" } else { "no" }.into(),
        ),
        ("created", s.created_at.to_string()),
        ("updated", s.updated_at.to_string()),
    ])
}

pub async fn disks(gw: &Gateway, cmd: &DisksCommand, format: &Format) -> Result<(), CliError> {
    print_list(gw, List::Disks(cmd), format).await
}
