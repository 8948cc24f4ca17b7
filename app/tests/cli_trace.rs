//! `yitu trace` through the real binary, in the issue's form: a generated network (pieces
//! against the flow, gaps, a braid) written as a GeoPackage in a projected CRS, features and
//! districts as GeoJSON; what it finds checked against the generator's truth, and bad input
//! named.

mod common;

use std::path::Path;

use common::{json, succeeded, yitu};
use serde_json::{Value, json};
use yitu_basins::synthetic::{Generated, Spec, generate};

/// The generated rivers, features and two districts (west of 105.8° in Sichuan) in `dir`.
fn write_inputs(g: &Generated, dir: &Path) {
    let lines: Vec<_> = g
        .lines
        .iter()
        .map(|l| {
            let geometry = geo::Geometry::LineString(geo::LineString(l.coords.clone()));
            // Every tenth line gives its own velocity.
            let velocity = l.id.ends_with('0').then_some(2.0);
            yitu_layers::geojson::feature(
                Some(&geometry),
                json!({"id": l.id, "name": l.name, "velocity_m_s": velocity}),
            )
        })
        .collect();
    let text = yitu_layers::geojson::collection(lines, serde_json::Map::new()).to_string();
    std::fs::write(dir.join("rivers.geojson"), text).expect("written");
    // Any format and CRS: the rivers go in as a GeoPackage in CGCS2000 / 3-degree Gauss-Kruger CM 105E.
    let out = yitu(&[
        "convert",
        dir.join("rivers.geojson").to_str().expect("utf-8"),
        dir.join("rivers.gpkg").to_str().expect("utf-8"),
        "--to",
        "4544",
    ]);
    succeeded(&out);
    for layer in ["outfalls", "sources", "sections"] {
        let features: Vec<_> = g
            .features
            .iter()
            .filter(|p| p.feature.layer == layer)
            .map(|p| {
                let point = geo::Geometry::Point(geo::Point(p.feature.at));
                yitu_layers::geojson::feature(Some(&point), json!({"id": p.feature.id}))
            })
            .collect();
        let text = yitu_layers::geojson::collection(features, serde_json::Map::new()).to_string();
        std::fs::write(dir.join(format!("{layer}.geojson")), text).expect("written");
    }
    let square =
        |x0: f64, x1: f64| vec![[x0, 29.0], [x1, 29.0], [x1, 30.0], [x0, 30.0], [x0, 29.0]];
    let districts = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "510101", "name": "西县"}, "geometry": {"type": "Polygon", "coordinates": [square(105.0, 105.8)]}},
        {"type": "Feature", "properties": {"code": "500101", "name": "东区"}, "geometry": {"type": "Polygon", "coordinates": [square(105.8, 106.5)]}},
    ]});
    std::fs::write(dir.join("districts.geojson"), districts.to_string()).expect("written");
}

/// A generated network written out, and a start 300 m above its mouth.
struct Case {
    g: Generated,
    dir: tempfile::TempDir,
    main_len: f64,
    from: String,
}

fn case(seed: u64) -> Case {
    let g = generate(Spec::new(seed));
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_inputs(&g, dir.path());
    let main_len = g.rivers[0].cum.last().copied().expect("points");
    let start = g.point(0, main_len - 300.0);
    let from = format!("{},{}", start.x, start.y);
    Case {
        g,
        dir,
        main_len,
        from,
    }
}

fn args<'a>(dir: &'a str, rest: &[&'a str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "trace",
        "--rivers",
        "rivers.gpkg",
        "--outfalls",
        "outfalls.geojson",
        "--sources",
        "sources.geojson",
        "--sections",
        "sections.geojson",
        "--districts",
        "districts.geojson",
    ]
    .iter()
    .map(|s| {
        if s.ends_with("json") || s.ends_with("gpkg") {
            format!("{dir}/{s}")
        } else {
            (*s).to_owned()
        }
    })
    .collect();
    a.extend(rest.iter().map(|s| (*s).to_owned()));
    a
}

fn run(a: &[String]) -> Value {
    json(&yitu(&a.iter().map(String::as_str).collect::<Vec<_>>()))
}

#[test]
fn traces_a_generated_network_to_the_truth() {
    let Case {
        g,
        dir,
        main_len,
        from,
    } = case(7);
    let d = dir.path().to_str().expect("utf-8");
    let out = format!("{d}/trace.geojson");
    let summary = run(&args(d, &["--from", &from, "-o", &out, "--json"]));

    let mut truth = g.upstream_of(0, main_len - 300.0);
    truth.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut found: Vec<(String, String, f64, f64, String)> = summary["found"]
        .as_array()
        .expect("found")
        .iter()
        .map(|f| {
            (
                f["layer"].as_str().expect("layer").to_owned(),
                f["id"].as_str().expect("id").to_owned(),
                f["river_km"].as_f64().expect("river_km"),
                f["travel_h"].as_f64().expect("travel_h"),
                f["district"].as_str().expect("district").to_owned(),
            )
        })
        .collect();
    found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(
        found
            .iter()
            .map(|f| format!("{}:{}", f.0, f.1))
            .collect::<Vec<_>>(),
        truth
            .iter()
            .map(|t| format!("{}:{}", t.0, t.1))
            .collect::<Vec<_>>()
    );
    for (f, t) in found.iter().zip(&truth) {
        assert!(
            (f.2 * 1000.0 - t.2).abs() <= t.2 * 0.01 + 5.0,
            "{}:{} at {} km, truth {} m",
            f.0,
            f.1,
            f.2,
            t.2
        );
        // No faster than the fastest reach, no slower than the default 0.5 m/s.
        assert!(
            f.3 <= f.2 * 1000.0 / 0.5 / 3600.0 + 1e-9 && f.3 >= f.2 * 1000.0 / 2.0 / 3600.0 - 1e-9,
            "{f:?}"
        );
        let lon = g
            .features
            .iter()
            .find(|p| p.feature.layer == f.0 && p.feature.id == f.1)
            .expect("planted")
            .feature
            .at
            .x;
        assert_eq!(f.4, if lon < 105.8 { "510101" } else { "500101" }, "{f:?}");
    }
    assert_eq!(summary["velocity_source"], "default");
    // The main stem flows east out of the western district: the crossing names them by flow.
    let crossings = summary["crossings"].as_array().expect("crossings");
    assert!(!crossings.is_empty(), "the traced rivers cross 105.8°E");
    for c in crossings {
        assert_eq!(c["upstream_district"], "510101", "{c}");
        assert_eq!(c["downstream_district"], "500101", "{c}");
        assert!(
            (c["lon"].as_f64().expect("lon") - 105.8).abs() < 1e-4,
            "{c}"
        );
    }
    let qa: Vec<&str> = summary["qa"]
        .as_array()
        .expect("qa")
        .iter()
        .map(|q| q["kind"].as_str().expect("kind"))
        .collect();
    for kind in ["gap_closed", "joined_mid_line", "reversed", "braid"] {
        assert!(qa.contains(&kind), "QA reports {kind}: {qa:?}");
    }

    // The GeoJSON: reaches with their distances, the features found and the crossings.
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("GeoJSON");
    let features = file["features"].as_array().expect("features");
    let reaches: Vec<&Value> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(
        reaches.len() as u64,
        summary["reaches"].as_u64().expect("reaches")
    );
    for r in &reaches {
        let p = &r["properties"];
        assert!(p["reach_id"].is_string() && p["name"].is_string(), "{p}");
        assert!(
            p["from_km"].as_f64().expect("from_km") >= p["to_km"].as_f64().expect("to_km"),
            "upstream: from_km at the first point is the farther: {p}"
        );
    }
    let points = features
        .iter()
        .filter(|f| f["properties"]["layer"].is_string())
        .count();
    assert_eq!(points, found.len());
    let crossing_points = features
        .iter()
        .filter(|f| f["properties"]["upstream_district"].is_string())
        .count();
    assert_eq!(crossing_points, crossings.len());
    let length: f64 = summary["length_km"].as_f64().expect("length_km");
    assert!(length > main_len / 1000.0 * 0.99, "{length} km traced");
}

#[test]
fn limits_direction_and_bad_input() {
    let Case {
        g,
        dir,
        main_len,
        from,
    } = case(8);
    let d = dir.path().to_str().expect("utf-8");
    let out = format!("{d}/t.geojson");

    // Two hours at 1 m/s: nothing beyond 7.2 km, and the time is the distance over the speed.
    let s = run(&args(
        d,
        &[
            "--from",
            &from,
            "--hours",
            "2",
            "--velocity",
            "1",
            "-o",
            &out,
            "--json",
        ],
    ));
    assert_eq!(s["velocity_source"], "given");
    let truth: Vec<_> = g
        .upstream_of(0, main_len - 300.0)
        .into_iter()
        .filter(|t| t.2 < 7_100.0)
        .collect();
    let found = s["found"].as_array().expect("found");
    assert!(
        found.len() >= truth.len() && !truth.is_empty(),
        "{} found, {} within 7.1 km",
        found.len(),
        truth.len()
    );
    for f in found {
        let (km, h) = (
            f["river_km"].as_f64().expect("km"),
            f["travel_h"].as_f64().expect("h"),
        );
        assert!(h <= 2.0 + 1e-9 && h <= km / 3.6 + 1e-9, "{f}");
    }
    assert!(s["length_km"].as_f64().expect("length") <= 7.2 * 20.0);

    // Up the main stem only: no tributary's features.
    let s = run(&args(
        d,
        &[
            "--from",
            &from,
            "--direction",
            "upmain",
            "-o",
            &out,
            "--json",
        ],
    ));
    for f in s["found"].as_array().expect("found") {
        let id = f["id"].as_str().expect("id");
        let placed = g
            .features
            .iter()
            .find(|p| p.feature.id == id && p.feature.layer == f["layer"])
            .expect("planted");
        assert!(
            placed.river == 0 || placed.river == g.braid,
            "{f} is on a tributary"
        );
    }

    // Down from a section finds what lies below it, and starts from that section.
    let section = g
        .features
        .iter()
        .find(|p| p.feature.layer == "sections" && p.river == 0)
        .expect("a section on the main stem");
    let spec = format!("sections:{}", section.feature.id);
    let s = run(&args(
        d,
        &[
            "--from-feature",
            &spec,
            "--direction",
            "down",
            "-o",
            &out,
            "--json",
        ],
    ));
    let truth = g.downstream_of(0, section.along_m);
    assert_eq!(s["found"].as_array().expect("found").len(), truth.len());

    // Bad input: named, with the file or the option, and no output written.
    let bad = format!("{d}/bad.geojson");
    std::fs::write(&bad, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106,29]}}]}"#).expect("written");
    let none = format!("{d}/none.geojson");
    for (a, says) in [
        (
            vec![
                "trace",
                "--rivers",
                bad.as_str(),
                "--from",
                "106,29.5",
                "-o",
                none.as_str(),
            ],
            "no lines",
        ),
        (
            vec![
                "trace",
                "--rivers",
                "/nonexistent/r.geojson",
                "--from",
                "106,29.5",
                "-o",
                none.as_str(),
            ],
            "/nonexistent/r.geojson",
        ),
        (
            vec![
                "trace",
                "--rivers",
                bad.as_str(),
                "--from",
                "106;29",
                "-o",
                none.as_str(),
            ],
            "--from",
        ),
        (
            vec![
                "trace",
                "--rivers",
                bad.as_str(),
                "--from",
                "106,29",
                "--km",
                "-3",
                "-o",
                none.as_str(),
            ],
            "--km",
        ),
    ] {
        let o = yitu(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(says), "{a:?}: {err}");
        assert!(!Path::new(&none).exists());
    }
    let missing = run_err(&args(d, &["--from-feature", "outfalls:NOPE", "-o", &none]));
    assert!(missing.contains("NOPE"), "{missing}");
}

fn run_err(a: &[String]) -> String {
    let o = yitu(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!o.status.success());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn attribution_and_joint_check_lists() {
    let Case { dir, from, .. } = case(9);
    let d = dir.path().to_str().expect("utf-8");
    let out = format!("{d}/t.geojson");
    let lists = format!("{d}/lists");
    let s = run(&args(
        d,
        &[
            "--from",
            &from,
            "--exceedance",
            "COD@2026-06-01T08:00",
            "--lists",
            &lists,
            "-o",
            &out,
            "--json",
        ],
    ));
    let found = s["found"].as_array().expect("found");
    let ranked = s["attribution"].as_array().expect("attribution");
    let candidates = found.iter().filter(|f| f["layer"] != "sections").count();
    assert_eq!(ranked.len(), candidates);
    let scores: Vec<f64> = ranked
        .iter()
        .map(|r| r["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    for r in ranked {
        let parts = r["parts"].as_array().expect("parts");
        assert_eq!(parts.len(), 5);
        assert!(
            parts
                .iter()
                .all(|p| p["reason"].as_str().is_some_and(|t| !t.is_empty())),
            "{r}"
        );
    }
    let csv = std::fs::read_to_string(format!("{lists}/lists.csv")).expect("lists.csv");
    assert_eq!(csv.lines().count(), candidates + 1);
    let html = std::fs::read_to_string(format!("{lists}/lists.html")).expect("lists.html");
    assert!(candidates > 5, "{candidates} candidates");
    assert_eq!(
        html.matches("<section>").count(),
        3,
        "one page per district and the pairs"
    );
    let toml: toml::Table = std::fs::read_to_string(format!("{lists}/checks.toml"))
        .expect("checks.toml")
        .parse()
        .expect("TOML");
    let sources = found.iter().filter(|f| f["layer"] == "sources").count();
    assert_eq!(
        toml["must_include"].as_array().expect("must_include").len(),
        sources
    );
    let pairs = toml["pair"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["targets"].as_str(), Some("510101"));
    assert_eq!(pairs[0]["inspectors"].as_str(), Some("500101"));
}

/// Each reach's velocity (its own, else its order class's, else the default), the travel time
/// it gives, and who answers for it.
#[test]
fn velocities_and_who_answers_for_each_reach() {
    let Case { dir, from, .. } = case(10);
    let d = dir.path().to_str().expect("utf-8");
    let out = format!("{d}/t.geojson");
    let s = run(&args(
        d,
        &[
            "--from",
            &from,
            "--velocity-by-order",
            "0.3,0.9",
            "-o",
            &out,
            "--json",
        ],
    ));
    assert_eq!(s["velocity_source"], "by_order");
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("GeoJSON");
    let reaches: Vec<&Value> = file["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["kind"] == "reach")
        .collect();
    let mut own = 0;
    for r in reaches {
        let p = &r["properties"];
        let id = p["reach_id"].as_str().expect("id");
        let line = id.split('-').next().expect("the line");
        let v = p["velocity_m_s"].as_f64().expect("velocity");
        let expected = if line.ends_with('0') {
            own += 1;
            2.0
        } else if p["strahler"] == 1 {
            0.3
        } else {
            0.9
        };
        assert!((v - expected).abs() < 1e-12, "{p}");
        let hours = p["from_h"].as_f64().expect("from_h") - p["to_h"].as_f64().expect("to_h");
        let km = p["from_km"].as_f64().expect("from_km") - p["to_km"].as_f64().expect("to_km");
        assert!((hours - km / v / 3.6).abs() < 1e-9, "{p}");
        assert!(
            (km - p["length_km"].as_f64().expect("length")).abs() < 1e-9,
            "{p}"
        );
        let lon = r["geometry"]["coordinates"]
            .as_array()
            .expect("points")
            .len();
        assert!(lon >= 2);
        assert!(
            p["district"] == "510101" || p["district"] == "500101",
            "{p}"
        );
        assert!(
            p["province"] == "四川省" || p["province"] == "重庆市",
            "{p}"
        );
    }
    assert!(own > 0, "some reaches carry their own velocity");
}

/// Where the lines say nothing (every line end digitised inwards), the DEM names the mouth:
/// the lowest line end.
#[test]
fn a_dem_decides_the_mouth_where_the_lines_say_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let d = dir.path();
    // Two branches run into a long trunk; the trunk is digitised from the mouth inwards.
    let rivers = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "A", "name": "甲"}, "geometry": {"type": "LineString", "coordinates": [[106.0, 29.55], [106.05, 29.5]]}},
        {"type": "Feature", "properties": {"id": "B", "name": "乙"}, "geometry": {"type": "LineString", "coordinates": [[106.0, 29.45], [106.05, 29.5]]}},
        {"type": "Feature", "properties": {"id": "T", "name": "干"}, "geometry": {"type": "LineString", "coordinates": [[106.25, 29.5], [106.15, 29.5], [106.05, 29.5]]}},
    ]});
    std::fs::write(d.join("rivers.geojson"), rivers.to_string()).expect("written");
    // Ground falling to the east, 0.01° cells.
    let (w, h) = (40, 20);
    let values: Vec<f32> = (0..w * h).map(|i| 500.0 - (i % w) as f32 * 10.0).collect();
    let wkt = gdal::spatial_ref::SpatialRef::from_epsg(4326)
        .and_then(|s| s.to_wkt())
        .expect("WGS84");
    let georef = yitu_layers::raster::Georef {
        geo_transform: [105.95, 0.01, 0.0, 29.6, 0.0, -0.01],
        crs_wkt: wkt,
    };
    yitu_layers::raster::write_f32_geotiff(
        &d.join("dem.tif"),
        w,
        h,
        values,
        None,
        Some(&georef),
        &[],
    )
    .expect("DEM written");
    let path = |n: &str| d.join(n).to_str().expect("utf-8").to_owned();
    let trace = |dem: bool| {
        let mut a = vec![
            "trace".to_owned(),
            "--rivers".to_owned(),
            path("rivers.geojson"),
            "--from".to_owned(),
            "106.2,29.5".to_owned(),
            "-o".to_owned(),
            path("t.geojson"),
            "--json".to_owned(),
        ];
        if dem {
            a.extend(["--dem".to_owned(), path("dem.tif")]);
        }
        run(&a)
    };
    let mouth = |s: &Value| {
        s["qa"]
            .as_array()
            .expect("qa")
            .iter()
            .find(|q| q["kind"] == "mouth")
            .map(|q| {
                (
                    q["lon"].as_f64().expect("lon"),
                    q["message"].as_str().expect("message").to_owned(),
                )
            })
            .expect("a mouth")
    };
    let with = trace(true);
    let (lon, message) = mouth(&with);
    assert!(
        (lon - 106.25).abs() < 1e-9 && message.contains("DEM"),
        "{lon} {message}"
    );
    assert_eq!(
        with["reaches"], 3,
        "up from the trunk: its upper part and both branches"
    );
    let (lon, _) = mouth(&trace(false));
    assert!(
        (lon - 106.25).abs() > 0.1,
        "without the DEM most of the digitised length flows to a branch's end"
    );
}
