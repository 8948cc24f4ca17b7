//! Rasters on the map: a band resampled onto a Web-Mercator grid (off the UI thread), coloured
//! with a palette and stretch into a texture, drawn under the vector layers.

use std::path::Path;

use anyhow::Context as _;
use yitu_analysis::thermal::palette::{Isotherm, Palette, colorize};
use yitu_layers::crs::Reprojector;
use yitu_layers::raster::{Band, read_band_at_most};

use crate::jobs::Progress;
use crate::prepared::World;

/// Longest side of the grid shown on the map (and read from the file's overviews).
pub const MAX_SIDE: usize = 1024;

/// Values on a regular Web-Mercator grid; NaN where the raster has none.
pub struct MercatorGrid {
    pub width: usize,
    pub height: usize,
    /// North-west and south-east corners.
    pub min: World,
    pub max: World,
    pub values: Vec<f32>,
}

impl MercatorGrid {
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

fn lon_lat_from_world(w: World) -> (f64, f64) {
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * w.y))
        .sinh()
        .atan()
        .to_degrees();
    (w.x * 360.0 - 180.0, lat)
}

/// Resamples a georeferenced band (nearest neighbour) onto a Mercator grid of at most `max_side`.
pub fn warp_to_mercator(band: &Band, max_side: usize) -> anyhow::Result<MercatorGrid> {
    let g = band
        .georef
        .as_ref()
        .context("the raster has no georeferencing (no CRS or geotransform)")?;
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
    let min = World {
        x: corners.iter().map(|c| c.x).fold(f64::MAX, f64::min),
        y: corners.iter().map(|c| c.y).fold(f64::MAX, f64::min),
    };
    let max = World {
        x: corners.iter().map(|c| c.x).fold(f64::MIN, f64::max),
        y: corners.iter().map(|c| c.y).fold(f64::MIN, f64::max),
    };
    let aspect = (max.x - min.x) / (max.y - min.y).max(f64::EPSILON);
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
    // Inverse geotransform: CRS → pixel.
    let det = gt[1] * gt[5] - gt[2] * gt[4];
    anyhow::ensure!(
        det.abs() > f64::EPSILON,
        "the geotransform cannot be inverted"
    );
    let to_raster = Reprojector::wgs84_to_wkt(&g.crs_wkt)?;
    let mut values = Vec::with_capacity(gw * gh);
    for j in 0..gh {
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = (0..gw)
            .map(|i| {
                let world = World {
                    x: min.x + (i as f64 + 0.5) / gw as f64 * (max.x - min.x),
                    y: min.y + (j as f64 + 0.5) / gh as f64 * (max.y - min.y),
                };
                lon_lat_from_world(world)
            })
            .unzip();
        to_raster.coords_in_place(&mut xs, &mut ys);
        for (x, y) in xs.into_iter().zip(ys) {
            let (dx, dy) = (x - gt[0], y - gt[3]);
            let col = (gt[5] * dx - gt[2] * dy) / det;
            let row = (-gt[4] * dx + gt[1] * dy) / det;
            let v = if col >= 0.0 && row >= 0.0 && col < w && row < h {
                let v = band.values[row as usize * band.width + col as usize];
                if band.nodata.is_some_and(|n| n.to_bits() == v.to_bits()) {
                    f32::NAN
                } else {
                    v as f32
                }
            } else {
                f32::NAN
            };
            values.push(v);
        }
    }
    Ok(MercatorGrid {
        width: gw,
        height: gh,
        min,
        max,
        values,
    })
}

/// How values map to the palette's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stretch {
    MinMax,
    #[default]
    Percent2To98,
    StdDev2,
}

impl Stretch {
    pub const ALL: [Self; 3] = [Self::MinMax, Self::Percent2To98, Self::StdDev2];

    pub fn label(self) -> &'static str {
        match self {
            Self::MinMax => "min–max",
            Self::Percent2To98 => "2–98 %",
            Self::StdDev2 => "±2σ",
        }
    }
}

/// Statistics of the valid values, for stretches and the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub min: f32,
    pub max: f32,
    pub p2: f32,
    pub p98: f32,
    pub mean: f32,
    pub std: f32,
    /// Counts in `HISTOGRAM_BINS` equal bins from `min` to `max`.
    pub histogram: Vec<u32>,
}

/// Bins of the histogram shown under each raster.
pub const HISTOGRAM_BINS: usize = 64;

impl Stats {
    pub fn of(values: &[f32]) -> Option<Self> {
        let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f32::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let var = v
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>()
            / n;
        let (min, max) = (v[0], v[v.len() - 1]);
        let mut histogram = vec![0; HISTOGRAM_BINS];
        let span = (max - min).max(f32::EPSILON);
        for x in &v {
            let bin = (((x - min) / span) * HISTOGRAM_BINS as f32) as usize;
            histogram[bin.min(HISTOGRAM_BINS - 1)] += 1;
        }
        Some(Self {
            min,
            max,
            p2: at(0.02),
            p98: at(0.98),
            mean: mean as f32,
            std: var.sqrt() as f32,
            histogram,
        })
    }

    pub fn range(&self, stretch: Stretch) -> (f32, f32) {
        match stretch {
            Stretch::MinMax => (self.min, self.max),
            Stretch::Percent2To98 => (self.p2, self.p98),
            Stretch::StdDev2 => (self.mean - 2.0 * self.std, self.mean + 2.0 * self.std),
        }
    }
}

/// One raster on the map with its display settings.
pub struct RasterOverlay {
    pub name: String,
    pub grid: MercatorGrid,
    pub stats: Stats,
    pub palette: Palette,
    pub stretch: Stretch,
    pub opacity: f32,
    pub visible: bool,
    /// Highlight values at or above this (thermal isotherm).
    pub isotherm: Option<f32>,
    texture: Option<(TextureKey, egui::TextureHandle)>,
}

/// What the texture was coloured with; it is redone when any of it changes.
type TextureKey = (Palette, Stretch, Option<u32>);

impl RasterOverlay {
    /// Reads band 1 of `path` (decimated through overviews) and puts it on a Mercator grid.
    pub fn load(path: &Path, progress: &Progress) -> anyhow::Result<Self> {
        progress.set(0.1, "reading");
        let band = read_band_at_most(path, 1, Some(2 * MAX_SIDE))?;
        progress.check()?;
        progress.set(0.5, "reprojecting");
        let grid = warp_to_mercator(&band, MAX_SIDE).with_context(|| path.display().to_string())?;
        let stats = Stats::of(&grid.values)
            .with_context(|| format!("no valid values in {}", path.display()))?;
        Ok(Self {
            name: path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            grid,
            stats,
            palette: Palette::Ironbow,
            stretch: Stretch::default(),
            opacity: 0.85,
            visible: true,
            isotherm: None,
            texture: None,
        })
    }

    /// The area covered, in lon/lat.
    pub fn lon_lat_rect(&self) -> geo::Rect<f64> {
        let (w, n) = lon_lat_from_world(self.grid.min);
        let (e, s) = lon_lat_from_world(self.grid.max);
        geo::Rect::new(geo::coord! { x: w, y: s }, geo::coord! { x: e, y: n })
    }

    /// The texture for the current palette and stretch (re-coloured only when they change).
    pub fn texture(&mut self, ctx: &egui::Context) -> egui::TextureHandle {
        let key = (self.palette, self.stretch, self.isotherm.map(f32::to_bits));
        if let Some((k, t)) = &self.texture
            && *k == key
        {
            return t.clone();
        }
        let (lo, hi) = self.stats.range(self.stretch);
        let c = crate::theme::ISOTHERM;
        let isotherm = self.isotherm.map(|at_least| Isotherm {
            at_least,
            color: [c.r(), c.g(), c.b()],
        });
        let px = colorize(
            &self.grid.values,
            (lo, hi),
            self.palette,
            f32::NAN,
            isotherm,
        );
        let bytes: Vec<u8> = px.into_iter().flatten().collect();
        let image =
            egui::ColorImage::from_rgba_unmultiplied([self.grid.width, self.grid.height], &bytes);
        let handle = ctx.load_texture(
            format!("raster {}", self.name),
            image,
            egui::TextureOptions::NEAREST,
        );
        self.texture = Some((key, handle.clone()));
        handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yitu_layers::raster::Georef;

    /// A 2×2 raster in UTM 48N (EPSG:32648) near Chongqing, 1 km pixels.
    fn utm_band() -> Band {
        let srs = yitu_layers::Crs::Epsg(32648).spatial_ref().unwrap();
        Band {
            width: 2,
            height: 2,
            values: vec![1.0, 2.0, 3.0, -1.0],
            nodata: Some(-1.0),
            georef: Some(Georef {
                geo_transform: [600_000.0, 1000.0, 0.0, 3_270_000.0, 0.0, -1000.0],
                crs_wkt: srs.to_wkt().unwrap(),
            }),
            data_type: "Float32".into(),
        }
    }

    #[test]
    fn a_utm_raster_lands_where_its_pixels_are() {
        let grid = warp_to_mercator(&utm_band(), 64).unwrap();
        // The centre of the NW pixel (600.5 km E, 3269.5 km N in zone 48N).
        let to_wgs =
            Reprojector::new(yitu_layers::Crs::Epsg(32648), yitu_layers::Crs::Wgs84).unwrap();
        let (lon, lat) = to_wgs.coord(600_500.0, 3_269_500.0).unwrap();
        assert_eq!(grid.value_at(World::from_lon_lat(lon, lat)), Some(1.0));
        let (lon, lat) = to_wgs.coord(601_500.0, 3_268_500.0).unwrap();
        assert_eq!(
            grid.value_at(World::from_lon_lat(lon, lat)),
            None,
            "nodata stays empty"
        );
        let (lon, lat) = to_wgs.coord(601_500.0, 3_269_500.0).unwrap();
        assert_eq!(grid.value_at(World::from_lon_lat(lon, lat)), Some(2.0));
    }

    #[test]
    fn stretches_come_from_the_statistics() {
        let values: Vec<f32> = (0..=100).map(|i| i as f32).collect();
        let s = Stats::of(&values).unwrap();
        assert_eq!(s.range(Stretch::MinMax), (0.0, 100.0));
        assert_eq!(s.range(Stretch::Percent2To98), (2.0, 98.0));
        assert!((s.mean - 50.0).abs() < 1e-4);
        assert_eq!(s.histogram.iter().sum::<u32>(), 101);
    }
}
