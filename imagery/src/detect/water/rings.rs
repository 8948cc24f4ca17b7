//! The prior's rings as polylines with chainage, for projecting bank pixels onto them.

use rustc_hash::FxHashMap as HashMap;

use geo::{LineString, Polygon};

use crate::detect::tiles::Tile;

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
