//! From parents to a child: order crossover (OX) on the parents' giant tours, then the tour
//! cut into at most the fleet's routes at the least penalised cost (Prins' split, as a
//! shortest path over cut points with the number of routes as a second dimension).

use rand::Rng;

use super::problem::{Penalties, Problem};

/// A slice of parent `a`'s tour kept in place, the rest filled in `b`'s order.
pub fn order_crossover(a: &[usize], b: &[usize], size: usize, rng: &mut impl Rng) -> Vec<usize> {
    let n = a.len();
    let start = rng.random_range(0..n);
    let mut end = rng.random_range(0..n);
    while n > 1 && end == start {
        end = rng.random_range(0..n);
    }
    let mut child = vec![0; n];
    let mut taken = vec![false; size];
    let mut k = start;
    loop {
        child[k] = a[k];
        taken[a[k]] = true;
        if k == end {
            break;
        }
        k = (k + 1) % n;
    }
    let mut at = (end + 1) % n;
    for offset in 0..n {
        let c = b[(end + 1 + offset) % n];
        if !taken[c] {
            child[at] = c;
            taken[c] = true;
            at = (at + 1) % n;
        }
    }
    child
}

/// A route may carry this much over capacity while splitting; the local search takes the
/// excess out.
const LOAD_SLACK: f64 = 1.5;

/// The cheapest cut of `tour` into at most `problem.fleet` routes, order kept.
pub fn split(problem: &Problem, tour: &[usize], penalties: &Penalties) -> Vec<Vec<usize>> {
    let n = tour.len();
    // Without a limit on routes first: a shortest path over cut points, in one dimension.
    let mut cost = vec![f64::INFINITY; n + 1];
    let mut from = vec![0; n + 1];
    cost[0] = 0.0;
    for i in 0..n {
        routes_from(problem, tour, i, penalties, |end, route| {
            if cost[i] + route < cost[end] {
                cost[end] = cost[i] + route;
                from[end] = i;
            }
        });
    }
    let routes = cut(tour, |end| from[end]);
    if routes.len() <= problem.fleet {
        return routes;
    }
    split_within_fleet(problem, tour, penalties)
}

/// The routes of a cut, found backwards from the tour's end: `start(end)` is where the route
/// ending at `end` starts.
fn cut(tour: &[usize], mut start: impl FnMut(usize) -> usize) -> Vec<Vec<usize>> {
    let mut routes = Vec::new();
    let mut end = tour.len();
    while end > 0 {
        let from = start(end);
        routes.push(tour[from..end].to_vec());
        end = from;
    }
    routes.reverse();
    routes
}

/// Calls `each(end, cost)` for the routes `tour[start..end]` worth considering: up to the
/// load slack (at least one client), priced with the depot at both ends.
fn routes_from(
    problem: &Problem,
    tour: &[usize],
    start: usize,
    penalties: &Penalties,
    mut each: impl FnMut(usize, f64),
) {
    let limit = (LOAD_SLACK * problem.capacity as f64) as i64;
    let depot = problem.node(0);
    let mut segment = depot;
    for (j, &client) in tour.iter().enumerate().skip(start) {
        segment = problem.join(&segment, &problem.node(client));
        if j > start && segment.load > limit {
            break;
        }
        each(
            j + 1,
            penalties.cost(&problem.join(&segment, &depot), problem.capacity),
        );
    }
}

/// [`split`] with the number of routes as a second dimension, when the cheapest cut needs
/// more routes than the fleet has.
fn split_within_fleet(problem: &Problem, tour: &[usize], penalties: &Penalties) -> Vec<Vec<usize>> {
    let n = tour.len();
    let routes = problem.fleet.min(n).max(1);
    // cost[k][i]: the first i clients in k routes; from[k][i]: where its last route starts.
    let mut cost = vec![vec![f64::INFINITY; n + 1]; routes + 1];
    let mut from = vec![vec![0; n + 1]; routes + 1];
    cost[0][0] = 0.0;
    for k in 0..routes {
        for i in k..n {
            let before = cost[k][i];
            if before.is_infinite() {
                continue;
            }
            let (next_cost, next_from) = (&mut cost[k + 1], &mut from[k + 1]);
            routes_from(problem, tour, i, penalties, |end, route| {
                if before + route < next_cost[end] {
                    next_cost[end] = before + route;
                    next_from[end] = i;
                }
            });
        }
    }
    let best = (1..=routes)
        .filter(|&k| cost[k][n].is_finite())
        .min_by(|&a, &b| cost[a][n].total_cmp(&cost[b][n]));
    let Some(mut k) = best else {
        // Even the load slack cannot fit the tour in the fleet: one route each, the rest
        // on the last (the local search spreads them).
        let mut singles: Vec<Vec<usize>> = tour[..routes - 1].iter().map(|&c| vec![c]).collect();
        singles.push(tour[routes - 1..].to_vec());
        return singles;
    };
    cut(tour, |end| {
        k -= 1;
        from[k + 1][end]
    })
}
