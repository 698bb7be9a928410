//! The API's objects, decoded leniently: numbers as strings or integers, unknown status values
//! kept verbatim, unknown fields ignored, optional fields optional, every time format.

mod compute;
mod identity;
mod job;
mod keypair;
pub mod lenient;
mod network;
mod storage;

pub use compute::{
    Address, AttachedVolume, AvailabilityZone, ComputeQuota, Flavor, SaleState, Server,
    ServerFault, ServerFlavor, ServerStatus,
};
pub use identity::{NamedRef, Project, Region, TokenInfo};
pub use job::{Job, JobEntities, JobStatus, JobSubmitted};
pub use keypair::Keypair;
pub use lenient::Timestamp;
pub use network::{Subnet, Vpc};
pub use storage::{Disk, DiskAttachment, Image, ImageQuota, QuotaUsage, Snapshot};

/// An object as typed fields plus the JSON the API returned (for `-o json` and describe).
#[derive(Debug, Clone, PartialEq)]
pub struct WithRaw<T> {
    pub item: T,
    pub raw: serde_json::Value,
}
