//! # yitu-basins
//!
//! River basins for joint enforcement across district and province lines:
//!
//! - [`network`]: a directed network from any river lines (snapped, split at confluences,
//!   turned to flow towards the outlets), with its QA ([`qa`]);
//! - [`trace`]: up- and downstream by distance and travel time;
//! - [`found`]: features along a trace and the district lines it crosses ([`districts`]).

pub mod attribution;
pub mod districts;
pub mod files;
pub mod found;
pub mod geom;
pub mod grid;
pub mod joint;
mod lines_json;
pub mod network;
pub mod qa;
pub mod report;
pub mod synthetic;
pub mod trace;

pub use districts::{District, Districts};
pub use found::{Crossing, Feature, Found, Tied};
pub use network::{BuildOptions, Network, Reach, RiverLine};
pub use qa::{Finding, FindingKind};
pub use trace::{Direction, Limits, Position, Trace, Traced};
