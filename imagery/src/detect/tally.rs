//! Counting detections against planted truth, for the acceptance figures of §6.1–6.2 on
//! scenes of either generator ([`super::synthetic`], [`super::orthosim`]).

use super::synthetic::{HotspotTruth, Scene};

/// Detections below this score are not reported to inspectors, so they do not count.
pub const REPORTED_SCORE: f64 = 0.5;
/// A plume detection matches a planted one within this of its outlet, metres (§6.2).
const OUTLET_MATCH_M: f64 = 3.0;

/// Score bins of the reliability table: [0, 0.3), [0.3, 0.5), [0.5, 0.7), [0.7, 0.9), [0.9, 1].
pub const SCORE_BINS: [f64; 5] = [0.0, 0.3, 0.5, 0.7, 0.9];

/// Counts over scenes for the acceptance figures of §6.1–6.2.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tally {
    /// A plume detection matches a planted one within this of its outlet, metres.
    pub outlet_match_m: f64,
    /// Per score bin ([`SCORE_BINS`]), detections of every score and how many are right: how
    /// far a score can be trusted.
    pub reliability: [(usize, usize); 5],
    /// Planted plumes whose visible |ΔT| is ≥ 1 K over ≥ 2 m², and how many were found.
    pub plume_truths: usize,
    pub plume_found: usize,
    /// The same by the nominal outlet ΔT0 ≥ 1 K (some of these never show 1 K in a pixel).
    pub plume_nominal_truths: usize,
    pub plume_nominal_found: usize,
    /// Reported plume detections, and how many are planted plumes.
    pub plume_reported: usize,
    pub plume_true: usize,
    pub outlet_errors_m: Vec<f64>,
    pub status_right: usize,
    pub status_checked: usize,
    /// Planted land hot spots with ΔT ≥ 15 K, and how many were found.
    pub land_truths: usize,
    pub land_found: usize,
    pub land_reported: usize,
    pub land_true: usize,
    pub land_status_right: usize,
}

impl Default for Tally {
    fn default() -> Self {
        Self::matching_within(OUTLET_MATCH_M)
    }
}

impl Tally {
    /// A tally whose plume detections match planted outlets within `outlet_match_m`.
    pub fn matching_within(outlet_match_m: f64) -> Self {
        Self {
            outlet_match_m,
            reliability: [(0, 0); 5],
            plume_truths: 0,
            plume_found: 0,
            plume_nominal_truths: 0,
            plume_nominal_found: 0,
            plume_reported: 0,
            plume_true: 0,
            outlet_errors_m: Vec::new(),
            status_right: 0,
            status_checked: 0,
            land_truths: 0,
            land_found: 0,
            land_reported: 0,
            land_true: 0,
            land_status_right: 0,
        }
    }

    /// Runs every detector on `scene` with `daylight`'s thresholds and adds what they found.
    pub fn detect_and_add(&mut self, scene: &Scene, daylight: super::Daylight) {
        let found = super::detect(
            &scene.image,
            &scene.registry,
            &super::Parameters::for_daylight(daylight),
        );
        self.add(scene, &found);
    }

    /// Adds one scene's detections.
    pub fn add(&mut self, scene: &Scene, detections: &[super::Detection]) {
        use super::Capability;
        let gsd = scene.image.frame.gsd_m;
        let frame = &scene.image.frame;
        let px_of = |lon: f64, lat: f64| frame.pixel(lon, lat).unwrap_or((f64::NAN, f64::NAN));
        // Where a plume detection is compared with planted outlets: its outlet, else centroid.
        let plume_at = |d: &super::Detection| match (d.outlet_lon, d.outlet_lat) {
            (Some(lon), Some(lat)) => px_of(lon, lat),
            _ => px_of(d.centroid_lon, d.centroid_lat),
        };
        let reported: Vec<&super::Detection> = detections
            .iter()
            .filter(|d| d.score >= REPORTED_SCORE)
            .collect();
        let plumes: Vec<(&super::Detection, (f64, f64))> = reported
            .iter()
            .filter(|d| {
                matches!(
                    d.capability,
                    Capability::BankPlume | Capability::SubmergedPlume
                )
            })
            .map(|d| (*d, plume_at(d)))
            .collect();
        let dist_m = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1) * gsd;
        let in_bbox = |d: &super::Detection, p: (f64, f64)| {
            let grow = 1.0 / gsd;
            let b = d.pixel_bbox;
            p.0 >= b[0] as f64 - grow
                && p.0 <= b[2] as f64 + 1.0 + grow
                && p.1 >= b[1] as f64 - grow
                && p.1 <= b[3] as f64 + 1.0 + grow
        };
        for t in &scene.plumes {
            let counted = t.visible_delta_t_k >= 1.0 && t.area_m2 >= 2.0;
            if t.delta_t0_k.abs() >= 1.0 && t.area_m2 >= 2.0 {
                self.plume_nominal_truths += 1;
            }
            let best = plumes
                .iter()
                .map(|(d, at)| (*d, dist_m(*at, t.outlet_px)))
                .filter(|(_, e)| *e <= self.outlet_match_m)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if counted {
                self.plume_truths += 1;
                if best.is_some() {
                    self.plume_found += 1;
                }
            }
            if best.is_some() && t.delta_t0_k.abs() >= 1.0 && t.area_m2 >= 2.0 {
                self.plume_nominal_found += 1;
            }
            if let Some((d, e)) = best {
                self.outlet_errors_m.push(e);
                self.status_checked += 1;
                if d.status == t.expected_status {
                    self.status_right += 1;
                }
            }
        }
        let match_m = self.outlet_match_m;
        let plume_is_true = |d: &super::Detection, at: (f64, f64)| {
            scene
                .plumes
                .iter()
                .any(|t| dist_m(at, t.outlet_px) <= match_m || in_bbox(d, t.outlet_px))
        };
        for (d, at) in &plumes {
            self.plume_reported += 1;
            if plume_is_true(d, *at) {
                self.plume_true += 1;
            }
        }
        let land: Vec<(&super::Detection, (f64, f64))> = reported
            .iter()
            .filter(|d| d.capability == Capability::LandHotspot)
            .map(|d| (*d, px_of(d.centroid_lon, d.centroid_lat)))
            .collect();
        let near = |t: &HotspotTruth, at: (f64, f64)| {
            dist_m(at, t.centre_px) <= (1.5 * t.radius_m).max(2.0)
        };
        for t in &scene.hotspots {
            let found = land.iter().find(|(_, at)| near(t, *at));
            if t.delta_t_k >= 15.0 {
                self.land_truths += 1;
                if found.is_some() {
                    self.land_found += 1;
                }
            }
            if let Some((d, _)) = found
                && d.status == t.expected_status
            {
                self.land_status_right += 1;
            }
        }
        for (_, at) in &land {
            self.land_reported += 1;
            if scene.hotspots.iter().any(|t| near(t, *at)) {
                self.land_true += 1;
            }
        }
        for d in detections {
            let right = match d.capability {
                Capability::BankPlume | Capability::SubmergedPlume => plume_is_true(d, plume_at(d)),
                Capability::LandHotspot => {
                    let at = px_of(d.centroid_lon, d.centroid_lat);
                    scene.hotspots.iter().any(|t| near(t, at))
                }
                Capability::SatHotspot => continue,
            };
            let bin = SCORE_BINS.iter().rposition(|&b| d.score >= b).unwrap_or(0);
            self.reliability[bin].0 += usize::from(right);
            self.reliability[bin].1 += 1;
        }
    }

    /// The reliability table as text: per score bin, right / all.
    pub fn reliability_table(&self) -> String {
        SCORE_BINS
            .iter()
            .zip(&self.reliability)
            .enumerate()
            .map(|(k, (lo, (right, all)))| {
                let hi = SCORE_BINS.get(k + 1).copied().unwrap_or(1.0);
                format!(
                    "score {lo:.1}–{hi:.1}: {right}/{all} right ({:.2})",
                    ratio(*right, *all)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn plume_recall(&self) -> f64 {
        ratio(self.plume_found, self.plume_truths)
    }

    pub fn plume_nominal_recall(&self) -> f64 {
        ratio(self.plume_nominal_found, self.plume_nominal_truths)
    }

    pub fn plume_precision(&self) -> f64 {
        ratio(self.plume_true, self.plume_reported)
    }

    pub fn median_outlet_error_m(&self) -> f64 {
        let mut e = self.outlet_errors_m.clone();
        e.sort_by(f64::total_cmp);
        e.get(e.len() / 2).copied().unwrap_or(f64::NAN)
    }

    pub fn status_accuracy(&self) -> f64 {
        ratio(self.status_right, self.status_checked)
    }

    pub fn land_recall(&self) -> f64 {
        ratio(self.land_found, self.land_truths)
    }

    pub fn land_precision(&self) -> f64 {
        ratio(self.land_true, self.land_reported)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// The acceptance figures on one line, the reliability table after them.
impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "plumes {}/{} found (recall {:.3}; by nominal ΔT0 {:.3} of {}), precision {:.3} of \
             {}, median outlet error {:.2} m, status {:.3}; land {}/{} (recall {:.3}), precision \
             {:.3} of {}; {}",
            self.plume_found,
            self.plume_truths,
            self.plume_recall(),
            self.plume_nominal_recall(),
            self.plume_nominal_truths,
            self.plume_precision(),
            self.plume_reported,
            self.median_outlet_error_m(),
            self.status_accuracy(),
            self.land_found,
            self.land_truths,
            self.land_recall(),
            self.land_precision(),
            self.land_reported,
            self.reliability_table()
        )
    }
}
