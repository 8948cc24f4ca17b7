//! The shapes of the independent generator's scenes: the reach, plumes, land patches, texture.

use geo::{Coord, LineString, Polygon};
use rand::Rng;
use rand_chacha::ChaCha20Rng;
use yitu_layers::raster::Georef;
use yitu_layers::registry::OperatingStatus;

use crate::detect::Source;

/// The river's own frame: `u` along (metres from the image centre), `v` across.
pub(super) struct Reach {
    pub(super) angle: f64,
    pub(super) centre: (f64, f64),
    pub(super) amplitude: f64,
    pub(super) wavelength: f64,
    pub(super) phase: f64,
    pub(super) half_width: f64,
    pub(super) width_wave: (f64, f64),
}

impl Reach {
    /// (u, v) of a point in image metres (x right, y down).
    pub(super) fn uv(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        let (s, c) = self.angle.sin_cos();
        (dx * c + dy * s, -dx * s + dy * c)
    }

    /// Image metres of (u, v).
    pub(super) fn xy(&self, u: f64, v: f64) -> (f64, f64) {
        let (s, c) = self.angle.sin_cos();
        (self.centre.0 + u * c - v * s, self.centre.1 + u * s + v * c)
    }

    /// Centre line's v and its slope dv/du at `u`.
    pub(super) fn centre_v(&self, u: f64) -> (f64, f64) {
        let k = std::f64::consts::TAU / self.wavelength;
        (
            self.amplitude * (k * u + self.phase).sin(),
            self.amplitude * k * (k * u + self.phase).cos(),
        )
    }

    pub(super) fn half_width_at(&self, u: f64) -> f64 {
        self.half_width * (1.0 + 0.08 * (u / self.width_wave.0 + self.width_wave.1).sin())
    }

    /// Signed distance (metres) into the water from the nearer bank, and whether that bank is
    /// the left one (smaller v).
    pub(super) fn depth_from_bank(&self, u: f64, v: f64) -> (f64, bool) {
        let (c, slope) = self.centre_v(u);
        let cos = 1.0 / (1.0 + slope * slope).sqrt();
        let hw = self.half_width_at(u);
        let left = (v - (c - hw)) * cos;
        let right = ((c + hw) - v) * cos;
        if left < right {
            (left, true)
        } else {
            (right, false)
        }
    }

    /// The bank point at `u`, image metres, and the unit vector from it into the water.
    pub(super) fn bank_point(&self, u: f64, left: bool) -> ((f64, f64), (f64, f64)) {
        let (c, slope) = self.centre_v(u);
        let hw = self.half_width_at(u);
        let v = if left { c - hw } else { c + hw };
        let into = if left { 1.0 } else { -1.0 };
        let norm = (1.0 + slope * slope).sqrt();
        // The normal to (1, slope) in the river frame, pointing into the water.
        let (nu, nv) = (-slope * into / norm, into / norm);
        let (s, c2) = self.angle.sin_cos();
        (self.xy(u, v), (nu * c2 - nv * s, nu * s + nv * c2))
    }
}

/// A plume drawn for the scene, in the river frame.
pub(super) struct Jet {
    pub(super) u: f64,
    pub(super) left: bool,
    pub(super) delta_t0: f64,
    pub(super) penetration: f64,
    pub(super) decay: f64,
    pub(super) width: f64,
}

impl Jet {
    /// ΔT at along-flow distance `s` from the outlet and `n` from the bank, metres.
    pub(super) fn delta(&self, s: f64, n: f64) -> f64 {
        if n < -0.5 {
            return 0.0;
        }
        let ahead = s.max(0.0);
        let axis = self.penetration * (1.0 - (-ahead / self.penetration).exp());
        let spread = self.width + 0.12 * ahead;
        let along = if s >= 0.0 {
            (-ahead / self.decay).exp()
        } else {
            (-(s * s) / (2.0 * self.width * self.width)).exp()
        };
        self.delta_t0 * along * (-(n - axis).powi(2) / (2.0 * spread * spread)).exp()
    }
}

/// A rotated rectangle on the land: centre, half sizes, angle, ΔT.
pub(super) struct Patch {
    pub(super) centre: (f64, f64),
    pub(super) half: (f64, f64),
    pub(super) angle: f64,
    pub(super) delta_t: f64,
}

impl Patch {
    pub(super) fn contains(&self, x: f64, y: f64) -> bool {
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        let (s, c) = self.angle.sin_cos();
        (dx * c + dy * s).abs() <= self.half.0 && (-dx * s + dy * c).abs() <= self.half.1
    }
}

/// Standard normal deviate (Box–Muller).
pub(super) fn normal(rng: &mut ChaCha20Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A field of `n` plane waves of wavelengths `lambda` metres with total standard deviation
/// `sigma`: smooth texture with no grid in it.
pub(super) struct Waves(Vec<(f64, f64, f64, f64)>);

impl Waves {
    pub(super) fn new(rng: &mut ChaCha20Rng, n: usize, lambda: (f64, f64), sigma: f64) -> Self {
        let amplitude = sigma * (2.0 / n as f64).sqrt();
        Self(
            (0..n)
                .map(|_| {
                    let k = std::f64::consts::TAU / rng.random_range(lambda.0..lambda.1);
                    let dir = rng.random_range(0.0..std::f64::consts::TAU);
                    (
                        k * dir.cos(),
                        k * dir.sin(),
                        rng.random_range(0.0..std::f64::consts::TAU),
                        amplitude,
                    )
                })
                .collect(),
        )
    }

    pub(super) fn at(&self, x: f64, y: f64) -> f64 {
        self.0
            .iter()
            .map(|(kx, ky, p, a)| a * (kx * x + ky * y + p).sin())
            .sum()
    }
}

/// A north-up georeferencing in `epsg` whose north-west corner lies near Chongqing's centre.
pub(super) fn georef_near_chongqing(rng: &mut ChaCha20Rng, epsg: u32, gsd: f64) -> Georef {
    let lon = 106.45 + rng.random_range(0.0..0.2);
    let lat = 29.5 + rng.random_range(0.0..0.1);
    let crs = yitu_layers::Crs::Epsg(epsg);
    let to = yitu_layers::crs::Reprojector::new(yitu_layers::Crs::Wgs84, crs)
        .expect("Chongqing's CRSs are known to GDAL");
    let (x, y) = to.coord(lon, lat).expect("Chongqing projects");
    Georef {
        geo_transform: [x.round(), gsd, 0.0, y.round(), 0.0, -gsd],
        crs_wkt: crs
            .spatial_ref()
            .ok()
            .and_then(|s| s.to_wkt().ok())
            .unwrap_or_default(),
    }
}

/// A source's site: a rotated rectangle 20–40 m a side around a hot spot.
pub(super) fn rect_source(
    to_lon_lat: &impl Fn(f64, f64) -> (f64, f64),
    (cx, cy): (f64, f64),
    rng: &mut ChaCha20Rng,
    id: String,
    status: OperatingStatus,
) -> Source {
    let (a, b) = (rng.random_range(10.0..20.0), rng.random_range(10.0..20.0));
    let angle: f64 = rng.random_range(0.0..std::f64::consts::PI);
    let (s, c) = angle.sin_cos();
    let ring: Vec<Coord> = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ]
    .iter()
    .map(|(dx, dy)| {
        let (px, py) = (dx * a, dy * b);
        let (lon, lat) = to_lon_lat(cx + px * c - py * s, cy + px * s + py * c);
        Coord { x: lon, y: lat }
    })
    .collect();
    Source {
        id,
        status: Some(status),
        geometry: Polygon::new(LineString::from(ring), Vec::new()).into(),
    }
}
