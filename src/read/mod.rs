//! The read model: what the console and the command line read of the cloud for display (the
//! requests, the typed records and details that answer them, the catalog) and the `DataSource`
//! that reads them through the gateway. No terminal code: `tui` and `cli` import it.

pub mod catalog;
pub mod detail;
pub mod gateway_source;
pub mod hosts;
pub mod records;
pub mod snapshot_sets;
pub mod source;
