//! The console's copy of the catalog (what the create form and the resize picker choose from).

use crate::read::catalog::Catalog;

/// The console's copy of the catalog: read when a form first needs it, kept per region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogState {
    /// The newest request's sequence number.
    pub want: u64,
    pub loading: bool,
    /// The region `data` was read in.
    pub region: String,
    pub data: Option<Catalog>,
    /// The last read's error (with its request id), shown by the form.
    pub error: Option<String>,
}

impl CatalogState {
    /// The catalog of `region`, when it has been read.
    pub fn of(&self, region: &str) -> Option<&Catalog> {
        self.data.as_ref().filter(|_| self.region == region)
    }
}
