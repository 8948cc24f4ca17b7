//! The `yitu` binary as scripts use it: exact forms and JSON fields of issue #2.

mod common;

use std::path::Path;

use common::{json, succeeded, yitu};
use yitu_tests::shared_data as shared;

#[test]
fn info_json_on_the_default_project_lists_every_kind() {
    let v = json(&yitu(&["info", "--json"]));
    let layers = v["layers"].as_array().unwrap();
    for key in ["name", "kind", "features", "crs", "bbox"] {
        assert!(layers.iter().all(|l| l.get(key).is_some()), "missing {key}");
    }
    let kinds: Vec<&str> = layers.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    for k in [
        "pollution_sources",
        "outfalls",
        "river_sections",
        "districts",
        "rivers",
        "other",
    ] {
        assert!(kinds.contains(&k), "no {k} in {kinds:?}");
    }
    let sources = layers
        .iter()
        .find(|l| l["kind"] == "pollution_sources")
        .unwrap();
    assert!(sources["features"].as_u64().unwrap() >= 5_000);
    let bbox = sources["bbox"].as_array().unwrap();
    assert!(bbox[0].as_f64().unwrap() > 105.0 && bbox[2].as_f64().unwrap() < 110.5);
}

#[test]
fn sample_then_info_and_convert_through_files() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("cq.gpkg");
    assert!(
        yitu(&["sample", "--out", gpkg.to_str().unwrap()])
            .status
            .success()
    );
    let v = json(&yitu(&["info", gpkg.to_str().unwrap(), "--json"]));
    assert_eq!(v["layers"].as_array().unwrap().len(), 8);

    // A GCJ-02 CSV (as exported from Amap) converted to a WGS84 GeoJSON and to Gauss-Krüger.
    let csv = dir.path().join("amap.csv");
    std::fs::write(&csv, "name,lng,lat\n解放碑,106.58188,29.55478\n").unwrap();
    let out = dir.path().join("out.geojson");
    let c = json(&yitu(&[
        "convert",
        csv.to_str().unwrap(),
        out.to_str().unwrap(),
        "--from",
        "gcj02",
        "--json",
    ]));
    assert_eq!(c["features"], 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("解放碑"));
    let v = json(&yitu(&["info", out.to_str().unwrap(), "--json"]));
    let bbox = v["layers"][0]["bbox"].as_array().unwrap();
    // In Chongqing, GCJ-02 shifts points ~400 m east and slightly south of WGS84.
    let (lon, lat) = (bbox[0].as_f64().unwrap(), bbox[1].as_f64().unwrap());
    assert!((0.002..0.006).contains(&(106.58188 - lon)), "{lon}");
    assert!((0.0..0.005).contains(&(lat - 29.55478)), "{lat}");

    let gk = dir.path().join("gk.shp");
    assert!(
        yitu(&[
            "convert",
            out.to_str().unwrap(),
            gk.to_str().unwrap(),
            "--to",
            "EPSG:4545"
        ])
        .status
        .success()
    );
    let v = json(&yitu(&["info", gk.to_str().unwrap(), "--json"]));
    assert_eq!(v["layers"][0]["crs"], "EPSG:4545");
}

#[test]
fn bad_input_fails_with_the_file_named_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("broken.csv");
    std::fs::write(&csv, "name,lon,lat\nA,106.5,29.5\nB,x,29\n").unwrap();
    let out = yitu(&["info", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.csv") && err.contains("row 3") && !err.contains("panicked"),
        "{err}"
    );
    let ok = json(&yitu(&[
        "info",
        csv.to_str().unwrap(),
        "--skip-bad-rows",
        "--json",
    ]));
    assert_eq!(ok["layers"][0]["features"], 1);
    assert_eq!(ok["skipped_rows"][0]["row"], 3);

    let out = yitu(&["convert", csv.to_str().unwrap(), csv.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "converting onto the input must be refused"
    );
    assert!(Path::new(&csv).exists());
    let out = yitu(&[
        "convert",
        csv.to_str().unwrap(),
        "x.geojson",
        "--to",
        "EPSG:999999",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown CRS"));
}

#[test]
fn every_verb_has_help() {
    for verb in [
        "open",
        "info",
        "convert",
        "screenshot",
        "sample",
        "bench",
        "thermal",
        "detect",
        "draw",
    ] {
        let out = yitu(&[verb, "--help"]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{verb}");
    }
}

#[test]
fn thermal_writes_celsius_geotiffs_and_records_the_parameters() {
    let (Some(flir), Some(b10)) = (
        shared("thermal/FLIR_E40.jpg"),
        shared("landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B10.TIF"),
    ) else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let before = std::fs::read(&flir).unwrap();
    let out = dir.path().join("e40.tif");
    let v = json(&yitu(&[
        "thermal",
        flir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--emissivity",
        "0.9",
        "--distance",
        "30",
        "--humidity",
        "70",
        "--reflected",
        "15",
        "--air",
        "18",
        "--json",
    ]));
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(160), Some(120))
    );
    assert_eq!(v["method"]["scene"]["emissivity"], 0.9);
    assert_eq!(v["method"]["scene"]["atmosphere_c"], 18.0);
    let band = yitu_layers::raster::read_band(&out, 1).unwrap();
    assert_eq!(
        (band.width, band.height, band.data_type.as_str()),
        (160, 120, "Float32")
    );
    let meta = yitu_layers::raster::metadata(&out).unwrap();
    assert!(
        meta.iter()
            .any(|(k, v)| k == "YITU_METHOD" && v.contains("\"distance_m\":30")),
        "{meta:?}"
    );
    assert_eq!(
        std::fs::read(&flir).unwrap(),
        before,
        "the input is unchanged"
    );

    let out = dir.path().join("b10.tif");
    let v = json(&yitu(&[
        "thermal",
        b10.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(v["georeferenced"], true);
    assert_eq!(v["method"]["method"], "landsat_brightness");
    let band = yitu_layers::raster::read_band(&out, 1).unwrap();
    assert!(band.georef.unwrap().crs_wkt.contains("32N"), "UTM 32N kept");
}

#[test]
fn info_describes_a_raster_without_writing_beside_it() {
    let Some(b10) = shared("landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B10.TIF") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("b10.tif");
    std::fs::copy(&b10, &copy).unwrap();
    let v = json(&yitu(&["info", copy.to_str().unwrap(), "--json"]));
    assert_eq!(v["driver"], "GTiff");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(41), Some(41))
    );
    assert_eq!(v["crs"], "EPSG:32632");
    assert_eq!(v["pixel_size"][0], 30.0);
    let bbox = v["bbox_wgs84"].as_array().unwrap();
    // WRS-2 path 195 row 25: central Germany.
    assert!(
        (5.0..12.0).contains(&bbox[0].as_f64().unwrap())
            && (48.0..53.0).contains(&bbox[1].as_f64().unwrap())
    );
    assert!(v["bands"][0]["max"].as_f64().unwrap() > v["bands"][0]["min"].as_f64().unwrap());
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "no .aux.xml side-car");
}

#[test]
fn info_on_a_drone_photo_gives_pose_and_a_geojson_footprint() {
    let Some(photo) = shared("thermal/h20t_flight/DJI_20220602143532_0191_T.JPG") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let v = json(&yitu(&["info", photo.to_str().unwrap(), "--json"]));
    assert_eq!(v["model"], "ZH20T");
    assert_eq!(v["gimbal"]["pitch_deg"], -90.0);
    assert_eq!(v["footprint"]["type"], "Polygon");
    assert_eq!(
        v["footprint"]["coordinates"][0].as_array().unwrap().len(),
        9
    );
    assert_eq!(v["thermal"]["method"], "dji_sdk_required");
    let flir = shared("thermal/FLIR_E40.jpg").unwrap();
    let v = json(&yitu(&["info", flir.to_str().unwrap(), "--json"]));
    assert_eq!(v["thermal"]["method"], "flir_planck");
    assert!(
        v["thermal"]["range_c"][1].as_f64().unwrap() > v["thermal"]["range_c"][0].as_f64().unwrap()
    );
}

/// `yitu sample --detection-scene` into `dir/scene`, with planted truth from `seed`.
fn detection_scene(dir: &std::path::Path, seed: u64) -> std::path::PathBuf {
    let scene = dir.join("scene");
    let out = yitu(&[
        "sample",
        "--detection-scene",
        "--out",
        &scene.to_string_lossy(),
        "--seed",
        &seed.to_string(),
    ]);
    succeeded(&out);
    scene
}

/// A raster whose whole run would not fit in the memory given is read and worked on window by
/// window, with the same GeoJSON and the same evidence.
#[test]
fn detect_within_little_memory_gives_the_same_detections() {
    let dir = tempfile::tempdir().unwrap();
    let scene = detection_scene(dir.path(), 5);
    let p = |name: &str| scene.join(name).to_string_lossy().into_owned();
    let run = |name: &str, memory: &[&str]| {
        let out = dir.path().join(format!("{name}.geojson"));
        let evidence = dir.path().join(name);
        let mut args = vec![
            "detect",
            &p("scene.tif"),
            "--river",
            &p("rivers.geojson"),
            "--outfalls",
            &p("outfalls.geojson"),
            "--night",
            "-o",
            out.to_str().unwrap(),
            "--evidence",
            evidence.to_str().unwrap(),
            "--json",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        args.extend(memory.iter().map(|s| (*s).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let summary = json(&yitu(&args));
        (std::fs::read(out).unwrap(), summary, evidence)
    };
    let (whole, summary, whole_evidence) = run("whole", &[]);
    // 10 MB: the 1.4-megapixel scene's whole run needs about 28.
    let (windowed, _, windowed_evidence) = run("windowed", &["--memory-mb", "10"]);
    assert!(summary["detections"].as_u64().unwrap() >= 5, "{summary}");
    assert_eq!(
        String::from_utf8_lossy(&windowed),
        String::from_utf8_lossy(&whole)
    );
    let chip = |dir: &std::path::Path| std::fs::read(dir.join("D0001.png")).unwrap();
    assert_eq!(chip(&windowed_evidence), chip(&whole_evidence));
}

/// `yitu detect` in the issue's exact form, on a scene the project generates itself.
#[test]
fn detect_writes_geojson_with_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let scene = detection_scene(dir.path(), 3);
    let tif = scene.join("scene.tif");
    let before = std::fs::read(&tif).unwrap();
    let geojson = dir.path().join("found.geojson");
    let p = |name: &str| scene.join(name).to_string_lossy().into_owned();
    let summary = json(&yitu(&[
        "detect",
        &p("scene.tif"),
        "--river",
        &p("rivers.geojson"),
        "--outfalls",
        &p("outfalls.geojson"),
        "--sources",
        &p("sources.geojson"),
        "--night",
        "-o",
        geojson.to_str().unwrap(),
        "--evidence",
        dir.path().join("evidence").to_str().unwrap(),
        "--json",
    ]));
    // Evidence: a chip and a sheet per detection worth a visit.
    let sheets = summary["evidence"].as_array().unwrap();
    assert_eq!(
        sheets.len() as u64,
        summary["worth_a_visit"].as_u64().unwrap()
    );
    let first = std::path::PathBuf::from(sheets[0].as_str().unwrap());
    let html = std::fs::read_to_string(&first).unwrap();
    assert!(html.contains("D0001.png") && html.contains("ΔT") && html.contains("parameters"));
    let chip = image::open(first.with_extension("png")).unwrap();
    assert!(chip.width() > 50 && chip.height() > 50);
    assert_eq!(summary["daylight"], "night");
    assert_eq!(
        std::fs::read(&tif).unwrap(),
        before,
        "the input is unchanged"
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert_eq!(
        features.len() as u64,
        summary["detections"].as_u64().unwrap()
    );
    for f in features {
        assert_eq!(f["geometry"]["type"], "Polygon");
        let props = &f["properties"];
        for key in [
            "capability",
            "score",
            "centroid_lon",
            "centroid_lat",
            "outlet_lon",
            "outlet_lat",
            "area_m2",
            "peak_temp_c",
            "background_temp_c",
            "delta_t_k",
            "direction_deg",
            "status",
            "nearest_outfall_id",
            "nearest_outfall_distance_m",
            "qa_flags",
            "provenance",
        ] {
            assert!(props.get(key).is_some(), "no {key} in {props}");
        }
        let score = props["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(
            props["provenance"]["input_sha256"]["raster"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
    }
    let caps: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["capability"].as_str().unwrap())
        .collect();
    assert!(
        caps.contains(&"bank_plume") && caps.contains(&"land_hotspot"),
        "{caps:?}"
    );
    // Bad input: a river file that is not there, named in the error.
    let out = yitu(&[
        "detect",
        &p("scene.tif"),
        "--river",
        "/nonexistent/rivers.geojson",
        "-o",
        geojson.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/rivers.geojson"));
    // A raster without georeferencing is refused with a reason.
    let plain = dir.path().join("plain.tif");
    yitu_layers::raster::write_f32_geotiff(&plain, 4, 4, vec![20.0; 16], None, None, &[]).unwrap();
    let out = yitu(&[
        "detect",
        plain.to_str().unwrap(),
        "-o",
        geojson.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("no georeferencing")
            && said.contains(&format!("; file: {}", plain.display())),
        "{said}"
    );
    // An outfalls file without `status`: the problem, then the file.
    let outfalls = dir.path().join("outfalls_without_status.geojson");
    std::fs::write(
        &outfalls,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"O1"},
           "geometry":{"type":"Point","coordinates":[106.5,29.5]}}]}"#,
    )
    .unwrap();
    let out = yitu(&[
        "detect",
        &p("scene.tif"),
        "--outfalls",
        outfalls.to_str().unwrap(),
        "-o",
        geojson.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    let problem = said.find("has no `status` attribute");
    let file = said.find(&format!("; file: {}", outfalls.display()));
    assert!(
        matches!((problem, file), (Some(a), Some(b)) if a < b),
        "{said}"
    );
}

#[test]
fn detect_reads_a_landsat_scene_for_swir_hot_spots() {
    let Some(b6) = shared("landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B6.TIF") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("swir.geojson");
    let b6 = b6.to_str().unwrap();
    let out_s = out.to_str().unwrap();
    let v = json(&yitu(&["detect", b6, "-o", out_s, "--json"]));
    // A quiet German summer scene: the hot-spot indices find nothing, on radiance.
    assert_eq!(v["detections"], 0);
    assert_eq!(v["daylight_from"], "sensor");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["type"], "FeatureCollection");
    // Evidence chips are thermal: refused before anything is written.
    std::fs::remove_file(&out).unwrap();
    let refused = yitu(&["detect", b6, "-o", out_s, "--evidence", out_s]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("SWIR"));
    assert!(!out.exists());
}
