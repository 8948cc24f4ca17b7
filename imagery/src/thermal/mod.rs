//! Radiometric thermal: turning what cameras and satellites record into temperatures, and
//! recording exactly how.
//!
//! - [`planck`]: the FLIR calibration curve and atmosphere correction (`raw2temp`);
//! - [`flir`]: FLIR R-JPEG (and DJI XT/XT2) FFF records;
//! - [`landsat`]: TIRS band 10/11 brightness temperature from the MTL;
//! - [`temperature_raster`]: any supported input to a °C grid, with its parameters.

pub mod dji;
pub mod flir;
pub mod landsat;
pub mod palette;
pub mod planck;

use std::path::{Path, PathBuf};

use serde::Serialize;
use yitu_layers::raster::{BandReader, Georef, read_band};

use self::flir::FlirImage;
use self::planck::{RawToCelsius, Scene};

/// Value written where there is no temperature.
pub const NODATA: f64 = -9999.0;

#[derive(Debug, thiserror::Error)]
pub enum ThermalError {
    #[error("cannot read the file: {error}; file: {}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("no radiometric thermal data (not a FLIR/DJI R-JPEG, or a visible-light photo)")]
    NoThermalData,
    #[error(
        "a DJI R-JPEG: exact temperatures need DJI's Thermal SDK converter (dji_irp), which is not \
         installed (install it on the PATH or set YITU_DJI_IRP); Yitu does not present approximate \
         values as temperatures"
    )]
    DjiSdkMissing,
    #[error("{0}")]
    Format(String),
    #[error(
        "cannot tell the temperature units: the file states none and its values ({data_type}, \
         {min:.1}..{max:.1}) fit more than one or none; give them with --units c|k|ck|dk; \
         file: {}", path.display()
    )]
    UnknownUnits {
        path: PathBuf,
        data_type: String,
        min: f64,
        max: f64,
    },
    #[error(
        "the file states its values are in `{unit}`, not a temperature unit; if they are \
         temperatures, give their units with --units c|k|ck|dk; file: {}", path.display()
    )]
    NotTemperature { path: PathBuf, unit: String },
    #[error(transparent)]
    Raster(#[from] yitu_layers::LayersError),
}

/// User overrides of the scene; `None` keeps what the file says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SceneOverrides {
    pub emissivity: Option<f64>,
    pub distance_m: Option<f64>,
    pub relative_humidity_pct: Option<f64>,
    pub reflected_c: Option<f64>,
    pub air_c: Option<f64>,
}

impl SceneOverrides {
    fn apply(&self, s: Scene) -> Scene {
        Scene {
            emissivity: self.emissivity.unwrap_or(s.emissivity),
            distance_m: self.distance_m.unwrap_or(s.distance_m),
            relative_humidity_pct: self
                .relative_humidity_pct
                .unwrap_or(s.relative_humidity_pct),
            reflected_c: self.reflected_c.unwrap_or(s.reflected_c),
            atmosphere_c: self.air_c.unwrap_or(s.atmosphere_c),
            ..s
        }
    }
}

/// Units of a thermal TIFF's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TiffUnits {
    Celsius,
    Kelvin,
    CentiKelvin,
    DeciKelvin,
}

impl TiffUnits {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "c" | "celsius" => Some(Self::Celsius),
            "k" | "kelvin" => Some(Self::Kelvin),
            "ck" | "centikelvin" => Some(Self::CentiKelvin),
            "dk" | "decikelvin" => Some(Self::DeciKelvin),
            _ => None,
        }
    }

    /// Stored units per kelvin, and the °C of a stored 0: the one table both directions use.
    fn scale_and_zero_c(self) -> (f64, f64) {
        match self {
            Self::Celsius => (1.0, 0.0),
            Self::Kelvin => (1.0, -273.15),
            Self::CentiKelvin => (100.0, -273.15),
            Self::DeciKelvin => (10.0, -273.15),
        }
    }

    fn to_celsius(self, v: f64) -> f64 {
        let (scale, zero_c) = self.scale_and_zero_c();
        v / scale + zero_c
    }

    const ALL: [Self; 4] = [
        Self::Celsius,
        Self::Kelvin,
        Self::CentiKelvin,
        Self::DeciKelvin,
    ];

    fn value_of_celsius(self, c: f64) -> f64 {
        let (scale, zero_c) = self.scale_and_zero_c();
        (c - zero_c) * scale
    }

    /// The units a file states (GDAL's unit type or a `UNITS` item, see
    /// [`yitu_layers::raster::BandReader::stated_unit`]): `Err` with the text when it names something else.
    pub fn from_stated(text: &str) -> Result<Self, String> {
        let t: String = text
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .collect();
        let celsius = [
            "c",
            "degc",
            "°c",
            "℃",
            "degreec",
            "degreesc",
            "deg.c",
            "centigrade",
        ];
        if celsius.contains(&t.as_str()) || t.contains("celsius") {
            Ok(Self::Celsius)
        } else if [
            "ck",
            "centikelvin",
            "0.01k",
            "k*100",
            "kelvin*100",
            "centik",
        ]
        .contains(&t.as_str())
        {
            Ok(Self::CentiKelvin)
        } else if ["dk", "decikelvin", "0.1k", "k*10", "kelvin*10", "decik"].contains(&t.as_str()) {
            Ok(Self::DeciKelvin)
        } else if ["k", "kelvin", "kelvins", "degk", "°k"].contains(&t.as_str()) {
            Ok(Self::Kelvin)
        } else {
            Err(text.to_owned())
        }
    }

    /// Guesses units from the value range, for a file that states none. Earth-surface
    /// temperatures (−60…+200 °C) put each unit in a range of its own; failing that, a range that
    /// only one unit explains within −90…+1500 °C (a radiometric camera's high-gain range
    /// records flares, furnaces and kilns at 150–650 °C; negative values are never kelvin).
    /// Integer files are never taken as °C: 8-bit previews and counts are integers too.
    fn detect(data_type: &str, min: f64, max: f64) -> Option<Self> {
        let explain = |lo_c: f64, hi_c: f64| {
            let mut fits = Self::ALL.into_iter().filter(|u| {
                (*u != Self::Celsius || !data_type.starts_with("UInt"))
                    && min >= u.value_of_celsius(lo_c) - 1e-9
                    && max <= u.value_of_celsius(hi_c) + 1e-9
            });
            match (fits.next(), fits.next()) {
                (Some(u), None) => Some(u),
                _ => None,
            }
        };
        explain(-60.0, 200.0).or_else(|| explain(-90.0, 1500.0))
    }
}

/// Where a thermal TIFF's units came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitsFrom {
    /// `--units`.
    Given,
    /// The file's unit type or `UNITS` metadata, as written there.
    File(String),
    /// Told from the value range: the file states none.
    Values,
}

/// How a temperature raster was made: written into the output file beside the values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// FLIR Planck calibration with the scene actually used.
    FlirPlanck {
        camera: String,
        calibration: planck::Calibration,
        scene: Scene,
    },
    LandsatBrightness {
        constants: landsat::TirsConstants,
        mtl: String,
    },
    LandsatSurfaceTemperature {
        scale: landsat::SurfaceTemperatureScale,
        mtl: String,
    },
    /// DJI's Thermal SDK converter (`dji_irp`), with the arguments it was given.
    DjiSdk {
        converter: String,
        arguments: String,
    },
    ThermalTiff {
        units: TiffUnits,
        units_from: UnitsFrom,
    },
}

/// Temperatures in °C on the input's own pixel grid.
#[derive(Debug, Clone, PartialEq)]
pub struct TemperatureRaster {
    pub width: usize,
    pub height: usize,
    /// Row-major °C; [`NODATA`] where there is none.
    pub celsius: Vec<f32>,
    pub georef: Option<Georef>,
    pub method: Method,
}

impl TemperatureRaster {
    /// Min and max over valid pixels.
    pub fn range(&self) -> Option<(f32, f32)> {
        self.celsius
            .iter()
            .filter(|v| f64::from(**v) != NODATA)
            .fold(None, |acc, &v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }
}

fn to_f32(v: Option<f64>) -> f32 {
    v.unwrap_or(NODATA) as f32
}

/// Reads any supported thermal input and converts it to °C: FLIR R-JPEG, Landsat B10/B11 with
/// its MTL beside it, or a thermal TIFF (units detected unless given).
pub fn temperature_raster(
    path: &Path,
    overrides: &SceneOverrides,
    units: Option<TiffUnits>,
) -> Result<TemperatureRaster, ThermalError> {
    if crate::jpeg::is_jpeg_path(path) {
        let bytes = std::fs::read(path).map_err(|e| ThermalError::Io {
            path: path.to_path_buf(),
            error: e,
        })?;
        return match FlirImage::from_jpeg(&bytes) {
            Ok(img) => Ok(flir_temperatures(&img, overrides)),
            Err(ThermalError::NoThermalData) if is_dji_thermal(&bytes) => {
                let converter = dji::find_converter().ok_or(ThermalError::DjiSdkMissing)?;
                let segments =
                    crate::jpeg::segments(&bytes).map_err(|e| ThermalError::Format(e.0))?;
                let (w, h) = crate::jpeg::dimensions(&segments)
                    .ok_or_else(|| ThermalError::Format("no JPEG frame header".into()))?;
                dji::convert(&converter, path, w, h, overrides)
            }
            Err(e) => Err(e),
        };
    }
    if let Some((mtl_path, mtl, band)) = landsat::find_mtl(path)? {
        let product = landsat::Product::from_mtl(&mtl, &band)?;
        let raster = read_band(path, 1)?;
        let celsius = raster
            .values
            .iter()
            .map(|&dn| to_f32(product.celsius(dn)))
            .collect();
        let mtl = mtl_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(TemperatureRaster {
            width: raster.width,
            height: raster.height,
            celsius,
            georef: raster.georef,
            method: match product {
                landsat::Product::Brightness(constants) => {
                    Method::LandsatBrightness { constants, mtl }
                }
                landsat::Product::SurfaceTemperature(scale) => {
                    Method::LandsatSurfaceTemperature { scale, mtl }
                }
            },
        });
    }
    thermal_tiff(path, units)
}

/// Whether `path` is a thermal TIFF for [`ThermalTiff`]: neither a photo nor a Landsat band
/// (whose MTL says how to read it).
pub fn is_thermal_tiff(path: &Path) -> Result<bool, ThermalError> {
    Ok(!crate::jpeg::is_jpeg_path(path) && landsat::find_mtl(path)?.is_none())
}

fn flir_temperatures(img: &FlirImage, overrides: &SceneOverrides) -> TemperatureRaster {
    let scene = overrides.apply(img.scene);
    let convert = RawToCelsius::new(img.calibration, &scene);
    TemperatureRaster {
        width: img.width,
        height: img.height,
        celsius: img
            .raw
            .iter()
            .map(|&s| to_f32(convert.celsius(f64::from(s))))
            .collect(),
        georef: None,
        method: Method::FlirPlanck {
            camera: img.camera_model.clone(),
            calibration: img.calibration,
            scene,
        },
    }
}

/// DJI's thermal JPEGs carry a `DJI` maker segment and drone-dji XMP, but no FLIR records.
fn is_dji_thermal(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"drone-dji") || has(b"DJI")
}

fn thermal_tiff(path: &Path, units: Option<TiffUnits>) -> Result<TemperatureRaster, ThermalError> {
    let reader = BandReader::open(path, 1)?;
    let stated = reader.stated_unit.clone();
    let raster = reader.into_band()?;
    // Both passes over the whole raster run in parts side by side.
    let units = KnownUnits::of(path, units, stated, &raster.data_type, || {
        let ranges = yitu_core::parallel::on_parts(&raster.values, |_, part| {
            value_range(part, raster.nodata)
        });
        Ok(ranges
            .into_iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (l, h)| {
                (lo.min(l), hi.max(h))
            }))
    })?;
    let mut celsius = raster.values;
    yitu_core::parallel::on_parts_mut(&mut celsius, |_, part| {
        to_celsius(part, raster.nodata, units.units);
    });
    Ok(TemperatureRaster {
        width: raster.width,
        height: raster.height,
        celsius,
        georef: raster.georef,
        method: units.method(),
    })
}

/// A thermal TIFF kept open and read in °C window by window: a raster larger than memory.
pub struct ThermalTiff {
    reader: BandReader,
    units: KnownUnits,
}

impl ThermalTiff {
    /// Opens a thermal TIFF; without `units`, reads it through once for its value range, which
    /// tells them.
    pub fn open(path: &Path, units: Option<TiffUnits>) -> Result<Self, ThermalError> {
        let reader = BandReader::open(path, 1)?;
        let units = KnownUnits::of(
            path,
            units,
            reader.stated_unit.clone(),
            &reader.data_type,
            || {
                let mut range = (f64::MAX, f64::MIN);
                for strip in reader.strips() {
                    let (lo, hi) = value_range(&reader.read(strip)?, reader.nodata);
                    range = (range.0.min(lo), range.1.max(hi));
                }
                Ok(range)
            },
        )?;
        Ok(Self { reader, units })
    }

    pub fn width(&self) -> usize {
        self.reader.width
    }

    pub fn height(&self) -> usize {
        self.reader.height
    }

    pub fn georef(&self) -> Option<&Georef> {
        self.reader.georef.as_ref()
    }

    /// Temperatures over `window`, row-major °C, [`NODATA`] where there is none.
    pub fn read(&self, window: yitu_layers::raster::Window) -> Result<Vec<f32>, ThermalError> {
        let mut values = self.reader.read(window)?;
        to_celsius(&mut values, self.reader.nodata, self.units.units);
        Ok(values)
    }
}

/// A thermal TIFF's units and where they came from.
#[derive(Debug, Clone)]
struct KnownUnits {
    units: TiffUnits,
    from: UnitsFrom,
}

impl KnownUnits {
    /// `given` units, else those the file states (`stated`), else those that put the values'
    /// `range` (min, max, worked out only then) in plausible temperatures.
    fn of(
        path: &Path,
        given: Option<TiffUnits>,
        stated: Option<String>,
        data_type: &str,
        range: impl FnOnce() -> Result<(f64, f64), ThermalError>,
    ) -> Result<Self, ThermalError> {
        if let Some(units) = given {
            return Ok(Self {
                units,
                from: UnitsFrom::Given,
            });
        }
        if let Some(text) = stated {
            let units =
                TiffUnits::from_stated(&text).map_err(|unit| ThermalError::NotTemperature {
                    path: path.to_path_buf(),
                    unit,
                })?;
            return Ok(Self {
                units,
                from: UnitsFrom::File(text),
            });
        }
        let (min, max) = range()?;
        TiffUnits::detect(data_type, min, max)
            .map(|units| Self {
                units,
                from: UnitsFrom::Values,
            })
            .ok_or_else(|| ThermalError::UnknownUnits {
                path: path.to_path_buf(),
                data_type: data_type.to_owned(),
                min,
                max,
            })
    }

    fn method(&self) -> Method {
        Method::ThermalTiff {
            units: self.units,
            units_from: self.from.clone(),
        }
    }
}

/// Whether a stored value is a measurement: finite and not the band's nodata.
fn is_valid(v: f32, nodata: Option<f64>) -> bool {
    v.is_finite() && nodata.map(|n| n as f32) != Some(v)
}

/// Min and max of the valid values.
fn value_range(values: &[f32], nodata: Option<f64>) -> (f64, f64) {
    // Over the values' order keys (integers ordered as the floats): the same extremes, in a
    // loop the compiler vectorises.
    let (lo, hi) = values.iter().fold((u32::MAX, 0_u32), |(lo, hi), &v| {
        let valid = is_valid(v, nodata);
        let key = yitu_core::stats::order_key(v);
        (
            lo.min(if valid { key } else { u32::MAX }),
            hi.max(if valid { key } else { 0 }),
        )
    });
    if lo > hi {
        (f64::MAX, f64::MIN)
    } else {
        let value = |key| f64::from(yitu_core::stats::from_order_key(key));
        (value(lo), value(hi))
    }
}

/// Stored values to °C in place, [`NODATA`] where there is none.
fn to_celsius(values: &mut [f32], nodata: Option<f64>, units: TiffUnits) {
    // °C as stored: only the invalid values change (a loop per unit, so each is vectorised).
    match units {
        TiffUnits::Celsius => convert_valid(values, nodata, |v| v),
        _ => convert_valid(values, nodata, |v| units.to_celsius(f64::from(v)) as f32),
    }
}

/// `convert` on the valid values, [`NODATA`] for the others.
fn convert_valid(values: &mut [f32], nodata: Option<f64>, convert: impl Fn(f32) -> f32) {
    for v in values {
        *v = if is_valid(*v, nodata) {
            convert(*v)
        } else {
            NODATA as f32
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_told_apart_by_range() {
        assert_eq!(
            TiffUnits::detect("Float32", 12.0, 65.0),
            Some(TiffUnits::Celsius)
        );
        assert_eq!(
            TiffUnits::detect("Float32", 285.0, 340.0),
            Some(TiffUnits::Kelvin)
        );
        assert_eq!(
            TiffUnits::detect("UInt16", 28_500.0, 34_000.0),
            Some(TiffUnits::CentiKelvin)
        );
        assert_eq!(
            TiffUnits::detect("UInt16", 2_850.0, 3_400.0),
            Some(TiffUnits::DeciKelvin)
        );
        assert_eq!(TiffUnits::detect("UInt16", 0.0, 255.0), None);
    }

    #[test]
    fn hot_ranges_only_one_unit_explains_are_not_refused() {
        // `yitu thermal`'s own output of a scene with a kiln; negative values are not kelvin.
        assert_eq!(
            TiffUnits::detect("Float32", -1.8, 252.8),
            Some(TiffUnits::Celsius)
        );
        // A radiometric camera's high-gain range.
        assert_eq!(
            TiffUnits::detect("Float32", 150.0, 650.0),
            Some(TiffUnits::Celsius)
        );
        assert_eq!(
            TiffUnits::detect("UInt16", 29_000.0, 92_000.0),
            Some(TiffUnits::CentiKelvin)
        );
        // 190…260 is a hot °C scene or a cold kelvin one: stated units or --units decide.
        assert_eq!(TiffUnits::detect("Float32", 190.0, 260.0), None);
    }

    #[test]
    fn stated_units_are_read_in_their_usual_spellings() {
        for (text, units) in [
            ("degC", TiffUnits::Celsius),
            ("°C", TiffUnits::Celsius),
            ("Celsius", TiffUnits::Celsius),
            ("deg_C", TiffUnits::Celsius),
            ("K", TiffUnits::Kelvin),
            ("kelvin", TiffUnits::Kelvin),
            ("cK", TiffUnits::CentiKelvin),
            ("0.1 K", TiffUnits::DeciKelvin),
        ] {
            assert_eq!(TiffUnits::from_stated(text), Ok(units), "{text}");
        }
        assert_eq!(
            TiffUnits::from_stated("W/m2/sr/um"),
            Err("W/m2/sr/um".to_owned())
        );
    }
}
