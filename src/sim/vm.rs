//! The SCVMM status a simulated VM has inside, and how the ECS API shows it
//! (`status`, `OS-EXT-STS:vm_state`, `task_state`, `power_state`; backend.md "Two levels of state").

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VmStatus {
    UnderCreation,
    CreationFailed,
    Running,
    PowerOff,
    Starting,
    PoweringOff,
    /// Reboot; `hard` for a forced one.
    Reset {
        hard: bool,
    },
    /// Resize; `running` says whether it was running before (shown as ACTIVE then).
    UnderUpdate {
        running: bool,
    },
    UpdateFailed,
    UnderTemplateCreation,
    Deleting {
        running: bool,
    },
}

/// What the ECS API shows for a VM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsState {
    pub status: &'static str,
    pub vm_state: &'static str,
    pub task_state: Option<String>,
    pub power_state: u8,
}

impl VmStatus {
    /// The ECS view; `task` is the step's fine-grained task, when the step has one.
    pub fn ecs(self, task: Option<&str>) -> EcsState {
        use VmStatus::*;
        let t = |default: &str| Some(task.unwrap_or(default).to_owned());
        let (status, vm_state, task_state, power_state) = match self {
            UnderCreation => ("BUILD", "building", t("scheduling"), 0),
            CreationFailed | UpdateFailed => ("ERROR", "error", None, 0),
            Running => ("ACTIVE", "active", None, 1),
            PowerOff => ("SHUTOFF", "stopped", None, 4),
            Starting => ("SHUTOFF", "stopped", t("powering-on"), 4),
            PoweringOff => ("ACTIVE", "active", t("powering-off"), 1),
            Reset { hard: false } => ("REBOOT", "active", t("rebooting"), 1),
            Reset { hard: true } => ("HARD_REBOOT", "active", t("rebooting_hard"), 1),
            UnderUpdate { running: true } => ("RESIZE", "active", t("resize_prep"), 1),
            UnderUpdate { running: false } => ("RESIZE", "stopped", t("resize_prep"), 4),
            UnderTemplateCreation => ("SHUTOFF", "stopped", t("image_uploading"), 4),
            Deleting { running: true } => ("ACTIVE", "active", t("deleting"), 1),
            Deleting { running: false } => ("SHUTOFF", "stopped", t("deleting"), 4),
        };
        EcsState {
            status,
            vm_state,
            task_state,
            power_state,
        }
    }

    pub fn is_running(self) -> bool {
        self.ecs(None).power_state == 1
    }

    /// Whether the status accepts an operation; `None` = yes, otherwise why not.
    pub fn refuses(self, op: Operation) -> Option<String> {
        use VmStatus::*;
        let ok = match op {
            Operation::Start => self == PowerOff,
            // A failed VM takes a forced stop or reset (SCVMM's Stop-SCVirtualMachine -Force,
            // Reset-SCVirtualMachine; Nova allows both from the error state), never a soft one.
            Operation::Stop { hard } | Operation::Reboot { hard } => {
                self == Running || (hard && matches!(self, CreationFailed | UpdateFailed))
            }
            Operation::Resize { with_stop } => self == PowerOff || (with_stop && self == Running),
            Operation::Image => self == PowerOff,
            Operation::Delete => matches!(self, Running | PowerOff | CreationFailed | UpdateFailed),
            Operation::Attach | Operation::Detach => matches!(self, Running | PowerOff),
        };
        if ok {
            None
        } else {
            let s = self.ecs(None);
            Some(format!(
                "the server is {} ({}), which does not allow {}",
                s.status,
                self.scvmm_name(),
                op.name()
            ))
        }
    }

    pub fn scvmm_name(self) -> &'static str {
        use VmStatus::*;
        match self {
            UnderCreation => "UnderCreation",
            CreationFailed => "CreationFailed",
            Running => "Running",
            PowerOff => "PowerOff",
            Starting => "Starting",
            PoweringOff => "PoweringOff",
            Reset { .. } => "Reset",
            UnderUpdate { .. } => "UnderUpdate",
            UpdateFailed => "UpdateFailed",
            UnderTemplateCreation => "UnderTemplateCreation",
            Deleting { .. } => "Deleting",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Start,
    Stop { hard: bool },
    Reboot { hard: bool },
    Resize { with_stop: bool },
    Image,
    Delete,
    Attach,
    Detach,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Start => "start",
            Operation::Stop { hard: false } => "stop",
            Operation::Stop { hard: true } => "hard stop",
            Operation::Reboot { hard: false } => "reboot",
            Operation::Reboot { hard: true } => "hard reboot",
            Operation::Resize { .. } => "resize",
            Operation::Image => "creating an image",
            Operation::Delete => "delete",
            Operation::Attach => "attaching a disk",
            Operation::Detach => "detaching a disk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_scvmm_status_onto_the_ecs_fields() {
        let s = VmStatus::PoweringOff.ecs(None);
        assert_eq!(
            (s.status, s.vm_state, s.power_state),
            ("ACTIVE", "active", 1)
        );
        assert_eq!(s.task_state.as_deref(), Some("powering-off"));
        let s = VmStatus::Starting.ecs(None);
        assert_eq!(
            (s.status, s.task_state.as_deref()),
            ("SHUTOFF", Some("powering-on"))
        );
        let s = VmStatus::UnderCreation.ecs(Some("spawning"));
        assert_eq!(
            (s.status, s.task_state.as_deref()),
            ("BUILD", Some("spawning"))
        );
        assert_eq!(
            VmStatus::Reset { hard: true }.ecs(None).status,
            "HARD_REBOOT"
        );
        assert_eq!(VmStatus::CreationFailed.ecs(None).status, "ERROR");
        assert_eq!(VmStatus::Running.ecs(None).task_state, None);
    }

    #[test]
    fn allowed_operations_follow_the_state() {
        assert!(VmStatus::PowerOff.refuses(Operation::Start).is_none());
        assert!(VmStatus::Running.refuses(Operation::Start).is_some());
        assert!(
            VmStatus::Running
                .refuses(Operation::Resize { with_stop: false })
                .is_some()
        );
        assert!(
            VmStatus::Running
                .refuses(Operation::Resize { with_stop: true })
                .is_none()
        );
        assert!(VmStatus::Running.refuses(Operation::Image).is_some());
        assert!(
            VmStatus::CreationFailed
                .refuses(Operation::Delete)
                .is_none()
        );
        assert!(VmStatus::Starting.refuses(Operation::Delete).is_some());
        // An ERROR server: a hard stop or reboot, never a soft one, a start or a resize.
        let failed = VmStatus::CreationFailed;
        assert!(failed.refuses(Operation::Stop { hard: true }).is_none());
        assert!(failed.refuses(Operation::Reboot { hard: true }).is_none());
        assert!(failed.refuses(Operation::Stop { hard: false }).is_some());
        assert!(failed.refuses(Operation::Reboot { hard: false }).is_some());
        assert!(failed.refuses(Operation::Start).is_some());
        assert!(
            VmStatus::UpdateFailed
                .refuses(Operation::Resize { with_stop: true })
                .is_some()
        );
    }
}
