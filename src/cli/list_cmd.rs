//! The lists that stream (`servers`, `images`, `snapshots`, `disks list`, also with `--region
//! all`): their filters, their columns (the console's, with names; ids of related objects in
//! `-o wide` and `-o tsv`), each page handed on as it is read.

use std::collections::HashMap;

use crate::gateway::model::{Disk, Image, Server, Snapshot};
use crate::gateway::{Gateway, ImageFilter, RawRow, ServerFilter};
use crate::read::records::{disk_record, image_name, image_record, server_record, snapshot_record};

use super::args::{DisksCommand, ImagesCommand, ServersCommand, SnapshotsCommand};
use super::exit::CliError;
use super::format::{Column, Format, col, wide};
use super::image_cmds::{api_type, type_word};
use super::list_stream::Item;

/// A list command that may run in every region (`--region all`): its read, and its columns.
#[derive(Clone, Copy)]
pub enum List<'a> {
    Servers(&'a ServersCommand),
    Images(&'a ImagesCommand),
    Snapshots(&'a SnapshotsCommand),
    Disks(&'a DisksCommand),
}

static SERVER_COLUMNS: &[Column] = &[
    col("NAME"),
    col("STATUS"),
    col("TASK"),
    col("AZ"),
    col("FLAVOR"),
    col("IP"),
    col("IMAGE"),
    col("CREATED"),
    col("ID"),
    wide("VCPUS"),
    wide("RAM GB"),
    wide("IPS"),
    wide("KEY PAIR"),
    wide("FLAVOR ID"),
    wide("IMAGE ID"),
    wide("VPC ID"),
    wide("HOST"),
    wide("TAGS"),
];

static IMAGE_COLUMNS: &[Column] = &[
    col("NAME"),
    col("STATUS"),
    col("OS"),
    col("TYPE"),
    col("SIZE"),
    col("MIN DISK"),
    col("CREATED"),
    col("ID"),
    wide("PLATFORM"),
    wide("MIN RAM"),
    wide("VISIBILITY"),
];

static SNAPSHOT_COLUMNS: &[Column] = &[
    col("NAME"),
    col("STATUS"),
    col("GB"),
    col("DISK"),
    col("PROGRESS"),
    col("CREATED"),
    col("ID"),
    wide("DISK ID"),
];

static DISK_COLUMNS: &[Column] = &[
    col("NAME"),
    col("STATUS"),
    col("GB"),
    col("TYPE"),
    col("AZ"),
    col("SERVER"),
    col("DEVICE"),
    col("BOOT"),
    col("ID"),
    wide("SERVER ID"),
];

/// Names of related objects by id (a disk's server, a snapshot's disk), for the table cells.
type Names = HashMap<String, String>;

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

    /// Its columns.
    pub fn columns(self) -> &'static [Column] {
        match self {
            List::Servers(_) => SERVER_COLUMNS,
            List::Images(_) => IMAGE_COLUMNS,
            List::Snapshots(_) => SNAPSHOT_COLUMNS,
            List::Disks(_) => DISK_COLUMNS,
        }
    }

    /// What its names complete (`hvecs __complete`), if they are kept for completion.
    pub fn kind(self) -> &'static str {
        match self {
            List::Servers(_) => "servers",
            List::Images(_) => "images",
            List::Snapshots(_) => "snapshots",
            List::Disks(_) => "disks",
        }
    }

    /// Reads one region's list, each page handed to `sink` as it comes (its items as the API
    /// sent them, with their cells for the formats that print columns). The columns that name
    /// a related object (a disk's server, a snapshot's disk) read those objects' names first.
    pub async fn by_page(
        self,
        gw: &Gateway,
        format: &Format,
        sink: &mut impl FnMut(Vec<Item>) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        let cells = format.needs_cells();
        match self {
            List::Servers(ServersCommand::List {
                az,
                status,
                name,
                host,
                tag,
            }) => {
                let filter = ServerFilter {
                    name: name.clone(),
                    status: status.as_ref().map(|s| s.to_uppercase()),
                    ..Default::default()
                };
                let here = |s: &Server| {
                    az.as_ref().is_none_or(|az| s.availability_zone == *az)
                        && host.as_ref().is_none_or(|h| s.host == *h)
                        && tag.iter().all(|t| has_tag(s, t))
                };
                gw.servers_by_page(&filter, |rows| sink(items(rows, cells, here, server_cells)))
                    .await
            }
            List::Images(ImagesCommand::List { image_type }) => {
                let f = ImageFilter {
                    image_type: image_type.as_deref().map(api_type).transpose()?,
                    ..Default::default()
                };
                gw.images_by_page(&f, |rows| sink(items(rows, cells, |_| true, image_cells)))
                    .await
            }
            List::Snapshots(SnapshotsCommand::List { server, .. }) => {
                let disks: Option<Vec<Disk>> = match server {
                    Some(server) => {
                        let id = super::target::server_id(gw, server).await?;
                        Some(gw.list_disks(Some(&id)).await?)
                    }
                    None => None,
                };
                let names: Names = match (&disks, cells) {
                    (Some(d), _) => d.iter().map(|d| (d.id.clone(), d.name.clone())).collect(),
                    (None, true) => gw
                        .list_disks(None)
                        .await?
                        .into_iter()
                        .map(|d| (d.id, d.name))
                        .collect(),
                    (None, false) => Names::new(),
                };
                let of_disks = |s: &Snapshot| {
                    disks
                        .as_ref()
                        .is_none_or(|d| d.iter().any(|d| d.id == s.volume_id))
                };
                let cells_of = |s: &Snapshot| snapshot_cells(s, &names);
                gw.snapshots_by_page(|rows| sink(items(rows, cells, of_disks, cells_of)))
                    .await
            }
            List::Disks(DisksCommand::List { server }) => {
                let (id, names): (Option<String>, Names) = match server {
                    Some(s) => {
                        let found = super::target::find_server(gw, s).await?;
                        let id = text(&found, "id");
                        let names = [(id.clone(), text(&found, "name"))].into();
                        (Some(id), names)
                    }
                    None if cells => {
                        let servers = gw.list_servers(&ServerFilter::default()).await?;
                        (None, servers.into_iter().map(|s| (s.id, s.name)).collect())
                    }
                    None => (None, Names::new()),
                };
                let cells_of = |d: &Disk| disk_cells(d, &names);
                gw.disks_by_page(id.as_deref(), |rows| {
                    sink(items(rows, cells, |_| true, cells_of))
                })
                .await
            }
            List::Servers(_) | List::Images(_) | List::Snapshots(_) | List::Disks(_) => Ok(()),
        }
    }
}

fn text(v: &serde_json::Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

/// The items of a page that `keep` keeps, with their cells when `with_cells`.
pub fn items<T>(
    rows: Vec<RawRow<T>>,
    with_cells: bool,
    keep: impl Fn(&T) -> bool,
    cells: impl Fn(&T) -> Vec<String>,
) -> Vec<Item> {
    rows.into_iter()
        .filter(|r| keep(&r.row))
        .map(|r| Item {
            cells: if with_cells {
                cells(&r.row)
            } else {
                Vec::new()
            },
            json: r.json,
        })
        .collect()
}

/// Whether `s` carries the tag `want`: `KEY=VALUE`, or `KEY` with any value (ECS lists tags
/// as `key=value` strings).
fn has_tag(s: &Server, want: &str) -> bool {
    s.tags.iter().any(|t| {
        let (k, v) = t.split_once('=').unwrap_or((t, ""));
        match want.split_once('=') {
            Some((wk, wv)) => k == wk && v == wv,
            None => k == want,
        }
    })
}

/// RAM in GB with one decimal (MB from the API).
pub fn gb(mb: u64) -> String {
    format!("{:.1}", mb as f64 / 1024.0)
}

fn server_cells(s: &Server) -> Vec<String> {
    let r = server_record(s);
    vec![
        r.name,
        r.status,
        r.task_state,
        r.az,
        r.flavor,
        r.ip,
        image_name(s),
        r.created,
        r.id,
        s.flavor.vcpus.to_string(),
        gb(s.flavor.ram),
        s.ips().join(","),
        s.key_name.clone().unwrap_or_default(),
        s.flavor.id.clone(),
        s.image_id.clone(),
        s.vpc_id().unwrap_or_default().to_owned(),
        r.host,
        r.tags.join(" "),
    ]
}

fn image_cells(i: &Image) -> Vec<String> {
    let r = image_record(i);
    vec![
        r.name,
        r.status,
        r.os,
        type_word(&i.image_type).to_owned(),
        r.size,
        r.min_disk,
        r.created,
        r.id,
        i.platform.clone(),
        format!("{} MB", i.min_ram),
        i.visibility.clone(),
    ]
}

/// The name of `id` when known, else the id.
fn named(names: &Names, id: &str) -> String {
    names
        .get(id)
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| id.to_owned())
}

fn snapshot_cells(s: &Snapshot, disks: &Names) -> Vec<String> {
    let r = snapshot_record(s, |id| named(disks, id));
    vec![
        r.name,
        r.status,
        r.size,
        r.disk,
        r.progress,
        r.created,
        r.id,
        s.volume_id.clone(),
    ]
}

fn disk_cells(d: &Disk, servers: &Names) -> Vec<String> {
    let r = disk_record(d, |id| named(servers, id));
    let server_id = d
        .attachments
        .first()
        .map(|a| a.server_id.clone())
        .unwrap_or_default();
    vec![
        r.name,
        r.status,
        r.size,
        r.disk_type,
        r.az,
        r.server,
        r.device,
        if r.bootable { "yes" } else { "no" }.into(),
        r.id,
        server_id,
    ]
}
