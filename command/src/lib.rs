//! # yitu-command
//!
//! The command centre's data, apart from how it is shown:
//!
//! - [`tables`]: the layers indicators read and who answers for a row;
//! - [`indicators`]: indicators city-wide and by district, each with its source and period;
//! - [`timeline`]: the days the dated layers span, for the time slider;
//! - [`overview`]: the built-in overview story;
//! - [`minutes`]: the meeting's minutes (会商纪要) as one HTML page.

pub mod indicators;
pub mod minutes;
pub mod overview;
pub mod tables;
pub mod timeline;
