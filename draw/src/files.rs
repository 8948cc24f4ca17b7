//! The draw's inputs read from files: the sources in any vector format, the roster CSV and the
//! plan TOML. The draw itself never touches the file system.

use crate::plan::Plan;
use crate::targets::{self, Target};
use crate::{DrawError, Inputs, roster};

/// Reads the draw's inputs from files: sources in any vector format, the roster CSV, the plan
/// TOML.
pub fn read_inputs(
    sources: &std::path::Path,
    inspectors: &std::path::Path,
    plan: &std::path::Path,
) -> Result<Inputs, DrawError> {
    Ok(Inputs {
        targets: read_targets(sources)?,
        roster: roster::read_csv(inspectors)?,
        plan: Plan::read(plan)?,
    })
}

/// The firms of a sources file (any vector format; of a project GeoPackage, the layer with the
/// sources' fields).
pub fn read_targets(sources: &std::path::Path) -> Result<Vec<Target>, DrawError> {
    let import = yitu_layers::io::read_vector(sources, yitu_layers::io::ReadOptions::default())?;
    let origin = sources.display().to_string();
    // A project GeoPackage holds many layers: the sources are the one with their fields.
    let is_sources = |l: &yitu_layers::Layer| {
        ["id", "category", "status", "positive_list"]
            .iter()
            .all(|f| l.field_index(f).is_some())
    };
    let mut layers = import.layers;
    if layers.is_empty() {
        return Err(DrawError::Input {
            origin,
            problem: "no layer in the file".into(),
        });
    }
    let layer = layers.swap_remove(layers.iter().position(is_sources).unwrap_or_default());
    targets::from_layer(&layer, &origin)
}
