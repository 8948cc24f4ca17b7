//! Distances on the ground for WGS84 coordinates. Lengths along lines are haversine sums (geo);
//! a point's foot on a segment is found in a plane tangent at the point, which is exact to well
//! under a metre over the few kilometres a snap or a corridor spans.

use geo::{Coord, Distance, Haversine, Point};

/// Metres per degree of latitude on the mean sphere geo's haversine uses.
pub const METRES_PER_DEGREE: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Ground distance between two WGS84 coordinates, in metres.
pub fn metres(a: Coord<f64>, b: Coord<f64>) -> f64 {
    Haversine.distance(Point::from(a), Point::from(b))
}

/// Cumulative length at every vertex of a line: `0` first, the line's length last.
pub fn cumulative(coords: &[Coord<f64>]) -> Vec<f64> {
    let mut out = Vec::with_capacity(coords.len());
    let mut total = 0.0;
    out.push(0.0);
    for w in coords.windows(2) {
        total += metres(w[0], w[1]);
        out.push(total);
    }
    out
}

/// Where a point's perpendicular foot falls on segment `a`–`b`: the fraction along it (0..=1)
/// and the distance from the point to the foot in metres.
pub fn foot_on_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> (f64, f64) {
    let kx = p.y.to_radians().cos() * METRES_PER_DEGREE;
    let ax = (a.x - p.x) * kx;
    let ay = (a.y - p.y) * METRES_PER_DEGREE;
    let bx = (b.x - p.x) * kx;
    let by = (b.y - p.y) * METRES_PER_DEGREE;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (fx, fy) = (ax + t * dx, ay + t * dy);
    (t, (fx * fx + fy * fy).sqrt())
}

/// The point a fraction `t` along segment `a`–`b`.
pub fn lerp(a: Coord<f64>, b: Coord<f64>, t: f64) -> Coord<f64> {
    Coord {
        x: a.x + (b.x - a.x) * t,
        y: a.y + (b.y - a.y) * t,
    }
}

/// Degrees of longitude and latitude that span `metres` at latitude `lat`.
pub fn degrees_for(lat: f64, metres: f64) -> (f64, f64) {
    let dlat = metres / METRES_PER_DEGREE;
    (dlat / lat.to_radians().cos().max(0.01), dlat)
}

/// The point `at` metres along a line with cumulative lengths `cum`, and the index of the
/// segment it falls in.
pub fn point_along(coords: &[Coord<f64>], cum: &[f64], at: f64) -> (Coord<f64>, usize) {
    let last = coords.len() - 1;
    let i = cum.partition_point(|&c| c <= at).clamp(1, last) - 1;
    let span = cum[i + 1] - cum[i];
    let t = if span > 0.0 {
        ((at - cum[i]) / span).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (lerp(coords[i], coords[i + 1], t), i)
}

/// The part of a line between `from` and `to` metres along it (`from <= to`).
pub fn slice(coords: &[Coord<f64>], cum: &[f64], from: f64, to: f64) -> Vec<Coord<f64>> {
    let (start, i) = point_along(coords, cum, from);
    let (end, j) = point_along(coords, cum, to);
    let mut out = Vec::with_capacity(j.saturating_sub(i) + 2);
    out.push(start);
    out.extend_from_slice(&coords[i + 1..=j]);
    out.push(end);
    out.dedup();
    if out.len() == 1 {
        out.push(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn a_foot_and_a_slice() {
        let a = coord! { x: 106.0, y: 29.0 };
        let b = coord! { x: 106.01, y: 29.0 };
        let (t, d) = foot_on_segment(coord! { x: 106.005, y: 29.001 }, a, b);
        assert!((t - 0.5).abs() < 1e-3, "{t}");
        assert!((d - 111.2).abs() < 0.5, "{d}");
        let line = [a, b, coord! { x: 106.02, y: 29.0 }];
        let cum = cumulative(&line);
        let part = slice(&line, &cum, cum[2] * 0.25, cum[2] * 0.75);
        assert_eq!(part.len(), 3);
        assert!((part[0].x - 106.005).abs() < 1e-6);
        assert!((part[2].x - 106.015).abs() < 1e-6);
    }
}
