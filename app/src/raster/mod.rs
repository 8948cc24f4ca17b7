//! Rasters on the map: resampled onto a Web-Mercator grid, full-resolution tiles when zoomed
//! in, and the GPU painter that colours them.

pub mod gpu;
pub mod grid;
pub mod overlay;
pub mod tiles;
