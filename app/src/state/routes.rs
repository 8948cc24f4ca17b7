//! Route planning for the app's jobs: the last draw's tasks over the project's (or a CSV's)
//! teams, on the roads of an OSM extract or on estimated travel.

use std::path::PathBuf;

use yitu_layers::ProjectLayer;

use super::LoadedProject;
use crate::jobs::Progress;
use crate::map::prepared::PreparedLayer;

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
    /// The calendar day of the plan's first day (days since 1970), when given.
    pub first_day: Option<i64>,
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
        let named = |name: &str| self.layers.named(name).map(|l| l.data.layer.clone());
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
    pub(super) fn put_layer(&mut self, layer: ProjectLayer) {
        let drawing = PreparedLayer::build(&layer);
        self.layers.put(layer, drawing);
    }
}

/// Plans the draw's tasks over the teams: the search runs for `request.seconds`, its progress
/// shown by the time spent, and stops when the job is cancelled. Runs on a job thread.
pub fn plan_routes(
    request: &RouteRequest,
    record: &yitu_draw::Record,
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
    let mut plan = plan;
    plan.first_day = request.first_day;
    let (routes, stops) = dispatch::output::layers(&plan);
    Ok(RoutesOutcome {
        plan,
        routes,
        stops,
        network: network.map(std::sync::Arc::new),
    })
}
