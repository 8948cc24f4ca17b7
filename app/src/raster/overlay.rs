//! Rasters on the map: bands resampled onto a Web-Mercator grid (off the UI thread), shown as
//! one band in a palette or three bands as an RGB composite, drawn under the vector layers.

use std::path::Path;

use anyhow::Context as _;
use yitu_imagery::band_math::Expr;
use yitu_imagery::thermal::palette::Palette;
use yitu_layers::raster::{Band, read_bands_at_most};

use super::grid::{MAX_SIDE, MercatorGrid, MercatorSampling, to_display_values};
use super::tiles::TileCache;
use crate::jobs::Progress;
use crate::map::world::{World, WorldRect};
use crate::raster::gpu::{GridId, GridValues, RasterDraw};

/// How values map to the palette's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
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

/// One band on the map grid with its statistics.
pub struct BandView {
    pub grid: MercatorGrid,
    pub stats: Stats,
}

/// Which bands are shown, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Display {
    /// One band (0-based) in a palette.
    Single(usize),
    /// Three bands (0-based) as red, green, blue, each stretched on its own.
    Rgb([usize; 3]),
}

/// Display settings of a raster, saved with the project.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RasterView {
    pub display: Display,
    pub palette: Palette,
    pub stretch: Stretch,
    pub opacity: f32,
    pub visible: bool,
    pub isotherm: Option<f32>,
    /// A value range set by hand (single-band display), in place of the stretch.
    #[serde(default)]
    pub manual_range: Option<(f32, f32)>,
}

/// Bands read from one file at most (enough for RGB-NIR orthomosaics and most stacks).
const MAX_BANDS: usize = 8;

/// One raster on the map with its display settings.
pub struct RasterOverlay {
    pub name: String,
    /// The file it was read from (none for derived rasters).
    pub source: Option<std::path::PathBuf>,
    /// A big file without overviews: offered to build them (which modifies the file).
    pub lacks_overviews: bool,
    pub bands: Vec<BandView>,
    pub display: Display,
    pub palette: Palette,
    pub stretch: Stretch,
    pub opacity: f32,
    pub visible: bool,
    /// Highlight values at or above this (thermal isotherm; single-band display).
    pub isotherm: Option<f32>,
    /// A value range set by hand (single-band display), in place of the stretch.
    pub manual_range: Option<(f32, f32)>,
    /// Full-resolution detail when zoomed in past the grid.
    pub tiles: TileCache,
}

impl RasterOverlay {
    /// Reads up to 8 bands of `path` (decimated through overviews) onto a Mercator grid.
    pub fn load(path: &Path, progress: &Progress) -> anyhow::Result<Self> {
        progress.set(0.1, "reading");
        let mut bands = read_bands_at_most(path, MAX_BANDS, Some(2 * MAX_SIDE))?;
        progress.check()?;
        to_display_values(path, &mut bands);
        progress.set(0.6, "reprojecting");
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut overlay =
            Self::from_bands(name, &bands).with_context(|| path.display().to_string())?;
        overlay.lacks_overviews = yitu_layers::raster::lacks_overviews(path)?;
        overlay.tiles = TileCache::for_file(path, overlay.bounds())?;
        overlay.source = Some(path.to_path_buf());
        Ok(overlay)
    }

    /// Puts bands that share one pixel grid on the map. Three or more 8-bit bands are taken as
    /// an RGB photo or orthomosaic; anything else shows band 1 in a palette.
    pub fn from_bands(name: String, bands: &[Band]) -> anyhow::Result<Self> {
        let first = bands.first().context("no bands")?;
        let sampling = MercatorSampling::new(first, MAX_SIDE)?;
        let views: Vec<BandView> = bands
            .iter()
            .filter_map(|b| {
                let grid = sampling.grid(b);
                let stats = Stats::of(&grid.values)?;
                Some(BandView { grid, stats })
            })
            .collect();
        anyhow::ensure!(views.len() == bands.len(), "a band has no valid values");
        let display = if views.len() >= 3 && first.data_type == "Byte" {
            Display::Rgb([0, 1, 2])
        } else {
            Display::Single(0)
        };
        Ok(Self {
            name,
            source: None,
            lacks_overviews: false,
            bands: views,
            display,
            palette: Palette::Ironbow,
            stretch: Stretch::default(),
            opacity: 0.85,
            visible: true,
            isotherm: None,
            manual_range: None,
            tiles: TileCache::default(),
        })
    }

    /// The display settings, to save.
    pub fn view(&self) -> RasterView {
        RasterView {
            display: self.display,
            palette: self.palette,
            stretch: self.stretch,
            opacity: self.opacity,
            visible: self.visible,
            isotherm: self.isotherm,
            manual_range: self.manual_range,
        }
    }

    /// Applies saved display settings (a band choice the file no longer has is ignored).
    pub fn set_view(&mut self, v: RasterView) {
        let fits = |i: usize| i < self.bands.len();
        if match v.display {
            Display::Single(i) => fits(i),
            Display::Rgb(rgb) => rgb.iter().all(|&i| fits(i)),
        } {
            self.display = v.display;
        }
        (
            self.palette,
            self.stretch,
            self.opacity,
            self.visible,
            self.isotherm,
            self.manual_range,
        ) = (
            v.palette,
            v.stretch,
            v.opacity,
            v.visible,
            v.isotherm,
            v.manual_range,
        );
    }

    /// A derived raster (an index or band-math result) on this raster's grid.
    pub fn derived(&self, name: String, values: Vec<f32>) -> Option<Self> {
        let g = &self.bands[0].grid;
        let grid = MercatorGrid::new(g.width, g.height, g.min, g.max, values.into());
        let stats = Stats::of(&grid.values)?;
        Some(Self {
            name,
            source: None,
            lacks_overviews: false,
            bands: vec![BandView { grid, stats }],
            display: Display::Single(0),
            palette: Palette::Rainbow,
            stretch: Stretch::MinMax,
            opacity: 0.85,
            visible: true,
            isotherm: None,
            manual_range: None,
            tiles: TileCache::default(),
        })
    }

    /// Evaluates band math on this raster's bands.
    pub fn band_math(&self, expression: &str) -> Result<Self, String> {
        let expr = Expr::parse(expression, self.bands.len()).map_err(|e| e.to_string())?;
        let inputs: Vec<&[f32]> = self.bands.iter().map(|b| &*b.grid.values).collect();
        self.derived(
            format!("{expression} ({})", self.name),
            expr.evaluate(&inputs),
        )
        .ok_or_else(|| "the result has no valid values".to_owned())
    }

    /// The band whose histogram and values are shown (the red one of a composite).
    pub fn shown(&self) -> &BandView {
        let i = match self.display {
            Display::Single(i) => i,
            Display::Rgb([r, _, _]) => r,
        };
        &self.bands[i.min(self.bands.len() - 1)]
    }

    /// Values of the shown band(s) at a world position, as text: from the finest detail tile
    /// there, else from the grid.
    pub fn values_at(&self, w: World) -> Option<String> {
        let value = |i: usize| {
            self.tiles
                .value_at(i, w)
                .or_else(|| self.bands.get(i)?.grid.value_at(w))
        };
        match self.display {
            Display::Single(i) => Some(format!("{:.2}", value(i)?)),
            Display::Rgb(rgb) => {
                let v: Option<Vec<String>> = rgb
                    .iter()
                    .map(|&i| Some(format!("{:.0}", value(i)?)))
                    .collect();
                Some(v?.join("/"))
            }
        }
    }

    /// The area covered, in lon/lat.
    pub fn lon_lat_rect(&self) -> geo::Rect<f64> {
        let g = &self.bands[0].grid;
        let (w, n) = g.min.lon_lat();
        let (e, s) = g.max.lon_lat();
        geo::Rect::new(geo::coord! { x: w, y: s }, geo::coord! { x: e, y: n })
    }

    /// The bands shown (0-based): one, or red, green, blue.
    pub fn shown_bands(&self) -> Vec<usize> {
        let fit = |i: usize| i.min(self.bands.len() - 1);
        match self.display {
            Display::Single(i) => vec![fit(i)],
            Display::Rgb(rgb) => rgb.iter().map(|&i| fit(i)).collect(),
        }
    }

    /// How the shader colours `grids` (of the shown bands: this raster's grid or a detail
    /// tile), all of them; the map narrows `uv` to the part on screen. Stretches come from the
    /// whole raster's statistics, so tiles match the grid around them.
    pub fn draw(&self, grids: Vec<GridValues>) -> RasterDraw {
        let shown = self.shown_bands();
        let range = |c: usize| self.range(shown[c.min(shown.len() - 1)]);
        RasterDraw {
            bands: grids,
            palette: self.palette,
            ranges: [range(0), range(1), range(2)],
            isotherm: match self.display {
                Display::Single(_) => self.isotherm.map(|t| (t, crate::theme::ISOTHERM)),
                Display::Rgb(_) => None,
            },
            opacity: self.opacity,
            uv: RasterDraw::WHOLE,
        }
    }

    /// The value range of `band` mapped onto the palette or channel: set by hand, or from the
    /// stretch over the whole raster's statistics.
    pub fn range(&self, band: usize) -> (f32, f32) {
        match (self.display, self.manual_range) {
            (Display::Single(_), Some(r)) => r,
            _ => self.bands[band.min(self.bands.len() - 1)]
                .stats
                .range(self.stretch),
        }
    }

    /// The shown bands' overview grids.
    pub fn shown_grids(&self) -> Vec<GridValues> {
        self.shown_bands()
            .into_iter()
            .map(|i| self.bands[i].grid.gpu())
            .collect()
    }

    /// World bounds of the raster.
    pub fn bounds(&self) -> WorldRect {
        let g = &self.bands[0].grid;
        WorldRect {
            min: g.min,
            max: g.max,
        }
    }

    /// Cells per world unit of the overview grid.
    pub fn grid_cells_per_world(&self) -> f64 {
        let g = &self.bands[0].grid;
        g.width as f64 / (g.max.x - g.min.x).max(f64::EPSILON)
    }

    /// Identities of every grid this raster has on the GPU.
    pub fn grid_ids(&self) -> impl Iterator<Item = GridId> + '_ {
        self.bands
            .iter()
            .map(|b| b.grid.id)
            .chain(self.tiles.grid_ids())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yitu_layers::crs::Reprojector;
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
        let band = utm_band();
        let grid = MercatorSampling::new(&band, 64).unwrap().grid(&band);
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
    fn three_byte_bands_show_as_an_rgb_composite() {
        let band = |values: Vec<f64>| Band {
            values,
            data_type: "Byte".into(),
            nodata: None,
            ..utm_band()
        };
        let r = RasterOverlay::from_bands(
            "rgb".into(),
            &[
                band(vec![0.0, 255.0, 10.0, 20.0]),
                band(vec![0.0, 0.0, 10.0, 20.0]),
                band(vec![255.0, 0.0, 10.0, 20.0]),
            ],
        )
        .unwrap();
        assert_eq!(r.display, Display::Rgb([0, 1, 2]));
        let to_wgs =
            Reprojector::new(yitu_layers::Crs::Epsg(32648), yitu_layers::Crs::Wgs84).unwrap();
        let (lon, lat) = to_wgs.coord(601_500.0, 3_269_500.0).unwrap();
        let w = World::from_lon_lat(lon, lat);
        assert_eq!(r.values_at(w).as_deref(), Some("255/0/0"));
        // Each channel is stretched over its own range, with no isotherm on a composite.
        let mut r = r;
        r.stretch = Stretch::MinMax;
        r.isotherm = Some(100.0);
        let draw = r.draw(r.shown_grids());
        assert_eq!(draw.bands.len(), 3);
        assert_eq!(draw.ranges, [(0.0, 255.0), (0.0, 20.0), (0.0, 255.0)]);
        assert!(draw.isotherm.is_none());
        // A range set by hand applies to one band in a palette, not to a composite.
        r.manual_range = Some((5.0, 6.0));
        assert_eq!(r.draw(r.shown_grids()).ranges[0], (0.0, 255.0));
        r.display = Display::Single(1);
        assert_eq!(r.draw(r.shown_grids()).ranges[0], (5.0, 6.0));
    }

    #[test]
    fn band_math_makes_a_new_raster_on_the_same_grid() {
        let band = |values: Vec<f64>| Band {
            values,
            nodata: None,
            ..utm_band()
        };
        let r = RasterOverlay::from_bands(
            "rgbn".into(),
            &[
                band(vec![0.1, 0.1, 0.1, 0.1]),
                band(vec![0.5, 0.05, 0.3, 0.1]),
            ],
        )
        .unwrap();
        let ndvi = r.band_math("(b2 - b1) / (b2 + b1)").unwrap();
        assert_eq!(ndvi.bands[0].grid.width, r.bands[0].grid.width);
        assert!((ndvi.shown().stats.max - 0.6667).abs() < 1e-3);
        assert!(r.band_math("b3").err().unwrap().contains("no band 3"));
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
