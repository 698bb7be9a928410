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
mod iam;
mod ims;
pub mod model;
pub mod page;
pub mod probe;
pub mod request;
pub mod retry;
pub mod sign;
pub mod tls;
pub mod trace;
mod vpc;

pub use client::{Gateway, GatewayOptions};
pub use ecs::{SERVER_PAGE, ServerFilter, ServerList};
pub use ecs_change::{Force, ServerSpec};
pub use error::{ErrorBody, ErrorKind, GatewayError};
pub use ims::ImageFilter;
pub use retry::RetryPolicy;

/// Decodes one object leniently; a value of the wrong shape gives the type's empty default.
pub fn decode<T: serde::de::DeserializeOwned + Default>(v: &serde_json::Value) -> T {
    T::deserialize(v).unwrap_or_default()
}

/// Decodes every object of a list; items of the wrong shape are skipped.
pub fn decode_all<T: serde::de::DeserializeOwned>(items: &[serde_json::Value]) -> Vec<T> {
    items
        .iter()
        .filter_map(|v| T::deserialize(v).ok())
        .collect()
}
