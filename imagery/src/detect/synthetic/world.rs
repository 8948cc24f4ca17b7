//! The generator's world: the river's banks, textures, planted plumes and placement helpers.

use geo::{Coord, LineString, Polygon};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use yitu_layers::registry::OperatingStatus;

use crate::detect::Source;

/// Land beside the river on each side, metres.
pub(super) const LAND_M: f64 = 35.0;
/// NETD of the simulated camera, K.
pub(super) const NETD_K: f64 = 0.05;

/// One bank of the river as a function of x: y (pixels) and slope.
#[derive(Clone, Copy)]
pub(super) struct River {
    pub(super) centre_px: f64,
    pub(super) amplitude_px: f64,
    pub(super) wavelength_px: f64,
    pub(super) phase: f64,
    pub(super) half_width_px: f64,
}

impl River {
    pub(super) fn centre(&self, x: f64) -> (f64, f64) {
        let k = std::f64::consts::TAU / self.wavelength_px;
        (
            self.centre_px + self.amplitude_px * (k * x + self.phase).sin(),
            self.amplitude_px * k * (k * x + self.phase).cos(),
        )
    }

    /// Signed distance (pixels) from the left (north, smaller y) bank into the water, and
    /// from the right bank; positive in the water for both.
    pub(super) fn bank_distances(&self, x: f64, y: f64) -> (f64, f64) {
        let (c, slope) = self.centre(x);
        let cos = 1.0 / (1.0 + slope * slope).sqrt();
        (
            (y - (c - self.half_width_px)) * cos,
            ((c + self.half_width_px) - y) * cos,
        )
    }
}

/// Smooth noise: octaves of bilinear value noise, normalised to standard deviation `sigma`.
pub(super) fn fbm(rng: &mut ChaCha8Rng, w: usize, h: usize, cell_px: f64, sigma: f64) -> Vec<f32> {
    let mut out = vec![0.0_f64; w * h];
    let mut amplitude = 1.0;
    let mut cell = cell_px.max(2.0);
    for _ in 0..5 {
        let (gw, gh) = (
            (w as f64 / cell) as usize + 2,
            (h as f64 / cell) as usize + 2,
        );
        let lattice: Vec<f64> = (0..gw * gh).map(|_| rng.random_range(-1.0..1.0)).collect();
        for y in 0..h {
            let fy = y as f64 / cell;
            let (j, ty) = (fy as usize, fy.fract());
            for x in 0..w {
                let fx = x as f64 / cell;
                let (i, tx) = (fx as usize, fx.fract());
                let v = |a: usize, b: usize| lattice[b * gw + a];
                let top = v(i, j) * (1.0 - tx) + v(i + 1, j) * tx;
                let bottom = v(i, j + 1) * (1.0 - tx) + v(i + 1, j + 1) * tx;
                out[y * w + x] += amplitude * (top * (1.0 - ty) + bottom * ty);
            }
        }
        amplitude *= 0.5;
        cell /= 2.0;
        if cell < 2.0 {
            break;
        }
    }
    let n = out.len() as f64;
    let mean = out.iter().sum::<f64>() / n;
    let sd = (out.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
        .sqrt()
        .max(1e-9);
    out.iter()
        .map(|v| ((v - mean) / sd * sigma) as f32)
        .collect()
}

/// A plume planted in bank coordinates (§6.2's model).
pub(super) struct PlantedPlume {
    pub(super) submerged: bool,
    pub(super) left: bool,
    pub(super) x0: f64,
    /// Boils: distance from the bank, pixels.
    pub(super) n0: f64,
    pub(super) dt0: f64,
    pub(super) decay_l: f64,
    pub(super) w0: f64,
    pub(super) n_jet: f64,
    /// K_n / u, metres: lateral spreading.
    pub(super) spread: f64,
}

impl PlantedPlume {
    pub(super) fn outlet(&self, river: &River) -> (f64, f64) {
        let (c, slope) = river.centre(self.x0);
        let cos = 1.0 / (1.0 + slope * slope).sqrt();
        let bank = if self.left {
            c - river.half_width_px
        } else {
            c + river.half_width_px
        };
        let into = if self.left { 1.0 } else { -1.0 };
        (self.x0, bank + into * self.n0 / cos)
    }

    /// Planted ΔT at pixel column `x` with bank distances `l`, `r` (pixels).
    pub(super) fn delta(&self, x: f64, l: f64, r: f64, flow: f64, gsd: f64) -> f64 {
        let n = if self.left { l } else { r };
        if n < -1.0 {
            return 0.0;
        }
        let n = n.max(0.0);
        let s = (x - self.x0) * flow;
        if self.submerged {
            // A boil 1–3 m across, well off the bank.
            let radius = (self.decay_l * 0.06).min(self.n0 / 3.0);
            let d2 = (s.powi(2) + (n - self.n0).powi(2)) / (radius * radius);
            return self.dt0 * (-d2).exp();
        }
        if s < 0.0 {
            let d2 = (s / (self.w0 * 0.5)).powi(2) + (n / (self.w0 * 0.5)).powi(2);
            return self.dt0 * (-d2).exp();
        }
        let n_c = self.n_jet * (1.0 - (-s / (self.decay_l * 0.3)).exp());
        let sigma_n = self.w0 / 2.0 + (2.0 * self.spread * s * gsd).sqrt() / gsd;
        self.dt0
            * (-s / self.decay_l).exp()
            * (-(n - n_c).powi(2) / (2.0 * sigma_n * sigma_n)).exp()
    }
}

/// A point on the water at least `margin` pixels from either bank and `clear` pixels along the
/// river from every planted plume (distractors are scored on their own, not on top of plumes).
pub(super) fn water_point(
    rng: &mut ChaCha8Rng,
    river: &River,
    w: usize,
    margin: f64,
    plumes: &[f64],
    clear: f64,
) -> (f64, f64) {
    let x = (0..100)
        .map(|_| rng.random_range(0.0..w as f64))
        .find(|x| plumes.iter().all(|p| (p - x).abs() > clear))
        .unwrap_or(0.0);
    let (c, _) = river.centre(x);
    let half = (river.half_width_px - margin).max(1.0);
    (x, c + rng.random_range(-half..half))
}

/// A standard normal sample (Box–Muller).
pub(super) fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

pub(super) fn square_source(
    to_lon_lat: &impl Fn(f64, f64) -> (f64, f64),
    (cx, cy): (f64, f64),
    half: f64,
    id: String,
    status: OperatingStatus,
) -> Source {
    let ring: Vec<Coord> = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ]
    .iter()
    .map(|(dx, dy)| {
        let (x, y) = to_lon_lat(cx + dx * half, cy + dy * half);
        Coord { x, y }
    })
    .collect();
    Source {
        id,
        status: Some(status),
        geometry: Polygon::new(LineString::from(ring), Vec::new()).into(),
    }
}
