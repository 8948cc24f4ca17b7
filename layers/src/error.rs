//! Errors of the layers crate. Paths come last in messages, so that a long path never hides the cause.

use std::path::PathBuf;

/// One bad record in an import: which row (1-based, header is row 1) or feature, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowIssue {
    pub row: usize,
    pub problem: String,
}

impl std::fmt::Display for RowIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.problem)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LayersError {
    #[error("cannot read or write the file: {error}; file: {path}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("GDAL could not {action}: {error}; file: {path}")]
    Gdal {
        action: &'static str,
        path: PathBuf,
        error: gdal::errors::GdalError,
    },

    #[error("{problem}; file: {path}")]
    BadFile { path: PathBuf, problem: String },

    #[error(
        "{} bad row(s), first: {}; fix them or import with `skip bad rows` to load the {good} good row(s); file: {path}",
        issues.len(),
        issues.first().map(ToString::to_string).unwrap_or_default()
    )]
    BadRows {
        path: PathBuf,
        issues: Vec<RowIssue>,
        good: usize,
    },

    #[error("no features in {what}; file: {path}")]
    Empty { path: PathBuf, what: String },

    #[error(
        "unknown CRS `{given}`: {problem} (use an EPSG code such as 4490 or 4545, or gcj02, bd09, wgs84)"
    )]
    UnknownCrs { given: String, problem: String },

    #[error(
        "unsupported format `{extension}` (supported: geojson, json, gpkg, shp, kml, csv); file: {path}"
    )]
    UnsupportedFormat { path: PathBuf, extension: String },

    #[error("not a Yitu project ({problem}); file: {path}")]
    NotAProject { path: PathBuf, problem: String },
}

pub type Result<T, E = LayersError> = std::result::Result<T, E>;

impl LayersError {
    pub(crate) fn gdal(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(gdal::errors::GdalError) -> Self {
        let path = path.to_path_buf();
        move |error| Self::Gdal {
            action,
            path,
            error,
        }
    }
}
