//! The Web-Mercator grid a raster is shown on, and the sampling that resamples a file's bands
//! onto it (computed once, shared by the bands).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use yitu_core::lattice::Axis;
use yitu_layers::crs::Reprojector;
use yitu_layers::raster::Band;

use crate::map::world::{World, WorldRect};
use crate::raster::gpu::{GridId, GridValues};

/// Longest side of the grid shown on the map (and read from the file's overviews).
pub const MAX_SIDE: usize = 1024;

/// Values on a regular Web-Mercator grid; NaN where the raster has none.
pub struct MercatorGrid {
    /// Identity of the values on the GPU.
    pub id: GridId,
    pub width: usize,
    pub height: usize,
    /// North-west and south-east corners.
    pub min: World,
    pub max: World,
    pub values: Arc<[f32]>,
}

impl MercatorGrid {
    pub fn new(width: usize, height: usize, min: World, max: World, values: Arc<[f32]>) -> Self {
        Self {
            id: GridId::fresh(),
            width,
            height,
            min,
            max,
            values,
        }
    }

    /// A grid with no data over `rect` (a tile beside the raster).
    pub fn empty(rect: WorldRect, side: usize) -> Self {
        Self::new(
            side,
            side,
            rect.min,
            rect.max,
            vec![f32::NAN; side * side].into(),
        )
    }

    /// The values as the GPU painter takes them.
    pub fn gpu(&self) -> GridValues {
        GridValues {
            id: self.id,
            width: self.width,
            height: self.height,
            values: Arc::clone(&self.values),
        }
    }

    /// The value at a world position, if inside and valid.
    pub fn value_at(&self, w: World) -> Option<f32> {
        let u = (w.x - self.min.x) / (self.max.x - self.min.x);
        let v = (w.y - self.min.y) / (self.max.y - self.min.y);
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return None;
        }
        let i = (v * self.height as f64) as usize * self.width + (u * self.width as f64) as usize;
        self.values.get(i).copied().filter(|x| x.is_finite())
    }
}

/// Where each cell of a Web-Mercator grid takes its value from in the source raster. Computed
/// once per raster and shared by all its bands.
pub struct MercatorSampling {
    pub width: usize,
    pub height: usize,
    pub min: World,
    pub max: World,
    /// Source pixel index per cell; `u32::MAX` outside the raster.
    source: Vec<u32>,
}

const OUTSIDE: u32 = u32::MAX;

/// Cells between exactly reprojected lattice nodes in [`MercatorSampling::over`].
const LATTICE: usize = 16;

fn georef(band: &Band) -> anyhow::Result<&yitu_layers::raster::Georef> {
    band.georef
        .as_ref()
        .context("the raster has no georeferencing (no CRS or geotransform)")
}

impl MercatorSampling {
    /// Nearest-neighbour sampling of a georeferenced band's pixel grid, at most `max_side` cells,
    /// over the band's whole extent.
    pub fn new(band: &Band, max_side: usize) -> anyhow::Result<Self> {
        let g = georef(band)?;
        let gt = g.geo_transform;
        // Outline in the raster's CRS → WGS84 → world, densified along the edges.
        let to_wgs84 = Reprojector::wkt_to_wgs84(&g.crs_wkt)?;
        let (w, h) = (band.width as f64, band.height as f64);
        let edge: Vec<(f64, f64)> = (0..=16)
            .flat_map(|k| {
                let t = f64::from(k) / 16.0;
                [(t * w, 0.0), (t * w, h), (0.0, t * h), (w, t * h)]
            })
            .collect();
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = edge
            .iter()
            .map(|&(c, r)| (gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5]))
            .unzip();
        to_wgs84.coords_in_place(&mut xs, &mut ys);
        let corners: Vec<World> = xs
            .iter()
            .zip(&ys)
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|(&lon, &lat)| World::from_lon_lat(lon, lat))
            .collect();
        anyhow::ensure!(
            !corners.is_empty(),
            "the raster's outline cannot be placed on the map"
        );
        let rect = WorldRect::of(corners);
        let aspect = (rect.max.x - rect.min.x) / (rect.max.y - rect.min.y).max(f64::EPSILON);
        let (gw, gh) = if aspect >= 1.0 {
            (
                max_side,
                ((max_side as f64 / aspect).round() as usize).max(1),
            )
        } else {
            (
                ((max_side as f64 * aspect).round() as usize).max(1),
                max_side,
            )
        };
        Self::over(band, rect, gw, gh)
    }

    /// Nearest-neighbour sampling of a georeferenced band onto a `gw × gh` grid over `rect`.
    pub fn over(band: &Band, rect: WorldRect, gw: usize, gh: usize) -> anyhow::Result<Self> {
        let g = georef(band)?;
        let (w, h) = (band.width as f64, band.height as f64);
        let WorldRect { min, max } = rect;
        let to_pixel = g
            .to_pixel()
            .context("the geotransform cannot be inverted")?;
        let to_raster = Reprojector::wgs84_to_wkt(&g.crs_wkt)?;
        // File pixel (col, row) at cell centres, exactly on a lattice of every LATTICE-th cell
        // and interpolated between (GDAL's approximate transformer does the same): projections
        // are smooth at this scale, and a 1024² grid costs 4,000 reprojections, not a million.
        let (axis_i, axis_j) = (Axis::new(gw, LATTICE), Axis::new(gh, LATTICE));
        let (node_i, node_j) = (&axis_i.nodes, &axis_j.nodes);
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = node_j
            .iter()
            .flat_map(|&j| node_i.iter().map(move |&i| (i, j)))
            .map(|(i, j)| {
                World {
                    x: min.x + (i as f64 + 0.5) / gw as f64 * (max.x - min.x),
                    y: min.y + (j as f64 + 0.5) / gh as f64 * (max.y - min.y),
                }
                .lon_lat()
            })
            .unzip();
        to_raster.coords_in_place(&mut xs, &mut ys);
        let pixel: Vec<(f64, f64)> = xs
            .into_iter()
            .zip(ys)
            .map(|(x, y)| to_pixel.pixel(x, y))
            .collect();
        let at = |ni: usize, nj: usize| pixel[nj * node_i.len() + ni];
        let mut source = Vec::with_capacity(gw * gh);
        for j in 0..gh {
            let (j0, j1, fy) = axis_j.interval(j);
            source.extend((0..gw).map(|i| {
                let (i0, i1, fx) = axis_i.interval(i);
                let lerp = |a: (f64, f64), b: (f64, f64), f: f64| {
                    (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f)
                };
                let top = lerp(at(i0, j0), at(i1, j0), fx);
                let bottom = lerp(at(i0, j1), at(i1, j1), fx);
                let (col, row) = lerp(top, bottom, fy);
                if col >= 0.0 && row >= 0.0 && col < w && row < h {
                    (row as usize * band.width + col as usize) as u32
                } else {
                    OUTSIDE
                }
            }));
        }
        Ok(Self {
            width: gw,
            height: gh,
            min,
            max,
            source,
        })
    }

    /// One band's values on this grid (the band must have the sampled pixel grid).
    pub fn grid(&self, band: &Band) -> MercatorGrid {
        let values = self
            .source
            .iter()
            .map(|&i| match band.values.get(i as usize) {
                Some(&v)
                    if i != OUTSIDE && band.nodata.is_none_or(|n| n.to_bits() != v.to_bits()) =>
                {
                    v as f32
                }
                _ => f32::NAN,
            })
            .collect();
        MercatorGrid::new(self.width, self.height, self.min, self.max, values)
    }
}

/// Values as the map shows them: Sentinel-2 band files as reflectance, not digital numbers.
pub fn to_display_values(path: &Path, bands: &mut [Band]) {
    if let Some(scale) = yitu_imagery::sentinel2::reflectance_scale(path) {
        for v in bands.iter_mut().flat_map(|b| b.values.iter_mut()) {
            *v = scale.reflectance(*v).unwrap_or(f64::NAN);
        }
    }
}
