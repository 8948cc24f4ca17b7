//! The search over a multi-day horizon, one day at a time.
//!
//! One search over every team-day at once has teams × days vehicles. Past a few hundred,
//! vrp-core spends its budget building its first solutions, and more days planned fewer tasks:
//! on the sample project's 444 tasks for 40 teams, 215 in 5 days, 103 in 10 and 59 in 20. Day
//! by day, each search has one day's teams: that day takes as many of the tasks left as it can
//! (then as few teams, then the least travel), and the next day the rest. A day packed full
//! leaves the fewest days for the rest, which is the plan's first aim.

use std::time::Instant;

use crate::RoutingError;
use crate::model::{Budget, Instance, Solution, Visit};
use crate::vrptw::solve;

/// At most this many days share what is left of the budget: the first days, which take the
/// most tasks, get more of it than an even split over a long horizon would give them.
const DAYS_SHARING_BUDGET: usize = 4;

/// `instance`'s solution found day by day, in its own indexes: its vehicles are `teams`
/// per day, day after day (vehicle `day × teams + team`), and each job's windows and allowed
/// vehicles say on which days it may be done.
pub fn solve_by_day(
    instance: &Instance,
    teams: usize,
    budget: &Budget,
) -> Result<Solution, RoutingError> {
    let days = instance.vehicles.len().checked_div(teams).unwrap_or(0);
    let started = Instant::now();
    let mut left: Vec<usize> = (0..instance.jobs.len()).collect();
    let mut routes = Vec::new();
    for day in 0..days {
        let vehicles = day * teams..(day + 1) * teams;
        let on_day = |j: usize| {
            instance.jobs[j]
                .allowed
                .as_ref()
                .is_none_or(|a| a.iter().any(|v| vehicles.contains(v)))
        };
        let (today, later): (Vec<usize>, Vec<usize>) = left.iter().partition(|&&j| on_day(j));
        if today.is_empty() {
            continue;
        }
        let day_instance = Instance {
            matrices: instance.matrices.clone(),
            vehicles: instance.vehicles[vehicles.clone()].to_vec(),
            jobs: today
                .iter()
                .map(|&j| {
                    let mut job = instance.jobs[j].clone();
                    job.allowed = job.allowed.map(|a| {
                        a.into_iter()
                            .filter(|v| vehicles.contains(v))
                            .map(|v| v - vehicles.start)
                            .collect()
                    });
                    job
                })
                .collect(),
            objective: instance.objective,
            positions: instance.positions.clone(),
        };
        let found = solve(
            &day_instance,
            &budget.share_left(started, (days - day).min(DAYS_SHARING_BUDGET)),
        )?;
        left = later;
        left.extend(found.unassigned.iter().map(|&k| today[k]));
        left.sort_unstable();
        routes.extend(found.routes.into_iter().map(|mut r| {
            r.vehicle += vehicles.start;
            for stop in &mut r.stops {
                if let Visit::Job(k) = stop.visit {
                    stop.visit = Visit::Job(today[k]);
                }
            }
            r
        }));
        if left.is_empty() || budget.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
    }
    Ok(Solution {
        distance: routes.iter().map(|r| r.distance).sum(),
        routes,
        unassigned: left,
    })
}
