//! FLIR radiometric JPEGs (FLIR cameras, DJI Zenmuse XT/XT2/XT-R): the raw sensor image and the
//! calibration stored in the FFF records of the JPEG's `FLIR` APP1 segments.
//!
//! Layout per exiftool's `FLIR.pm` (see `docs/remote-sensing.md` §1.1).

use super::ThermalError;
use super::planck::{Calibration, Scene};

/// What a FLIR R-JPEG carries: the raw counts (row-major) and the camera's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct FlirImage {
    pub width: usize,
    pub height: usize,
    pub raw: Vec<u16>,
    pub calibration: Calibration,
    /// The scene as stored by the camera (the operator's settings).
    pub scene: Scene,
    pub camera_model: String,
}

const RECORD_RAW_DATA: u16 = 0x01;
const RECORD_CAMERA_INFO: u16 = 0x20;

/// Concatenates the payloads of the `FLIR\0` APP1 segments (the FFF blob).
fn fff_blob(jpeg: &[u8]) -> Result<Vec<u8>, ThermalError> {
    let segments = crate::jpeg::segments(jpeg).map_err(|e| ThermalError::Format(e.0))?;
    let mut chunks: Vec<(u8, &[u8])> = segments
        .iter()
        .filter(|s| s.marker == 0xE1 && s.payload.starts_with(b"FLIR\0") && s.payload.len() > 8)
        .map(|s| (s.payload[6], &s.payload[8..]))
        .collect();
    if chunks.is_empty() {
        return Err(ThermalError::NoThermalData);
    }
    chunks.sort_by_key(|c| c.0);
    Ok(chunks
        .into_iter()
        .flat_map(|c| c.1.iter().copied())
        .collect())
}

/// A byte order detected from a record's leading 16-bit word (small values are right-endian).
#[derive(Clone, Copy)]
struct Reader<'a> {
    data: &'a [u8],
    little: bool,
}

impl<'a> Reader<'a> {
    fn detect(data: &'a [u8]) -> Self {
        // exiftool: the first word is small (e.g. 2) in the record's own byte order.
        let be = data
            .get(..2)
            .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
        Self {
            data,
            little: be >= 0x100,
        }
    }

    fn bytes<const N: usize>(&self, at: usize) -> Result<[u8; N], ThermalError> {
        self.data
            .get(at..at + N)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| ThermalError::Format(format!("record too short for a field at {at:#x}")))
    }

    fn u16(&self, at: usize) -> Result<u16, ThermalError> {
        let b = self.bytes::<2>(at)?;
        Ok(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn i32(&self, at: usize) -> Result<i32, ThermalError> {
        let b = self.bytes::<4>(at)?;
        Ok(if self.little {
            i32::from_le_bytes(b)
        } else {
            i32::from_be_bytes(b)
        })
    }

    fn f32(&self, at: usize) -> Result<f64, ThermalError> {
        let b = self.bytes::<4>(at)?;
        Ok(f64::from(if self.little {
            f32::from_le_bytes(b)
        } else {
            f32::from_be_bytes(b)
        }))
    }
}

/// The records of an FFF blob as (type, bytes).
fn records(fff: &[u8]) -> Result<Vec<(u16, &[u8])>, ThermalError> {
    if !fff.starts_with(b"FFF\0") && !fff.starts_with(b"AFF\0") {
        return Err(ThermalError::Format(
            "FLIR segment without an FFF header".into(),
        ));
    }
    let header = Reader {
        data: fff,
        little: false,
    };
    // The version word tells the byte order (exiftool: 100..200 when read right).
    let version = header.i32(0x14)?;
    let r = Reader {
        data: fff,
        little: !(100..200).contains(&version),
    };
    let dir_offset = usize::try_from(r.i32(0x18)?).unwrap_or(usize::MAX);
    let count = usize::try_from(r.i32(0x1c)?).unwrap_or(0).min(4096);
    let mut out = Vec::with_capacity(count);
    for k in 0..count {
        let e = dir_offset.saturating_add(k * 32);
        let kind = r.u16(e)?;
        let offset = usize::try_from(r.i32(e + 12)?).unwrap_or(usize::MAX);
        let length = usize::try_from(r.i32(e + 16)?).unwrap_or(0);
        if kind == 0 {
            continue;
        }
        let bytes = fff
            .get(offset..offset.saturating_add(length))
            .ok_or_else(|| {
                ThermalError::Format(format!("FFF record {k} points past the end (truncated?)"))
            })?;
        out.push((kind, bytes));
    }
    Ok(out)
}

/// The most raw pixels a FLIR record may hold: 16 megapixels, twelve times the largest
/// radiometric sensor (1280 × 1024).
const MAX_RAW_PIXELS: usize = 1 << 24;

fn raw_image(record: &[u8]) -> Result<(usize, usize, Vec<u16>), ThermalError> {
    let r = Reader::detect(record);
    let (width, height) = (usize::from(r.u16(0x02)?), usize::from(r.u16(0x04)?));
    let data = record
        .get(0x20..)
        .ok_or_else(|| ThermalError::Format("raw data record too short".into()))?;
    let raw: Vec<u16> = if data.starts_with(b"\x89PNG") {
        let decoder = png::Decoder::new(std::io::Cursor::new(data));
        let mut reader = decoder
            .read_info()
            .map_err(|e| ThermalError::Format(format!("raw PNG: {e}")))?;
        // The PNG's own size decides how much it inflates to: it must be the record's, and
        // the record's a sensor's, or a few bytes of header ask for gigabytes.
        let (png_w, png_h) = (reader.info().width as usize, reader.info().height as usize);
        if (png_w, png_h) != (width, height) {
            return Err(ThermalError::Format(format!(
                "raw PNG is {png_w}×{png_h}, the record says {width}×{height}"
            )));
        }
        if width * height > MAX_RAW_PIXELS {
            return Err(ThermalError::Format(format!(
                "raw image of {width}×{height} is larger than any thermal sensor"
            )));
        }
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| ThermalError::Format(format!("raw PNG: {e}")))?;
        if info.bit_depth != png::BitDepth::Sixteen {
            return Err(ThermalError::Format("raw PNG is not 16-bit".into()));
        }
        // FLIR writes the samples little-endian into a big-endian format: swap each.
        buf[..info.buffer_size()]
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect()
    } else {
        data.chunks_exact(2)
            .map(|b| {
                if r.little {
                    u16::from_le_bytes([b[0], b[1]])
                } else {
                    u16::from_be_bytes([b[0], b[1]])
                }
            })
            .collect()
    };
    if raw.len() < width * height || width == 0 || height == 0 {
        return Err(ThermalError::Format(format!(
            "raw image has {} values for {width}×{height}",
            raw.len()
        )));
    }
    Ok((width, height, raw[..width * height].to_vec()))
}

fn camera_info(record: &[u8]) -> Result<(Calibration, Scene, String), ThermalError> {
    let r = Reader::detect(record);
    let kelvin = |at| r.f32(at).map(|k| k - 273.15);
    let mut rh = r.f32(0x3c)?;
    if rh <= 2.0 {
        rh *= 100.0; // Stored as a fraction by most cameras.
    }
    let model = record
        .get(0xd4..0xd4 + 32)
        .map(|b| {
            String::from_utf8_lossy(b.split(|&c| c == 0).next().unwrap_or_default()).into_owned()
        })
        .unwrap_or_default();
    Ok((
        Calibration {
            planck_r1: r.f32(0x58)?,
            planck_b: r.f32(0x5c)?,
            planck_f: r.f32(0x60)?,
            atm_alpha1: r.f32(0x70)?,
            atm_alpha2: r.f32(0x74)?,
            atm_beta1: r.f32(0x78)?,
            atm_beta2: r.f32(0x7c)?,
            atm_x: r.f32(0x80)?,
            planck_o: f64::from(r.i32(0x308)?),
            planck_r2: r.f32(0x30c)?,
        },
        Scene {
            emissivity: r.f32(0x20)?,
            distance_m: r.f32(0x24)?,
            reflected_c: kelvin(0x28)?,
            atmosphere_c: kelvin(0x2c)?,
            ir_window_c: kelvin(0x30)?,
            ir_window_transmission: r.f32(0x34)?,
            relative_humidity_pct: rh,
        },
        model,
    ))
}

impl FlirImage {
    /// Parses a FLIR R-JPEG's bytes.
    pub fn from_jpeg(jpeg: &[u8]) -> Result<Self, ThermalError> {
        let fff = fff_blob(jpeg)?;
        let recs = records(&fff)?;
        let find = |kind| {
            recs.iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, b)| *b)
                .ok_or(ThermalError::NoThermalData)
        };
        let (width, height, raw) = raw_image(find(RECORD_RAW_DATA)?)?;
        let (calibration, scene, camera_model) = camera_info(find(RECORD_CAMERA_INFO)?)?;
        Ok(Self {
            width,
            height,
            raw,
            calibration,
            scene,
            camera_model,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_without_flir_segments_has_no_thermal_data() {
        let plain = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9];
        assert!(matches!(
            FlirImage::from_jpeg(&plain),
            Err(ThermalError::NoThermalData)
        ));
    }

    #[test]
    fn truncated_and_foreign_bytes_are_format_errors() {
        assert!(matches!(
            FlirImage::from_jpeg(b"GIF89a"),
            Err(ThermalError::Format(_))
        ));
        let cut = [0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, b'F', b'L'];
        assert!(matches!(
            FlirImage::from_jpeg(&cut),
            Err(ThermalError::Format(_))
        ));
    }
}
