//! `snapshots list|create|rollback|delete|rename`: server snapshots as sets (`snapshot_sets.rs`),
//! every change through the runner (`jobs resume` of their tasks: `snapshot_resume.rs`). The tasks of several steps (a set, a
//! rollback, a delete) are followed to their end, as this process sends each step.

use std::collections::BTreeMap;

use chrono::Utc;

use crate::config::{Paths, Service};
use crate::gateway::model::{Disk, Server, Snapshot};
use crate::gateway::{Gateway, ServerFilter, decode, found};
use crate::runner::gateway_api::known;
use crate::runner::snapshot::op::{
    AttachedDisk, SERVER_KEY, SetMember, SnapshotOp, SnapshotRef, new_set_id,
};
use crate::runner::{Known, Op, ServerRef};

use super::args::{ChangeFlags, GlobalArgs, Output, SnapshotsCommand};
use super::change_cmds::{ask, plan_and_run};
use super::exit::{CliError, ExitCode};
use super::format::{Format, View, print};
use super::snapshot_sets::{COLUMNS, rows};
use super::target::find_server;
use super::{out, session};
use crate::read::snapshot_sets::{SnapshotSet, group};

/// The `snapshots` subcommands handled here: the changes, and the list by set in one region.
pub fn is_own(global: &GlobalArgs, cmd: &SnapshotsCommand) -> bool {
    match cmd {
        SnapshotsCommand::Show { .. } | SnapshotsCommand::List { each: true, .. } => false,
        SnapshotsCommand::List { .. } => !session::every_region(global),
        _ => true,
    }
}

/// The server with this id or exact name.
pub(super) async fn server(gw: &Gateway, wanted: &str) -> Result<Server, CliError> {
    Ok(decode(&find_server(gw, wanted).await?))
}

pub(super) fn known_of(s: &Server) -> Known {
    let k = known(s.clone());
    [(k.id.clone(), k)].into()
}

/// The disk as a snapshot op names it, at its device on `server_id`.
fn attached(d: &Disk, server_id: &str, fallback_device: Option<&str>) -> AttachedDisk {
    let device = d
        .attachments
        .iter()
        .find(|a| a.server_id == server_id)
        .map(|a| a.device.clone())
        .or_else(|| fallback_device.map(str::to_owned))
        .unwrap_or_default();
    AttachedDisk {
        volume_id: d.id.clone(),
        name: d.name.clone(),
        device,
        bootable: d.bootable,
        size_gb: d.size,
    }
}

/// The disk with this id (`None`: it is gone).
pub(super) async fn disk(gw: &Gateway, id: &str) -> Result<Option<Disk>, CliError> {
    Ok(found(gw.show_disk(id).await)?)
}

/// The sets of the project (a server's name for each tagged set).
async fn sets(gw: &Gateway) -> Result<Vec<SnapshotSet>, CliError> {
    let snaps = gw.list_snapshots(None).await?;
    let mut ids: Vec<String> = snaps
        .iter()
        .filter_map(|s| s.metadata.get(SERVER_KEY).cloned())
        .collect();
    ids.sort();
    ids.dedup();
    let mut names = BTreeMap::new();
    if !ids.is_empty() {
        let filter = ServerFilter {
            ids,
            ..ServerFilter::default()
        };
        for s in gw.list_servers(&filter).await? {
            names.insert(s.id, s.name);
        }
    }
    Ok(group(&snaps, |id| names.get(id).cloned()))
}

/// The set `wanted` names: a set id, or a snapshot's id or exact name (its whole set).
fn find_set(all: &[SnapshotSet], wanted: &str) -> Result<SnapshotSet, CliError> {
    if let Some(s) = all.iter().find(|s| s.set == wanted) {
        return Ok(s.clone());
    }
    let hits: Vec<&SnapshotSet> = all
        .iter()
        .filter(|s| {
            s.members
                .iter()
                .any(|m| m.snapshot_id == wanted || m.name == wanted)
        })
        .collect();
    match hits.as_slice() {
        [] => Err(CliError::new(
            ExitCode::Api,
            format!("no snapshot set or snapshot has the id or name {wanted:?}"),
        )),
        [one] => Ok((*one).clone()),
        many => Err(CliError::new(
            ExitCode::Usage,
            format!(
                "{} sets have a snapshot named {wanted:?}; give the set id: {}",
                many.len(),
                many.iter()
                    .map(|s| s.set.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

async fn create_op(
    gw: &Gateway,
    wanted: &str,
    name: Option<String>,
) -> Result<(Op, Known), CliError> {
    let s = server(gw, wanted).await?;
    let mut disks: Vec<AttachedDisk> = gw
        .list_disks(Some(&s.id))
        .await?
        .iter()
        .map(|d| attached(d, &s.id, None))
        .collect();
    disks.sort_by(|a, b| a.device.cmp(&b.device));
    let op = SnapshotOp::Create {
        server: ServerRef::new(s.id.clone(), s.name.clone()),
        set_id: new_set_id(),
        disks,
        name,
        taken_at: Utc::now(),
    };
    Ok((Op::Snapshot(op), known_of(&s)))
}

async fn rollback_op(
    gw: &Gateway,
    wanted: &str,
    server_arg: Option<&str>,
    soft_stop_secs: u64,
) -> Result<(Op, Known, SnapshotSet), CliError> {
    let set = find_set(&sets(gw).await?, wanted)?;
    let mut disks = BTreeMap::new();
    for m in &set.members {
        disks.insert(m.volume_id.clone(), disk(gw, &m.volume_id).await?);
    }
    let server_id = match (&set.server_id, server_arg) {
        (Some(id), None) => id.clone(),
        (Some(id), Some(w)) => {
            let s = server(gw, w).await?;
            if s.id != *id {
                return Err(CliError::new(
                    ExitCode::Refused,
                    format!(
                        "set {} is of server {id}, not {w}; nothing was sent",
                        set.set
                    ),
                ));
            }
            s.id
        }
        (None, Some(w)) => server(gw, w).await?.id,
        (None, None) => disks
            .values()
            .flatten()
            .find_map(|d| d.attachments.first().map(|a| a.server_id.clone()))
            .ok_or_else(|| {
                CliError::new(
                    ExitCode::Usage,
                    format!(
                        "set {} names no server and its disk is detached: give --server",
                        set.set
                    ),
                )
            })?,
    };
    let s = server(gw, &server_id).await?;
    let members = set
        .members
        .iter()
        .map(|m| {
            let d = disks.get(&m.volume_id).cloned().flatten();
            let disk = match &d {
                Some(d) => attached(d, &s.id, m.device.as_deref()),
                None => AttachedDisk {
                    volume_id: m.volume_id.clone(),
                    name: m.volume_id.clone(),
                    device: m.device.clone().unwrap_or_default(),
                    bootable: false,
                    size_gb: m.size_gb,
                },
            };
            SetMember {
                snapshot_id: m.snapshot_id.clone(),
                snapshot_status: m.status.clone(),
                attached_to: d
                    .as_ref()
                    .and_then(|d| d.attachments.first().map(|a| a.server_id.clone())),
                disk_exists: d.is_some(),
                disk,
            }
        })
        .collect();
    let op = SnapshotOp::Rollback {
        server: ServerRef::new(s.id.clone(), s.name.clone()),
        set_id: set.set.clone(),
        members,
        was_running: s.status.to_string() == "ACTIVE",
        soft_stop_secs,
    };
    Ok((Op::Snapshot(op), known_of(&s), set))
}

/// A rollback is confirmed by typing the server's name (or `--yes`); the question says what is
/// lost and shows the plan.
fn confirm_rollback(op: &Op, set: &SnapshotSet, yes: bool) -> Result<(), CliError> {
    let Op::Snapshot(SnapshotOp::Rollback { server, .. }) = op else {
        return Ok(());
    };
    if yes {
        return Ok(());
    }
    let plan: Vec<String> = crate::runner::task::plan(op)
        .iter()
        .enumerate()
        .map(|(i, s)| format!("  {}. {}", i + 1, s.describe()))
        .collect();
    let question = format!(
        "roll {} back to set {} taken {}: every change since then is discarded.\n{}\ntype the server's name to confirm: ",
        server.name,
        set.set,
        set.time,
        plan.join("\n")
    );
    if ask(&format!("roll {} back", server.name), &question)? == server.name {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Refused,
            "not confirmed (the name typed is not the server's): nothing was sent",
        ))
    }
}

async fn delete_op(gw: &Gateway, targets: &[String]) -> Result<Op, CliError> {
    let all = sets(gw).await?;
    let mut picked: Vec<SnapshotRef> = Vec::new();
    for t in targets {
        for m in find_set(&all, t)?.members {
            if !picked.iter().any(|p| p.id == m.snapshot_id) {
                picked.push(SnapshotRef {
                    id: m.snapshot_id,
                    name: m.name,
                    status: m.status,
                });
            }
        }
    }
    Ok(Op::Snapshot(SnapshotOp::Delete { snapshots: picked }))
}

async fn rename_op(gw: &Gateway, wanted: &str, name: &str) -> Result<Op, CliError> {
    let raw = gw.list_snapshots_raw(None).await?;
    let s: Snapshot = decode(&super::target::pick("snapshot", wanted, raw)?);
    Ok(Op::Snapshot(SnapshotOp::Rename {
        snapshot: SnapshotRef {
            id: s.id,
            name: s.name,
            status: s.status,
        },
        name: name.to_owned(),
    }))
}

/// `snapshots list` by set, in one region.
fn list(global: &GlobalArgs, paths: &Paths, server_arg: Option<&str>) -> Result<(), CliError> {
    let conn = session::connection(global, paths)?;
    let cloud = session::cloud(&conn, global)?;
    let gw = cloud.home()?;
    let rt = session::runtime()?;
    let what = super::waiting::what(&gw, Service::Evs);
    let mut all = rt.block_on(super::waiting::announce(&what, async {
        let all = sets(&gw).await?;
        let only = match server_arg {
            Some(w) => {
                let s = server(&gw, w).await?;
                let disks: Vec<String> = gw
                    .list_disks(Some(&s.id))
                    .await?
                    .into_iter()
                    .map(|d| d.id)
                    .collect();
                Some((s.id, disks))
            }
            None => None,
        };
        Ok::<_, CliError>((all, only))
    }))?;
    if let Some((id, disks)) = &all.1 {
        all.0.retain(|s| {
            s.server_id.as_deref() == Some(id.as_str())
                || s.members.iter().any(|m| disks.contains(&m.volume_id))
        });
    }
    // Every format of the CLI: the sets as JSON (json, ndjson, `--query`), or their columns.
    let format = Format::of(global)?;
    let json = serde_json::to_value(&all.0)
        .map_err(|e| CliError::new(ExitCode::Failed, format!("cannot write JSON: {e}")))?;
    let json = match (format.output, json) {
        (Output::Ndjson, serde_json::Value::Array(items)) if format.query.is_none() => {
            let mut lines = String::new();
            for item in items {
                lines.push_str(&item.to_string());
                lines.push('\n');
            }
            return out::json(&lines);
        }
        (_, json) => json,
    };
    print(&format, &json, || View::Table {
        columns: COLUMNS.to_vec(),
        rows: rows(&all.0),
    })
}

/// Runs one `snapshots` command handled here.
pub fn snapshots(
    global: &GlobalArgs,
    paths: &Paths,
    cmd: &SnapshotsCommand,
) -> Result<(), CliError> {
    if let SnapshotsCommand::List { server, .. } = cmd {
        return list(global, paths, server.as_deref());
    }
    plan_and_run(global, paths, Service::Evs, async |gw| {
        let (op, known, mut flags) = match cmd {
            SnapshotsCommand::Create {
                server,
                name,
                change,
            } => {
                let (op, k) = create_op(gw, server, name.clone()).await?;
                (op, k, followed(change))
            }
            SnapshotsCommand::Rollback {
                set,
                server,
                soft_stop,
                change,
            } => {
                let (op, k, s) = rollback_op(gw, set, server.as_deref(), *soft_stop).await?;
                confirm_rollback(&op, &s, change.yes)?;
                (
                    op,
                    k,
                    ChangeFlags {
                        wait: true,
                        yes: true,
                        timeout: change.timeout,
                    },
                )
            }
            SnapshotsCommand::Delete { targets, change } => (
                delete_op(gw, targets).await?,
                Known::new(),
                followed(change),
            ),
            SnapshotsCommand::Rename {
                snapshot,
                name,
                change,
            } => (
                rename_op(gw, snapshot, name).await?,
                Known::new(),
                change.clone(),
            ),
            SnapshotsCommand::List { .. } | SnapshotsCommand::Show { .. } => {
                return Err(CliError::new(ExitCode::Usage, "not a changing command"));
            }
        };
        if matches!(op, Op::Snapshot(SnapshotOp::Rename { .. })) {
            flags.wait = true;
        }
        Ok((op, known, flags, false))
    })
}

/// A task of several steps sent by this process: followed to its end.
fn followed(change: &ChangeFlags) -> ChangeFlags {
    ChangeFlags {
        wait: true,
        yes: change.yes,
        timeout: change.timeout,
    }
}
