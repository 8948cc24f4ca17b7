//! Capability B: bank-side discharge plumes (hidden-pipe suspects) and submerged outfall boils.
//! Reference: `docs/remote-sensing.md` §5.2.

mod reference;
mod shape;

pub use reference::{Reference, half_width, reference_of, reference_samples};

use rustc_hash::FxHashMap as HashMap;

use super::regions::{At, Level, Region, hysteresis};
use super::water::{Bank, BankPosition};
use super::{Daylight, Pixels};
use shape::{Class, Shape, VESSEL_DELTA_K, along_bank_cv, core_parts, vessels};

pub use shape::VESSEL_MAX_LENGTH_M;

/// A bank-contact region reaching no farther than this from the bank is the bank's own mixed
/// pixels (land blended into the first metre of water where the edge is off), not a plume,
/// metres. On the independent generator's night scenes such regions reached 0.5–1.6 m, plumes
/// 5–12 m.
const BANK_ARTEFACT_M: f32 = 1.5;

/// The outlet is the first metre from a plume's upstream end whose strength at the bank reaches
/// this fraction of the strongest metre's. Plumes rise to their peak over their own width
/// upstream of the outlet and, spreading, may stay as strong a little way downstream; on both
/// generators' tuning scenes 0.5 put outlets upstream and 0.9 downstream of the truth.
const OUTLET_OF_PEAK: f32 = 0.7;

/// Shortest ribbon, metres: a stretch of bank longer than two bins of the edge's refinement
/// (30 m each, smoothed over three) where the edge is off, or shade. On both generators' tuning
/// scenes such ribbons ran 180–500 m, while weak plumes that spread along the bank as flat as
/// a ribbon ran 7–30 m.
const RIBBON_MIN_M: f32 = 60.0;

/// How far into the water land may still show where the prior's edge is off locally, metres:
/// a prior digitised every 5 m with up to ±1 m error, which the refinement per 30 m does not
/// follow, plus a mixed strip up to 3 pixels wide. Between [`BANK_ARTEFACT_M`] and this, a
/// region is taken for land only where its bank pixels continue the land behind them
/// ([`continues_land`]).
const MIXED_REACH_M: f32 = 2.0;

/// Whether water pixels at the bank (`bank_side`) look like the land beside them: the land
/// within three pixels differs from the water's reference `background_c` the same way and at
/// least nearly as much. A blend of land and water lies between the two; a discharge has a
/// temperature of its own, with a step to the land.
fn continues_land(image: &Pixels<'_>, bank: &Bank, bank_side: &[usize], background_c: f32) -> bool {
    let (w, h) = (image.width as i64, image.height as i64);
    let (mut water, mut land) = ((0.0_f64, 0_u32), (0.0_f64, 0_u32));
    let mut seen = rustc_hash::FxHashSet::default();
    for &i in bank_side {
        water = (water.0 + f64::from(image.celsius[i]), water.1 + 1);
        let (x, y) = ((i as i64) % w, (i as i64) / w);
        for dy in -3..=3 {
            for dx in -3..=3 {
                let (nx, ny) = (x + dx, y + dy);
                if nx < 0 || ny < 0 || nx >= w || ny >= h {
                    continue;
                }
                let j = (ny * w + nx) as usize;
                let t = image.celsius[j];
                if bank.get(j).is_none() && t.is_finite() && seen.insert(j) {
                    land = (land.0 + f64::from(t), land.1 + 1);
                }
            }
        }
    }
    if water.1 == 0 || land.1 == 0 {
        return false;
    }
    let water_d = water.0 / f64::from(water.1) - f64::from(background_c);
    let land_d = land.0 / f64::from(land.1) - f64::from(background_c);
    water_d * land_d > 0.0 && land_d.abs() >= 0.7 * water_d.abs()
}

/// The outlet lies at most this far along the bank from where a plume first carries beyond the
/// bank's mixed pixels, metres: a plume rises to its peak over its own width (1–2 m) upstream
/// of the outlet, and a weak one needs a metre or two downstream to reach past them.
const OUTLET_BEYOND_M: f32 = 3.0;

/// Thresholds of the plume detector (defaults from §5.2).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PlumeParams {
    pub sigma_min_k: f32,
    pub seed_z: f32,
    pub seed_delta_k: f32,
    pub grow_z: f32,
    pub grow_delta_k: f32,
    pub min_area_m2: f64,
    pub min_pixels: usize,
    /// Regions reaching this close to the bank are bank plumes.
    pub bank_contact_m: f64,
    /// Reference band of distances from the bank, metres.
    pub reference_from_m: f32,
    pub reference_to_m: f32,
}

impl PlumeParams {
    pub fn for_daylight(daylight: Daylight) -> Self {
        Self {
            // §5.2 floors σ at 0.30 K by day for shade (up to 0.6 K); seeds then needed 1.2 K
            // and plumes of 1–1.2 K, which the issue asks to find, could never start. At 0.25 K
            // a seed needs 1 K, still clear of shade (recall 0.885 -> 0.942 and precision 1.0
            // -> 0.98 on the synthetic day scenes, the independent generator's unchanged).
            sigma_min_k: if daylight == Daylight::Day {
                0.25
            } else {
                0.15
            },
            seed_z: 4.0,
            // Shade on water reaches 0.6 K (§7); a lower floor at night turns it into false
            // alarms (precision 0.95 → 0.76 on the synthetic night scenes at 0.6 K).
            seed_delta_k: 0.8,
            grow_z: 2.5,
            grow_delta_k: 0.4,
            min_area_m2: 1.0,
            min_pixels: 9,
            bank_contact_m: 1.5,
            reference_from_m: 5.0,
            reference_to_m: 30.0,
        }
    }
}

/// What a water region turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlumeKind {
    Bank,
    Submerged,
}

/// A plume with its measurements (before registry matching).
pub struct PlumeCandidate {
    pub kind: PlumeKind,
    pub region: Region,
    /// The outlet pixel: nearest the bank, strongest within 2 m of it.
    pub outlet: usize,
    /// Where the outlet is along the bank.
    pub outlet_bank: BankPosition,
    pub peak_c: f32,
    pub background_c: f32,
    /// Signed peak anomaly (K).
    pub delta_t_k: f32,
    pub z_peak: f32,
    pub area_m2: f64,
    /// Pixel-space vector from the outlet to the |ΔT|-weighted centroid.
    pub axis: (f64, f64),
    pub decay_ok: bool,
}

/// Per-pixel reference temperature and spread of the water (§5.2 step 2): the median and
/// robust spread of open water 5–30 m from the bank, per 30 m of bank, smoothed over three bins
/// and interpolated between bin centres. Water near the bank is compared with it directly, not
/// with a band of its own (as §5.2 suggests): on the synthetic scenes near-bank bands pooled over
/// 150 m took in the plumes themselves and the mixed pixels of an edge a pixel off, and lost half
/// of the 1 K plumes (recall 0.57 with them, 0.76 without). Mixed pixels are handled instead by
/// keeping seeds 2.5 pixels and growth 1.5 pixels off the bank.
/// Plume candidates in the water, against the reference `rf`.
pub fn candidates_with(
    image: &Pixels<'_>,
    bank: &Bank,
    rf: &Reference,
    params: &PlumeParams,
) -> Vec<PlumeCandidate> {
    let (w, h) = (image.width, image.height);
    let gsd = image.gsd_m;
    let references = rf.per_bank_pixel(bank);
    let reference = |i: usize| bank.nearest(i % w, i / w).and_then(|(c, _)| references[c]);
    let delta = |i: usize| reference(i).map_or(f32::NAN, |(t, _)| image.celsius[i] - t);
    // Seeds keep off the outermost water pixels, which may still mix in land when the refined
    // edge is a pixel off, and nothing grows along them (a region would creep along the bank).
    let seed_from_bank_m = (2.5 * gsd) as f32;
    let grow_from_bank_m = (1.5 * gsd) as f32;
    let level = |(x, y): (usize, usize)| {
        let i = y * w + x;
        let Some((c, n_m)) = bank.nearest(x, y) else {
            return Class::default();
        };
        let Some((t, sigma)) = references[c] else {
            return Class::default();
        };
        if !image.celsius[i].is_finite() {
            return Class::default();
        }
        let d = image.celsius[i] - t;
        let z = d / sigma;
        let level = if z.abs() >= params.seed_z
            && d.abs() >= params.seed_delta_k
            && n_m >= seed_from_bank_m
        {
            Level::Seed
        } else if z.abs() >= params.grow_z
            && d.abs() >= params.grow_delta_k
            && n_m >= grow_from_bank_m
        {
            Level::Grow
        } else {
            Level::No
        };
        Class::new(level, d.abs() >= VESSEL_DELTA_K, d > 0.0)
    };
    // Each pixel's class is worked out once, for both passes of hysteresis.
    // Bands of rows side by side.
    let mut classes = vec![Class::default(); w * h];
    let rows_per = h.div_ceil(yitu_core::parallel::cores()).max(1);
    let bands: Vec<_> = classes
        .chunks_mut(rows_per * w.max(1))
        .enumerate()
        .collect();
    yitu_core::parallel::on_each(bands, |(band, classes)| {
        for (r, row) in classes.chunks_mut(w).enumerate() {
            let y = band * rows_per + r;
            for (x, c) in row.iter_mut().enumerate() {
                *c = level((x, y));
            }
        }
    });
    let same_sign = |a: usize, b: usize| classes[a].warm() == classes[b].warm();
    let pixel_area = gsd * gsd;
    let contact_m = params.bank_contact_m.max(3.0 * gsd) as f32;
    // Boats (compact, hot, off the bank) are masked out first, with a margin, so one lying on a
    // plume does not merge with it and take its place.
    let vessel = vessels(
        w,
        h,
        gsd,
        contact_m,
        |i| classes[i].hot(),
        |i| bank.get(i).map(|b| b.n_m),
    );
    let level = |at: At| {
        if vessel.get(at.i) {
            Level::No
        } else {
            classes[at.i].level()
        }
    };
    let candidate = |region: Region| -> Option<PlumeCandidate> {
        let position = |i: usize| bank.get(i).expect("region pixels are water");
        // Each pixel's bank position and ΔT, worked out once: the measures below look at
        // them many times.
        let at: Vec<(BankPosition, f32)> = region
            .pixels
            .iter()
            .map(|&i| (position(i), delta(i)))
            .collect();
        let n_min = at.iter().map(|(b, _)| b.n_m).fold(f32::MAX, f32::min);
        let n_max = at.iter().map(|(b, _)| b.n_m).fold(0.0, f32::max);
        let peak_k = (0..at.len()).max_by(|&a, &b| at[a].1.abs().total_cmp(&at[b].1.abs()))?;
        let peak = region.pixels[peak_k];
        let delta_t_k = at[peak_k].1;
        let (background_c, sigma) = reference(peak)?;
        let area_m2 = region.pixels.len() as f64 * pixel_area;
        // The outlet (§5.2 step 5): a plume is strongest at its outlet and fades downstream,
        // and upstream only over its own width. So the region's bank-contact end whose last
        // metres are stronger is its upstream end; from there, the first metre of chainage
        // whose pixels at the bank reach [`OUTLET_OF_PEAK`] of its strongest is the outlet, and
        // the outlet pixel is that metre's nearest the bank.
        // Only the bank beside the part that carries into the river counts: a strip of mixed
        // pixels joined to a plume along the bank (cold land at night bleeding into the first
        // metre of water) would otherwise take the outlet metres upstream.
        let s_of = |k: usize| at[k].0.s_m;
        // The chainage the pixels `ks` span (empty: lowest above highest).
        let span = |ks: &mut dyn Iterator<Item = usize>| {
            ks.fold((f32::MAX, f32::MIN), |(lo, hi), k| {
                (lo.min(s_of(k)), hi.max(s_of(k)))
            })
        };
        let artefact_m = BANK_ARTEFACT_M.max(contact_m);
        let (carries_lo, carries_hi) =
            span(&mut (0..at.len()).filter(|&k| at[k].0.n_m >= artefact_m));
        let beside = |s: f32| {
            carries_lo > carries_hi
                || (carries_lo - OUTLET_BEYOND_M..=carries_hi + OUTLET_BEYOND_M).contains(&s)
        };
        let contact: Vec<usize> = (0..at.len())
            .filter(|&k| at[k].0.n_m <= n_min + 0.5 && beside(s_of(k)))
            .collect();
        let (s_lo, s_hi) = span(&mut contact.iter().copied());
        let end_m = ((s_hi - s_lo) * 0.2).max(1.0);
        let strength = |from: f32, to: f32| {
            let (sum, n) = at
                .iter()
                .filter(|(b, _)| (from..=to).contains(&b.s_m))
                .fold((0.0, 0_u32), |(sum, n), (_, d)| (sum + d.abs(), n + 1));
            sum / n.max(1) as f32
        };
        let from_lo = strength(s_lo, s_lo + end_m) >= strength(s_hi - end_m, s_hi);
        let metre = |k: usize| s_of(k).floor() as i64;
        // Strength at the bank is measured just clear of its mixed pixels (which land, cold at
        // night and warm by day, pulls towards its own temperature all along the bank).
        let clear_of_mixing =
            (n_min + 2.5 * gsd as f32)..=(n_min + 1.0).max(n_min + 5.0 * gsd as f32);
        let mut at_bank: HashMap<i64, (f32, u32)> = HashMap::default();
        for k in (0..at.len()).filter(|&k| clear_of_mixing.contains(&at[k].0.n_m)) {
            let e = at_bank.entry(metre(k)).or_insert((0.0, 0));
            *e = (e.0 + at[k].1.abs(), e.1 + 1);
        }
        let bank_strength = |m: i64| at_bank.get(&m).map_or(0.0, |(sum, n)| sum / *n as f32);
        let mut metres = s_lo.floor() as i64..=s_hi.floor() as i64;
        let strongest = metres.clone().map(bank_strength).fold(0.0, f32::max);
        let strong = |&m: &i64| bank_strength(m) >= OUTLET_OF_PEAK * strongest;
        let outlet_metre = if from_lo {
            metres.find(strong)
        } else {
            metres.rev().find(strong)
        }?;
        let outlet_k = contact
            .iter()
            .copied()
            .filter(|&k| metre(k) == outlet_metre)
            .min_by(|&a, &b| at[a].0.n_m.total_cmp(&at[b].0.n_m).then(a.cmp(&b)))?;
        let outlet = region.pixels[outlet_k];
        let weights: Vec<f64> = at.iter().map(|(_, d)| f64::from(d.abs())).collect();
        let shape = Shape::of(&region, w, &weights, outlet);
        let kind = if n_min <= contact_m {
            // A ribbon along the whole bank with flat ΔT is mixed pixels or shade.
            let (s_min, s_max) = span(&mut (0..at.len()));
            let along = s_max - s_min;
            let into = (n_max - n_min).max(gsd as f32);
            // Plumes fall off from their outlet; ribbons do not.
            let ribbon = along >= RIBBON_MIN_M
                && along >= 5.0 * into
                && !shape.strong_decay
                && along_bank_cv(at.iter().map(|(b, d)| (b.s_m, d.abs()))) < 0.2;
            // Nothing of it lies beyond the bank's mixed pixels: where the edge is off by
            // a metre (a prior digitised every few metres), land blends into the water's
            // first pixels, cold at night and warm by day. A discharge carries into the
            // river.
            let hugs_bank = n_max < artefact_m;
            let blended = n_max < MIXED_REACH_M && {
                let bank_side: Vec<usize> = (0..at.len())
                    .filter(|&k| at[k].0.n_m <= n_min + 1.5 * gsd as f32)
                    .map(|k| region.pixels[k])
                    .collect();
                continues_land(image, bank, &bank_side, background_c)
            };
            if ribbon || hugs_bank || blended {
                return None;
            }
            PlumeKind::Bank
        } else {
            let compact = shape.elongation < 2.0;
            let boat = delta_t_k.abs() >= 5.0 && compact && area_m2 < 60.0;
            let boil = delta_t_k > 0.0
                && n_min <= 30.0
                && compact
                && !boat
                && shape.smooth
                && shape.strong_decay;
            if !boil {
                return None;
            }
            PlumeKind::Submerged
        };
        let outlet = if kind == PlumeKind::Submerged {
            peak
        } else {
            outlet
        };
        Some(PlumeCandidate {
            kind,
            outlet,
            outlet_bank: position(outlet),
            peak_c: image.celsius[peak],
            background_c,
            delta_t_k,
            z_peak: delta_t_k / sigma,
            area_m2,
            axis: shape.axis,
            decay_ok: shape.decay_ok,
            region,
        })
    };
    let is_seed = |i: usize| !vessel.get(i) && classes[i].level() == Level::Seed;
    let parts_of = |r: Region, seed: &dyn Fn(usize) -> bool| {
        core_parts(r, w, |i| delta(i).abs(), params.grow_delta_k, seed)
            .into_iter()
            .filter(|r| {
                r.pixels.len() >= params.min_pixels
                    && r.pixels.len() as f64 * pixel_area >= params.min_area_m2
            })
    };
    let in_strip = |i: usize| bank.get(i).is_none_or(|b| b.n_m < MIXED_REACH_M);
    // A region whose strong parts are all land bleeding along the bank may still hold a weak
    // plume: strips several kelvin strong set its parts' floor above the plume. Without the
    // strips, what is left is split again, once, and only parts seeded beyond them count.
    let plumes_of = |region: Region| -> Vec<PlumeCandidate> {
        let all = region.pixels.clone();
        let mut strips = rustc_hash::FxHashSet::default();
        let mut found = Vec::new();
        for part in parts_of(region, &is_seed) {
            if part.pixels.iter().all(|&i| in_strip(i)) {
                strips.extend(part.pixels.iter().copied());
            }
            found.extend(candidate(part));
        }
        if found.is_empty() && !strips.is_empty() {
            let rest = Region {
                pixels: all.into_iter().filter(|i| !strips.contains(i)).collect(),
            };
            found.extend(parts_of(rest, &|i| is_seed(i) && !in_strip(i)).filter_map(candidate));
        }
        found
    };
    yitu_core::parallel::map_in_parts(hysteresis(w, h, level, same_sign), plumes_of)
        .into_iter()
        .flatten()
        .collect()
}

/// Score of a plume (§5.2 step 8, one view, no weather).
pub fn score(c: &PlumeCandidate) -> f64 {
    let x = 1.0 * f64::from(c.z_peak.abs() - 4.0)
        + 0.6 * c.area_m2.max(0.01).log2()
        + if c.kind == PlumeKind::Bank { 1.0 } else { 0.0 }
        + if c.decay_ok { 0.8 } else { 0.0 };
    yitu_core::stats::logistic(x)
}
