//! The river prior as pixels: polygons filled by the even-odd rule at pixel centres.

use geo::Polygon;

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

/// What `rasterize_window` fills, as runs of columns `run` in row `y` of the window, in
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

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
