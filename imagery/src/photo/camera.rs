//! Sensor pixel pitch by camera, to turn a focal length in millimetres into pixels.
//!
//! DJI's `CalibratedFocalLength` is unreliable for thermal frames (see `docs/remote-sensing.md`
//! §1.4), so intrinsics come from EXIF `FocalLength` ÷ pixel pitch, with the principal point at
//! the image centre.

use serde::Serialize;

/// Pinhole intrinsics in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Intrinsics {
    pub fx: f64,
    pub fy: f64,
    pub cx: f64,
    pub cy: f64,
    pub pixel_pitch_um: f64,
    pub focal_length_mm: f64,
}

/// (model substring, image width in pixels, pixel pitch in µm). Thermal cores: 12 µm VOx on the
/// current DJI enterprise cameras, 17 µm on the FLIR Tau/Boson-based XT/XT2.
const PIXEL_PITCH_UM: &[(&str, usize, f64)] = &[
    ("H20T", 640, 12.0),
    ("H20N", 640, 12.0),
    ("H30T", 1280, 12.0),
    ("M30T", 640, 12.0),
    ("M3T", 640, 12.0),
    ("M4T", 640, 12.0),
    ("XT2", 640, 17.0),
    ("XT2", 336, 17.0),
    ("FLIR", 640, 17.0),
    ("XT S", 640, 12.0),
];

/// The pixel pitch of `model` at `width` pixels, when known.
pub fn pixel_pitch_um(model: &str, width: usize) -> Option<f64> {
    let m = model.to_ascii_uppercase();
    PIXEL_PITCH_UM
        .iter()
        .find(|(name, w, _)| m.contains(name) && *w == width)
        .map(|(_, _, p)| *p)
}

impl Intrinsics {
    pub fn from_focal(
        focal_length_mm: f64,
        pixel_pitch_um: f64,
        width: usize,
        height: usize,
    ) -> Self {
        let f = focal_length_mm * 1000.0 / pixel_pitch_um;
        Self {
            fx: f,
            fy: f,
            cx: width as f64 / 2.0,
            cy: height as f64 / 2.0,
            pixel_pitch_um,
            focal_length_mm,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m3t_thermal_focal_in_pixels() {
        // 9.1 mm / 12 µm = 758.3 px (docs §1.4).
        let k = Intrinsics::from_focal(9.1, pixel_pitch_um("M3T", 640).unwrap(), 640, 512);
        assert!((k.fx - 758.33).abs() < 0.01);
        assert_eq!((k.cx, k.cy), (320.0, 256.0));
    }
}
