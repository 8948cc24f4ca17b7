//! One synthetic scene's detections kept as a file (issue #19): any change to what detection
//! finds shows here as a difference to look at, and is accepted by writing the file again with
//! `YITU_BLESS=1 cargo test -p yitu-tests --test detection_golden`.

use std::path::Path;

use yitu_imagery::detect::synthetic::{Scene, SceneSpec};
use yitu_imagery::detect::{Parameters, detect};

/// What is compared of each detection: the fields an analyst acts on.
fn summary(d: &yitu_imagery::detect::Detection) -> serde_json::Value {
    let round = |v: f64, places: i32| (v * 10_f64.powi(places)).round() / 10_f64.powi(places);
    serde_json::json!({
        "capability": d.capability,
        "status": d.status,
        "score": round(d.score, 4),
        "centroid": [round(d.centroid_lon, 7), round(d.centroid_lat, 7)],
        "outlet": d.outlet_lon.zip(d.outlet_lat).map(|(x, y)| [round(x, 7), round(y, 7)]),
        "area_m2": round(d.area_m2, 2),
        "delta_t_k": round(d.delta_t_k, 3),
        "nearest_outfall_id": d.nearest_outfall_id,
        "qa_flags": d.qa_flags,
    })
}

#[test]
fn a_night_scene_gives_the_detections_on_file() {
    let spec = SceneSpec::small_night(42);
    let scene = Scene::generate(&spec);
    let found = detect(
        &scene.image,
        &scene.registry,
        &Parameters::for_daylight(spec.daylight),
    );
    let now = serde_json::Value::Array(found.iter().map(summary).collect());
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/detections_small_night_42.json");
    if std::env::var_os("YITU_BLESS").is_some() {
        std::fs::write(&file, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        now,
        kept,
        "detections changed: compare with {} and bless if intended",
        file.display()
    );
}
