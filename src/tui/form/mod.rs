//! The create-server form. Its state and checks are pure; `keys.rs` joins it to
//! `AppState::update`.

pub mod create;
pub mod field;
pub mod field_id;
mod keys;
pub mod validate;

pub use create::{CreateForm, FieldId, FormKey, Login};

#[cfg(test)]
mod create_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod keypair_tests;
#[cfg(test)]
mod resize_tests;
