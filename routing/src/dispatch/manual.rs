//! A dispatcher's manual change to a plan, re-planned at once: a task dragged to another team
//! or day leaves its route (which closes the gap) and joins the other at the place that adds
//! the least travel, with every stop after it re-timed and lunch kept in its window. Other
//! routes stay as they were; a full search with the task locked (`Options::locks`) may
//! improve them afterwards.

use super::{MINUTES_PER_DAY, Plan, PlannedStop, TeamDay, Unplanned};

/// Why a move cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MoveError {
    #[error("task {0} is not in the plan's tasks or has no position")]
    NoSuchTask(usize),
    #[error("the plan has no team {0} or no day {1}")]
    NoSuchTeamDay(usize, usize),
    #[error("team {team} already inspects {max} firms on day {day}")]
    Full { team: String, day: usize, max: u32 },
    #[error(
        "team {team} cannot fit it on day {day}: nowhere in the route keeps every firm's hours and the shift"
    )]
    NoRoom { team: String, day: usize },
    #[error("the plan was not made here (no travel matrices kept)")]
    NoContext,
}

/// The stops of a team-day in order (tasks only), timed from the office: arrival, waiting for
/// the firm's hours, service; lunch taken at the first stop that ends inside its window (or
/// waited for), or at the end of the day's work. `None` when a firm's hours or the shift
/// cannot be kept.
fn schedule(plan: &Plan, team: usize, day: usize, order: &[usize]) -> Option<TeamDay> {
    let cx = &plan.context;
    let m = cx.matrices.as_ref()?;
    let t = &plan.teams[team];
    let day0 = day as f64 * MINUTES_PER_DAY;
    let (lunch_from, lunch_to) = (day0 + t.lunch.0, day0 + t.lunch.1);
    let mut at = team;
    let mut clock = day0 + t.shift.0;
    let mut stops = Vec::new();
    let mut lunch_taken = false;
    let (mut travel_total, mut distance) = (0.0, 0.0);
    let take_lunch = |clock: &mut f64, stops: &mut Vec<PlannedStop>| {
        let start = clock.max(lunch_from);
        stops.push(PlannedStop {
            task: None,
            arrival: *clock,
            start,
            departure: start + t.lunch_minutes,
            travel_minutes: 0.0,
        });
        *clock = start + t.lunch_minutes;
    };
    for &k in order {
        let loc = cx.location_of.get(k).copied().flatten()?;
        let travel = m.duration(at, loc);
        travel_total += travel;
        distance += m.distance(at, loc);
        let arrival = clock + travel;
        let start = arrival.max(day0 + cx.firm_hours.0);
        if start > day0 + cx.firm_hours.1 {
            return None;
        }
        let departure = start + cx.service[k];
        stops.push(PlannedStop {
            task: Some(k),
            arrival,
            start,
            departure,
            travel_minutes: travel,
        });
        clock = departure;
        at = loc;
        if !lunch_taken && clock >= lunch_from {
            if clock > lunch_to {
                return None;
            }
            take_lunch(&mut clock, &mut stops);
            lunch_taken = true;
        }
    }
    let back_travel = m.duration(at, team);
    let mut back = clock + back_travel;
    if !lunch_taken && back > lunch_from {
        // Lunch on the way back, within its window.
        take_lunch(&mut clock, &mut stops);
        back = clock + back_travel;
    }
    travel_total += back_travel;
    distance += m.distance(at, team);
    (back <= day0 + t.shift.1).then_some(TeamDay {
        team,
        day,
        stops,
        leave: day0 + t.shift.0,
        back,
        travel_minutes: travel_total,
        distance_m: distance,
    })
}

/// `plan` with task `task` moved to team `team` on day `day` (0-based), at its cheapest place.
pub fn move_task(plan: &Plan, task: usize, team: usize, day: usize) -> Result<Plan, MoveError> {
    let cx = &plan.context;
    if cx.matrices.is_none() {
        return Err(MoveError::NoContext);
    }
    if cx.location_of.get(task).copied().flatten().is_none() {
        return Err(MoveError::NoSuchTask(task));
    }
    if team >= plan.teams.len() || day >= plan.days {
        return Err(MoveError::NoSuchTeamDay(team, day));
    }
    let t = &plan.teams[team];
    let mut out = plan.clone();
    // Out of its route (or the unplanned list).
    out.unplanned.retain(|u| u.task != task);
    let mut emptied = None;
    for (r, route) in out.routes.iter_mut().enumerate() {
        let order: Vec<usize> = route.stops.iter().filter_map(|s| s.task).collect();
        if order.contains(&task) {
            let rest: Vec<usize> = order.into_iter().filter(|&k| k != task).collect();
            if rest.is_empty() {
                emptied = Some(r);
            } else if let Some(again) = schedule(plan, route.team, route.day, &rest) {
                // Leaving a stop out never breaks a route in practice (travel obeys the
                // triangle inequality); if it did, the old timing would stand.
                *route = again;
            }
        }
    }
    if let Some(r) = emptied {
        out.routes.remove(r);
    }
    let current: Vec<usize> = out
        .routes
        .iter()
        .find(|r| r.team == team && r.day == day)
        .map(|r| r.stops.iter().filter_map(|s| s.task).collect())
        .unwrap_or_default();
    if current.len() >= t.max_targets as usize {
        return Err(MoveError::Full {
            team: t.id.clone(),
            day: day + 1,
            max: t.max_targets,
        });
    }
    let best = (0..=current.len())
        .filter_map(|at| {
            let mut order = current.clone();
            order.insert(at, task);
            schedule(plan, team, day, &order)
        })
        .min_by(|a, b| a.travel_minutes.total_cmp(&b.travel_minutes))
        .ok_or_else(|| MoveError::NoRoom {
            team: t.id.clone(),
            day: day + 1,
        })?;
    match out
        .routes
        .iter_mut()
        .find(|r| r.team == team && r.day == day)
    {
        Some(route) => *route = best,
        None => out.routes.push(best),
    }
    out.routes.sort_by_key(|r| (r.day, r.team));
    out.team_days = out.routes.len();
    out.travel_minutes = out.routes.iter().map(|r| r.travel_minutes).sum();
    out.distance_m = out.routes.iter().map(|r| r.distance_m).sum();
    out.unplanned.sort_by_key(|u: &Unplanned| u.task);
    Ok(out)
}
