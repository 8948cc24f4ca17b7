//! Detection and evidence for the app's jobs: a run against a snapshot of the project's
//! registry, its detections as a layer; a detection's evidence written beside the project.

use std::path::PathBuf;

use yitu_layers::ProjectLayer;

use super::{ImportedLayers, prepare_all};
use crate::jobs::Progress;

/// Runs detection on a thermal raster (or a SWIR band of a Sentinel-2 or Landsat product)
/// against a snapshot of the project's registry layers and returns the detections as a layer to
/// add, coloured by status. Runs on a job thread.
pub fn detect(
    raster: &std::path::Path,
    registry_layers: &[yitu_layers::Layer],
    progress: &Progress,
) -> anyhow::Result<ImportedLayers> {
    use yitu_imagery::detect;
    progress.set(0.1, "detecting");
    let (registry, mut notes) = detect::registry_from_layers(registry_layers);
    let options = detect::RunOptions {
        daylight: None,
        memory: detect::temperatures::available_memory(),
        units: None,
        // Detection looks at the job's cancel flag between its stages and windows.
        cancel: progress.cancel_flag(),
    };
    let run = detect::run_scene(raster, &registry, options, serde_json::Map::new())?;
    notes.extend(run.warnings);
    let found = run.detections;
    let file = raster
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let layer = detect::detections_layer(&format!("detections {file}"), raster, &found);
    let style = yitu_layers::LayerStyle {
        color: [231, 76, 60, 160],
        stroke: [120, 20, 20, 255],
        size: 2.0,
        category_field: Some("status".into()),
        categories: [
            ("unregistered_suspect", [231, 76, 60, 200]),
            ("registered_closed_discharging", [142, 68, 173, 200]),
            ("registered_active", [52, 152, 219, 200]),
            ("facility_active_during_stop", [211, 84, 0, 200]),
            ("registered_source", [127, 140, 141, 200]),
            ("unregistered_hotspot", [243, 156, 18, 200]),
        ]
        .into_iter()
        .map(|(k, c)| (k.to_owned(), c))
        .collect(),
        ..Default::default()
    };
    let layers = vec![ProjectLayer { layer, style }];
    let prepared = prepare_all(&layers, progress)?;
    Ok(ImportedLayers {
        layers,
        prepared,
        rasters: Vec::new(),
        skipped: notes,
    })
}

/// Writes the evidence (PNG chip and HTML sheet) of one detection of a detections layer into
/// `dir`, reading the raster it was found on. Runs on a job thread.
pub fn export_evidence(
    layer: &yitu_layers::Layer,
    index: usize,
    dir: &std::path::Path,
    progress: &Progress,
) -> anyhow::Result<PathBuf> {
    use anyhow::Context as _;
    use yitu_imagery::detect;
    let raster = PathBuf::from(layer.value(index, "raster").to_string());
    anyhow::ensure!(
        !raster.as_os_str().is_empty(),
        "the detection does not say which raster it was found on"
    );
    progress.set(0.2, "reading");
    let image =
        detect::ThermalRaster::open(&raster, detect::temperatures::available_memory(), None)?;
    progress.check()?;
    let d = detect::evidence::from_layer_row(layer, index, &image)
        .context("the detection's row cannot be read back (not a detections layer?)")?;
    let id = layer.value(index, "id").to_string();
    let provenance = serde_json::json!({
        "algorithm": detect::ALGORITHM,
        "raster": raster,
        "raster_sha256": detect::sha256_file(&raster)?,
        "layer": layer.name,
        "review": layer.value(index, "review").to_string(),
        "note": layer.value(index, crate::panels::review::note_field(layer)).to_string(),
    });
    Ok(detect::evidence::write_one(
        dir,
        &id,
        &image,
        &d,
        &provenance,
    )?)
}

#[cfg(test)]
mod detect_tests {
    use super::*;
    use crate::state::import;
    use yitu_layers::io::ReadOptions;

    /// Detection from the app: registry layers imported from files like any other, recognised
    /// by their fields, and the detections back as a layer coloured by status.
    #[test]
    fn detection_adds_a_layer_matched_to_the_imported_registry() {
        use yitu_imagery::detect::synthetic;
        let dir = tempfile::tempdir().unwrap();
        let spec = synthetic::SceneSpec::small_night(3);
        synthetic::Scene::generate(&spec).write(dir.path()).unwrap();
        let p = Progress::default();
        let registry: Vec<yitu_layers::Layer> =
            ["rivers.geojson", "outfalls.geojson", "sources.geojson"]
                .iter()
                .flat_map(|f| {
                    import(&dir.path().join(f), ReadOptions::default(), &p)
                        .unwrap()
                        .layers
                })
                .map(|l| l.layer)
                .collect();
        let kinds: Vec<_> = registry.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                yitu_layers::LayerKind::Rivers,
                yitu_layers::LayerKind::Outfalls,
                yitu_layers::LayerKind::PollutionSources
            ]
        );
        let found = detect(&dir.path().join("scene.tif"), &registry, &p).unwrap();
        assert!(found.skipped.is_empty(), "{:?}", found.skipped);
        let layer = &found.layers[0].layer;
        assert!(layer.features.len() >= 4, "{}", layer.features.len());
        let statuses: std::collections::BTreeSet<String> = (0..layer.features.len())
            .map(|i| layer.value(i, "status").to_string())
            .collect();
        assert!(
            statuses.contains("unregistered_suspect") || statuses.contains("registered_active"),
            "{statuses:?}"
        );
        assert_eq!(
            found.layers[0].style.category_field.as_deref(),
            Some("status")
        );
    }

    /// A SWIR band of a Landsat scene shown on the map is searched for hot spots like a
    /// thermal raster (skipped without `../shared/data`).
    #[test]
    fn detection_on_a_landsat_swir_band_runs_the_hot_spot_indices() {
        let b7 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B7.TIF");
        if !b7.exists() {
            eprintln!("skipped: ../shared/data is not beside this checkout");
            return;
        }
        let found = detect(&b7, &[], &Progress::default()).unwrap();
        assert_eq!(found.layers.len(), 1);
        assert!(found.layers[0].layer.features.is_empty());
    }
}
