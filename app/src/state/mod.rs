//! The loaded project with everything derived from it for the UI: prepared geometry, indexes
//! and jurisdiction. Built off the UI thread by [`load`].

use std::path::PathBuf;

use yitu_layers::io::{ReadOptions, read_vector};
use yitu_layers::jurisdiction::Jurisdiction;
use yitu_layers::{Project, ProjectLayer};

use crate::feature::LayerId;
use crate::jobs::Progress;
use crate::map::layers::MapLayers;
use crate::map::prepared::PreparedLayer;
use crate::raster::overlay::RasterOverlay;

pub mod basins;
mod detection;
mod draw;
pub mod monitoring;
pub mod monitoring_evidence;
pub mod monitoring_sample;
mod routes;
pub mod store;

pub use detection::{detect, export_evidence};
pub use draw::{DrawOutcome, DrawRequest, DrawSnapshot, draw, publish_draw, with_nearby_pairs};
pub use routes::{RouteRequest, RoutesOutcome, TeamsSnapshot, plan_routes};

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
    /// A shared PostGIS store, by its libpq URL.
    Store(String),
}

impl ProjectSource {
    /// A project argument: a `postgres://` or `postgresql://` URL is a store, anything else a
    /// file; none is the sample.
    pub fn from_arg(arg: Option<PathBuf>) -> Self {
        match arg {
            None => Self::Sample,
            Some(p) => match p.to_str() {
                Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                    Self::Store(url.to_owned())
                }
                _ => Self::File(p),
            },
        }
    }
}

pub struct LoadedProject {
    /// The project's name, bookmarks and raster references; its layers are in `layers`.
    pub project: Project,
    /// The map layers, each with its data, style and drawing data.
    pub layers: MapLayers,
    /// Rasters shown under the vector layers.
    pub rasters: Vec<RasterOverlay>,
    /// What could not be restored (e.g. a raster file that moved), for the user.
    pub warnings: Vec<String>,
    pub jurisdiction: Jurisdiction,
    pub path: Option<PathBuf>,
    /// The shared store the project was opened from, if it was.
    pub store: Option<store::StoreLink>,
    /// The monitoring run kept in the project file, read back.
    pub monitoring: Option<monitoring::MonitoringRun>,
}

impl LoadedProject {
    /// Adds imported layers on top, preparing them for the map.
    pub fn add(&mut self, imported: ImportedLayers) {
        for (data, drawing) in imported.layers.into_iter().zip(imported.prepared) {
            self.layers.push(data, drawing);
        }
        self.rasters.extend(imported.rasters);
    }
}

impl LoadedProject {
    /// Rebuilds the inspection-targets layer from the confirmed detections of every detections
    /// layer, after a review decision: added on the first confirmation, emptied (kept, with its
    /// style) when none is left.
    pub fn sync_inspection_targets(&mut self) {
        use yitu_imagery::detect::targets::{TARGETS_LAYER, inspection_targets, targets_layer};
        let targets = inspection_targets(self.layers.data().map(|l| &l.layer));
        // Kept with its style once it exists; made only for a first confirmation.
        let style = match self.layers.named(TARGETS_LAYER) {
            Some(l) => l.data.style.clone(),
            None if !targets.is_empty() => yitu_layers::LayerStyle::default(),
            None => return,
        };
        let data = ProjectLayer {
            layer: targets_layer(targets),
            style,
        };
        let drawing = PreparedLayer::build(&data);
        self.layers.put(data, drawing);
    }

    /// The project as it is saved: layers, styles, bookmarks, and the rasters read from files
    /// (by path, with their display settings).
    pub fn project_for_saving(&self) -> Project {
        let mut project = self.project.clone();
        project.layers = self.layers.data().cloned().collect();
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
        self.layers
            .get(f.layer)?
            .data
            .layer
            .features
            .get(f.feature)?
            .geometry
            .as_ref()
    }

    /// For a polygon feature (a district, say): how many features of each point layer lie
    /// inside it, as `(layer index, count)` for layers with any.
    pub fn counts_inside(&self, area: &geo::Geometry<f64>) -> Vec<(LayerId, usize)> {
        let polygons: Vec<&geo::Polygon<f64>> = match area {
            geo::Geometry::Polygon(p) => vec![p],
            geo::Geometry::MultiPolygon(mp) => mp.iter().collect(),
            _ => return Vec::new(),
        };
        self.layers
            .iter()
            .filter(|l| !l.drawing.points.is_empty())
            .map(|l| {
                let n = polygons
                    .iter()
                    .map(|p| l.drawing.index.inside(&l.data.layer, p).len())
                    .sum();
                (l.id, n)
            })
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

/// Loads (or generates) a project and prepares every layer. Runs on a job thread.
pub fn load(source: &ProjectSource, progress: &Progress) -> anyhow::Result<LoadedProject> {
    progress.set(0.05, "reading");
    let mut store = None;
    let mut kept = None;
    let (project, path) = match source {
        ProjectSource::Sample => (yitu_sample_data::chongqing_project(), None),
        ProjectSource::CityScale => (yitu_sample_data::city_scale_project(), None),
        ProjectSource::File(p) => (Project::open(p)?, Some(p.clone())),
        ProjectSource::Store(url) => {
            let (link, mut client) = store::StoreLink::open(url)?;
            store = Some(link);
            kept = monitoring::restore_from_store(&mut client)?;
            (yitu_store::read::project(&mut client)?, None)
        }
    };
    progress.check()?;
    let prepared = prepare_all(&project.layers, progress)?;
    progress.set(0.95, "jurisdiction");
    let jurisdiction = Jurisdiction::new(&project);
    let mut project = project;
    let mut layers = MapLayers::default();
    for (data, drawing) in std::mem::take(&mut project.layers)
        .into_iter()
        .zip(prepared)
    {
        layers.push(data, drawing);
    }
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
        layers,
        rasters,
        warnings,
        monitoring: match &path {
            Some(p) => monitoring::restore(p)?,
            None => kept,
        },
        jurisdiction,
        path,
        store,
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
        let folder = yitu_imagery::photo::folder::read_folder(path)?;
        if folder.photos.is_empty() {
            anyhow::bail!("no readable drone photos (JPEG) in {}", path.display());
        }
        let name = path
            .file_name()
            .map_or_else(|| "photos".into(), |n| n.to_string_lossy().into_owned());
        let skipped = folder.failures.iter().map(|(_, e)| e.clone()).collect();
        (
            folder.layers(&name, yitu_imagery::photo::Ground::TakeOffLevel),
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
