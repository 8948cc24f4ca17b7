//! Detection on thermal rasters: hot spots on land, discharge plumes at the bank (hidden-pipe
//! suspects), submerged outfall boils and satellite hot pixels, matched to the registry.
//! Algorithms, defaults and validation: `docs/remote-sensing.md` §5–6 (issue #4).
//!
//! Everything works in the raster's own pixel grid: registry geometries are brought into it,
//! distances are pixels × ground sample distance, and only the results go back to WGS84.

pub mod background;
pub mod checks;
pub mod evidence;
pub mod facility;
pub mod frame;
pub mod land;
pub mod orthosim;
pub mod plume;
pub mod regions;
pub mod sun;
pub mod swir;
pub mod synthetic;
pub mod tally;
pub mod targets;
pub mod temperatures;
pub mod tiles;
pub mod water;
pub mod windows;

// The pipeline's stages, in order: inputs (`run`, `registry`), the water model (`water`), the
// detectors (`land`, `plume`, `swir`, `facility`, side by side in `pipeline`), registry matching
// (`matching`), output (`output`).
mod error;
mod matching;
mod model;
mod output;
mod pipeline;
mod registry;
mod run;

pub use error::{DetectError, FileProblem, MissingAttribute, RasterProblem};
pub use frame::{PixelFrame, Pixels, ThermalImage, Window};
pub use model::{
    ALGORITHM, Capability, Daylight, Detection, Footprint, Heat, Parameters, R_MATCH_M,
    SOURCE_MATCH_M, Status,
};
pub use output::{detections_layer, to_geojson};
pub use pipeline::detect;
pub use registry::{Outfall, Registry, Source, is_registry_kind, registry_from_layers};
pub use run::{
    InputFiles, Run, RunOptions, daylight_of, run_files, run_raster, run_scene, run_swir,
    sha256_file,
};
pub use temperatures::{Temperatures, ThermalFile, ThermalRaster, read_image};
