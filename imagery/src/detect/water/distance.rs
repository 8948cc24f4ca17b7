//! Exact Euclidean distance transforms with the nearest site, bounded by a reach and run
//! band by band or tile by tile.

use crate::detect::tiles::Tile;

/// The distance between two pixels `dx` columns and `dy` rows apart, pixels, as the distance
/// transform works it out: what keeps only a pixel's nearest site (the bank, the edge band)
/// works it out again from the two positions with this, so the two agree exactly.
pub(super) fn pixel_distance(dx: usize, dy: usize) -> f32 {
    distance_of_squared(dx * dx + dy * dy)
}

/// [`pixel_distance`] from the squared distance.
pub(super) fn distance_of_squared(d2: usize) -> f32 {
    (d2 as f64).sqrt() as f32
}

/// No site: an image without any, or a pixel with no nearest site.
pub const NO_SITE: u32 = u32::MAX;

/// `work` on every tile, the results handed to `take` in tile order on one thread at a time.
/// Tiles go in batches of a few per core (tiles cost very different amounts: most miss the
/// river's edge); one batch is taken while the next is worked on, so the results waiting for
/// their turn stay few.
pub(super) fn on_tiles<R: Send>(
    tiles: &[Tile],
    work: impl Fn(&Tile) -> R + Sync,
    mut take: impl FnMut(&Tile, R) + Send,
) {
    let batch = 4 * yitu_core::parallel::cores();
    let work_on = |tiles: &[Tile]| yitu_core::parallel::on_each(tiles.iter().collect(), &work);
    let mut batches = tiles.chunks(batch);
    let mut ready = batches.next().map(|tiles| (tiles, work_on(tiles)));
    while let Some((tiles, results)) = ready.take() {
        let next = batches.next();
        let take = &mut take;
        ready = yitu_core::parallel::both(
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
    yitu_core::parallel::on_each(yitu_core::parallel::in_parts(bands, threads), |part| {
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
        yitu_core::parallel::map_in_parts((0..height).step_by(band_rows).collect(), |y0| {
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
    let tiles = crate::detect::tiles::tiles(width, height, crate::detect::tiles::CORE, margin);
    let within = |tile: &Tile| -> Vec<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole transform as arrays, the reference the bounded and tiled uses are checked against.
    fn nearest_site(is_site: &[bool], width: usize, height: usize) -> Vec<(f32, u32)> {
        nearest_site_with(
            yitu_core::parallel::cores(),
            is_site,
            width,
            height,
            usize::MAX,
        )
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
}
