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

/// A list row: what identifies it (its `id`; the name for lists without ids). A row without one
/// cannot be told apart from the others and is reported as unreadable.
pub trait Row {
    fn row_id(&self) -> std::borrow::Cow<'_, str>;
}

/// A row as the API returned it: its `id` member (a string or a number).
impl Row for serde_json::Value {
    fn row_id(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self.get("id") {
            Some(serde_json::Value::String(s)) => Cow::Borrowed(s),
            Some(v) => Cow::Owned(lenient::value_to_string(v).unwrap_or_default()),
            None => Cow::Borrowed(""),
        }
    }
}

macro_rules! rows_by {
    ($($t:ty => $field:ident),* $(,)?) => {$(
        impl Row for $t {
            fn row_id(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(&self.$field)
            }
        }
    )*};
}

rows_by!(
    Server => id, Flavor => id, AvailabilityZone => name, Region => id, Project => id,
    Keypair => name, Vpc => id, Subnet => id, Image => id, Disk => id, Snapshot => id,
);
