//! The water's reference temperature per 30 m of bank: open water's median and spread,
//! gathered window by window, smoothed along the bank.

use super::PlumeParams;
use crate::detect::frame::Window;
use crate::detect::water::{BIN_M, Bank, BankWindows, BinKey, PerBin};
use yitu_core::stats::median_sigma;

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
    pub(super) fn per_bank_pixel(&self, bank: &Bank) -> Vec<Option<(f32, f32)>> {
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
    let parts = yitu_core::parallel::on_each(
        yitu_core::parallel::in_parts(
            (tile.core_y.0..tile.core_y.1).collect(),
            yitu_core::parallel::cores(),
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
                let t = yitu_core::stats::median(&mut ts).unwrap_or(f32::NAN);
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
        crate::detect::water::join_bins(&mut hw, half_width(w, bank), |a, b| *a = a.max(b));
    })?;
    let mut rf: Option<Reference> = None;
    for _ in 0..REFERENCE_PASSES {
        let mut samples = PerBin::default();
        windows.banks(&mut |w, bank| {
            let found = reference_samples(w, bank, &hw, params, rf.as_ref());
            crate::detect::water::join_bins(&mut samples, found, Vec::extend);
        })?;
        rf = Some(Reference::of(samples, params));
    }
    Ok(rf.expect("the reference takes at least one pass"))
}
