//! Capability C2 (`docs/remote-sensing.md` §2.2, §5.3): hot targets in the short-wave infrared
//! (flares, furnaces, molten metal, burning) by the Normalized Hotspot Indices of Marchese et al.
//! (2019) on top-of-atmosphere **radiance**, from Sentinel-2 L1C (B05, B8A, B11, B12) or Landsat
//! 8/9 OLI (B4, B5, B6, B7).
//!
//! Radiance, not reflectance: the solar irradiance differs tenfold between the bands, so the
//! indices' zero crossings move (on reflectance a roof with B12/B11 = 1.2 would already be "hot";
//! on radiance it takes 2.9). Warm roofs never trigger it: emission at 1.6–2.2 µm needs ≳ 600 K.

pub mod measures;

pub use measures::{HotTest, Sensor, SwirMeasures};

use super::error::FileProblem;
use std::path::{Path, PathBuf};

use geo::{Contains as _, Point};

use super::matching::{outline, touches_grid_edge};
use super::model::Heat;
use super::regions::{At, Level, hysteresis};
use super::{Capability, DetectError, Detection, PixelFrame, Registry, Status};

/// TOA radiance of one pixel in the four bands the tests read, W m⁻² sr⁻¹ µm⁻¹.
#[derive(Debug, Clone, Copy)]
pub struct Radiance {
    /// Red / red edge (S2 B05, OLI B4): high over clouds and bright surfaces.
    pub l07: f32,
    /// Near infrared (S2 B8A, OLI B5).
    pub l08: f32,
    /// SWIR 1.6 µm (S2 B11, OLI B6).
    pub l16: f32,
    /// SWIR 2.2 µm (S2 B12, OLI B7).
    pub l22: f32,
}

fn normalized_difference(a: f32, b: f32) -> f32 {
    (a - b) / (a + b)
}

impl Radiance {
    /// NHI_SWIR = (L2.2 − L1.6) / (L2.2 + L1.6).
    pub fn nhi_swir(&self) -> f32 {
        normalized_difference(self.l22, self.l16)
    }

    /// NHI_SWNIR = (L1.6 − L0.8) / (L1.6 + L0.8).
    pub fn nhi_swnir(&self) -> f32 {
        normalized_difference(self.l16, self.l08)
    }

    /// The NHI Tool's conditions (§2.2), as defaults: (A) NHI_SWIR > 0, L2.2 > 2, L0.7 < 90,
    /// TEST > −0.6; (B) NHI_SWNIR > 0, L0.8 > 10, L2.2 > 2, L0.7 < 70, TEST > −0.3; (C) neither,
    /// L1.6 ≥ 70 and L0.7 < 70. TEST = (L2.2 − L0.8)/(L2.2 + L0.8) keeps out bright clouds.
    pub fn hot(&self) -> Option<HotTest> {
        let Radiance { l07, l08, l16, l22 } = *self;
        if ![l07, l08, l16, l22].iter().all(|v| v.is_finite()) {
            return None;
        }
        let test = normalized_difference(l22, l08);
        if self.nhi_swir() > 0.0 && l22 > 2.0 && l07 < 90.0 && test > -0.6 {
            Some(HotTest::Swir)
        } else if self.nhi_swnir() > 0.0 && l08 > 10.0 && l22 > 2.0 && l07 < 70.0 && test > -0.3 {
            Some(HotTest::Swnir)
        } else if l16 >= 70.0 && l07 < 70.0 {
            Some(HotTest::Extreme)
        } else {
            None
        }
    }
}

/// A SWIR product on disk: the metadata file that lists its bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Product {
    /// A Landsat 8/9 scene's `*_MTL.txt`.
    Oli { mtl: PathBuf },
    /// A Sentinel-2 L1C `.SAFE` folder's `MTD_MSIL1C.xml`.
    Sentinel2 { metadata: PathBuf },
}

/// OLI bands read, in [`Radiance`] order.
const OLI_BANDS: [u8; 4] = [4, 5, 6, 7];
/// Sentinel-2 bands read, in [`Radiance`] order, with their index in the metadata's band list.
const S2_BANDS: [(&str, usize); 4] = [("B05", 4), ("B8A", 8), ("B11", 11), ("B12", 12)];

impl Product {
    /// The SWIR product `path` names: a Landsat MTL, or an OLI band 4–7 with its MTL beside it,
    /// or a Sentinel-2 L1C metadata file, or one of its bands B05/B8A/B11/B12. `None` for any
    /// other file (a thermal raster).
    pub fn of(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_uppercase();
        if name.ends_with("_MTL.TXT") {
            return Some(Self::Oli {
                mtl: path.to_path_buf(),
            });
        }
        if name == "MTD_MSIL1C.XML" || name == "MTD_MSIL2A.XML" {
            return Some(Self::Sentinel2 {
                metadata: path.to_path_buf(),
            });
        }
        if let Some(band) = crate::sentinel2::band_of(path)
            && S2_BANDS.iter().any(|(b, _)| *b == band)
        {
            return crate::sentinel2::metadata_file(path)
                .map(|metadata| Self::Sentinel2 { metadata });
        }
        let (mtl, _, band) = crate::thermal::landsat::find_mtl(path).ok()??;
        OLI_BANDS
            .iter()
            .any(|b| band == b.to_string())
            .then_some(Self::Oli { mtl })
    }
}

/// The four bands of a SWIR scene as TOA radiance on one pixel grid.
pub struct SwirScene {
    pub sensor: Sensor,
    pub width: usize,
    pub height: usize,
    /// L0.7, L0.8, L1.6, L2.2 (see [`Radiance`]); NaN where there is no data.
    pub bands: [Vec<f32>; 4],
    pub frame: PixelFrame,
    /// The files read: metadata and the four bands (for provenance).
    pub files: Vec<PathBuf>,
}

impl SwirScene {
    pub fn at(&self, i: usize) -> Radiance {
        Radiance {
            l07: self.bands[0][i],
            l08: self.bands[1][i],
            l16: self.bands[2][i],
            l22: self.bands[3][i],
        }
    }

    /// Reads a product's four bands and converts them to radiance with its metadata.
    pub fn read(product: &Product) -> Result<Self, DetectError> {
        match product {
            Product::Oli { mtl } => read_oli(mtl),
            Product::Sentinel2 { metadata } => read_sentinel2(metadata),
        }
    }
}

fn input_error(path: &Path, problem: impl std::fmt::Display) -> DetectError {
    DetectError::File {
        path: path.to_path_buf(),
        problem: FileProblem::Unreadable(problem.to_string()),
    }
}

/// Landsat OLI: `L = ML·Q + AL` per band, from the MTL (0 is the fill value).
fn read_oli(mtl_path: &Path) -> Result<SwirScene, DetectError> {
    use crate::thermal::landsat::mtl_value;
    let mtl = std::fs::read_to_string(mtl_path).map_err(|e| input_error(mtl_path, e))?;
    let dir = mtl_path.parent().unwrap_or(Path::new("."));
    let mut files = vec![mtl_path.to_path_buf()];
    let mut bands = Vec::new();
    for band in OLI_BANDS {
        let key = |k: &str| format!("{k}_BAND_{band}");
        let value = |k: &str| -> Result<f64, DetectError> {
            mtl_value(&mtl, &key(k))
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| input_error(mtl_path, format!("the MTL has no `{}`", key(k))))
        };
        let (mult, add) = (value("RADIANCE_MULT")?, value("RADIANCE_ADD")?);
        let file = mtl_value(&mtl, &key("FILE_NAME"))
            .ok_or_else(|| input_error(mtl_path, format!("the MTL lists no band {band} file")))?;
        let path = dir.join(file);
        bands.push(read_radiance(&path, |dn| {
            (dn > 0.0).then_some(mult * dn + add)
        })?);
        files.push(path);
    }
    scene(Sensor::LandsatOli, bands, files)
}

/// Sentinel-2 L1C: `ρ = (DN + offset) / quantification`, then `L = ρ · E_sun · U · cos θs / π`
/// with each band's solar irradiance E_sun and the Earth–Sun factor U from the product metadata
/// and the mean solar zenith θs from the granule's.
fn read_sentinel2(metadata: &Path) -> Result<SwirScene, DetectError> {
    use crate::sentinel2::element_value;
    let xml = std::fs::read_to_string(metadata).map_err(|e| input_error(metadata, e))?;
    if xml.contains("BOA_QUANTIFICATION_VALUE") || xml.contains("Level-2A") {
        return Err(input_error(
            metadata,
            "a Level-2A (surface reflectance) product: the hot-spot indices' thresholds are for \
             top-of-atmosphere radiance, so use the Level-1C product of the same scene",
        ));
    }
    let root = metadata.parent().unwrap_or(Path::new("."));
    let granule = only_granule(root).ok_or_else(|| {
        input_error(
            metadata,
            "no single GRANULE/*/IMG_DATA folder beside the metadata",
        )
    })?;
    let tile_xml_path = granule.join("MTD_TL.xml");
    let tile_xml =
        std::fs::read_to_string(&tile_xml_path).map_err(|e| input_error(&tile_xml_path, e))?;
    let zenith = tile_xml
        .find("<Mean_Sun_Angle")
        .and_then(|at| element_value(&tile_xml[at..], "ZENITH_ANGLE", None))
        .ok_or_else(|| input_error(&tile_xml_path, "no mean solar zenith angle"))?;
    let u = xml
        .find("<U>")
        .and_then(|at| xml[at + 3..].split('<').next()?.trim().parse::<f64>().ok())
        .ok_or_else(|| input_error(metadata, "no Earth–Sun distance factor <U>"))?;
    let cos_zenith = zenith.to_radians().cos();
    let mut files = vec![metadata.to_path_buf(), tile_xml_path];
    let mut bands = Vec::new();
    for (band, index) in S2_BANDS {
        let path = band_file(&granule.join("IMG_DATA"), band)
            .ok_or_else(|| input_error(metadata, format!("no {band} image in the granule")))?;
        let scale = crate::sentinel2::reflectance_scale(&path)
            .ok_or_else(|| input_error(metadata, format!("no reflectance scaling for {band}")))?;
        let e_sun = element_value(
            &xml,
            "SOLAR_IRRADIANCE",
            Some(&format!("bandId=\"{index}\"")),
        )
        .ok_or_else(|| input_error(metadata, format!("no solar irradiance for {band}")))?;
        let factor = e_sun * u * cos_zenith / std::f64::consts::PI;
        bands.push(read_radiance(&path, |dn| {
            scale.reflectance(dn).map(|rho| rho * factor)
        })?);
        files.push(path);
    }
    scene(Sensor::Sentinel2L1c, bands, files)
}

/// The one granule folder of a `.SAFE` product.
fn only_granule(root: &Path) -> Option<PathBuf> {
    let mut granules = std::fs::read_dir(root.join("GRANULE"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("IMG_DATA").is_dir());
    let granule = granules.next()?;
    granules.next().is_none().then_some(granule)
}

/// The image of `band` in an `IMG_DATA` folder (or its `R20m` subfolder in newer layouts).
fn band_file(img_data: &Path, band: &str) -> Option<PathBuf> {
    [img_data.to_path_buf(), img_data.join("R20m")]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_file() && crate::sentinel2::band_of(p) == Some(band))
}

/// A band as radiance, with its grid.
struct RadianceBand {
    values: Vec<f32>,
    width: usize,
    height: usize,
    georef: Option<yitu_layers::raster::Georef>,
    path: PathBuf,
}

fn read_radiance(
    path: &Path,
    radiance: impl Fn(f64) -> Option<f64>,
) -> Result<RadianceBand, DetectError> {
    let band = yitu_layers::raster::read_band(path, 1)?;
    let values = band
        .values
        .iter()
        .map(|&dn| {
            let valid = band.nodata.is_none_or(|nd| dn.total_cmp(&nd).is_ne());
            valid
                .then(|| radiance(dn))
                .flatten()
                .map_or(f32::NAN, |l| l as f32)
        })
        .collect();
    Ok(RadianceBand {
        values,
        width: band.width,
        height: band.height,
        georef: band.georef,
        path: path.to_path_buf(),
    })
}

fn scene(
    sensor: Sensor,
    bands: Vec<RadianceBand>,
    files: Vec<PathBuf>,
) -> Result<SwirScene, DetectError> {
    let first = &bands[0];
    if let Some(other) = bands
        .iter()
        .find(|b| (b.width, b.height, &b.georef) != (first.width, first.height, &first.georef))
    {
        return Err(input_error(
            &other.path,
            format!(
                "its grid ({}×{}) differs from {}'s ({}×{}): the bands must share one grid",
                other.width,
                other.height,
                first.path.display(),
                first.width,
                first.height
            ),
        ));
    }
    let georef = first
        .georef
        .as_ref()
        .filter(|g| !g.crs_wkt.is_empty())
        .ok_or_else(|| input_error(&first.path, "no georeferencing (CRS and geotransform)"))?;
    let frame = PixelFrame::new(georef, first.width, first.height)?;
    let (width, height) = (first.width, first.height);
    let mut values = bands.into_iter().map(|b| b.values);
    let mut next = || values.next().unwrap_or_default();
    let bands = [next(), next(), next(), next()];
    if !(0..width * height).any(|i| bands.iter().all(|b| b[i].is_finite())) {
        return Err(input_error(
            &files[0],
            "no pixel has data in all four bands",
        ));
    }
    Ok(SwirScene {
        sensor,
        width,
        height,
        bands,
        frame,
        files,
    })
}

/// Sources within this of a hot cluster's edge explain it, metres: a 20–30 m pixel's heat may
/// come from anywhere in a plant's compound.
pub const SOURCE_MATCH_M: f64 = 150.0;

/// Hot clusters (8-connected hot pixels) as `sat_hotspot` detections, matched to the sources.
pub fn detect(scene: &SwirScene, registry: &Registry) -> Vec<Detection> {
    let (w, h) = (scene.width, scene.height);
    let hot: Vec<Option<HotTest>> = (0..w * h).map(|i| scene.at(i).hot()).collect();
    let level = |at: At| {
        if hot[at.i].is_some() {
            Level::Seed
        } else {
            Level::No
        }
    };
    let gsd = scene.frame.gsd_m;
    let rivers_px: Vec<geo::Polygon<f64>> = registry
        .rivers
        .iter()
        .map(|p| scene.frame.polygon_to_pixels(p))
        .collect();
    let mut out: Vec<Detection> = hysteresis(w, h, level, |_, _| true)
        .into_iter()
        .map(|region| {
            let o = outline(&scene.frame, w, &region);
            let nhi_max = region
                .pixels
                .iter()
                .map(|&i| scene.at(i).nhi_swir().max(scene.at(i).nhi_swnir()))
                .fold(f32::MIN, f32::max);
            let swir2_radiance_sum = region
                .pixels
                .iter()
                .map(|&i| f64::from(scene.at(i).l22))
                .sum();
            let mut hot_tests: Vec<HotTest> =
                region.pixels.iter().filter_map(|&i| hot[i]).collect();
            hot_tests.sort_unstable();
            hot_tests.dedup();
            let centre = Point::new(o.centroid_px.0, o.centroid_px.1);
            // From the cluster's edge: half a pixel per side of its extent.
            let half_extent = 0.5
                * (o.footprint.pixel_bbox[2] - o.footprint.pixel_bbox[0]
                    + o.footprint.pixel_bbox[3]
                    - o.footprint.pixel_bbox[1]
                    + 2) as f64;
            let source = registry.nearest_source(&scene.frame, centre, half_extent, SOURCE_MATCH_M);
            let mut flags = Vec::new();
            // Sun glint on water can pass the tests (§5.3 pitfalls).
            let on_water = rivers_px.iter().any(|r| r.contains(&centre));
            if on_water {
                flags.push("on_water_possible_glint");
            }
            if touches_grid_edge(&o.footprint.pixel_bbox, w, h) {
                flags.push("edge_of_frame");
            }
            if source.is_none() {
                // One date near no source: burning rather than industry, until another date
                // confirms it (§5.3 C2 step 5).
                flags.push("possible_burning");
            }
            let n_px = region.pixels.len();
            let score = swir_score(n_px, nhi_max, &hot_tests, on_water);
            let heat = Heat {
                area_m2: n_px as f64 * gsd * gsd,
                // SWIR radiance says "hotter than about 600 K over part of the pixel", not a
                // temperature.
                peak_c: f64::NAN,
                background_c: f64::NAN,
                delta_t_k: f64::NAN,
                z_peak: f64::NAN,
            };
            let status = Status::of_hotspot(source);
            Detection::new(Capability::SatHotspot, status, score, o.footprint, heat)
                .with_source(source.map(|s| s.id.clone()), source.and_then(|s| s.status))
                .with_flags(flags)
                .with_swir(SwirMeasures {
                    sensor: scene.sensor,
                    nhi_max,
                    swir2_radiance_sum,
                    n_px,
                    hot_tests,
                })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// Score of a SWIR hot cluster: every cluster that passes the tests is worth a look (≥ 0.5);
/// more pixels, a stronger index and saturation raise it, water (glint) cuts it.
fn swir_score(n_px: usize, nhi_max: f32, tests: &[HotTest], on_water: bool) -> f64 {
    let x = 0.5
        + (n_px as f64).ln()
        + 4.0 * f64::from(nhi_max.max(0.0))
        + if tests.contains(&HotTest::Extreme) {
            1.0
        } else {
            0.0
        };
    let s = yitu_core::stats::logistic(x);
    if on_water { s * 0.3 } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Planck's spectral radiance, W m⁻² sr⁻¹ µm⁻¹, at `lambda_um` and `t_k`.
    pub fn planck(lambda_um: f64, t_k: f64) -> f64 {
        const C1: f64 = 1.191_042_97e8; // 2hc², W µm⁴ m⁻² sr⁻¹
        const C2: f64 = 14_387.769; // hc/k, µm K
        C1 / (lambda_um.powi(5) * ((C2 / (lambda_um * t_k)).exp() - 1.0))
    }

    /// Sentinel-2A solar irradiance of B05, B8A, B11, B12 (W m⁻² µm⁻¹) and their centres (µm).
    const E_SUN: [f64; 4] = [1424.7, 953.7, 245.59, 85.25];
    const LAMBDA: [f64; 4] = [0.705, 0.865, 1.61, 2.19];

    /// A pixel of reflectances `rho` under a sun 30° from the zenith, with a fraction `f` of it
    /// at `t_k` (L = (1 − f)·L_bg + f·B(T)).
    fn pixel(rho: [f64; 4], f: f64, t_k: f64) -> Radiance {
        let l: Vec<f32> = (0..4)
            .map(|b| {
                let bg = rho[b] * E_SUN[b] * 30_f64.to_radians().cos() / std::f64::consts::PI;
                ((1.0 - f) * bg + f * planck(LAMBDA[b], t_k)) as f32
            })
            .collect();
        Radiance {
            l07: l[0],
            l08: l[1],
            l16: l[2],
            l22: l[3],
        }
    }

    const SOIL: [f64; 4] = [0.20, 0.25, 0.30, 0.25];
    const VEGETATION: [f64; 4] = [0.10, 0.40, 0.20, 0.10];

    #[test]
    fn planted_fires_are_found_above_the_detection_limit() {
        for background in [SOIL, VEGETATION] {
            // Fires filling 1–5 % of a 20 m pixel: found.
            for (t, f) in [(1000.0, 1e-2), (1200.0, 1e-2), (800.0, 5e-2)] {
                assert!(pixel(background, f, t).hot().is_some(), "{t} K, f = {f}");
            }
            // Below the limit: a campfire, a tiny flare, and a small very hot source whose
            // emission peaks short of 1.6 µm, where the background still outshines it.
            for (t, f) in [(600.0, 1e-3), (1000.0, 1e-4), (1500.0, 1e-3)] {
                assert!(pixel(background, f, t).hot().is_none(), "{t} K, f = {f}");
            }
        }
    }

    #[test]
    fn bright_roofs_and_glint_are_not_hot() {
        // A metal roof, a white roof, and sun glint on water (flat and bright).
        for rho in [
            [0.45, 0.50, 0.55, 0.50],
            [0.80, 0.80, 0.70, 0.60],
            [0.35, 0.35, 0.35, 0.35],
        ] {
            assert!(pixel(rho, 0.0, 300.0).hot().is_none(), "{rho:?}");
        }
    }

    #[test]
    fn reflectance_is_not_radiance() {
        // A roof with B12/B11 reflectance 1.2: "hot" by NHI_SWIR on reflectance, the classic bug;
        // on radiance the ratio must exceed E_sun(B11)/E_sun(B12) ≈ 2.9.
        let rho = [0.30, 0.32, 0.30, 0.36];
        let on_reflectance = Radiance {
            l07: rho[0] as f32,
            l08: rho[1] as f32,
            l16: rho[2] as f32,
            l22: rho[3] as f32,
        };
        assert!(on_reflectance.nhi_swir() > 0.0);
        let on_radiance = pixel(rho, 0.0, 300.0);
        assert!(on_radiance.nhi_swir() < 0.0);
        assert!(on_radiance.hot().is_none());
    }

    #[test]
    fn saturated_swir_without_a_red_glow_is_extreme() {
        let r = Radiance {
            l07: 50.0,
            l08: 200.0,
            l16: 80.0,
            l22: 20.0,
        };
        assert_eq!(r.hot(), Some(HotTest::Extreme));
        let cloud = Radiance { l07: 300.0, ..r };
        assert_eq!(cloud.hot(), None);
    }
}
