//! The dispatcher's plan: the draw's tasks spread over teams and days, on roads or, without a
//! network, on a great-circle estimate that says so.

pub mod by_day;
pub mod export;
pub mod manual;
pub mod output;
pub mod teams;
mod travel;

use std::collections::HashMap;

use yitu_draw::{ForTheSheet, Record};

use crate::RoutingError;
use crate::model::{Break, Budget, Instance, JobSpec, Matrices, Objective, Solution, VehicleSpec};
use crate::network::RoadNetwork;
pub use teams::{Minutes, Team, read_hours, read_locks, read_teams};
pub use travel::follow_roads;
use travel::{Travel, estimate_matrix, road_matrix};

const MINUTES_PER_DAY: f64 = 24.0 * 60.0;

/// One inspection to plan: a firm of the draw (drawn or targeted).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Task {
    pub source_id: String,
    pub district: String,
    pub category: String,
    pub inspectors: Vec<String>,
    pub position: Option<[f64; 2]>,
    /// `random` (drawn) or `targeted`.
    pub kind: &'static str,
    /// The firm's name and contact, for the task sheets.
    #[serde(flatten)]
    pub sheet: ForTheSheet,
}

/// The record's tasks: targeted first, then drawn.
pub fn tasks_of(record: &Record) -> Vec<Task> {
    let targeted = record.targeted.iter().map(|t| Task {
        source_id: t.source_id.clone(),
        district: t.district.clone(),
        category: t.category.clone(),
        inspectors: t.inspectors.clone(),
        position: t.position,
        kind: "targeted",
        sheet: t.sheet.clone(),
    });
    let drawn = record.selected.iter().map(|s| Task {
        source_id: s.source_id.clone(),
        district: s.district.clone(),
        category: s.category.clone(),
        inspectors: s.inspectors.clone(),
        position: s.position,
        kind: "random",
        sheet: s.sheet.clone(),
    });
    targeted.chain(drawn).collect()
}

/// A task the dispatcher fixed to a team and day by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Lock {
    pub source_id: String,
    pub team: String,
    /// 0-based.
    pub day: usize,
}

/// How travel is worked out without a road network: the straight line times a detour
/// factor, at an average speed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub detour: f64,
    pub kmh: f64,
}

impl Default for Estimate {
    fn default() -> Self {
        Self {
            detour: 1.4,
            kmh: 30.0,
        }
    }
}

/// What leaving out a locked task costs against an ordinary one: more than all of them.
const LOCKED_WEIGHT: f64 = 1e4;

/// Categories that need a skill: only teams with it inspect them.
const SKILLED: [&str; 2] = ["radiation", "hazardous_waste"];

/// Everything a plan depends on besides the tasks and teams.
#[derive(Debug, Clone)]
pub struct Options {
    pub days: usize,
    /// Inspections cross district lines (交叉执法): teams do not inspect their own district.
    pub cross_district: bool,
    /// Minutes on site per category; others take `default_service`.
    pub service: HashMap<String, Minutes>,
    pub default_service: Minutes,
    /// Firms' usual hours: when an inspection may start.
    pub firm_hours: (Minutes, Minutes),
    /// A firm's own hours by source id, where known ([`read_hours`]).
    pub hours: HashMap<String, (Minutes, Minutes)>,
    pub estimate: Estimate,
    /// Farther than this from any road, a target is planned on the estimate from its snapped
    /// point and flagged.
    pub max_snap_m: f64,
    pub locks: Vec<Lock>,
    pub budget: Budget,
}

impl Options {
    pub fn new(days: usize, cross_district: bool, budget: Budget) -> Self {
        Self {
            days,
            cross_district,
            service: HashMap::from([
                ("key".to_owned(), 90.0),
                ("special".to_owned(), 120.0),
                ("general".to_owned(), 60.0),
            ]),
            default_service: 60.0,
            firm_hours: (8.0 * 60.0 + 30.0, 17.0 * 60.0),
            hours: HashMap::new(),
            estimate: Estimate::default(),
            max_snap_m: 500.0,
            locks: Vec::new(),
            budget,
        }
    }

    /// When an inspection at `source_id` may start: its own hours, else the usual ones.
    fn hours_of(&self, source_id: &str) -> (Minutes, Minutes) {
        self.hours
            .get(source_id)
            .copied()
            .unwrap_or(self.firm_hours)
    }

    fn service_of(&self, category: &str) -> Minutes {
        self.service
            .get(category)
            .copied()
            .unwrap_or(self.default_service)
    }
}

/// A team's route on one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TeamDay {
    pub team: usize,
    pub day: usize,
    pub stops: Vec<PlannedStop>,
    pub leave: Minutes,
    pub back: Minutes,
    pub travel_minutes: f64,
    pub distance_m: f64,
    /// The route along the roads (WGS84), office to office, when planned on a network; empty
    /// otherwise (and after a manual move), when maps draw straight legs.
    #[serde(skip)]
    pub road_line: Vec<[f64; 2]>,
}

impl TeamDay {
    /// The line to draw: along the roads when known, else straight from stop to stop.
    pub fn line(&self, plan: &Plan) -> Vec<[f64; 2]> {
        if self.road_line.is_empty() {
            self.visits(plan.teams[self.team].office, &plan.tasks)
        } else {
            self.road_line.clone()
        }
    }

    /// Where the team goes in turn: the office, each inspection, the office.
    fn visits(&self, office: [f64; 2], tasks: &[Task]) -> Vec<[f64; 2]> {
        std::iter::once(office)
            .chain(
                self.stops
                    .iter()
                    .filter_map(|s| s.task.and_then(|k| tasks[k].position)),
            )
            .chain(std::iter::once(office))
            .collect()
    }
}

/// A stop on a team's day: an inspection (task index) or lunch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlannedStop {
    pub task: Option<usize>,
    pub arrival: Minutes,
    pub start: Minutes,
    pub departure: Minutes,
    /// Minutes of travel from the previous stop (or the office).
    pub travel_minutes: f64,
}

/// A task no team could take, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unplanned {
    pub task: usize,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Plan {
    pub tasks: Vec<Task>,
    pub teams: Vec<Team>,
    pub days: usize,
    pub routes: Vec<TeamDay>,
    pub unplanned: Vec<Unplanned>,
    /// `roads` (on the network) or `estimate` (great circle × detour at an average speed).
    pub travel: &'static str,
    pub estimate: Estimate,
    /// Per task: metres from its position to the nearest road (on a network).
    pub snap_m: Vec<Option<f64>>,
    pub team_days: usize,
    pub travel_minutes: f64,
    pub distance_m: f64,
    /// What the dispatcher should know besides the tasks left out (an office off the roads).
    pub warnings: Vec<String>,
    /// The calendar day (days since 1970) of the plan's first day, when the dispatcher gave
    /// it: the routes and stops are then dated, and play on the command centre's time slider.
    pub first_day: Option<i64>,
    /// What a manual change is re-planned on (see [`manual`]).
    #[serde(skip)]
    pub context: PlanContext,
}

/// The travel matrices (offices first, then located tasks) and each task's location in them,
/// with the rules the plan kept: what [`manual::move_task`] needs to re-plan one change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanContext {
    pub matrices: Option<Matrices>,
    pub location_of: Vec<Option<usize>>,
    pub service: Vec<Minutes>,
    /// Per task: when an inspection there may start.
    pub hours: Vec<(Minutes, Minutes)>,
}

fn allowed_teams(task: &Task, teams: &[Team], options: &Options) -> Vec<usize> {
    let by = |keep: &dyn Fn(&Team) -> bool| -> Vec<usize> {
        (0..teams.len()).filter(|&k| keep(&teams[k])).collect()
    };
    let members = by(&|t| task.inspectors.iter().any(|i| t.inspectors.contains(i)));
    let mut allowed = if members.is_empty() {
        if options.cross_district {
            by(&|t| t.district != task.district)
        } else {
            let own = by(&|t| t.district == task.district);
            if own.is_empty() { by(&|_| true) } else { own }
        }
    } else {
        members
    };
    if SKILLED.contains(&task.category.as_str()) {
        allowed.retain(|&k| teams[k].skills.iter().any(|s| s == &task.category));
    }
    allowed
}

/// Plans `tasks` for `teams` over `options.days` days: fewest team-days, then least travel.
/// Tasks that cannot be planned come back with their reason; nothing fails the whole plan
/// but unreadable inputs: an empty roster or an office off the road network leaves tasks out,
/// each with the reason, and the office is named in the plan's warnings.
pub fn plan(
    tasks: Vec<Task>,
    teams: Vec<Team>,
    network: Option<&RoadNetwork>,
    options: &Options,
) -> Result<Plan, RoutingError> {
    let days = options.days.max(1);
    let mut unplanned = Vec::new();
    // Locations: offices, then each task with a position.
    let mut points: Vec<[f64; 2]> = teams.iter().map(|t| t.office).collect();
    let mut location_of = vec![None; tasks.len()];
    for (k, t) in tasks.iter().enumerate() {
        match t.position {
            Some(p) if p[0].is_finite() && p[1].is_finite() => {
                location_of[k] = Some(points.len());
                points.push(p);
            }
            _ => unplanned.push(Unplanned {
                task: k,
                reason: "no position in the draw record (the source has no geometry)".to_owned(),
            }),
        }
    }
    let travel = match network {
        Some(net) => road_matrix(net, &points)?,
        None => Travel {
            matrices: estimate_matrix(&points, options.estimate),
            snap_m: vec![None; points.len()],
        },
    };
    let mut warnings = Vec::new();
    let office_off: Vec<bool> = (0..teams.len())
        .map(|k| {
            let off = travel.snap_m[k].filter(|&s| s > options.max_snap_m);
            if let Some(s) = off {
                warnings.push(format!(
                    "team {}: the office is {s:.0} m from the nearest drivable road; the team is left out",
                    teams[k].id
                ));
            }
            off.is_some()
        })
        .collect();
    let mut snap_m = vec![None; tasks.len()];
    for (k, loc) in location_of.iter().enumerate() {
        if let Some(l) = loc {
            snap_m[k] = travel.snap_m[*l];
        }
    }
    // Vehicles: one per team and day (see `allowed_vehicles`).
    let mut vehicles = Vec::with_capacity(teams.len() * days);
    for day in 0..days {
        let offset = day as f64 * MINUTES_PER_DAY;
        for (k, t) in teams.iter().enumerate() {
            vehicles.push(VehicleSpec {
                id: format!("{} day {}", t.id, day + 1),
                start: k,
                end: k,
                shift: (offset + t.shift.0, offset + t.shift.1),
                capacity: t.max_targets as i32,
                lunch: Some(Break {
                    window: (offset + t.lunch.0, offset + t.lunch.1),
                    duration: t.lunch_minutes,
                }),
            });
        }
    }
    let mut jobs = Vec::new();
    let mut job_task = Vec::new();
    for (k, task) in tasks.iter().enumerate() {
        let Some(location) = location_of[k] else {
            continue;
        };
        if let Some(s) = snap_m[k].filter(|&s| s > options.max_snap_m) {
            unplanned.push(Unplanned {
                task: k,
                reason: format!("off the road network: {s:.0} m from the nearest drivable road"),
            });
            continue;
        }
        let allowed = match allowed_vehicles(task, &teams, &office_off, options) {
            Ok(allowed) => allowed,
            Err(reason) => {
                unplanned.push(Unplanned { task: k, reason });
                continue;
            }
        };
        let service = options.service_of(&task.category);
        let (open, close) = options.hours_of(&task.source_id);
        let windows = (0..days)
            .map(|d| {
                let offset = d as f64 * MINUTES_PER_DAY;
                (offset + open, offset + close)
            })
            .collect();
        let locked = options.locks.iter().any(|l| l.source_id == task.source_id);
        jobs.push(JobSpec {
            id: task.source_id.clone(),
            location,
            service,
            windows,
            demand: 1,
            allowed: Some(allowed),
            weight: if locked { LOCKED_WEIGHT } else { 1.0 },
        });
        job_task.push(k);
    }
    let context = PlanContext {
        matrices: Some(travel.matrices.clone()),
        location_of: location_of.clone(),
        service: tasks
            .iter()
            .map(|t| options.service_of(&t.category))
            .collect(),
        hours: tasks
            .iter()
            .map(|t| options.hours_of(&t.source_id))
            .collect(),
    };
    let instance = Instance {
        matrices: travel.matrices,
        vehicles,
        jobs,
        objective: Objective::Duration,
        positions: Vec::new(),
    };
    let solution = by_day::solve_by_day(&instance, teams.len(), &options.budget)?;
    for &j in &solution.unassigned {
        unplanned.push(Unplanned {
            task: job_task[j],
            reason: unassigned_reason(&instance, j),
        });
    }
    unplanned.sort_by_key(|u| u.task);
    let routes = team_days(&instance, &solution, &job_task, teams.len());
    let mut plan = Plan {
        // Summed up below, once every route is final.
        team_days: 0,
        travel_minutes: 0.0,
        distance_m: 0.0,
        travel: if network.is_some() {
            "roads"
        } else {
            "estimate"
        },
        estimate: options.estimate,
        snap_m,
        tasks,
        teams,
        days,
        routes,
        unplanned,
        warnings,
        first_day: None,
        context,
    };
    manual::add_missing_lunches(&mut plan);
    plan.sum_up();
    if let Some(net) = network {
        follow_roads(&mut plan, net);
    }
    Ok(plan)
}

impl Plan {
    /// The plan's team-days, travel and distance, from its routes.
    fn sum_up(&mut self) {
        self.team_days = self.routes.len();
        self.travel_minutes = self.routes.iter().map(|r| r.travel_minutes).sum();
        self.distance_m = self.routes.iter().map(|r| r.distance_m).sum();
    }
}

/// The team-days (vehicle indexes: day × teams + team) that may take `task`, or why none.
fn allowed_vehicles(
    task: &Task,
    teams: &[Team],
    office_off: &[bool],
    options: &Options,
) -> Result<Vec<usize>, String> {
    let days = options.days.max(1);
    let (mut allowed, on_days) =
        if let Some(l) = options.locks.iter().find(|l| l.source_id == task.source_id) {
            match teams.iter().position(|t| t.id == l.team) {
                Some(team) if l.day < days => (vec![team], l.day..l.day + 1),
                _ => {
                    return Err(format!(
                        "locked to team {} on day {}, which the plan does not have",
                        l.team,
                        l.day + 1
                    ));
                }
            }
        } else {
            let allowed = allowed_teams(task, teams, options);
            if allowed.is_empty() {
                return Err(no_team_reason(task, teams, options));
            }
            (allowed, 0..days)
        };
    allowed.retain(|&t| !office_off[t]);
    if allowed.is_empty() {
        return Err("every team that may take it has its office off the road network".to_owned());
    }
    Ok(on_days
        .flat_map(|d| allowed.iter().map(move |&t| d * teams.len() + t))
        .collect())
}

fn no_team_reason(task: &Task, teams: &[Team], options: &Options) -> String {
    if teams.is_empty() {
        "the roster has no teams".to_owned()
    } else if SKILLED.contains(&task.category.as_str()) {
        format!(
            "no team has the skill `{}` this category needs",
            task.category
        )
    } else if options.cross_district {
        format!(
            "cross-district inspection, and every team is from district {}",
            task.district
        )
    } else {
        "no team may take it".to_owned()
    }
}

/// Why job `j` stayed out: no allowed team-day can reach and serve it within the shift and
/// the firm's hours, or all of them are full.
fn unassigned_reason(instance: &Instance, j: usize) -> String {
    let job = &instance.jobs[j];
    let allowed: Vec<usize> = job
        .allowed
        .clone()
        .unwrap_or_else(|| (0..instance.vehicles.len()).collect());
    // An unreachable leg is UNREACHABLE_MIN, ten days: no shift fits it.
    let reachable = allowed
        .iter()
        .any(|&v| job.is_within_reach_of(&instance.vehicles[v], &instance.matrices));
    if reachable {
        "no room: every team-day allowed to take it is full (targets per day, shift or lunch)"
            .to_owned()
    } else {
        "cannot be reached, inspected and left within any allowed team's shift and the firm's hours"
            .to_owned()
    }
}

fn team_days(
    instance: &Instance,
    solution: &Solution,
    job_task: &[usize],
    team_count: usize,
) -> Vec<TeamDay> {
    let m = &instance.matrices;
    solution
        .routes
        .iter()
        .map(|r| {
            let v = &instance.vehicles[r.vehicle];
            let mut at = v.start;
            let mut travel_total = 0.0;
            let stops = r
                .stops
                .iter()
                .map(|s| {
                    let travel = m.duration(at, s.location);
                    travel_total += travel;
                    at = s.location;
                    let task = s.job().map(|j| job_task[j]);
                    let service = s.job().map_or(0.0, |j| instance.jobs[j].service);
                    let lunch = v.lunch.map_or(0.0, |l| l.duration);
                    PlannedStop {
                        task,
                        arrival: s.arrival,
                        start: s.departure - if task.is_some() { service } else { lunch },
                        departure: s.departure,
                        travel_minutes: travel,
                    }
                })
                .collect();
            travel_total += m.duration(at, v.end);
            TeamDay {
                team: r.vehicle % team_count,
                day: r.vehicle / team_count,
                stops,
                leave: r.start,
                back: r.end,
                travel_minutes: travel_total,
                distance_m: r.distance,
                road_line: Vec::new(),
            }
        })
        .collect()
}
