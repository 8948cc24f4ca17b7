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

/// Re-times, with lunch, every route out past its lunch window that the search left without
/// one: vrp-core's breaks are optional, and a short search can still drop one. A route with no
/// room for lunch keeps the search's timing and is named in the plan's warnings.
pub(super) fn add_missing_lunches(plan: &mut Plan) {
    for r in 0..plan.routes.len() {
        let route = &plan.routes[r];
        let t = &plan.teams[route.team];
        let lunch_ends = route.day as f64 * MINUTES_PER_DAY + t.lunch.1;
        if route.back <= lunch_ends || route.stops.iter().any(|s| s.task.is_none()) {
            continue;
        }
        let order: Vec<usize> = route.stops.iter().filter_map(|s| s.task).collect();
        if let Some(again) = schedule(plan, route.team, route.day, &order) {
            plan.routes[r] = again;
        } else {
            let warning = format!(
                "team {} has no room for lunch on day {}",
                t.id,
                route.day + 1
            );
            plan.warnings.push(warning);
        }
    }
}

/// The stops of a team-day in order (tasks only), timed from the office: arrival, waiting for
/// the firm's hours, service, and lunch after whichever stop gives the earliest return (or
/// none, on a day back at the office before the lunch window ends, as the planner has it).
/// `None` when no placing of lunch keeps every firm's hours, the lunch window and the shift.
fn schedule(plan: &Plan, team: usize, day: usize, order: &[usize]) -> Option<TeamDay> {
    let t = &plan.teams[team];
    (0..=order.len())
        .map(Some)
        .chain(std::iter::once(None))
        .filter_map(|lunch_after| timed(plan, team, day, order, lunch_after))
        .filter(|r| r.back <= day as f64 * MINUTES_PER_DAY + t.shift.1)
        .min_by(|a, b| a.back.total_cmp(&b.back))
}

/// The team-day timed with lunch after `lunch_after` stops (`None`: no lunch, allowed only
/// when the team is back before the lunch window ends: it eats at the office).
fn timed(
    plan: &Plan,
    team: usize,
    day: usize,
    order: &[usize],
    lunch_after: Option<usize>,
) -> Option<TeamDay> {
    let cx = &plan.context;
    let m = cx.matrices.as_ref()?;
    let t = &plan.teams[team];
    let day0 = day as f64 * MINUTES_PER_DAY;
    let (lunch_from, lunch_to) = (day0 + t.lunch.0, day0 + t.lunch.1);
    let (mut at, mut clock) = (team, day0 + t.shift.0);
    let (mut stops, mut travel_total, mut distance) = (Vec::new(), 0.0, 0.0);
    for (n, &k) in order.iter().enumerate() {
        if lunch_after == Some(n) {
            clock = lunch(&mut stops, clock, lunch_from, lunch_to, t.lunch_minutes)?;
        }
        let loc = cx.location_of.get(k).copied().flatten()?;
        let travel = m.duration(at, loc);
        travel_total += travel;
        distance += m.distance(at, loc);
        let arrival = clock + travel;
        let (open, close) = cx.hours[k];
        let start = arrival.max(day0 + open);
        if start > day0 + close {
            return None;
        }
        clock = start + cx.service[k];
        stops.push(PlannedStop {
            task: Some(k),
            arrival,
            start,
            departure: clock,
            travel_minutes: travel,
        });
        at = loc;
    }
    if lunch_after == Some(order.len()) {
        clock = lunch(&mut stops, clock, lunch_from, lunch_to, t.lunch_minutes)?;
    }
    let back_travel = m.duration(at, team);
    let back = clock + back_travel;
    if lunch_after.is_none() && back > lunch_to {
        return None;
    }
    Some(TeamDay {
        team,
        day,
        stops,
        leave: day0 + t.shift.0,
        back,
        travel_minutes: travel_total + back_travel,
        distance_m: distance + m.distance(at, team),
        road_line: Vec::new(),
    })
}

/// Lunch from `clock` (waiting for its window to open), or `None` past the window: the clock
/// after it.
fn lunch(
    stops: &mut Vec<PlannedStop>,
    clock: f64,
    from: f64,
    to: f64,
    minutes: f64,
) -> Option<f64> {
    let start = clock.max(from);
    (start <= to).then(|| {
        stops.push(PlannedStop {
            task: None,
            arrival: clock,
            start,
            departure: start + minutes,
            travel_minutes: 0.0,
        });
        start + minutes
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
    out.sum_up();
    out.unplanned.sort_by_key(|u: &Unplanned| u.task);
    Ok(out)
}
