//! Disk keys (part of `AppState::update`, pure): on Disks `c` create, `a` attach, `d` detach, `+`
//! expand, `e` rename, `D` delete; on Servers `a`/`d` pick a disk. Each opens its dialog, or says
//! why nothing was sent (read-only, the runner's preconditions); a disk task's end re-reads.

use crate::read::source::{View, What};
use crate::runner::disk::op::{DiskOp, DiskRef, ServerInAz};
use crate::runner::{Known, Op, Refusal, ServerRef, precondition};
use crate::tui::app::{AppState, Effect, Level};
use crate::tui::dialog::confirm::Confirm;
use crate::tui::dialog::disk_create::{Attachable, DiskCreate};
use crate::tui::dialog::disk_expand::DiskExpand;
use crate::tui::dialog::disk_rename::DiskRename;
use crate::tui::dialog::op_offer::OpOffer;
use crate::tui::dialog::picker::Picker;
use crate::tui::dialog::typed_delete::TypedDelete;
use crate::tui::keymap::Action;
use crate::tui::list::rows::{DiskRow, ServerRow};

impl AppState {
    /// A disk key: refused in read-only and under `:region all` (saying why), else its dialog.
    pub(in crate::tui) fn on_disk_action(&mut self, action: Action) -> Vec<Effect> {
        let what = match action {
            Action::Create => "create a disk",
            Action::Attach => "attach a disk",
            Action::Detach => "detach a disk",
            Action::Expand => "expand a disk",
            Action::Rename => "rename a disk",
            Action::Delete => "delete a disk",
            _ => return Vec::new(),
        };
        if self.session.read_only {
            let refusal = Refusal::ReadOnly {
                what: what.to_owned(),
            };
            self.message = Some((Level::Error, refusal.to_string()));
            return Vec::new();
        }
        if self.needs_a_region(what) {
            return Vec::new();
        }
        match (action, self.view) {
            (Action::Create, _) => self.open_disk_create(),
            (Action::Attach, View::Servers) => self.pick_disk_to_attach(),
            (Action::Attach, _) => self.pick_server_to_attach(),
            (Action::Detach, View::Servers) => self.pick_disk_to_detach(),
            (Action::Detach, _) => self.confirm_detach(),
            (Action::Expand, _) => self.one_disk("expand").map(|d| {
                self.open(DiskExpand::new(d));
                Vec::new()
            }),
            (Action::Rename, _) => self.one_disk("rename").map(|d| {
                self.open(DiskRename::new(d));
                Vec::new()
            }),
            _ => self.open_disk_delete(),
        }
        .unwrap_or_default()
    }

    fn disks(&self) -> Option<&crate::tui::list::ListState<DiskRow>> {
        self.typed::<DiskRow>(View::Disks)
    }

    /// The selected disk, or the one marked; several marked are refused (one at a time).
    fn one_disk(&mut self, verb: &str) -> Option<DiskRef> {
        let rows: Vec<DiskRef> = self
            .disks()
            .map(|l| chosen(l).into_iter().map(DiskRow::disk_ref).collect())
            .unwrap_or_default();
        self.just_one(rows, verb, "disk")
    }

    /// The one of `rows`; none or several say why.
    fn just_one<T>(&mut self, rows: Vec<T>, verb: &str, kind: &str) -> Option<T> {
        if rows.is_empty() {
            self.message = Some((Level::Info, format!("no {kind} selected")));
            return None;
        }
        self.one_of(rows, &format!("{verb} takes one {kind}"))
    }

    /// The selected server (one), with what is known of it.
    fn one_server(&mut self, verb: &str) -> Option<ServerRow> {
        let rows: Vec<ServerRow> = chosen(&self.servers).into_iter().cloned().collect();
        self.just_one(rows, verb, "server")
    }

    /// The server a disk is attached to, by the servers listed (its id when it is not).
    fn server_of(&self, id: &str) -> (ServerRef, Known) {
        match self.servers.all_rows().iter().find(|r| r.record().id == id) {
            Some(r) => (r.server_ref(), [r.known()].into()),
            None => (ServerRef::new(id, id), Known::new()),
        }
    }

    /// The disks listed, when they have been read; else they are read and the key is to be
    /// pressed again.
    fn listed_disks(&mut self) -> Result<Vec<DiskRow>, Vec<Effect>> {
        if self.list(View::Disks).state().fetched_at.is_none() {
            self.message = Some((
                Level::Info,
                "reading the disks first: press the key again when they are listed".to_owned(),
            ));
            return Err(vec![self.fetch(What::Disks)]);
        }
        Ok(self
            .disks()
            .map(|l| l.all_rows().to_vec())
            .unwrap_or_default())
    }

    /// `c` on Disks: the form, the servers listed offered to attach to; the catalog (AZs, disk
    /// types, quotas) read again.
    fn open_disk_create(&mut self) -> Option<Vec<Effect>> {
        let servers = self
            .servers
            .all_rows()
            .iter()
            .map(|r| Attachable {
                at: ServerInAz {
                    server: r.server_ref(),
                    az: r.record().az.clone(),
                },
                known: r.known().1,
            })
            .collect();
        let mut form = DiskCreate::new(servers, self.az.clone());
        if let Some(cat) = self.catalog.of(&self.session.region) {
            form.settle(cat);
        }
        self.open(form);
        Some(vec![self.fetch(What::Catalog)])
    }

    /// `a` on Disks: a picker of the servers of the disk's AZ.
    fn pick_server_to_attach(&mut self) -> Option<Vec<Effect>> {
        let disk = self.one_disk("attach")?;
        if disk.status != "available" {
            let on = disk
                .server_id
                .as_deref()
                .map(|s| {
                    format!(
                        " (attached to {}): detach it first",
                        self.server_of(s).0.name
                    )
                })
                .unwrap_or_else(|| ": only an available disk can be attached".to_owned());
            self.message = Some((
                Level::Error,
                format!(
                    "disk {} is {}{on}; nothing was sent",
                    disk.name, disk.status
                ),
            ));
            return None;
        }
        let offers: Vec<OpOffer> = self
            .servers
            .all_rows()
            .iter()
            .filter(|r| r.record().az == disk.az)
            .map(|r| {
                let op = Op::Disk(DiskOp::Attach {
                    disk: disk.clone(),
                    to: ServerInAz {
                        server: r.server_ref(),
                        az: r.record().az.clone(),
                    },
                    device: None,
                });
                let label = format!("{}  {}  {}", r.name(), r.status_text(), r.az());
                OpOffer::checked(label, op, [r.known()].into(), None)
            })
            .collect();
        let about = vec![format!(
            "attach disk {} ({} GB, {}) to a server of {}",
            disk.name, disk.size_gb, disk.status, disk.az
        )];
        self.open(
            Picker::new("attach disk", about, offers)
                .when_empty(format!("no server listed in {}", disk.az)),
        );
        Some(Vec::new())
    }

    /// `a` on Servers: a picker of the available disks of the server's AZ.
    fn pick_disk_to_attach(&mut self) -> Option<Vec<Effect>> {
        let server = self.one_server("attach")?;
        let disks = match self.listed_disks() {
            Ok(d) => d,
            Err(fetch) => return Some(fetch),
        };
        let az = server.record().az.clone();
        let to = ServerInAz {
            server: server.server_ref(),
            az: az.clone(),
        };
        let known: Known = [server.known()].into();
        let offers: Vec<OpOffer> = disks
            .iter()
            .filter(|d| d.record().az == az && d.record().status == "available")
            .map(|d| {
                let op = Op::Disk(DiskOp::Attach {
                    disk: d.disk_ref(),
                    to: to.clone(),
                    device: None,
                });
                OpOffer::checked(d.summary(), op, known.clone(), None)
            })
            .collect();
        let about = vec![format!(
            "attach an available disk of {az} to {} ({})",
            server.name(),
            server.status_text()
        )];
        self.open(
            Picker::new("attach a disk", about, offers)
                .when_empty(format!("no available disk listed in {az}")),
        );
        Some(Vec::new())
    }

    /// `d` on Servers: a picker of the server's disks; choosing one asks to confirm.
    fn pick_disk_to_detach(&mut self) -> Option<Vec<Effect>> {
        let server = self.one_server("detach")?;
        let disks = match self.listed_disks() {
            Ok(d) => d,
            Err(fetch) => return Some(fetch),
        };
        let from = server.server_ref();
        let known: Known = [server.known()].into();
        let offers: Vec<OpOffer> = disks
            .iter()
            .filter(|d| d.record().server_id == from.id)
            .map(|d| {
                let op = Op::Disk(DiskOp::Detach {
                    disk: d.disk_ref(),
                    from: from.clone(),
                });
                OpOffer::checked(d.summary(), op, known.clone(), Some(Confirm::detach))
            })
            .collect();
        let about = vec![format!(
            "detach a disk from {} ({})",
            server.name(),
            server.status_text()
        )];
        self.open(
            Picker::new("detach a disk", about, offers)
                .when_empty(format!("no disk listed as attached to {}", server.name())),
        );
        Some(Vec::new())
    }

    /// `d` on Disks: the confirmation (default Cancel), unless the runner would refuse it (a
    /// system disk of a running server).
    fn confirm_detach(&mut self) -> Option<Vec<Effect>> {
        let disk = self.one_disk("detach")?;
        let Some(server_id) = disk.server_id.clone() else {
            self.message = Some((
                Level::Info,
                format!(
                    "disk {} is not attached to a server: nothing to detach",
                    disk.name
                ),
            ));
            return None;
        };
        let (from, known) = self.server_of(&server_id);
        let op = Op::Disk(DiskOp::Detach { disk, from });
        if let Err(refusal) = precondition::check(&op, &known, false) {
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return None;
        }
        self.open(Confirm::detach(op, known));
        Some(Vec::new())
    }

    /// `D` on Disks: the marked disks (else the selected one), each checked first.
    fn open_disk_delete(&mut self) -> Option<Vec<Effect>> {
        let disks: Vec<(DiskRef, String)> = self
            .disks()
            .map(|l| {
                chosen(l)
                    .iter()
                    .map(|r| (r.disk_ref(), r.summary()))
                    .collect()
            })
            .unwrap_or_default();
        if disks.is_empty() {
            self.message = Some((Level::Info, "no disk selected".to_owned()));
            return None;
        }
        let reasons: Vec<String> = disks
            .iter()
            .flat_map(|(d, _)| {
                crate::runner::disk::precondition::reasons(
                    &DiskOp::Delete { disk: d.clone() },
                    &Known::new(),
                )
            })
            .collect();
        if !reasons.is_empty() {
            let refusal = Refusal::Precondition(reasons);
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return None;
        }
        self.open(TypedDelete::disks(disks));
        Some(Vec::new())
    }

    /// A disk task ended in `region`: the disks are read again (when listed) and the server it
    /// attached or detached.
    pub(in crate::tui) fn reread_after_disk_task(
        &mut self,
        region: &str,
        op: &DiskOp,
    ) -> Vec<Effect> {
        let mut effects = self.reread_lists(region, &[(View::Disks, What::Disks)]);
        if let Some(s) = op.server() {
            effects.extend(self.reread_after_task(region, vec![s.id.clone()]));
        }
        effects
    }
}

/// The marked rows, else the selected one.
fn chosen<R: crate::tui::list::rows::Row>(l: &crate::tui::list::ListState<R>) -> Vec<&R> {
    let marked = l.marked_rows();
    if marked.is_empty() {
        l.selected_row().into_iter().collect()
    } else {
        marked
    }
}

#[cfg(test)]
#[path = "disks_tests.rs"]
mod tests;
