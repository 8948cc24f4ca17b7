//! Real GDAL, real files: every format round-trips, CRSs convert, bad input is named.

use std::io::Write as _;

use geo::{Distance, Haversine, Point};
use yitu_layers::chinese_crs::{LonLat, bd09_from_wgs84, gcj02_from_wgs84};
use yitu_layers::io::{ReadOptions, read_vector, write_layers};
use yitu_layers::{AttrValue, Crs, LayerKind, LayersError, Project};
use yitu_tests::fixture;

fn sample() -> Project {
    yitu_sample_data::project_of_size(
        "test",
        yitu_sample_data::Size {
            sources: 300,
            outfalls: 40,
            sections: 10,
            inspectors_per_team: 2,
        },
    )
}

#[test]
fn every_format_round_trips_points_and_attributes() {
    let project = sample();
    let sources = project.layer(LayerKind::PollutionSources).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for ext in ["geojson", "gpkg", "shp", "kml", "csv"] {
        let path = dir.path().join(format!("sources.{ext}"));
        write_layers(&path, &[sources], Crs::Wgs84).unwrap();
        let back = read_vector(&path, ReadOptions::default()).unwrap();
        let layer = &back.layers[0];
        assert_eq!(layer.features.len(), sources.features.len(), "{ext}");
        let p0 = sources.features[0].geometry.clone().unwrap();
        let q0 = layer.features[0].geometry.clone().unwrap();
        let (geo::Geometry::Point(p), geo::Geometry::Point(q)) = (p0, q0) else {
            panic!("{ext}: not points")
        };
        assert!(Haversine.distance(p, q) < 0.01, "{ext}: moved");
        let name_col = layer
            .fields
            .iter()
            .position(|f| f.eq_ignore_ascii_case("name"))
            .unwrap_or_else(|| panic!("{ext}: no name column in {:?}", layer.fields));
        assert_eq!(
            layer.features[0].values[name_col], sources.features[0].values[1],
            "{ext}"
        );
    }
}

#[test]
fn registry_kind_is_detected_on_import() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outfalls.geojson");
    write_layers(
        &path,
        &[project.layer(LayerKind::Outfalls).unwrap()],
        Crs::Wgs84,
    )
    .unwrap();
    assert_eq!(
        read_vector(&path, ReadOptions::default()).unwrap().layers[0].kind,
        LayerKind::Outfalls
    );
}

#[test]
fn gcj02_and_bd09_csv_import_lands_within_half_a_metre() {
    let truth = [
        LonLat::new(106.5516, 29.5630),
        LonLat::new(108.3801, 30.8079),
        LonLat::new(105.9, 29.35),
    ];
    for (crs, f) in [
        (Crs::Gcj02, gcj02_from_wgs84 as fn(LonLat) -> LonLat),
        (Crs::Bd09, bd09_from_wgs84),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("amap.csv");
        let mut file = std::fs::File::create(&path).unwrap();
        writeln!(file, "名称,经度,纬度").unwrap();
        for (i, t) in truth.iter().enumerate() {
            let s = f(*t);
            writeln!(file, "点{i},{:.9},{:.9}", s.lon, s.lat).unwrap();
        }
        drop(file);
        let layer = read_vector(
            &path,
            ReadOptions {
                source_crs: Some(crs),
                ..Default::default()
            },
        )
        .unwrap()
        .layers
        .remove(0);
        for (t, feature) in truth.iter().zip(&layer.features) {
            let Some(geo::Geometry::Point(p)) = &feature.geometry else {
                panic!()
            };
            let err = Haversine.distance(*p, Point::new(t.lon, t.lat));
            assert!(err < 0.5, "{crs}: {err} m");
        }
    }
}

#[test]
fn convert_to_gauss_kruger_and_back_keeps_positions() {
    let project = sample();
    let sections = project.layer(LayerKind::RiverSections).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gk = dir.path().join("sections_gk.gpkg");
    write_layers(&gk, &[sections], Crs::Epsg(4545)).unwrap();
    let back = read_vector(&gk, ReadOptions::default()).unwrap();
    assert_eq!(back.layers[0].source_crs, "EPSG:4545");
    let (Some(geo::Geometry::Point(a)), Some(geo::Geometry::Point(b))) = (
        &sections.features[0].geometry,
        &back.layers[0].features[0].geometry,
    ) else {
        panic!()
    };
    assert!(Haversine.distance(*a, *b) < 0.01);
}

#[test]
fn utm_and_cgcs2000_geographic_are_understood() {
    let project = sample();
    let outfalls = project.layer(LayerKind::Outfalls).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for code in [32648, 4490] {
        let path = dir.path().join(format!("outfalls_{code}.gpkg"));
        write_layers(&path, &[outfalls], Crs::Epsg(code)).unwrap();
        let back = read_vector(&path, ReadOptions::default()).unwrap();
        assert_eq!(back.layers[0].source_crs, format!("EPSG:{code}"));
        let (Some(geo::Geometry::Point(a)), Some(geo::Geometry::Point(b))) = (
            &outfalls.features[3].geometry,
            &back.layers[0].features[3].geometry,
        ) else {
            panic!()
        };
        assert!(Haversine.distance(*a, *b) < 0.05, "EPSG:{code}");
    }
}

#[test]
fn broken_csv_rows_are_named_and_good_rows_load_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.csv");
    std::fs::write(
        &path,
        "name,lon,lat\nA,106.5,29.5\nB,abc,29.5\nC,106.6\nD,106.7,29.7\n",
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = read_vector(&path, ReadOptions::default()).unwrap_err();
    let LayersError::BadRows { issues, good, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*good, 2);
    assert_eq!(issues.iter().map(|i| i.row).collect::<Vec<_>>(), vec![3, 4]);
    let message = err.to_string();
    assert!(
        message.contains("broken.csv") && message.contains("row 3") && message.contains("abc"),
        "{message}"
    );
    let ok = read_vector(
        &path,
        ReadOptions {
            skip_bad_rows: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ok.layers[0].features.len(), 2);
    assert_eq!(ok.skipped.len(), 2);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "input must not change"
    );
}

#[test]
fn gbk_csv_with_chinese_headers_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gbk.csv");
    let (bytes, _, _) = encoding_rs::GBK.encode("企业名称,经度,纬度\n重庆化工厂,106.55,29.56\n");
    std::fs::write(&path, bytes).unwrap();
    let layer = read_vector(&path, ReadOptions::default())
        .unwrap()
        .layers
        .remove(0);
    assert_eq!(layer.fields, vec!["企业名称"]);
    assert_eq!(
        layer.features[0].values[0],
        AttrValue::Text("重庆化工厂".into())
    );
}

#[test]
fn broken_geojson_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.geojson");
    std::fs::write(
        &path,
        "{\"type\": \"FeatureCollection\",\n \"features\": [ {\"type\": \"Feature\", \n",
    )
    .unwrap();
    let message = read_vector(&path, ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("bad.geojson") && message.contains("line"),
        "{message}"
    );
}

#[test]
fn empty_layers_unknown_crs_and_unknown_formats_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let e = read_vector(&empty, ReadOptions::default()).unwrap_err();
    assert!(
        matches!(e, LayersError::Empty { .. }) && e.to_string().contains("empty.geojson"),
        "{e}"
    );
    assert!(
        Crs::parse("EPSG:123456")
            .unwrap_err()
            .to_string()
            .contains("EPSG")
    );
    let odd = dir.path().join("x.dwg");
    std::fs::write(&odd, "x").unwrap();
    assert!(
        read_vector(&odd, ReadOptions::default())
            .unwrap_err()
            .to_string()
            .contains("x.dwg")
    );
}

#[test]
fn projected_coordinates_read_as_lon_lat_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gk.csv");
    std::fs::write(&path, "name,x,y\nA,598773.6,3263318.4\n").unwrap();
    let e = read_vector(&path, ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("longitude/latitude"), "{e}");
    let ok = read_vector(
        &path,
        ReadOptions {
            source_crs: Some(Crs::Epsg(4545)),
            ..Default::default()
        },
    )
    .unwrap();
    let Some(geo::Geometry::Point(p)) = &ok.layers[0].features[0].geometry else {
        panic!()
    };
    assert!(
        (p.x() - 109.018).abs() < 0.01 && (p.y() - 29.4837).abs() < 0.01,
        "{p:?}"
    );
}

#[test]
fn project_saves_atomically_and_reopens_with_styles_and_bookmarks() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cq.gpkg");
    project.save(&path).unwrap();
    let reopened = Project::open(&path).unwrap();
    assert_eq!(reopened.name, project.name);
    assert_eq!(reopened.bookmarks, project.bookmarks);
    assert_eq!(reopened.layers.len(), project.layers.len());
    for (a, b) in project.layers.iter().zip(&reopened.layers) {
        assert_eq!(a.layer.name, b.layer.name);
        assert_eq!(a.layer.kind, b.layer.kind);
        assert_eq!(a.style, b.style);
        assert_eq!(a.layer.features.len(), b.layer.features.len());
    }
    // Saving again over the same file replaces it whole, leaving no staging files behind.
    reopened.save(&path).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn failed_save_keeps_the_previous_project() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cq.gpkg");
    project.save(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Two tables of one name make GDAL fail midway through writing.
    let mut broken = project.clone();
    let first = broken.layers[0].layer.name.clone();
    broken.layers[1].layer.name = first;
    assert!(broken.save(&path).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(Project::open(&path).is_ok());
}

#[test]
fn shipped_district_and_river_files_read_through_gdal() {
    let d = read_vector(
        &fixture("districts_chongqing.geojson"),
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(d.layers[0].features.len(), 38);
    assert_eq!(d.layers[0].kind, LayerKind::Districts);
    let r = read_vector(&fixture("rivers.geojson"), ReadOptions::default()).unwrap();
    assert_eq!(r.layers[0].kind, LayerKind::Rivers);
}

#[test]
fn rivers_flow_downstream() {
    let project = yitu_sample_data::chongqing_project();
    let rivers = project.layer(LayerKind::Rivers).unwrap();
    let line = |name: &str| {
        let i = (0..rivers.features.len())
            .find(|&i| rivers.value(i, "name") == &AttrValue::Text(name.into()))
            .unwrap();
        let Some(geo::Geometry::LineString(l)) = &rivers.features[i].geometry else {
            panic!()
        };
        (l.0[0], *l.0.last().unwrap())
    };
    // The Yangtze runs west to east; the Jialing ends at Chaotianmen, the Wu at Fuling.
    let (a, b) = line("长江");
    assert!(a.x < 105.5 && b.x > 110.0);
    let (_, j) = line("嘉陵江");
    assert!(
        (j.x - 106.58).abs() < 0.05 && (j.y - 29.57).abs() < 0.05,
        "{j:?}"
    );
    let (_, w) = line("乌江");
    assert!(
        (w.x - 107.39).abs() < 0.05 && (w.y - 29.71).abs() < 0.05,
        "{w:?}"
    );
}
