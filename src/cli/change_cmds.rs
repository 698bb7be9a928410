//! `servers create|start|stop|reboot|resize|rename|delete`: every change through the runner
//! (preconditions, read-only, journal, audit log), targets by id or exact name.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::Arc;

use crate::config::{Config, Env, Paths, Profile, Service};
use crate::gateway::{CloudSession, Gateway, ServerFilter};
use crate::runner::gateway_api::known;
use crate::runner::precondition;
use crate::runner::tags::TagChange;
use crate::runner::{
    CreateSpec, Hardness, Known, Op, PowerAction, Runner, RunnerSettings, ServerRef, Submission,
    SubmitError, Task, TaskState, Timing, VolumeSpec,
};

use super::args::{ChangeFlags, CreateArgs, GlobalArgs, Output, ServersCommand};
use super::config_cmd::overrides;
use super::exit::{CliError, ExitCode};
use super::follow::{exit_code, follow, summary};
use super::out;
use super::session;
use super::target::looks_like_id;

/// Whether a `servers` subcommand changes something (the others are reads).
pub fn is_change(cmd: &ServersCommand) -> bool {
    !matches!(
        cmd,
        ServersCommand::List { .. } | ServersCommand::Show { .. } | ServersCommand::Console { .. }
    )
}

pub(super) fn profile(global: &GlobalArgs, paths: &Paths) -> Result<Profile, CliError> {
    let config = Config::load(global.config.as_deref(), paths)?;
    config
        .select(global.profile.as_deref(), &Env::from_process(), &overrides(global))?
        .ok_or_else(|| {
            CliError::new(
                ExitCode::Usage,
                "no profile: run `hvecs config init` to write a config file, or set HVECS_ENDPOINT, HVECS_REGION and credentials",
            )
        })
}

pub(super) fn tty() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The runner of the profile in use, on the cloud session (every region).
pub(super) fn runner(
    profile: &Profile,
    session: &CloudSession,
    paths: &Paths,
) -> Result<Runner, CliError> {
    let settings = RunnerSettings {
        profile: profile.name.clone(),
        region: session.region().to_owned(),
        principal: session.principal().to_owned(),
        state_dir: paths.profile_state_dir(&profile.name),
        max_parallel: profile.max_parallel_tasks,
        read_only: session.read_only().clone(),
        timing: Timing::default(),
    };
    let runner = Runner::start(settings, Arc::new(session.clone()))
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    if let Some(n) = runner.journal_notice() {
        out::note(&format!("hvecs: {n}"));
    }
    Ok(runner)
}

pub(super) fn refusal(e: SubmitError) -> CliError {
    match e {
        SubmitError::Refused(r) => CliError::new(ExitCode::Refused, r.to_string()),
        SubmitError::Runner(r) => CliError::new(ExitCode::Usage, r.to_string()),
        SubmitError::Api(a) => {
            CliError::new(ExitCode::Api, format!("the gateway's check said no: {a}"))
        }
    }
}

/// Finds the one wanted server by id or exact name; returns it and what is known of it.
pub(super) async fn resolve_one(
    gw: &Gateway,
    wanted: &str,
) -> Result<(ServerRef, Known), CliError> {
    let (mut picked, known) = resolve(gw, &[wanted.to_owned()]).await?;
    Ok((picked.remove(0), known))
}

/// Finds each wanted server by id or exact name; returns them and what is known of them.
pub(super) async fn resolve(
    gw: &Gateway,
    wanted: &[String],
) -> Result<(Vec<ServerRef>, Known), CliError> {
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
                        // Not found is the API's answer (exit 3), as in `target::pick`.
                        return Err(CliError::new(
                            ExitCode::Api,
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
pub(super) fn confirm(op: &Op, yes: bool) -> Result<(), CliError> {
    if yes || !op.is_destructive() {
        return Ok(());
    }
    let targets = op.targets();
    let names: Vec<String> = targets.iter().take(10).map(|(_, n)| n.clone()).collect();
    let which = if names.is_empty() {
        String::new()
    } else {
        let more = if targets.len() > 10 { ", …" } else { "" };
        format!(" ({}{more})", names.join(", "))
    };
    let question = format!("{}{which}? type y to confirm [y/N] ", op.describe());
    if matches!(ask(&op.describe(), &question)?.as_str(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Refused,
            "not confirmed: nothing was sent",
        ))
    }
}

/// Asks `question` on the terminal and gives back the answer, trimmed. Without a terminal to ask
/// on, refuses to `what` (an op described) and says `--yes` is needed.
pub(super) fn ask(what: &str, question: &str) -> Result<String, CliError> {
    if !tty() {
        return Err(CliError::new(
            ExitCode::Refused,
            format!(
                "refusing to {what} without confirmation: there is no terminal to ask on; add --yes"
            ),
        ));
    }
    super::out::prompt(question);
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok();
    Ok(answer.trim().to_owned())
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

/// A power change (never a dry run) of the servers `wanted` names. Unless `strict`, the servers
/// already in its end state are left out, each said on stderr (no servers left: nothing to do).
async fn power_op(
    gw: &Gateway,
    wanted: &[String],
    action: PowerAction,
    change: &ChangeFlags,
    strict: bool,
) -> Result<(Op, Known, ChangeFlags, bool), CliError> {
    let (servers, known) = resolve(gw, wanted).await?;
    let mut op = Op::Power { action, servers };
    let done = if strict {
        Vec::new()
    } else {
        precondition::already_done(&op, &known)
    };
    if !done.is_empty() {
        for (s, status) in &done {
            out::note(&format!(
                "{} is already {status}: skipped (--strict refuses it)",
                s.name
            ));
        }
        let rest: Vec<ServerRef> = op
            .servers()
            .into_iter()
            .filter(|s| !done.iter().any(|(d, _)| d.id == s.id))
            .collect();
        op = Op::Power {
            action,
            servers: rest,
        };
    }
    Ok((op, known, change.clone(), false))
}

/// Every server a start or a stop named was already in its end state: nothing is sent.
fn nothing_to_do(op: &Op, output: Output) -> Result<(), CliError> {
    let end = match op {
        Op::Power {
            action: PowerAction::Start,
            ..
        } => "ACTIVE",
        _ => "SHUTOFF",
    };
    let said = format!("nothing to do: every server is already {end}; nothing was sent");
    match output {
        Output::Json | Output::Ndjson => {
            out::json_value(&serde_json::json!({"state": "nothing_to_do", "message": said}))
        }
        Output::Table | Output::Wide | Output::Tsv => out::text(&format!("{said}\n")),
    }
}

/// The op a command asks for, its flags, and whether it is a dry run.
async fn plan(
    gw: &Gateway,
    cmd: &ServersCommand,
) -> Result<(Op, Known, ChangeFlags, bool), CliError> {
    let hard = |h: bool| if h { Hardness::Hard } else { Hardness::Soft };
    Ok(match cmd {
        ServersCommand::Create(a) => {
            let a = super::names::create_args(gw, a).await?;
            (create_op(&a)?, Known::new(), a.change.clone(), a.dry_run)
        }
        ServersCommand::Start {
            servers,
            strict,
            change,
        } => power_op(gw, servers, PowerAction::Start, change, *strict).await?,
        ServersCommand::Stop {
            servers,
            hard: h,
            strict,
            change,
        } => power_op(gw, servers, PowerAction::Stop(hard(*h)), change, *strict).await?,
        ServersCommand::Reboot {
            servers,
            hard: h,
            change,
        } => power_op(gw, servers, PowerAction::Reboot(hard(*h)), change, true).await?,
        ServersCommand::Resize {
            server,
            flavor,
            with_stop,
            dry_run,
            change,
        } => {
            let (s, k) = resolve_one(gw, server).await?;
            let op = Op::Resize {
                server: s,
                flavor_id: super::names::flavor(gw, flavor, None).await?,
                with_stop: *with_stop,
            };
            (op, k, change.clone(), *dry_run)
        }
        ServersCommand::Rename {
            server,
            name,
            change,
        } => {
            let (s, k) = resolve_one(gw, server).await?;
            let op = Op::Rename {
                server: s,
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
        ServersCommand::Tag {
            servers,
            add,
            remove,
            change,
        } => {
            let tags = TagChange::parse(add, remove)
                .map_err(|why| CliError::new(ExitCode::Usage, format!("tags: {why}")))?;
            let (s, k) = resolve(gw, servers).await?;
            let op = Op::Tags {
                servers: s,
                change: tags,
            };
            (op, k, change.clone(), false)
        }
        ServersCommand::List { .. }
        | ServersCommand::Show { .. }
        | ServersCommand::Console { .. } => {
            return Err(CliError::new(ExitCode::Usage, "not a changing command"));
        }
    })
}

/// What a command's plan gives: the op, the servers as seen, its flags, and whether it asks only
/// the API's `dry_run`.
pub(super) type Planned = (Op, Known, ChangeFlags, bool);

/// Runs one changing command: refuses `--region all` (a change acts in one region), plans it
/// against the region's gateway (the "waiting for …" line meanwhile), then checks or runs it.
pub(super) fn plan_and_run(
    global: &GlobalArgs,
    paths: &Paths,
    service: Service,
    plan: impl AsyncFnOnce(&Gateway) -> Result<Planned, CliError>,
) -> Result<(), CliError> {
    session::one_region(global, "a change")?;
    let profile = profile(global, paths)?;
    let conn = profile.connect()?;
    let cloud = session::cloud(&conn, global)?;
    let gw = cloud.home()?;
    let rt = session::runtime()?;
    rt.block_on(async {
        let what = super::waiting::what(&gw, service);
        let (op, known, flags, dry_run) = super::waiting::announce(&what, plan(&gw)).await?;
        if matches!(&op, Op::Power { servers, .. } if servers.is_empty()) {
            return nothing_to_do(&op, global.output);
        }
        let runner = runner(&profile, &cloud, paths)?;
        let change = Change {
            region: cloud.region().to_owned(),
            op,
            known,
            flags,
            dry_run,
        };
        match &change.op {
            Op::CreateServers(spec) if !dry_run => {
                let (name, count) = (spec.name.clone(), spec.count as usize);
                let before = super::created::named_like(&gw, &name).await?;
                let c = change;
                let task = submit_and_watch(&runner, c.region, c.op, c.known, &c.flags).await?;
                let made = super::created::made_by(&gw, &task, &name, count, &before).await?;
                let waited = c.flags.wait;
                print_task(&task, waited, global.output, Some(&made))?;
                outcome(&task, waited)
            }
            _ => run_change(&runner, change, global.output).await,
        }
    })
}

/// Runs one changing `servers` command.
pub fn servers(global: &GlobalArgs, paths: &Paths, cmd: &ServersCommand) -> Result<(), CliError> {
    plan_and_run(global, paths, Service::Ecs, async |gw| plan(gw, cmd).await)
}

/// A change as a command asked for it.
pub(super) struct Change {
    pub region: String,
    pub op: Op,
    pub known: Known,
    pub flags: ChangeFlags,
    pub dry_run: bool,
}

/// Checks it with the API's `dry_run`, or confirms, submits and follows it; prints the outcome.
pub(super) async fn run_change(runner: &Runner, c: Change, output: Output) -> Result<(), CliError> {
    let Change {
        region,
        op,
        known,
        flags,
        dry_run,
    } = c;
    if dry_run {
        runner
            .dry_run(&region, &op, &known)
            .await
            .map_err(refusal)?;
        return out::text(&format!(
            "dry run: the gateway accepts: {}; nothing was changed\n",
            op.describe()
        ));
    }
    submit_and_follow(runner, region, op, known, &flags, output).await
}

/// Asks when the op is destructive, submits it, follows it (to its end with `--wait`) and
/// prints its outcome.
pub(super) async fn submit_and_follow(
    runner: &Runner,
    region: String,
    op: Op,
    known: Known,
    flags: &ChangeFlags,
    output: Output,
) -> Result<(), CliError> {
    let task = submit_and_watch(runner, region, op, known, flags).await?;
    finish(&task, flags.wait, output)
}

/// Asks when the op is destructive, submits it and follows it (to its end with `--wait`).
async fn submit_and_watch(
    runner: &Runner,
    region: String,
    op: Op,
    known: Known,
    flags: &ChangeFlags,
) -> Result<Task, CliError> {
    confirm(&op, flags.yes)?;
    let mut rx = runner.subscribe();
    let submitted = runner
        .submit(Submission::new(region, op, known))
        .await
        .map_err(refusal)?;
    let id = submitted.task.id.clone();
    out::note(&format!("task {id}: {}", submitted.task.op.describe()));
    follow(runner, &mut rx, &id, flags.wait, tty(), flags.timeout).await
}

/// Prints the outcome and turns it into the exit code.
pub(super) fn finish(task: &Task, waited: bool, output: Output) -> Result<(), CliError> {
    print_task(task, waited, output, None)?;
    outcome(task, waited)
}

/// Prints a task: as JSON (`-o json`, one line with `-o ndjson`), its line of `jobs list`
/// (`-o tsv`), or its summary for a person. `created`: the servers a create made (id, name),
/// a `servers` member of the JSON, the lines of tsv, and lines after the summary.
pub(super) fn print_task(
    task: &Task,
    waited: bool,
    output: Output,
    created: Option<&[(String, String)]>,
) -> Result<(), CliError> {
    let json = || {
        let mut v = serde_json::json!(task);
        if let (Some(made), Some(m)) = (created, v.as_object_mut()) {
            let servers = made
                .iter()
                .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
                .collect();
            m.insert("servers".into(), serde_json::Value::Array(servers));
        }
        v
    };
    match (output, created) {
        (Output::Json, _) => out::json_value(&json())?,
        (Output::Ndjson, _) => out::json(&format!("{}\n", json()))?,
        (Output::Tsv, Some(made)) => out::raw(
            &made
                .iter()
                .map(|(id, name)| super::format::tsv_line([id.clone(), name.clone()]))
                .collect::<String>(),
        )?,
        (Output::Tsv, None) => out::raw(&super::format::tsv_line(super::follow::task_cells(task)))?,
        (Output::Table | Output::Wide, _) => {}
    }
    let unfollowed = !waited && task.state == TaskState::Unfollowed;
    if unfollowed {
        out::note(&format!(
            "follow it with: hvecs jobs show {} --wait",
            task.id
        ));
    }
    if !matches!(output, Output::Table | Output::Wide) {
        return Ok(());
    }
    if unfollowed {
        out::text(&format!(
            "task {} job {}\n",
            task.id,
            task.job_ids().join(",")
        ))?;
    } else {
        out::text(&summary(task))?;
    }
    for (id, name) in created.unwrap_or_default() {
        out::text(&format!("server {name} {id}\n"))?;
    }
    Ok(())
}

/// The exit a task's outcome means: a task left to the cloud without `--wait` is done here.
pub(super) fn outcome(task: &Task, waited: bool) -> Result<(), CliError> {
    if !waited && task.state == TaskState::Unfollowed {
        return Ok(());
    }
    match exit_code(task) {
        ExitCode::Done => Ok(()),
        code => Err(CliError::new(code, task.failure())),
    }
}
