//! What a plume region looks like: pixel classes, boats, the strong core, the shape measures
//! (ribbon, bank-hugging, outlet, direction, decay).

use rustc_hash::FxHashMap as HashMap;

use crate::detect::regions::{At, Level, PixelMask, Region, hysteresis};

/// What plume detection makes of a pixel: its level for hysteresis, whether it is hot enough
/// for a boat, and whether it is warmer than the reference (one byte).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Class(u8);

impl Class {
    const SEED: u8 = 1;
    const GROW: u8 = 2;
    const HOT: u8 = 4;
    const WARM: u8 = 8;

    pub(super) fn new(level: Level, hot: bool, warm: bool) -> Self {
        let level = match level {
            Level::Seed => Self::SEED,
            Level::Grow => Self::GROW,
            Level::No => 0,
        };
        Self(level | if hot { Self::HOT } else { 0 } | if warm { Self::WARM } else { 0 })
    }

    pub(super) fn level(self) -> Level {
        if self.0 & Self::SEED != 0 {
            Level::Seed
        } else if self.0 & Self::GROW != 0 {
            Level::Grow
        } else {
            Level::No
        }
    }

    pub(super) fn hot(self) -> bool {
        self.0 & Self::HOT != 0
    }

    pub(super) fn warm(self) -> bool {
        self.0 & Self::WARM != 0
    }
}

/// |ΔT| of a vessel's hull (§5.2: boats are compact and 5 K or more off the water).
pub(super) const VESSEL_DELTA_K: f32 = 5.0;
/// Largest vessel, m².
const VESSEL_MAX_AREA_M2: f64 = 60.0;
/// Longest vessel, metres: a hot region longer than this is no boat (and a window with this
/// much context beyond what it decides sees every boat near it whole).
pub const VESSEL_MAX_LENGTH_M: f64 = 30.0;

/// Pixels of compact hot objects off the bank (boats), with a two-pixel margin. `hot(i)`: a
/// water pixel 5 K or more off the reference; `bank_m(i)`: a water pixel's distance to the
/// bank.
pub(super) fn vessels(
    w: usize,
    h: usize,
    gsd: f64,
    contact_m: f32,
    hot: impl Fn(usize) -> bool + Sync,
    bank_m: impl Fn(usize) -> Option<f32>,
) -> PixelMask {
    let level = |at: At| if hot(at.i) { Level::Seed } else { Level::No };
    let mut mask = PixelMask::new(w * h);
    for r in hysteresis(w, h, level, |_, _| true) {
        let area = r.pixels.len() as f64 * gsd * gsd;
        let off_bank = r
            .pixels
            .iter()
            .all(|&i| bank_m(i).is_some_and(|n| n > contact_m));
        let (x0, y0, x1, y1) = r.bounds(w);
        let length_m = (x1 - x0).max(y1 - y0) as f64 * gsd;
        if area >= VESSEL_MAX_AREA_M2 || length_m > VESSEL_MAX_LENGTH_M || !off_bank {
            continue;
        }
        for &i in &r.pixels {
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            for dy in -2..=2 {
                for dx in -2..=2 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                        mask.set(ny as usize * w + nx as usize);
                    }
                }
            }
        }
    }
    mask
}

/// A strong plume's region without its faint fringe: only pixels at least a fifth of its peak
/// (and the grow threshold). Without this, a 5 K plume grows along a 0.5 K shade stripe or shade
/// patch at the bank for tens of metres, and its outlet is lost. Each connected part of what is
/// left that holds a seed (`is_seed`) is a region of its own: keeping only the part around the
/// peak lost a 4 K cold plume joined by a faint stripe to colder mixed pixels at the bank.
pub(super) fn core_parts(
    region: Region,
    width: usize,
    strength: impl Fn(usize) -> f32,
    grow: f32,
    is_seed: impl Fn(usize) -> bool,
) -> Vec<Region> {
    let strengths: Vec<f32> = region.pixels.iter().map(|&i| strength(i)).collect();
    let Some(peak) = strengths.iter().copied().max_by(f32::total_cmp) else {
        return vec![region];
    };
    let floor = (0.2 * peak).max(grow);
    let mut strong: rustc_hash::FxHashSet<usize> = region
        .pixels
        .iter()
        .zip(&strengths)
        .filter(|&(_, &s)| s >= floor)
        .map(|(&i, _)| i)
        .collect();
    if strong.len() == region.pixels.len() {
        return if region.pixels.iter().any(|&i| is_seed(i)) {
            vec![region]
        } else {
            Vec::new()
        };
    }
    let mut parts = Vec::new();
    // Region pixels are in raster order, so the parts come in the order of their first pixel.
    for &start in &region.pixels {
        if !strong.remove(&start) {
            continue;
        }
        let mut pixels = vec![start];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            let (x, y) = ((i % width) as i64, (i / width) as i64);
            for (dx, dy) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (nx, ny) = (x + dx, y + dy);
                if nx < 0 || ny < 0 || nx >= width as i64 {
                    continue;
                }
                let j = ny as usize * width + nx as usize;
                if strong.remove(&j) {
                    pixels.push(j);
                    stack.push(j);
                }
            }
        }
        if pixels.iter().any(|&i| is_seed(i)) {
            pixels.sort_unstable();
            parts.push(Region { pixels });
        }
    }
    parts
}

/// Shape measures of a region weighted by |ΔT|.
pub(super) struct Shape {
    pub(super) axis: (f64, f64),
    pub(super) elongation: f64,
    pub(super) decay_ok: bool,
    /// The near third is clearly stronger than the far third.
    pub(super) strong_decay: bool,
    /// Few pixels differ sharply from their neighbours (a boil or plume, not glint speckle).
    pub(super) smooth: bool,
}

impl Shape {
    /// The shape of `region` whose pixels weigh `weights` (in the region's order).
    pub(super) fn of(region: &Region, width: usize, weights: &[f64], outlet: usize) -> Self {
        // Coordinates from the region's first pixel: the measures are the same bit for bit
        // wherever the region lies in the window it was found in.
        let first = region.pixels.first().copied().unwrap_or(0);
        let (x0, y0) = ((first % width) as f64, (first / width) as f64);
        let xy = |i: usize| ((i % width) as f64 - x0, (i / width) as f64 - y0);
        let pixels = || region.pixels.iter().copied().zip(weights.iter().copied());
        let total: f64 = weights.iter().sum::<f64>().max(f64::EPSILON);
        let (cx, cy) = pixels().fold((0.0, 0.0), |(sx, sy), (i, wt)| {
            let (x, y) = xy(i);
            (sx + x * wt, sy + y * wt)
        });
        let (cx, cy) = (cx / total, cy / total);
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for (i, wt) in pixels() {
            let (x, y) = xy(i);
            sxx += wt * (x - cx).powi(2);
            syy += wt * (y - cy).powi(2);
            sxy += wt * (x - cx) * (y - cy);
        }
        let (sxx, syy, sxy) = (sxx / total, syy / total, sxy / total);
        let tr = sxx + syy;
        let disc = ((sxx - syy).powi(2) / 4.0 + sxy * sxy).sqrt();
        let (l1, l2) = (tr / 2.0 + disc, (tr / 2.0 - disc).max(1e-9));
        let elongation = (l1 / l2).sqrt();
        let (ox, oy) = xy(outlet);
        // Decay: |ΔT| falls away from the outlet (near third vs far third).
        let mut by_dist: Vec<(f64, f64)> = pixels()
            .map(|(i, wt)| {
                let (x, y) = xy(i);
                ((x - ox).hypot(y - oy), wt)
            })
            .collect();
        by_dist.sort_by(|a, b| a.0.total_cmp(&b.0));
        let third = (by_dist.len() / 3).max(1);
        let mean = |s: &[(f64, f64)]| s.iter().map(|p| p.1).sum::<f64>() / s.len().max(1) as f64;
        let near = mean(&by_dist[..third]);
        let far = mean(&by_dist[by_dist.len() - third..]);
        let strong_decay = near >= 1.3 * far;
        let decay_ok = strong_decay || slope(&by_dist) < 0.0;
        // Smoothness: mean absolute difference to 4-neighbours inside the region, relative
        // to the peak.
        let inside: rustc_hash::FxHashMap<usize, f64> = pixels().collect();
        let peak = weights
            .iter()
            .copied()
            .fold(0.0, f64::max)
            .max(f64::EPSILON);
        let (mut diff, mut count) = (0.0, 0);
        for (i, wt) in pixels() {
            for j in [i + 1, i + width] {
                if let Some(wj) = inside.get(&j) {
                    diff += (wt - wj).abs();
                    count += 1;
                }
            }
        }
        let smooth = count == 0 || diff / f64::from(count) / peak < 0.15;
        Self {
            axis: (cx - ox, cy - oy),
            elongation,
            decay_ok,
            strong_decay,
            smooth,
        }
    }
}

/// Coefficient of variation of the mean |ΔT| per metre of chainage.
pub(super) fn along_bank_cv(pixels: impl Iterator<Item = (f32, f32)>) -> f32 {
    {
        let mut per_m: HashMap<i64, (f32, u32)> = HashMap::default();
        for (s, value) in pixels {
            let e = per_m.entry(s.floor() as i64).or_insert((0.0, 0));
            e.0 += value;
            e.1 += 1;
        }
        let means: Vec<f32> = per_m.values().map(|(sum, n)| sum / *n as f32).collect();
        let m = means.iter().sum::<f32>() / means.len().max(1) as f32;
        let var = means.iter().map(|v| (v - m).powi(2)).sum::<f32>() / means.len().max(1) as f32;
        var.sqrt() / m.abs().max(f32::EPSILON)
    }
}

/// Least-squares slope of y over x.
pub(super) fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
    let (mut num, mut den) = (0.0, 0.0);
    for p in points {
        num += (p.0 - mx) * (p.1 - my);
        den += (p.0 - mx).powi(2);
    }
    if den > 0.0 { num / den } else { 0.0 }
}
