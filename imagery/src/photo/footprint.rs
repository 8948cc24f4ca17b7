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

/// Eight points along the image border, clockwise from the top-left corner (corners and edge
/// midpoints, so oblique frames keep their shape).
fn border(width: usize, height: usize) -> [(f64, f64); 8] {
    let (w, h) = (width as f64, height as f64);
    [
        (0.0, 0.0),
        (w / 2.0, 0.0),
        (w, 0.0),
        (w, h / 2.0),
        (w, h),
        (w / 2.0, h),
        (0.0, h),
        (0.0, h / 2.0),
    ]
}

/// The lon/lat `north_m` and `east_m` away from `position` (local equirectangular).
fn offset(position: Point<f64>, north_m: f64, east_m: f64) -> Coord<f64> {
    let metres_per_lon = METRES_PER_DEGREE * position.y().to_radians().cos();
    geo::coord! { x: position.x() + east_m / metres_per_lon, y: position.y() + north_m / METRES_PER_DEGREE }
}

fn closed(mut ring: Vec<Coord<f64>>) -> Polygon<f64> {
    ring.push(ring[0]);
    Polygon::new(LineString::new(ring), Vec::new())
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
    let max_range = MAX_RANGE_HEIGHTS * height_above_ground_m;
    let mut oblique = false;
    let ring = border(width, height)
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
            offset(position, n / horizontal * range, e / horizontal * range)
        })
        .collect();
    Footprint {
        polygon: closed(ring),
        oblique,
        height_above_ground_m,
    }
}

/// The footprint on terrain: each border ray is marched until it passes below the ground
/// (`ground(lon, lat)` in metres, the same vertical datum as `camera_altitude_m`), then refined
/// by bisection. `None` when there is no ground under the camera.
pub fn footprint_on_terrain(
    position: Point<f64>,
    camera_altitude_m: f64,
    attitude: &Attitude,
    k: &Intrinsics,
    (width, height): (usize, usize),
    ground: &impl Fn(f64, f64) -> Option<f64>,
) -> Option<Footprint> {
    let height_above_ground_m = camera_altitude_m - ground(position.x(), position.y())?;
    if height_above_ground_m <= 0.0 {
        return None;
    }
    let max_range = MAX_RANGE_HEIGHTS * height_above_ground_m;
    let step = (height_above_ground_m / 50.0).max(0.5);
    let mut oblique = false;
    let ring = border(width, height)
        .iter()
        .map(|&(u, v)| {
            let [n, e, d] = ray_ned(k, attitude, u, v);
            let horizontal = n.hypot(e).max(1e-12);
            // Below the ground at slant distance `s`?
            let under = |s: f64| {
                let p = offset(position, n * s, e * s);
                ground(p.x, p.y).is_some_and(|z| camera_altitude_m - d * s <= z)
            };
            let (mut lo, mut s) = (0.0, step);
            while s * horizontal <= max_range && !under(s) {
                (lo, s) = (s, s + step);
            }
            if s * horizontal > max_range {
                oblique = true;
                let r = max_range;
                return offset(position, n / horizontal * r, e / horizontal * r);
            }
            for _ in 0..30 {
                let mid = f64::midpoint(lo, s);
                if under(mid) { s = mid } else { lo = mid }
            }
            offset(position, n * s, e * s)
        })
        .collect();
    Some(Footprint {
        polygon: closed(ring),
        oblique,
        height_above_ground_m,
    })
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
    fn flat_terrain_gives_the_plane_footprint_and_a_slope_shifts_it() {
        let k = m3t();
        let tilted = Attitude {
            yaw_deg: 0.0,
            pitch_deg: -60.0,
            roll_deg: 0.0,
        };
        let p = Point::new(106.0, 29.0);
        let plane = footprint(p, 100.0, &tilted, &k, 640, 512);
        let flat =
            footprint_on_terrain(p, 300.0, &tilted, &k, (640, 512), &|_, _| Some(200.0)).unwrap();
        for (a, b) in plane
            .polygon
            .exterior()
            .0
            .iter()
            .zip(&flat.polygon.exterior().0)
        {
            assert!(
                (a.x - b.x).abs() < 1e-7 && (a.y - b.y).abs() < 1e-7,
                "{a:?} {b:?}"
            );
        }
        // Ground rising to the north (the view direction) is met sooner.
        let slope = |_: f64, lat: f64| Some(200.0 + (lat - 29.0) * 111_320.0 * 0.2);
        let hill = footprint_on_terrain(p, 300.0, &tilted, &k, (640, 512), &slope).unwrap();
        let far = |f: &Footprint| {
            f.polygon
                .exterior()
                .0
                .iter()
                .map(|c| c.y)
                .fold(f64::MIN, f64::max)
        };
        assert!(far(&hill) < far(&flat));
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
