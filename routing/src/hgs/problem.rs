//! The search's view of an instance: node 0 is the depot, nodes 1.. the clients, with dense
//! matrices; and time-window segments, which give a route's distance, load and time warp in
//! O(1) per concatenation (Vidal et al. 2013), so a move is priced from a few pieces of the
//! routes it touches instead of by walking them.

/// One depot, identical vehicles, one time window per client.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Nodes, depot included.
    pub size: usize,
    pub distances: Vec<f64>,
    pub durations: Vec<f64>,
    pub demand: Vec<i64>,
    pub service: Vec<f64>,
    /// Window in which service may start (the depot's: leave after, return before).
    pub early: Vec<f64>,
    pub late: Vec<f64>,
    pub capacity: i64,
    pub fleet: usize,
    /// Where each node lies from the depot (zero where positions are unknown): the giant
    /// tour puts routes in order of direction.
    pub bearing: Vec<(f64, f64)>,
    /// Each client's nearest clients by [`proximity`]: the only pairs the local search
    /// tries to bring together (granular neighbourhoods).
    pub neighbours: Vec<Vec<usize>>,
}

/// How many neighbours each client gets.
const NEIGHBOURS: usize = 20;

impl Problem {
    /// Fills in the neighbour lists; the other fields are the caller's.
    pub fn with_neighbours(mut self) -> Self {
        let clients = 1..self.size;
        self.neighbours = vec![Vec::new(); self.size];
        for i in clients.clone() {
            let mut near: Vec<(f64, usize)> = clients
                .clone()
                .filter(|&j| j != i)
                .map(|j| (self.proximity(i, j).min(self.proximity(j, i)), j))
                .collect();
            let keep = NEIGHBOURS.min(near.len());
            if keep > 0 && keep < near.len() {
                near.select_nth_unstable_by(keep - 1, |a, b| a.0.total_cmp(&b.0));
                near.truncate(keep);
            }
            near.sort_by(|a, b| a.0.total_cmp(&b.0));
            self.neighbours[i] = near.into_iter().map(|(_, j)| j).collect();
        }
        self
    }

    /// How well `j` fits straight after `i`: distance, plus the wait and (heavier) the time
    /// warp that visiting them in that order forces at best (as PyVRP weighs them).
    fn proximity(&self, i: usize, j: usize) -> f64 {
        let travel = self.duration(i, j);
        let wait = (self.early[j] - travel - self.service[i] - self.late[i]).max(0.0);
        let warp = (self.early[i] + self.service[i] + travel - self.late[j]).max(0.0);
        self.distance(i, j) + 0.2 * wait + warp
    }

    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> f64 {
        self.distances[from * self.size + to]
    }

    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> f64 {
        self.durations[from * self.size + to]
    }

    /// The segment of one node.
    #[inline]
    pub fn node(&self, i: usize) -> Segment {
        Segment {
            first: i as u32,
            last: i as u32,
            duration: self.service[i],
            time_warp: 0.0,
            early: self.early[i],
            late: self.late[i],
            distance: 0.0,
            load: self.demand[i],
        }
    }

    /// `a` then `b`.
    #[inline]
    pub fn join(&self, a: &Segment, b: &Segment) -> Segment {
        let (from, to) = (a.last as usize, b.first as usize);
        let travel = self.duration(from, to);
        let reach = a.duration - a.time_warp + travel;
        let wait = (b.early - reach - a.late).max(0.0);
        let warp = (a.early + reach - b.late).max(0.0);
        Segment {
            first: a.first,
            last: b.last,
            duration: a.duration + b.duration + travel + wait,
            time_warp: a.time_warp + b.time_warp + warp,
            early: (b.early - reach).max(a.early) - wait,
            late: (b.late - reach).min(a.late) + warp,
            distance: a.distance + b.distance + self.distance(from, to),
            load: a.load + b.load,
        }
    }
}

/// A sequence of nodes as far as the search cares: its ends, the time it takes (travel,
/// service and waiting), the time warp it cannot avoid, the window for starting it without
/// more of either, and its distance and load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub first: u32,
    pub last: u32,
    pub duration: f64,
    pub time_warp: f64,
    pub early: f64,
    pub late: f64,
    pub distance: f64,
    pub load: i64,
}

/// The prices of breaking the two relaxed constraints, per unit: the search works through
/// infeasible solutions and steers back by raising them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalties {
    pub load: f64,
    pub time_warp: f64,
}

impl Penalties {
    /// Distance plus what the load over capacity and the time warp cost: the one price
    /// every route, bound and solution is compared by.
    #[inline]
    pub fn price(&self, distance: f64, excess_load: i64, time_warp: f64) -> f64 {
        distance + self.load * excess_load as f64 + self.time_warp * time_warp
    }

    /// A depot-to-depot segment's penalised cost.
    #[inline]
    pub fn cost(&self, route: &Segment, capacity: i64) -> f64 {
        self.price(
            route.distance,
            excess(route.load, capacity),
            route.time_warp,
        )
    }
}

/// How far `load` is over `capacity`.
#[inline]
pub fn excess(load: i64, capacity: i64) -> i64 {
    (load - capacity).max(0)
}
