//! The EVS data-disk family: what was asked (`op.rs`), its calls and looks (`call.rs`), the
//! checks before sending (`precondition.rs`), settling after a job (`settle.rs`), the gateway calls.

pub mod call;
pub mod gateway;
pub mod op;
pub mod precondition;
pub(in crate::runner) mod settle;
