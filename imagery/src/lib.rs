//! # yitu-imagery
//!
//! Imagery and detection over Yitu layers, headless, used alike by the GUI, the CLI and tests.
//!
//! - [`thermal`]: FLIR R-JPEG, Landsat TIRS and thermal TIFF to temperatures;
//! - [`photo`]: drone photo pose (EXIF + DJI XMP), camera intrinsics and ground footprint;
//! - [`sentinel2`]: Sentinel-2 L1C/L2A digital numbers to reflectance from the product metadata;
//! - [`band_math`]: spectral indices (NDVI, NDWI, MNDWI, NDTI, NDCI) and band-math expressions;
//! - [`jpeg`]: JPEG segments shared by the thermal and photo readers;
//! - [`detect`]: thermal hot spots and bank plumes (hidden-pipe suspects) matched to the registry,
//!   with synthetic scenes of known truth to validate them.
//!

pub mod band_math;
pub mod detect;
pub mod jpeg;
pub mod photo;
pub mod sentinel2;
pub mod thermal;
