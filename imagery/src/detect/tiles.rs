//! Square tiles over an image, each with a margin of context on every side: work whose reach
//! is bounded (a distance transform cut off at the margin) runs tile by tile with the
//! whole-image result, in memory for one tile instead of the image.

/// One tile: its core (the pixels it decides) and its extent (core plus margin, clipped to the
/// image), as half-open pixel ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    pub core_x: (usize, usize),
    pub core_y: (usize, usize),
    pub x: (usize, usize),
    pub y: (usize, usize),
    /// The image's width, for converting indexes, and its height.
    image_width: usize,
    image_height: usize,
}

impl Tile {
    /// The tile deciding `core_x × core_y` (half-open) of a `width × height` image, extended by
    /// `margin`.
    pub fn new(
        core_x: (usize, usize),
        core_y: (usize, usize),
        margin: usize,
        width: usize,
        height: usize,
    ) -> Self {
        Self {
            core_x,
            core_y,
            x: (
                core_x.0.saturating_sub(margin),
                (core_x.1 + margin).min(width),
            ),
            y: (
                core_y.0.saturating_sub(margin),
                (core_y.1 + margin).min(height),
            ),
            image_width: width,
            image_height: height,
        }
    }

    /// The whole `width × height` image as one tile, all core.
    pub fn whole(width: usize, height: usize) -> Self {
        Self::new((0, width), (0, height), 0, width, height)
    }

    /// The image's width and height.
    pub fn image_size(&self) -> (usize, usize) {
        (self.image_width, self.image_height)
    }

    /// The local (extent) indexes of the core's pixels in image row `y`.
    pub fn core_row(&self, y: usize) -> std::ops::Range<usize> {
        let from = (y - self.y.0) * self.width() + self.core_x.0 - self.x.0;
        from..from + (self.core_x.1 - self.core_x.0)
    }

    pub fn width(&self) -> usize {
        self.x.1 - self.x.0
    }

    pub fn height(&self) -> usize {
        self.y.1 - self.y.0
    }

    /// The image index of the tile's local (extent) index `k`.
    pub fn to_image(&self, k: usize) -> usize {
        (self.y.0 + k / self.width()) * self.image_width + self.x.0 + k % self.width()
    }

    /// The extent's values of an image-sized array, row-major.
    pub fn extract<T: Copy>(&self, image: &[T]) -> Vec<T> {
        let mut out = Vec::with_capacity(self.width() * self.height());
        for y in self.y.0..self.y.1 {
            out.extend_from_slice(
                &image[y * self.image_width + self.x.0..y * self.image_width + self.x.1],
            );
        }
        out
    }

    /// Whether local (extent) index `k` lies in the core.
    pub fn decides(&self, k: usize) -> bool {
        let (x, y) = (self.x.0 + k % self.width(), self.y.0 + k / self.width());
        (self.core_x.0..self.core_x.1).contains(&x) && (self.core_y.0..self.core_y.1).contains(&y)
    }
}

/// Side of a tile's core, pixels: a megapixel, so a tile's arrays stay in the tens of MB.
pub const CORE: usize = 1024;

/// Tiles of `core`² covering a `width × height` image, each extended by `margin`.
pub fn tiles(width: usize, height: usize, core: usize, margin: usize) -> Vec<Tile> {
    let core = core.max(1);
    let mut out = Vec::new();
    for y0 in (0..height).step_by(core) {
        for x0 in (0..width).step_by(core) {
            let (x1, y1) = ((x0 + core).min(width), (y0 + core).min(height));
            out.push(Tile::new((x0, x1), (y0, y1), margin, width, height));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_image_once_and_convert_indexes() {
        let (w, h) = (23, 17);
        let all = tiles(w, h, 8, 3);
        let mut seen = vec![0; w * h];
        for t in &all {
            for y in t.core_y.0..t.core_y.1 {
                for (k, x) in t.core_row(y).zip(t.core_x.0..t.core_x.1) {
                    seen[y * w + x] += 1;
                    assert_eq!(t.to_image(k), y * w + x);
                }
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
        let image: Vec<usize> = (0..w * h).collect();
        let t = all[4];
        let local = t.extract(&image);
        assert_eq!(local.len(), t.width() * t.height());
        assert!((0..local.len()).all(|k| local[k] == t.to_image(k)));
    }
}
