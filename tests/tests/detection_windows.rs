//! Detection window by window gives the whole raster's detections (issue #4: tiled processing
//! with identical results).

use yitu_core::cancel::Cancel;
use yitu_imagery::detect::synthetic::{Scene, SceneSpec};
use yitu_imagery::detect::{
    Daylight, DetectError, Parameters, ThermalFile, detect, read_image, to_geojson, windows,
};

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
        let by_windows = windows::detect(
            &scene.image,
            &scene.registry,
            &params,
            core,
            &Cancel::default(),
        )
        .unwrap();
        assert_eq!(
            to_geojson(&by_windows, &provenance),
            expected,
            "core {core}"
        );
    }
}

#[test]
fn windows_read_from_the_file_give_the_whole_rasters_detections() {
    // The scene in kelvin, as thermal TIFFs often are: each window is read from the file and
    // converted on its own, never the whole raster.
    let spec = SceneSpec {
        seed: 11,
        daylight: Daylight::Night,
        river_width_m: 30.0,
        gsd_m: 0.2,
        length_m: 400.0,
        plumes: 6,
        hotspots: 6,
    };
    let scene = Scene::generate(&spec);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kelvin.tif");
    let kelvin: Vec<f32> = (scene.image.celsius.iter())
        .map(|&c| if c.is_finite() { c + 273.15 } else { -9999.0 })
        .collect();
    yitu_layers::raster::write_f32_geotiff(
        &path,
        scene.image.width,
        scene.image.height,
        kelvin,
        Some(-9999.0),
        Some(&scene.georef),
        &[],
    )
    .unwrap();
    let params = Parameters::for_daylight(spec.daylight);
    let image = read_image(&path, None).unwrap();
    let whole = detect(&image, &scene.registry, &params);
    let file = ThermalFile::open(&path, None).unwrap();
    let by_windows =
        windows::detect(&file, &scene.registry, &params, 300, &Cancel::default()).unwrap();
    assert!(whole.len() >= 6, "{} detections", whole.len());
    let provenance = serde_json::json!({});
    assert_eq!(
        to_geojson(&by_windows, &provenance),
        to_geojson(&whole, &provenance)
    );
    // A cancelled run stops before its next window with `Cancelled`, not with detections.
    let cancel = Cancel::default();
    cancel.cancel();
    let stopped = windows::detect(&file, &scene.registry, &params, 300, &cancel);
    assert!(
        matches!(stopped, Err(DetectError::Cancelled)),
        "{stopped:?}"
    );
}
