//! Ground footprint of a photo: camera rays through the image border, rotated by the gimbal
//! attitude and intersected with a flat ground plane.
//!
//! Frames: camera x right, y down, z forward; body (forward, right, down); local NED.
//! `ray_ned = Rz(yaw) · Ry(pitch) · Rx(roll) · (z, x, y)` (docs §1.4). With pitch −90° the
//! optical axis points straight down.
//!
//! # Units
//! Angles in degrees, distances in metres, positions WGS84 lon/lat.

use geo::{Coord, LineString, Point, Polygon};
use serde::Serialize;

use super::camera::Intrinsics;

/// Camera attitude (gimbal angles): yaw from north, pitch from the horizon, roll.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Attitude {
    pub yaw_deg: f64,
    pub pitch_deg: f64,
    pub roll_deg: f64,
}

/// The photo's ground outline and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    pub polygon: Polygon<f64>,
    /// Some border rays miss the ground (or hit it beyond the maximum range) and were clipped.
    pub oblique: bool,
    pub height_above_ground_m: f64,
}

/// Rays that reach the ground beyond this many camera heights are clipped there.
pub const MAX_RANGE_HEIGHTS: f64 = 5.0;

const METRES_PER_DEGREE: f64 = 111_320.0;

fn ray_ned(k: &Intrinsics, a: &Attitude, u: f64, v: f64) -> [f64; 3] {
    let (x, y, z) = ((u - k.cx) / k.fx, (v - k.cy) / k.fy, 1.0);
    // Body frame: forward, right, down.
    let b = [z, x, y];
    let (sr, cr) = a.roll_deg.to_radians().sin_cos();
    let (sp, cp) = a.pitch_deg.to_radians().sin_cos();
    let (sy, cy) = a.yaw_deg.to_radians().sin_cos();
    let r1 = [b[0], cr * b[1] - sr * b[2], sr * b[1] + cr * b[2]];
    let r2 = [cp * r1[0] + sp * r1[2], r1[1], -sp * r1[0] + cp * r1[2]];
    [cy * r2[0] - sy * r2[1], sy * r2[0] + cy * r2[1], r2[2]]
}

/// The footprint on a plane `height_above_ground_m` below a camera at `position`.
pub fn footprint(
    position: Point<f64>,
    height_above_ground_m: f64,
    attitude: &Attitude,
    k: &Intrinsics,
    width: usize,
    height: usize,
) -> Footprint {
    let (w, h) = (width as f64, height as f64);
    let border = [
        (0.0, 0.0),
        (w / 2.0, 0.0),
        (w, 0.0),
        (w, h / 2.0),
        (w, h),
        (w / 2.0, h),
        (0.0, h),
        (0.0, h / 2.0),
    ];
    let max_range = MAX_RANGE_HEIGHTS * height_above_ground_m;
    let mut oblique = false;
    let metres_per_lon = METRES_PER_DEGREE * position.y().to_radians().cos();
    let mut ring: Vec<Coord<f64>> = border
        .iter()
        .map(|&(u, v)| {
            let [n, e, d] = ray_ned(k, attitude, u, v);
            let horizontal = n.hypot(e).max(1e-12);
            let mut range = if d > 1e-9 {
                height_above_ground_m / d * horizontal
            } else {
                f64::INFINITY
            };
            if range > max_range {
                range = max_range;
                oblique = true;
            }
            let (north_m, east_m) = (n / horizontal * range, e / horizontal * range);
            geo::coord! {
                x: position.x() + east_m / metres_per_lon,
                y: position.y() + north_m / METRES_PER_DEGREE,
            }
        })
        .collect();
    ring.push(ring[0]);
    Footprint {
        polygon: Polygon::new(LineString::new(ring), Vec::new()),
        oblique,
        height_above_ground_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Centroid, ChamberlainDuquetteArea};

    fn m3t() -> Intrinsics {
        Intrinsics::from_focal(9.1, 12.0, 640, 512)
    }

    #[test]
    fn nadir_footprint_matches_the_ground_sample_distance() {
        // docs §1.4: M3T thermal at 100 m covers 84.4 × 67.5 m.
        let nadir = Attitude {
            yaw_deg: 0.0,
            pitch_deg: -90.0,
            roll_deg: 0.0,
        };
        let f = footprint(Point::new(106.55, 29.56), 100.0, &nadir, &m3t(), 640, 512);
        assert!(!f.oblique);
        let area = f.polygon.chamberlain_duquette_unsigned_area();
        assert!((area / (84.4 * 67.5) - 1.0).abs() < 0.01, "{area}");
        let c = f.polygon.centroid().unwrap();
        assert!((c.x() - 106.55).abs() < 1e-6 && (c.y() - 29.56).abs() < 1e-6);
    }

    #[test]
    fn yaw_turns_the_top_of_the_image_to_the_heading() {
        let k = m3t();
        // Looking down with yaw 90° (east): the image top edge lies east of the camera.
        let east = Attitude {
            yaw_deg: 90.0,
            pitch_deg: -90.0,
            roll_deg: 0.0,
        };
        let f = footprint(Point::new(106.0, 29.0), 100.0, &east, &k, 640, 512);
        let top_mid = f.polygon.exterior().0[1];
        assert!(
            top_mid.x > 106.0 && (top_mid.y - 29.0).abs() < 1e-6,
            "{top_mid:?}"
        );
    }

    #[test]
    fn a_frame_above_the_horizon_is_clipped_and_flagged() {
        let level = Attitude {
            yaw_deg: 0.0,
            pitch_deg: -10.0,
            roll_deg: 0.0,
        };
        let f = footprint(Point::new(106.0, 29.0), 100.0, &level, &m3t(), 640, 512);
        assert!(f.oblique);
        let far = f
            .polygon
            .exterior()
            .0
            .iter()
            .map(|c| (c.y - 29.0) * METRES_PER_DEGREE)
            .fold(0.0, f64::max);
        assert!((far - 500.0).abs() < 1.0, "{far}");
    }
}
