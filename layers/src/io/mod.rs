//! Reading and writing vector files. GDAL/OGR does the formats; CSV points are read here so that
//! every bad row can be named, GBK files decoded and Chinese column names recognised.

mod csv_points;
mod format;
mod ogr;

pub use csv_points::{CsvOptions, read_csv_points};
pub use format::VectorFormat;
pub use ogr::{read_ogr, write_layers};

use std::path::Path;

use crate::crs::Crs;
use crate::error::{LayersError, Result, RowIssue};
use crate::layer::Layer;

/// How to read a file: its CRS when the file does not say (or says wrongly, as GCJ-02 exports
/// claim WGS84), and whether to load good rows past bad ones.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadOptions {
    /// Overrides the file's own CRS. Needed for GCJ-02 / BD-09 data and CSV in projected CRSs.
    pub source_crs: Option<Crs>,
    /// Load the good rows and report the bad ones as warnings, instead of failing.
    pub skip_bad_rows: bool,
}

/// What an import produced: layers in WGS84, plus warnings about rows that were skipped.
#[derive(Debug, Default)]
pub struct Import {
    pub layers: Vec<Layer>,
    pub skipped: Vec<RowIssue>,
}

/// Reads any supported vector file into WGS84 layers.
pub fn read_vector(path: &Path, options: ReadOptions) -> Result<Import> {
    if !path.exists() {
        return Err(LayersError::Io {
            path: path.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let import = match VectorFormat::from_path(path)? {
        VectorFormat::Csv => read_csv_points(path, &CsvOptions::from(options))?,
        _ => read_ogr(path, options)?,
    };
    if import.layers.iter().all(|l| l.features.is_empty()) {
        return Err(LayersError::Empty {
            path: path.to_path_buf(),
            what: if import.layers.is_empty() {
                "any layer".to_owned()
            } else {
                format!("layer `{}`", import.layers[0].name)
            },
        });
    }
    Ok(import)
}
