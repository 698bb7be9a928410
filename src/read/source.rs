//! What a reader asks for and what comes back: the requests (`What`, in a region), the typed
//! records and details that answer them, and the `DataSource` that fetches (the gateway, in the
//! product).

use futures::future::BoxFuture;

use super::catalog::{Catalog, FlavorInfo, NetworkInfo, Quotas};
use super::records::{AzRow, DiskFields, ImageFields, KeypairFields, RegionRow, ServerFields};
use super::snapshot_sets::SnapshotSet;

/// The lists of the main pane (the console's registry, `tui::list::registry`, says what each is);
/// the jobs are the runner's, every other list is read from the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Servers,
    Images,
    Snapshots,
    Disks,
    Jobs,
    /// Read-only: flavors with where they are on sale (`:flavors`).
    Flavors,
    /// Read-only: VPCs and their subnets (`:networks`).
    Networks,
    /// Read-only: quotas as used / limit with headroom (`:quotas`).
    Quotas,
    /// Read-only: the project's key pairs (`:keypairs`).
    Keypairs,
    /// Read-only: the Hyper-V hosts the servers read are placed on (`:hosts`).
    Hosts,
}

/// Which rows of the servers list to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every server (paged through).
    All,
    /// Only these (the rows on screen): a cheap refresh.
    Ids(Vec<String>),
}

/// One read, for one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    Regions,
    Azs,
    Servers(Scope),
    Images,
    Snapshots,
    Disks,
    /// Every field of one object, with its raw JSON.
    Detail(View, String),
    /// Flavors (all AZs, each with its sale state per AZ; or those the API lists for one AZ).
    Flavors(Option<String>),
    /// VPCs, each with its subnets.
    Networks,
    /// ECS and EVS quotas with their usage.
    Quotas,
    /// The project's key pairs.
    Keypairs,
    /// AZs, flavors, active images, networks and quotas at once: what the create form needs.
    Catalog,
    /// A server's one-time remote login URL (by its id): asked once, by a dialog.
    RemoteConsole(String),
    /// The disks attached to a server (by its id), each at its device: asked by a dialog (a
    /// snapshot of the server, a rollback, a rollback's finish), answered `Payload::Disks`.
    ServerDisks(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// Answers carry it back; the state drops answers that are not the newest.
    pub seq: u64,
    pub region: String,
    pub what: What,
}

/// A line of a describe view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailLine {
    Section(String),
    Field(String, String),
}

/// Every field of one object, and its raw JSON (fetched on demand, never kept per row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub lines: Vec<DetailLine>,
    pub raw_json: String,
}

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub enum Payload {
    Regions(Vec<RegionRow>),
    Azs(Vec<AzRow>),
    Servers {
        scope: Scope,
        rows: Vec<ServerFields>,
        /// The total the API reports for the whole list, when it was asked.
        total: Option<usize>,
    },
    Images(Vec<ImageFields>),
    /// The snapshots grouped by set (`snapshot_sets.rs`), newest first.
    Snapshots(Vec<SnapshotSet>),
    Disks(Vec<DiskFields>),
    Detail(Detail),
    Flavors(Vec<FlavorInfo>),
    Networks(Vec<NetworkInfo>),
    Quotas(Quotas),
    Keypairs(Vec<KeypairFields>),
    Catalog(Box<Catalog>),
    RemoteConsole(crate::gateway::RemoteConsole),
    /// One page of a full servers read, handed on while the read goes on
    /// (`DataSource::fetch_paged`): its rows, and the total the API reports.
    ServerPage {
        rows: Vec<ServerFields>,
        total: Option<usize>,
    },
    /// The answer of a full servers read whose pages were all handed on before it: the list is
    /// whole.
    ServerPagesEnd {
        total: Option<usize>,
    },
}

/// Where a read hands its pages while it goes on (`DataSource::fetch_paged`).
pub type PageSink = Box<dyn Fn(Payload) + Send + Sync>;

/// A failed read, as a person needs it: what went wrong and the request id to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub message: String,
    pub request_id: Option<String>,
}

impl LoadError {
    /// What went wrong, then the request id to quote: "… (request id req-1)".
    pub fn quoted(&self) -> String {
        format!(
            "{}{}",
            self.message,
            request_id_note(self.request_id.as_deref())
        )
    }
}

/// " (request id req-1)", to follow what went wrong; nothing when no id came.
pub fn request_id_note(request_id: Option<&str>) -> String {
    request_id
        .map(|r| format!(" (request id {r})"))
        .unwrap_or_default()
}

/// Where the rows come from. Implementations never block: the future runs on a spawned task.
pub trait DataSource: Send + Sync + 'static {
    fn fetch(&self, region: String, what: What) -> BoxFuture<'static, Result<Payload, LoadError>>;

    /// `fetch`, but a long list may hand each page to `pages` as it arrives
    /// (`Payload::ServerPage`) and answer `Payload::ServerPagesEnd` once all were handed on.
    /// By default nothing is handed on: the answer is `fetch`'s.
    fn fetch_paged(
        &self,
        region: String,
        what: What,
        pages: PageSink,
    ) -> BoxFuture<'static, Result<Payload, LoadError>> {
        drop(pages);
        self.fetch(region, what)
    }

    /// The person pressed Ctrl-r: credentials the gateway refused may be tried again.
    fn reset_credentials(&self) {}
}
