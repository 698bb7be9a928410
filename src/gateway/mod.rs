//! The only code in hvecs that speaks HTTP: a client for the ManageOne API gateway (IAM, ECS,
//! IMS, EVS, VPC) with token or AK/SK auth, retries of reads, typed calls and lenient models.

// `GatewayError` keeps its ids as plain fields so callers can match on them; it is built only on
// the failure path of a network call, where its size does not matter.
#![allow(clippy::result_large_err)]

pub mod auth;
mod client;
mod ecs;
mod ecs_change;
pub mod error;
mod evs;
mod evs_change;
mod evs_snapshot;
mod guard;
mod iam;
mod ims;
mod ims_change;
mod login;
pub mod model;
pub mod page;
pub mod probe;
mod project;
mod raw_rows;
mod read_only;
mod reads;
mod remote_console;
pub mod request;
pub mod retry;
mod server_tags;
mod session;
pub mod shape;
pub mod sign;
pub mod tls;
mod tls_verifier;
pub mod trace;
mod vpc;

pub use client::{Gateway, GatewayOptions};
pub use ecs::{SERVER_PAGE, ServerFilter, ServerList};
pub use ecs_change::{Force, ServerSpec};
pub use error::{ErrorBody, ErrorKind, GatewayError, found};
pub use evs_change::{DiskSpec, DisksSubmitted};
pub use evs_snapshot::SnapshotSpec;
pub use guard::CredentialGuard;
pub use ims::ImageFilter;
pub use ims_change::ImageFromServer;
pub use page::PageLimits;
pub use project::{ProjectSource, RegionProject, project_belongs};
pub use raw_rows::RawRow;
pub use read_only::ReadOnly;
pub use remote_console::RemoteConsole;
pub use retry::RetryPolicy;
pub use session::{ALL_REGIONS, CloudSession};

/// Decodes one object leniently (the models take every documented variation); a value of
/// another shape gives the type's empty default. For objects an answer's shape was checked to
/// hold (`Answer::object`); an answer itself is read with `Answer::object_as`.
pub fn decode<T: serde::de::DeserializeOwned + Default>(v: &serde_json::Value) -> T {
    T::deserialize(v).unwrap_or_default()
}

/// Decodes every row of a list, or says which rows could not be read and why.
pub fn decode_all<T: serde::de::DeserializeOwned + shape::Row>(
    items: &[serde_json::Value],
) -> Result<Vec<T>, String> {
    shape::decode_rows(items)
}

/// Rows of a list already checked (`Answer::rows`) decoded as their type; an error naming the
/// call if one does not read all the same.
fn typed<T: serde::de::DeserializeOwned + shape::Row>(
    operation: &str,
    items: &[serde_json::Value],
) -> Result<Vec<T>, GatewayError> {
    decode_all(items).map_err(|detail| {
        GatewayError::new(
            operation,
            ErrorKind::BadBody {
                status: 200,
                detail,
            },
        )
    })
}
