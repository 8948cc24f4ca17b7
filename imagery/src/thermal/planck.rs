//! Raw sensor counts ↔ temperature for FLIR-calibrated microbolometers: the Planck curve fitted by
//! the camera (R1, R2, B, F, O) and the atmosphere/IR-window correction of Thermimage's
//! `raw2temp`, the reference formula that FLIR's open ports (read_thermal.py, flirimageextractor,
//! ODM) share.
//!
//! # Units
//! Temperatures in °C, distance in metres, relative humidity in percent, counts unitless.

use serde::{Deserialize, Serialize};

const KELVIN: f64 = 273.15;

/// The camera's factory calibration (from the CameraInfo record).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub planck_r1: f64,
    pub planck_r2: f64,
    pub planck_b: f64,
    pub planck_f: f64,
    pub planck_o: f64,
    pub atm_alpha1: f64,
    pub atm_alpha2: f64,
    pub atm_beta1: f64,
    pub atm_beta2: f64,
    pub atm_x: f64,
}

/// The scene as the operator describes it; every field can be overridden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub emissivity: f64,
    pub distance_m: f64,
    pub relative_humidity_pct: f64,
    pub reflected_c: f64,
    pub atmosphere_c: f64,
    pub ir_window_c: f64,
    pub ir_window_transmission: f64,
}

impl Calibration {
    /// Counts the sensor reads for a black body at `t_c` °C.
    pub fn planck(&self, t_c: f64) -> f64 {
        self.planck_r1 / (self.planck_r2 * ((self.planck_b / (t_c + KELVIN)).exp() - self.planck_f))
            - self.planck_o
    }

    /// Black-body temperature for `counts`; `None` where the curve has no solution.
    pub fn inverse(&self, counts: f64) -> Option<f64> {
        let arg = self.planck_r1 / (self.planck_r2 * (counts + self.planck_o)) + self.planck_f;
        (arg > 0.0 && counts + self.planck_o > 0.0).then(|| self.planck_b / arg.ln() - KELVIN)
    }

    /// Atmospheric transmission over `distance_m` (Thermimage's two-band model).
    pub fn transmission(&self, scene: &Scene) -> f64 {
        let t = scene.atmosphere_c;
        let h2o = (scene.relative_humidity_pct / 100.0)
            * (1.5587 + 0.06939 * t - 0.000_278_16 * t * t + 0.000_000_684_55 * t * t * t).exp();
        let half = (scene.distance_m / 2.0).sqrt();
        let x = self.atm_x;
        x * (-half * (self.atm_alpha1 + self.atm_beta1 * h2o.sqrt())).exp()
            + (1.0 - x) * (-half * (self.atm_alpha2 + self.atm_beta2 * h2o.sqrt())).exp()
    }
}

/// `raw2temp` with the scene's corrections computed once for a whole image.
#[derive(Debug, Clone, Copy)]
pub struct RawToCelsius {
    calibration: Calibration,
    /// `S_obj = S * gain - offset`.
    gain: f64,
    offset: f64,
}

impl RawToCelsius {
    pub fn new(calibration: Calibration, scene: &Scene) -> Self {
        let e = scene.emissivity;
        let tau = calibration.transmission(scene);
        let tau_win = scene.ir_window_transmission;
        let refl1 = (1.0 - e) / e * calibration.planck(scene.reflected_c);
        let atm1 = (1.0 - tau) / e / tau * calibration.planck(scene.atmosphere_c);
        let wind = (1.0 - tau_win) / e / tau / tau_win * calibration.planck(scene.ir_window_c);
        let atm2 = (1.0 - tau) / e / tau / tau_win / tau * calibration.planck(scene.atmosphere_c);
        Self {
            calibration,
            gain: 1.0 / e / tau / tau_win / tau,
            offset: atm1 + atm2 + wind + refl1,
        }
    }

    /// Object temperature, °C; `None` where the counts have no physical solution.
    pub fn celsius(&self, raw: f64) -> Option<f64> {
        self.calibration.inverse(raw * self.gain - self.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults the open ports use; check vectors from `docs/remote-sensing.md` §1.1.
    const CAL: Calibration = Calibration {
        planck_r1: 21106.77,
        planck_r2: 0.012_545_258,
        planck_b: 1501.0,
        planck_f: 1.0,
        planck_o: -7340.0,
        atm_alpha1: 0.006_569,
        atm_alpha2: 0.012_620,
        atm_beta1: -0.002_276,
        atm_beta2: -0.006_670,
        atm_x: 1.9,
    };

    fn scene(emissivity: f64, distance_m: f64) -> Scene {
        Scene {
            emissivity,
            distance_m,
            relative_humidity_pct: 80.0,
            reflected_c: 20.0,
            atmosphere_c: 25.0,
            ir_window_c: 20.0,
            ir_window_transmission: 1.0,
        }
    }

    #[test]
    fn planck_matches_the_check_vectors_and_inverts() {
        assert!((CAL.planck(20.0) - 17452.31).abs() < 0.01);
        assert!((CAL.planck(40.0) - 21396.66).abs() < 0.01);
        assert!((CAL.inverse(CAL.planck(20.0)).unwrap() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn emissivity_correction_recovers_the_object() {
        // Counts 21199.44 at ε=0.95, T_refl=20 °C: naive 39.09 °C, corrected 40.00 °C.
        assert!((CAL.inverse(21199.44).unwrap() - 39.09).abs() < 0.01);
        let no_path = Scene {
            distance_m: 0.0,
            ..scene(0.95, 0.0)
        };
        let t = RawToCelsius::new(CAL, &no_path).celsius(21199.44).unwrap();
        assert!((t - 40.0).abs() < 0.01, "{t}");
    }

    #[test]
    fn transmission_matches_the_check_vectors() {
        assert!((CAL.transmission(&scene(0.95, 100.0)) - 0.936).abs() < 0.0005);
        assert!((CAL.transmission(&scene(0.95, 50.0)) - 0.956).abs() < 0.0005);
    }

    #[test]
    fn counts_below_the_curve_have_no_temperature() {
        assert_eq!(CAL.inverse(-10_000.0), None);
    }
}
