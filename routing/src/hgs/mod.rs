//! Hybrid genetic search for the vehicle routing problem with time windows (Vidal et al.
//! 2012, 2022: the method of PyVRP and HGS-CVRP), for instances with one depot, identical
//! vehicles and one window per job, such as Solomon's, where it finds shorter routes than
//! vrp-core in the same time (ARCHITECTURE.md has the benchmark).
//!
//! Children are bred by order crossover and split into routes, improved by a granular local
//! search on penalised cost (load over capacity and time warp are allowed at a price that
//! adapts to keep about a fifth of the children feasible), and kept in a feasible and an
//! infeasible population ranked by cost and diversity.

mod local_search;
mod population;
mod problem;
mod split;

use std::sync::atomic::Ordering;
use std::time::Instant;

use rand::seq::SliceRandom as _;
use rand::{Rng, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use yitu_core::parallel::{cores, on_each};

use crate::model::{Budget, Instance, Objective, Route, Solution, Stop, Visit};
use local_search::LocalSearch;
use population::{Individual, SubPopulation, select};
use problem::{Penalties, Problem};

/// Whether the search takes `instance`: one depot every vehicle starts and ends at, the same
/// shift and capacity for all, no breaks, one window and no vehicle limits per job, and
/// distance to minimise.
pub fn fits(instance: &Instance) -> bool {
    let Some(first) = instance.vehicles.first() else {
        return false;
    };
    instance.objective == Objective::Distance
        && !instance.jobs.is_empty()
        && instance.vehicles.iter().all(|v| {
            v.start == first.start
                && v.end == first.start
                && v.shift == first.shift
                && v.capacity == first.capacity
                && v.lunch.is_none()
        })
        && instance
            .jobs
            .iter()
            .all(|j| j.windows.len() == 1 && j.allowed.is_none())
}

/// Solves an instance that [`fits`]; `None` when no solution serving every job that a vehicle
/// can reach on its own was found by the time the searches give up: half the budget and
/// [`GIVE_UP_AFTER_CHILDREN`] children each, or [`GIVE_UP_AT_THE_LATEST`] of the budget.
pub fn solve(instance: &Instance, budget: &Budget) -> Option<Solution> {
    let (problem, jobs, unreachable) = problem_of(instance);
    let routes = if jobs.is_empty() {
        Vec::new()
    } else {
        // Independent searches, one per core, the best kept: seeds differ, so they explore
        // differently, and sharing nothing they need no locks.
        let seeds: Vec<u64> = (1..=cores() as u64).collect();
        on_each(seeds, |seed| Search::new(&problem, seed).run(budget))
            .into_iter()
            .flatten()
            .min_by(|a, b| a.distance.total_cmp(&b.distance))?
            .routes
    };
    Some(solution_of(instance, &routes, &jobs, unreachable))
}

/// The search's problem over the jobs a vehicle can serve alone (node `k` is job
/// `jobs[k - 1]`), and the jobs it cannot.
fn problem_of(instance: &Instance) -> (Problem, Vec<usize>, Vec<usize>) {
    let vehicle = &instance.vehicles[0];
    let m = &instance.matrices;
    let location = |job: usize| instance.jobs[job].location;
    let alone = |job: usize| {
        let j = &instance.jobs[job];
        j.demand <= vehicle.capacity && j.is_within_reach_of(vehicle, m)
    };
    let (jobs, unreachable): (Vec<usize>, Vec<usize>) =
        (0..instance.jobs.len()).partition(|&k| alone(k));
    let size = jobs.len() + 1;
    let place = |node: usize| {
        if node == 0 {
            vehicle.start
        } else {
            location(jobs[node - 1])
        }
    };
    let mut distances = vec![0.0; size * size];
    let mut durations = vec![0.0; size * size];
    for a in 0..size {
        for b in 0..size {
            distances[a * size + b] = m.distance(place(a), place(b));
            durations[a * size + b] = m.duration(place(a), place(b));
        }
    }
    let job = |node: usize| (node > 0).then(|| &instance.jobs[jobs[node - 1]]);
    let origin = instance.positions.get(vehicle.start).copied();
    let problem = Problem {
        size,
        distances,
        durations,
        demand: (0..size)
            .map(|n| job(n).map_or(0, |j| i64::from(j.demand)))
            .collect(),
        service: (0..size)
            .map(|n| job(n).map_or(0.0, |j| j.service))
            .collect(),
        early: (0..size)
            .map(|n| job(n).map_or(vehicle.shift.0, |j| j.windows[0].0))
            .collect(),
        late: (0..size)
            .map(|n| job(n).map_or(vehicle.shift.1, |j| j.windows[0].1))
            .collect(),
        capacity: i64::from(vehicle.capacity),
        // More routes than jobs would only be empty ones.
        fleet: instance.vehicles.len().min(jobs.len()),
        bearing: (0..size)
            .map(|n| match (origin, instance.positions.get(place(n))) {
                (Some(o), Some(p)) => (p[0] - o[0], p[1] - o[1]),
                _ => (0.0, 0.0),
            })
            .collect(),
        neighbours: Vec::new(),
    }
    .with_neighbours();
    (problem, jobs, unreachable)
}

/// The routes (lists of nodes) timed from the shift's start, in the planner's terms.
fn solution_of(
    instance: &Instance,
    routes: &[Vec<usize>],
    jobs: &[usize],
    unassigned: Vec<usize>,
) -> Solution {
    let vehicle = &instance.vehicles[0];
    let m = &instance.matrices;
    let routes: Vec<Route> = routes
        .iter()
        .enumerate()
        .map(|(k, nodes)| {
            let (mut at, mut clock, mut distance) = (vehicle.start, vehicle.shift.0, 0.0);
            let mut stops = Vec::with_capacity(nodes.len());
            for &node in nodes {
                let job = jobs[node - 1];
                let spec = &instance.jobs[job];
                let arrival = clock + m.duration(at, spec.location);
                distance += m.distance(at, spec.location);
                clock = arrival.max(spec.windows[0].0) + spec.service;
                stops.push(Stop {
                    visit: Visit::Job(job),
                    location: spec.location,
                    arrival,
                    departure: clock,
                });
                at = spec.location;
            }
            distance += m.distance(at, vehicle.end);
            Route {
                vehicle: k,
                stops,
                start: vehicle.shift.0,
                end: clock + m.duration(at, vehicle.end),
                distance,
            }
        })
        .collect();
    Solution {
        distance: routes.iter().map(|r| r.distance).sum(),
        routes,
        unassigned,
    }
}

/// Children from a first random population before breeding.
const INITIAL: usize = 100;
/// Penalties are adjusted after this many children, towards this share of feasible ones.
const PENALTY_PERIOD: usize = 100;
const TARGET_FEASIBLE: f64 = 0.2;
/// How often the second parent is drawn again, and how different from the first it should be.
const PARENT_DRAWS: usize = 10;
const PARENT_DIFFERENCE: std::ops::RangeInclusive<f64> = 0.1..=0.5;
/// Children without a better solution before the populations start afresh.
const RESTART_AFTER: usize = 20_000;
/// A search that has found no solution serving every job gives up once it has spent this
/// share of the budget and educated [`GIVE_UP_AFTER_CHILDREN`] children: the fleet is likely
/// too small, and vrp-core, which can leave jobs out, gets the rest of the time rather than
/// the search all of it. The count keeps a search that other work on the machine slows down
/// from giving up before it has searched: the clock alone turned a busy desktop's plans over
/// to vrp-core, 4–16 % longer than the search's own.
const GIVE_UP_WITHOUT_FEASIBLE: f64 = 0.5;
/// Children a search educates before it may give up without a feasible solution.
const GIVE_UP_AFTER_CHILDREN: usize = 2_000;
/// Past this share of the budget a search without a feasible solution gives up however few
/// children it made, so that vrp-core always has time left.
const GIVE_UP_AT_THE_LATEST: f64 = 0.8;

struct Search<'p> {
    problem: &'p Problem,
    local: LocalSearch<'p>,
    penalties: Penalties,
    /// Feasible, infeasible.
    populations: [SubPopulation; 2],
    best: Option<Individual>,
    /// Children since the last adjustment, and how many kept the load and the windows.
    children: usize,
    /// Children educated since the search began.
    educated: usize,
    load_feasible: usize,
    time_feasible: usize,
    rng: ChaCha8Rng,
}

impl<'p> Search<'p> {
    fn new(problem: &'p Problem, seed: u64) -> Self {
        let longest = problem.distances.iter().copied().fold(0.0, f64::max);
        let heaviest = problem.demand.iter().copied().max().unwrap_or(1).max(1);
        Self {
            problem,
            local: LocalSearch::new(problem),
            penalties: Penalties {
                load: (longest / heaviest as f64).clamp(0.1, 1000.0),
                time_warp: 1.0,
            },
            populations: [SubPopulation::default(), SubPopulation::default()],
            best: None,
            children: 0,
            educated: 0,
            load_feasible: 0,
            time_feasible: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The best feasible routes found before the budget ran out; none if there were none
    /// when it gave up (see [`GIVE_UP_WITHOUT_FEASIBLE`]).
    fn run(mut self, budget: &Budget) -> Option<Individual> {
        let started = Instant::now();
        let over = |best: &Option<Individual>, educated: usize| {
            let share = started.elapsed().as_secs_f64() / budget.seconds;
            let give_up = best.is_none()
                && ((share >= GIVE_UP_WITHOUT_FEASIBLE && educated >= GIVE_UP_AFTER_CHILDREN)
                    || share >= GIVE_UP_AT_THE_LATEST);
            let enough = budget.children.is_some_and(|n| educated >= n);
            budget.cancel.load(Ordering::Relaxed) || share >= 1.0 || give_up || enough
        };
        let mut since_best = 0;
        'search: loop {
            for _ in 0..INITIAL {
                if over(&self.best, self.educated) {
                    break 'search;
                }
                let mut tour: Vec<usize> = (1..self.problem.size).collect();
                tour.shuffle(&mut self.rng);
                let routes = split::split(self.problem, &tour, &self.penalties);
                self.educate(&routes);
            }
            while !over(&self.best, self.educated) {
                let improved = self.breed();
                since_best = if improved { 0 } else { since_best + 1 };
                if since_best > RESTART_AFTER {
                    since_best = 0;
                    self.populations.iter_mut().for_each(SubPopulation::clear);
                    continue 'search;
                }
            }
            break;
        }
        self.best
    }

    /// One child of two parents; whether it is the best so far.
    fn breed(&mut self) -> bool {
        let [feasible, infeasible] = &self.populations;
        let (Some(a), Some(mut b)) = (
            select([feasible, infeasible], &mut self.rng),
            select([feasible, infeasible], &mut self.rng),
        ) else {
            return false;
        };
        // Parents neither near copies nor strangers (PyVRP's bounds): a few more draws for
        // the second until it differs from the first in a tenth to a half of its pairs.
        for _ in 0..PARENT_DRAWS {
            if PARENT_DIFFERENCE.contains(&a.broken_pairs(b)) {
                break;
            }
            b = select([feasible, infeasible], &mut self.rng).unwrap_or(b);
        }
        let tour = split::order_crossover(&a.tour, &b.tour, self.problem.size, &mut self.rng);
        let routes = split::split(self.problem, &tour, &self.penalties);
        let before = self.best.as_ref().map(|b| b.distance);
        self.educate(&routes);
        self.best.as_ref().map(|b| b.distance) != before
    }

    /// Improves `routes` by local search and adds the result to its population; an
    /// infeasible one is, half the time (drawn at random), also searched again under ten
    /// times the penalties, and added too if that makes it feasible.
    fn educate(&mut self, routes: &[Vec<usize>]) {
        let improved = self.local.improve(routes, self.penalties, &mut self.rng);
        let child = Individual::new(self.problem, improved);
        self.count(&child);
        if !child.is_feasible() && self.rng.random_bool(0.5) {
            let strict = Penalties {
                load: self.penalties.load * 10.0,
                time_warp: self.penalties.time_warp * 10.0,
            };
            let repaired = self.local.improve(&child.routes, strict, &mut self.rng);
            let repaired = Individual::new(self.problem, repaired);
            if repaired.is_feasible() {
                self.add(repaired);
            }
        }
        self.add(child);
    }

    fn add(&mut self, individual: Individual) {
        if individual.is_feasible()
            && self
                .best
                .as_ref()
                .is_none_or(|b| individual.distance < b.distance - 1e-9)
        {
            self.best = Some(individual.clone());
        }
        let k = usize::from(!individual.is_feasible());
        self.populations[k].add(individual, &self.penalties);
    }

    /// Counts a child towards the penalty adjustment, and adjusts every so often: a price
    /// rises when too few children keep its constraint, falls when too many do.
    fn count(&mut self, child: &Individual) {
        self.children += 1;
        self.educated += 1;
        self.load_feasible += usize::from(child.load_feasible());
        self.time_feasible += usize::from(child.time_feasible());
        if self.children < PENALTY_PERIOD {
            return;
        }
        let adjust = |price: f64, kept: usize| {
            let share = kept as f64 / PENALTY_PERIOD as f64;
            if share < TARGET_FEASIBLE - 0.05 {
                (price * 1.2).min(100_000.0)
            } else if share > TARGET_FEASIBLE + 0.05 {
                (price * 0.85).max(0.1)
            } else {
                price
            }
        };
        self.penalties.load = adjust(self.penalties.load, self.load_feasible);
        self.penalties.time_warp = adjust(self.penalties.time_warp, self.time_feasible);
        self.children = 0;
        self.load_feasible = 0;
        self.time_feasible = 0;
        self.populations[1].update_fitness(&self.penalties);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `clients` random clients on a 100 × 100 square with random windows, the depot in the
    /// middle; distance is travel time.
    fn random_problem(clients: usize, fleet: usize, seed: u64) -> Problem {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let size = clients + 1;
        let points: Vec<(f64, f64)> = (0..size)
            .map(|k| {
                if k == 0 {
                    (50.0, 50.0)
                } else {
                    (rng.random_range(0.0..100.0), rng.random_range(0.0..100.0))
                }
            })
            .collect();
        let mut distances = vec![0.0; size * size];
        for a in 0..size {
            for b in 0..size {
                distances[a * size + b] =
                    (points[a].0 - points[b].0).hypot(points[a].1 - points[b].1);
            }
        }
        let early: Vec<f64> = (0..size)
            .map(|k| {
                if k == 0 {
                    0.0
                } else {
                    rng.random_range(0.0..300.0)
                }
            })
            .collect();
        Problem {
            size,
            durations: distances.clone(),
            distances,
            demand: (0..size).map(|k| if k == 0 { 0 } else { 10 }).collect(),
            service: (0..size).map(|k| if k == 0 { 0.0 } else { 5.0 }).collect(),
            late: early
                .iter()
                .enumerate()
                .map(|(k, e)| if k == 0 { 1000.0 } else { e + 60.0 })
                .collect(),
            early,
            capacity: 100,
            fleet,
            bearing: points.iter().map(|p| (p.0 - 50.0, p.1 - 50.0)).collect(),
            neighbours: Vec::new(),
        }
        .with_neighbours()
    }

    /// Time warp by walking the route from the depot's opening: arriving late counts the
    /// lateness and carries on as if on time.
    fn walked_time_warp(problem: &Problem, route: &[usize]) -> f64 {
        let (mut at, mut clock, mut warp) = (0, problem.early[0], 0.0);
        for &node in route.iter().chain(std::iter::once(&0)) {
            clock = (clock + problem.duration(at, node)).max(problem.early[node]);
            if clock > problem.late[node] {
                warp += clock - problem.late[node];
                clock = problem.late[node];
            }
            clock += problem.service[node];
            at = node;
        }
        warp
    }

    #[test]
    fn joined_segments_give_the_walked_time_warp_distance_and_load() {
        let problem = random_problem(40, 5, 7);
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        for _ in 0..200 {
            let mut route: Vec<usize> = (1..problem.size).collect();
            route.shuffle(&mut rng);
            route.truncate(rng.random_range(1..12));
            let mut segment = problem.node(0);
            for &c in &route {
                segment = problem.join(&segment, &problem.node(c));
            }
            segment = problem.join(&segment, &problem.node(0));
            let walked = walked_time_warp(&problem, &route);
            assert!(
                (segment.time_warp - walked).abs() < 1e-9,
                "{segment:?} vs {walked}"
            );
            let mut distance = 0.0;
            for pair in std::iter::once(0)
                .chain(route.iter().copied())
                .chain(std::iter::once(0))
                .collect::<Vec<_>>()
                .windows(2)
            {
                distance += problem.distance(pair[0], pair[1]);
            }
            assert!((segment.distance - distance).abs() < 1e-9);
            assert_eq!(segment.load, 10 * route.len() as i64);
        }
    }

    #[test]
    fn split_and_local_search_keep_every_client_once_within_the_fleet_and_lower_the_cost() {
        let problem = random_problem(80, 12, 3);
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let penalties = Penalties {
            load: 10.0,
            time_warp: 1.0,
        };
        let mut local = LocalSearch::new(&problem);
        for _ in 0..5 {
            let mut tour: Vec<usize> = (1..problem.size).collect();
            tour.shuffle(&mut rng);
            let routes = split::split(&problem, &tour, &penalties);
            assert!(routes.len() <= problem.fleet);
            let before = Individual::new(&problem, routes.clone()).cost(&penalties);
            let improved = local.improve(&routes, penalties, &mut rng);
            assert!(improved.len() <= problem.fleet);
            let mut seen: Vec<usize> = improved.iter().flatten().copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..problem.size).collect::<Vec<_>>());
            let after = Individual::new(&problem, improved).cost(&penalties);
            assert!(after < before, "{after} vs {before}");
        }
    }
}
