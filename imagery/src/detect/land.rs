//! Capability A: hot spots on land (a factory running during a production stop, burning).
//! Reference: `docs/remote-sensing.md` §5.1.

use super::background::{Annulus, contextual};
use super::frame::Window;
use super::regions::{At, Level, Region, grow, seeds_by_rows, seeds_in};
use super::{Daylight, Pixels};

/// Thresholds of the land detector (defaults from §5.1).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct LandParams {
    pub annulus: Annulus,
    /// Floor of the background spread, so NETD and uniform roofs do not make z explode.
    pub sigma_min_k: f32,
    pub seed_z: f32,
    pub grow_z: f32,
    /// Minimum ΔT of a seed; grow pixels need `grow_fraction` of it.
    pub delta_t_min_k: f32,
    pub grow_fraction: f32,
    /// At or above this temperature a pixel is always a seed (`high_temperature`).
    pub absolute_c: f32,
    pub min_pixels: usize,
    pub min_area_m2: f64,
}

impl LandParams {
    pub fn for_daylight(daylight: Daylight) -> Self {
        let day = daylight == Daylight::Day;
        Self {
            annulus: Annulus {
                guard_m: 2.0,
                outer_m: 15.0,
                max_outer_m: 45.0,
            },
            sigma_min_k: 0.5,
            // §5.1 says 5; on the synthetic scenes' rough terrain (fBm σ 2–4 K) a 15 K source
            // reaches only z 4–5, and with the ΔT term in the score z 4 keeps precision.
            seed_z: 4.0,
            grow_z: 3.0,
            delta_t_min_k: if day { 8.0 } else { 4.0 },
            grow_fraction: 0.5,
            absolute_c: if day { 80.0 } else { 60.0 },
            min_pixels: 4,
            min_area_m2: 0.25,
        }
    }
}

impl LandParams {
    /// Satellite hot pixels (§5.3 C1): hot if ≥ median(ring 1–3 km) + max(4σ, 5 K); clusters
    /// of at least 2 pixels; no growing.
    pub fn satellite() -> Self {
        Self {
            annulus: Annulus {
                guard_m: 1_000.0,
                outer_m: 3_000.0,
                max_outer_m: 3_000.0,
            },
            sigma_min_k: 0.5,
            seed_z: 4.0,
            grow_z: 4.0,
            delta_t_min_k: 5.0,
            grow_fraction: 1.0,
            absolute_c: f32::INFINITY,
            min_pixels: 2,
            min_area_m2: 0.0,
        }
    }
}

/// The background lattice's spacing, pixels: about a metre.
fn lattice_step(gsd_m: f64) -> usize {
    ((1.0 / gsd_m).round() as usize).max(4)
}

/// How far the land detector looks from a pixel it decides, pixels: the largest background
/// annulus and a lattice cell.
pub fn reach_px(params: &LandParams, gsd_m: f64) -> usize {
    (params.annulus.max_outer_m / gsd_m).ceil() as usize + 2 * lattice_step(gsd_m) + 1
}

/// A land region with its measurements (before registry matching and scoring).
pub struct LandCandidate {
    pub region: Region,
    pub peak_c: f32,
    pub background_c: f32,
    pub z_peak: f32,
    pub area_m2: f64,
    pub high_temperature: bool,
    /// Large and uniform: a roof or paving warmed by the sun, or by the day's heat or a
    /// heated building at night, rather than an emitter (which peaks).
    pub uniform_surface: bool,
    /// Its surroundings just outside are nearly as warm: the top of a broad warm area (terrain,
    /// a yard), not a compact source.
    pub broad_warm_area: bool,
}

/// The ring just outside a region where a compact source has fallen most of the way to the
/// background: from 1.5 to 2.5 equivalent radii.
const CLOSE_RING: (f64, f64) = (1.5, 2.5);
/// A compact source's peak stands this fraction of its ΔT above the close ring.
const MIN_CLOSE_CONTRAST: f32 = 0.6;

/// The radius of a disc of `pixels` pixels, at least one.
fn equivalent_radius(pixels: usize) -> f64 {
    (pixels as f64 / std::f64::consts::PI).sqrt().max(1.0)
}

/// How far the close ring of a region of `pixels` pixels reaches from its centre, pixels.
pub fn ring_px(pixels: usize) -> usize {
    (CLOSE_RING.1 * equivalent_radius(pixels)).ceil() as usize + 1
}

/// Median temperature in the close ring around a region (usable pixels only). `centre` is
/// from pixel `from`, so the ring is the same wherever the region lies in its window.
fn close_ring_median(
    image: &Pixels<'_>,
    usable: &[bool],
    region: &Region,
    from: (usize, usize),
    centre: (f64, f64),
) -> Option<f32> {
    let w = image.width;
    let r_eq = equivalent_radius(region.pixels.len());
    let (r0, r1) = (CLOSE_RING.0 * r_eq, CLOSE_RING.1 * r_eq);
    let mut ring = Vec::new();
    let steps = ((std::f64::consts::TAU * r1) as usize).clamp(16, 256);
    for k in 0..steps {
        let a = k as f64 / steps as f64 * std::f64::consts::TAU;
        for r in [r0, f64::midpoint(r0, r1), r1] {
            let (x, y) = (
                from.0 as i64 + (centre.0 + r * a.cos()).floor() as i64,
                from.1 as i64 + (centre.1 + r * a.sin()).floor() as i64,
            );
            if x < 0 || y < 0 || x >= w as i64 || y >= image.height as i64 {
                continue;
            }
            let i = y as usize * w + x as usize;
            if usable[i] {
                ring.push(image.celsius[i]);
            }
        }
    }
    yitu_core::stats::median(&mut ring)
}

/// How far rounding may put a weighted mean of lattice values below the lowest of them, K
/// (far more than it can: a few units in the last place of temperatures under 1000 °C).
const ROUNDING_SLACK_K: f32 = 0.01;

/// Hot regions among a window's `usable` pixels.
pub fn candidates(window: &Window<'_>, usable: &[bool], params: &LandParams) -> Vec<LandCandidate> {
    let image = &window.pixels;
    let (w, h) = (image.width, image.height);
    let gsd = image.gsd_m;
    let step = lattice_step(gsd);
    let bg = contextual(window, usable, params.annulus, step);
    let background = |i: usize| bg.at(i % w, i / w);
    let level = |at: At| {
        if !usable[at.i] {
            return Level::No;
        }
        let t = image.celsius[at.i];
        if t >= params.absolute_c {
            return Level::Seed;
        }
        let Some((bg_t, bg_sigma)) = bg.at(at.x, at.y) else {
            return Level::No;
        };
        let d = t - bg_t;
        let z = d / bg_sigma.max(params.sigma_min_k);
        if z >= params.seed_z && d >= params.delta_t_min_k {
            Level::Seed
        } else if z >= params.grow_z && d >= params.grow_fraction * params.delta_t_min_k {
            Level::Grow
        } else {
            Level::No
        }
    };
    // A seed stands at least ΔT_min above its background, which is never below the lowest
    // corner of its lattice cell, or at the absolute temperature: a run of a cell's pixels
    // none of which reaches that is passed over without working out any background.
    let seeds = seeds_by_rows(h, |y, seeds| {
        let row = &image.celsius[y * w..(y + 1) * w];
        for run in bg.column_runs() {
            let lowest = bg.lowest(y, run) + params.delta_t_min_k - ROUNDING_SLACK_K;
            let from = lowest.min(params.absolute_c);
            if row[run.from..run.to].iter().any(|&t| t >= from) {
                seeds_in(y, run.from..run.to, w, level, seeds);
            }
        }
    });
    let pixel_area = gsd * gsd;
    grow(w, h, seeds, level, |_, _| true)
        .into_iter()
        .filter(|r| {
            r.pixels.len() >= params.min_pixels
                && r.pixels.len() as f64 * pixel_area >= params.min_area_m2
        })
        .map(|region| {
            let temps: Vec<f32> = region.pixels.iter().map(|&i| image.celsius[i]).collect();
            let peak = region
                .pixels
                .iter()
                .copied()
                .max_by(|&a, &b| image.celsius[a].total_cmp(&image.celsius[b]))
                .unwrap_or(region.pixels[0]);
            let mut bgs: Vec<f32> = region
                .pixels
                .iter()
                .filter_map(|&i| background(i).map(|(t, _)| t))
                .collect();
            let background_c = yitu_core::stats::median(&mut bgs).unwrap_or(f32::NAN);
            let peak_c = image.celsius[peak];
            let mean_c = temps.iter().sum::<f32>() / temps.len() as f32;
            let sigma = background(peak)
                .map_or(f32::NAN, |(_, s)| s)
                .max(params.sigma_min_k);
            let area_m2 = region.pixels.len() as f64 * pixel_area;
            let std = (temps.iter().map(|t| (t - mean_c).powi(2)).sum::<f32>()
                / temps.len() as f32)
                .sqrt();
            // The centre from the region's first pixel.
            let from = (region.pixels[0] % w, region.pixels[0] / w);
            let centre = {
                let n = region.pixels.len() as f64;
                let (sx, sy) = region.pixels.iter().fold((0.0, 0.0), |(sx, sy), &i| {
                    let (x, y) = (
                        (i % w) as f64 - from.0 as f64,
                        (i / w) as f64 - from.1 as f64,
                    );
                    (sx + x + 0.5, sy + y + 0.5)
                });
                (sx / n, sy / n)
            };
            let broad_warm_area = close_ring_median(image, usable, &region, from, centre)
                .is_some_and(|ring| peak_c - ring < MIN_CLOSE_CONTRAST * (peak_c - background_c));
            LandCandidate {
                peak_c,
                background_c,
                z_peak: (peak_c - background_c) / sigma,
                area_m2,
                high_temperature: peak_c >= params.absolute_c,
                uniform_surface: area_m2 > 20.0
                    && std < 0.1 * (mean_c - background_c).abs().max(1.0),
                broad_warm_area,
                region,
            }
        })
        .collect()
}

/// ΔT at which the score's temperature term is neutral, K.
const SCORE_DELTA_T_K: f64 = 10.0;

/// Score of a land hotspot: §5.1 step 6 (one view), refitted on the synthetic scenes. The area
/// term is capped at 4 m² (beyond that size is no evidence of a source: broad warm ground
/// grows too) and a term for ΔT is added: a source worth an inspector stands well above its
/// surroundings, and terrain peaks of 5–9 K at night otherwise score like 15 K sources.
pub fn score(c: &LandCandidate, flags: usize) -> f64 {
    let x = 1.2 * f64::from(c.z_peak - 5.0)
        + 0.8 * c.area_m2.clamp(0.01, 4.0).log2()
        + 0.5 * (f64::from(c.peak_c - c.background_c) - SCORE_DELTA_T_K)
        + if c.high_temperature { 0.5 } else { 0.0 }
        - 2.0 * flags as f64;
    let s = yitu_core::stats::logistic(x);
    if c.uniform_surface || c.broad_warm_area {
        s * 0.3
    } else {
        s
    }
}
