//! Single-band raster IO through GDAL: read a band as `f64` with its georeferencing, write a
//! float32 GeoTIFF. (Tiled, windowed display reads for large rasters come with the map layer.)

use std::path::Path;

use gdal::raster::Buffer;
use gdal::{Dataset, DriverManager, Metadata};

use crate::error::{LayersError, Result};

/// Where a raster sits: GDAL's affine geotransform and the CRS as WKT.
#[derive(Debug, Clone, PartialEq)]
pub struct Georef {
    pub geo_transform: [f64; 6],
    pub crs_wkt: String,
}

impl Georef {
    /// CRS coordinates to pixel (column, row) through GDAL's inverse of the geotransform;
    /// `None` when it cannot be inverted (a degenerate file).
    pub fn to_pixel(&self) -> Option<ToPixel> {
        use gdal::GeoTransformEx as _;
        self.geo_transform.invert().ok().map(ToPixel)
    }
}

/// CRS coordinates to pixel (column, row) of one raster: see [`Georef::to_pixel`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToPixel([f64; 6]);

impl ToPixel {
    pub fn pixel(&self, x: f64, y: f64) -> (f64, f64) {
        use gdal::GeoTransformEx as _;
        self.0.apply(x, y)
    }
}

/// One band in memory, row-major, `width × height` values (`f64`, or `f32` for whole large
/// bands, see [`read_band_f32`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Band<T = f64> {
    pub width: usize,
    pub height: usize,
    pub values: Vec<T>,
    pub nodata: Option<f64>,
    /// `None` for an image without georeferencing (a photo's raw sensor grid).
    pub georef: Option<Georef>,
    /// GDAL's name of the stored type (`UInt16`, `Float32`, ...), to guess units from.
    pub data_type: String,
}

/// Whether a raster is big enough to need overviews (over 4096 px a side) and has none.
pub fn lacks_overviews(path: &Path) -> Result<bool> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    let (w, h) = dataset.raster_size();
    let band = dataset
        .rasterband(1)
        .map_err(LayersError::gdal("find the band", path))?;
    Ok(w.max(h) > 4096 && band.overview_count().unwrap_or(0) == 0)
}

/// Reads band `index` (1-based) of a raster file at full resolution.
pub fn read_band(path: &Path, index: usize) -> Result<Band> {
    read_band_at_most(path, index, None)
}

/// Reads band `index` (1-based) at full resolution as `f32`, in strips of rows from one open
/// of the file (see [`BandReader`]). Exact for 8/16-bit integer and `Float32` files.
pub fn read_band_f32(path: &Path, index: usize) -> Result<Band<f32>> {
    BandReader::open(path, index)?.into_band()
}

/// The unit a raster states for a band: GDAL's unit type of the band, else a `UNITS`/`UNIT`
/// metadata item of the band or the file, else Yitu's own `YITU_UNITS`. `None` when the file
/// states none: only then may a reader guess from the values.
fn stated_unit(dataset: &Dataset, band: &gdal::raster::RasterBand<'_>) -> Option<String> {
    let keys = ["UNITS", "UNIT", "units", "unit", "UNIT_TYPE"];
    std::iter::once(Some(band.unit()))
        .chain(keys.iter().map(|k| band.metadata_item(k, "")))
        .chain(keys.iter().map(|k| dataset.metadata_item(k, "")))
        .chain(std::iter::once(dataset.metadata_item("YITU_UNITS", "")))
        .flatten()
        .map(|u| u.trim().to_owned())
        .find(|u| !u.is_empty())
}

/// One band of a raster kept open and read window by window as `f32`: how a raster larger than
/// memory is worked on, a window at a time.
pub struct BandReader {
    path: std::path::PathBuf,
    index: usize,
    /// GDAL datasets may move between threads but not be shared: one read at a time.
    dataset: std::sync::Mutex<Dataset>,
    pub width: usize,
    pub height: usize,
    pub nodata: Option<f64>,
    pub georef: Option<Georef>,
    /// GDAL's name of the stored type (`UInt16`, `Float32`, ...).
    pub data_type: String,
    /// The unit the file states for the band, if any: GDAL's unit type, a `UNITS`/`UNIT` item
    /// of the band or the file, or Yitu's `YITU_UNITS`.
    pub stated_unit: Option<String>,
}

impl BandReader {
    /// Opens band `index` (1-based) of `path`.
    pub fn open(path: &Path, index: usize) -> Result<Self> {
        // Each window is read once or a few times far apart: GDAL's block cache would only
        // hold a second copy of the file, in pages that are fresh each time (a tenth of a
        // whole detection run on a 20-megapixel mosaic). An uncompressed GeoTIFF opened so is
        // read straight into the caller's buffer; other files still go through the cache,
        // flushed after each read.
        let direct = gdal::config::set_thread_local_config_option("GTIFF_DIRECT_IO", "YES");
        let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path));
        if direct.is_ok() {
            gdal::config::clear_thread_local_config_option("GTIFF_DIRECT_IO")
                .map_err(LayersError::gdal("open the raster", path))?;
        }
        let dataset = dataset?;
        let band = dataset
            .rasterband(index)
            .map_err(LayersError::gdal("find the band", path))?;
        let (width, height) = band.size();
        let (nodata, data_type) = (band.no_data_value(), band.band_type().name());
        let stated_unit = stated_unit(&dataset, &band);
        Ok(Self {
            path: path.to_path_buf(),
            index,
            georef: georef_of(&dataset),
            dataset: std::sync::Mutex::new(dataset),
            width,
            height,
            nodata,
            data_type,
            stated_unit,
        })
    }

    /// The whole band in memory, read strip by strip from this open of the file.
    pub fn into_band(self) -> Result<Band<f32>> {
        let mut values = vec![0.0_f32; self.width * self.height];
        for strip in self.strips() {
            let at = strip.row * self.width;
            self.read_into(strip, &mut values[at..at + strip.width * strip.height])?;
        }
        Ok(Band {
            width: self.width,
            height: self.height,
            values,
            nodata: self.nodata,
            georef: self.georef,
            data_type: self.data_type,
        })
    }

    /// Strips of whole rows covering the band, about 4 MB of `f32` each: how a pass over every
    /// value goes without holding the band.
    pub fn strips(&self) -> impl Iterator<Item = Window> + use<> {
        const STRIP_PIXELS: usize = 1 << 20;
        let (width, height) = (self.width, self.height);
        let rows = (STRIP_PIXELS / width.max(1)).max(1);
        (0..height).step_by(rows).map(move |row| Window {
            col: 0,
            row,
            width,
            height: rows.min(height - row),
        })
    }

    /// The band's values over `window`, row-major, at full resolution.
    pub fn read(&self, window: Window) -> Result<Vec<f32>> {
        let mut values = vec![0.0; window.width * window.height];
        self.read_into(window, &mut values)?;
        Ok(values)
    }

    /// [`Self::read`] into `out`, which holds exactly the window's values.
    pub fn read_into(&self, window: Window, out: &mut [f32]) -> Result<()> {
        let path = &self.path;
        let w = window;
        if w.width == 0
            || w.height == 0
            || w.col + w.width > self.width
            || w.row + w.height > self.height
        {
            return Err(LayersError::BadFile {
                path: path.clone(),
                problem: format!(
                    "window {w:?} is outside the {}×{} raster",
                    self.width, self.height
                ),
            });
        }
        let mut dataset = self
            .dataset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let read = dataset
            .rasterband(self.index)
            .map_err(LayersError::gdal("find the band", path))
            .and_then(|band| {
                band.read_into_slice(
                    (w.col as isize, w.row as isize),
                    (w.width, w.height),
                    (w.width, w.height),
                    out,
                    None,
                )
                .map_err(LayersError::gdal("read the band", path))
            });
        read?;
        dataset
            .flush_cache()
            .map_err(LayersError::gdal("read the band", path))
    }
}

/// Reads band `index`, decimated so that neither side exceeds `max_side` pixels. GDAL reads
/// from overviews when the file has them, so a huge mosaic is never loaded whole.
pub fn read_band_at_most(path: &Path, index: usize, max_side: Option<usize>) -> Result<Band> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    read_open_band(&dataset, path, index, None, max_side)
}

/// The first `max_bands` bands, decimated as [`read_band_at_most`] does, from one open of the
/// file.
pub fn read_bands_at_most(
    path: &Path,
    max_bands: usize,
    max_side: Option<usize>,
) -> Result<Vec<Band>> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    (1..=dataset.raster_count().min(max_bands))
        .map(|index| read_open_band(&dataset, path, index, None, max_side))
        .collect()
}

/// A rectangle of file pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub col: usize,
    pub row: usize,
    pub width: usize,
    pub height: usize,
}

/// A raster's full-resolution pixel grid.
#[derive(Debug, Clone, PartialEq)]
pub struct PixelGrid {
    pub width: usize,
    pub height: usize,
    pub georef: Option<Georef>,
}

/// The size and georeferencing of a raster, without reading pixels.
pub fn pixel_grid(path: &Path) -> Result<PixelGrid> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    let (width, height) = dataset.raster_size();
    Ok(PixelGrid {
        width,
        height,
        georef: georef_of(&dataset),
    })
}

/// Bands (1-based `indexes`) over `window`, decimated so neither side exceeds `max_side`; the
/// georeferencing is that of the window. GDAL reads from the overview that suits the decimation,
/// so a window of a huge mosaic costs what its output costs.
pub fn read_window(
    path: &Path,
    indexes: &[usize],
    window: Window,
    max_side: usize,
) -> Result<Vec<Band>> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    indexes
        .iter()
        .map(|&index| read_open_band(&dataset, path, index, Some(window), Some(max_side)))
        .collect()
}

fn georef_of(dataset: &Dataset) -> Option<Georef> {
    match (dataset.geo_transform(), dataset.spatial_ref()) {
        (Ok(geo_transform), Ok(srs)) => Some(Georef {
            geo_transform,
            crs_wkt: srs.to_wkt().unwrap_or_default(),
        }),
        _ => None,
    }
}

fn read_open_band(
    dataset: &Dataset,
    path: &Path,
    index: usize,
    window: Option<Window>,
    max_side: Option<usize>,
) -> Result<Band> {
    let band = dataset
        .rasterband(index)
        .map_err(LayersError::gdal("find the band", path))?;
    let (full_w, full_h) = band.size();
    let w = window.unwrap_or(Window {
        col: 0,
        row: 0,
        width: full_w,
        height: full_h,
    });
    if w.width == 0 || w.height == 0 || w.col + w.width > full_w || w.row + w.height > full_h {
        return Err(LayersError::BadFile {
            path: path.to_path_buf(),
            problem: format!("window {w:?} is outside the {full_w}×{full_h} raster"),
        });
    }
    let scale = max_side.map_or(1.0, |m| (m as f64 / w.width.max(w.height) as f64).min(1.0));
    let (width, height) = (
        ((w.width as f64 * scale).round() as usize).max(1),
        ((w.height as f64 * scale).round() as usize).max(1),
    );
    let buffer: Buffer<f64> = band
        .read_as(
            (w.col as isize, w.row as isize),
            (w.width, w.height),
            (width, height),
            Some(gdal::raster::ResampleAlg::NearestNeighbour),
        )
        .map_err(LayersError::gdal("read the band", path))?;
    let georef = georef_of(dataset).map(
        |Georef {
             geo_transform: g,
             crs_wkt,
         }| {
            // Buffer pixels are bigger than file pixels by these factors.
            let (sx, sy) = (
                w.width as f64 / width as f64,
                w.height as f64 / height as f64,
            );
            let (c, r) = (w.col as f64, w.row as f64);
            Georef {
                geo_transform: [
                    g[0] + c * g[1] + r * g[2],
                    g[1] * sx,
                    g[2] * sy,
                    g[3] + c * g[4] + r * g[5],
                    g[4] * sx,
                    g[5] * sy,
                ],
                crs_wkt,
            }
        },
    );
    Ok(Band {
        width,
        height,
        values: buffer.into_shape_and_vec().1,
        nodata: band.no_data_value(),
        georef,
        data_type: band.band_type().name(),
    })
}

/// Writes `values` as a one-band float32 GeoTIFF, with georeferencing when given and `metadata`
/// (key, value) items recording how the values were made. An existing file is replaced.
pub fn write_f32_geotiff(
    path: &Path,
    width: usize,
    height: usize,
    values: Vec<f32>,
    nodata: Option<f64>,
    georef: Option<&Georef>,
    metadata: &[(String, String)],
) -> Result<()> {
    let err = |action| LayersError::gdal(action, path);
    let driver =
        DriverManager::get_driver_by_name("GTiff").map_err(err("load the GeoTIFF driver"))?;
    let mut ds = driver
        .create_with_band_type::<f32, _>(path, width, height, 1)
        .map_err(err("create the GeoTIFF"))?;
    if let Some(g) = georef {
        ds.set_geo_transform(&g.geo_transform)
            .map_err(err("set the geotransform"))?;
        if !g.crs_wkt.is_empty() {
            let srs =
                gdal::spatial_ref::SpatialRef::from_wkt(&g.crs_wkt).map_err(err("read the CRS"))?;
            ds.set_spatial_ref(&srs).map_err(err("set the CRS"))?;
        }
    }
    for (key, value) in metadata {
        ds.set_metadata_item(key, value, "")
            .map_err(err("write metadata"))?;
    }
    let mut band = ds.rasterband(1).map_err(err("open the band"))?;
    band.set_no_data_value(nodata).map_err(err("set nodata"))?;
    let mut buffer = Buffer::new((width, height), values);
    band.write((0, 0), (width, height), &mut buffer)
        .map_err(err("write the band"))?;
    Ok(())
}

/// The metadata items of a raster file (default domain), for reading back what was recorded.
pub fn metadata(path: &Path) -> Result<Vec<(String, String)>> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    Ok(dataset
        .metadata()
        .filter(|e| e.domain.is_empty())
        .map(|e| (e.key, e.value))
        .collect())
}

/// Statistics of one band, over valid pixels.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BandInfo {
    pub index: usize,
    pub data_type: String,
    pub nodata: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub std_dev: Option<f64>,
}

/// What `yitu info` says about a raster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RasterInfo {
    pub driver: String,
    pub width: usize,
    pub height: usize,
    pub bands: Vec<BandInfo>,
    /// `EPSG:nnnn` when known, else the CRS name; `None` without georeferencing.
    pub crs: Option<String>,
    /// `[west, south, east, north]` in WGS84 degrees.
    pub bbox_wgs84: Option<[f64; 4]>,
    /// Pixel width and height in CRS units.
    pub pixel_size: Option<[f64; 2]>,
}

/// Above this many pixels, statistics are computed on overviews or a sample (GDAL's approximate
/// mode), so `info` stays quick on 400-megapixel mosaics.
const EXACT_STATS_MAX_PIXELS: usize = 50_000_000;

/// Describes a raster without modifying it or writing anything beside it (GDAL's `.aux.xml`
/// side-car files are switched off for this read).
pub fn raster_info(path: &Path) -> Result<RasterInfo> {
    gdal::config::set_config_option("GDAL_PAM_ENABLED", "NO")
        .map_err(LayersError::gdal("configure GDAL", path))?;
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    let (width, height) = dataset.raster_size();
    if dataset.raster_count() == 0 {
        return Err(LayersError::BadFile {
            path: path.to_path_buf(),
            problem: "no raster bands".into(),
        });
    }
    let approx = width * height > EXACT_STATS_MAX_PIXELS;
    let bands = (1..=dataset.raster_count())
        .map(|index| {
            let band = dataset
                .rasterband(index)
                .map_err(LayersError::gdal("read a band", path))?;
            // A band with no valid pixel has no statistics; one whose pixels cannot be read
            // (a truncated or damaged file) is an error, not an empty band.
            let stats = band
                .get_statistics(true, approx)
                .map_err(LayersError::gdal("read the band's pixels", path))?;
            Ok(BandInfo {
                index,
                data_type: band.band_type().name(),
                nodata: band.no_data_value(),
                min: stats.as_ref().map(|s| s.min),
                max: stats.as_ref().map(|s| s.max),
                mean: stats.as_ref().map(|s| s.mean),
                std_dev: stats.as_ref().map(|s| s.std_dev),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let gt = dataset.geo_transform().ok();
    let srs = dataset.spatial_ref().ok();
    let crs = srs.as_ref().map(|s| match s.auth_code() {
        Ok(code) => format!("EPSG:{code}"),
        Err(_) => s.name().unwrap_or_default(),
    });
    let bbox_wgs84 = match (&gt, srs) {
        (Some(g), Some(mut s)) => {
            s.set_axis_mapping_strategy(
                gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder,
            );
            let xs = [g[0], g[0] + g[1] * width as f64 + g[2] * height as f64];
            let ys = [g[3], g[3] + g[4] * width as f64 + g[5] * height as f64];
            let bounds = [
                xs[0].min(xs[1]),
                ys[0].min(ys[1]),
                xs[0].max(xs[1]),
                ys[0].max(ys[1]),
            ];
            crate::crs::Crs::Wgs84
                .spatial_ref()
                .ok()
                .and_then(|wgs| gdal::spatial_ref::CoordTransform::new(&s, &wgs).ok())
                .and_then(|t| t.transform_bounds(&bounds, 21).ok())
        }
        _ => None,
    };
    Ok(RasterInfo {
        driver: dataset.driver().short_name(),
        width,
        height,
        bands,
        crs,
        bbox_wgs84,
        pixel_size: gt.map(|g| [g[1].abs(), g[5].abs()]),
    })
}

/// Writes a tiled one-band 8-bit GeoTIFF row by row (memory stays one row), for generated test
/// and benchmark mosaics of any size.
pub fn write_byte_geotiff_by_rows(
    path: &Path,
    width: usize,
    height: usize,
    georef: &Georef,
    mut row: impl FnMut(usize, &mut [u8]),
) -> Result<()> {
    let err = |action| LayersError::gdal(action, path);
    let driver =
        DriverManager::get_driver_by_name("GTiff").map_err(err("load the GeoTIFF driver"))?;
    let mut options = gdal::cpl::CslStringList::new();
    for (k, v) in [("TILED", "YES"), ("BIGTIFF", "IF_SAFER")] {
        options
            .set_name_value(k, v)
            .map_err(err("set creation options"))?;
    }
    let mut ds = driver
        .create_with_band_type_with_options::<u8, _>(path, width, height, 1, &options)
        .map_err(err("create the GeoTIFF"))?;
    ds.set_geo_transform(&georef.geo_transform)
        .map_err(err("set the geotransform"))?;
    let srs =
        gdal::spatial_ref::SpatialRef::from_wkt(&georef.crs_wkt).map_err(err("read the CRS"))?;
    ds.set_spatial_ref(&srs).map_err(err("set the CRS"))?;
    let mut band = ds.rasterband(1).map_err(err("open the band"))?;
    let mut line = vec![0_u8; width];
    for r in 0..height {
        row(r, &mut line);
        let mut buffer = Buffer::new((width, 1), std::mem::take(&mut line));
        band.write((0, r as isize), (width, 1), &mut buffer)
            .map_err(err("write a row"))?;
        line = buffer.into_shape_and_vec().1;
    }
    Ok(())
}

/// Builds internal overviews (halving until under 256 pixels) so windowed reads of a big
/// raster stay fast. This modifies the file: call it only on files the user agreed to change.
pub fn build_overviews(path: &Path) -> Result<()> {
    let mut ds = Dataset::open_ex(
        path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE | gdal::GdalOpenFlags::GDAL_OF_RASTER,
            ..Default::default()
        },
    )
    .map_err(LayersError::gdal("open the raster for update", path))?;
    let (w, h) = ds.raster_size();
    let mut levels = Vec::new();
    let mut f = 2;
    while w.max(h) / f >= 256 {
        levels.push(f as i32);
        f *= 2;
    }
    ds.build_overviews("AVERAGE", &levels, &[])
        .map_err(LayersError::gdal("build overviews", path))
}
