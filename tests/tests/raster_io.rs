//! Real GDAL rasters: writing, overviews, decimated reads.

use yitu_layers::Crs;
use yitu_layers::raster::{
    Georef, Window, build_overviews, lacks_overviews, pixel_grid, read_band_at_most, read_window,
    write_byte_geotiff_by_rows,
};

#[test]
fn big_rasters_get_overviews_and_read_decimated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mosaic.tif");
    let georef = Georef {
        geo_transform: [600_000.0, 0.5, 0.0, 3_270_000.0, 0.0, -0.5],
        crs_wkt: Crs::Epsg(32648).spatial_ref().unwrap().to_wkt().unwrap(),
    };
    write_byte_geotiff_by_rows(&path, 5000, 4200, &georef, |r, line| {
        for (c, v) in line.iter_mut().enumerate() {
            *v = ((r + c) % 251) as u8;
        }
    })
    .unwrap();
    assert!(lacks_overviews(&path).unwrap());
    build_overviews(&path).unwrap();
    assert!(!lacks_overviews(&path).unwrap());
    let band = read_band_at_most(&path, 1, Some(1000)).unwrap();
    assert_eq!((band.width, band.height), (1000, 840));
    // Pixels are five times bigger; the origin stays.
    let g = band.georef.unwrap().geo_transform;
    assert!(
        (g[1] - 2.5).abs() < 1e-9 && (g[5] + 2.5).abs() < 1e-9 && (g[0] - 600_000.0).abs() < 1e-9
    );
}

#[test]
fn windows_read_the_right_pixels_with_their_own_georeferencing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.tif");
    let georef = Georef {
        geo_transform: [600_000.0, 2.0, 0.0, 3_270_000.0, 0.0, -2.0],
        crs_wkt: Crs::Epsg(32648).spatial_ref().unwrap().to_wkt().unwrap(),
    };
    write_byte_geotiff_by_rows(&path, 300, 200, &georef, |r, line| {
        for (c, v) in line.iter_mut().enumerate() {
            *v = ((r * 7 + c) % 256) as u8;
        }
    })
    .unwrap();
    let grid = pixel_grid(&path).unwrap();
    assert_eq!((grid.width, grid.height), (300, 200));
    assert_eq!(
        grid.georef.as_ref(),
        Some(&georef),
        "read back exactly as written"
    );
    let window = Window {
        col: 100,
        row: 50,
        width: 40,
        height: 20,
    };
    let band = &read_window(&path, &[1], window, 1000).unwrap()[0];
    assert_eq!((band.width, band.height), (40, 20));
    assert!((band.values[0] - f64::from(((50 * 7 + 100) % 256) as u8)).abs() < 1e-9);
    let g = band.georef.as_ref().unwrap().geo_transform;
    assert!((g[0] - 600_200.0).abs() < 1e-9 && (g[3] - 3_269_900.0).abs() < 1e-9);
    // Decimated: half the pixels each way, pixels twice as big.
    let half = &read_window(&path, &[1], window, 20).unwrap()[0];
    assert_eq!((half.width, half.height), (20, 10));
    assert!((half.georef.as_ref().unwrap().geo_transform[1] - 4.0).abs() < 1e-9);
    // Outside the raster: a clear error, not a GDAL crash.
    let outside = Window { col: 290, ..window };
    let e = read_window(&path, &[1], outside, 100)
        .unwrap_err()
        .to_string();
    assert!(e.contains("grid.tif") && e.contains("outside"), "{e}");
}
