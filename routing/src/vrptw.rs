//! The model solved: by the genetic search (`hgs`) where it fits, otherwise by vrp-core.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use std::collections::HashSet;
use vrp_core::models::common::TimeWindow;

use vrp_core::construction::features::{
    BreakFeatureBuilder, BreakPolicy, JobSkills, JobSkillsDimension as _,
    VehicleSkillsDimension as _, create_skills_feature,
};
use vrp_core::models::problem::{JobIdDimension as _, VehicleIdDimension as _};
use vrp_core::prelude::*;
use vrp_core::rosomaxa::evolution::InitialOperator;
use vrp_core::rosomaxa::utils::{Parallelism, Quota};
use vrp_core::solver::{
    RefinementContext, create_default_init_operators, get_default_telemetry_mode,
};

use crate::RoutingError;
use crate::model::{Budget, Instance, Objective, Route, Solution, Stop, Visit};

/// vrp-core's quota, which its insertion loop also obeys: once it is reached, a solution
/// being built stops where it is and leaves the rest of the jobs unassigned. Time therefore
/// counts only once a first solution is whole, so that a budget too short for the machine
/// (a loaded CPU, a large day) still yields a complete first plan rather than a few jobs
/// with "no room" given for the others; cancelling stops at once.
struct BudgetQuota {
    started: Instant,
    budget: Budget,
    /// Set once an initial operator has built a whole solution ([`MarksFirstSolution`]).
    first_solution: Arc<AtomicBool>,
}

impl Quota for BudgetQuota {
    fn is_reached(&self) -> bool {
        // A budget that counts (tests) leaves the end to vrp-core's generation count.
        self.budget.cancel.load(Ordering::Relaxed)
            || (self.budget.children.is_none()
                && self.first_solution.load(Ordering::Relaxed)
                && self.started.elapsed().as_secs_f64() >= self.budget.seconds)
    }
}

type InitialOperatorBox = Box<
    dyn InitialOperator<
            Context = RefinementContext,
            Objective = GoalContext,
            Solution = InsertionContext,
        > + Send
        + Sync,
>;

/// One of vrp-core's initial operators, which tells [`BudgetQuota`] when it has built a
/// solution.
struct MarksFirstSolution {
    inner: InitialOperatorBox,
    first_solution: Arc<AtomicBool>,
}

impl InitialOperator for MarksFirstSolution {
    type Context = RefinementContext;
    type Objective = GoalContext;
    type Solution = InsertionContext;

    fn create(&self, context: &RefinementContext) -> InsertionContext {
        let solution = self.inner.create(context);
        self.first_solution.store(true, Ordering::Relaxed);
        solution
    }
}

fn core_error(what: &str) -> impl Fn(GenericError) -> RoutingError + '_ {
    move |e| RoutingError::Solver(format!("{what}: {e}"))
}

/// Solves `instance` within `budget`. One that `hgs::fits` goes to the genetic search
/// (total distance, within the fleet); the rest, and one where that search gives up without a
/// solution serving every reachable job (see `hgs::solve`), to vrp-core (fewest unassigned jobs,
/// then fewest vehicles, then the objective) for the time left.
pub fn solve(instance: &Instance, budget: &Budget) -> Result<Solution, RoutingError> {
    let started = Instant::now();
    if crate::hgs::fits(instance)
        && let Some(solution) = crate::hgs::solve(instance, budget)
    {
        return Ok(solution);
    }
    solve_with_vrp_core(instance, &budget.share_left(started, 1))
}

/// Solves `instance` with vrp-core within `budget`: fewest unassigned jobs, then fewest
/// vehicles, then the objective.
pub fn solve_with_vrp_core(instance: &Instance, budget: &Budget) -> Result<Solution, RoutingError> {
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
    let weights: Arc<Vec<f64>> = Arc::new(instance.jobs.iter().map(|j| j.weight).collect());
    let goal = goal(instance.objective, transport.clone(), weights).map_err(core_error("goal"))?;
    let vehicle_skill = |v: usize| format!("vehicle {v}");
    let mut jobs = instance
        .jobs
        .iter()
        .enumerate()
        .map(|(k, j)| {
            let allowed = j
                .allowed
                .as_ref()
                .map(|vs| vs.iter().map(|&v| vehicle_skill(v)).collect());
            SingleBuilder::default()
                .id(&job_key(k))
                .dimension(|d| {
                    if let Some(one_of) = allowed {
                        d.set_job_skills(JobSkills::new(None, Some(one_of), None));
                    }
                })
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
    for (k, v) in instance.vehicles.iter().enumerate() {
        if let Some(lunch) = v.lunch {
            jobs.push(
                SingleBuilder::default()
                    .id(&break_key(k))
                    .duration(lunch.duration)
                    .and_then(|b| b.times(vec![TimeWindow::new(lunch.window.0, lunch.window.1)]))
                    .and_then(SingleBuilder::build_as_job)
                    .map_err(core_error("breaks"))?,
            );
        }
    }
    let vehicles = instance
        .vehicles
        .iter()
        .enumerate()
        .map(|(k, v)| {
            VehicleBuilder::default()
                .id(&vehicle_key(k))
                .dimension(|d| {
                    d.set_vehicle_skills(HashSet::from([vehicle_skill(k)]));
                })
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
    let first_solution = Arc::new(AtomicBool::new(false));
    let environment = Arc::new(Environment::new(
        Arc::new(DefaultRandom::default()),
        Some(Arc::new(BudgetQuota {
            started: Instant::now(),
            budget: budget.clone(),
            first_solution: first_solution.clone(),
        })),
        Parallelism::default(),
        silent.clone(),
        false,
    ));
    let initial = create_default_init_operators(problem.clone(), environment.clone())
        .into_iter()
        .map(|(inner, weight)| {
            let marked: InitialOperatorBox = Box::new(MarksFirstSolution {
                inner,
                first_solution: first_solution.clone(),
            });
            (marked, weight)
        })
        .collect();
    let config = VrpConfigBuilder::new(problem.clone())
        .set_environment(environment)
        .set_telemetry_mode(get_default_telemetry_mode(silent))
        .prebuild()
        .map_err(core_error("solver"))?
        // vrp-core's own size and share of the time for the initial solutions.
        .with_initial(4, 0.05, initial)
        // Time alone ends the search: vrp-core paces exploration and exploitation by it. At
        // least a second, as vrp-core builds no solution at all once its time is up (a day
        // planned after the budget is spent): the quota ends the search on time after the
        // first solution.
        .with_max_time(
            budget
                .children
                .is_none()
                .then(|| (budget.seconds.ceil() as usize).max(1)),
        )
        // A budget that counts (tests) ends after as many generations, whatever the clock:
        // what the search finds then does not depend on how busy the machine is.
        .with_max_generations(budget.children)
        .build()
        .map_err(core_error("solver"))?;
    let found = Solver::new(problem, config)
        .solve()
        .map_err(core_error("search"))?;
    Ok(solution_of(instance, &found))
}

/// vrp-core ids: jobs and breaks by index, vehicles by index (the instance's own ids are the
/// caller's, any text).
fn job_key(k: usize) -> String {
    format!("job {k}")
}

fn break_key(vehicle: usize) -> String {
    format!("break {vehicle}")
}

/// Whether a vrp-core job id is a break's ([`break_key`]).
fn is_break_key(id: &str) -> bool {
    id.starts_with("break ")
}

/// What leaving a required break out weighs against leaving a job out (1): a break is taken
/// before any job is, as a team's lunch is a rule and a target can wait for another day.
const BREAK_WEIGHT: f64 = 100.0;

fn vehicle_key(k: usize) -> String {
    format!("vehicle {k}")
}

fn index_of(key: &str, prefix: &str) -> Option<usize> {
    key.strip_prefix(prefix)?.parse().ok()
}

fn goal(
    objective: Objective,
    transport: Arc<dyn TransportCost>,
    weights: Arc<Vec<f64>>,
) -> GenericResult<GoalContext> {
    let cost = TransportFeatureBuilder::new("cost")
        .set_time_constrained(true)
        .set_transport_cost(transport);
    let cost = match objective {
        Objective::Distance => cost.build_minimize_distance()?,
        Objective::Duration => cost.build_minimize_duration()?,
    };
    let features = [
        MinimizeUnassignedBuilder::new("unassigned")
            .set_job_estimator(move |_, job| {
                let id = job.dimens().get_job_id();
                if id.is_some_and(|id| is_break_key(id)) {
                    return BREAK_WEIGHT;
                }
                id.and_then(|id| index_of(id, "job "))
                    .and_then(|k| weights.get(k).copied())
                    .unwrap_or(1.0)
            })
            .build()?,
        vrp_core::construction::features::create_minimize_tours_feature("tours")?,
        cost,
        CapacityFeatureBuilder::<SingleDimLoad>::new("capacity").build()?,
        create_skills_feature("allowed vehicles", ViolationCode(20))?,
        BreakFeatureBuilder::new("breaks")
            .set_violation_code(ViolationCode(21))
            // A vehicle back before its break window ends takes its break there (a team
            // lunches at the office); one out later must take it on the road.
            .set_policy(|_| BreakPolicy::SkipIfArrivalBeforeEnd)
            .set_is_break_single(|single| {
                single
                    .dimens
                    .get_job_id()
                    .is_some_and(|id| is_break_key(id))
            })
            .set_belongs_to_route(|route, job| {
                let of = job
                    .dimens()
                    .get_job_id()
                    .and_then(|id| index_of(id, "break "));
                let vehicle = route
                    .actor
                    .vehicle
                    .dimens
                    .get_vehicle_id()
                    .and_then(|id| index_of(id, "vehicle "));
                of.is_some() && of == vehicle
            })
            .build()?,
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

fn solution_of(instance: &Instance, found: &vrp_core::models::Solution) -> Solution {
    let mut routes: Vec<Route> = found
        .routes
        .iter()
        .filter_map(|r| {
            let vehicle = r
                .actor
                .vehicle
                .dimens
                .get_vehicle_id()
                .and_then(|id| index_of(id, "vehicle "))?;
            let activities: Vec<_> = r.tour.all_activities().collect();
            let mut distance = 0.0;
            for pair in activities.windows(2) {
                distance += instance
                    .matrices
                    .distance(pair[0].place.location, pair[1].place.location);
            }
            let stops: Vec<Stop> = activities
                .iter()
                .filter_map(|a| {
                    let id = a.job.as_ref()?.dimens.get_job_id()?;
                    let visit = match index_of(id, "job ") {
                        Some(k) => Visit::Job(k),
                        None => Visit::Break,
                    };
                    Some(Stop {
                        visit,
                        location: a.place.location,
                        arrival: a.schedule.arrival,
                        departure: a.schedule.departure,
                    })
                })
                .collect();
            stops.iter().any(|s| s.job().is_some()).then(|| Route {
                vehicle,
                start: activities.first().map_or(0.0, |a| a.schedule.departure),
                end: activities.last().map_or(0.0, |a| a.schedule.arrival),
                stops,
                distance,
            })
        })
        .collect();
    routes.sort_by_key(|r| r.vehicle);
    let mut assigned = vec![false; instance.jobs.len()];
    for k in routes.iter().flat_map(|r| &r.stops).filter_map(Stop::job) {
        assigned[k] = true;
    }
    Solution {
        distance: routes.iter().map(|r| r.distance).sum(),
        routes,
        unassigned: (0..instance.jobs.len()).filter(|&k| !assigned[k]).collect(),
    }
}
