//! A digital elevation model sampled by WGS84 position: drone footprints on real terrain, and
//! which end of a river network is lowest.

use std::path::Path;

use crate::crs::Reprojector;
use crate::error::LayersError;
use crate::raster::{Band, ToPixel, read_band_at_most};

/// Longest side read from a DEM (decimated through its overviews when bigger).
const MAX_SIDE: usize = 4096;

/// Elevations (metres, the DEM's vertical datum) sampled by WGS84 position.
pub struct Dem {
    band: Band,
    crs_from_wgs84: Reprojector,
    /// Inverse of the geotransform: CRS → (column, row).
    to_pixel: ToPixel,
}

impl Dem {
    pub fn open(path: &Path) -> Result<Self, LayersError> {
        let bad = |problem: &str| LayersError::BadFile {
            path: path.to_path_buf(),
            problem: problem.to_owned(),
        };
        let band = read_band_at_most(path, 1, Some(MAX_SIDE))?;
        let g = band
            .georef
            .clone()
            .ok_or_else(|| bad("the DEM has no georeferencing"))?;
        let to_pixel = g
            .to_pixel()
            .ok_or_else(|| bad("the DEM's geotransform cannot be inverted"))?;
        Ok(Self {
            crs_from_wgs84: Reprojector::wgs84_to_wkt(&g.crs_wkt)?,
            band,
            to_pixel,
        })
    }

    /// Elevation at a WGS84 position (nearest cell), `None` outside the DEM or on nodata.
    pub fn elevation(&self, lon: f64, lat: f64) -> Option<f64> {
        let (x, y) = self.crs_from_wgs84.coord(lon, lat)?;
        let (col, row) = self.to_pixel.pixel(x, y);
        if col < 0.0 || row < 0.0 || col >= self.band.width as f64 || row >= self.band.height as f64
        {
            return None;
        }
        let v = self.band.values[row as usize * self.band.width + col as usize];
        (self.band.nodata.is_none_or(|n| n.to_bits() != v.to_bits())).then_some(v)
    }
}
