//! Detection window by window gives the whole raster's detections (issue #4: tiled processing
//! with identical results).

use yitu_analysis::detect::synthetic::{Scene, SceneSpec};
use yitu_analysis::detect::{Daylight, Parameters, detect, to_geojson, windows};

#[test]
fn windows_give_the_whole_rasters_detections() {
    // A 600 m reach cut across its length into windows that each see only part of it; plumes,
    // boats and hot spots fall on the cuts.
    let spec = SceneSpec {
        seed: 7,
        daylight: Daylight::Night,
        river_width_m: 40.0,
        gsd_m: 0.2,
        length_m: 600.0,
        plumes: 8,
        hotspots: 8,
    };
    let scene = Scene::generate(&spec);
    let params = Parameters::for_daylight(spec.daylight);
    let whole = detect(&scene.image, &scene.registry, &params);
    assert!(whole.len() >= 8, "{} detections", whole.len());
    let provenance = serde_json::json!({});
    let expected = to_geojson(&whole, &provenance);
    // Cores of 256 px cut the 550 px height too, so windows meet at corners.
    for core in [256, 700] {
        let by_windows = windows::detect(&scene.image, &scene.registry, &params, core);
        assert_eq!(
            to_geojson(&by_windows, &provenance),
            expected,
            "core {core}"
        );
    }
}
