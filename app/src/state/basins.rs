//! River basins in the app: the project's rivers as a network (over `yitu_basins`), traced from
//! a click on a reach or a feature, what the trace finds ranked and grouped by district, and
//! the joint-check lists written beside the project.

use std::path::{Path, PathBuf};

use geo::Coord;
use yitu_basins::attribution::evidence::Registry;
use yitu_basins::attribution::{Exceedance, Ranked, rank_found};
use yitu_basins::files::{features_of, rivers_of};
use yitu_basins::found::crossings;
use yitu_basins::{
    BuildOptions, Crossing, Direction, Districts, Found, Limits, Network, Tied, joint,
};
use yitu_layers::layer::is_detections_layer;
use yitu_layers::{Layer, LayerKind};

use crate::feature::FeatureRef;
use crate::state::LoadedProject;
use crate::state::monitoring::ANOMALIES_LAYER;

/// The project's rivers as a network, with the features tied to it and the districts.
pub struct Basin {
    pub network: Network,
    tied: Tied,
    districts: Option<Districts>,
}

/// What the trace tool asks: where, which way, how far.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRequest {
    pub at: Coord<f64>,
    /// What was clicked, for the window's title (a feature's label, or the river's name).
    pub label: String,
    pub direction: Direction,
    pub km: Option<f64>,
    pub hours: Option<f64>,
    /// The exceedance the finds are ranked as causes of (pollutant and time, either unknown).
    pub exceedance: Exceedance,
}

/// A trace on the map: its parts as lines, what it found (ranked) and the lines it crossed.
pub struct TraceRun {
    pub request: TraceRequest,
    pub river: String,
    pub length_km: f64,
    /// The traced parts of reaches, WGS84, for drawing.
    pub lines: Vec<Vec<Coord<f64>>>,
    pub start: Coord<f64>,
    pub found: Vec<Found>,
    pub crossings: Vec<Crossing>,
    /// The candidates (sections left out) ranked with what the layers say of them.
    pub ranked: Vec<Ranked>,
}

/// The project layers a trace looks for, by the name `yitu trace` gives them, and whether
/// each is tied to its nearest reach only.
fn searched(loaded: &LoadedProject) -> Vec<(&'static str, &Layer, bool)> {
    loaded
        .layers
        .data()
        .filter_map(|l| {
            let layer = &l.layer;
            let (name, nearest) = match layer.kind {
                LayerKind::Outfalls => ("outfalls", true),
                LayerKind::RiverSections => ("sections", true),
                LayerKind::PollutionSources => ("sources", false),
                _ if is_detections_layer(layer) => ("detections", true),
                _ if layer.name == ANOMALIES_LAYER => ("anomalies", false),
                _ => return None,
            };
            Some((name, layer, nearest))
        })
        .collect()
}

impl Basin {
    /// Builds the network from the project's river layers; `None` without any.
    pub fn new(loaded: &LoadedProject) -> Option<Self> {
        let lines: Vec<_> = loaded
            .layers
            .data()
            .filter(|l| l.layer.kind == LayerKind::Rivers)
            .flat_map(|l| rivers_of(&l.layer))
            .collect();
        if lines.is_empty() {
            return None;
        }
        let network = Network::build(
            lines,
            &BuildOptions {
                snap_m: 10.0,
                ..BuildOptions::default()
            },
        );
        let features = searched(loaded)
            .into_iter()
            .flat_map(|(name, layer, nearest)| features_of(layer, name, nearest))
            .collect();
        let tied = Tied::new(&network, features, 500.0);
        let districts: Vec<Layer> = loaded
            .layers
            .data()
            .filter(|l| l.layer.kind == LayerKind::Districts)
            .map(|l| l.layer.clone())
            .collect();
        let districts = (!districts.is_empty()).then(|| Districts::new(districts));
        Some(Self {
            network,
            tied,
            districts,
        })
    }

    /// Traces from the reach nearest the request's point.
    pub fn trace(&self, loaded: &LoadedProject, request: TraceRequest) -> Option<TraceRun> {
        let start = self.network.locate(request.at)?;
        let limits = Limits {
            max_m: request.km.map_or(f64::INFINITY, |k| k * 1000.0),
            max_h: request.hours.unwrap_or(f64::INFINITY),
            ..Limits::default()
        };
        let trace = self.network.trace(start, request.direction, limits);
        let found = self
            .tied
            .found(&self.network, &trace, self.districts.as_ref());
        let crossings = self
            .districts
            .as_ref()
            .map(|d| crossings(&self.network, &trace, d))
            .unwrap_or_default();
        let layers = searched(loaded);
        let registry = Registry::by_name(|n| {
            layers
                .iter()
                .find(|(name, _, _)| *name == n)
                .map(|(_, l, _)| *l)
        });
        let ranked = rank_found(&request.exceedance, &found, &registry);
        let lines = trace
            .parts
            .iter()
            .map(|p| {
                let r = &self.network.reaches[p.reach as usize];
                yitu_basins::geom::slice(&r.coords, &r.cum, p.lo_m, p.hi_m)
            })
            .collect();
        let reach = &self.network.reaches[start.reach as usize];
        let (at, _) = yitu_basins::geom::point_along(&reach.coords, &reach.cum, start.at_m);
        Some(TraceRun {
            river: reach.name.clone(),
            length_km: trace.length_m() / 1000.0,
            request,
            lines,
            start: at,
            found,
            crossings,
            ranked,
        })
    }
}

/// The project feature a found one is (by layer and `id`).
pub fn feature_of(loaded: &LoadedProject, found: &Found) -> Option<FeatureRef> {
    loaded.layers.iter().find_map(|l| {
        let layer = &l.data.layer;
        let matches = match found.layer.as_str() {
            "outfalls" => layer.kind == LayerKind::Outfalls,
            "sections" => layer.kind == LayerKind::RiverSections,
            "sources" => layer.kind == LayerKind::PollutionSources,
            "detections" => is_detections_layer(layer),
            "anomalies" => layer.name == ANOMALIES_LAYER,
            _ => false,
        };
        if !matches {
            return None;
        }
        let feature =
            (0..layer.features.len()).find(|&i| layer.value(i, "id").to_string() == found.id)?;
        Some(FeatureRef {
            layer: l.id,
            feature,
        })
    })
}

/// Writes the joint-check lists of a trace into `dir`: `lists.html`, `lists.csv`, `checks.toml`.
pub fn write_lists(dir: &Path, run: &TraceRun) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context as _;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let title = format!(
        "流域追溯 {} · {} ({:?})",
        run.request.label, run.river, run.request.direction
    );
    let files = joint::files(&title, &run.ranked, &run.crossings);
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
