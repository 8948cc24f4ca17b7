//! Drone photos: where the camera was and where it looked (EXIF GPS, DJI XMP pose), its
//! intrinsics, and the ground footprint.

pub mod camera;
pub mod folder;
pub mod footprint;
pub mod xmp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::Point;
use serde::Serialize;

use self::camera::{Intrinsics, pixel_pitch_um};
use self::footprint::{Attitude, Footprint};

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("cannot read the file: {error}; file: {}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{problem}; file: {}", path.display())]
    Format { path: PathBuf, problem: String },
    #[error(transparent)]
    Raster(#[from] yitu_layers::LayersError),
}

/// What the ground is for footprints: the take-off level (default) or a known surface elevation
/// (a river's water level, metres above sea level, compared with the absolute altitude).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    #[default]
    TakeOffLevel,
    SurfaceElevation(f64),
}

/// A drone photo's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DronePhoto {
    pub make: String,
    pub model: String,
    pub width: usize,
    pub height: usize,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// Metres above the vertical datum the drone uses (MSL on enterprise models).
    pub absolute_altitude_m: Option<f64>,
    /// Metres above the take-off point.
    pub relative_altitude_m: Option<f64>,
    pub gimbal: Option<Attitude>,
    pub flight: Option<Attitude>,
    pub rtk: Option<bool>,
    pub laser_range_m: Option<f64>,
    pub image_source: Option<String>,
    pub intrinsics: Option<Intrinsics>,
}

fn number(tags: &BTreeMap<String, String>, names: &[&str]) -> Option<f64> {
    names
        .iter()
        .find_map(|n| tags.get(*n)?.trim_start_matches('+').parse().ok())
}

fn attitude(tags: &BTreeMap<String, String>, prefix: &str) -> Option<Attitude> {
    Some(Attitude {
        yaw_deg: number(tags, &[&format!("{prefix}YawDegree")])?,
        pitch_deg: number(tags, &[&format!("{prefix}PitchDegree")])?,
        roll_deg: number(tags, &[&format!("{prefix}RollDegree")]).unwrap_or(0.0),
    })
}

/// EXIF fields we use: make, model, focal length, GPS.
struct ExifFields {
    make: String,
    model: String,
    focal_length_mm: Option<f64>,
    lon: Option<f64>,
    lat: Option<f64>,
    altitude_m: Option<f64>,
}

/// Bytes read from the start of a photo to find its EXIF segment (at most 64 KiB, first).
const EXIF_PREFIX: u64 = 65_536 + 4;

/// The small JPEG preview that cameras embed in the EXIF (IFD1), read from the first 64 KiB of
/// the file only; `None` when the photo has none.
pub fn embedded_thumbnail(path: &Path) -> Result<Option<Vec<u8>>, PhotoError> {
    use std::io::Read as _;
    let io = |error| PhotoError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut prefix = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(EXIF_PREFIX)
        .read_to_end(&mut prefix)
        .map_err(io)?;
    let Some(tiff) = crate::jpeg::leading_segments(&prefix)
        .into_iter()
        .find(|s| s.marker == 0xE1 && s.payload.starts_with(b"Exif\0\0"))
        .map(|s| s.payload[6..].to_vec())
    else {
        return Ok(None);
    };
    let Ok(exif) = exif::Reader::new().read_raw(tiff) else {
        return Ok(None);
    };
    let number = |tag| {
        exif.get_field(tag, exif::In::THUMBNAIL)
            .and_then(|f| f.value.get_uint(0))
            .map(|v| v as usize)
    };
    let (Some(offset), Some(len)) = (
        number(exif::Tag::JPEGInterchangeFormat),
        number(exif::Tag::JPEGInterchangeFormatLength),
    ) else {
        return Ok(None);
    };
    Ok(exif
        .buf()
        .get(offset..offset + len)
        .filter(|b| b.starts_with(&[0xFF, 0xD8]))
        .map(<[u8]>::to_vec))
}

fn exif_fields(bytes: &[u8]) -> ExifFields {
    use exif::{In, Tag, Value};
    let parsed = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok();
    let field = |tag| parsed.as_ref().and_then(|e| e.get_field(tag, In::PRIMARY));
    let text = |tag| {
        field(tag)
            .map(|f| {
                f.display_value()
                    .to_string()
                    .trim_matches('"')
                    .trim()
                    .to_owned()
            })
            .unwrap_or_default()
    };
    let rationals = |tag| match field(tag).map(|f| &f.value) {
        Some(Value::Rational(v)) => Some(v.iter().map(exif::Rational::to_f64).collect::<Vec<_>>()),
        _ => None,
    };
    let dms = |tag, reference: Tag, negative: &str| {
        let v = rationals(tag)?;
        let deg = v.first()? + v.get(1).unwrap_or(&0.0) / 60.0 + v.get(2).unwrap_or(&0.0) / 3600.0;
        Some(if text(reference).starts_with(negative) {
            -deg
        } else {
            deg
        })
    };
    ExifFields {
        make: text(Tag::Make),
        model: text(Tag::Model),
        focal_length_mm: rationals(Tag::FocalLength).and_then(|v| v.first().copied()),
        lon: dms(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W"),
        lat: dms(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S"),
        altitude_m: rationals(Tag::GPSAltitude).and_then(|v| v.first().copied()),
    }
}

impl DronePhoto {
    /// Reads a photo's metadata (never writing to it).
    pub fn read(path: &Path) -> Result<Self, PhotoError> {
        let bytes = std::fs::read(path).map_err(|error| PhotoError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let bad = |problem: String| PhotoError::Format {
            path: path.to_path_buf(),
            problem,
        };
        let segments = crate::jpeg::segments(&bytes).map_err(|e| bad(e.0))?;
        let (width, height) =
            crate::jpeg::dimensions(&segments).ok_or_else(|| bad("no JPEG frame header".into()))?;
        let tags: BTreeMap<String, String> = segments
            .iter()
            .filter(|s| s.marker == 0xE1)
            .flat_map(|s| xmp::drone_dji_tags(s.payload))
            .collect();
        let exif = exif_fields(&bytes);
        let model = if exif.model.is_empty() {
            tags.get("Model").cloned().unwrap_or_default()
        } else {
            exif.model
        };
        let intrinsics = exif
            .focal_length_mm
            .zip(pixel_pitch_um(&model, width))
            .map(|(f, p)| Intrinsics::from_focal(f, p, width, height));
        Ok(Self {
            make: exif.make,
            width,
            height,
            lon: number(&tags, &["GpsLongitude", "GpsLongtitude", "Longitude"]).or(exif.lon),
            lat: number(&tags, &["GpsLatitude", "Latitude"]).or(exif.lat),
            absolute_altitude_m: number(&tags, &["AbsoluteAltitude"]).or(exif.altitude_m),
            relative_altitude_m: number(&tags, &["RelativeAltitude"]),
            gimbal: attitude(&tags, "Gimbal"),
            flight: attitude(&tags, "Flight"),
            rtk: tags.get("RtkFlag").map(|f| f.trim() == "50"),
            laser_range_m: number(&tags, &["LRFTargetDistance"]).filter(|d| *d > 0.0),
            image_source: tags.get("ImageSource").cloned(),
            intrinsics,
            model,
        })
    }

    /// The footprint on a DEM (rays marched to the terrain), from the absolute altitude. The DEM
    /// must use the drone's vertical datum (MSL on enterprise models).
    pub fn footprint_on_dem(&self, dem: &yitu_layers::dem::Dem) -> Option<Footprint> {
        footprint::footprint_on_terrain(
            Point::new(self.lon?, self.lat?),
            self.absolute_altitude_m?,
            self.gimbal.as_ref()?,
            self.intrinsics.as_ref()?,
            (self.width, self.height),
            &|lon, lat| dem.elevation(lon, lat),
        )
    }

    /// The ground footprint, when position, attitude, intrinsics and a height are known.
    pub fn footprint(&self, ground: Ground) -> Option<Footprint> {
        let height = match ground {
            Ground::TakeOffLevel => self.relative_altitude_m?,
            Ground::SurfaceElevation(z) => self.absolute_altitude_m? - z,
        };
        (height > 0.0).then_some(())?;
        Some(footprint::footprint(
            Point::new(self.lon?, self.lat?),
            height,
            self.gimbal.as_ref()?,
            self.intrinsics.as_ref()?,
            self.width,
            self.height,
        ))
    }
}
