//! Single-band raster IO through GDAL: read a band as `f64` with its georeferencing, write a
//! float32 GeoTIFF. (Tiled, windowed display reads for large rasters come with the map layer.)

use std::path::Path;

use gdal::raster::Buffer;
use gdal::{Dataset, DriverManager, Metadata};

use crate::error::{LayersError, Result};

/// Where a raster sits: GDAL's affine geotransform and the CRS as WKT.
#[derive(Debug, Clone, PartialEq)]
pub struct Georef {
    pub geo_transform: [f64; 6],
    pub crs_wkt: String,
}

/// One band in memory, row-major, `width × height` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub width: usize,
    pub height: usize,
    pub values: Vec<f64>,
    pub nodata: Option<f64>,
    /// `None` for an image without georeferencing (a photo's raw sensor grid).
    pub georef: Option<Georef>,
    /// GDAL's name of the stored type (`UInt16`, `Float32`, ...), to guess units from.
    pub data_type: String,
}

/// Reads band `index` (1-based) of a raster file.
pub fn read_band(path: &Path, index: usize) -> Result<Band> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    let band = dataset
        .rasterband(index)
        .map_err(LayersError::gdal("find the band", path))?;
    let (width, height) = band.size();
    let buffer: Buffer<f64> = band
        .read_band_as()
        .map_err(LayersError::gdal("read the band", path))?;
    let georef = match (dataset.geo_transform(), dataset.spatial_ref()) {
        (Ok(geo_transform), Ok(srs)) => Some(Georef {
            geo_transform,
            crs_wkt: srs.to_wkt().unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Band {
        width,
        height,
        values: buffer.into_shape_and_vec().1,
        nodata: band.no_data_value(),
        georef,
        data_type: band.band_type().name(),
    })
}

/// Writes `values` as a one-band float32 GeoTIFF, with georeferencing when given and `metadata`
/// (key, value) items recording how the values were made. An existing file is replaced.
pub fn write_f32_geotiff(
    path: &Path,
    width: usize,
    height: usize,
    values: Vec<f32>,
    nodata: Option<f64>,
    georef: Option<&Georef>,
    metadata: &[(String, String)],
) -> Result<()> {
    let err = |action| LayersError::gdal(action, path);
    let driver =
        DriverManager::get_driver_by_name("GTiff").map_err(err("load the GeoTIFF driver"))?;
    let mut ds = driver
        .create_with_band_type::<f32, _>(path, width, height, 1)
        .map_err(err("create the GeoTIFF"))?;
    if let Some(g) = georef {
        ds.set_geo_transform(&g.geo_transform)
            .map_err(err("set the geotransform"))?;
        if !g.crs_wkt.is_empty() {
            let srs =
                gdal::spatial_ref::SpatialRef::from_wkt(&g.crs_wkt).map_err(err("read the CRS"))?;
            ds.set_spatial_ref(&srs).map_err(err("set the CRS"))?;
        }
    }
    for (key, value) in metadata {
        ds.set_metadata_item(key, value, "")
            .map_err(err("write metadata"))?;
    }
    let mut band = ds.rasterband(1).map_err(err("open the band"))?;
    band.set_no_data_value(nodata).map_err(err("set nodata"))?;
    let mut buffer = Buffer::new((width, height), values);
    band.write((0, 0), (width, height), &mut buffer)
        .map_err(err("write the band"))?;
    Ok(())
}

/// The metadata items of a raster file (default domain), for reading back what was recorded.
pub fn metadata(path: &Path) -> Result<Vec<(String, String)>> {
    let dataset = Dataset::open(path).map_err(LayersError::gdal("open the raster", path))?;
    Ok(dataset
        .metadata()
        .filter(|e| e.domain.is_empty())
        .map(|e| (e.key, e.value))
        .collect())
}
