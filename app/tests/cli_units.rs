//! Temperature units of thermal TIFFs (issue #18, 2): read where the file states them, told from
//! the values only when it states none, given with `--units` on `thermal` and `detect` alike.

mod common;

use std::path::{Path, PathBuf};

use common::{json, yitu};
use yitu_layers::raster::{Georef, write_f32_geotiff};

/// A 64×64 float32 TIFF over the Yangtze in UTM 48N whose values run `lo`…`hi`, with
/// `metadata` items.
fn tiff(dir: &Path, name: &str, lo: f32, hi: f32, metadata: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    let n = 64 * 64;
    let values = (0..n)
        .map(|i| lo + (hi - lo) * i as f32 / (n - 1) as f32)
        .collect();
    let georef = Georef {
        geo_transform: [653_000.0, 0.2, 0.0, 3_270_000.0, 0.0, -0.2],
        crs_wkt: yitu_layers::Crs::Epsg(32648)
            .spatial_ref()
            .expect("the test's own files and runs work")
            .to_wkt()
            .expect("the test's own files and runs work"),
    };
    let metadata: Vec<_> = metadata
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    write_f32_geotiff(&path, 64, 64, values, None, Some(&georef), &metadata)
        .expect("the test's own files and runs work");
    path
}

fn detect(raster: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "detect",
        raster.to_str().expect("the test's own files and runs work"),
        "-o",
        out.to_str().expect("the test's own files and runs work"),
        "--json",
    ];
    args.extend_from_slice(extra);
    yitu(&args)
}

#[test]
fn a_hot_celsius_range_is_read_and_thermal_output_detects() {
    let dir = tempfile::tempdir().expect("the test's own files and runs work");
    // −1.8 … 252.8: °C (a kiln in the scene); negative values are never kelvin.
    let kiln = tiff(dir.path(), "kiln.tif", -1.8, 252.8, &[]);
    let out = dir.path().join("kiln.geojson");
    json(&detect(&kiln, &out, &[]));
    let celsius = dir.path().join("celsius.tif");
    let v = json(&yitu(&[
        "thermal",
        kiln.to_str().expect("the test's own files and runs work"),
        "--units",
        "c",
        "-o",
        celsius
            .to_str()
            .expect("the test's own files and runs work"),
        "--json",
    ]));
    assert_eq!(v["method"]["units_from"], "given");
    // What `thermal` wrote states its units: `detect` reads them.
    json(&detect(&celsius, &out, &[]));
    let v = json(&yitu(&[
        "thermal",
        celsius
            .to_str()
            .expect("the test's own files and runs work"),
        "-o",
        dir.path()
            .join("again.tif")
            .to_str()
            .expect("the test's own files and runs work"),
        "--json",
    ]));
    assert_eq!(v["method"]["units_from"]["file"], "degC");
    assert!(
        (v["max_c"]
            .as_f64()
            .expect("the test's own files and runs work")
            - 252.8)
            .abs()
            < 1e-3,
        "{v}"
    );
    // A radiometric camera's high-gain range.
    let flare = tiff(dir.path(), "flare.tif", 150.0, 650.0, &[]);
    json(&detect(&flare, &out, &[]));
}

#[test]
fn stated_units_decide_a_range_two_units_explain() {
    let dir = tempfile::tempdir().expect("the test's own files and runs work");
    let out = dir.path().join("out.geojson");
    // 190…260 is a hot scene in °C or a cold one in kelvin.
    let unstated = tiff(dir.path(), "unstated.tif", 190.0, 260.0, &[]);
    let before = std::fs::read(&unstated).expect("the test's own files and runs work");
    let failed = detect(&unstated, &out, &[]);
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        !failed.status.success() && err.contains("unstated.tif") && err.contains("--units"),
        "{err}"
    );
    assert_ne!(failed.status.code(), Some(101), "{err}");
    assert_eq!(
        std::fs::read(&unstated).expect("the test's own files and runs work"),
        before
    );
    json(&detect(&unstated, &out, &["--units", "k"]));
    let kelvin = tiff(dir.path(), "kelvin.tif", 190.0, 260.0, &[("UNITS", "K")]);
    json(&detect(&kelvin, &out, &[]));
    let v = json(&yitu(&[
        "thermal",
        kelvin.to_str().expect("the test's own files and runs work"),
        "-o",
        dir.path()
            .join("k.tif")
            .to_str()
            .expect("the test's own files and runs work"),
        "--json",
    ]));
    assert_eq!(v["method"]["units"], "kelvin");
    assert!(
        (v["min_c"]
            .as_f64()
            .expect("the test's own files and runs work")
            + 83.15)
            .abs()
            < 1e-3,
        "{v}"
    );
    // A unit that is not a temperature is not guessed over.
    let radiance = tiff(
        dir.path(),
        "radiance.tif",
        5.0,
        12.0,
        &[("UNITS", "W/m2/sr/um")],
    );
    let failed = detect(&radiance, &out, &[]);
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        !failed.status.success()
            && err.contains("radiance.tif")
            && err.contains("not a temperature unit"),
        "{err}"
    );
}
