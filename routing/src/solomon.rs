//! Solomon's VRPTW instances (text format): how the planner's quality is measured against
//! published solvers. Distances are Euclidean in double precision, travel time equals
//! distance, and vehicles are identical, start at the depot (the first customer row) and must
//! be back before its due date.

use std::path::Path;

use crate::RoutingError;
use crate::model::{Budget, Instance, JobSpec, Matrices, Objective, Solution, VehicleSpec};

/// One customer row: number, position, demand, ready and due times, service time.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub number: u32,
    pub x: f64,
    pub y: f64,
    pub demand: i32,
    pub ready: f64,
    pub due: f64,
    pub service: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SolomonInstance {
    pub name: String,
    pub vehicles: usize,
    pub capacity: i32,
    pub depot: Customer,
    pub customers: Vec<Customer>,
}

/// The result in the benchmark's form: vehicles used, total distance, and each route's
/// customer numbers in visit order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SolomonResult {
    pub vehicles: usize,
    pub distance: f64,
    pub routes: Vec<Vec<u32>>,
    /// Customers left unserved (none on a feasible instance).
    pub unassigned: Vec<u32>,
}

impl SolomonInstance {
    pub fn read(path: &Path) -> Result<Self, RoutingError> {
        let text = std::fs::read_to_string(path).map_err(|error| RoutingError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        Self::parse(&text).map_err(|(line, message)| RoutingError::Input {
            path: path.to_path_buf(),
            message: match line {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            },
        })
    }

    /// Parses the text format; an error carries the 1-based line it is on, if any.
    pub fn parse(text: &str) -> Result<Self, (Option<usize>, String)> {
        let mut lines = text.lines().enumerate().map(|(k, l)| (k + 1, l.trim()));
        let name = lines
            .by_ref()
            .find(|(_, l)| !l.is_empty())
            .map(|(_, l)| l.to_owned())
            .ok_or((None, "the file is empty".to_owned()))?;
        let numbers = |line: usize, l: &str| -> Result<Vec<f64>, (Option<usize>, String)> {
            l.split_whitespace()
                .map(|v| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or((Some(line), format!("'{v}' is not a number")))
                })
                .collect()
        };
        let mut fleet = None;
        let mut rows = Vec::new();
        let mut section = "";
        for (line, l) in lines {
            if l.is_empty() {
                continue;
            }
            let upper = l.to_ascii_uppercase();
            if upper.starts_with("VEHICLE") {
                section = "vehicle";
                continue;
            }
            if upper.starts_with("CUSTOMER") {
                section = "customer";
                continue;
            }
            if l.starts_with(|c: char| c.is_ascii_alphabetic()) {
                // Column headers.
                continue;
            }
            let v = numbers(line, l)?;
            match section {
                "vehicle" if fleet.is_none() => {
                    if v.len() != 2 || v[0] < 1.0 || v[1] < 0.0 {
                        return Err((
                            Some(line),
                            "expected the number of vehicles and their capacity".to_owned(),
                        ));
                    }
                    fleet = Some((v[0] as usize, v[1] as i32));
                }
                "customer" => {
                    if v.len() != 7 {
                        return Err((
                            Some(line),
                            format!(
                                "expected 7 columns (number, x, y, demand, ready, due, service), found {}",
                                v.len()
                            ),
                        ));
                    }
                    if v[4] > v[5] {
                        return Err((Some(line), "ready time after due date".to_owned()));
                    }
                    rows.push(Customer {
                        number: v[0] as u32,
                        x: v[1],
                        y: v[2],
                        demand: v[3] as i32,
                        ready: v[4],
                        due: v[5],
                        service: v[6],
                    });
                }
                _ => {
                    return Err((
                        Some(line),
                        "a number outside the VEHICLE and CUSTOMER sections".to_owned(),
                    ));
                }
            }
        }
        let (vehicles, capacity) = fleet.ok_or((None, "no VEHICLE section".to_owned()))?;
        let mut rows = rows.into_iter();
        let depot = rows
            .next()
            .ok_or((None, "no CUSTOMER rows (the first is the depot)".to_owned()))?;
        let customers: Vec<Customer> = rows.collect();
        if customers.is_empty() {
            return Err((None, "no customers after the depot".to_owned()));
        }
        Ok(Self {
            name,
            vehicles,
            capacity,
            depot,
            customers,
        })
    }

    /// The instance in the planner's model: location 0 is the depot, location k the k-th
    /// customer row.
    pub fn to_instance(&self) -> Instance {
        let points: Vec<&Customer> = std::iter::once(&self.depot)
            .chain(&self.customers)
            .collect();
        let n = points.len();
        let mut distances = vec![0.0; n * n];
        for (i, a) in points.iter().enumerate() {
            for (j, b) in points.iter().enumerate() {
                distances[i * n + j] = (a.x - b.x).hypot(a.y - b.y);
            }
        }
        Instance {
            matrices: Matrices {
                size: n,
                durations: distances.clone(),
                distances,
            },
            vehicles: (0..self.vehicles)
                .map(|k| VehicleSpec {
                    id: format!("v{k}"),
                    start: 0,
                    end: 0,
                    shift: (self.depot.ready, self.depot.due),
                    capacity: self.capacity,
                    lunch: None,
                })
                .collect(),
            jobs: self
                .customers
                .iter()
                .enumerate()
                .map(|(k, c)| JobSpec {
                    id: c.number.to_string(),
                    location: k + 1,
                    service: c.service,
                    windows: vec![(c.ready, c.due)],
                    demand: c.demand,
                    allowed: None,
                    weight: 1.0,
                })
                .collect(),
            objective: Objective::Distance,
            positions: points.iter().map(|c| [c.x, c.y]).collect(),
        }
    }

    /// The solution in the benchmark's form.
    pub fn result(&self, solution: &Solution) -> SolomonResult {
        SolomonResult {
            vehicles: solution.routes.len(),
            distance: solution.distance,
            routes: solution
                .routes
                .iter()
                .map(|r| {
                    r.stops
                        .iter()
                        .filter_map(|s| s.job().map(|k| self.customers[k].number))
                        .collect()
                })
                .collect(),
            unassigned: solution
                .unassigned
                .iter()
                .map(|&k| self.customers[k].number)
                .collect(),
        }
    }

    pub fn solve(&self, budget: &Budget) -> Result<SolomonResult, RoutingError> {
        Ok(self.result(&crate::vrptw::solve(&self.to_instance(), budget)?))
    }
}
