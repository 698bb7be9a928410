//! Settling a change whose answer was lost, by looking, never by sending it again blindly:
//! what a server's state says about a call that may or may not have been received. Pure.

use super::op::PowerAction;
use super::precondition::KnownServer;
use super::task::Call;

/// What a look at one server says about the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Look {
    /// The change is done.
    Reached,
    /// The change is under way: follow it to its stable status.
    Moving,
    /// No sign of it: it was probably never received.
    Untouched,
    /// The state cannot tell (a finished reboot looks like none; a vanished server).
    Unclear(String),
}

fn busy(s: &KnownServer, prefix: &str) -> bool {
    s.task_state
        .as_deref()
        .is_some_and(|t| t.starts_with(prefix))
}

/// Reads one server's state (`None`: it does not exist) against the call that may have reached it.
pub fn classify(call: &Call, server: Option<&KnownServer>) -> Look {
    let gone = |what: &str| {
        Look::Unclear(format!(
            "the server no longer exists, so its {what} cannot be checked"
        ))
    };
    match call {
        // Disk calls are settled by looking at their disk (`disk_settle.rs`), never here.
        Call::Disk(_) => Look::Unclear("a disk call is settled by its disk".into()),
        Call::Snapshot(_) => Look::Unclear("a snapshot call is settled by what it acts on".into()),
        Call::Delete { .. } => match server {
            None => Look::Reached,
            Some(s) if s.status == "DELETED" => Look::Reached,
            Some(s) if busy(s, "deleting") => Look::Moving,
            Some(_) => Look::Untouched,
        },
        Call::Power { action, .. } => {
            let Some(s) = server else {
                return gone("power state");
            };
            match action {
                PowerAction::Start => match s.status.as_str() {
                    "ACTIVE" => Look::Reached,
                    _ if busy(s, "powering-on") => Look::Moving,
                    "SHUTOFF" => Look::Untouched,
                    other => Look::Unclear(format!("it is {other}")),
                },
                PowerAction::Stop(_) => match s.status.as_str() {
                    "SHUTOFF" => Look::Reached,
                    _ if busy(s, "powering-off") => Look::Moving,
                    "ACTIVE" => Look::Untouched,
                    other => Look::Unclear(format!("it is {other}")),
                },
                PowerAction::Reboot(_) => match s.status.as_str() {
                    "REBOOT" | "HARD_REBOOT" => Look::Moving,
                    _ if busy(s, "reboot") => Look::Moving,
                    "ACTIVE" => Look::Unclear(
                        "it is ACTIVE, which a finished reboot and a reboot never received look the same"
                            .into(),
                    ),
                    other => Look::Unclear(format!("it is {other}")),
                },
            }
        }
        Call::Resize { flavor_id, .. } => {
            let Some(s) = server else {
                return gone("flavor");
            };
            if s.status == "RESIZE" || busy(s, "resize") {
                Look::Moving
            } else if s.flavor_id.as_deref() == Some(flavor_id.as_str())
                && matches!(s.status.as_str(), "ACTIVE" | "SHUTOFF")
            {
                Look::Reached
            } else {
                Look::Untouched
            }
        }
        Call::Rename { name, .. } => match server {
            None => gone("name"),
            Some(s) if &s.name == name => Look::Reached,
            // A rename is synchronous: a lost answer means it happened or did not, nothing between.
            Some(_) => Look::Untouched,
        },
        Call::Create { .. } => Look::Unclear("a create is settled by its client token".into()),
        Call::Image(_) => Look::Unclear("an image call is settled by looking at the image".into()),
        // The server as listed carries no tags here: the person looks (a tag change is
        // idempotent, so sending it again is safe).
        Call::Tags { .. } => Look::Unclear(
            "the server's tags were not read: look at them (sending the same change again is safe)"
                .into(),
        ),
    }
}

/// What a person reads about a server that shows no sign of the call.
pub fn untouched_note(call: &Call, server: Option<&KnownServer>) -> String {
    let (name, status) = server
        .map(|s| (s.name.as_str(), s.status.as_str()))
        .unwrap_or(("the server", "unknown"));
    let what = match call {
        Call::Power { action, .. } => action.verb().to_owned(),
        Call::Delete { .. } => "delete".into(),
        Call::Resize { .. } => "resize".into(),
        Call::Rename { .. } => "rename".into(),
        Call::Create { .. } => "create".into(),
        Call::Image(c) => c.verb().into(),
        Call::Disk(d) => d.describe(),
        Call::Snapshot(c) => c.describe(),
        Call::Tags { action, .. } => format!("tag {}", action.api_name()),
    };
    format!(
        "the answer was lost and {name} is still {status}: the {what} was probably not received; nothing was re-sent"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::op::Hardness;

    fn server(status: &str, task: Option<&str>) -> KnownServer {
        KnownServer {
            id: "1".into(),
            name: "web-01".into(),
            status: status.into(),
            task_state: task.map(str::to_owned),
            flavor_id: Some("small".into()),
        }
    }

    /// What a look makes of `call` when its server is `status` (doing `task`).
    fn seen(call: &Call, status: &str, task: Option<&str>) -> Look {
        classify(call, Some(&server(status, task)))
    }

    fn power(a: PowerAction) -> Call {
        Call::Power {
            action: a,
            ids: vec!["1".into()],
        }
    }

    #[test]
    fn a_lost_stop_is_settled_by_the_power_state() {
        let stop = power(PowerAction::Stop(Hardness::Soft));
        assert_eq!(seen(&stop, "SHUTOFF", None), Look::Reached);
        assert_eq!(seen(&stop, "ACTIVE", Some("powering-off")), Look::Moving);
        assert_eq!(seen(&stop, "ACTIVE", None), Look::Untouched);
        assert!(matches!(classify(&stop, None), Look::Unclear(_)));
        let start = power(PowerAction::Start);
        assert_eq!(seen(&start, "ACTIVE", None), Look::Reached);
        assert_eq!(seen(&start, "SHUTOFF", Some("powering-on")), Look::Moving);
    }

    #[test]
    fn a_finished_reboot_cannot_be_told_from_none() {
        let reboot = power(PowerAction::Reboot(Hardness::Hard));
        assert_eq!(seen(&reboot, "HARD_REBOOT", None), Look::Moving);
        assert!(matches!(seen(&reboot, "ACTIVE", None), Look::Unclear(_)));
    }

    #[test]
    fn deletes_resizes_and_renames() {
        let del = Call::Delete {
            ids: vec!["1".into()],
            delete_volumes: false,
        };
        assert_eq!(classify(&del, None), Look::Reached);
        assert_eq!(seen(&del, "ACTIVE", Some("deleting")), Look::Moving);
        assert_eq!(seen(&del, "ACTIVE", None), Look::Untouched);
        let resize = Call::Resize {
            id: "1".into(),
            flavor_id: "big".into(),
            with_stop: false,
        };
        assert_eq!(seen(&resize, "RESIZE", None), Look::Moving);
        let mut done = server("SHUTOFF", None);
        done.flavor_id = Some("big".into());
        assert_eq!(classify(&resize, Some(&done)), Look::Reached);
        assert_eq!(seen(&resize, "SHUTOFF", None), Look::Untouched);
        let rename = Call::Rename {
            id: "1".into(),
            name: "db-01".into(),
        };
        assert_eq!(seen(&rename, "ACTIVE", None), Look::Untouched);
        let note = untouched_note(&rename, Some(&server("ACTIVE", None)));
        assert!(note.contains("web-01 is still ACTIVE"), "{note}");
    }
}
