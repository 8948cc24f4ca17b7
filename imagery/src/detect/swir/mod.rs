//! Capability C2 (`docs/remote-sensing.md` §2.2, §5.3): hot targets in the short-wave infrared
//! (flares, furnaces, molten metal, burning) by the Normalized Hotspot Indices of Marchese et al.
//! (2019) on top-of-atmosphere **radiance**, from Sentinel-2 L1C (B05, B8A, B11, B12) or Landsat
//! 8/9 OLI (B4, B5, B6, B7).
//!
//! Radiance, not reflectance: the solar irradiance differs tenfold between the bands, so the
//! indices' zero crossings move (on reflectance a roof with B12/B11 = 1.2 would already be "hot";
//! on radiance it takes 2.9). Warm roofs never trigger it: emission at 1.6–2.2 µm needs ≳ 600 K.

pub mod measures;
mod product;

pub use measures::{HotTest, Sensor, SwirMeasures};
pub use product::{Product, SwirScene};

use geo::{Contains as _, Point};

use super::matching::{outline, touches_grid_edge};
use super::model::Heat;
use super::regions::{At, Level, hysteresis};
use super::{Capability, Detection, Registry, Status};

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
