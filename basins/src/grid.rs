//! A hash grid over points, asked for the points within a distance of a segment. Snapping,
//! features near reaches and the start of a trace are all "which of these few points lie near
//! this line", so the lines are walked once and the points are what is indexed: no index over
//! the network's million segments is ever built.

use geo::Coord;
use rustc_hash::FxHashMap;

use crate::geom::{degrees_for, foot_on_segment};

/// Points bucketed into cells of a fixed size in degrees.
pub struct PointGrid {
    cell_x: f64,
    cell_y: f64,
    radius_x: f64,
    radius_y: f64,
    cells: FxHashMap<(i32, i32), Vec<u32>>,
    points: Vec<Coord<f64>>,
}

/// A point of the grid near a segment: its index, the fraction along the segment where its
/// foot falls, and its distance from the segment in metres.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub point: u32,
    pub t: f64,
    pub metres: f64,
}

impl PointGrid {
    /// Indexes `points` for queries within `radius_m`. Cells are sized so that a cell holds about
    /// one point, but never smaller than the radius.
    pub fn new(points: Vec<Coord<f64>>, radius_m: f64) -> Self {
        let lat = points.first().map_or(30.0, |p| p.y);
        let (radius_x, radius_y) = degrees_for(lat, radius_m);
        let (mut min, mut max) = (
            Coord {
                x: f64::MAX,
                y: f64::MAX,
            },
            Coord {
                x: f64::MIN,
                y: f64::MIN,
            },
        );
        for p in &points {
            min = Coord {
                x: min.x.min(p.x),
                y: min.y.min(p.y),
            };
            max = Coord {
                x: max.x.max(p.x),
                y: max.y.max(p.y),
            };
        }
        let area = ((max.x - min.x) * (max.y - min.y)).max(0.0);
        let side = (area / points.len().max(1) as f64).sqrt();
        let cell_y = side.max(radius_y * 2.0).max(1e-6);
        let cell_x = cell_y * (radius_x / radius_y.max(1e-12));
        let mut cells: FxHashMap<(i32, i32), Vec<u32>> = FxHashMap::default();
        for (i, p) in points.iter().enumerate() {
            let key = ((p.x / cell_x).floor() as i32, (p.y / cell_y).floor() as i32);
            cells.entry(key).or_default().push(i as u32);
        }
        Self {
            cell_x,
            cell_y,
            radius_x,
            radius_y,
            cells,
            points,
        }
    }

    /// The indexed points.
    pub fn points(&self) -> &[Coord<f64>] {
        &self.points
    }

    /// Every point within the radius of segment `a`–`b`, passed to `found`.
    pub fn near_segment(
        &self,
        a: Coord<f64>,
        b: Coord<f64>,
        radius_m: f64,
        mut found: impl FnMut(Near),
    ) {
        if self.cells.is_empty() {
            return;
        }
        let x0 = ((a.x.min(b.x) - self.radius_x) / self.cell_x).floor() as i32;
        let x1 = ((a.x.max(b.x) + self.radius_x) / self.cell_x).floor() as i32;
        let y0 = ((a.y.min(b.y) - self.radius_y) / self.cell_y).floor() as i32;
        let y1 = ((a.y.max(b.y) + self.radius_y) / self.cell_y).floor() as i32;
        // A long segment against small cells: only the cells along it are visited.
        let long = i64::from(x1 - x0 + 1) * i64::from(y1 - y0 + 1) > 64;
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                if long && !self.cell_near(cx, cy, a, b) {
                    continue;
                }
                let Some(list) = self.cells.get(&(cx, cy)) else {
                    continue;
                };
                for &i in list {
                    let (t, metres) = foot_on_segment(self.points[i as usize], a, b);
                    if metres <= radius_m {
                        found(Near {
                            point: i,
                            t,
                            metres,
                        });
                    }
                }
            }
        }
    }

    /// Whether the cell, grown by the radius, can hold a point near the segment (tested in
    /// degrees against the segment's line).
    fn cell_near(&self, cx: i32, cy: i32, a: Coord<f64>, b: Coord<f64>) -> bool {
        let centre = Coord {
            x: (f64::from(cx) + 0.5) * self.cell_x,
            y: (f64::from(cy) + 0.5) * self.cell_y,
        };
        let (dx, dy) = ((b.x - a.x) / self.cell_x, (b.y - a.y) / self.cell_y);
        let (px, py) = (
            (centre.x - a.x) / self.cell_x,
            (centre.y - a.y) / self.cell_y,
        );
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            ((px * dx + py * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (ex, ey) = (px - t * dx, py - t * dy);
        let reach = 0.75 + self.radius_x / self.cell_x + self.radius_y / self.cell_y;
        ex * ex + ey * ey <= reach * reach
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn points_near_a_long_segment() {
        let points: Vec<_> = (0..200)
            .map(|i| coord! { x: 106.0 + f64::from(i) * 0.001, y: 29.0 + if i % 2 == 0 { 0.00005 } else { 0.01 } })
            .collect();
        let grid = PointGrid::new(points, 20.0);
        let mut hits = Vec::new();
        grid.near_segment(
            coord! { x: 105.9, y: 29.0 },
            coord! { x: 106.3, y: 29.0 },
            20.0,
            |n| hits.push(n.point),
        );
        hits.sort_unstable();
        assert_eq!(hits, (0..200).step_by(2).collect::<Vec<u32>>());
    }
}
