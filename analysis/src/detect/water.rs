//! The water mask and bank coordinates for plume detection (§3.4, §5.2 step 1).
//!
//! The river polygons are a prior that may be off by a metre or two, and bank pixels mix land and
//! water. The mask is refined per 30 m of bank by moving the prior's edge (±3 m) to the strongest
//! temperature step, then eroded by one pixel. Each water pixel gets its distance to the bank `n`
//! and the chainage `s` of its nearest bank point along the prior's ring, so a plume's outlet and
//! an outfall compare along the same bank, never across the river.

use rustc_hash::FxHashMap as HashMap;

use geo::{LineString, Polygon};

use super::frame::{Pixels, Window};
use super::tiles::Tile;

/// Where a water pixel is relative to the bank.
#[derive(Debug, Clone, Copy)]
pub struct BankPosition {
    /// Which ring of which river polygon the nearest bank belongs to.
    pub ring: u32,
    /// Chainage of the nearest bank point along that ring, metres.
    pub s_m: f32,
    /// Distance to the bank, metres.
    pub n_m: f32,
}

/// A pixel's bank position as stored, 4 bytes: the number of its nearest bank pixel (an index
/// into the bank pixels, which neighbours share), [`NOT_PLUME_WATER`] when it is not plume
/// water. Its distance is worked out again from the two positions, exactly as the distance
/// transform worked it out: this is the largest array of a run, and on this machine every
/// fresh page costs as much as the work done on it.
type BankCell = u32;

const NOT_PLUME_WATER: BankCell = u32::MAX;

/// A bank pixel some water pixel is nearest to: its ring and chainage, and where it lies.
#[derive(Clone, Copy)]
struct BankPixel {
    ring: u32,
    s_m: f32,
    x: u32,
    y: u32,
}

/// Bank pixels as they are numbered: their number by pixel index, and the pixels.
type BankPixelTable = (HashMap<u32, u32>, Vec<BankPixel>);

/// The bank position of every pixel of a window, stored for each row only between its first
/// and last water pixel (half of a river scene is land).
pub struct Bank {
    cells: Vec<BankCell>,
    /// Per row: where its cells start in `cells`, and the columns they cover.
    rows: Vec<(usize, std::ops::Range<usize>)>,
    pixels: Vec<BankPixel>,
    width: usize,
    gsd_m: f64,
}

impl Bank {
    /// The bank position of pixel `i`, if it is plume water.
    pub fn get(&self, i: usize) -> Option<BankPosition> {
        self.at(i % self.width, i / self.width)
    }

    /// The bank position of the pixel in column `x` of row `y`, if it is plume water: for
    /// passes over rows, which need no division to find them.
    pub fn at(&self, x: usize, y: usize) -> Option<BankPosition> {
        let (c, n_m) = self.nearest(x, y)?;
        let p = self.pixels[c];
        Some(BankPosition {
            ring: p.ring,
            s_m: p.s_m,
            n_m,
        })
    }

    /// The number (in the order of [`Self::points`]) of the bank pixel nearest to the pixel in
    /// column `x` of row `y`, and its bank distance, metres, if it is plume water: what is
    /// worked out per bank pixel (a reference, a bin) is then looked up, not worked out again
    /// for each of the water pixels nearest to it.
    pub fn nearest(&self, x: usize, y: usize) -> Option<(usize, f32)> {
        let (c, d2) = self.nearest_squared(x, y)?;
        Some((c, self.metres(distance_of_squared(d2))))
    }

    /// [`Self::nearest`] with the squared distance in pixels.
    fn nearest_squared(&self, x: usize, y: usize) -> Option<(usize, usize)> {
        let (start, columns) = &self.rows[y];
        if !columns.contains(&x) {
            return None;
        }
        let c = self.cells[start + x - columns.start];
        if c == NOT_PLUME_WATER {
            return None;
        }
        let p = self.pixels[c as usize];
        let (dx, dy) = (x.abs_diff(p.x as usize), y.abs_diff(p.y as usize));
        Some((c as usize, dx * dx + dy * dy))
    }

    /// A distance in pixels as a bank position's distance, metres.
    fn metres(&self, d: f32) -> f32 {
        (f64::from(d) * self.gsd_m) as f32
    }

    /// Per bank pixel (in the order of [`Self::points`]): the bank distance of the farthest
    /// plume water pixel in `rows` × `columns` that it is the nearest bank pixel of, metres; 0
    /// where it is none's. The farthest is found by squared pixel distances, a pixel at a time,
    /// and only it is turned into metres (which keep their order): bands of rows side by side.
    pub fn farthest(
        &self,
        rows: std::ops::Range<usize>,
        columns: std::ops::Range<usize>,
    ) -> Vec<f32> {
        let bands = crate::parallel::in_parts(rows.collect(), crate::parallel::cores());
        let parts = crate::parallel::on_each(bands, |rows| {
            let mut farthest = vec![0_usize; self.pixels.len()];
            for y in rows {
                let span = &self.rows[y].1;
                for x in span.start.max(columns.start)..span.end.min(columns.end) {
                    if let Some((c, d2)) = self.nearest_squared(x, y) {
                        farthest[c] = farthest[c].max(d2);
                    }
                }
            }
            farthest
        });
        let mut farthest = vec![0_usize; self.pixels.len()];
        for part in parts {
            for (into, from) in farthest.iter_mut().zip(part) {
                *into = (*into).max(from);
            }
        }
        farthest
            .into_iter()
            .map(|d2| self.metres(distance_of_squared(d2)))
            .collect()
    }

    /// The ring and chainage of every bank pixel some water pixel is nearest to.
    pub fn points(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.pixels.iter().map(|p| (p.ring, p.s_m))
    }
}

/// Pixels filled by polygons (even-odd rule over all rings; pixel centres) in the
/// `width × height` window at `origin` of the raster the polygons' pixel coordinates are in:
/// each pixel is filled as the whole raster's would be.
pub fn rasterize_window(
    polygons: &[Polygon<f64>],
    origin: (usize, usize),
    width: usize,
    height: usize,
) -> Vec<bool> {
    let mut mask = vec![false; width * height];
    filled_runs(polygons, origin, width, height, |y, run| {
        mask[y * width + run.start..y * width + run.end].fill(true);
    });
    mask
}

/// What [`rasterize_window`] fills, as runs of columns `run` in row `y` of the window, in
/// order and apart: a count over them needs no mask.
pub fn filled_runs(
    polygons: &[Polygon<f64>],
    origin: (usize, usize),
    width: usize,
    height: usize,
    mut each: impl FnMut(usize, std::ops::Range<usize>),
) {
    let edges: Vec<((f64, f64), (f64, f64))> = polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| {
            ring.lines()
                .map(|l| ((l.start.x, l.start.y), (l.end.x, l.end.y)))
        })
        .collect();
    let mut xs = Vec::new();
    let (x_from, x_to) = (origin.0, origin.0 + width);
    for y in 0..height {
        let cy = (origin.1 + y) as f64 + 0.5;
        xs.clear();
        for &((x0, y0), (x1, y1)) in &edges {
            if (y0 <= cy) != (y1 <= cy) {
                xs.push(x0 + (cy - y0) / (y1 - y0) * (x1 - x0));
            }
        }
        xs.sort_by(f64::total_cmp);
        let mut filled_to = x_from;
        for pair in xs.chunks_exact(2) {
            let from = ((pair[0] - 0.5).ceil().max(0.0) as usize).max(filled_to);
            let to = (((pair[1] - 0.5).floor() + 1.0).max(0.0) as usize).min(x_to);
            if from < to {
                each(y, from - x_from..to - x_from);
                filled_to = to;
            }
        }
    }
}

/// The distance between two pixels `dx` columns and `dy` rows apart, pixels, as the distance
/// transform works it out: what keeps only a pixel's nearest site (the bank, the edge band)
/// works it out again from the two positions with this, so the two agree exactly.
fn pixel_distance(dx: usize, dy: usize) -> f32 {
    distance_of_squared(dx * dx + dy * dy)
}

/// [`pixel_distance`] from the squared distance.
fn distance_of_squared(d2: usize) -> f32 {
    (d2 as f64).sqrt() as f32
}

/// No site: an image without any, or a pixel with no nearest site.
pub const NO_SITE: u32 = u32::MAX;

/// `work` on every tile, the results handed to `take` in tile order on one thread at a time.
/// Tiles go in batches of a few per core (tiles cost very different amounts: most miss the
/// river's edge); one batch is taken while the next is worked on, so the results waiting for
/// their turn stay few.
fn on_tiles<R: Send>(
    tiles: &[super::tiles::Tile],
    work: impl Fn(&super::tiles::Tile) -> R + Sync,
    mut take: impl FnMut(&super::tiles::Tile, R) + Send,
) {
    let batch = 4 * crate::parallel::cores();
    let work_on =
        |tiles: &[super::tiles::Tile]| crate::parallel::on_each(tiles.iter().collect(), &work);
    let mut batches = tiles.chunks(batch);
    let mut ready = batches.next().map(|tiles| (tiles, work_on(tiles)));
    while let Some((tiles, results)) = ready.take() {
        let next = batches.next();
        let take = &mut take;
        ready = crate::parallel::both(
            || next.map(|tiles| (tiles, work_on(tiles))),
            move || {
                for (tile, r) in tiles.iter().zip(results) {
                    take(tile, r);
                }
            },
        )
        .0;
    }
}

/// The distance (pixels) from each pixel to the nearest `site` pixel and that site's index
/// (an exact Euclidean distance transform with the nearest site, Felzenszwalb–Huttenlocher,
/// for sites up to [`MAX_COLUMN_OFFSET`] rows away; `(∞, NO_SITE)` when there is none), each
/// pair turned into what the caller keeps by `map(scratch, (x, y), distance, site)` for the
/// columns of each row it keeps (`rows`, one per image row), so the transform's own arrays
/// never exist at image size. Rows run in bands on `threads` threads (1: on the calling
/// thread, for tiles that run side by side); `scratch` makes each thread's working state (a
/// cache).
///
/// Distances and sites are exact within `reach` pixels of a site (`usize::MAX`: everywhere);
/// beyond it a pixel is only known to be farther, which lets the rows with no site within
/// reach, and the rows of sites only, skip the envelope.
pub fn nearest_site_map<T: Send, S>(
    threads: usize,
    is_site: impl Fn(usize) -> bool + Sync,
    (width, height): (usize, usize),
    reach: usize,
    rows: Vec<RowCells<'_, T>>,
    scratch: impl Fn() -> S + Sync,
    map: impl Fn(&mut S, (usize, usize), f32, u32) -> T + Sync,
) {
    if width == 0 || height == 0 {
        return;
    }
    debug_assert_eq!(rows.len(), height);
    let near_a_site = rows_near_a_site(&is_site, (width, height), reach);
    // Bands of rows each find their columns' nearest site rows (pass 1) and then their rows'
    // envelopes (pass 2), so the column pass's array is a band's, not the image's. On one
    // thread the whole image is one band; on more, each band starts from the last site above
    // it and the first below it, found first.
    let band_rows = if threads <= 1 {
        height.max(1)
    } else {
        TRANSFORM_BAND_ROWS.min(height.div_ceil(threads)).max(1)
    };
    let band_count = height.div_ceil(band_rows);
    let neighbours =
        (band_count > 1).then(|| band_neighbours(&is_site, (width, height), band_rows));
    let mut rows = rows.into_iter();
    let bands: Vec<(usize, Vec<RowCells<'_, T>>)> = (0..band_count)
        .map(|band| (band, rows.by_ref().take(band_rows).collect()))
        .collect();
    crate::parallel::on_each(crate::parallel::in_parts(bands, threads), |part| {
        let mut state = scratch();
        let mut col_site = vec![ColumnSite::NONE; band_rows.min(height) * width];
        let mut envelope = Envelope::new(width, reach);
        for (band, out) in part {
            let y0 = band * band_rows;
            let col_site = &mut col_site[..out.len() * width];
            // Pass 1: per column, the nearest site row, sweeping down then up.
            let mut last: Vec<u32> = neighbours
                .as_ref()
                .map_or_else(|| vec![NO_SITE; width], |(above, _)| above[band].clone());
            for (r, row) in col_site.chunks_mut(width).enumerate() {
                let y = y0 + r;
                if !near_a_site[y] {
                    continue;
                }
                for x in 0..width {
                    if is_site(y * width + x) {
                        last[x] = y as u32;
                    }
                    row[x] = ColumnSite::new(y, last[x]);
                }
            }
            match &neighbours {
                Some((_, below)) => last.copy_from_slice(&below[band]),
                None => last.fill(NO_SITE),
            }
            for (r, row) in col_site.chunks_mut(width).enumerate().rev() {
                let y = y0 + r;
                if !near_a_site[y] {
                    continue;
                }
                for x in 0..width {
                    // The downward sweep marked the sites: no need to ask again.
                    if row[x].offset() == Some(0) {
                        last[x] = y as u32;
                    }
                    let next = last[x];
                    if next != NO_SITE
                        && row[x]
                            .row(y)
                            .is_none_or(|above| (next as usize - y) < y - above)
                    {
                        row[x] = ColumnSite::new(y, next);
                    }
                }
            }
            // Pass 2: per row, the lower envelope of parabolas (x - q)² + g(q)².
            for (r, (out, col_site)) in out.into_iter().zip(col_site.chunks(width)).enumerate() {
                let y = y0 + r;
                let kept = out.from..out.from + out.cells.len();
                if kept.is_empty() {
                    continue;
                }
                let from = out.from;
                let mut emit = |x: usize, d: f32, site: u32| {
                    out.cells[x - from] = map(&mut state, (x, y), d, site);
                };
                if near_a_site[y] && col_site[kept.clone()].iter().all(|c| c.offset() == Some(0)) {
                    // Sites only: each is its own nearest.
                    kept.for_each(|x| emit(x, 0.0, (y * width + x) as u32));
                } else if !near_a_site[y]
                    || !col_site[envelope.seen(&kept)]
                        .iter()
                        .any(|c| c.offset().is_some_and(|o| o <= reach))
                {
                    kept.for_each(|x| emit(x, f32::INFINITY, NO_SITE));
                } else {
                    envelope.row(y, col_site, kept, emit);
                }
            }
        }
    });
}

/// The part of a row the distance transform's caller keeps: columns `from..` as many as
/// `cells` holds.
pub struct RowCells<'a, T> {
    pub from: usize,
    pub cells: &'a mut [T],
}

/// Every whole row of `values`, an image `width` wide.
pub fn whole_rows<T>(values: &mut [T], width: usize) -> Vec<RowCells<'_, T>> {
    values
        .chunks_mut(width.max(1))
        .map(|cells| RowCells { from: 0, cells })
        .collect()
}

/// Rows of a band of the distance transform: its column pass's array stays small (a few MB
/// on the widest rasters) and is written and read again while in the cache.
const TRANSFORM_BAND_ROWS: usize = 64;

/// Per band of `band_rows` rows and per column: the last site row above the band and the
/// first below it ([`NO_SITE`] where there is none). Bands find their own first and last
/// side by side; each band's neighbours then follow in one sweep down and one up.
fn band_neighbours(
    is_site: &(impl Fn(usize) -> bool + Sync),
    (width, height): (usize, usize),
    band_rows: usize,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let ends: Vec<(Vec<u32>, Vec<u32>)> =
        crate::parallel::map_in_parts((0..height).step_by(band_rows).collect(), |y0| {
            let (mut first, mut last) = (vec![NO_SITE; width], vec![NO_SITE; width]);
            for y in y0..(y0 + band_rows).min(height) {
                for x in (0..width).filter(|x| is_site(y * width + x)) {
                    if first[x] == NO_SITE {
                        first[x] = y as u32;
                    }
                    last[x] = y as u32;
                }
            }
            (first, last)
        });
    let mut above = Vec::with_capacity(ends.len());
    let mut seen = vec![NO_SITE; width];
    for (_, last) in &ends {
        above.push(seen.clone());
        for (s, &l) in seen.iter_mut().zip(last) {
            if l != NO_SITE {
                *s = l;
            }
        }
    }
    let mut below = vec![Vec::new(); ends.len()];
    seen.fill(NO_SITE);
    for (band, (first, _)) in ends.iter().enumerate().rev() {
        below[band].clone_from(&seen);
        for (s, &f) in seen.iter_mut().zip(first) {
            if f != NO_SITE {
                *s = f;
            }
        }
    }
    (above, below)
}

/// Whether each row has a site within `reach` rows: the others need no transform. Finding out
/// takes a pass over the image, which pays only when the reach is short beside the height
/// (then every row is taken as near).
fn rows_near_a_site(
    is_site: impl Fn(usize) -> bool,
    (width, height): (usize, usize),
    reach: usize,
) -> Vec<bool> {
    if reach.saturating_mul(4) >= height {
        return vec![true; height];
    }
    let with_site: Vec<usize> = (0..height)
        .filter(|&y| (y * width..(y + 1) * width).any(&is_site))
        .collect();
    let mut near = vec![false; height];
    for y in with_site {
        near[y.saturating_sub(reach)..=(y + reach).min(height - 1)].fill(true);
    }
    near
}

/// Whether each pixel lies within `radius` pixels of a `site` pixel. Exact, tile by tile with
/// a margin of `radius`: a site that near is inside the tile's margin, so memory stays a
/// tile's, not the image's.
pub fn within_distance(is_site: &[bool], width: usize, height: usize, radius: f32) -> Vec<bool> {
    let margin = radius.max(0.0).ceil() as usize + 1;
    let mut near = vec![false; width * height];
    let tiles = super::tiles::tiles(width, height, super::tiles::CORE, margin);
    let within = |tile: &super::tiles::Tile| -> Vec<bool> {
        let local = tile.extract(is_site);
        // All sites or none: nothing to measure (most tiles of a mosaic are all land).
        if local.iter().all(|&s| s == local[0]) {
            return vec![local[0]; local.len()];
        }
        within_radius(&local, tile.width(), tile.height(), radius)
    };
    on_tiles(&tiles, within, |tile, local| {
        for y in tile.core_y.0..tile.core_y.1 {
            near[y * width + tile.core_x.0..y * width + tile.core_x.1]
                .copy_from_slice(&local[tile.core_row(y)]);
        }
    });
    near
}

/// [`within_distance`] on one tile, in linear time for a small radius: each column's vertical
/// distance to its nearest site (capped past the radius), then per row, each pixel with a site
/// that near in its column covers the run of the row within the radius of that site.
fn within_radius(is_site: &[bool], width: usize, height: usize, radius: f32) -> Vec<bool> {
    let cap = if radius >= 0.0 {
        (radius as usize)
            .saturating_add(1)
            .min(usize::from(u16::MAX))
    } else {
        0
    };
    // Half the run a site `v` rows away covers: the largest dx whose distance is within the
    // radius, computed as the distance transform computes it, so the two agree exactly.
    let half: Vec<Option<usize>> = (0..=cap)
        .map(|v| {
            let within = |dx: usize| pixel_distance(dx, v) <= radius;
            within(0).then(|| (0..=cap).take_while(|&dx| within(dx)).last().unwrap_or(0))
        })
        .collect();
    let cap16 = cap as u16;
    let mut vertical = vec![cap16; width * height];
    for y in 0..height {
        for x in 0..width {
            let i = y * width + x;
            vertical[i] = if is_site[i] {
                0
            } else if y > 0 {
                vertical[i - width].saturating_add(1).min(cap16)
            } else {
                cap16
            };
        }
    }
    for y in (0..height.saturating_sub(1)).rev() {
        for x in 0..width {
            let i = y * width + x;
            vertical[i] = vertical[i].min(vertical[i + width].saturating_add(1));
        }
    }
    let mut near = vec![false; width * height];
    let mut runs = vec![0_i32; width + 1];
    for (row, near) in vertical.chunks(width).zip(near.chunks_mut(width)) {
        runs.fill(0);
        for (x, &v) in row.iter().enumerate() {
            if let Some(h) = half[usize::from(v)] {
                runs[x.saturating_sub(h)] += 1;
                runs[(x + h + 1).min(width)] -= 1;
            }
        }
        let mut covered = 0;
        for (n, r) in near.iter_mut().zip(&runs) {
            covered += r;
            *n = covered > 0;
        }
    }
    near
}

/// Sites farther than this many rows up or down a column are not seen by the distance
/// transform (3 km at 0.1 m per pixel): the column pass keeps offsets in 15 bits.
pub const MAX_COLUMN_OFFSET: usize = (u16::MAX as usize >> 1) - 1;

/// The nearest site row of a column, relative to the pixel's row, in 2 bytes (the largest array
/// of the transform): the offset, and whether it lies below.
#[derive(Clone, Copy)]
struct ColumnSite(u16);

impl ColumnSite {
    const NONE: Self = Self(u16::MAX);

    /// The site row `row` (or [`NO_SITE`]) seen from row `y`.
    fn new(y: usize, row: u32) -> Self {
        if row == NO_SITE {
            return Self::NONE;
        }
        let (offset, below) = if row as usize >= y {
            (row as usize - y, 1)
        } else {
            (y - row as usize, 0)
        };
        if offset > MAX_COLUMN_OFFSET {
            Self::NONE
        } else {
            Self((offset as u16) << 1 | below)
        }
    }

    /// Rows between the pixel and the site.
    fn offset(self) -> Option<usize> {
        (self.0 != u16::MAX).then_some(usize::from(self.0 >> 1))
    }

    /// The site row, seen from row `y`.
    fn row(self, y: usize) -> Option<usize> {
        if self.0 == u16::MAX {
            return None;
        }
        let offset = usize::from(self.0 >> 1);
        Some(if self.0 & 1 == 1 {
            y + offset
        } else {
            y - offset
        })
    }
}

/// The distance transform's second pass, row by row: the lower envelope of the parabolas of
/// the columns whose site is within `reach` rows, and its working arrays.
struct Envelope {
    width: usize,
    reach: usize,
    /// The envelope's parabolas: each one's column and g(q)² + q².
    v: Vec<(usize, f64)>,
    /// Where each parabola of the envelope starts.
    z: Vec<f64>,
}

impl Envelope {
    fn new(width: usize, reach: usize) -> Self {
        Self {
            width,
            reach,
            v: vec![(0, 0.0); width],
            z: vec![0.0; width + 1],
        }
    }

    /// The columns whose sites may lie within reach of a pixel in `kept`.
    fn seen(&self, kept: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        kept.start.saturating_sub(self.reach)..kept.end.saturating_add(self.reach).min(self.width)
    }

    /// Row `y`'s nearest sites for the columns `kept`, from only the parabolas of the columns
    /// within reach of them: the others are farther than reach from every kept pixel.
    fn row(
        &mut self,
        y: usize,
        col_site: &[ColumnSite],
        kept: std::ops::Range<usize>,
        mut emit: impl FnMut(usize, f32, u32),
    ) {
        let seen = self.seen(&kept);
        let (width, reach, v, z) = (self.width, self.reach, &mut self.v, &mut self.z);
        let mut k: isize = -1;
        for q in seen {
            let Some(r) = col_site[q].row(y).filter(|r| r.abs_diff(y) <= reach) else {
                continue;
            };
            let fq = (r as f64 - y as f64).powi(2) + (q * q) as f64;
            loop {
                if k < 0 {
                    k = 0;
                    v[0] = (q, fq);
                    z[0] = f64::NEG_INFINITY;
                    z[1] = f64::INFINITY;
                    break;
                }
                let (p, fp) = v[k as usize];
                let s = (fq - fp) / (2.0 * (q as f64 - p as f64));
                if s <= z[k as usize] {
                    k -= 1;
                    continue;
                }
                k += 1;
                v[k as usize] = (q, fq);
                z[k as usize] = s;
                z[k as usize + 1] = f64::INFINITY;
                break;
            }
        }
        if k < 0 {
            for x in kept {
                emit(x, f32::INFINITY, NO_SITE);
            }
            return;
        }
        // Columns farther than `reach` from every parabola's column are beyond reach.
        let near = v[0].0.saturating_sub(reach).max(kept.start)
            ..v[k as usize]
                .0
                .saturating_add(reach)
                .saturating_add(1)
                .min(kept.end);
        for x in (kept.start..near.start.min(kept.end)).chain(near.end.max(kept.start)..kept.end) {
            emit(x, f32::INFINITY, NO_SITE);
        }
        let mut j = 0;
        for x in near {
            while z[j + 1] < x as f64 {
                j += 1;
            }
            let q = v[j].0;
            let r = col_site[q].row(y).unwrap_or(y);
            emit(
                x,
                pixel_distance(x.abs_diff(q), r.abs_diff(y)),
                (r * width + q) as u32,
            );
        }
    }
}

/// The prior's rings as polylines in pixels, with chainage, for projecting bank pixels; a grid
/// of cells lists the segments near each, so a projection looks at a handful of segments.
pub struct BankRings {
    segments: Vec<Segment>,
    grid: HashMap<(i64, i64), Vec<u32>>,
    /// The grid's occupied cells span this box (min x, min y, max x, max y).
    cells: (i64, i64, i64, i64),
}

/// One segment of a ring: (ring, start pixel, end pixel, chainage at its start in metres).
type Segment = (u32, (f64, f64), (f64, f64), f64);

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

/// Side of the segment grid's cells, pixels.
const RING_CELL_PX: f64 = 64.0;

impl BankRings {
    pub fn new(polygons: &[Polygon<f64>], gsd_m: f64) -> Self {
        let mut segments = Vec::new();
        let rings = polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        for (ring, ls) in rings.enumerate() {
            let mut s = 0.0;
            for l in LineString::lines(ls) {
                let (a, b) = ((l.start.x, l.start.y), (l.end.x, l.end.y));
                segments.push((ring as u32, a, b, s));
                s += (b.0 - a.0).hypot(b.1 - a.1) * gsd_m;
            }
        }
        let mut grid: HashMap<(i64, i64), Vec<u32>> = HashMap::default();
        let cell = |v: f64| (v / RING_CELL_PX).floor() as i64;
        for (k, &(_, a, b, _)) in segments.iter().enumerate() {
            for cx in cell(a.0.min(b.0))..=cell(a.0.max(b.0)) {
                for cy in cell(a.1.min(b.1))..=cell(a.1.max(b.1)) {
                    grid.entry((cx, cy)).or_default().push(k as u32);
                }
            }
        }
        let cells = grid.keys().fold(
            (i64::MAX, i64::MAX, i64::MIN, i64::MIN),
            |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        );
        Self {
            segments,
            grid,
            cells,
        }
    }

    /// The ring and chainage (metres) of the ring point nearest pixel `(x, y)`.
    pub fn project(&self, x: f64, y: f64, gsd_m: f64) -> Option<(u32, f64)> {
        self.nearest(x, y, gsd_m).map(|(_, ring, s)| (ring, s))
    }

    /// [`Self::project`] for the centre of pixel `k` of a tile's extent (numbered as the
    /// extent's own row-major pixels): where it is in the raster decides.
    pub fn project_pixel(&self, tile: &Tile, k: usize, gsd_m: f64) -> Option<(u32, f64)> {
        let width = tile.image_size().0;
        let i = tile.to_image(k);
        self.project((i % width) as f64 + 0.5, (i / width) as f64 + 0.5, gsd_m)
    }

    /// Distance (pixels) from pixel `(x, y)` to the nearest ring.
    pub fn distance_px(&self, x: f64, y: f64) -> Option<f64> {
        self.nearest(x, y, 1.0).map(|(d2, _, _)| d2.sqrt())
    }

    /// Squared distance, ring and chainage of the nearest ring point.
    fn nearest(&self, x: f64, y: f64, gsd_m: f64) -> Option<(f64, u32, f64)> {
        let (cx, cy) = (
            (x / RING_CELL_PX).floor() as i64,
            (y / RING_CELL_PX).floor() as i64,
        );
        let mut best: Option<(f64, u32, f64)> = None;
        // Rings of cells outwards until the best distance is inside the searched square.
        let (x0, y0, x1, y1) = self.cells;
        // No occupied cell is nearer than this many rings.
        let first = (x0 - cx).max(cx - x1).max(y0 - cy).max(cy - y1).max(0);
        for r in first.. {
            for gx in (cx - r).max(x0)..=(cx + r).min(x1) {
                for gy in (cy - r).max(y0)..=(cy + r).min(y1) {
                    if (gx - cx).abs() != r && (gy - cy).abs() != r {
                        continue;
                    }
                    for &k in self.grid.get(&(gx, gy)).into_iter().flatten() {
                        let (ring, a, b, s0) = self.segments[k as usize];
                        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                        let len2 = (dx * dx + dy * dy).max(f64::EPSILON);
                        let t = (((x - a.0) * dx + (y - a.1) * dy) / len2).clamp(0.0, 1.0);
                        let d2 = (x - a.0 - t * dx).powi(2) + (y - a.1 - t * dy).powi(2);
                        if best.is_none_or(|(bd, _, _)| d2 < bd) {
                            best = Some((d2, ring, s0 + t * len2.sqrt() * gsd_m));
                        }
                    }
                }
            }
            if let Some((d2, _, _)) = best
                && d2.sqrt() <= r as f64 * RING_CELL_PX
            {
                break;
            }
            // Once the square holds every occupied cell, every segment has been seen.
            if self.grid.is_empty()
                || (cx - r <= x0 && cy - r <= y0 && cx + r >= x1 && cy + r >= y1)
            {
                break;
            }
        }
        best
    }
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
fn edge_pixels(prior: &[bool], tile: &super::tiles::Tile, band_px: f64) -> Vec<(u32, u32, f32)> {
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
        .filter_map(|(bin, mut v)| Some((bin, crate::stats::median(&mut v)?)))
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
            let m = crate::stats::median(&mut v).map_or(0.0, f64::from);
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
        let tiles = super::tiles::tiles(w, h, EDGE_TILE_CORE, edge_reach_px(gsd));
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
            .div_ceil(crate::parallel::cores())
            .max(1);
        let parts = crate::parallel::on_each(self.near_edge.chunks(per_part).collect(), |tiles| {
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
    /// decides; [`open_water`] turns the raster's into temperatures.
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
    /// water-like pixels, all pixels, sum of T ([`edge_shifts`] takes the raster's).
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

/// Each water pixel's bank position in the window of `tile` whose refined water is `mask`,
/// straight from the distance transform's rows: plume water (the mask eroded by one pixel:
/// bank pixels mix land and water) within [`MAX_BANK_DISTANCE_M`] of the bank. Bands of rows
/// project their bank pixels once each and number them in one shared table.
pub fn bank(mask: &[bool], tile: &Tile, rings: &BankRings, gsd: f64) -> Bank {
    let (w, h) = (tile.width(), tile.height());
    let eroded = |(x, y): (usize, usize)| {
        let i = y * w + x;
        mask[i]
            && x > 0
            && y > 0
            && x + 1 < w
            && y + 1 < h
            && mask[i - 1]
            && mask[i + 1]
            && mask[i - w]
            && mask[i + w]
    };
    let reach_px = (MAX_BANK_DISTANCE_M / gsd) as f32;
    let bank_pixels: std::sync::Mutex<BankPixelTable> = std::sync::Mutex::default();
    // Eroded water lies strictly between a row's first and last water pixel.
    let mut start = 0;
    let rows: Vec<(usize, std::ops::Range<usize>)> = mask
        .chunks(w.max(1))
        .map(|row| {
            let columns = match (row.iter().position(|&m| m), row.iter().rposition(|&m| m)) {
                (Some(first), Some(last)) if last > first + 1 => first + 1..last,
                _ => 0..0,
            };
            start += columns.len();
            (start - columns.len(), columns)
        })
        .collect();
    let mut cells = vec![NOT_PLUME_WATER; start];
    let mut rest = cells.as_mut_slice();
    let mut row_cells = Vec::with_capacity(h);
    for (_, columns) in &rows {
        let (kept, after) = std::mem::take(&mut rest).split_at_mut(columns.len());
        row_cells.push(RowCells {
            from: columns.start,
            cells: kept,
        });
        rest = after;
    }
    nearest_site_map(
        crate::parallel::cores(),
        |i| !mask[i],
        (w, h),
        reach_px.ceil() as usize,
        row_cells,
        || {
            (
                HashMap::<u32, Option<u32>>::default(),
                None::<(u32, Option<u32>)>,
                vec![(NO_SITE, None::<u32>); w],
            )
        },
        |(known, last, above), pixel, dist, site| {
            if !eroded(pixel) || site == NO_SITE || dist > reach_px {
                return NOT_PLUME_WATER;
            }
            // Neighbouring water pixels mostly share their nearest bank pixel: the one before
            // in the row (a bank across the rows) or the one above (a bank along them).
            let column = &mut above[pixel.0];
            let number = match *last {
                Some((s, number)) if s == site => number,
                _ if column.0 == site => column.1,
                _ => *known.entry(site).or_insert_with(|| {
                    let (ring, s) = rings.project_pixel(tile, site as usize, gsd)?;
                    let mut table = bank_pixels
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let (numbers, pixels) = &mut *table;
                    Some(*numbers.entry(site).or_insert_with(|| {
                        pixels.push(BankPixel {
                            ring,
                            s_m: s as f32,
                            x: (site as usize % w) as u32,
                            y: (site as usize / w) as u32,
                        });
                        (pixels.len() - 1) as u32
                    }))
                }),
            };
            *last = Some((site, number));
            *column = (site, number);
            number.unwrap_or(NOT_PLUME_WATER)
        },
    );
    Bank {
        cells,
        rows,
        pixels: bank_pixels
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1,
        width: w,
        gsd_m: gsd,
    }
}

/// A raster as the windows its edge statistics are gathered from, each with its prior's edge:
/// the whole raster in memory is one window whose edge is worked out once; a raster cut into
/// windows works each one's out again for each pass, holding one at a time.
pub trait EdgeWindows {
    /// Why a window could not be had (reading it from a file).
    type Error;
    fn edges(&self, f: &mut dyn FnMut(&Window<'_>, &PriorEdge)) -> Result<(), Self::Error>;
}

/// A raster as the windows its plume statistics are gathered from, each with its water's
/// bank positions.
pub trait BankWindows {
    /// Why a window could not be had (reading it from a file).
    type Error;
    fn banks(&self, f: &mut dyn FnMut(&Window<'_>, &Bank)) -> Result<(), Self::Error>;
}

/// The edge shifts per bin, from the open water and the edge histograms of every window's
/// core.
pub fn shifts_of<W: EdgeWindows>(windows: &W, gsd_m: f64) -> Result<PerBin<f64>, W::Error> {
    let mut samples = PerBin::default();
    windows
        .edges(&mut |w, edge| join_bins(&mut samples, edge.open_water_samples(w), Vec::extend))?;
    let open = open_water(samples);
    let mut histograms = PerBin::default();
    windows.edges(&mut |w, edge| join_histograms(&mut histograms, edge.histograms(w, &open)))?;
    Ok(edge_shifts(&histograms, gsd_m))
}

/// A whole raster as its one window, with its prior's edge.
struct WholeEdge<'a> {
    window: Window<'a>,
    edge: PriorEdge,
}

impl<'a> WholeEdge<'a> {
    pub fn new(image: Pixels<'a>, rings: &BankRings, rivers_px: &[Polygon<f64>]) -> Self {
        let window = Window::whole(image);
        Self {
            edge: PriorEdge::new(&window, rings, rivers_px),
            window,
        }
    }

    /// The raster's refined water, the edge moved by `shifts`.
    pub fn wet(self, shifts: &PerBin<f64>) -> Vec<bool> {
        self.edge.refine(shifts)
    }
}

impl EdgeWindows for WholeEdge<'_> {
    type Error = std::convert::Infallible;

    fn edges(&self, f: &mut dyn FnMut(&Window<'_>, &PriorEdge)) -> Result<(), Self::Error> {
        f(&self.window, &self.edge);
        Ok(())
    }
}

/// One window and its water's bank positions (the whole raster in memory).
pub struct WindowBank<'a> {
    pub window: Window<'a>,
    pub bank: &'a Bank,
}

impl BankWindows for WindowBank<'_> {
    type Error = std::convert::Infallible;

    fn banks(&self, f: &mut dyn FnMut(&Window<'_>, &Bank)) -> Result<(), Self::Error> {
        f(&self.window, self.bank);
        Ok(())
    }
}

/// The refined water mask of a whole raster, from river polygons in pixel coordinates
/// (projected along `rings`, which are theirs); [`bank`] gives its bank positions.
pub fn wet(image: &Pixels<'_>, rings: &BankRings, rivers_px: &[Polygon<f64>]) -> Vec<bool> {
    let whole = WholeEdge::new(*image, rings, rivers_px);
    let Ok(shifts) = shifts_of(&whole, image.gsd_m);
    whole.wet(&shifts)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole transform as arrays, the reference the bounded and tiled uses are checked against.
    fn nearest_site(is_site: &[bool], width: usize, height: usize) -> Vec<(f32, u32)> {
        nearest_site_with(crate::parallel::cores(), is_site, width, height, usize::MAX)
    }

    /// [`nearest_site`] in `threads` bands, exact within `reach` pixels of a site.
    fn nearest_site_with(
        threads: usize,
        is_site: &[bool],
        width: usize,
        height: usize,
        reach: usize,
    ) -> Vec<(f32, u32)> {
        let mut out = vec![(f32::INFINITY, NO_SITE); width * height];
        nearest_site_map(
            threads,
            |i| is_site[i],
            (width, height),
            reach,
            whole_rows(&mut out, width),
            || (),
            |(), _, d, s| (d, s),
        );
        out
    }

    #[test]
    fn distances_and_nearest_sites_are_exact() {
        let (w, h) = (7, 5);
        let mut sites = vec![false; w * h];
        sites[2 * w + 1] = true;
        sites[4 * w + 6] = true;
        let (d, s): (Vec<f32>, Vec<u32>) = nearest_site(&sites, w, h).into_iter().unzip();
        assert!(d[2 * w + 1].abs() < 1e-9);
        assert!((d[2 * w + 3] - 2.0).abs() < 1e-6);
        assert_eq!(s[2 * w + 3], (2 * w + 1) as u32);
        // (4, 2) is √8 from (6, 4) and 3 from (1, 2).
        assert!((d[2 * w + 4] - 8.0_f32.sqrt()).abs() < 1e-6);
        assert_eq!(s[2 * w + 4], (4 * w + 6) as u32);
        assert!((d[0] - 5.0_f32.sqrt()).abs() < 1e-6);
        assert_eq!(s[4 * w + 5], (4 * w + 6) as u32);
    }

    #[test]
    fn distances_match_brute_force_across_the_parallel_bands() {
        // Sparse sites, columns without any, and bands without any: the bands of pass 1 must
        // hand the nearest site over to each other.
        let (w, h) = (23, 41);
        let mut state = 12345_u64;
        let sites: Vec<bool> = (0..w * h)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (i / w < 5 || i / w > 30) && (state >> 33).is_multiple_of(17) && i % w != 4
            })
            .collect();
        let (d, s): (Vec<f32>, Vec<u32>) = nearest_site(&sites, w, h).into_iter().unzip();
        for i in 0..w * h {
            let (x, y) = ((i % w) as f64, (i / w) as f64);
            let best = (0..w * h)
                .filter(|&j| sites[j])
                .map(|j| ((j % w) as f64 - x).hypot((j / w) as f64 - y))
                .fold(f64::INFINITY, f64::min);
            assert!((f64::from(d[i]) - best).abs() < 1e-4, "pixel {i}");
            let j = s[i] as usize;
            assert!(sites[j]);
            assert!(((j % w) as f64 - x).hypot((j / w) as f64 - y) - best < 1e-9);
        }
    }

    #[test]
    fn a_bounded_transform_is_exact_within_its_reach() {
        // Scattered sites, a blob, rows of sites only and rows far from any site.
        let (w, h) = (120, 300);
        let sites: Vec<bool> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as i64, (i / w) as i64);
                (y < 100 && i % 211 == 0)
                    || (x - 60).pow(2) + (y - 150).pow(2) < 300
                    || (180..190).contains(&y)
            })
            .collect();
        let full = nearest_site(&sites, w, h);
        for reach in [0, 3, 17, 40] {
            let bounded = nearest_site_with(1, &sites, w, h, reach);
            for i in 0..w * h {
                if full[i].0 <= reach as f32 {
                    assert_eq!(bounded[i], full[i], "pixel {i}, reach {reach}");
                } else {
                    assert!(bounded[i].0 > reach as f32, "pixel {i}, reach {reach}");
                }
            }
        }
    }

    #[test]
    fn tiles_give_the_whole_images_threshold() {
        // Tiles with scattered sites, a single site, nothing but sites, and none near.
        let (w, h) = (30, 4300);
        let sites: Vec<bool> = (0..w * h)
            .map(|i| {
                (i < 900 * w && i % 997 == 0)
                    || i == 1500 * w + 7
                    || (2000 * w..3200 * w).contains(&i)
            })
            .collect();
        let d: Vec<f32> = nearest_site(&sites, w, h).iter().map(|n| n.0).collect();
        for r in [0.5_f32, 3.0, 30.0] {
            let near = within_distance(&sites, w, h, r);
            assert!((0..w * h).all(|i| near[i] == (d[i] <= r)), "radius {r}");
        }
        // Wide rows, scattered sites and a blob: runs that overlap, radii on and off the
        // integer distances.
        let (w, h) = (300, 200);
        let sites: Vec<bool> = (0..w * h)
            .map(|i| {
                i % 1013 == 0 || ((i % w) as i64 - 150).pow(2) + ((i / w) as i64 - 90).pow(2) < 400
            })
            .collect();
        let d: Vec<f32> = nearest_site(&sites, w, h).iter().map(|n| n.0).collect();
        for r in [0.0_f32, 1.0, 1.5, 2.0_f32.sqrt(), 5.0, 7.3, 25.0] {
            let near = within_distance(&sites, w, h, r);
            assert!((0..w * h).all(|i| near[i] == (d[i] <= r)), "radius {r}");
        }
    }

    #[test]
    fn polygons_fill_their_pixels() {
        let p = Polygon::new(
            LineString::from(vec![
                (1.0, 1.0),
                (4.0, 1.0),
                (4.0, 3.0),
                (1.0, 3.0),
                (1.0, 1.0),
            ]),
            Vec::new(),
        );
        let m = rasterize_window(&[p], (0, 0), 6, 5);
        let filled: Vec<usize> = (0..30).filter(|&i| m[i]).collect();
        assert_eq!(filled, vec![7, 8, 9, 13, 14, 15]);
    }
}
