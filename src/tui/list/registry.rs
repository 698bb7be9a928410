//! The registry of lists: each with its name (`:name`), title, the action that shows it, what a
//! full read fetches, whether its rows follow the chosen AZ, whether a describe reads the object,
//! and its rows (the row type, through `new_list`). Adding a list: a spec here and a row file.

use std::mem::discriminant;

use super::ListState;
use super::any::AnyList;
use super::rows::{
    DiskRow, FlavorRow, ImageRow, KeypairRow, NetworkRow, QuotaRow, Row, SnapshotSetRow,
};
use crate::read::source::{Scope, View, What};
use crate::tui::actions::Action;

/// One list of the main pane.
pub struct ListSpec {
    pub view: View,
    /// Its command (`:flavors`), and its name in messages.
    pub name: &'static str,
    pub title: &'static str,
    /// The action (a key) that shows it; `None`: its command only.
    pub action: Option<Action>,
    /// What a full read fetches; `None`: the runner's tasks (the jobs) or the servers' (the hosts).
    pub full: Option<What>,
    /// Its rows are filtered by the chosen AZ.
    pub az_scoped: bool,
    /// A describe reads the object (else the row's cells are all there is).
    pub detail: bool,
    /// Listed under `:region all` (else one region at a time).
    pub every_region: bool,
    /// An empty list of its rows; `None` for the lists kept elsewhere (the servers, the jobs, the
    /// hosts).
    pub new_list: Option<fn() -> Box<dyn AnyList>>,
}

fn empty<R: Row + 'static>() -> Box<dyn AnyList> {
    Box::new(ListState::<R>::default())
}

const fn spec(view: View, name: &'static str, title: &'static str, full: Option<What>) -> ListSpec {
    ListSpec {
        view,
        name,
        title,
        action: None,
        full,
        az_scoped: false,
        detail: false,
        every_region: false,
        new_list: None,
    }
}

impl ListSpec {
    const fn shown_by(mut self, action: Action) -> Self {
        self.action = Some(action);
        self
    }

    const fn az_scoped(mut self) -> Self {
        self.az_scoped = true;
        self
    }

    const fn with_detail(mut self) -> Self {
        self.detail = true;
        self
    }

    const fn every_region(mut self) -> Self {
        self.every_region = true;
        self
    }

    const fn rows<R: Row + 'static>(mut self) -> Self {
        self.new_list = Some(empty::<R>);
        self
    }
}

/// The lists, in the order of their keys, then of their commands.
pub static LISTS: &[ListSpec] = &[
    spec(
        View::Servers,
        "servers",
        "Servers",
        Some(What::Servers(Scope::All)),
    )
    .shown_by(Action::Servers)
    .az_scoped()
    .with_detail()
    .every_region(),
    spec(View::Images, "images", "Images", Some(What::Images))
        .shown_by(Action::Images)
        .with_detail()
        .rows::<ImageRow>(),
    spec(
        View::Snapshots,
        "snapshots",
        "Snapshots",
        Some(What::Snapshots),
    )
    .shown_by(Action::Snapshots)
    .rows::<SnapshotSetRow>(),
    spec(View::Disks, "disks", "Disks", Some(What::Disks))
        .shown_by(Action::Disks)
        .az_scoped()
        .with_detail()
        .rows::<DiskRow>(),
    // The runner's tasks, not the gateway's.
    spec(View::Jobs, "jobs", "Jobs", None)
        .shown_by(Action::Jobs)
        .with_detail()
        .every_region(),
    spec(
        View::Flavors,
        "flavors",
        "Flavors",
        Some(What::Flavors(None)),
    )
    .rows::<FlavorRow>(),
    spec(View::Networks, "networks", "Networks", Some(What::Networks)).rows::<NetworkRow>(),
    spec(View::Quotas, "quotas", "Quotas", Some(What::Quotas)).rows::<QuotaRow>(),
    spec(
        View::Keypairs,
        "keypairs",
        "Key pairs",
        Some(What::Keypairs),
    )
    .rows::<KeypairRow>(),
    // Made from the servers already read (`app::hosts`), kept beside them.
    spec(View::Hosts, "hosts", "Hyper-V hosts", None)
        .az_scoped()
        .every_region(),
];

/// The spec of a list (every `View` has one).
pub fn spec_of(view: View) -> &'static ListSpec {
    LISTS.iter().find(|s| s.view == view).unwrap_or(&LISTS[0])
}

/// The list a command word shows (`flavors`).
pub fn by_name(name: &str) -> Option<View> {
    LISTS.iter().find(|s| s.name == name).map(|s| s.view)
}

/// The list an action shows (`1` → servers).
pub fn shown_by(action: Action) -> Option<View> {
    LISTS
        .iter()
        .find(|s| s.action == Some(action))
        .map(|s| s.view)
}

/// Requests of the same slot replace each other: only the newest is worth finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Regions,
    Azs,
    List(View),
    Detail,
    Catalog,
    /// A read the open dialog asked for (the remote login's URL, a server's disks): answered to
    /// it, never retried.
    Dialog,
}

/// The slot a read fills: a list's, when it is what the list's full read fetches (whatever its
/// scope or AZ).
pub fn slot(what: &What) -> Slot {
    match what {
        What::Regions => Slot::Regions,
        What::Azs => Slot::Azs,
        What::Detail(..) => Slot::Detail,
        What::Catalog => Slot::Catalog,
        What::RemoteConsole(_) | What::ServerDisks(_) => Slot::Dialog,
        w => LISTS
            .iter()
            .find(|s| {
                s.full
                    .as_ref()
                    .is_some_and(|f| discriminant(f) == discriminant(w))
            })
            .map_or(Slot::Catalog, |s| Slot::List(s.view)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_has_one_spec_and_every_read_of_a_list_its_slot() {
        let every = [
            View::Servers,
            View::Images,
            View::Snapshots,
            View::Disks,
            View::Jobs,
            View::Flavors,
            View::Networks,
            View::Quotas,
            View::Keypairs,
            View::Hosts,
        ];
        // A new view fails to compile here until it is in `every` (and so has a spec).
        for v in every {
            match v {
                View::Servers
                | View::Images
                | View::Snapshots
                | View::Disks
                | View::Jobs
                | View::Flavors
                | View::Networks
                | View::Quotas
                | View::Keypairs
                | View::Hosts => {}
            }
        }
        assert_eq!(LISTS.len(), every.len());
        for v in every {
            assert_eq!(LISTS.iter().filter(|s| s.view == v).count(), 1, "{v:?}");
            assert_eq!(spec_of(v).view, v);
            if let Some(full) = &spec_of(v).full {
                assert_eq!(slot(full), Slot::List(v));
            }
        }
        assert_eq!(
            slot(&What::Servers(Scope::Ids(vec!["a".into()]))),
            Slot::List(View::Servers)
        );
        assert_eq!(
            slot(&What::Flavors(Some("az1".into()))),
            Slot::List(View::Flavors)
        );
        assert_eq!(by_name("quotas"), Some(View::Quotas));
        assert_eq!(shown_by(Action::Disks), Some(View::Disks));
    }
}
