//! The loaded project with everything derived from it for the UI: prepared geometry, indexes
//! and jurisdiction. Built off the UI thread by [`load`].

use std::path::PathBuf;

use yitu_analysis::Jurisdiction;
use yitu_layers::io::{ReadOptions, read_vector};
use yitu_layers::{Project, ProjectLayer};

use crate::jobs::Progress;
use crate::map::prepared::PreparedLayer;
use crate::raster::overlay::RasterOverlay;

/// Raster files by extension (everything else is vector data, a photo or a photo folder).
pub fn is_raster(path: &std::path::Path) -> bool {
    const RASTER: [&str; 8] = ["tif", "tiff", "jp2", "vrt", "img", "asc", "nc", "dem"];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RASTER.contains(&e.to_ascii_lowercase().as_str()))
}

/// Where a project comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectSource {
    /// The embedded Chongqing sample.
    Sample,
    /// The city-scale generated registry (benchmarks).
    CityScale,
    File(PathBuf),
}

impl ProjectSource {
    pub fn from_arg(arg: Option<PathBuf>) -> Self {
        arg.map_or(Self::Sample, Self::File)
    }
}

pub struct LoadedProject {
    pub project: Project,
    pub prepared: Vec<PreparedLayer>,
    /// Rasters shown under the vector layers.
    pub rasters: Vec<RasterOverlay>,
    /// What could not be restored (e.g. a raster file that moved), for the user.
    pub warnings: Vec<String>,
    pub jurisdiction: Jurisdiction,
    pub path: Option<PathBuf>,
}

impl LoadedProject {
    /// Adds imported layers on top, preparing them for the map.
    pub fn add(&mut self, imported: ImportedLayers) {
        self.project.layers.extend(imported.layers);
        self.prepared.extend(imported.prepared);
        self.rasters.extend(imported.rasters);
    }
}

impl LoadedProject {
    /// Rebuilds the inspection-targets layer from the confirmed detections of every detections
    /// layer, after a review decision: added on the first confirmation, emptied (kept, with its
    /// style) when none is left.
    pub fn sync_inspection_targets(&mut self) {
        use yitu_analysis::detect::targets::{TARGETS_LAYER, inspection_targets, targets_layer};
        let targets = inspection_targets(self.project.layers.iter().map(|l| &l.layer));
        let existing = self
            .project
            .layers
            .iter()
            .position(|l| l.layer.name == TARGETS_LAYER);
        match existing {
            Some(i) => {
                self.project.layers[i].layer = targets_layer(targets);
                self.prepared[i] = PreparedLayer::build(&self.project.layers[i]);
            }
            None if !targets.is_empty() => {
                let layer = ProjectLayer {
                    layer: targets_layer(targets),
                    style: yitu_layers::LayerStyle::default(),
                };
                self.prepared.push(PreparedLayer::build(&layer));
                self.project.layers.push(layer);
            }
            None => {}
        }
    }

    /// The project as it is saved: layers, styles, bookmarks, and the rasters read from files
    /// (by path, with their display settings).
    pub fn project_for_saving(&self) -> Project {
        let mut project = self.project.clone();
        project.rasters = self
            .rasters
            .iter()
            .filter_map(|r| {
                Some(yitu_layers::RasterRef {
                    path: r.source.as_ref()?.display().to_string(),
                    view: serde_json::to_value(r.view()).ok()?,
                })
            })
            .collect();
        project
    }

    /// The geometry of a feature, if it has one.
    pub fn geometry(&self, f: crate::feature::FeatureRef) -> Option<&geo::Geometry<f64>> {
        self.project
            .layers
            .get(f.layer)?
            .layer
            .features
            .get(f.feature)?
            .geometry
            .as_ref()
    }

    /// For a polygon feature (a district, say): how many features of each point layer lie
    /// inside it, as `(layer index, count)` for layers with any.
    pub fn counts_inside(&self, area: &geo::Geometry<f64>) -> Vec<(usize, usize)> {
        let polygons: Vec<&geo::Polygon<f64>> = match area {
            geo::Geometry::Polygon(p) => vec![p],
            geo::Geometry::MultiPolygon(mp) => mp.iter().collect(),
            _ => return Vec::new(),
        };
        self.project
            .layers
            .iter()
            .zip(&self.prepared)
            .enumerate()
            .filter(|(_, (_, prep))| !prep.points.is_empty())
            .map(|(i, (pl, prep))| {
                let n = polygons
                    .iter()
                    .map(|p| prep.index.inside(&pl.layer, p).len())
                    .sum();
                (i, n)
            })
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

/// Loads (or generates) a project and prepares every layer. Runs on a job thread.
pub fn load(source: &ProjectSource, progress: &Progress) -> anyhow::Result<LoadedProject> {
    progress.set(0.05, "reading");
    let (project, path) = match source {
        ProjectSource::Sample => (yitu_sample_data::chongqing_project(), None),
        ProjectSource::CityScale => (yitu_sample_data::city_scale_project(), None),
        ProjectSource::File(p) => (Project::open(p)?, Some(p.clone())),
    };
    progress.check()?;
    let prepared = prepare_all(&project.layers, progress)?;
    progress.set(0.95, "jurisdiction");
    let jurisdiction = Jurisdiction::new(&project);
    let mut rasters = Vec::new();
    let mut warnings = Vec::new();
    for r in &project.rasters {
        progress.check()?;
        match RasterOverlay::load(std::path::Path::new(&r.path), progress) {
            Ok(mut overlay) => {
                if let Ok(view) = serde_json::from_value(r.view.clone()) {
                    overlay.set_view(view);
                }
                rasters.push(overlay);
            }
            Err(e) => warnings.push(format!("{e:#}")),
        }
    }
    Ok(LoadedProject {
        project,
        prepared,
        rasters,
        warnings,
        jurisdiction,
        path,
    })
}

fn prepare_all(layers: &[ProjectLayer], progress: &Progress) -> anyhow::Result<Vec<PreparedLayer>> {
    let mut prepared = Vec::with_capacity(layers.len());
    for (i, l) in layers.iter().enumerate() {
        progress.check()?;
        progress.set(
            0.1 + 0.8 * i as f32 / layers.len().max(1) as f32,
            &l.layer.name,
        );
        let mut p = PreparedLayer::build(l);
        p.thumbnails = crate::map::thumbnails::read_for_layer(&l.layer);
        prepared.push(p);
    }
    Ok(prepared)
}

/// Imported layers ready to join the project, with what was skipped and why (bad rows, photos
/// that could not be read).
pub struct ImportedLayers {
    pub layers: Vec<ProjectLayer>,
    pub prepared: Vec<PreparedLayer>,
    pub rasters: Vec<RasterOverlay>,
    pub skipped: Vec<String>,
}

/// Reads a vector file, or a folder of drone photos, never modifying them, and prepares the
/// layers. Runs on a job thread.
pub fn import(
    path: &std::path::Path,
    options: ReadOptions,
    progress: &Progress,
) -> anyhow::Result<ImportedLayers> {
    progress.set(0.1, "reading");
    if is_raster(path) {
        let raster = RasterOverlay::load(path, progress)?;
        return Ok(ImportedLayers {
            layers: Vec::new(),
            prepared: Vec::new(),
            rasters: vec![raster],
            skipped: Vec::new(),
        });
    }
    let (layers, skipped) = if path.is_dir() {
        let folder = yitu_analysis::photo::folder::read_folder(path)?;
        if folder.photos.is_empty() {
            anyhow::bail!("no readable drone photos (JPEG) in {}", path.display());
        }
        let name = path
            .file_name()
            .map_or_else(|| "photos".into(), |n| n.to_string_lossy().into_owned());
        let skipped = folder.failures.iter().map(|(_, e)| e.clone()).collect();
        (
            folder.layers(&name, yitu_analysis::photo::Ground::TakeOffLevel),
            skipped,
        )
    } else {
        let import = read_vector(path, options)?;
        (
            import.layers,
            import.skipped.iter().map(ToString::to_string).collect(),
        )
    };
    progress.check()?;
    let layers: Vec<ProjectLayer> = layers
        .into_iter()
        .map(|layer| ProjectLayer {
            style: default_import_style(&layer),
            layer,
        })
        .collect();
    let prepared = prepare_all(&layers, progress)?;
    Ok(ImportedLayers {
        layers,
        prepared,
        rasters: Vec::new(),
        skipped,
    })
}

fn default_import_style(layer: &yitu_layers::Layer) -> yitu_layers::LayerStyle {
    // `size` is a point radius, or a line or outline width.
    let size = match layer.features.iter().find_map(|f| f.geometry.as_ref()) {
        Some(geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)) => 1.5,
        Some(geo::Geometry::LineString(_) | geo::Geometry::MultiLineString(_)) => 2.5,
        _ => 4.0,
    };
    yitu_layers::LayerStyle {
        color: [231, 76, 60, 255],
        stroke: [192, 57, 43, 255],
        size,
        cluster: layer.features.len() > 2_000,
        ..Default::default()
    }
}

/// Runs detection on a thermal raster (or a SWIR band of a Sentinel-2 or Landsat product)
/// against a snapshot of the project's registry layers and returns the detections as a layer to
/// add, coloured by status. Runs on a job thread.
pub fn detect(
    raster: &std::path::Path,
    registry_layers: &[yitu_layers::Layer],
    progress: &Progress,
) -> anyhow::Result<ImportedLayers> {
    use yitu_analysis::detect;
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
    use yitu_analysis::detect;
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
        "note": layer.value(index, "note").to_string(),
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

    /// Detection from the app: registry layers imported from files like any other, recognised
    /// by their fields, and the detections back as a layer coloured by status.
    #[test]
    fn detection_adds_a_layer_matched_to_the_imported_registry() {
        use yitu_analysis::detect::synthetic;
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

/// What the dispatcher asked a draw for: the plan (TOML), the public entropy, and a roster CSV
/// (else the project's inspectors).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawRequest {
    pub plan_toml: String,
    pub entropy: String,
    pub roster_csv: Option<PathBuf>,
}

/// A finished draw: its record, what it was drawn from, and its tasks as a layer.
pub struct DrawOutcome {
    pub record: yitu_analysis::draw::Record,
    pub inputs: yitu_analysis::draw::Inputs,
    pub layer: yitu_layers::Layer,
    /// District names by code, from the project's district layers, for showing the results.
    pub district_names: std::collections::BTreeMap<String, String>,
}

/// The project layers a draw reads, copied so that editing may go on while it runs.
pub struct DrawSnapshot {
    pub sources: yitu_layers::Layer,
    /// The `inspectors` and `teams` layers, when the project has them.
    pub roster: Option<(yitu_layers::Layer, yitu_layers::Layer)>,
    /// Every layer, for the confirmed detections that become targeted checks.
    pub detections: Vec<yitu_layers::Layer>,
    /// District names by code.
    pub district_names: std::collections::BTreeMap<String, String>,
}

impl LoadedProject {
    /// The folder `<project>_<what>` beside the saved project file, where exports go; `None`
    /// while the project has not been saved.
    pub fn folder_beside(&self, what: &str) -> Option<PathBuf> {
        let project = self.path.as_ref()?;
        let stem = project.file_stem().unwrap_or_default().to_string_lossy();
        Some(project.with_file_name(format!("{stem}_{what}")))
    }

    /// What a draw needs from the project; `None` without a pollution-source layer.
    pub fn draw_snapshot(&self) -> Option<DrawSnapshot> {
        let layers = &self.project.layers;
        let sources = layers
            .iter()
            .find(|l| l.layer.kind == yitu_layers::LayerKind::PollutionSources)?
            .layer
            .clone();
        let named = |name: &str| {
            layers
                .iter()
                .find(|l| l.layer.name == name)
                .map(|l| l.layer.clone())
        };
        Some(DrawSnapshot {
            sources,
            roster: named("inspectors").zip(named("teams")),
            detections: layers
                .iter()
                .filter(|l| yitu_analysis::detect::targets::is_detections_layer(&l.layer))
                .map(|l| l.layer.clone())
                .collect(),
            district_names: layers
                .iter()
                .filter(|l| l.layer.kind == yitu_layers::LayerKind::Districts)
                .flat_map(|l| {
                    (0..l.layer.features.len()).map(|k| {
                        (
                            l.layer.value(k, "adcode").to_string(),
                            l.layer.value(k, "name").to_string(),
                        )
                    })
                })
                .filter(|(code, _)| !code.is_empty())
                .collect(),
        })
    }
}

/// Runs the 双随机 draw on the project's sources: the plan, the roster from the CSV or the
/// project, and every confirmed detection on a registered source as a targeted check (not
/// drawn). Runs on a job thread.
pub fn draw(
    request: &DrawRequest,
    snapshot: &DrawSnapshot,
    progress: &Progress,
) -> anyhow::Result<DrawOutcome> {
    use anyhow::Context as _;
    use yitu_analysis::draw::{self, plan::MustInclude};
    progress.set(0.1, "reading");
    let mut plan = draw::plan::Plan::parse(&request.plan_toml, "plan")?;
    let roster = roster_of(request.roster_csv.as_deref(), snapshot)?;
    let targets = draw::targets::from_layer(&snapshot.sources, &snapshot.sources.name)?;
    for (_, t) in yitu_analysis::detect::targets::inspection_targets(&snapshot.detections) {
        if let Some(source_id) = t.source_id
            && !plan.must_include.iter().any(|m| m.source_id == source_id)
        {
            plan.must_include.push(MustInclude {
                source_id,
                reason: format!("{} ({})", t.reason, t.detection),
            });
        }
    }
    let inputs = draw::Inputs {
        targets,
        roster,
        plan,
    };
    progress.check()?;
    progress.set(0.4, "drawing");
    let record = draw::draw(&inputs, &request.entropy).context("the draw")?;
    let tasks = draw::publish::tasks(&record, &inputs);
    let layer = draw::publish::tasks_layer(&tasks, &snapshot.sources);
    Ok(DrawOutcome {
        record,
        inputs,
        layer,
        district_names: snapshot.district_names.clone(),
    })
}

/// The roster a draw reads: the CSV when one is given, else the project's inspectors.
fn roster_of(
    csv: Option<&std::path::Path>,
    snapshot: &DrawSnapshot,
) -> anyhow::Result<Vec<yitu_analysis::draw::roster::Inspector>> {
    use yitu_analysis::draw::roster;
    Ok(match (csv, &snapshot.roster) {
        (Some(csv), _) => roster::read_csv(csv)?,
        (None, Some((inspectors, teams))) => roster::from_project(inspectors, teams)?,
        (None, None) => anyhow::bail!("the project has no inspectors layer: give a roster CSV"),
    })
}

/// The plan `plan_toml` with its `[[pair]]`s replaced by nearby district pairs (see
/// `draw::pairing`), from the project's sources and the roster; and how many pairs.
pub fn with_nearby_pairs(
    plan_toml: &str,
    roster_csv: Option<&std::path::Path>,
    snapshot: &DrawSnapshot,
) -> anyhow::Result<(String, usize)> {
    use yitu_analysis::draw;
    let mut plan = draw::plan::Plan::parse(plan_toml, "plan")?;
    let roster = roster_of(roster_csv, snapshot)?;
    let targets = draw::targets::from_layer(&snapshot.sources, &snapshot.sources.name)?;
    plan.pairs = draw::pairing::nearby_pairs(&targets, &roster);
    Ok((plan.to_toml(), plan.pairs.len()))
}

/// Writes a draw's record (`draw.json`), announcement and task list into `dir`. Runs on a job
/// thread.
pub fn publish_draw(
    record: &yitu_analysis::draw::Record,
    inputs: &yitu_analysis::draw::Inputs,
    dir: &std::path::Path,
    progress: &Progress,
) -> anyhow::Result<PathBuf> {
    progress.set(0.2, "writing");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("draw.json"), serde_json::to_string_pretty(record)?)?;
    yitu_analysis::draw::publish::write(dir, record, inputs)?;
    Ok(dir.to_path_buf())
}

impl LoadedProject {
    /// Puts a draw's layer on the map, replacing the previous draw's, coloured by stratum.
    pub fn show_draw(&mut self, layer: yitu_layers::Layer) {
        let mut style = yitu_layers::LayerStyle {
            size: 5.0,
            ..Default::default()
        };
        style.categorize(&layer, Some("stratum_or_reason"));
        self.put_layer(ProjectLayer { layer, style });
    }
}

/// What the dispatcher asks of a route plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRequest {
    /// A teams CSV; `None` for the project's teams (and their inspectors).
    pub teams_csv: Option<PathBuf>,
    /// An OSM extract; `None` plans on the great-circle estimate.
    pub network_pbf: Option<PathBuf>,
    pub days: usize,
    pub seconds: f64,
    /// Tasks the dispatcher moved by hand: kept where they were put.
    pub locks: Vec<yitu_routing::dispatch::Lock>,
    /// Where prepared networks are kept: the folder beside a saved project (else beside the
    /// extract).
    pub roads_folder: Option<PathBuf>,
}

/// A finished route plan and its map layers.
pub struct RoutesOutcome {
    pub plan: yitu_routing::dispatch::Plan,
    pub routes: yitu_layers::Layer,
    pub stops: yitu_layers::Layer,
    /// The roads it was planned on, kept for laying out the routes a manual move re-times.
    pub network: Option<std::sync::Arc<yitu_routing::network::RoadNetwork>>,
}

/// The project's `teams` and `inspectors` layers, copied for a plan's job.
pub struct TeamsSnapshot {
    pub teams: Option<yitu_layers::Layer>,
    pub inspectors: Option<yitu_layers::Layer>,
}

impl LoadedProject {
    pub fn teams_snapshot(&self) -> TeamsSnapshot {
        let named = |name: &str| {
            self.project
                .layers
                .iter()
                .find(|l| l.layer.name == name)
                .map(|l| l.layer.clone())
        };
        TeamsSnapshot {
            teams: named("teams"),
            inspectors: named("inspectors"),
        }
    }

    /// Puts a plan's routes and stops on the map, coloured by team, replacing an earlier plan.
    pub fn show_routes(&mut self, routes: yitu_layers::Layer, stops: yitu_layers::Layer) {
        for (layer, size, label) in [(routes, 3.0, None), (stops, 8.0, Some("seq"))] {
            let mut style = yitu_layers::LayerStyle {
                size,
                label_field: label.map(str::to_owned),
                ..Default::default()
            };
            style.categorize(&layer, Some("team"));
            self.put_layer(ProjectLayer { layer, style });
        }
    }

    /// Adds `layer`, or replaces the layer of the same name.
    fn put_layer(&mut self, layer: ProjectLayer) {
        let prepared = PreparedLayer::build(&layer);
        let layers = &mut self.project.layers;
        if let Some(i) = layers.iter().position(|l| l.layer.name == layer.layer.name) {
            self.prepared[i] = prepared;
            layers[i] = layer;
        } else {
            self.prepared.push(prepared);
            layers.push(layer);
        }
    }
}

/// Plans the draw's tasks over the teams: the search runs for `request.seconds`, its progress
/// shown by the time spent, and stops when the job is cancelled. Runs on a job thread.
pub fn plan_routes(
    request: &RouteRequest,
    record: &yitu_analysis::draw::Record,
    teams: &TeamsSnapshot,
    progress: &Progress,
) -> anyhow::Result<RoutesOutcome> {
    use yitu_routing::dispatch;
    use yitu_routing::network::{RoadNetwork, Speeds};
    progress.set(0.02, "reading teams");
    let team_list = match (&request.teams_csv, &teams.teams) {
        (Some(csv), _) => dispatch::read_teams(csv)?,
        (None, Some(layer)) => dispatch::teams::from_project(layer, teams.inspectors.as_ref())?,
        (None, None) => anyhow::bail!("the project has no teams layer: give a teams CSV"),
    };
    let network = match &request.network_pbf {
        Some(pbf) => {
            progress.set(0.05, "preparing the road network");
            let cached = request
                .roads_folder
                .as_ref()
                .filter(|dir| std::fs::create_dir_all(dir).is_ok())
                .and_then(|dir| Some(RoadNetwork::beside(&dir.join(pbf.file_name()?))))
                .unwrap_or_else(|| RoadNetwork::beside(pbf));
            let (network, not_kept) = RoadNetwork::prepared(pbf, &cached, &Speeds::urban())?;
            if let Some(e) = not_kept {
                log::warn!("the prepared network is not kept: {e}");
            }
            Some(network)
        }
        None => None,
    };
    progress.check()?;
    let budget = yitu_routing::model::Budget::seconds(request.seconds);
    let mut options = dispatch::Options::new(
        request.days,
        record.inputs.plan.cross_district,
        budget.clone(),
    );
    options.locks.clone_from(&request.locks);
    let tasks = dispatch::tasks_of(record);
    let plan = std::thread::scope(|scope| {
        let search = scope.spawn(|| dispatch::plan(tasks, team_list, network.as_ref(), &options));
        let started = std::time::Instant::now();
        while !search.is_finished() {
            let spent = started.elapsed().as_secs_f64() / request.seconds.max(0.1);
            progress.set(0.1 + 0.85 * spent.min(1.0) as f32, "searching");
            if progress.check().is_err() {
                budget
                    .cancel
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        search.join().expect("the planner does not panic")
    })?;
    progress.check()?;
    let (routes, stops) = dispatch::output::layers(&plan);
    Ok(RoutesOutcome {
        plan,
        routes,
        stops,
        network: network.map(std::sync::Arc::new),
    })
}
