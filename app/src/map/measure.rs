//! The measure tool: click vertices, read geodesic length and area.

use geo::{ChamberlainDuquetteArea, Distance, Haversine, LineString, Point, Polygon};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeasureMode {
    #[default]
    Off,
    Distance,
    Area,
}

#[derive(Debug, Default)]
pub struct Measure {
    pub mode: MeasureMode,
    /// Clicked vertices, lon/lat.
    pub points: Vec<Point<f64>>,
}

impl Measure {
    /// Path length along the clicked vertices, metres (great-circle).
    pub fn length_m(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| Haversine.distance(w[0], w[1]))
            .sum()
    }

    /// Area of the clicked polygon, square metres (spherical).
    pub fn area_m2(&self) -> f64 {
        if self.points.len() < 3 {
            return 0.0;
        }
        let ring: LineString<f64> = self.points.iter().map(|p| p.0).collect();
        Polygon::new(ring, Vec::new()).chamberlain_duquette_unsigned_area()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let m = Measure {
            mode: MeasureMode::Distance,
            points: vec![Point::new(106.0, 29.0), Point::new(106.0, 30.0)],
        };
        assert!((m.length_m() - 111_195.0).abs() < 200.0, "{}", m.length_m());
    }

    #[test]
    fn a_small_square_has_its_area() {
        let d = 0.01;
        let m = Measure {
            mode: MeasureMode::Area,
            points: vec![
                Point::new(106.0, 29.0),
                Point::new(106.0 + d, 29.0),
                Point::new(106.0 + d, 29.0 + d),
                Point::new(106.0, 29.0 + d),
            ],
        };
        let expected = (d * 111_195.0) * (d * 111_195.0 * 29.005_f64.to_radians().cos());
        assert!(
            (m.area_m2() / expected - 1.0).abs() < 0.01,
            "{} vs {expected}",
            m.area_m2()
        );
    }
}
