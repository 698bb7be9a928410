//! `c`: the create-server form. Its state and checks (`form.rs`, `validate.rs`) are pure; `keys.rs`
//! makes it a dialog, `draw.rs` draws it over the whole body.

mod draw;
pub mod field;
pub mod field_id;
pub mod form;
mod keys;
pub mod validate;

pub use field_id::{FieldId, FormKey, Login};
pub use form::CreateForm;

#[cfg(test)]
mod create_tests;
#[cfg(test)]
mod keypair_tests;
