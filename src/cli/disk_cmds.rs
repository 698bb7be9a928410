//! `disks show|create|attach|detach|expand|rename|delete`: disks and servers by id or exact name;
//! every change through the runner (preconditions that send nothing when refused, exit 4).

use serde_json::Value;

use crate::config::{Paths, Service};
use crate::gateway::model::{Disk, Server};
use crate::gateway::{Gateway, decode};
use crate::runner::disk::gateway::disk_ref;
use crate::runner::disk::op::{DiskOp, DiskRef, NewDisks, ServerInAz};
use crate::runner::gateway_api::known;
use crate::runner::{Known, Op, ServerRef};

use super::args::{ChangeFlags, DiskCreateArgs, DisksCommand, GlobalArgs};
use super::change_cmds::plan_and_run;
use super::exit::{CliError, ExitCode};
use super::format::{Format, View, print};
use super::session;
use super::target::{find, find_server};

/// The `disks` subcommands handled here (all but `list`).
pub fn is_own(cmd: &DisksCommand) -> bool {
    !matches!(cmd, DisksCommand::List { .. })
}

/// The disk with this id or exact name, as the API returned it.
async fn find_disk(gw: &Gateway, wanted: &str) -> Result<Value, CliError> {
    let list = || gw.list_disks_raw(None);
    find("disk", wanted, || gw.show_disk_raw(wanted), list).await
}

async fn disk(gw: &Gateway, wanted: &str) -> Result<DiskRef, CliError> {
    Ok(disk_ref(&decode(&find_disk(gw, wanted).await?)))
}

/// The server with this id or exact name, with its AZ, and what is known of it.
async fn server(gw: &Gateway, wanted: &str) -> Result<(ServerInAz, Known), CliError> {
    let s: Server = decode(&find_server(gw, wanted).await?);
    let at = ServerInAz {
        server: ServerRef::new(s.id.clone(), s.name.clone()),
        az: s.availability_zone.clone(),
    };
    let k = known(s);
    Ok((at, [(k.id.clone(), k)].into()))
}

async fn create_op(gw: &Gateway, a: &DiskCreateArgs) -> Result<(DiskOp, Known), CliError> {
    let (attach_to, known) = match &a.server {
        Some(s) => {
            let (at, k) = server(gw, s).await?;
            (Some(at), k)
        }
        None => (None, Known::new()),
    };
    let az =
        a.az.clone()
            .or_else(|| attach_to.as_ref().map(|t| t.az.clone()))
            .unwrap_or_default();
    let op = DiskOp::Create(NewDisks {
        name: a.name.clone(),
        az,
        volume_type: a.volume_type.clone(),
        size_gb: a.size,
        count: a.count,
        attach_to,
    });
    Ok((op, known))
}

/// The op a changing command asks for, what is known of its server, its flags, and whether it
/// is a dry run.
async fn plan(
    gw: &Gateway,
    cmd: &DisksCommand,
) -> Result<(DiskOp, Known, ChangeFlags, bool), CliError> {
    Ok(match cmd {
        DisksCommand::Create(a) => {
            let (op, k) = create_op(gw, a).await?;
            (op, k, a.change.clone(), false)
        }
        DisksCommand::Attach {
            disk: d,
            server: s,
            device,
            dry_run,
            change,
        } => {
            let disk = disk(gw, d).await?;
            let (to, k) = server(gw, s).await?;
            let op = DiskOp::Attach {
                disk,
                to,
                device: device.clone(),
            };
            (op, k, change.clone(), *dry_run)
        }
        DisksCommand::Detach { disk: d, change } => {
            let disk = disk(gw, d).await?;
            let Some(sid) = disk.server_id.clone() else {
                return Err(CliError::new(
                    ExitCode::Refused,
                    format!(
                        "disk {} is not attached to a server: nothing to detach; nothing was sent",
                        disk.name
                    ),
                ));
            };
            let (from, k) = server(gw, &sid).await?;
            let op = DiskOp::Detach {
                disk,
                from: from.server,
            };
            (op, k, change.clone(), false)
        }
        DisksCommand::Expand {
            disk: d,
            size,
            change,
        } => {
            let op = DiskOp::Expand {
                disk: disk(gw, d).await?,
                new_size_gb: *size,
            };
            (op, Known::new(), change.clone(), false)
        }
        DisksCommand::Rename {
            disk: d,
            name,
            change,
        } => {
            let op = DiskOp::Rename {
                disk: disk(gw, d).await?,
                name: name.clone(),
            };
            (op, Known::new(), change.clone(), false)
        }
        DisksCommand::Delete { disk: d, change } => {
            let op = DiskOp::Delete {
                disk: disk(gw, d).await?,
            };
            (op, Known::new(), change.clone(), false)
        }
        DisksCommand::List { .. } | DisksCommand::Show { .. } => {
            return Err(CliError::new(ExitCode::Usage, "not a changing command"));
        }
    })
}

/// `disks show`: the disk as the API returned it (`-o json`), or its fields.
async fn show(gw: &Gateway, wanted: &str, format: &Format) -> Result<(), CliError> {
    let raw = find_disk(gw, wanted).await?;
    let d: Disk = decode(&raw);
    let mut servers = Vec::new();
    for a in &d.attachments {
        let name = match format.needs_cells() {
            true => gw.show_server(&a.server_id).await.map(|s| s.name).ok(),
            false => None,
        };
        servers.push((name.unwrap_or_default(), a));
    }
    print(format, &raw, || {
        let attached: Vec<String> = servers
            .iter()
            .map(|(name, a)| format!("{name} ({}) at {}", a.server_id, a.device))
            .collect();
        View::Fields(vec![
            ("name", d.name.clone()),
            ("id", d.id.clone()),
            ("status", d.status.clone()),
            ("size", format!("{} GB", d.size)),
            ("type", d.volume_type.clone()),
            ("az", d.availability_zone.clone()),
            ("bootable", if d.bootable { "yes" } else { "no" }.into()),
            ("attached", attached.join(", ")),
            ("created", d.created_at.to_string()),
            ("updated", d.updated_at.to_string()),
        ])
    })
}

/// Runs one `disks` command other than `list`.
pub fn disks(global: &GlobalArgs, paths: &Paths, cmd: &DisksCommand) -> Result<(), CliError> {
    if let DisksCommand::Show { disk } = cmd {
        let conn = session::connection(global, paths)?;
        let cloud = session::cloud(&conn, global)?;
        let gw = cloud.home()?;
        let rt = session::runtime()?;
        let what = super::waiting::what(&gw, Service::Evs);
        let format = Format::of(global)?;
        return rt.block_on(super::waiting::announce(&what, show(&gw, disk, &format)));
    }
    plan_and_run(global, paths, Service::Evs, async |gw| {
        let (op, known, flags, dry_run) = plan(gw, cmd).await?;
        Ok((Op::Disk(op), known, flags, dry_run))
    })
}
