//! GCJ-02 (Amap, Tencent, Google China) and BD-09 (Baidu) obfuscated coordinates.
//!
//! The forward GCJ-02 formula is the widely published one; there is no closed-form inverse, so
//! [`wgs84_from_gcj02`] iterates the forward transform (fixed-point on the offset), which converges
//! to well under a millimetre in a few steps inside China. BD-09 is a further rotation/offset of
//! GCJ-02 whose inverse is also refined iteratively.
//!
//! # Units
//! All functions take and return `(lon, lat)` in degrees.

use std::f64::consts::PI;

/// Krasovsky 1940 semi-major axis used by the GCJ-02 formula, metres.
const A: f64 = 6_378_245.0;
/// Krasovsky 1940 first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;
const X_PI: f64 = PI * 3000.0 / 180.0;

/// A longitude/latitude pair in degrees, longitude first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }
}

/// Whether the GCJ-02 offset applies: outside mainland China's rough box, GCJ-02 equals WGS84.
pub fn in_china(p: LonLat) -> bool {
    (72.004..=137.8347).contains(&p.lon) && (0.8293..=55.8271).contains(&p.lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS84 → GCJ-02.
///
/// ```
/// use yitu_layers::chinese_crs::{gcj02_from_wgs84, LonLat};
/// let g = gcj02_from_wgs84(LonLat::new(106.55, 29.56));
/// // Chongqing's offset is a few hundred metres.
/// assert!((g.lon - 106.55).abs() > 0.001 && (g.lon - 106.55).abs() < 0.01);
/// ```
pub fn gcj02_from_wgs84(p: LonLat) -> LonLat {
    if !in_china(p) {
        return p;
    }
    let d_lat = transform_lat(p.lon - 105.0, p.lat - 35.0);
    let d_lon = transform_lon(p.lon - 105.0, p.lat - 35.0);
    let rad_lat = p.lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    LonLat::new(p.lon + d_lon, p.lat + d_lat)
}

/// Inverts `forward` around `target` by fixed-point iteration on the offset.
fn invert(target: LonLat, forward: impl Fn(LonLat) -> LonLat) -> LonLat {
    let mut guess = target;
    for _ in 0..30 {
        let f = forward(guess);
        let (d_lon, d_lat) = (f.lon - target.lon, f.lat - target.lat);
        guess = LonLat::new(guess.lon - d_lon, guess.lat - d_lat);
        if d_lon.abs() < 1e-12 && d_lat.abs() < 1e-12 {
            break;
        }
    }
    guess
}

/// GCJ-02 → WGS84 (iterative; error far below a millimetre).
pub fn wgs84_from_gcj02(p: LonLat) -> LonLat {
    if !in_china(p) {
        return p;
    }
    invert(p, gcj02_from_wgs84)
}

/// GCJ-02 → BD-09.
pub fn bd09_from_gcj02(p: LonLat) -> LonLat {
    let z = (p.lon * p.lon + p.lat * p.lat).sqrt() + 0.00002 * (p.lat * X_PI).sin();
    let theta = p.lat.atan2(p.lon) + 0.000_003 * (p.lon * X_PI).cos();
    LonLat::new(z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02 (iterative refinement of the usual approximate inverse).
pub fn gcj02_from_bd09(p: LonLat) -> LonLat {
    invert(p, bd09_from_gcj02)
}

/// WGS84 → BD-09.
pub fn bd09_from_wgs84(p: LonLat) -> LonLat {
    bd09_from_gcj02(gcj02_from_wgs84(p))
}

/// BD-09 → WGS84.
pub fn wgs84_from_bd09(p: LonLat) -> LonLat {
    wgs84_from_gcj02(gcj02_from_bd09(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Haversine, Point};

    fn metres(a: LonLat, b: LonLat) -> f64 {
        Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
    }

    #[test]
    fn gcj02_round_trip_is_sub_millimetre_across_chongqing() {
        for i in 0..50 {
            for j in 0..50 {
                let p = LonLat::new(105.2 + f64::from(i) * 0.1, 28.1 + f64::from(j) * 0.08);
                let back = wgs84_from_gcj02(gcj02_from_wgs84(p));
                assert!(metres(p, back) < 0.001, "{p:?} -> {back:?}");
            }
        }
    }

    #[test]
    fn bd09_round_trip_is_sub_millimetre() {
        let p = LonLat::new(106.5516, 29.5630);
        let back = wgs84_from_bd09(bd09_from_wgs84(p));
        assert!(metres(p, back) < 0.001);
    }

    #[test]
    fn gcj02_offset_in_chongqing_is_a_few_hundred_metres() {
        let p = LonLat::new(106.5516, 29.5630);
        let d = metres(p, gcj02_from_wgs84(p));
        assert!((200.0..800.0).contains(&d), "{d}");
    }

    #[test]
    fn outside_china_is_unchanged() {
        let p = LonLat::new(9.5, 47.1);
        assert_eq!(gcj02_from_wgs84(p), p);
    }
}
