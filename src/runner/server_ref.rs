//! A server as the user picked it (`ServerRef`): what ops name their servers by.

use serde::{Deserialize, Serialize};

/// A server as the user picked it: its id, and its name for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ServerRef {
    pub id: String,
    pub name: String,
}

impl ServerRef {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        ServerRef {
            id: id.into(),
            name: name.into(),
        }
    }
}
