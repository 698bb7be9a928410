//! Forms of the console: the create-server form and the resize picker. Their state and checks are
//! pure; `keys.rs` joins them to `AppState::update`.

pub mod create;
pub mod field;
pub mod field_id;
mod keys;
pub mod resize;
pub mod validate;

pub use create::{CreateForm, FieldId, FormKey, Login};
pub use resize::ResizePick;

#[cfg(test)]
mod create_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod keypair_tests;
#[cfg(test)]
mod resize_tests;
