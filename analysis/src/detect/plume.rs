//! Capability B: bank-side discharge plumes (hidden-pipe suspects) and submerged outfall boils.
//! Reference: `docs/remote-sensing.md` §5.2.

use rustc_hash::FxHashMap as HashMap;

use super::frame::Window;
use super::regions::{At, Level, PixelMask, Region, hysteresis};
use super::water::{BIN_M, Bank, BankPosition, BankWindows, BinKey, PerBin};
use super::{Daylight, Pixels};
use crate::stats::median_sigma;

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
            sigma_min_k: if daylight == Daylight::Day {
                0.30
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
pub struct Reference {
    /// Open water's median and spread per bin, smoothed along the bank.
    bins: Bins<Option<(f32, f32)>>,
    sigma_min_k: f32,
}

impl Reference {
    /// Reference temperature and spread anywhere off the bank point at chainage `s_m` of
    /// `ring` (it depends on where along the bank a pixel lies, not on how far off it): linear
    /// between the centres of the two nearest bins, so there are no steps.
    fn at(&self, ring: u32, s_m: f32) -> Option<(f32, f32)> {
        let u = f64::from(s_m) / BIN_M - 0.5;
        let (b0, f) = (u.floor() as i64, (u - u.floor()) as f32);
        let a = self.bins.get(ring, b0).copied().flatten();
        let c = self.bins.get(ring, b0 + 1).copied().flatten();
        let (t, s) = match (a, c) {
            (Some(a), Some(c)) => (a.0 + (c.0 - a.0) * f, a.1 + (c.1 - a.1) * f),
            (a, c) => a.or(c)?,
        };
        Some((t, s.max(self.sigma_min_k)))
    }

    /// The reference off each of `bank`'s bank pixels (numbered as its points).
    fn per_bank_pixel(&self, bank: &Bank) -> Vec<Option<(f32, f32)>> {
        bank.points()
            .map(|(ring, s_m)| self.at(ring, s_m))
            .collect()
    }
}

/// Values per bank bin (a ring and 30 m of its chainage), dense per ring: a pixel finds its bin
/// by indexing, not hashing, as every water pixel looks one up.
#[derive(Clone)]
struct Bins<T> {
    /// Per ring: the first bin and the values from it on.
    rings: Vec<(i64, Vec<T>)>,
}

impl<T: Clone> Bins<T> {
    /// Bins from the first to the last of `keys` on each ring, each holding `fill`.
    fn spanning(keys: impl Iterator<Item = BinKey>, fill: T) -> Self {
        let mut span: Vec<(i64, i64)> = Vec::new();
        for (ring, bin) in keys {
            let ring = ring as usize;
            if span.len() <= ring {
                span.resize(ring + 1, (i64::MAX, i64::MIN));
            }
            span[ring] = (span[ring].0.min(bin), span[ring].1.max(bin));
        }
        let rings = span
            .into_iter()
            .map(|(first, last)| {
                (
                    first,
                    vec![fill.clone(); (last - first + 1).max(0) as usize],
                )
            })
            .collect();
        Self { rings }
    }

    /// Bins holding the values of `map`, `fill` between them.
    fn dense(map: &PerBin<T>, fill: T) -> Self {
        let mut bins = Self::spanning(map.keys().copied(), fill);
        #[expect(
            clippy::iter_over_hash_type,
            reason = "each value goes to its own slot: the map's order does not matter"
        )]
        for (&(ring, bin), v) in map {
            if let Some(slot) = bins.get_mut(ring, bin) {
                *slot = v.clone();
            }
        }
        bins
    }

    fn get(&self, ring: u32, bin: i64) -> Option<&T> {
        let (first, values) = self.rings.get(ring as usize)?;
        values.get(usize::try_from(bin - first).ok()?)
    }

    fn get_mut(&mut self, ring: u32, bin: i64) -> Option<&mut T> {
        let (first, values) = self.rings.get_mut(ring as usize)?;
        values.get_mut(usize::try_from(bin - *first).ok()?)
    }

    /// Joins `other` (bins spanning the same positions) into these, bin by bin, by `join`.
    fn join(&mut self, other: Self, join: impl Fn(&mut T, T)) {
        for ((_, into), (_, from)) in self.rings.iter_mut().zip(other.rings) {
            for (into, from) in into.iter_mut().zip(from) {
                join(into, from);
            }
        }
    }

    /// The bins as a map, leaving out those `keep` refuses.
    fn into_map(self, keep: impl Fn(&T) -> bool) -> PerBin<T> {
        (0..)
            .zip(self.rings)
            .flat_map(|(ring, (first, values))| {
                (first..).zip(values).map(move |(bin, v)| ((ring, bin), v))
            })
            .filter(|(_, v)| keep(v))
            .collect()
    }
}

/// Bins covering every bank position of the water (found from its bank pixels, not its
/// pixels), each holding `fill`.
fn bank_bins<T: Clone>(bank: &Bank, fill: T) -> Bins<T> {
    Bins::spanning(bank.points().map(|(ring, s_m)| (ring, bin_of(s_m))), fill)
}

fn bin_of(s_m: f32) -> i64 {
    (f64::from(s_m) / BIN_M).floor() as i64
}

/// The channel's half-width per bin (the farthest water from its bank) among the pixels the
/// window decides, metres: a narrow river's reference band must stay inside its channel.
pub fn half_width(window: &Window<'_>, bank: &Bank) -> PerBin<f32> {
    let tile = &window.tile;
    let farthest = bank.farthest(
        tile.core_y.0 - tile.y.0..tile.core_y.1 - tile.y.0,
        tile.core_x.0 - tile.x.0..tile.core_x.1 - tile.x.0,
    );
    let mut hw = bank_bins(bank, 0.0_f32);
    for ((ring, s_m), n_m) in bank.points().zip(farthest) {
        if let Some(v) = hw.get_mut(ring, bin_of(s_m)) {
            *v = v.max(n_m);
        }
    }
    // Every water pixel lies off its bank: a bin none of the window's lies in stays 0.
    hw.into_map(|&v| v > 0.0)
}

/// Open water is sampled on every other row and column of the raster (a quarter of its pixels,
/// chosen by raster position, so windows agree): a 30 m bin keeps thousands of samples, enough
/// for its median and spread, in a quarter of the reads.
const SAMPLE_STRIDE: usize = 2;

/// What reference sampling needs of a bank pixel: its bin, where the sampled band starts off
/// it (metres), and the previous reference there.
#[derive(Clone, Copy)]
struct SampledFrom {
    bin: BinKey,
    from_m: f32,
    previous: Option<(f32, f32)>,
}

/// Samples of open water per bin from the pixels the window decides: water 5–30 m from the
/// bank (narrower in narrow channels, by the raster's `half_width`), leaving out what the
/// `previous` reference finds anomalous. [`Reference::of`] turns the raster's into the
/// reference.
pub fn reference_samples(
    window: &Window<'_>,
    bank: &Bank,
    half_width: &PerBin<f32>,
    params: &PlumeParams,
    previous: Option<&Reference>,
) -> PerBin<Vec<f32>> {
    let image = &window.pixels;
    let half_width = Bins::dense(half_width, 0.0);
    let band_from = |hw: f32| params.reference_from_m.min(0.4 * hw);
    // Per bank pixel: its bin, where the reference band starts off it, and the previous
    // reference there.
    let bank_pixels: Vec<SampledFrom> = bank
        .points()
        .map(|(ring, s_m)| {
            let bin = bin_of(s_m);
            SampledFrom {
                bin: (ring, bin),
                from_m: half_width.get(ring, bin).map_or(0.0, |&hw| band_from(hw)),
                previous: previous.and_then(|rf| rf.at(ring, s_m)),
            }
        })
        .collect();
    let excluded = |t: f32, reference: Option<(f32, f32)>| {
        reference.is_some_and(|(r, s)| ((t - r) / s).abs() >= params.grow_z)
    };
    // Bands of the core's rows gather their bins' samples side by side; a median does not
    // depend on the order of its samples.
    let tile = &window.tile;
    let empty = bank_bins(bank, Vec::<f32>::new());
    let parts = crate::parallel::on_each(
        crate::parallel::in_parts(
            (tile.core_y.0..tile.core_y.1).collect(),
            crate::parallel::cores(),
        ),
        |rows| {
            let mut far = empty.clone();
            let sampled = rows
                .into_iter()
                .filter(|y| y % SAMPLE_STRIDE == 0)
                .flat_map(|y| {
                    let skip = (SAMPLE_STRIDE - tile.core_x.0 % SAMPLE_STRIDE) % SAMPLE_STRIDE;
                    (tile.core_x.0 + skip..tile.core_x.1)
                        .step_by(SAMPLE_STRIDE)
                        .map(move |x| (x - tile.x.0, y - tile.y.0))
                });
            for (x, y) in sampled {
                let i = y * image.width + x;
                let Some((c, n_m)) = bank.nearest(x, y) else {
                    continue;
                };
                let t = image.celsius[i];
                let SampledFrom {
                    bin: (ring, bin),
                    from_m,
                    previous,
                } = bank_pixels[c];
                if !t.is_finite() || excluded(t, previous) {
                    continue;
                }
                if n_m >= from_m
                    && n_m <= params.reference_to_m
                    && let Some(v) = far.get_mut(ring, bin)
                {
                    v.push(t);
                }
            }
            far
        },
    );
    // The parts join bin by bin, each bin's samples freed as they move: never two copies.
    let mut far = empty;
    for part in parts {
        far.join(part, |into, from| {
            if into.is_empty() {
                *into = from;
            } else {
                into.extend(from);
            }
        });
    }
    far.into_map(|v| !v.is_empty())
}

impl Reference {
    /// The reference from the raster's open-water samples: each bin's median and robust
    /// spread, the median smoothed along the bank over the bin and its neighbours.
    pub fn of(samples: PerBin<Vec<f32>>, params: &PlumeParams) -> Self {
        let stats: PerBin<(f32, f32)> = samples
            .into_iter()
            .filter_map(|(bin, v)| Some((bin, median_sigma(&v)?)))
            .collect();
        let smoothed: PerBin<Option<(f32, f32)>> = stats
            .iter()
            .map(|(&(ring, b), &(_, sigma))| {
                let mut ts: Vec<f32> = (b - 1..=b + 1)
                    .filter_map(|k| stats.get(&(ring, k)).map(|s| s.0))
                    .collect();
                let t = crate::stats::median(&mut ts).unwrap_or(f32::NAN);
                ((ring, b), Some((t, sigma)))
            })
            .collect();
        Self {
            bins: Bins::dense(&smoothed, None),
            sigma_min_k: params.sigma_min_k,
        }
    }
}

/// Passes of the reference: each leaves out what the previous one found anomalous. A strong
/// plume filling much of a narrow river's bin pulls the first pass's median towards it.
const REFERENCE_PASSES: usize = 2;

/// The reference water temperature from every window's core: the channel half-widths, then
/// the reference refined over its passes.
pub fn reference_of<W: BankWindows>(
    windows: &W,
    params: &PlumeParams,
) -> Result<Reference, W::Error> {
    let mut hw: PerBin<f32> = PerBin::default();
    windows.banks(&mut |w, bank| {
        super::water::join_bins(&mut hw, half_width(w, bank), |a, b| *a = a.max(b));
    })?;
    let mut rf: Option<Reference> = None;
    for _ in 0..REFERENCE_PASSES {
        let mut samples = PerBin::default();
        windows.banks(&mut |w, bank| {
            let found = reference_samples(w, bank, &hw, params, rf.as_ref());
            super::water::join_bins(&mut samples, found, Vec::extend);
        })?;
        rf = Some(Reference::of(samples, params));
    }
    Ok(rf.expect("the reference takes at least one pass"))
}

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
    let rows_per = h.div_ceil(crate::parallel::cores()).max(1);
    let bands: Vec<_> = classes
        .chunks_mut(rows_per * w.max(1))
        .enumerate()
        .collect();
    crate::parallel::on_each(bands, |(band, classes)| {
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
    let regions: Vec<Region> = hysteresis(w, h, level, same_sign)
        .into_iter()
        .filter(|r| {
            r.pixels.len() >= params.min_pixels
                && r.pixels.len() as f64 * pixel_area >= params.min_area_m2
        })
        .collect();
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
        let contact: Vec<usize> = (0..at.len())
            .filter(|&k| at[k].0.n_m <= n_min + 0.5)
            .collect();
        let s_of = |k: usize| at[k].0.s_m;
        let (s_lo, s_hi) = contact.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &k| {
            (lo.min(s_of(k)), hi.max(s_of(k)))
        });
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
        let strongest = at_bank
            .keys()
            .map(|&m| bank_strength(m))
            .fold(0.0, f32::max);
        let mut metres = s_lo.floor() as i64..=s_hi.floor() as i64;
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
            let (s_min, s_max) = at.iter().fold((f32::MAX, f32::MIN), |(lo, hi), (b, _)| {
                (lo.min(b.s_m), hi.max(b.s_m))
            });
            let along = s_max - s_min;
            let into = (n_max - n_min).max(gsd as f32);
            // Plumes fall off from their outlet; ribbons do not.
            let ribbon = along >= 5.0 * into
                && !shape.strong_decay
                && along_bank_cv(at.iter().map(|(b, d)| (b.s_m, d.abs()))) < 0.2;
            // Nothing of it lies beyond the bank's mixed pixels: where the edge is off by
            // a metre (a prior digitised every few metres), land blends into the water's
            // first pixels, cold at night and warm by day. A discharge carries into the
            // river.
            let hugs_bank = n_max < BANK_ARTEFACT_M.max(contact_m);
            if ribbon || hugs_bank {
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
    crate::parallel::map_in_parts(regions, |r| {
        candidate(keep_core(r, w, |i| delta(i).abs(), params.grow_delta_k))
    })
    .into_iter()
    .flatten()
    .collect()
}

/// What plume detection makes of a pixel: its level for hysteresis, whether it is hot enough
/// for a boat, and whether it is warmer than the reference (one byte).
#[derive(Debug, Clone, Copy, Default)]
struct Class(u8);

impl Class {
    const SEED: u8 = 1;
    const GROW: u8 = 2;
    const HOT: u8 = 4;
    const WARM: u8 = 8;

    fn new(level: Level, hot: bool, warm: bool) -> Self {
        let level = match level {
            Level::Seed => Self::SEED,
            Level::Grow => Self::GROW,
            Level::No => 0,
        };
        Self(level | if hot { Self::HOT } else { 0 } | if warm { Self::WARM } else { 0 })
    }

    fn level(self) -> Level {
        if self.0 & Self::SEED != 0 {
            Level::Seed
        } else if self.0 & Self::GROW != 0 {
            Level::Grow
        } else {
            Level::No
        }
    }

    fn hot(self) -> bool {
        self.0 & Self::HOT != 0
    }

    fn warm(self) -> bool {
        self.0 & Self::WARM != 0
    }
}

/// |ΔT| of a vessel's hull (§5.2: boats are compact and 5 K or more off the water).
const VESSEL_DELTA_K: f32 = 5.0;
/// Largest vessel, m².
const VESSEL_MAX_AREA_M2: f64 = 60.0;
/// Longest vessel, metres: a hot region longer than this is no boat (and a window with this
/// much context beyond what it decides sees every boat near it whole).
pub const VESSEL_MAX_LENGTH_M: f64 = 30.0;

/// Pixels of compact hot objects off the bank (boats), with a two-pixel margin. `hot(i)`: a
/// water pixel 5 K or more off the reference; `bank_m(i)`: a water pixel's distance to the
/// bank.
fn vessels(
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
/// (and the grow threshold), connected to the peak. Without this, a 5 K plume grows along a
/// 0.5 K shade stripe or shade patch at the bank for tens of metres, and its outlet is lost.
fn keep_core(region: Region, width: usize, strength: impl Fn(usize) -> f32, grow: f32) -> Region {
    let strengths: Vec<f32> = region.pixels.iter().map(|&i| strength(i)).collect();
    let Some(peak) = (0..strengths.len()).max_by(|&a, &b| strengths[a].total_cmp(&strengths[b]))
    else {
        return region;
    };
    let floor = (0.2 * strengths[peak]).max(grow);
    let peak = region.pixels[peak];
    let strong: rustc_hash::FxHashSet<usize> = region
        .pixels
        .iter()
        .zip(&strengths)
        .filter(|&(_, &s)| s >= floor)
        .map(|(&i, _)| i)
        .collect();
    if strong.len() == region.pixels.len() {
        return region;
    }
    let mut seen = std::iter::once(peak).collect::<rustc_hash::FxHashSet<usize>>();
    let mut stack = vec![peak];
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
            if strong.contains(&j) && seen.insert(j) {
                stack.push(j);
            }
        }
    }
    let mut pixels: Vec<usize> = seen.into_iter().collect();
    pixels.sort_unstable();
    Region { pixels }
}

/// Shape measures of a region weighted by |ΔT|.
struct Shape {
    axis: (f64, f64),
    elongation: f64,
    decay_ok: bool,
    /// The near third is clearly stronger than the far third.
    strong_decay: bool,
    /// Few pixels differ sharply from their neighbours (a boil or plume, not glint speckle).
    smooth: bool,
}

impl Shape {
    /// The shape of `region` whose pixels weigh `weights` (in the region's order).
    fn of(region: &Region, width: usize, weights: &[f64], outlet: usize) -> Self {
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
fn along_bank_cv(pixels: impl Iterator<Item = (f32, f32)>) -> f32 {
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
fn slope(points: &[(f64, f64)]) -> f64 {
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

/// Score of a plume (§5.2 step 8, one view, no weather).
pub fn score(c: &PlumeCandidate) -> f64 {
    let x = 1.0 * f64::from(c.z_peak.abs() - 4.0)
        + 0.6 * c.area_m2.max(0.01).log2()
        + if c.kind == PlumeKind::Bank { 1.0 } else { 0.0 }
        + if c.decay_ok { 0.8 } else { 0.0 };
    crate::stats::logistic(x)
}
