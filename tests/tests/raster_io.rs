//! Real GDAL rasters: writing, overviews, decimated reads.

use yitu_layers::Crs;
use yitu_layers::raster::{
    Georef, build_overviews, lacks_overviews, read_band_at_most, write_byte_geotiff_by_rows,
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
