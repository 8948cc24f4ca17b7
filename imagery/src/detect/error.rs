//! Why detection could not run: typed, and each message says the problem first, then the file.
//! A leaf module, so every stage can name it.

/// Why detection could not run. Messages put the problem first, then the file.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// A file detection reads says something it cannot use.
    #[error("{problem}; file: {path}")]
    File {
        path: std::path::PathBuf,
        problem: FileProblem,
    },
    /// The raster, whatever file it came from, cannot be detected on.
    #[error(transparent)]
    Raster(#[from] RasterProblem),
    /// A registry layer of the project lacks what detection needs.
    #[error(transparent)]
    Registry(#[from] MissingAttribute),
    #[error(transparent)]
    Layers(#[from] yitu_layers::LayersError),
    #[error(transparent)]
    Thermal(#[from] crate::thermal::ThermalError),
    /// The run's [`yitu_core::cancel::Cancel`] was set.
    #[error("cancelled")]
    Cancelled,
}

impl DetectError {
    /// `Err(Cancelled)` once `cancel` is set: called between stages and windows.
    pub fn unless_cancelled(cancel: &yitu_core::cancel::Cancel) -> Result<(), Self> {
        if cancel.is_cancelled() {
            Err(Self::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// What is wrong with one input file.
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    #[error("no layer in the file")]
    NoLayer,
    #[error("the layer is empty")]
    EmptyLayer,
    #[error("no river polygons (river lines do not say where the water is)")]
    NoRiverPolygons,
    #[error("no georeferencing (CRS and geotransform): detections could not be placed on the map")]
    NoGeoreferencing,
    #[error(transparent)]
    Registry(#[from] MissingAttribute),
    /// A product's metadata or band that cannot be read as it should.
    #[error("{0}")]
    Unreadable(String),
}

/// What is wrong with a raster as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RasterProblem {
    #[error("the raster has no valid temperatures (every pixel is nodata)")]
    NoValidPixels,
    #[error("the raster's geotransform cannot be inverted")]
    SingularGeotransform,
    #[error("the raster's centre cannot be placed on the earth")]
    CentreOffEarth,
}

/// A registry layer without an attribute detection reads.
#[derive(Debug, thiserror::Error)]
#[error("layer `{layer}` has no `{attribute}` attribute (it has: {has})")]
pub struct MissingAttribute {
    pub layer: String,
    pub attribute: &'static str,
    pub has: String,
}
