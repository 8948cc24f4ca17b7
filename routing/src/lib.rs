//! Inspection routes (issue #6): road networks from OpenStreetMap, travel-time matrices, and
//! vehicle routing with time windows, by our own genetic search or vrp-core.
//!
//! - [`dispatch`]: the dispatcher's plan of a draw's tasks over teams and days, and its
//!   GeoJSON.
//! - [`network`]: drivable graphs from OSM PBF extracts, their contraction hierarchy, snapping
//!   and many-to-many matrices; saved beside the project.
//! - [`synthetic`]: a generated street grid of any size, with teams and targets, for
//!   benchmarks.
//! - [`model`]: the routing model (locations, vehicles, jobs), its solution and budget.
//! - [`vrptw`]: solving it, by `hgs` where it fits, otherwise by vrp-core.
//! - `hgs`: the hybrid genetic search that solves the model's Solomon class.
//! - [`solomon`]: Solomon's benchmark instances, how the planner's quality is measured.

pub mod dispatch;
mod hgs;
pub mod model;
pub mod network;
pub mod solomon;
pub mod synthetic;
pub mod vrptw;

use std::path::PathBuf;

/// Why routing could not run. Messages give the problem first, then the file, as every Yitu
/// error does.
#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error("cannot read or write the file: {error}; file: {path}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{message}; file: {path}")]
    Input { path: PathBuf, message: String },
    #[error("route solver: {0}")]
    Solver(String),
}
