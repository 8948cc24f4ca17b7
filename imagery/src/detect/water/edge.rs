//! The prior's edge refined per 30 m bin: histograms of the temperature either side of it,
//! gathered window by window and joined, and the shift with the strongest step.

use rustc_hash::FxHashMap as HashMap;

use geo::Polygon;

use super::distance::{NO_SITE, RowCells, nearest_site_map, on_tiles, pixel_distance, whole_rows};
use super::rasterize::rasterize_window;
use super::rings::BankRings;
use crate::detect::frame::Window;
use crate::detect::tiles::Tile;

/// Per half-pixel of signed distance from the edge: water-like pixels, all pixels, and the sum
/// of T in units of 2⁻¹⁶ K.
pub type EdgeHistogram = Vec<(u32, u32, i64)>;

/// A bank bin: a ring and 30 m of its chainage.
pub type BinKey = (u32, i64);

/// A pixel near the prior's edge: its bin (an index into the run's bin keys) and its signed
/// distance from the edge (+ in water, pixels). Only these pixels are kept, not an image.
struct NearEdge {
    pixel: u32,
    bin: u32,
    d: f32,
}

/// Bank bins along the chainage, metres.
pub const BIN_M: f64 = 30.0;
/// How far the refined edge may move from the prior, metres.
const MAX_SHIFT_M: f64 = 3.0;
/// Width of the bands either side of a candidate edge whose means are compared, metres.
const EDGE_BAND_M: f64 = 1.5;
/// A pixel within this of the stretch's open water looks like water, K.
const WATER_LIKE_K: f32 = 1.0;
/// Below this (K × difference of water-like fractions) the edge stays where the prior put it:
/// land there is as warm as the water.
const MIN_EDGE_SCORE: f64 = 0.2;

/// Side of the tiles the prior's edge is found in, pixels. The transforms there look only a few
/// metres from the edge, and a tile the edge misses costs a glance, so small tiles keep the
/// work near the edge: most of a big tile the edge crosses lies far from it.
const EDGE_TILE_CORE: usize = 256;

/// Projects sites (pixels of a window's extent) to the rings once each.
struct ChainageCache<'a> {
    rings: &'a BankRings,
    tile: Tile,
    gsd_m: f64,
    cache: HashMap<u32, Option<(u32, f64)>>,
}

impl ChainageCache<'_> {
    fn of(&mut self, site: u32) -> Option<(u32, f64)> {
        let (rings, tile, gsd) = (self.rings, &self.tile, self.gsd_m);
        *self
            .cache
            .entry(site)
            .or_insert_with(|| rings.project_pixel(tile, site as usize, gsd))
    }
}

/// The pixels of a tile's core within `band_px` of the prior's edge: each one's image index, the
/// land-side edge pixel its bin comes from, and its signed distance (+ in water, pixels). The
/// tile's margin must exceed the band: every site that near is then inside it.
fn edge_pixels(prior: &[bool], tile: &Tile, band_px: f64) -> Vec<(u32, u32, f32)> {
    let local = tile.extract(prior);
    // All water or all land: no edge within the band.
    if local.iter().all(|&p| p == local[0]) {
        return Vec::new();
    }
    let (w, h) = (tile.width(), tile.height());
    let reach = band_px.ceil() as usize;
    // A pixel's nearest pixel of the other class always touches its own class (were it
    // inside, its neighbour towards the pixel would be nearer), so only the pixels on the
    // edge are sites: rows and columns far from the edge then have none within reach and
    // cost the transform next to nothing.
    // Row against row, then against its own shift either way: passes the compiler vectorises.
    let mut on_edge = vec![false; w * h];
    for (y, edge) in on_edge.chunks_mut(w).enumerate() {
        let row = &local[y * w..(y + 1) * w];
        let up = if y > 0 {
            &local[(y - 1) * w..y * w]
        } else {
            row
        };
        let down = if y + 1 < h {
            &local[(y + 1) * w..(y + 2) * w]
        } else {
            row
        };
        for (e, ((p, a), b)) in edge.iter_mut().zip(row.iter().zip(up).zip(down)) {
            *e = p != a || p != b;
        }
        for (e, (p, q)) in edge[1..].iter_mut().zip(row[1..].iter().zip(row)) {
            *e |= p != q;
        }
        for (e, (p, q)) in edge.iter_mut().zip(row.iter().zip(&row[1..])) {
            *e |= p != q;
        }
    }
    // Each pixel's nearest site within the band, as its index only (a quarter of the memory
    // of distance and site): the distance is worked out again from the two positions, as the
    // transform works it out.
    let within_band = |(): &mut (), _, d: f32, site: u32| {
        if f64::from(d) <= band_px {
            site
        } else {
            NO_SITE
        }
    };
    let mut to_land = vec![NO_SITE; w * h];
    nearest_site_map(
        1,
        |k| on_edge[k] && !local[k],
        (w, h),
        reach,
        whole_rows(&mut to_land, w),
        || (),
        within_band,
    );
    // Only the core's land pixels ask for their nearest water.
    let mut to_water = vec![NO_SITE; w * h];
    let core_rows = to_water
        .chunks_mut(w)
        .enumerate()
        .map(|(r, row)| {
            let y = tile.y.0 + r;
            let columns = if (tile.core_y.0..tile.core_y.1).contains(&y) {
                tile.core_x.0 - tile.x.0..tile.core_x.1 - tile.x.0
            } else {
                0..0
            };
            RowCells {
                from: columns.start,
                cells: &mut row[columns],
            }
        })
        .collect();
    nearest_site_map(
        1,
        |k| on_edge[k] && local[k],
        (w, h),
        reach,
        core_rows,
        || (),
        within_band,
    );
    let distance = |k: usize, site: u32| {
        let site = site as usize;
        pixel_distance((k % w).abs_diff(site % w), (k / w).abs_diff(site / w))
    };
    let mut found =
        Vec::with_capacity((tile.core_x.1 - tile.core_x.0) * (tile.core_y.1 - tile.core_y.0));
    let image_width = tile.image_size().0;
    let core = (tile.core_y.0..tile.core_y.1)
        .flat_map(|y| (tile.core_x.0..tile.core_x.1).map(move |x| (y, x)));
    for (y, x) in core {
        let (i, k) = (y * image_width + x, (y - tile.y.0) * w + x - tile.x.0);
        let water = local[k];
        let site = if water { to_land[k] } else { to_water[k] };
        if site == NO_SITE {
            continue;
        }
        // The bin comes from the land-side pixel of the edge for both sides (for a land pixel:
        // the land pixel nearest its nearest water pixel), so only edge pixels are projected.
        let edge_site = if water { site } else { to_land[site as usize] };
        if edge_site != NO_SITE {
            let d = distance(k, site);
            found.push((
                i as u32,
                tile.to_image(edge_site as usize) as u32,
                if water { d } else { -d },
            ));
        }
    }
    found
}

/// Water pixels farther than this from every bank have no bank position, metres: the bank
/// distance then has a bounded reach, so a window with that much context around its core gives
/// its core the whole raster's bank positions. Rivers up to 150 m wide are bank water across.
pub const MAX_BANK_DISTANCE_M: f64 = 75.0;

/// How far the water stage looks from a pixel it decides, pixels: the bank distance's reach,
/// plus the band in which the prior's edge is refined, plus the erosion.
pub fn reach_px(gsd_m: f64) -> usize {
    (MAX_BANK_DISTANCE_M / gsd_m).ceil() as usize + edge_reach_px(gsd_m) + 2
}

/// The band around the prior's edge in which the edge may move and is measured, pixels.
fn edge_band_px(gsd_m: f64) -> f64 {
    // Candidates' bands, plus a metre of open water beyond them.
    (MAX_SHIFT_M + EDGE_BAND_M + 1.0) / gsd_m + 1.0
}

/// Context the edge band needs: every site within the band lies inside it, pixels.
pub fn edge_reach_px(gsd_m: f64) -> usize {
    edge_band_px(gsd_m).ceil() as usize + 3
}

/// Per-bin values gathered from windows, joined into the raster's: how many windows a raster
/// is cut into does not change them.
pub type PerBin<T> = HashMap<BinKey, T>;

/// Joins `from` into `into`, bin by bin, with `join` where both have the bin.
/// `join` must not depend on the order values come in (sums of integers, samples for a
/// median), as a map's order is not defined.
#[expect(
    clippy::iter_over_hash_type,
    reason = "each bin joins its own: the map's order does not matter"
)]
pub fn join_bins<T>(into: &mut PerBin<T>, from: PerBin<T>, join: impl Fn(&mut T, T)) {
    for (bin, v) in from {
        match into.entry(bin) {
            std::collections::hash_map::Entry::Occupied(mut e) => join(e.get_mut(), v),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(v);
            }
        }
    }
}

/// Adds one window's edge histograms to the raster's.
pub fn join_histograms(into: &mut PerBin<EdgeHistogram>, from: PerBin<EdgeHistogram>) {
    join_bins(into, from, add_histogram);
}

/// Adds histogram `from` into `into`, step by step.
fn add_histogram(into: &mut EdgeHistogram, from: EdgeHistogram) {
    for (a, b) in into.iter_mut().zip(from) {
        *a = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
    }
}

/// Open water's temperature per bin: the median of the samples gathered beyond the edge band.
pub fn open_water(samples: PerBin<Vec<f32>>) -> PerBin<f32> {
    samples
        .into_iter()
        .filter_map(|(bin, mut v)| Some((bin, yitu_core::stats::median(&mut v)?)))
        .collect()
}

/// How far the edge moves from the prior per bin (pixels, + into the prior's water), from the
/// raster's edge histograms. The prior's error varies slowly along the river, so each bin takes
/// the median of itself and its neighbours: a bin where a plume as cold as the land misleads
/// the fit follows the bins around it.
pub fn edge_shifts(histograms: &PerBin<EdgeHistogram>, gsd_m: f64) -> PerBin<f64> {
    let steps = edge_steps(gsd_m);
    let raw: PerBin<f64> = histograms
        .iter()
        .map(|(&bin, hist)| (bin, best_edge(hist, steps, gsd_m)))
        .collect();
    raw.keys()
        .map(|&(ring, b)| {
            let mut v: Vec<f32> = (b - 1..=b + 1)
                .filter_map(|k| raw.get(&(ring, k)).map(|&d| d as f32))
                .collect();
            let m = yitu_core::stats::median(&mut v).map_or(0.0, f64::from);
            ((ring, b), m)
        })
        .collect()
}

/// Half-pixel steps of signed distance either side of the edge in a histogram.
fn edge_steps(gsd_m: f64) -> i64 {
    (2.0 * edge_band_px(gsd_m)).ceil() as i64
}

/// Sums of temperatures in a histogram are kept in units of 2⁻¹⁶ K, as integers: a sum is then
/// the same whichever order windows add their pixels in.
const SUM_UNIT_PER_K: f64 = 65_536.0;

/// The prior's edge in a window: the rasterized prior and, for each pixel within the band of
/// its edge, its bin and signed distance. Each step of the refinement starts from it.
pub struct PriorEdge {
    prior: Vec<bool>,
    /// Per tile of the window: kept as the tiles give them, never grown and copied.
    near_edge: Vec<Vec<NearEdge>>,
    bin_keys: Vec<BinKey>,
}

impl PriorEdge {
    /// The prior of `rivers_px` (raster pixel coordinates) over `window`, bins along `rings`.
    pub fn new(window: &Window<'_>, rings: &BankRings, rivers_px: &[Polygon<f64>]) -> Self {
        let (w, h) = (window.pixels.width, window.pixels.height);
        let gsd = window.pixels.gsd_m;
        let prior = rasterize_window(rivers_px, window.origin(), w, h);
        let band_px = edge_band_px(gsd);
        let mut chainage = ChainageCache {
            rings,
            tile: window.tile,
            gsd_m: gsd,
            cache: HashMap::default(),
        };
        let mut near_edge: Vec<Vec<NearEdge>> = Vec::new();
        let mut bin_keys: Vec<BinKey> = Vec::new();
        let mut bin_index: HashMap<BinKey, u32> = HashMap::default();
        // The signed distance to the prior's edge (+ in water, − on land, pixels) matters only
        // within the band, so it is computed tile by tile with a margin wider than the band:
        // every site that near lies in the tile's margin. Tiles run one per core.
        let tiles = crate::detect::tiles::tiles(w, h, EDGE_TILE_CORE, edge_reach_px(gsd));
        on_tiles(
            &tiles,
            |tile| edge_pixels(&prior, tile, band_px),
            |_, pixels| {
                let mut tile_edge = Vec::with_capacity(pixels.len());
                // Neighbouring pixels mostly share their edge pixel, hence their bin.
                let mut last: Option<(u32, Option<u32>)> = None;
                for (i, edge_site, d) in pixels {
                    let index = match last {
                        Some((site, index)) if site == edge_site => index,
                        _ => {
                            let index = chainage.of(edge_site).map(|(ring, s)| {
                                let bin = (ring, (s / BIN_M).floor() as i64);
                                *bin_index.entry(bin).or_insert_with(|| {
                                    bin_keys.push(bin);
                                    (bin_keys.len() - 1) as u32
                                })
                            });
                            last = Some((edge_site, index));
                            index
                        }
                    };
                    if let Some(bin) = index {
                        tile_edge.push(NearEdge { pixel: i, bin, d });
                    }
                }
                near_edge.push(tile_edge);
            },
        );
        Self {
            prior,
            near_edge,
            bin_keys,
        }
    }

    /// Per bin (by index), what `add` gathers from each near-edge pixel the window decides
    /// (its bin's index, signed distance and temperature): parts of the tiles side by side, the
    /// parts then joined in tile order by `join`, so the bins are those of one pass.
    fn gather<T: Send>(
        &self,
        window: &Window<'_>,
        add: impl Fn(&mut [Option<T>], usize, f64, f32) + Sync,
        join: impl Fn(&mut T, T),
    ) -> Vec<Option<T>> {
        // A window without margins decides all its pixels.
        let all = window.tile.core_x == window.tile.x && window.tile.core_y == window.tile.y;
        let per_part = self
            .near_edge
            .len()
            .div_ceil(yitu_core::parallel::cores())
            .max(1);
        let parts =
            yitu_core::parallel::on_each(self.near_edge.chunks(per_part).collect(), |tiles| {
                let mut bins: Vec<Option<T>> = (0..self.bin_keys.len()).map(|_| None).collect();
                for e in tiles
                    .iter()
                    .flatten()
                    .filter(|e| all || window.tile.decides(e.pixel as usize))
                {
                    let t = window.pixels.celsius[e.pixel as usize];
                    if t.is_finite() {
                        add(&mut bins, e.bin as usize, f64::from(e.d), t);
                    }
                }
                bins
            });
        let mut parts = parts.into_iter();
        let mut bins = parts.next().unwrap_or_default();
        for part in parts {
            for (into, from) in bins.iter_mut().zip(part) {
                match (into.as_mut(), from) {
                    (Some(into), Some(from)) => join(into, from),
                    (None, from) => *into = from,
                    (Some(_), None) => {}
                }
            }
        }
        bins
    }

    /// Values per bin, indexed as the pixels number their bins, as bins.
    fn by_key<T>(&self, per_index: Vec<Option<T>>) -> PerBin<T> {
        self.bin_keys
            .iter()
            .zip(per_index)
            .filter_map(|(&bin, v)| Some((bin, v?)))
            .collect()
    }

    /// Open-water samples per bin (just beyond the edge candidates) from the pixels the window
    /// decides; `open_water` turns the raster's into temperatures.
    pub fn open_water_samples(&self, window: &Window<'_>) -> PerBin<Vec<f32>> {
        let deep_from = (MAX_SHIFT_M + EDGE_BAND_M) / window.pixels.gsd_m;
        let deep = self.gather(
            window,
            |deep: &mut [Option<Vec<f32>>], bin, d, t| {
                if d >= deep_from {
                    deep[bin].get_or_insert_default().push(t);
                }
            },
            Vec::extend,
        );
        self.by_key(deep)
    }

    /// Per bin and half-pixel of signed distance, from the pixels the window decides:
    /// water-like pixels, all pixels, sum of T (`edge_shifts` takes the raster's).
    pub fn histograms(
        &self,
        window: &Window<'_>,
        open_water: &PerBin<f32>,
    ) -> PerBin<EdgeHistogram> {
        let steps = edge_steps(window.pixels.gsd_m);
        let water: Vec<Option<f32>> = self
            .bin_keys
            .iter()
            .map(|bin| open_water.get(bin).copied())
            .collect();
        let bins = self.gather(
            window,
            |bins: &mut [Option<EdgeHistogram>], bin, d, t| {
                let Some(tw) = water[bin] else {
                    return;
                };
                let hist = bins[bin].get_or_insert_with(|| vec![(0, 0, 0); 2 * steps as usize + 1]);
                let k = ((d * 2.0).round() as i64 + steps).clamp(0, 2 * steps) as usize;
                hist[k].0 += u32::from((t - tw).abs() <= WATER_LIKE_K);
                hist[k].1 += 1;
                hist[k].2 += (f64::from(t) * SUM_UNIT_PER_K).round() as i64;
            },
            add_histogram,
        );
        self.by_key(bins)
    }

    /// The window's refined water mask (bank pixels included), its edge moved by `shifts`.
    pub fn refine(self, shifts: &PerBin<f64>) -> Vec<bool> {
        let mut mask = self.prior;
        let shift: Vec<f64> = self
            .bin_keys
            .iter()
            .map(|bin| shifts.get(bin).copied().unwrap_or(0.0))
            .collect();
        for e in self.near_edge.into_iter().flatten() {
            mask[e.pixel as usize] = f64::from(e.d) > shift[e.bin as usize];
        }
        mask
    }
}

/// The edge offset (pixels, + into the prior's water) with the strongest temperature step
/// between a water-like side and a less water-like side (water-like: within [`WATER_LIKE_K`] of
/// the stretch's open water). The step alone would take a roof's edge beside the bank; the
/// water-likeness alone would take a plume at the bank for land.
fn best_edge(hist: &EdgeHistogram, steps: i64, gsd: f64) -> f64 {
    let k_band = ((EDGE_BAND_M / gsd) * 2.0).round().max(2.0) as i64;
    let max_shift = ((MAX_SHIFT_M / gsd) * 2.0).round() as i64;
    let band = |from: i64, to: i64| {
        let (mut like, mut n, mut sum) = (0_u32, 0_u32, 0_i64);
        for k in from.max(-steps)..to.min(steps + 1) {
            let (l, c, t) = hist[(k + steps) as usize];
            like += l;
            n += c;
            sum += t;
        }
        (n > 0).then(|| {
            let mean = sum as f64 / SUM_UNIT_PER_K / f64::from(n);
            (f64::from(like) / f64::from(n), mean)
        })
    };
    let mut best = (0.0, 0_i64);
    for delta in -max_shift..=max_shift {
        let (Some((water_like, water_t)), Some((land_like, land_t))) = (
            band(delta + 1, delta + 1 + k_band),
            band(delta - k_band + 1, delta + 1),
        ) else {
            continue;
        };
        let score = (water_t - land_t).abs() * (water_like - land_like).max(0.0);
        if score > best.0 {
            best = (score, delta);
        }
    }
    if best.0 < MIN_EDGE_SCORE {
        0.0
    } else {
        best.1 as f64 / 2.0
    }
}
