//! Where detection reads temperatures from: a raster held in memory, or a thermal TIFF kept
//! open and read window by window, for a raster larger than memory.

use super::error::FileProblem;
use std::borrow::Cow;
use std::path::Path;

use yitu_layers::raster::Georef;

use super::DetectError;
use super::frame::{PixelFrame, ThermalImage};
use super::tiles::Tile;
use crate::thermal::{self, ThermalTiff, TiffUnits};

/// A raster's temperatures on its pixel grid, read a window at a time.
pub trait Temperatures {
    /// Width and height, pixels.
    fn size(&self) -> (usize, usize);
    fn frame(&self) -> &PixelFrame;
    /// °C over `tile`'s extent, row-major; NaN where there is no temperature. Borrowed where
    /// the raster is in memory and the extent is whole rows of it.
    fn read(&self, tile: &Tile) -> Result<Cow<'_, [f32]>, DetectError>;
}

impl Temperatures for ThermalImage {
    fn size(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    fn frame(&self) -> &PixelFrame {
        &self.frame
    }

    fn read(&self, tile: &Tile) -> Result<Cow<'_, [f32]>, DetectError> {
        Ok(if tile.x == (0, self.width) {
            Cow::Borrowed(&self.celsius[tile.y.0 * self.width..tile.y.1 * self.width])
        } else {
            Cow::Owned(tile.extract(&self.celsius))
        })
    }
}

/// A thermal TIFF read window by window, never whole.
pub struct ThermalFile {
    tiff: ThermalTiff,
    frame: PixelFrame,
}

impl ThermalFile {
    /// Opens a thermal TIFF (in `units`, else those it states or its values tell) and places
    /// it on the earth.
    pub fn open(path: &Path, units: Option<TiffUnits>) -> Result<Self, DetectError> {
        let tiff = ThermalTiff::open(path, units)?;
        let frame = frame_of(path, tiff.georef(), tiff.width(), tiff.height())?;
        Ok(Self { tiff, frame })
    }
}

impl Temperatures for ThermalFile {
    fn size(&self) -> (usize, usize) {
        (self.tiff.width(), self.tiff.height())
    }

    fn frame(&self) -> &PixelFrame {
        &self.frame
    }

    fn read(&self, tile: &Tile) -> Result<Cow<'_, [f32]>, DetectError> {
        let mut celsius = self.tiff.read(yitu_layers::raster::Window {
            col: tile.x.0,
            row: tile.y.0,
            width: tile.width(),
            height: tile.height(),
        })?;
        nan_for_nodata(&mut celsius);
        Ok(Cow::Owned(celsius))
    }
}

/// Reads a thermal raster for detection whole: any input `yitu thermal` takes, georeferenced
/// (a thermal TIFF's values in `units` when given).
pub fn read_image(path: &Path, units: Option<TiffUnits>) -> Result<ThermalImage, DetectError> {
    let t = thermal::temperature_raster(path, &thermal::SceneOverrides::default(), units)?;
    let frame = frame_of(path, t.georef.as_ref(), t.width, t.height)?;
    let mut celsius = t.celsius;
    yitu_core::parallel::on_parts_mut(&mut celsius, |_, part| nan_for_nodata(part));
    Ok(ThermalImage {
        width: t.width,
        height: t.height,
        celsius,
        frame,
    })
}

/// Bytes a run on a whole raster holds per pixel at its peak, with room to spare (measured:
/// 1.47 GB at 100 megapixels, `yitu bench --detect 100`, about 15 bytes a pixel).
pub const WHOLE_RUN_BYTES_PER_PIXEL: u64 = 20;

/// A raster's temperatures as a run holds them.
pub enum ThermalRaster {
    /// Read whole.
    Memory(ThermalImage),
    /// Kept open and read window by window: a run on the whole would not fit.
    File(ThermalFile),
}

impl ThermalRaster {
    /// Opens `path` for detection: a thermal TIFF whose whole run would need more than
    /// `memory` bytes is read window by window; anything else (and any photo or Landsat band)
    /// is read whole. `units` are a thermal TIFF's, when given.
    pub fn open(path: &Path, memory: u64, units: Option<TiffUnits>) -> Result<Self, DetectError> {
        if thermal::is_thermal_tiff(path)? {
            let grid = yitu_layers::raster::pixel_grid(path)?;
            if (grid.width * grid.height) as u64 * WHOLE_RUN_BYTES_PER_PIXEL > memory {
                return Ok(Self::File(ThermalFile::open(path, units)?));
            }
        }
        Ok(Self::Memory(read_image(path, units)?))
    }

    fn temperatures(&self) -> &dyn Temperatures {
        match self {
            Self::Memory(image) => image,
            Self::File(file) => file,
        }
    }
}

impl Temperatures for ThermalRaster {
    fn size(&self) -> (usize, usize) {
        self.temperatures().size()
    }

    fn frame(&self) -> &PixelFrame {
        self.temperatures().frame()
    }

    fn read(&self, tile: &Tile) -> Result<Cow<'_, [f32]>, DetectError> {
        self.temperatures().read(tile)
    }
}

/// The memory a run may take when not told: half of what the machine has available now
/// (4 GB where that cannot be read).
pub fn available_memory() -> u64 {
    let available_kb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        });
    available_kb.map_or(4 << 30, |kb| kb * 1024 / 2)
}

/// The pixel frame of a raster that must be georeferenced for its detections to be placed.
pub(super) fn frame_of(
    path: &Path,
    georef: Option<&Georef>,
    width: usize,
    height: usize,
) -> Result<PixelFrame, DetectError> {
    let georef = georef
        .filter(|g| !g.crs_wkt.is_empty())
        .ok_or_else(|| DetectError::File {
            path: path.to_path_buf(),
            problem: FileProblem::NoGeoreferencing,
        })?;
    PixelFrame::new(georef, width, height)
}

/// [`thermal::NODATA`] as NaN, which every detector's comparisons leave out.
pub(super) fn nan_for_nodata(celsius: &mut [f32]) {
    let nodata = thermal::NODATA as f32;
    for v in celsius {
        if v.to_bits() == nodata.to_bits() {
            *v = f32::NAN;
        }
    }
}
