//! Travel between a plan's points: on the roads of a prepared network (snapped, with the
//! routes laid along them) or estimated from straight-line distance.

use super::{Estimate, MINUTES_PER_DAY, Plan, Task, Team, TeamDay};
use crate::RoutingError;
use crate::model::Matrices;
use crate::network::{RoadNetwork, haversine_m};

/// Travel time standing for "no road leads there", minutes: no shift is that long.
const UNREACHABLE_MIN: f64 = 10.0 * MINUTES_PER_DAY;

/// Travel between the plan's points: locations 0..teams are the offices, then the tasks with a
/// position.
pub(super) struct Travel {
    pub(super) matrices: Matrices,
    pub(super) snap_m: Vec<Option<f64>>,
}

pub(super) fn estimate_matrix(points: &[[f64; 2]], estimate: Estimate) -> Matrices {
    let n = points.len();
    let mut distances = vec![0.0; n * n];
    let mut durations = vec![0.0; n * n];
    for (i, a) in points.iter().enumerate() {
        for (j, b) in points.iter().enumerate() {
            let d = haversine_m(*a, *b) * estimate.detour;
            distances[i * n + j] = d;
            durations[i * n + j] = d / (estimate.kmh / 3.6) / 60.0;
        }
    }
    Matrices {
        size: n,
        durations,
        distances,
    }
}

pub(super) fn road_matrix(
    network: &RoadNetwork,
    points: &[[f64; 2]],
) -> Result<Travel, RoutingError> {
    let m = network.matrix(points)?;
    let n = m.size;
    let durations = m
        .seconds
        .iter()
        .map(|s| s.map_or(UNREACHABLE_MIN, |s| s / 60.0))
        .collect();
    let distances = m
        .metres
        .iter()
        .map(|d| d.unwrap_or(f64::MAX / 1e6))
        .collect();
    Ok(Travel {
        matrices: Matrices {
            size: n,
            durations,
            distances,
        },
        snap_m: m.snaps.iter().map(|s| Some(s.snap_m)).collect(),
    })
}

/// Which teams may take `task`: the team its locked to; else the teams of its drawn
/// inspectors; else by the district rule; then only teams with the skill its category needs.
/// Lays the routes without a road line (all of a fresh plan's, those a manual move re-timed)
/// along `network`'s roads, the one the plan was made on.
pub fn follow_roads(plan: &mut Plan, network: &RoadNetwork) {
    for r in plan.routes.iter_mut().filter(|r| r.road_line.is_empty()) {
        r.road_line = road_line(network, &plan.teams[r.team], r, &plan.tasks);
    }
}

/// A route along the roads: office, stops, office, each leg the fastest path between their
/// snapped points; empty if a leg has no path.
fn road_line(net: &RoadNetwork, team: &Team, route: &TeamDay, tasks: &[Task]) -> Vec<[f64; 2]> {
    let mut line = Vec::new();
    for pair in route.visits(team.office, tasks).windows(2) {
        match net.leg(pair[0], pair[1]) {
            Some(leg) => line.extend(leg),
            None => return Vec::new(),
        }
    }
    line
}
