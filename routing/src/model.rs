//! The routing model both the dispatcher's plan and the Solomon benchmark are put into, its
//! solution and the budget a search gets: locations are indexes into square travel-time and
//! distance matrices; a vehicle may take a break (lunch) within a window wherever it is then;
//! a job may be limited to some vehicles (the teams allowed to inspect it, or the one a
//! dispatcher locked it to).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Square matrices over the instance's locations, row-major: `durations[from * n + to]`.
#[derive(Debug, Clone, PartialEq)]
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
    pub lunch: Option<Break>,
}

/// A break of `duration` to start within `window`, where the vehicle is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub window: (f64, f64),
    pub duration: f64,
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
    /// The vehicles (indexes) that may take it; `None`: any.
    pub allowed: Option<Vec<usize>>,
    /// What leaving it out costs, against 1 for an ordinary job: a job a dispatcher locked
    /// weighs more than any number of others.
    pub weight: f64,
}

impl JobSpec {
    /// Whether `vehicle`, with nothing else to do, can get here, start the service within one
    /// of the windows and be back within its shift (capacity and breaks aside).
    pub fn is_within_reach_of(&self, vehicle: &VehicleSpec, matrices: &Matrices) -> bool {
        let there = matrices.duration(vehicle.start, self.location);
        let back = matrices.duration(self.location, vehicle.end);
        self.windows.iter().any(|&(ready, due)| {
            let start = (vehicle.shift.0 + there).max(ready);
            start <= due && start + self.service + back <= vehicle.shift.1
        })
    }
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
    /// Where each location lies (x, y), or empty: the genetic search orders routes by their
    /// direction from the depot.
    pub positions: Vec<[f64; 2]>,
}

/// What a route does at a stop: a job (by index) or its vehicle's break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Visit {
    Job(usize),
    Break,
}

/// One stop of a route.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stop {
    pub visit: Visit,
    /// The location the vehicle is at (a break: where the previous stop left it).
    pub location: usize,
    pub arrival: f64,
    pub departure: f64,
}

impl Stop {
    pub fn job(&self) -> Option<usize> {
        match self.visit {
            Visit::Job(k) => Some(k),
            Visit::Break => None,
        }
    }
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

/// When the search stops: after `seconds`, or as soon as `cancel` is set; the genetic search
/// also after `children` children per search, when given.
#[derive(Debug, Clone)]
pub struct Budget {
    pub seconds: f64,
    pub cancel: Arc<AtomicBool>,
    /// A stop that does not depend on the clock, for results that do not depend on how busy
    /// the machine is (tests): each genetic search ends after this many children, vrp-core's
    /// after this many generations.
    pub children: Option<usize>,
}

impl Budget {
    pub fn seconds(seconds: f64) -> Self {
        Self {
            seconds,
            cancel: Arc::default(),
            children: None,
        }
    }

    /// Each genetic search stops after `children` children, or after `seconds` at the most.
    pub fn children(children: usize, seconds: f64) -> Self {
        Self {
            children: Some(children),
            ..Self::seconds(seconds)
        }
    }

    /// What is left of this budget `since` a search began, in `shares` equal parts: one of
    /// them, with the same cancel flag.
    #[must_use]
    pub fn share_left(&self, since: Instant, shares: usize) -> Self {
        let left = (self.seconds - since.elapsed().as_secs_f64()).max(0.0);
        Self {
            seconds: left / shares.max(1) as f64,
            cancel: self.cancel.clone(),
            children: self.children,
        }
    }
}
