//! Contextual background (MODIS/VIIRS-style): the median and robust spread of the valid pixels in
//! an annulus around each point, grown where too few are valid. Computed on a coarse lattice of
//! nodes from a fixed set of sample offsets, then interpolated bilinearly: the background varies
//! over metres, so per-pixel work would buy nothing.

use super::frame::{Pixels, Window};
use yitu_core::stats::{median_sigma_of_keys, order_key};

/// Annulus geometry in metres.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Annulus {
    /// Inner guard radius: the target itself stays out of its background.
    pub guard_m: f64,
    pub outer_m: f64,
    /// The outer radius grows by ×1.5 up to this where too few pixels are valid.
    pub max_outer_m: f64,
}

/// Samples per annulus: a median of ~400 values is as good as one of all pixels.
const SAMPLES: usize = 400;
/// Grow the annulus below this valid fraction or count of samples.
const MIN_VALID_FRACTION: f64 = 0.5;
const MIN_VALID_COUNT: usize = 30;

/// Background temperature and spread at every pixel, interpolated on demand from the lattice
/// (two image-sized arrays would cost 8 bytes a pixel for values a few multiply-adds give).
pub struct Background {
    /// Per column and per row of the window: the nodes either side and the fraction between
    /// them, worked out once instead of per pixel.
    columns: Vec<(u32, u32, f32)>,
    rows: Vec<(u32, u32, f32)>,
    /// The window's columns as runs between the same two nodes.
    runs: Vec<ColumnRun>,
    /// Nodes per lattice row.
    nx: usize,
    /// (median, spread) per node, row-major; NaN where too few pixels were valid.
    lattice: Vec<(f32, f32)>,
}

impl Background {
    /// Bilinear between the valid corner nodes around `(x, y)`; `None` where none is valid.
    pub fn at(&self, x: usize, y: usize) -> Option<(f32, f32)> {
        let (j0, j1, fy) = self.rows[y];
        let (i0, i1, fx) = self.columns[x];
        let [i0, i1, j0, j1] = [i0, i1, j0, j1].map(|k| k as usize);
        let corners = [
            (i0, j0, (1.0 - fx) * (1.0 - fy)),
            (i1, j0, fx * (1.0 - fy)),
            (i0, j1, (1.0 - fx) * fy),
            (i1, j1, fx * fy),
        ];
        let nx = self.nx;
        let (mut t, mut s, mut w) = (0.0, 0.0, 0.0);
        for (i, j, wt) in corners {
            let (ct, cs) = self.lattice[j * nx + i];
            if ct.is_finite() && wt > 0.0 {
                t += ct * wt;
                s += cs * wt;
                w += wt;
            }
        }
        (w > 0.0).then(|| (t / w, s / w))
    }

    /// The window's columns as runs that lie between the same two nodes: a row of pixels
    /// cut into its lattice cells.
    pub fn column_runs(&self) -> &[ColumnRun] {
        &self.runs
    }

    /// The lowest background temperature [`Self::at`] gives anywhere in row `y` of `run` (the
    /// lowest of its cell's valid corners: the background there is a weighted mean of them);
    /// infinite where it gives none.
    pub fn lowest(&self, y: usize, run: &ColumnRun) -> f32 {
        let (j0, j1, _) = self.rows[y];
        [
            (run.left, j0),
            (run.right, j0),
            (run.left, j1),
            (run.right, j1),
        ]
        .into_iter()
        .map(|(i, j)| self.lattice[j as usize * self.nx + i as usize].0)
        .filter(|t| t.is_finite())
        .fold(f32::INFINITY, f32::min)
    }
}

/// Columns `from..to` of a window, all between lattice nodes `left` and `right`.
#[derive(Debug, Clone, Copy)]
pub struct ColumnRun {
    pub from: usize,
    pub to: usize,
    left: u32,
    right: u32,
}

/// The columns as runs between the same two nodes.
fn column_runs(columns: &[(u32, u32, f32)]) -> Vec<ColumnRun> {
    let mut runs: Vec<ColumnRun> = Vec::new();
    for (x, &(left, right, _)) in columns.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if (run.left, run.right) == (left, right) => run.to = x + 1,
            _ => runs.push(ColumnRun {
                from: x,
                to: x + 1,
                left,
                right,
            }),
        }
    }
    runs
}

/// Offsets (dx, dy) in pixels spread evenly over an annulus.
fn offsets(inner_px: f64, outer_px: f64) -> Vec<(i64, i64)> {
    let area = std::f64::consts::PI * (outer_px * outer_px - inner_px * inner_px);
    let spacing = (area / SAMPLES as f64).sqrt().max(1.0);
    let mut out = Vec::new();
    let mut r = inner_px + spacing / 2.0;
    while r < outer_px {
        let n = ((2.0 * std::f64::consts::PI * r / spacing).round() as usize).max(4);
        for k in 0..n {
            // Stagger rings so samples do not line up radially.
            let a = (k as f64 + 0.5 * (r / spacing).fract()) / n as f64 * std::f64::consts::TAU;
            out.push(((r * a.cos()).round() as i64, (r * a.sin()).round() as i64));
        }
        r += spacing;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// An annulus's sample offsets, and the same as steps in a window's row-major index.
struct Ring {
    offsets: Vec<(i64, i64)>,
    steps: Vec<isize>,
    /// The largest |dx| and |dy|.
    reach: (usize, usize),
}

impl Ring {
    fn new(offsets: Vec<(i64, i64)>, width: usize) -> Self {
        let steps = offsets
            .iter()
            .map(|&(dx, dy)| (dy * width as i64 + dx) as isize)
            .collect();
        let reach = offsets.iter().fold((0, 0), |(rx, ry), &(dx, dy)| {
            (
                rx.max(dx.unsigned_abs() as usize),
                ry.max(dy.unsigned_abs() as usize),
            )
        });
        Self {
            offsets,
            steps,
            reach,
        }
    }

    /// Whether every sample around `(x, y)` lies in a `width × height` window.
    fn within(&self, x: usize, y: usize, width: usize, height: usize) -> bool {
        x >= self.reach.0
            && y >= self.reach.1
            && x + self.reach.0 < width
            && y + self.reach.1 < height
    }
}

/// The background of a window's temperatures using its pixels where `usable`, on the raster's
/// lattice of every `step` pixels.
pub fn contextual(
    window: &Window<'_>,
    usable: &[bool],
    annulus: Annulus,
    step: usize,
) -> Background {
    let Pixels {
        width,
        height,
        celsius: values,
        gsd_m,
    } = window.pixels;
    let (origin, raster) = (window.origin(), window.tile.image_size());
    let guard = annulus.guard_m / gsd_m;
    let mut rings = Vec::new();
    let mut outer = annulus.outer_m;
    while outer <= annulus.max_outer_m + 1e-9 {
        rings.push(Ring::new(offsets(guard, outer / gsd_m), width));
        outer *= 1.5;
    }
    let (ax, ay) = (
        yitu_core::lattice::Axis::window(raster.0, step, origin.0, width),
        yitu_core::lattice::Axis::window(raster.1, step, origin.1, height),
    );
    let (nx, ny) = (&ax.nodes, &ay.nodes);
    let node_value = |x: usize, y: usize, buf: &mut Vec<u32>| -> (f32, f32) {
        for ring in &rings {
            buf.clear();
            if ring.within(x, y, width, height) {
                // No sample falls off the window: each is an offset from the node's index, and
                // the usable ones are kept without a branch.
                let node = y * width + x;
                buf.resize(ring.steps.len(), 0);
                let mut kept = 0;
                for &step in &ring.steps {
                    let i = node.wrapping_add_signed(step);
                    buf[kept] = order_key(values[i]);
                    kept += usize::from(usable[i]);
                }
                buf.truncate(kept);
            } else {
                buf.extend(ring.offsets.iter().filter_map(|&(dx, dy)| {
                    let (sx, sy) = (x as i64 + dx, y as i64 + dy);
                    if sx < 0 || sy < 0 || sx >= width as i64 || sy >= height as i64 {
                        return None;
                    }
                    let i = sy as usize * width + sx as usize;
                    usable[i].then(|| order_key(values[i]))
                }));
            }
            let enough = buf.len() >= MIN_VALID_COUNT
                && buf.len() as f64 >= MIN_VALID_FRACTION * ring.offsets.len() as f64;
            if enough {
                return median_sigma_of_keys(buf).unwrap_or((f32::NAN, f32::NAN));
            }
        }
        (f32::NAN, f32::NAN)
    };
    let intervals = |axis: &yitu_core::lattice::Axis, cells: usize| -> Vec<(u32, u32, f32)> {
        (0..cells)
            .map(|k| {
                let (a, b, f) = axis.interval(k);
                (a as u32, b as u32, f as f32)
            })
            .collect()
    };
    let (columns, rows) = (intervals(&ax, width), intervals(&ay, height));
    let runs = column_runs(&columns);
    let needed = needed_nodes(usable, &runs, &rows, (width, nx.len() * ny.len()));
    // Lattice rows in parallel.
    let mut lattice = vec![(f32::NAN, f32::NAN); nx.len() * ny.len()];
    let threads = yitu_core::parallel::cores();
    let rows_per = ny.len().div_ceil(threads).max(1);
    yitu_core::parallel::on_each(
        lattice
            .chunks_mut(rows_per * nx.len())
            .enumerate()
            .collect(),
        |(chunk_index, chunk)| {
            let mut buf = Vec::with_capacity(SAMPLES * 2);
            for (k, cell) in chunk.iter_mut().enumerate() {
                let row = chunk_index * rows_per + k / nx.len();
                if needed[row * nx.len() + k % nx.len()] {
                    *cell = node_value(nx[k % nx.len()], ny[row], &mut buf);
                }
            }
        },
    );
    Background {
        columns,
        rows,
        runs,
        nx: ax.nodes.len(),
        lattice,
    }
}

/// The lattice nodes (row-major, `count` of them) some usable pixel is interpolated from: only
/// they are worked out, as no other pixel asks for a background (on a river most nodes lie in
/// the water). A pixel's cell is found from its column's run and its row's nodes either side.
fn needed_nodes(
    usable: &[bool],
    runs: &[ColumnRun],
    rows: &[(u32, u32, f32)],
    (width, count): (usize, usize),
) -> Vec<bool> {
    let nodes_per_row = runs.last().map_or(0, |r| r.right as usize + 1);
    let mut needed = vec![false; count];
    if width == 0 {
        return needed;
    }
    for (row, &(c, d, _)) in usable.chunks(width).zip(rows) {
        for run in runs {
            if row[run.from..run.to].contains(&true) {
                for (i, j) in [(run.left, c), (run.right, c), (run.left, d), (run.right, d)] {
                    needed[j as usize * nodes_per_row + i as usize] = true;
                }
            }
        }
    }
    needed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hot_spot_does_not_raise_its_own_background() {
        let (w, h) = (200, 200);
        let mut values = vec![20.0_f32; w * h];
        for y in 95..105 {
            for x in 95..105 {
                values[y * w + x] = 80.0;
            }
        }
        let usable = vec![true; w * h];
        let annulus = Annulus {
            guard_m: 2.0,
            outer_m: 15.0,
            max_outer_m: 45.0,
        };
        let pixels = Pixels {
            width: w,
            height: h,
            celsius: &values,
            gsd_m: 0.2,
        };
        let bg = contextual(&Window::whole(pixels), &usable, annulus, 5);
        let (t, sigma) = bg.at(100, 100).unwrap();
        assert!((t - 20.0).abs() < 1e-4);
        assert!(sigma.abs() < 1e-4);
        let ring = offsets(10.0, 75.0);
        assert!((300..=500).contains(&ring.len()), "{}", ring.len());
    }
}
