//! `servers create|start|stop|reboot|resize|rename|delete` and `jobs list|show`: every change
//! through the runner (preconditions, read-only, journal, audit log), targets by id or exact name.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::Arc;

use crate::config::{Config, Env, Paths, Profile};
use crate::gateway::{Gateway, ServerFilter};
use crate::runner::gateway_api::{GatewayApi, known};
use crate::runner::journal::Journal;
use crate::runner::{
    CreateSpec, Hardness, Known, Op, PowerAction, Priority, Runner, RunnerSettings, ServerRef,
    Submission, SubmitError, Task, TaskId, TaskState, Timing, VolumeSpec,
};

use super::args::{ChangeFlags, CreateArgs, GlobalArgs, JobsCommand, Output, ServersCommand};
use super::config_cmd::overrides;
use super::exit::{CliError, ExitCode};
use super::follow::{exit_code, follow, line, summary};
use super::target::looks_like_id;
use super::{session, table::Table};

/// Whether a `servers` subcommand changes something (the others are reads).
pub fn is_change(cmd: &ServersCommand) -> bool {
    !matches!(
        cmd,
        ServersCommand::List { .. } | ServersCommand::Show { .. }
    )
}

fn profile(global: &GlobalArgs, paths: &Paths) -> Result<Profile, CliError> {
    let config = Config::load(global.config.as_deref(), paths)?;
    config
        .select(global.profile.as_deref(), &Env::from_process(), &overrides(global))?
        .ok_or_else(|| {
            CliError::new(
                ExitCode::Usage,
                "no profile: write a config file or set HVECS_ENDPOINT, HVECS_REGION and credentials",
            )
        })
}

fn tty() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The runner of the profile in use, on the real gateway.
fn runner(
    profile: &Profile,
    principal: &str,
    gw: Gateway,
    paths: &Paths,
) -> Result<Runner, CliError> {
    let conn_region = gw.region().to_owned();
    let settings = RunnerSettings {
        profile: profile.name.clone(),
        region: conn_region,
        principal: principal.to_owned(),
        state_dir: paths.profile_state_dir(&profile.name),
        max_parallel: profile.max_parallel_tasks,
        read_only: profile.read_only,
        timing: Timing::default(),
    };
    Runner::start(settings, Arc::new(GatewayApi::new(gw)))
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))
}

fn refusal(e: SubmitError) -> CliError {
    match e {
        SubmitError::Refused(r) => CliError::new(ExitCode::Refused, r.to_string()),
        SubmitError::Runner(r) => CliError::new(ExitCode::Usage, r.to_string()),
        SubmitError::Api(a) => {
            CliError::new(ExitCode::Api, format!("the gateway's check said no: {a}"))
        }
    }
}

/// Finds each wanted server by id or exact name; returns them and what is known of them.
async fn resolve(gw: &Gateway, wanted: &[String]) -> Result<(Vec<ServerRef>, Known), CliError> {
    let ids_only = wanted.iter().all(|w| looks_like_id(w));
    let mut servers = Vec::new();
    if ids_only {
        for chunk in wanted.chunks(100) {
            let filter = ServerFilter {
                ids: chunk.to_vec(),
                ..ServerFilter::default()
            };
            servers.extend(gw.list_servers(&filter).await?);
        }
    } else {
        servers = gw.list_servers(&ServerFilter::default()).await?;
    }
    let known: Known = servers
        .into_iter()
        .map(known)
        .map(|k| (k.id.clone(), k))
        .collect();
    let mut picked = Vec::new();
    let mut seen = HashSet::new();
    for w in wanted {
        let found = match known.get(w) {
            Some(k) => k,
            None => {
                let named: Vec<_> = known.values().filter(|k| &k.name == w).collect();
                match named.as_slice() {
                    [one] => *one,
                    [] => {
                        return Err(CliError::new(
                            ExitCode::Usage,
                            format!("no server has the id or name {w:?}"),
                        ));
                    }
                    many => {
                        let list: Vec<String> = many
                            .iter()
                            .map(|k| format!("  {}  {}", k.id, k.status))
                            .collect();
                        return Err(CliError::new(
                            ExitCode::Usage,
                            format!(
                                "{} servers are named {w:?}; give the id of the one you mean:\n{}",
                                many.len(),
                                list.join("\n")
                            ),
                        ));
                    }
                }
            }
        };
        if seen.insert(found.id.clone()) {
            picked.push(ServerRef::new(found.id.clone(), found.name.clone()));
        }
    }
    Ok((picked, known))
}

/// Destructive ops ask on a terminal; without one they need `--yes`.
fn confirm(op: &Op, yes: bool) -> Result<(), CliError> {
    if yes || !op.is_destructive() {
        return Ok(());
    }
    if !tty() {
        return Err(CliError::new(
            ExitCode::Refused,
            format!(
                "refusing to {} without confirmation: there is no terminal to ask on; add --yes",
                op.describe()
            ),
        ));
    }
    let names: Vec<String> = op
        .servers()
        .iter()
        .take(10)
        .map(|s| s.name.clone())
        .collect();
    eprint!(
        "{} ({}{})? type y to confirm [y/N] ",
        op.describe(),
        names.join(", "),
        if op.servers().len() > 10 { ", …" } else { "" }
    );
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok();
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Refused,
            "not confirmed: nothing was sent",
        ))
    }
}

fn create_op(a: &CreateArgs) -> Result<Op, CliError> {
    let mut data = Vec::new();
    for d in &a.data_disks {
        let parsed = d
            .split_once(':')
            .and_then(|(t, gb)| gb.parse::<u32>().ok().map(|gb| (t, gb)))
            .filter(|(t, gb)| !t.is_empty() && *gb > 0);
        let Some((t, gb)) = parsed else {
            return Err(CliError::new(
                ExitCode::Usage,
                format!("--data-disk {d:?}: write it as TYPE:GB, e.g. SSD:100"),
            ));
        };
        data.push(VolumeSpec {
            volume_type: t.to_owned(),
            size_gb: gb,
        });
    }
    let admin_pass = match &a.admin_pass_env {
        Some(var) => Some(crate::config::Secret::new(std::env::var(var).map_err(
            |_| {
                CliError::new(
                    ExitCode::Usage,
                    format!("--admin-pass-env {var}: the variable is not set (or not UTF-8)"),
                )
            },
        )?)),
        None => None,
    };
    Ok(Op::CreateServers(CreateSpec {
        name: a.name.clone(),
        image_id: a.image.clone(),
        flavor_id: a.flavor.clone(),
        vpc_id: a.vpc.clone(),
        subnet_id: a.subnet.clone(),
        availability_zone: a.az.clone(),
        root_volume: VolumeSpec {
            volume_type: a.disk_type.clone(),
            size_gb: a.disk_size,
        },
        data_volumes: data,
        count: a.count,
        key_name: a.key_name.clone(),
        had_admin_pass: admin_pass.is_some(),
        admin_pass,
    }))
}

/// A power change (never a dry run) of the servers `wanted` names.
async fn power_op(
    gw: &Gateway,
    wanted: &[String],
    action: PowerAction,
    change: &ChangeFlags,
) -> Result<(Op, Known, ChangeFlags, bool), CliError> {
    let (servers, known) = resolve(gw, wanted).await?;
    Ok((Op::Power { action, servers }, known, change.clone(), false))
}

/// The op a command asks for, its flags, and whether it is a dry run.
async fn plan(
    gw: &Gateway,
    cmd: &ServersCommand,
) -> Result<(Op, Known, ChangeFlags, bool), CliError> {
    let hard = |h: bool| if h { Hardness::Hard } else { Hardness::Soft };
    Ok(match cmd {
        ServersCommand::Create(a) => (create_op(a)?, Known::new(), a.change.clone(), a.dry_run),
        ServersCommand::Start { servers, change } => {
            power_op(gw, servers, PowerAction::Start, change).await?
        }
        ServersCommand::Stop {
            servers,
            hard: h,
            change,
        } => power_op(gw, servers, PowerAction::Stop(hard(*h)), change).await?,
        ServersCommand::Reboot {
            servers,
            hard: h,
            change,
        } => power_op(gw, servers, PowerAction::Reboot(hard(*h)), change).await?,
        ServersCommand::Resize {
            server,
            flavor,
            with_stop,
            dry_run,
            change,
        } => {
            let (mut s, k) = resolve(gw, std::slice::from_ref(server)).await?;
            let op = Op::Resize {
                server: s.remove(0),
                flavor_id: flavor.clone(),
                with_stop: *with_stop,
            };
            (op, k, change.clone(), *dry_run)
        }
        ServersCommand::Rename {
            server,
            name,
            change,
        } => {
            let (mut s, k) = resolve(gw, std::slice::from_ref(server)).await?;
            let op = Op::Rename {
                server: s.remove(0),
                name: name.clone(),
            };
            (op, k, change.clone(), false)
        }
        ServersCommand::Delete {
            servers,
            with_disks,
            change,
        } => {
            let (s, k) = resolve(gw, servers).await?;
            let op = Op::Delete {
                servers: s,
                delete_volumes: *with_disks,
            };
            (op, k, change.clone(), false)
        }
        ServersCommand::List { .. } | ServersCommand::Show { .. } => {
            return Err(CliError::new(ExitCode::Usage, "not a changing command"));
        }
    })
}

/// Runs one changing `servers` command.
pub fn servers(global: &GlobalArgs, paths: &Paths, cmd: &ServersCommand) -> Result<(), CliError> {
    let profile = profile(global, paths)?;
    let conn = profile.connect()?;
    let gw = session::gateway(&conn, global)?;
    let rt = session::runtime()?;
    rt.block_on(async {
        let (op, known, flags, dry_run) = plan(&gw, cmd).await?;
        let runner = runner(&profile, conn.credentials.principal(), gw.clone(), paths)?;
        if dry_run {
            runner.dry_run(&op, &known).await.map_err(refusal)?;
            println!(
                "dry run: the gateway accepts: {}; nothing was changed",
                op.describe()
            );
            return Ok(());
        }
        confirm(&op, flags.yes)?;
        let mut rx = runner.subscribe();
        let priority = if op.servers().len() > 1 {
            Priority::Bulk
        } else {
            Priority::Interactive
        };
        let submitted = runner
            .submit(Submission {
                region: gw.region().to_owned(),
                op,
                priority,
                known,
                skip_inapplicable: false,
            })
            .await
            .map_err(refusal)?;
        let id = submitted.task.id.clone();
        eprintln!("task {id}: {}", submitted.task.op.describe());
        let task = follow(&runner, &mut rx, &id, flags.wait, tty()).await?;
        finish(&task, flags.wait, global.output)
    })
}

/// Prints the outcome and turns it into the exit code.
fn finish(task: &Task, waited: bool, out: Output) -> Result<(), CliError> {
    if out == Output::Json {
        println!("{}", serde_json::to_string_pretty(task).unwrap_or_default());
    }
    if !waited && task.state == TaskState::Unfollowed {
        if out == Output::Table {
            println!("task {} job {}", task.id, task.job_ids().join(","));
        }
        eprintln!("follow it with: hvecs jobs show {} --wait", task.id);
        return Ok(());
    }
    if out == Output::Table {
        print!("{}", summary(task));
    }
    match exit_code(task) {
        ExitCode::Done => Ok(()),
        code => Err(CliError::new(
            code,
            task.note
                .clone()
                .unwrap_or_else(|| format!("task {} {}", task.id, task.state.name())),
        )),
    }
}

/// `jobs list` and `jobs show TASK [--wait]`.
pub fn jobs(global: &GlobalArgs, paths: &Paths, cmd: &JobsCommand) -> Result<(), CliError> {
    let profile = profile(global, paths)?;
    let journal = Journal::open(&paths.profile_state_dir(&profile.name))
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    let replay = journal
        .load()
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    match cmd {
        JobsCommand::List => {
            if global.output == Output::Json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&replay.tasks).unwrap_or_default()
                );
                return Ok(());
            }
            let mut t = Table::new(&["TASK", "STATE", "WHAT", "CREATED", "PROGRESS", "JOBS"]);
            for task in replay.tasks.iter().rev() {
                t.push(vec![
                    task.id.to_string(),
                    task.state.name().to_owned(),
                    task.op.describe(),
                    task.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    format!("{}%", task.progress.percent_whole()),
                    task.job_ids().join(","),
                ]);
            }
            print!("{}", t.print());
            Ok(())
        }
        JobsCommand::Show { task, wait } => {
            let id = TaskId::parse(task).map_err(|e| CliError::new(ExitCode::Usage, e))?;
            let found = replay.tasks.iter().find(|t| t.id == id).ok_or_else(|| {
                CliError::new(
                    ExitCode::Usage,
                    format!(
                        "no task {id} in profile {}'s journal (see `hvecs jobs list`)",
                        profile.name
                    ),
                )
            })?;
            if !wait || found.state.is_final() {
                return show(found, global.output);
            }
            let conn = profile.connect()?;
            let gw = session::gateway(&conn, global)?;
            let rt = session::runtime()?;
            rt.block_on(async {
                let runner = runner(&profile, conn.credentials.principal(), gw, paths)?;
                let mut rx = runner.subscribe();
                let r = runner
                    .reattach(Some(id.clone()))
                    .await
                    .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
                if !r.elsewhere.is_empty() {
                    return Err(CliError::new(
                        ExitCode::Refused,
                        format!("another console follows task {id}; `hvecs jobs show {id}` shows its last known state"),
                    ));
                }
                if r.followed.is_empty() {
                    return show(found, global.output);
                }
                eprintln!("reattached {}", line(found));
                let task = follow(&runner, &mut rx, &id, true, tty()).await?;
                finish(&task, true, global.output)
            })
        }
    }
}

fn show(task: &Task, out: Output) -> Result<(), CliError> {
    if out == Output::Json {
        println!("{}", serde_json::to_string_pretty(task).unwrap_or_default());
        return Ok(());
    }
    println!("{}", line(task));
    println!(
        "  created {} by {} in {} ({})",
        task.created_at.format("%Y-%m-%d %H:%M:%S"),
        task.principal,
        task.region,
        task.profile
    );
    for (i, s) in task.steps.iter().enumerate() {
        println!(
            "  step {}: {}  {:?}{}{}",
            i + 1,
            s.describe(),
            s.state,
            s.request_id
                .as_deref()
                .map(|r| format!("  request {r}"))
                .unwrap_or_default(),
            s.error
                .as_deref()
                .map(|e| format!("  error: {e}"))
                .unwrap_or_default()
        );
    }
    for (id, t) in &task.targets {
        println!("  {} ({id}): {:?}", t.name, t.outcome);
    }
    Ok(())
}
