//! Each water pixel's bank position: the number of its nearest bank pixel, whose ring,
//! chainage and position are kept once.

use rustc_hash::FxHashMap as HashMap;

use super::distance::{NO_SITE, RowCells, distance_of_squared, nearest_site_map};
use super::edge::MAX_BANK_DISTANCE_M;
use super::rings::BankRings;
use crate::detect::frame::Window;
use crate::detect::tiles::Tile;

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
        let bands = yitu_core::parallel::in_parts(rows.collect(), yitu_core::parallel::cores());
        let parts = yitu_core::parallel::on_each(bands, |rows| {
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
        yitu_core::parallel::cores(),
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

/// A raster as the windows its plume statistics are gathered from, each with its water's
/// bank positions.
pub trait BankWindows {
    /// Why a window could not be had (reading it from a file).
    type Error;
    fn banks(&self, f: &mut dyn FnMut(&Window<'_>, &Bank)) -> Result<(), Self::Error>;
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
