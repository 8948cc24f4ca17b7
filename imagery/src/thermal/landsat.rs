//! Landsat 8/9 TIRS bands 10/11: digital numbers → at-sensor radiance → brightness temperature,
//! with the constants from the scene's MTL metadata.
//!
//! `L = ML·Q + AL`, `BT = K2 / ln(K1/L + 1)` (USGS Landsat 8 Data Users Handbook, §5.2).
//!
//! # Units
//! Radiance W/(m²·sr·µm); temperatures returned in °C.

use std::path::{Path, PathBuf};

use super::ThermalError;

/// The rescaling and thermal constants of one TIRS band.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TirsConstants {
    pub band: u8,
    pub radiance_mult: f64,
    pub radiance_add: f64,
    pub k1: f64,
    pub k2: f64,
}

impl TirsConstants {
    /// Brightness temperature in °C for a digital number (0 is Landsat's fill value: `None`).
    pub fn brightness_celsius(&self, dn: f64) -> Option<f64> {
        if dn <= 0.0 {
            return None;
        }
        let radiance = self.radiance_mult * dn + self.radiance_add;
        (radiance > 0.0).then(|| self.k2 / (self.k1 / radiance + 1.0).ln() - 273.15)
    }
}

/// `KEY = VALUE` lines of an MTL file, quotes removed.
pub(crate) fn mtl_value<'a>(mtl: &'a str, key: &str) -> Option<&'a str> {
    mtl.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"'))
    })
}

/// The MTL file beside `band_path` that lists it, and the band number it lists it as.
///
/// The band is named as the MTL names it: `10`, `11`, `ST_B10`, `QUALITY`, ...
pub fn find_mtl(band_path: &Path) -> Result<Option<(PathBuf, String, String)>, ThermalError> {
    let name = band_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let dir = band_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut mtls: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().to_uppercase().ends_with("_MTL.TXT"))
        .collect();
    mtls.sort();
    let mut seen_any = false;
    for mtl_path in mtls {
        seen_any = true;
        let text = std::fs::read_to_string(&mtl_path).map_err(|e| ThermalError::Io {
            path: mtl_path.clone(),
            error: e,
        })?;
        let band = text.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            let key = k.trim().strip_prefix("FILE_NAME_BAND_")?;
            (v.trim().trim_matches('"') == name).then(|| key.to_owned())
        });
        if let Some(band) = band {
            return Ok(Some((mtl_path, text, band)));
        }
    }
    if seen_any {
        return Err(ThermalError::Format(format!(
            "the MTL file beside it does not list `{name}`: it belongs to another scene or band"
        )));
    }
    Ok(None)
}

/// Collection-2 Level-2 surface temperature scaling (`ST_B10`): `T = mult·DN + add` in kelvin.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SurfaceTemperatureScale {
    pub mult: f64,
    pub add: f64,
}

impl SurfaceTemperatureScale {
    /// Surface temperature in °C (0 is the fill value: `None`).
    pub fn celsius(&self, dn: f64) -> Option<f64> {
        (dn > 0.0).then_some(self.mult * dn + self.add - 273.15)
    }
}

/// What a Landsat band file holds, with its constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Product {
    /// L1 TIRS band 10/11: brightness temperature.
    Brightness(TirsConstants),
    /// L2 `ST_B10`: surface temperature (atmosphere and emissivity corrected by USGS).
    SurfaceTemperature(SurfaceTemperatureScale),
}

impl Product {
    /// The product for the band the MTL lists the file as.
    pub fn from_mtl(mtl: &str, band_key: &str) -> Result<Self, ThermalError> {
        if band_key == "ST_B10" {
            let get = |key: &str| {
                mtl_value(mtl, key)
                    .and_then(|v| v.parse::<f64>().ok())
                    .ok_or_else(|| ThermalError::Format(format!("the MTL has no `{key}`")))
            };
            return Ok(Self::SurfaceTemperature(SurfaceTemperatureScale {
                mult: get("TEMPERATURE_MULT_BAND_ST_B10")?,
                add: get("TEMPERATURE_ADD_BAND_ST_B10")?,
            }));
        }
        let band = band_key.parse::<u8>().map_err(|_| {
            ThermalError::Format(format!(
                "band {band_key} is not a TIRS thermal band (10 or 11) or ST_B10"
            ))
        })?;
        tirs_constants(mtl, band).map(Self::Brightness)
    }

    pub fn celsius(&self, dn: f64) -> Option<f64> {
        match self {
            Self::Brightness(c) => c.brightness_celsius(dn),
            Self::SurfaceTemperature(s) => s.celsius(dn),
        }
    }
}

/// The constants of `band` from an MTL text.
pub fn tirs_constants(mtl: &str, band: u8) -> Result<TirsConstants, ThermalError> {
    if band != 10 && band != 11 {
        return Err(ThermalError::Format(format!(
            "band {band} is not a TIRS thermal band (10 or 11)"
        )));
    }
    let get = |key: String| {
        mtl_value(mtl, &key)
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| ThermalError::Format(format!("the MTL has no `{key}`")))
    };
    Ok(TirsConstants {
        band,
        radiance_mult: get(format!("RADIANCE_MULT_BAND_{band}"))?,
        radiance_add: get(format!("RADIANCE_ADD_BAND_{band}"))?,
        k1: get(format!("K1_CONSTANT_BAND_{band}"))?,
        k2: get(format!("K2_CONSTANT_BAND_{band}"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MTL: &str = "  GROUP = RADIOMETRIC_RESCALING\n    RADIANCE_MULT_BAND_10 = 3.3420E-04\n    RADIANCE_ADD_BAND_10 = 0.10000\n  GROUP = TIRS_THERMAL_CONSTANTS\n    K1_CONSTANT_BAND_10 = 774.8853\n    K2_CONSTANT_BAND_10 = 1321.0789\n";

    #[test]
    fn brightness_temperature_follows_the_handbook() {
        let c = tirs_constants(MTL, 10).unwrap();
        // L = 3.342e-4 * 30000 + 0.1 = 10.126; BT = 1321.0789 / ln(774.8853/10.126 + 1) = 303.66 K.
        let t = c.brightness_celsius(30_000.0).unwrap();
        assert!((t - (1321.0789 / (774.8853_f64 / 10.126 + 1.0).ln() - 273.15)).abs() < 1e-9);
        assert!((t - 30.505).abs() < 0.001, "{t}");
        assert_eq!(c.brightness_celsius(0.0), None);
    }

    #[test]
    fn the_handbook_check_vectors_hold() {
        // docs §2.1: L = 10 gives 302.79 K on L8; DN 25000 gives L = 8.455 and 18.56 °C.
        let l8 = TirsConstants {
            band: 10,
            radiance_mult: 3.3420e-4,
            radiance_add: 0.1,
            k1: 774.8853,
            k2: 1321.0789,
        };
        let from_radiance = |l: f64| l8.k2 / (l8.k1 / l + 1.0).ln();
        assert!((from_radiance(10.0) - 302.79).abs() < 0.01);
        assert!((l8.brightness_celsius(25_000.0).unwrap() - 18.56).abs() < 0.01);
    }

    #[test]
    fn level_2_surface_temperature_scales_and_keeps_fill() {
        let mtl = "    TEMPERATURE_MULT_BAND_ST_B10 = 0.00341802\n    TEMPERATURE_ADD_BAND_ST_B10 = 149.0\n";
        let p = Product::from_mtl(mtl, "ST_B10").unwrap();
        // DN 44000: 0.00341802 × 44000 + 149 = 299.39 K.
        assert!(
            (p.celsius(44_000.0).unwrap() - (0.003_418_02 * 44_000.0 + 149.0 - 273.15)).abs()
                < 1e-9
        );
        assert_eq!(p.celsius(0.0), None);
        assert!(Product::from_mtl(mtl, "QUALITY").is_err());
    }

    #[test]
    fn missing_constants_and_non_thermal_bands_are_errors() {
        assert!(tirs_constants(MTL, 11).is_err());
        assert!(tirs_constants(MTL, 4).is_err());
    }
}
