//! A plan as GeoJSON (WGS84) for the map and the mobile enforcement system: one LineString
//! per team-day (office, stops, office), one Point per stop with its times, and one Point per
//! task left out with the reason.

use serde_json::{Value, json};
use yitu_layers::geojson::{collection, feature};

use super::teams::clock;
use super::{MINUTES_PER_DAY, Plan};

/// The plan's headline figures (also the CLI's `--json` output).
pub fn summary(plan: &Plan) -> Value {
    json!({
        "tasks": plan.tasks.len(),
        "planned": plan.tasks.len() - plan.unplanned.len(),
        "unplanned": plan.unplanned.len(),
        "teams": plan.teams.len(),
        "days": plan.days,
        "team_days": plan.team_days,
        "travel_minutes": (plan.travel_minutes * 10.0).round() / 10.0,
        "distance_km": (plan.distance_m / 100.0).round() / 10.0,
        "travel": plan.travel,
        "estimate": (plan.travel == "estimate").then_some(plan.estimate),
        "warnings": plan.warnings,
        "unplanned_tasks": plan.unplanned.iter().map(|u| json!({
            "source_id": plan.tasks[u.task].source_id,
            "reason": u.reason,
        })).collect::<Vec<_>>(),
    })
}

/// The day number (1-based) and the clock time of a plan time in minutes.
fn day_and_clock(minutes: f64) -> (usize, String) {
    (
        (minutes / MINUTES_PER_DAY).floor() as usize + 1,
        clock(minutes),
    )
}

pub fn to_geojson(plan: &Plan) -> Value {
    let mut features = Vec::new();
    for (r, route) in plan.routes.iter().enumerate() {
        let team = &plan.teams[route.team];
        let line = route.line(plan);
        let line = geo::LineString::from(line);
        features.push(feature(
            Some(&line.into()),
            json!({
                "kind": "route",
                "route": r + 1,
                "team": team.id,
                "team_name": team.name,
                "day": route.day + 1,
                "leave": clock(route.leave),
                "back": clock(route.back),
                "stops": route.stops.iter().filter(|s| s.task.is_some()).count(),
                "lunch": route
                    .stops
                    .iter()
                    .find(|s| s.task.is_none())
                    .map(|s| format!("{}–{}", clock(s.start), clock(s.departure))),
                "travel_minutes": (route.travel_minutes * 10.0).round() / 10.0,
                "distance_km": (route.distance_m / 100.0).round() / 10.0,
                "travel": plan.travel,
            }),
        ));
        let mut seq = 0;
        for stop in &route.stops {
            let (day, arrival) = day_and_clock(stop.arrival);
            let Some(k) = stop.task else {
                // Lunch is part of the route's timeline, not a place to go.
                continue;
            };
            seq += 1;
            let task = &plan.tasks[k];
            features.push(feature(
                point(task.position).as_ref(),
                json!({
                    "kind": "stop",
                    "route": r + 1,
                    "team": team.id,
                    "day": day,
                    "seq": seq,
                    "source_id": task.source_id,
                    "category": task.category,
                    "district": task.district,
                    "task_kind": task.kind,
                    "inspectors": task.inspectors.join(";"),
                    "arrival": arrival,
                    "start": clock(stop.start),
                    "departure": clock(stop.departure),
                    "wait_minutes": ((stop.start - stop.arrival) * 10.0).round() / 10.0,
                    "travel_minutes": (stop.travel_minutes * 10.0).round() / 10.0,
                    "snap_m": plan.snap_m[k].map(f64::round),
                }),
            ));
        }
    }
    for u in &plan.unplanned {
        let task = &plan.tasks[u.task];
        features.push(feature(
            point(task.position).as_ref(),
            json!({
                "kind": "unplanned",
                "source_id": task.source_id,
                "category": task.category,
                "district": task.district,
                "reason": u.reason,
            }),
        ));
    }
    let mut members = serde_json::Map::new();
    members.insert("name".into(), json!("inspection_plan"));
    members.insert("plan".into(), summary(plan));
    collection(features, members)
}

/// A task's position as a point, if it has one.
fn point(position: Option<[f64; 2]>) -> Option<geo::Geometry<f64>> {
    position.map(|[lon, lat]| geo::Point::new(lon, lat).into())
}

/// Names of the plan's layers on the map.
pub const ROUTES_LAYER: &str = "检查路线 Routes";
pub const STOPS_LAYER: &str = "检查站点 Stops";

#[derive(serde::Serialize)]
struct RouteRow {
    team: String,
    day: usize,
    date: Option<String>,
    stops: usize,
    leave: String,
    back: String,
    travel_minutes: f64,
    distance_km: f64,
    travel: &'static str,
}

#[derive(serde::Serialize)]
struct StopRow {
    team: String,
    day: usize,
    /// The calendar day, when the plan's first day was given.
    date: Option<String>,
    seq: usize,
    source_id: String,
    category: String,
    arrival: String,
    start: String,
    departure: String,
    inspectors: String,
    /// Empty until the desk records the inspection (`yitu_layers::inspection`).
    done: &'static str,
    done_on: &'static str,
}

/// The plan as two map layers: each team-day's route (office, stops, office) and its stops,
/// with the team, day and times as attributes.
pub fn layers(plan: &Plan) -> (yitu_layers::Layer, yitu_layers::Layer) {
    use geo::{Geometry, LineString, Point};
    use yitu_layers::LayerKind;
    use yitu_layers::registry::layer_from_records;
    let date = |day: usize| {
        plan.first_day
            .map(|first| yitu_core::calendar::iso_date(first + day as i64))
    };
    let routes = plan.routes.iter().map(|r| {
        let team = &plan.teams[r.team];
        let line = r.line(plan);
        let geometry = Geometry::LineString(LineString::from(
            line.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
        ));
        (
            Some(geometry),
            RouteRow {
                team: team.id.clone(),
                day: r.day + 1,
                date: date(r.day),
                stops: r.stops.iter().filter(|s| s.task.is_some()).count(),
                leave: clock(r.leave),
                back: clock(r.back),
                travel_minutes: (r.travel_minutes * 10.0).round() / 10.0,
                distance_km: (r.distance_m / 100.0).round() / 10.0,
                travel: plan.travel,
            },
        )
    });
    let stops = plan.routes.iter().flat_map(|r| {
        let team = &plan.teams[r.team];
        r.stops
            .iter()
            .filter_map(|s| s.task.map(|k| (k, s)))
            .enumerate()
            .map(move |(seq, (k, s))| {
                let t = &plan.tasks[k];
                (
                    t.position.map(|p| Geometry::Point(Point::new(p[0], p[1]))),
                    StopRow {
                        team: team.id.clone(),
                        day: r.day + 1,
                        date: date(r.day),
                        seq: seq + 1,
                        source_id: t.source_id.clone(),
                        category: t.category.clone(),
                        arrival: clock(s.arrival),
                        start: clock(s.start),
                        departure: clock(s.departure),
                        inspectors: t.inspectors.join(";"),
                        done: "",
                        done_on: "",
                    },
                )
            })
    });
    (
        layer_from_records(ROUTES_LAYER, LayerKind::Other, routes),
        layer_from_records(STOPS_LAYER, LayerKind::Other, stops),
    )
}
