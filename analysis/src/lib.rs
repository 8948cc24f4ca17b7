//! # yitu-analysis
//!
//! Pure analysis over Yitu layers, headless, used alike by the GUI, the CLI and tests.
//!
//! - [`jurisdiction`]: which district and which team a place belongs to;
//! - [`thermal`]: FLIR R-JPEG, Landsat TIRS and thermal TIFF to temperatures;
//! - [`photo`]: drone photo pose (EXIF + DJI XMP), camera intrinsics and ground footprint;
//! - [`jpeg`]: JPEG segments shared by the two.
//!
//! Imagery, detection, the random draw, routing and river tracing join here as they are built.

pub mod jpeg;
pub mod jurisdiction;
pub mod photo;
pub mod thermal;

pub use jurisdiction::{Jurisdiction, Responsibility};
