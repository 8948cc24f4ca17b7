//! The pixel frame detection works in: a temperature image with its georeferencing, and the
//! conversions between pixels, the raster's CRS, WGS84 and metres.

use super::error::RasterProblem;
use geo::{Coord, LineString, Polygon};
use yitu_layers::crs::Reprojector;
use yitu_layers::raster::Georef;

use super::DetectError;
use super::tiles::Tile;

/// Temperatures in °C on the raster's pixel grid; NaN where invalid.
pub struct ThermalImage {
    pub width: usize,
    pub height: usize,
    pub celsius: Vec<f32>,
    pub frame: PixelFrame,
}

/// The temperatures and their pixel size without the georeferencing, which GDAL does not let
/// threads share: what the detectors that run side by side read.
#[derive(Clone, Copy)]
pub struct Pixels<'a> {
    pub width: usize,
    pub height: usize,
    pub celsius: &'a [f32],
    pub gsd_m: f64,
}

impl ThermalImage {
    pub fn pixels(&self) -> Pixels<'_> {
        Pixels {
            width: self.width,
            height: self.height,
            celsius: &self.celsius,
            gsd_m: self.frame.gsd_m,
        }
    }

    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.celsius[y * self.width + x]
    }
}

/// Part of a raster seen as an image of its own: the pixels of a tile's extent, and the tile,
/// which says where the extent lies in the raster and which of its pixels it decides (its core;
/// the rest is context for work whose reach is bounded). The whole raster is one window whose
/// core is all of it.
#[derive(Clone, Copy)]
pub struct Window<'a> {
    pub pixels: Pixels<'a>,
    pub tile: Tile,
}

impl<'a> Window<'a> {
    /// The whole raster, all core.
    pub fn whole(pixels: Pixels<'a>) -> Self {
        Self {
            pixels,
            tile: Tile::whole(pixels.width, pixels.height),
        }
    }

    /// The extent's top-left pixel in the raster.
    pub fn origin(&self) -> (usize, usize) {
        (self.tile.x.0, self.tile.y.0)
    }
}

/// Pixel ↔ CRS ↔ WGS84 for one raster, and its ground sample distance.
pub struct PixelFrame {
    georef: Georef,
    gt: [f64; 6],
    to_pixel: yitu_layers::raster::ToPixel,
    to_wgs84: Reprojector,
    from_wgs84: Reprojector,
    /// Metres per pixel (the mean of both axes, at the raster's centre).
    pub gsd_m: f64,
    /// Unit vector (in pixel x, y) pointing north, at the centre.
    north: (f64, f64),
}

impl PixelFrame {
    pub fn new(georef: &Georef, width: usize, height: usize) -> Result<Self, DetectError> {
        let gt = georef.geo_transform;
        let to_pixel = georef
            .to_pixel()
            .ok_or(RasterProblem::SingularGeotransform)?;
        let to_wgs84 = Reprojector::wkt_to_wgs84(&georef.crs_wkt)?;
        let from_wgs84 = Reprojector::wgs84_to_wkt(&georef.crs_wkt)?;
        let mut frame = Self {
            georef: georef.clone(),
            gt,
            to_pixel,
            to_wgs84,
            from_wgs84,
            gsd_m: 1.0,
            north: (0.0, -1.0),
        };
        // Metres per pixel and north, measured on the ground around the centre.
        let (cx, cy) = (width as f64 / 2.0, height as f64 / 2.0);
        let c = frame.lon_lat(cx, cy);
        let e = frame.lon_lat(cx + 1.0, cy);
        let s = frame.lon_lat(cx, cy + 1.0);
        let (Some(c), Some(e), Some(s)) = (c, e, s) else {
            return Err(RasterProblem::CentreOffEarth.into());
        };
        frame.gsd_m = f64::midpoint(metres(c, e), metres(c, s));
        let n = frame
            .pixel(c.0, c.1 + 1e-4)
            .zip(frame.pixel(c.0, c.1))
            .map(|((x1, y1), (x0, y0))| (x1 - x0, y1 - y0));
        if let Some((dx, dy)) = n {
            let len = dx.hypot(dy).max(f64::EPSILON);
            frame.north = (dx / len, dy / len);
        }
        Ok(frame)
    }

    /// The same frame with its own reprojections (GDAL's cannot be shared).
    pub fn try_clone(&self) -> Result<Self, DetectError> {
        Ok(Self {
            georef: self.georef.clone(),
            to_wgs84: Reprojector::wkt_to_wgs84(&self.georef.crs_wkt)?,
            from_wgs84: Reprojector::wgs84_to_wkt(&self.georef.crs_wkt)?,
            ..*self
        })
    }

    /// Pixel (x, y) (0,0 = the north-west corner of the first pixel) → WGS84 lon/lat.
    pub fn lon_lat(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let g = self.gt;
        self.to_wgs84
            .coord(g[0] + x * g[1] + y * g[2], g[3] + x * g[4] + y * g[5])
    }

    /// WGS84 lon/lat → pixel (x, y).
    pub fn pixel(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let (cx, cy) = self.from_wgs84.coord(lon, lat)?;
        Some(self.crs_to_pixel(cx, cy))
    }

    fn crs_to_pixel(&self, cx: f64, cy: f64) -> (f64, f64) {
        self.to_pixel.pixel(cx, cy)
    }

    /// Many WGS84 points → pixels at once (one reprojection call).
    pub fn pixels(&self, lon_lat: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = lon_lat.iter().copied().unzip();
        self.from_wgs84.coords_in_place(&mut xs, &mut ys);
        xs.into_iter()
            .zip(ys)
            .map(|(x, y)| self.crs_to_pixel(x, y))
            .collect()
    }

    /// A WGS84 polygon in pixel coordinates.
    pub fn polygon_to_pixels(&self, p: &Polygon<f64>) -> Polygon<f64> {
        let ring = |ls: &LineString<f64>| -> LineString<f64> {
            let pts: Vec<(f64, f64)> = ls.0.iter().map(|c| (c.x, c.y)).collect();
            self.pixels(&pts)
                .into_iter()
                .map(|(x, y)| Coord { x, y })
                .collect()
        };
        Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
    }

    /// A polygon in pixel coordinates → WGS84.
    pub fn polygon_to_wgs84(&self, p: &Polygon<f64>) -> Polygon<f64> {
        let ring = |ls: &LineString<f64>| -> LineString<f64> {
            ls.0.iter()
                .filter_map(|c| self.lon_lat(c.x, c.y))
                .map(|(x, y)| Coord { x, y })
                .collect()
        };
        Polygon::new(ring(p.exterior()), Vec::new())
    }

    /// Azimuth (degrees clockwise from north) of a pixel-space vector.
    pub fn azimuth_deg(&self, dx: f64, dy: f64) -> f64 {
        let (nx, ny) = self.north;
        // East is north turned 90° clockwise; in pixel space (y down) that is (-ny, nx).
        let (ex, ey) = (-ny, nx);
        let north = dx * nx + dy * ny;
        let east = dx * ex + dy * ey;
        east.atan2(north).to_degrees().rem_euclid(360.0)
    }
}

/// Great-circle distance in metres between two lon/lat points.
pub fn metres((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
    use geo::Distance as _;
    geo::Haversine.distance(geo::Point::new(lon1, lat1), geo::Point::new(lon2, lat2))
}
