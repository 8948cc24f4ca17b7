//! Solutions as the genetic search keeps them, and its two populations (feasible and not):
//! members are ranked by a biased fitness that rewards both low cost and being unlike the
//! rest (broken-pairs distance), so the search keeps exploring instead of converging on
//! copies of one solution.

use rand::Rng;

use super::problem::{Penalties, Problem, excess};

/// A complete solution: its routes, the giant tour they make (for crossover), each
/// client's neighbours on its route (for the distance between solutions), and its cost in
/// parts, so that it can be priced again when the penalties change.
#[derive(Debug, Clone)]
pub struct Individual {
    pub routes: Vec<Vec<usize>>,
    pub tour: Vec<usize>,
    successor: Vec<usize>,
    predecessor: Vec<usize>,
    pub distance: f64,
    excess_load: i64,
    time_warp: f64,
}

impl Individual {
    pub fn new(problem: &Problem, mut routes: Vec<Vec<usize>>) -> Self {
        routes.retain(|r| !r.is_empty());
        // Routes in order of their direction from the depot, so that a slice of the giant
        // tour is a region of the map.
        let angle = |route: &Vec<usize>| {
            let (mut x, mut y) = (0.0, 0.0);
            for &c in route {
                x += problem.bearing[c].0;
                y += problem.bearing[c].1;
            }
            f64::atan2(y, x)
        };
        routes.sort_by(|a, b| angle(a).total_cmp(&angle(b)));
        let mut successor = vec![0; problem.size];
        let mut predecessor = vec![0; problem.size];
        let (mut distance, mut excess_load, mut time_warp) = (0.0, 0, 0.0);
        for route in &routes {
            let mut segment = problem.node(0);
            let mut previous = 0;
            for &c in route {
                segment = problem.join(&segment, &problem.node(c));
                predecessor[c] = previous;
                if previous != 0 {
                    successor[previous] = c;
                }
                previous = c;
            }
            successor[previous] = 0;
            segment = problem.join(&segment, &problem.node(0));
            distance += segment.distance;
            excess_load += excess(segment.load, problem.capacity);
            time_warp += segment.time_warp;
        }
        Self {
            tour: routes.iter().flatten().copied().collect(),
            routes,
            successor,
            predecessor,
            distance,
            excess_load,
            time_warp,
        }
    }

    pub fn is_feasible(&self) -> bool {
        self.load_feasible() && self.time_feasible()
    }

    pub fn load_feasible(&self) -> bool {
        self.excess_load == 0
    }

    pub fn time_feasible(&self) -> bool {
        self.time_warp <= 1e-9
    }

    pub fn cost(&self, penalties: &Penalties) -> f64 {
        penalties.price(self.distance, self.excess_load, self.time_warp)
    }

    /// The share of clients whose neighbours differ between the two (0: same routes).
    pub fn broken_pairs(&self, other: &Self) -> f64 {
        let clients = self.successor.len() - 1;
        let mut broken = 0;
        for c in 1..=clients {
            if self.successor[c] != other.successor[c] && self.successor[c] != other.predecessor[c]
            {
                broken += 1;
            }
            if self.predecessor[c] == 0 && other.predecessor[c] != 0 && other.successor[c] != 0 {
                broken += 1;
            }
        }
        f64::from(broken) / clients as f64
    }
}

/// How many a population keeps after culling, and how many more it grows to first.
const MINIMUM: usize = 25;
const GENERATION: usize = 40;
/// The best this many are kept for cost alone, the diversity term weighing less for them.
const ELITE: usize = 4;
/// Diversity is the mean distance to this many closest members.
const CLOSEST: usize = 5;

#[derive(Debug, Default)]
pub struct SubPopulation {
    members: Vec<Individual>,
    /// Broken-pairs distances between members.
    distances: Vec<Vec<f64>>,
    fitness: Vec<f64>,
}

impl SubPopulation {
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn add(&mut self, individual: Individual, penalties: &Penalties) {
        let mut row: Vec<f64> = self
            .members
            .iter()
            .map(|m| m.broken_pairs(&individual))
            .collect();
        for (k, d) in row.iter().enumerate() {
            self.distances[k].push(*d);
        }
        row.push(0.0);
        self.distances.push(row);
        self.members.push(individual);
        if self.members.len() > MINIMUM + GENERATION {
            while self.members.len() > MINIMUM {
                self.remove_worst(penalties);
            }
        }
        self.update_fitness(penalties);
    }

    /// Drops a copy of another member if there is one, the least fit otherwise.
    fn remove_worst(&mut self, penalties: &Penalties) {
        self.update_fitness(penalties);
        let n = self.members.len();
        let has_clone = |k: usize| (0..n).any(|j| j != k && self.distances[k][j] < 1e-9);
        let worst = (0..n)
            .max_by(|&a, &b| {
                has_clone(a)
                    .cmp(&has_clone(b))
                    .then(self.fitness[a].total_cmp(&self.fitness[b]))
            })
            .unwrap_or(0);
        self.members.swap_remove(worst);
        self.distances.swap_remove(worst);
        for row in &mut self.distances {
            row.swap_remove(worst);
        }
    }

    /// Rank by cost plus (weighted) rank by diversity, both scaled to 0..1.
    pub fn update_fitness(&mut self, penalties: &Penalties) {
        let n = self.members.len();
        self.fitness = vec![0.0; n];
        if n <= 1 {
            return;
        }
        let mut by_cost: Vec<usize> = (0..n).collect();
        let costs: Vec<f64> = self.members.iter().map(|m| m.cost(penalties)).collect();
        by_cost.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]));
        let diversity: Vec<f64> = (0..n)
            .map(|k| {
                let mut row: Vec<f64> = (0..n)
                    .filter(|&j| j != k)
                    .map(|j| self.distances[k][j])
                    .collect();
                row.sort_by(f64::total_cmp);
                let closest = CLOSEST.min(row.len());
                row[..closest].iter().sum::<f64>() / closest as f64
            })
            .collect();
        let mut by_diversity: Vec<usize> = (0..n).collect();
        by_diversity.sort_by(|&a, &b| diversity[b].total_cmp(&diversity[a]));
        let scale = (n - 1) as f64;
        let weight = 1.0 - ELITE as f64 / n as f64;
        for (rank, &k) in by_cost.iter().enumerate() {
            self.fitness[k] += rank as f64 / scale;
        }
        for (rank, &k) in by_diversity.iter().enumerate() {
            self.fitness[k] += weight * rank as f64 / scale;
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Binary tournament over both populations: the fitter of two members drawn at random.
pub fn select<'a>(
    populations: [&'a SubPopulation; 2],
    rng: &mut impl Rng,
) -> Option<&'a Individual> {
    let total = populations[0].len() + populations[1].len();
    if total == 0 {
        return None;
    }
    let pick = |k: usize| {
        if k < populations[0].len() {
            (&populations[0].members[k], populations[0].fitness[k])
        } else {
            let k = k - populations[0].len();
            (&populations[1].members[k], populations[1].fitness[k])
        }
    };
    let a = pick(rng.random_range(0..total));
    let b = pick(rng.random_range(0..total));
    Some(if a.1 <= b.1 { a.0 } else { b.0 })
}
