//! Vehicle routing with time windows, solved by vrp-core: the one model both the dispatcher's
//! plan and the Solomon benchmark are put into.
//!
//! Locations are indexes into square travel-time and distance matrices. Every job has its own
//! location index (targets at the same address get two indexes, at distance 0), so a route's
//! activities map back to jobs by location alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use vrp_core::models::common::TimeWindow;
use vrp_core::models::problem::VehicleIdDimension as _;
use vrp_core::prelude::*;
use vrp_core::rosomaxa::utils::{Parallelism, Quota};
use vrp_core::solver::get_default_telemetry_mode;

use crate::RoutingError;

/// Square matrices over the instance's locations, row-major: `durations[from * n + to]`.
#[derive(Debug, Clone)]
pub struct Matrices {
    pub size: usize,
    /// Travel times, in the instance's time unit.
    pub durations: Vec<f64>,
    /// Distances, metres (or the instance's unit).
    pub distances: Vec<f64>,
}

impl Matrices {
    pub fn duration(&self, from: usize, to: usize) -> f64 {
        self.durations[from * self.size + to]
    }

    pub fn distance(&self, from: usize, to: usize) -> f64 {
        self.distances[from * self.size + to]
    }
}

/// A vehicle (a team on one day): where it starts and ends, when, and how much it can take.
#[derive(Debug, Clone)]
pub struct VehicleSpec {
    pub id: String,
    pub start: usize,
    pub end: usize,
    /// Earliest departure and latest return.
    pub shift: (f64, f64),
    pub capacity: i32,
}

/// A visit: where, for how long, when it may start, and what it takes of a vehicle's capacity.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub id: String,
    pub location: usize,
    pub service: f64,
    /// Windows in which the service may start; at least one.
    pub windows: Vec<(f64, f64)>,
    pub demand: i32,
}

/// What is minimised after the unassigned jobs and the number of vehicles used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Total distance (Solomon's benchmark).
    Distance,
    /// Total travel and waiting time (a dispatcher's day).
    Duration,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub matrices: Matrices,
    pub vehicles: Vec<VehicleSpec>,
    pub jobs: Vec<JobSpec>,
    pub objective: Objective,
}

/// One stop of a route.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stop {
    /// Index into the instance's jobs.
    pub job: usize,
    pub arrival: f64,
    pub departure: f64,
}

/// A used vehicle's route, depot to depot.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Route {
    /// Index into the instance's vehicles.
    pub vehicle: usize,
    pub stops: Vec<Stop>,
    pub start: f64,
    pub end: f64,
    pub distance: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Solution {
    pub routes: Vec<Route>,
    /// Jobs no vehicle could take, by index.
    pub unassigned: Vec<usize>,
    pub distance: f64,
}

/// When the search stops: after `seconds`, or as soon as `cancel` is set.
#[derive(Clone)]
pub struct Budget {
    pub seconds: f64,
    pub cancel: Arc<AtomicBool>,
}

impl Budget {
    pub fn seconds(seconds: f64) -> Self {
        Self {
            seconds,
            cancel: Arc::default(),
        }
    }
}

struct BudgetQuota {
    started: Instant,
    budget: Budget,
}

impl Quota for BudgetQuota {
    fn is_reached(&self) -> bool {
        self.budget.cancel.load(Ordering::Relaxed)
            || self.started.elapsed().as_secs_f64() >= self.budget.seconds
    }
}

fn core_error(what: &str) -> impl Fn(GenericError) -> RoutingError + '_ {
    move |e| RoutingError::Solver(format!("{what}: {e}"))
}

/// Solves `instance` within `budget`: fewest unassigned jobs, then fewest vehicles, then the
/// objective.
pub fn solve(instance: &Instance, budget: &Budget) -> Result<Solution, RoutingError> {
    if instance.jobs.is_empty() || instance.vehicles.is_empty() {
        return Ok(Solution {
            routes: Vec::new(),
            unassigned: (0..instance.jobs.len()).collect(),
            distance: 0.0,
        });
    }
    let m = &instance.matrices;
    let transport: Arc<dyn TransportCost> = Arc::new(
        SimpleTransportCost::new(m.durations.clone(), m.distances.clone())
            .map_err(core_error("routing matrix"))?,
    );
    let goal = goal(instance.objective, transport.clone()).map_err(core_error("goal"))?;
    let mut by_location = vec![None; m.size];
    let jobs = instance
        .jobs
        .iter()
        .enumerate()
        .map(|(k, j)| {
            by_location[j.location] = Some(k);
            SingleBuilder::default()
                .id(&j.id)
                .demand(Demand::delivery(j.demand))
                .location(j.location)?
                .duration(j.service)?
                .times(
                    j.windows
                        .iter()
                        .map(|&(a, b)| TimeWindow::new(a, b))
                        .collect(),
                )?
                .build_as_job()
        })
        .collect::<GenericResult<Vec<_>>>()
        .map_err(core_error("jobs"))?;
    let vehicles = instance
        .vehicles
        .iter()
        .map(|v| {
            VehicleBuilder::default()
                .id(&v.id)
                .add_detail(
                    VehicleDetailBuilder::default()
                        .set_start_location(v.start)
                        .set_start_time(v.shift.0)
                        .set_end_location(v.end)
                        .set_end_time(v.shift.1)
                        .build()?,
                )
                .capacity(SingleDimLoad::new(v.capacity))
                .build()
        })
        .collect::<GenericResult<Vec<_>>>()
        .map_err(core_error("vehicles"))?;
    let silent: InfoLogger = Arc::new(|_: &str| {});
    let problem = Arc::new(
        ProblemBuilder::default()
            .add_jobs(jobs.into_iter())
            .add_vehicles(vehicles.into_iter())
            .with_goal(goal)
            .with_transport_cost(transport)
            .with_logger(silent.clone())
            .build()
            .map_err(core_error("problem"))?,
    );
    let environment = Arc::new(Environment::new(
        Arc::new(DefaultRandom::default()),
        Some(Arc::new(BudgetQuota {
            started: Instant::now(),
            budget: budget.clone(),
        })),
        Parallelism::default(),
        silent.clone(),
        false,
    ));
    let config = VrpConfigBuilder::new(problem.clone())
        .set_environment(environment)
        .set_telemetry_mode(get_default_telemetry_mode(silent))
        .prebuild()
        .map_err(core_error("solver"))?
        .with_max_generations(Some(usize::MAX))
        .with_max_time(Some(budget.seconds.ceil() as usize + 1))
        .build()
        .map_err(core_error("solver"))?;
    let found = Solver::new(problem, config)
        .solve()
        .map_err(core_error("search"))?;
    Ok(solution_of(instance, &found, &by_location))
}

fn goal(objective: Objective, transport: Arc<dyn TransportCost>) -> GenericResult<GoalContext> {
    let cost = TransportFeatureBuilder::new("cost")
        .set_time_constrained(true)
        .set_transport_cost(transport);
    let cost = match objective {
        Objective::Distance => cost.build_minimize_distance()?,
        Objective::Duration => cost.build_minimize_duration()?,
    };
    let features = [
        MinimizeUnassignedBuilder::new("unassigned").build()?,
        vrp_core::construction::features::create_minimize_tours_feature("tours")?,
        cost,
        CapacityFeatureBuilder::<SingleDimLoad>::new("capacity").build()?,
    ];
    GoalContextBuilder::with_features(&features)?
        .set_main_goal(vrp_core::models::Goal::subset_of(
            &features,
            &["unassigned", "tours", "cost"],
        )?)
        .add_alternative_goal(
            vrp_core::models::Goal::subset_of(&features, &["unassigned", "cost"])?,
            0.1,
        )
        .build()
}

fn solution_of(
    instance: &Instance,
    found: &vrp_core::models::Solution,
    by_location: &[Option<usize>],
) -> Solution {
    let vehicle_index = |id: Option<&String>| {
        id.and_then(|id| instance.vehicles.iter().position(|v| &v.id == id))
            .unwrap_or(0)
    };
    let mut routes: Vec<Route> = found
        .routes
        .iter()
        .map(|r| {
            let vehicle = vehicle_index(r.actor.vehicle.dimens.get_vehicle_id());
            let activities: Vec<_> = r.tour.all_activities().collect();
            let mut distance = 0.0;
            for pair in activities.windows(2) {
                distance += instance
                    .matrices
                    .distance(pair[0].place.location, pair[1].place.location);
            }
            Route {
                vehicle,
                stops: activities
                    .iter()
                    .filter(|a| a.job.is_some())
                    .filter_map(|a| {
                        by_location[a.place.location].map(|job| Stop {
                            job,
                            arrival: a.schedule.arrival,
                            departure: a.schedule.departure,
                        })
                    })
                    .collect(),
                start: activities.first().map_or(0.0, |a| a.schedule.departure),
                end: activities.last().map_or(0.0, |a| a.schedule.arrival),
                distance,
            }
        })
        .filter(|r| !r.stops.is_empty())
        .collect();
    routes.sort_by_key(|r| r.vehicle);
    let mut assigned = vec![false; instance.jobs.len()];
    for s in routes.iter().flat_map(|r| &r.stops) {
        assigned[s.job] = true;
    }
    Solution {
        distance: routes.iter().map(|r| r.distance).sum(),
        routes,
        unassigned: (0..instance.jobs.len()).filter(|&k| !assigned[k]).collect(),
    }
}
