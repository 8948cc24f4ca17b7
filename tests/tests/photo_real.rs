//! Drone photo pose and footprints on the real DJI H20T flight in `../shared/data` (skipped with a
//! printed reason when that folder is absent).

use geo::{Centroid, ChamberlainDuquetteArea, Distance, Haversine, Point};
use yitu_imagery::photo::{DronePhoto, Ground};
use yitu_tests::shared_data;

fn flight() -> Option<Vec<DronePhoto>> {
    let dir = shared_data("thermal/h20t_flight")?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "JPG"));
    paths.sort();
    Some(
        paths
            .iter()
            .map(|p| DronePhoto::read(p).expect("flight photos read"))
            .collect(),
    )
}

#[test]
fn h20t_frames_have_pose_intrinsics_and_nadir_footprints() {
    let Some(photos) = flight() else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    assert_eq!(photos.len(), 6);
    for p in &photos {
        assert_eq!((p.model.as_str(), p.width, p.height), ("ZH20T", 640, 512));
        let k = p.intrinsics.unwrap();
        // 13.5 mm / 12 µm.
        assert!((k.fx - 1125.0).abs() < 1e-9);
        let g = p.gimbal.unwrap();
        assert!((g.pitch_deg + 90.0).abs() <= 0.1 + 1e-9, "{}", g.pitch_deg);
        let f = p.footprint(Ground::TakeOffLevel).unwrap();
        assert!(!f.oblique);
        // Nadir: (640 × 512) px × (h / fx) m per px.
        let h = p.relative_altitude_m.unwrap();
        let expected = (640.0 * h / 1125.0) * (512.0 * h / 1125.0);
        let area = f.polygon.chamberlain_duquette_unsigned_area();
        assert!((area / expected - 1.0).abs() < 0.01, "{area} vs {expected}");
        let c = f.polygon.centroid().unwrap();
        assert!(Haversine.distance(c, Point::new(p.lon.unwrap(), p.lat.unwrap())) < 0.5);
    }
    // A lower ground (a river 30 m below take-off) widens the footprint.
    let p = &photos[0];
    let takeoff_ground = p.absolute_altitude_m.unwrap() - p.relative_altitude_m.unwrap();
    let river = p
        .footprint(Ground::SurfaceElevation(takeoff_ground - 30.0))
        .unwrap();
    assert!((river.height_above_ground_m - (p.relative_altitude_m.unwrap() + 30.0)).abs() < 1e-9);
}

#[test]
fn consecutive_frames_follow_the_flight_track() {
    let Some(photos) = flight() else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    // About 3.6 m/s with frames 1.5–2 s apart: each step a few metres, heading roughly north.
    for w in photos.windows(2) {
        let (a, b) = (
            Point::new(w[0].lon.unwrap(), w[0].lat.unwrap()),
            Point::new(w[1].lon.unwrap(), w[1].lat.unwrap()),
        );
        let d = Haversine.distance(a, b);
        assert!((1.0..20.0).contains(&d), "{d} m");
    }
}

#[test]
fn broken_photos_are_named_and_photos_without_pose_have_no_footprint() {
    let Some(dir) = shared_data("thermal") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let cut = tmp.path().join("cut.jpg");
    let bytes = std::fs::read(dir.join("h20t_flight/DJI_20220602143532_0191_T.JPG")).unwrap();
    std::fs::write(&cut, &bytes[..300]).unwrap();
    let e = DronePhoto::read(&cut).unwrap_err().to_string();
    assert!(e.contains("cut.jpg") && e.contains("truncated"), "{e}");
    let flir = DronePhoto::read(&dir.join("FLIR_E40.jpg")).unwrap();
    assert!(flir.footprint(Ground::TakeOffLevel).is_none());
}

#[test]
fn a_folder_imports_as_track_and_footprints_with_bad_photos_named() {
    let Some(src) = shared_data("thermal/h20t_flight") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(tmp.path().join("DJI_9999_T.JPG"), b"\xFF\xD8\xFF\xE1\x00").unwrap();
    let folder = yitu_imagery::photo::folder::read_folder(tmp.path()).unwrap();
    assert_eq!(folder.photos.len(), 6);
    assert_eq!(folder.failures.len(), 1);
    assert!(
        folder.failures[0].1.contains("DJI_9999_T.JPG"),
        "{}",
        folder.failures[0].1
    );
    let layers = folder.layers("flight", Ground::TakeOffLevel);
    assert_eq!(layers[0].name, "flight track");
    let Some(geo::Geometry::LineString(track)) = &layers[0].features[0].geometry else {
        panic!()
    };
    assert_eq!(track.0.len(), 6);
    assert_eq!(layers[1].features.len(), 6);
    assert_eq!(
        layers[1].value(0, "file").to_string(),
        "DJI_20220602143532_0191_T.JPG"
    );
}

#[test]
fn a_flat_dem_matches_the_surface_elevation_footprint() {
    let Some(path) = shared_data("thermal/h20t_flight/DJI_20220602143532_0191_T.JPG") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let photo = DronePhoto::read(&path).unwrap();
    // A flat DEM at the take-off ground elevation, in UTM 33N around the flight (12.3°E, 51.4°N).
    let ground = photo.absolute_altitude_m.unwrap() - photo.relative_altitude_m.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dem_path = tmp.path().join("dem.tif");
    let utm = yitu_layers::Crs::Epsg(32633);
    let (x, y) = yitu_layers::crs::Reprojector::new(yitu_layers::Crs::Wgs84, utm)
        .unwrap()
        .coord(photo.lon.unwrap(), photo.lat.unwrap())
        .unwrap();
    let georef = yitu_layers::raster::Georef {
        geo_transform: [x - 500.0, 10.0, 0.0, y + 500.0, 0.0, -10.0],
        crs_wkt: utm.spatial_ref().unwrap().to_wkt().unwrap(),
    };
    yitu_layers::raster::write_f32_geotiff(
        &dem_path,
        100,
        100,
        vec![ground as f32; 100 * 100],
        None,
        Some(&georef),
        &[],
    )
    .unwrap();
    let dem = yitu_layers::dem::Dem::open(&dem_path).unwrap();
    let on_dem = photo.footprint_on_dem(&dem).unwrap();
    let on_plane = photo
        .footprint(Ground::SurfaceElevation(f64::from(ground as f32)))
        .unwrap();
    for (a, b) in on_dem
        .polygon
        .exterior()
        .0
        .iter()
        .zip(&on_plane.polygon.exterior().0)
    {
        assert!(
            Haversine.distance(Point::from(*a), Point::from(*b)) < 0.05,
            "{a:?} {b:?}"
        );
    }
}

#[test]
fn embedded_thumbnails_are_read_from_the_start_of_the_file() {
    let (Some(h20t), Some(ax8)) = (
        shared_data("thermal/DJI_H20T.jpg"),
        shared_data("thermal/FLIR_AX8.jpg"),
    ) else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let thumb = yitu_imagery::photo::embedded_thumbnail(&h20t)
        .unwrap()
        .expect("DJI photos embed a preview");
    assert!(thumb.starts_with(&[0xFF, 0xD8]) && thumb.len() > 1000);
    let (w, h) =
        yitu_imagery::jpeg::dimensions(&yitu_imagery::jpeg::segments(&thumb).unwrap()).unwrap();
    assert!(w <= 640 && h <= 512 && w > 0, "{w}×{h}");
    assert!(
        yitu_imagery::photo::embedded_thumbnail(&ax8)
            .unwrap()
            .is_none()
    );
    // A file cut inside its EXIF: no preview, no panic.
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &std::fs::read(&h20t).unwrap()[..600]).unwrap();
    assert!(
        yitu_imagery::photo::embedded_thumbnail(&cut)
            .unwrap()
            .is_none()
    );
}
