//! Hysteresis thresholding and 8-connected regions: seeds start a region, weaker pixels of the
//! same kind grow it.

/// A connected set of pixels (indices into the image, row-major).
#[derive(Debug, Clone)]
pub struct Region {
    pub pixels: Vec<usize>,
}

impl Region {
    /// Its first and last column and row in an image `width` wide (inclusive).
    pub fn bounds(&self, width: usize) -> (usize, usize, usize, usize) {
        self.pixels
            .iter()
            .fold((usize::MAX, usize::MAX, 0, 0), |(x0, y0, x1, y1), &i| {
                let (x, y) = (i % width, i / width);
                (x0.min(x), y0.min(y), x1.max(x), y1.max(y))
            })
    }
}

/// What a pixel is for hysteresis: not a candidate, a grow pixel, or a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    No,
    Grow,
    Seed,
}

/// One bit per pixel: an image-wide mask at an eighth of a `Vec<bool>`'s memory.
pub struct PixelMask {
    words: Vec<u64>,
}

impl PixelMask {
    pub fn new(pixels: usize) -> Self {
        Self {
            words: vec![0; pixels.div_ceil(64)],
        }
    }

    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    pub fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }
}

/// A pixel as hysteresis visits it: its index, column and row (no division to find them).
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub i: usize,
    pub x: usize,
    pub y: usize,
}

/// Regions of 8-connected `Grow`/`Seed` pixels that contain at least one seed. `same` decides
/// whether two neighbouring candidate pixels may join (e.g. the same sign of anomaly).
///
/// The seeds are found first, bands of rows in parallel (`level` is asked of every pixel
/// there, and it is the costly part); regions then grow from them (see [`grow`]).
pub fn hysteresis(
    width: usize,
    height: usize,
    level: impl Fn(At) -> Level + Sync,
    same: impl Fn(usize, usize) -> bool,
) -> Vec<Region> {
    let seeds = seeds_by_rows(height, |y, seeds| {
        seeds_in(y, 0..width, width, &level, seeds);
    });
    grow(width, height, seeds, level, same)
}

/// Pushes the seeds among `columns` of row `y` of an image `width` wide onto `seeds`.
pub fn seeds_in(
    y: usize,
    columns: std::ops::Range<usize>,
    width: usize,
    level: impl Fn(At) -> Level,
    seeds: &mut Vec<usize>,
) {
    for x in columns {
        let i = y * width + x;
        if level(At { i, x, y }) == Level::Seed {
            seeds.push(i);
        }
    }
}

/// The regions grown from `seeds` (every seed pixel, in raster order) one by one, asking
/// `level` only of their neighbours. That order makes the regions those a single scan finds.
pub fn grow(
    width: usize,
    height: usize,
    seeds: Vec<usize>,
    level: impl Fn(At) -> Level,
    same: impl Fn(usize, usize) -> bool,
) -> Vec<Region> {
    let mut visited = PixelMask::new(width * height);
    let mut regions = Vec::new();
    let mut stack = Vec::new();
    for start in seeds {
        if visited.get(start) {
            continue;
        }
        visited.set(start);
        stack.push(start);
        let mut pixels = Vec::new();
        while let Some(i) = stack.pop() {
            pixels.push(i);
            let (x, y) = (i % width, i / width);
            for dy in -1_i64..=1 {
                for dx in -1_i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if (dx, dy) == (0, 0)
                        || nx < 0
                        || ny < 0
                        || nx >= width as i64
                        || ny >= height as i64
                    {
                        continue;
                    }
                    let j = ny as usize * width + nx as usize;
                    let at = At {
                        i: j,
                        x: nx as usize,
                        y: ny as usize,
                    };
                    if !visited.get(j) && level(at) != Level::No && same(i, j) {
                        visited.set(j);
                        stack.push(j);
                    }
                }
            }
        }
        pixels.sort_unstable();
        regions.push(Region { pixels });
    }
    regions
}

/// Every seed pixel, in raster order, from `row(y, seeds)`, which pushes row `y`'s; bands of
/// rows run one per core.
pub fn seeds_by_rows(height: usize, row: impl Fn(usize, &mut Vec<usize>) + Sync) -> Vec<usize> {
    let band = height.div_ceil(yitu_core::parallel::cores()).max(1);
    let row = &row;
    yitu_core::parallel::on_each((0..height).step_by(band).collect(), |y0| {
        let mut seeds = Vec::new();
        for y in y0..(y0 + band).min(height) {
            row(y, &mut seeds);
        }
        seeds
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grow_pixels_join_only_regions_with_a_seed() {
        // 0 = no, 1 = grow, 2 = seed
        #[rustfmt::skip]
        let m = [
            1, 1, 0, 0, 1,
            0, 2, 0, 0, 1,
            0, 0, 1, 0, 0,
            0, 0, 0, 0, 0,
        ];
        let level = |at: At| match m[at.i] {
            2 => Level::Seed,
            1 => Level::Grow,
            _ => Level::No,
        };
        let r = hysteresis(5, 4, level, |_, _| true);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].pixels, vec![0, 1, 6, 12], "diagonal neighbours join");
    }
}
