//! One full servers read whose pages are arriving: the state `pages.rs` folds them with.

use crate::read::records::ServerFields;

/// One full servers read whose pages are arriving.
#[derive(Debug, Default)]
pub struct Paging {
    pub(super) seq: u64,
    /// Its pages go into the list as they come (nothing of its scope is listed yet); else they
    /// are gathered until the read is whole.
    pub(super) into_list: bool,
    pub(super) gathered: Vec<ServerFields>,
    /// Rows received so far, and the total the API reports.
    pub(super) got: usize,
    pub(super) total: Option<usize>,
}
