//! Server snapshots: a set of EVS snapshots, one per disk of a server (`op.rs`), their calls and
//! looks (`call.rs`), the plans (`plan.rs`: a set; stop → detach → roll back → attach → start),
//! the checks before sending (`precondition.rs`), settling (`settle.rs`), the gateway calls.

pub mod call;
pub mod gateway;
pub mod op;
pub(in crate::runner) mod plan;
pub mod precondition;
pub(in crate::runner) mod settle;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;
