//! `yitu screenshot` under a real X server (Xvfb, started by `scripts/test.sh`): the sample
//! project drawn, a raster coloured by the GPU shader, and the command centre's second screen.

#[expect(dead_code, reason = "these tests read pictures, not JSON")]
mod common;

use common::{succeeded, yitu};

/// These tests need a display: `scripts/test.sh` starts Xvfb. Elsewhere they skip, saying why.
fn has_display() -> bool {
    let has = std::env::var_os("DISPLAY").is_some();
    if !has {
        eprintln!("skipped: no DISPLAY (scripts/test.sh starts Xvfb)");
    }
    has
}

#[test]
fn screenshot_renders_the_sample_project_to_a_png() {
    if !has_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot.png");
    let out = yitu(&[
        "screenshot",
        "--out",
        png.to_str().unwrap(),
        "--size",
        "800x600",
        "--view",
        "主城区",
    ]);
    succeeded(&out);
    let img = image::open(&png).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (800, 600));
    // Not a blank window: many distinct colours (map, clusters, text).
    let distinct: std::collections::BTreeSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
    assert!(distinct.len() > 50, "{} colours", distinct.len());
}

/// The raster shader on a real GL context (Mesa under Xvfb): palette colours left, the isotherm
/// colour right where values pass the threshold, and nothing where the raster has no data; and
/// the same raster on the command centre's second screen.
#[test]
fn screenshot_colours_a_raster_on_the_gpu_with_an_isotherm() {
    if !has_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tif = dir.path().join("heat.tif");
    let (w, h) = (200, 100);
    // Left half: a 0–40 gradient; right half: 100 (hot); bottom fifth: no data.
    let values: Vec<f32> = (0..w * h)
        .map(|i| match (i % w, i / w) {
            (_, r) if r >= 80 => -9999.0,
            (c, _) if c >= 100 => 100.0,
            (c, _) => c as f32 * 0.4,
        })
        .collect();
    let georef = yitu_layers::raster::Georef {
        geo_transform: [106.0, 0.005, 0.0, 29.8, 0.0, -0.005],
        crs_wkt: yitu_layers::Crs::Wgs84
            .spatial_ref()
            .unwrap()
            .to_wkt()
            .unwrap(),
    };
    yitu_layers::raster::write_f32_geotiff(&tif, w, h, values, Some(-9999.0), Some(&georef), &[])
        .unwrap();
    let project = yitu_layers::Project {
        name: "gpu".into(),
        layers: Vec::new(),
        bookmarks: vec![yitu_layers::Bookmark {
            name: "heat".into(),
            lon: 106.5,
            lat: 29.55,
            zoom: 10.0,
        }],
        rasters: vec![yitu_layers::RasterRef {
            path: tif.to_string_lossy().into_owned(),
            view: serde_json::json!({
                "display": {"Single": 0}, "palette": "ironbow", "stretch": "MinMax",
                "opacity": 1.0, "visible": true, "isotherm": 50.0
            }),
        }],
        stories: Vec::new(),
    };
    let gpkg = dir.path().join("gpu.gpkg");
    project.save(&gpkg).unwrap();
    let shoot = |extra: &[&str]| {
        let png = dir.path().join("shot.png");
        let mut args = vec![
            "screenshot",
            gpkg.to_str().unwrap(),
            "--out",
            png.to_str().unwrap(),
            "--size",
            "800x600",
            "--view",
            "heat",
        ];
        args.extend(extra);
        let out = yitu(&args);
        succeeded(&out);
        png
    };
    let lut = yitu_imagery::thermal::palette::Palette::Ironbow.lut();
    // Pixels in all, in the isotherm colour, and in the gradient's ironbow colours (0–40 of
    // 0–100), which nothing else on the map uses.
    let colours = |png: &std::path::Path| {
        let img = image::open(png).unwrap().to_rgba8();
        let count = |f: &dyn Fn([u8; 4]) -> bool| img.pixels().filter(|p| f(p.0)).count();
        (
            img.dimensions(),
            count(&|p| p == [0, 230, 118, 255]),
            count(&|p| lut[10..100].iter().any(|c| c[..] == p[..3])),
        )
    };
    let ((w, h), isotherm, palette) = colours(&shoot(&[]));
    let total = (w * h) as usize;
    assert!(
        isotherm * 20 > total,
        "{isotherm} isotherm pixels of {total}"
    );
    assert!(palette * 50 > total, "{palette} palette pixels of {total}");
    // The second screen, 1080p where no window manager makes it full screen, shows the
    // raster too, around the caption and indicators laid over it.
    let second = dir.path().join("second.png");
    shoot(&["--second-screen", second.to_str().unwrap()]);
    let (size, isotherm, palette) = colours(&second);
    assert_eq!(size, (1920, 1080));
    let total = 1920 * 1080;
    assert!(
        isotherm * 40 > total,
        "second screen: {isotherm} isotherm pixels"
    );
    assert!(
        palette * 100 > total,
        "second screen: {palette} palette pixels"
    );
}

/// An offline basemap (`tests/data/basemap.pmtiles`, flat magenta tiles over central
/// Chongqing, made by `scripts/fixtures/basemap_pmtiles.py`) under the desk's map and on the
/// command centre's second screen.
#[test]
fn screenshot_draws_an_offline_basemap_on_the_desk_and_the_second_screen() {
    if !has_display() {
        return;
    }
    let tiles =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/basemap.pmtiles");
    let dir = tempfile::tempdir().unwrap();
    let project = yitu_layers::Project {
        name: "basemap".into(),
        layers: Vec::new(),
        bookmarks: vec![yitu_layers::Bookmark {
            name: "centre".into(),
            lon: 106.5,
            lat: 29.6,
            zoom: 8.0,
        }],
        rasters: Vec::new(),
        stories: Vec::new(),
    };
    let gpkg = dir.path().join("basemap.gpkg");
    project.save(&gpkg).unwrap();
    let (desk, second) = (dir.path().join("desk.png"), dir.path().join("second.png"));
    let out = yitu(&[
        "screenshot",
        gpkg.to_str().unwrap(),
        "--out",
        desk.to_str().unwrap(),
        "--size",
        "800x600",
        "--view",
        "centre",
        "--basemap",
        tiles.to_str().unwrap(),
        "--second-screen",
        second.to_str().unwrap(),
    ]);
    succeeded(&out);
    let magenta = |png: &std::path::Path| {
        let img = image::open(png).unwrap().to_rgba8();
        let n = img.pixels().filter(|p| p.0 == [255, 0, 255, 255]).count();
        n as f64 / f64::from(img.width() * img.height())
    };
    // The desk's map is small at 800×600 and the meeting window lies over part of it.
    let (on_desk, on_second) = (magenta(&desk), magenta(&second));
    assert!(
        on_desk > 0.05,
        "desk: {on_desk:.3} of the window is basemap"
    );
    assert!(on_second > 0.4, "second screen: {on_second:.3} is basemap");
}
