//! # yitu-store
//!
//! The shared store: a project in PostgreSQL with PostGIS, for the desks one GeoPackage
//! outgrows. The database, not the app, enforces the rules, so psql and QGIS users meet the
//! same ones as Yitu:
//!
//! - [`schema`]: the SQL of schema `yitu`, its audit log, the version rule and the rights;
//! - [`tables`]: how a project's layers become tables (names, columns, ids, districts);
//! - [`init`]: `store init`, a project loaded into a new schema;
//! - [`live`]: other desks' changes as they commit (LISTEN/NOTIFY);
//! - [`read`]: a project read back, for `open postgres://…` and `store export`;
//! - [`edit`]: a desk's edit of a row, and the other desk's values when it was stale;
//! - [`roles`]: group roles per kind of desk and `store grant`;
//! - [`audit`]: `store log`, the record of every change;
//! - [`blobs`]: binary data beside the project (a monitoring run);
//! - [`sync`]: `store sync`, an offline copy's edits pushed back field by field.
//!
//! Connections are ordinary libpq URLs, a Unix socket directory percent-encoded as the host.

pub mod audit;
pub mod blobs;
pub mod edit;
pub mod error;
pub mod init;
pub mod live;
pub mod read;
pub mod roles;
pub mod schema;
pub mod sync;
pub mod tables;

pub use error::{StoreError, connect};
