//! Detection on the second, independent scene generator (`detect::orthosim`, issue #18): scenes
//! the detector was not made on. Seeds 1–12 were looked at while mending the detector; the
//! held-out seeds 1001–1016 never were, and carry the bars.

use yitu_imagery::detect::orthosim::OrthoSpec;
use yitu_imagery::detect::tally::Tally;
use yitu_imagery::detect::{Parameters, detect};

/// The issue counts a plume found when its outlet is within 5 m.
const OUTLET_MATCH_M: f64 = 5.0;

fn run(specs: impl Iterator<Item = OrthoSpec>) -> Tally {
    let mut tally = Tally::matching_within(OUTLET_MATCH_M);
    for spec in specs {
        tally.detect_and_add(&spec.generate(), spec.daylight);
    }
    tally
}

/// Floors that hold today on the held-out seeds, so that a change cannot lose ground unseen.
/// They are the bars (plume recall and precision ≥ 0.9, outlet ≤ 1.5 m, status ≥ 0.95,
/// land precision ≥ 0.9); the closing note gives the figures.
struct Floors {
    plume_recall: f64,
    plume_precision: f64,
    outlet_m: f64,
    land_recall: f64,
    land_precision: f64,
}

fn check(t: &Tally, f: &Floors) {
    let s = format!("held out: {t}");
    assert!(t.plume_recall() >= f.plume_recall, "{s}");
    assert!(t.plume_precision() >= f.plume_precision, "{s}");
    assert!(t.median_outlet_error_m() <= f.outlet_m, "{s}");
    assert!(t.status_accuracy() >= 0.95, "{s}");
    assert!(t.land_recall() >= f.land_recall, "{s}");
    assert!(t.land_precision() >= f.land_precision, "{s}");
}

/// The figures of the closing note: `cargo test -p yitu-tests --test detection_orthosim --
/// --nocapture`.
#[test]
fn night_scenes_of_the_independent_generator() {
    let tuning = run((1..=12).map(OrthoSpec::night));
    eprintln!("orthosim night, tuning seeds 1-12: {tuning}");
    let held_out = run((1001..=1016).map(OrthoSpec::night));
    eprintln!("orthosim night, held-out seeds 1001-1016: {held_out}");
    check(
        &held_out,
        &Floors {
            plume_recall: 0.9,
            plume_precision: 0.9,
            outlet_m: 1.5,
            land_recall: 0.95,
            land_precision: 0.95,
        },
    );
}

#[test]
fn day_scenes_of_the_independent_generator() {
    let tuning = run((1..=8).map(OrthoSpec::day));
    eprintln!("orthosim day, tuning seeds 1-8: {tuning}");
    let held_out = run((1001..=1008).map(OrthoSpec::day));
    eprintln!("orthosim day, held-out seeds 1001-1008: {held_out}");
    check(
        &held_out,
        &Floors {
            plume_recall: 0.9,
            plume_precision: 0.9,
            outlet_m: 1.5,
            land_recall: 0.95,
            land_precision: 0.9,
        },
    );
}

/// What goes wrong, detection by detection (tuning seeds only): `cargo test -p yitu-tests
/// --test detection_orthosim -- --ignored --nocapture`.
#[test]
#[ignore = "a diagnostic, not a check"]
fn diagnose_tuning_seeds() {
    use yitu_imagery::detect::Capability;
    let day = std::env::var_os("YITU_DAY").is_some();
    for seed in 1..=if day { 8 } else { 12 } {
        let spec = if day {
            OrthoSpec::day(seed)
        } else {
            OrthoSpec::night(seed)
        };
        let scene = spec.generate();
        let found = detect(
            &scene.image,
            &scene.registry,
            &Parameters::for_daylight(spec.daylight),
        );
        let frame = &scene.image.frame;
        let gsd = frame.gsd_m;
        eprintln!(
            "seed {seed}: {}x{} gsd {gsd:.3}",
            scene.image.width, scene.image.height
        );
        for t in &scene.plumes {
            let found = found
                .iter()
                .filter(|d| d.score >= 0.5 && d.capability != Capability::LandHotspot)
                .any(|d| {
                    let at = match (d.outlet_lon, d.outlet_lat) {
                        (Some(lon), Some(lat)) => frame.pixel(lon, lat).unwrap(),
                        _ => frame.pixel(d.centroid_lon, d.centroid_lat).unwrap(),
                    };
                    (t.outlet_px.0 - at.0).hypot(t.outlet_px.1 - at.1) * gsd <= OUTLET_MATCH_M
                });
            if found {
                continue;
            }
            eprintln!(
                "  MISSED plume at {:?} dT0 {:.2} visible {:.2} area {:.1}",
                (t.outlet_px.0 as i64, t.outlet_px.1 as i64),
                t.delta_t0_k,
                t.visible_delta_t_k,
                t.area_m2
            );
        }
        for t in scene.hotspots.iter().filter(|_| false) {
            eprintln!(
                "  truth hot at {:?} dT {:.1} r {:.1}",
                (t.centre_px.0 as i64, t.centre_px.1 as i64),
                t.delta_t_k,
                t.radius_m
            );
        }
        for d in &found {
            let at = match (d.outlet_lon, d.outlet_lat) {
                (Some(lon), Some(lat)) => frame.pixel(lon, lat).unwrap(),
                _ => frame.pixel(d.centroid_lon, d.centroid_lat).unwrap(),
            };
            let near_plume = scene
                .plumes
                .iter()
                .map(|t| (t.outlet_px.0 - at.0).hypot(t.outlet_px.1 - at.1) * gsd)
                .fold(f64::MAX, f64::min);
            let near_hot = scene
                .hotspots
                .iter()
                .map(|t| (t.centre_px.0 - at.0).hypot(t.centre_px.1 - at.1) * gsd)
                .fold(f64::MAX, f64::min);
            let near = if d.capability == Capability::LandHotspot {
                near_hot
            } else {
                near_plume
            };
            let near_missed = scene
                .plumes
                .iter()
                .any(|t| (t.outlet_px.0 - at.0).hypot(t.outlet_px.1 - at.1) * gsd <= 40.0);
            if (near <= OUTLET_MATCH_M || d.score < 0.5) && !near_missed {
                continue;
            }
            eprintln!(
                "  FALSE {:?} at {:?} score {:.2} area {:.1} dT {:.2} z {:.1} flags {:?} bbox {:?} nearest truth {:.1} m",
                d.capability,
                (at.0 as i64, at.1 as i64),
                d.score,
                d.area_m2,
                d.delta_t_k,
                d.z_peak,
                d.qa_flags,
                d.pixel_bbox,
                near
            );
        }
    }
}
