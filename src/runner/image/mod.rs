//! The IMS image family: what was asked and its calls (`op.rs`), the plan of steps (stop → image →
//! start, `plan.rs`), the checks before sending (`check.rs`, `quota.rs`), settling and looking.

pub mod check;
pub(in crate::runner) mod gateway;
pub mod op;
pub(in crate::runner) mod plan;
pub(in crate::runner) mod quota;
pub(in crate::runner) mod settle;

#[cfg(test)]
mod tests;
