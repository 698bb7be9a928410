//! The scheduler's filter: read-only refuses every change, and each op is checked against the
//! last known state of its servers, with a reason a person understands. Nothing here sends.

use std::fmt;

use super::known::state_reason;
pub use super::known::{IN_ERROR, Known, KnownServer};
use super::op::{CreateSpec, Hardness, Op, PowerAction, ServerRef};

/// Why the runner will not send a change. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The session is read-only.
    ReadOnly { what: String },
    /// One reason per server (or per field of a create) that does not allow it.
    Precondition(Vec<String>),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::ReadOnly { what } => write!(
                f,
                "read-only: refusing to {what}; nothing was sent (leave read-only: Ctrl-t in the console, or drop --read-only / read_only in the profile)"
            ),
            Refusal::Precondition(reasons) => {
                const SHOWN: usize = 10;
                let mut lines: Vec<String> = reasons.iter().take(SHOWN).cloned().collect();
                if reasons.len() > SHOWN {
                    lines.push(format!("… and {} more", reasons.len() - SHOWN));
                }
                write!(f, "{}; nothing was sent", lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for Refusal {}

/// Read-only first, then the op against what is known.
pub fn check(op: &Op, known: &Known, read_only: bool) -> Result<(), Refusal> {
    if read_only {
        return Err(Refusal::ReadOnly {
            what: op.describe(),
        });
    }
    let reasons = match op {
        Op::CreateServers(spec) => check_create(spec),
        Op::Power { action, servers } => servers
            .iter()
            .filter_map(|s| power_reason(*action, s, known))
            .collect(),
        Op::Resize {
            server,
            flavor_id,
            with_stop,
        } => resize_reason(server, flavor_id, *with_stop, known)
            .into_iter()
            .collect(),
        Op::Rename { server, name } => rename_reason(server, name, known).into_iter().collect(),
        Op::Delete { servers, .. } => servers
            .iter()
            .filter_map(|s| {
                state_reason(s, known, &["ACTIVE", "SHUTOFF", "ERROR"], "delete it", None)
            })
            .collect(),
        Op::Image(op) => {
            let mut r = super::image::check::reasons(op);
            if let Some(s) = op.server() {
                let server = ServerRef::new(s.id.clone(), s.name.clone());
                r.extend(state_reason(
                    &server,
                    known,
                    &["ACTIVE", "SHUTOFF"],
                    "make an image of it",
                    None,
                ));
            }
            r
        }
        Op::Disk(d) => super::disk::precondition::reasons(d, known),
        Op::Snapshot(s) => super::snapshot::precondition::reasons(s, known),
        Op::Tags { servers, change } => change
            .problem()
            .into_iter()
            .chain(servers.iter().filter_map(|s| tag_reason(s, known)))
            .collect(),
    };
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Precondition(reasons))
    }
}

/// The servers of `op` that pass, and the reasons of those that do not (for "skip the others").
pub fn split_applicable(op: &Op, known: &Known) -> (Vec<ServerRef>, Vec<String>) {
    let mut ok = Vec::new();
    let mut refused = Vec::new();
    for s in op.servers() {
        let single = match op {
            Op::Power { action, .. } => power_reason(*action, &s, known),
            Op::Delete { .. } => state_reason(
                &s,
                known,
                &["ACTIVE", "SHUTOFF", "ERROR"],
                "delete it",
                None,
            ),
            _ => None,
        };
        match single {
            Some(r) => refused.push(r),
            None => ok.push(s),
        }
    }
    (ok, refused)
}

/// The servers of a start or a stop already in its end state (started and ACTIVE, stopped and
/// SHUTOFF, with no task): nothing to do for them, so a re-run script or a bulk key can skip
/// them. Each with the status it is in. Other ops have none.
pub fn already_done(op: &Op, known: &Known) -> Vec<(ServerRef, String)> {
    let end = match op {
        Op::Power {
            action: PowerAction::Start,
            ..
        } => "ACTIVE",
        Op::Power {
            action: PowerAction::Stop(_),
            ..
        } => "SHUTOFF",
        _ => return Vec::new(),
    };
    op.servers()
        .into_iter()
        .filter(|s| {
            known.get(&s.id).is_some_and(|k| {
                k.status == end && k.task_state.as_deref().is_none_or(str::is_empty)
            })
        })
        .map(|s| (s, end.to_owned()))
        .collect()
}

/// Tags change in any state, busy or not, but not on a server deleted or being deleted.
fn tag_reason(s: &ServerRef, known: &Known) -> Option<String> {
    let Some(k) = known.get(&s.id) else {
        // Says that its state is not known.
        return state_reason(s, known, &[], "change its tags", None);
    };
    let deleting = k
        .task_state
        .as_deref()
        .is_some_and(|t| t.starts_with("deleting"));
    (k.status == "DELETED" || deleting)
        .then(|| format!("{} is being deleted: its tags cannot change", k.name))
}

fn power_reason(action: PowerAction, s: &ServerRef, known: &Known) -> Option<String> {
    match action {
        PowerAction::Start => {
            state_reason(s, known, &["SHUTOFF"], "start", Some("already running"))
        }
        // A forced stop or reboot also takes a server in ERROR (`taken_in_error`).
        PowerAction::Stop(h) => state_reason(
            s,
            known,
            running_or_error(PowerAction::Stop(h)),
            "stop",
            Some("nothing to stop"),
        ),
        PowerAction::Reboot(h) => state_reason(
            s,
            known,
            running_or_error(PowerAction::Reboot(h)),
            "reboot",
            Some("start it instead"),
        ),
    }
}

/// Whether a server in ERROR takes `op`: a forced stop or reboot and a delete change its VM
/// (SCVMM can force those on a failed VM), a rename or tags change only its record; nothing else
/// (`known::IN_ERROR` says it to a person).
pub fn taken_in_error(op: &Op) -> bool {
    matches!(
        op,
        Op::Power {
            action: PowerAction::Stop(Hardness::Hard) | PowerAction::Reboot(Hardness::Hard),
            ..
        } | Op::Delete { .. }
            | Op::Rename { .. }
            | Op::Tags { .. }
    )
}

/// The states a stop or a reboot takes: ACTIVE, and ERROR for a forced one.
fn running_or_error(action: PowerAction) -> &'static [&'static str] {
    let op = Op::Power {
        action,
        servers: Vec::new(),
    };
    if taken_in_error(&op) {
        &["ACTIVE", "ERROR"]
    } else {
        &["ACTIVE"]
    }
}

fn resize_reason(s: &ServerRef, flavor: &str, with_stop: bool, known: &Known) -> Option<String> {
    let allowed: &[&str] = if with_stop {
        &["SHUTOFF", "ACTIVE"]
    } else {
        &["SHUTOFF"]
    };
    if let Some(k) = known.get(&s.id)
        && k.status == "ACTIVE"
        && !with_stop
        && k.task_state.is_none()
    {
        return Some(format!(
            "{} is ACTIVE: stop it first, or resize with the stop included (--with-stop)",
            k.name
        ));
    }
    if let Some(r) = state_reason(s, known, allowed, "resize it", None) {
        return Some(r);
    }
    match known.get(&s.id).and_then(|k| k.flavor_id.as_deref()) {
        Some(current) if current == flavor => Some(format!(
            "{} already has flavor {flavor}: nothing to change",
            s.name
        )),
        _ => None,
    }
}

fn rename_reason(s: &ServerRef, name: &str, known: &Known) -> Option<String> {
    if let Some(bad) = name_problem(name) {
        return Some(bad);
    }
    let k = known.get(&s.id)?;
    if k.name == name {
        return Some(format!(
            "{} is already named {name}: nothing to change",
            k.name
        ));
    }
    (k.status == "DELETED").then(|| format!("{} is DELETED: it cannot be renamed", k.name))
}

/// The API's rule for server names: 1–64 characters, letters, digits, `_`, `-`, `.`.
pub fn name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 || len > 64 {
        return Some(format!(
            "the name {name:?} has {len} characters: a server name has 1 to 64"
        ));
    }
    name.chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .map(|c| {
            format!(
                "the name {name:?} has {c:?}: only letters, digits, '_', '-' and '.' are allowed"
            )
        })
}

fn check_create(spec: &CreateSpec) -> Vec<String> {
    let mut r = Vec::new();
    r.extend(name_problem(&spec.name));
    if !(1..=100).contains(&spec.count) {
        r.push(format!(
            "count {} is out of range: 1 to 100 servers per create",
            spec.count
        ));
    }
    if spec.root_volume.size_gb == 0 {
        r.push(
            "the system disk needs a size of at least 1 GB (and at least the image's minimum)"
                .into(),
        );
    }
    if spec.data_volumes.len() > 23 {
        r.push(format!(
            "{} data disks: at most 23",
            spec.data_volumes.len()
        ));
    }
    for (what, v) in [
        ("image", &spec.image_id),
        ("flavor", &spec.flavor_id),
        ("VPC", &spec.vpc_id),
        ("subnet", &spec.subnet_id),
    ] {
        if v.trim().is_empty() {
            r.push(format!("no {what} given"));
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::op::{Hardness, create_spec_of};

    /// Why `op` is refused, on a writable profile (it must be).
    fn refusal(op: &Op, k: &Known) -> String {
        check(op, k, false).unwrap_err().to_string()
    }

    fn known(list: &[(&str, &str, &str, Option<&str>)]) -> Known {
        list.iter()
            .map(|(id, name, status, task)| {
                (
                    (*id).to_owned(),
                    KnownServer {
                        id: (*id).into(),
                        name: (*name).into(),
                        status: (*status).into(),
                        task_state: task.map(str::to_owned),
                        flavor_id: Some("hv1.small.1".into()),
                    },
                )
            })
            .collect()
    }

    fn stop(ids: &[&str]) -> Op {
        Op::Power {
            action: PowerAction::Stop(Hardness::Soft),
            servers: ids
                .iter()
                .map(|i| ServerRef::new(*i, format!("n-{i}")))
                .collect(),
        }
    }

    #[test]
    fn stopping_a_stopped_server_is_refused_with_a_reason() {
        let k = known(&[("1", "web-02", "SHUTOFF", None)]);
        let err = check(&stop(&["1"]), &k, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "web-02 is SHUTOFF: nothing to stop; nothing was sent"
        );
        let k = known(&[("1", "web-02", "ACTIVE", None)]);
        assert!(check(&stop(&["1"]), &k, false).is_ok());
    }

    #[test]
    fn a_server_in_error_takes_a_hard_stop_a_hard_reboot_a_delete_and_nothing_else() {
        let k = known(&[("1", "sql-07", "ERROR", None)]);
        let one = vec![ServerRef::new("1", "sql-07")];
        let power = |action| Op::Power {
            action,
            servers: one.clone(),
        };
        for ok in [
            power(PowerAction::Stop(Hardness::Hard)),
            power(PowerAction::Reboot(Hardness::Hard)),
            Op::Delete {
                servers: one.clone(),
                delete_volumes: false,
            },
        ] {
            assert!(check(&ok, &k, false).is_ok(), "{}", ok.describe());
            assert!(taken_in_error(&ok));
        }
        for refused in [
            power(PowerAction::Start),
            power(PowerAction::Stop(Hardness::Soft)),
            power(PowerAction::Reboot(Hardness::Soft)),
            Op::Resize {
                server: one[0].clone(),
                flavor_id: "big".into(),
                with_stop: true,
            },
        ] {
            let err = check(&refused, &k, false).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("sql-07 is ERROR: {IN_ERROR}; nothing was sent"),
                "{}",
                refused.describe()
            );
            assert!(!taken_in_error(&refused));
        }
        // A hard stop of an ERROR and an ACTIVE server together: both take it.
        let k = known(&[("1", "a", "ERROR", None), ("2", "b", "ACTIVE", None)]);
        let both = Op::Power {
            action: PowerAction::Stop(Hardness::Hard),
            servers: vec![ServerRef::new("1", "a"), ServerRef::new("2", "b")],
        };
        assert_eq!(split_applicable(&both, &k).0.len(), 2);
    }

    #[test]
    fn read_only_refuses_before_anything_else() {
        let k = known(&[("1", "web-01", "ACTIVE", None)]);
        let err = check(&stop(&["1"]), &k, true).unwrap_err();
        assert!(matches!(err, Refusal::ReadOnly { .. }));
        assert!(
            err.to_string()
                .starts_with("read-only: refusing to stop n-1"),
            "{err}"
        );
    }

    #[test]
    fn busy_servers_and_unknown_ones_are_refused() {
        let k = known(&[("1", "web-01", "ACTIVE", Some("powering-off"))]);
        let err = check(&stop(&["1", "2"]), &k, false).unwrap_err();
        let Refusal::Precondition(r) = err else {
            panic!()
        };
        assert_eq!(r.len(), 2);
        assert!(r[0].contains("busy (powering-off)"), "{r:?}");
        assert!(r[1].contains("not known"), "{r:?}");
    }

    #[test]
    fn each_op_has_its_states() {
        let k = known(&[
            ("a", "on", "ACTIVE", None),
            ("s", "off", "SHUTOFF", None),
            ("e", "bad", "ERROR", None),
            ("b", "new", "BUILD", None),
        ]);
        let one = |id: &str| ServerRef::new(id, "x");
        let start = |id: &str| Op::Power {
            action: PowerAction::Start,
            servers: vec![one(id)],
        };
        assert!(check(&start("s"), &k, false).is_ok());
        let e = refusal(&start("a"), &k);
        assert!(e.contains("on is ACTIVE: already running"), "{e}");
        let e = refusal(&start("b"), &k);
        assert!(e.contains("can start only when SHUTOFF"), "{e}");
        let del = |id: &str| Op::Delete {
            servers: vec![one(id)],
            delete_volumes: false,
        };
        assert!(check(&del("e"), &k, false).is_ok());
        assert!(check(&del("b"), &k, false).is_err());
        let resize = |id: &str, with_stop| Op::Resize {
            server: one(id),
            flavor_id: "hv1.large.2".into(),
            with_stop,
        };
        assert!(check(&resize("s", false), &k, false).is_ok());
        let e = refusal(&resize("a", false), &k);
        assert!(e.contains("stop it first"), "{e}");
        assert!(check(&resize("a", true), &k, false).is_ok());
        let same = Op::Resize {
            server: one("s"),
            flavor_id: "hv1.small.1".into(),
            with_stop: false,
        };
        assert!(refusal(&same, &k).contains("already has flavor"));
    }

    #[test]
    fn names_follow_the_api_rules() {
        assert!(name_problem("web-01.prod_a").is_none());
        assert!(name_problem("").unwrap().contains("1 to 64"));
        assert!(name_problem(&"x".repeat(65)).is_some());
        assert!(name_problem("a b").unwrap().contains("' '"));
        let k = known(&[("1", "web-01", "ACTIVE", None)]);
        let same = Op::Rename {
            server: ServerRef::new("1", "web-01"),
            name: "web-01".into(),
        };
        assert!(refusal(&same, &k).contains("already named"));
    }

    #[test]
    fn creates_are_checked_field_by_field() {
        let spec = CreateSpec {
            name: "bad name".into(),
            image_id: "".into(),
            ..create_spec_of(101)
        };
        let Refusal::Precondition(r) =
            check(&Op::CreateServers(spec), &Known::new(), false).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(r.len(), 3, "{r:?}");
    }

    #[test]
    fn a_bulk_op_can_skip_the_servers_it_does_not_apply_to() {
        let k = known(&[("1", "a", "ACTIVE", None), ("2", "b", "SHUTOFF", None)]);
        let (ok, refused) = split_applicable(&stop(&["1", "2"]), &k);
        assert_eq!(ok, vec![ServerRef::new("1", "n-1")]);
        assert_eq!(refused, vec!["b is SHUTOFF: nothing to stop".to_owned()]);
    }

    #[test]
    fn a_start_of_active_and_a_stop_of_shutoff_servers_are_already_done() {
        let mut known = Known::new();
        for (id, status, task) in [
            ("a", "ACTIVE", None),
            ("b", "SHUTOFF", None),
            ("c", "SHUTOFF", Some("powering-on")),
        ] {
            known.insert(
                id.to_owned(),
                KnownServer {
                    id: id.to_owned(),
                    name: id.to_owned(),
                    status: status.to_owned(),
                    task_state: task.map(str::to_owned),
                    flavor_id: None,
                },
            );
        }
        let servers: Vec<ServerRef> = ["a", "b", "c"]
            .iter()
            .map(|i| ServerRef::new(*i, *i))
            .collect();
        let power = |action| Op::Power {
            action,
            servers: servers.clone(),
        };
        let ids = |done: Vec<(ServerRef, String)>| -> Vec<String> {
            done.into_iter().map(|(s, _)| s.id).collect()
        };
        assert_eq!(
            ids(already_done(
                &power(PowerAction::Stop(Hardness::Soft)),
                &known
            )),
            ["b"]
        );
        assert_eq!(ids(already_done(&power(PowerAction::Start), &known)), ["a"]);
        assert!(already_done(&power(PowerAction::Reboot(Hardness::Soft)), &known).is_empty());
    }
}
