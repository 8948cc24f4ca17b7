//! The vector formats Yitu reads and writes, chosen by file extension.

use std::path::Path;

use crate::error::{LayersError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorFormat {
    GeoJson,
    GeoPackage,
    Shapefile,
    Kml,
    Csv,
}

impl VectorFormat {
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        Ok(match ext.as_str() {
            "geojson" | "json" => Self::GeoJson,
            "gpkg" => Self::GeoPackage,
            "shp" => Self::Shapefile,
            "kml" => Self::Kml,
            "csv" | "txt" => Self::Csv,
            _ => {
                return Err(LayersError::UnsupportedFormat {
                    path: path.to_path_buf(),
                    extension: ext,
                });
            }
        })
    }

    /// GDAL's short driver name.
    pub fn driver(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::GeoPackage => "GPKG",
            Self::Shapefile => "ESRI Shapefile",
            Self::Kml => "KML",
            Self::Csv => "CSV",
        }
    }

    /// Whether the format holds several layers in one file.
    pub fn multi_layer(self) -> bool {
        matches!(self, Self::GeoPackage | Self::Kml)
    }
}
