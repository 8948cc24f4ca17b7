//! # yitu-core
//!
//! Helpers the domain crates share, with no domain of their own:
//!
//! - [`calendar`]: dates to day numbers and back, whatever form a file wrote them in;
//! - [`cancel`]: a flag long work looks at and its caller sets;
//! - [`digest`]: SHA-256 as hex, for provenance and draw records;
//! - [`lattice`]: a coarse lattice over a grid with interpolation;
//! - [`markup`]: HTML escaping and CSV tables for the files people open;
//! - [`parallel`]: work over the machine's cores, results in order;
//! - [`stats`]: robust statistics by selection.

pub mod calendar;
pub mod cancel;
pub mod digest;
pub mod lattice;
pub mod markup;
pub mod parallel;
pub mod stats;
