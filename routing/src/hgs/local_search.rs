//! Local search on penalised cost: relocating one to three clients, swapping blocks of one or
//! two, 2-opt within a route and 2-opt* between routes, tried only between a client and its
//! neighbours and only where a route changed since the client was last tried (Vidal's
//! granular search). A move is priced by joining the time-window segments of the pieces the
//! new routes are made of; the first that lowers the cost is applied.

use rand::Rng;
use rand::seq::SliceRandom as _;

use super::problem::{Penalties, Problem, Segment, excess};

/// A route with every sub-sequence's segment kept, so that any piece of it is one lookup.
#[derive(Debug, Clone, Default)]
struct Route {
    /// Depot, clients, depot.
    nodes: Vec<u32>,
    /// `table[i * len + j]`: the segment of `nodes[i..=j]`, for `i <= j`.
    table: Vec<Segment>,
    /// Distance and load from the start to each position, and the distance back from each
    /// position to the start: what the quick bound on a move needs.
    distance_to: Vec<f64>,
    distance_back: Vec<f64>,
    load_to: Vec<i64>,
    cost: f64,
    /// The move counter when the route last changed.
    modified: u64,
}

impl Route {
    fn rebuild(&mut self, problem: &Problem, penalties: &Penalties) {
        let len = self.nodes.len();
        self.table.resize(len * len, problem.node(0));
        for i in 0..len {
            let mut segment = problem.node(self.nodes[i] as usize);
            self.table[i * len + i] = segment;
            for j in i + 1..len {
                segment = problem.join(&segment, &problem.node(self.nodes[j] as usize));
                self.table[i * len + j] = segment;
            }
        }
        self.cost = penalties.cost(&self.whole(), problem.capacity);
        self.distance_to.clear();
        self.distance_back.clear();
        self.load_to.clear();
        let (mut to, mut back, mut load) = (0.0, 0.0, 0);
        for (k, &node) in self.nodes.iter().enumerate() {
            if k > 0 {
                let previous = self.nodes[k - 1] as usize;
                to += problem.distance(previous, node as usize);
                back += problem.distance(node as usize, previous);
            }
            load += problem.demand[node as usize];
            self.distance_to.push(to);
            self.distance_back.push(back);
            self.load_to.push(load);
        }
    }

    /// Distance and load of `nodes[from..=to]`, either way round.
    fn measure(&self, from: usize, to: usize, reversed: bool) -> (f64, i64) {
        let distance = if reversed {
            self.distance_back[to] - self.distance_back[from]
        } else {
            self.distance_to[to] - self.distance_to[from]
        };
        let before = if from == 0 { 0 } else { self.load_to[from - 1] };
        (distance, self.load_to[to] - before)
    }

    fn segment(&self, from: usize, to: usize) -> Segment {
        self.table[from * self.nodes.len() + to]
    }

    fn whole(&self) -> Segment {
        self.segment(0, self.nodes.len() - 1)
    }

    /// The position of the end depot.
    fn end(&self) -> usize {
        self.nodes.len() - 1
    }

    fn is_empty(&self) -> bool {
        self.nodes.len() == 2
    }

    fn node(&self, position: usize) -> usize {
        self.nodes[position] as usize
    }

    fn distance(&self) -> f64 {
        self.distance_to[self.end()]
    }

    fn load(&self) -> i64 {
        self.load_to[self.end()]
    }

    /// What the route pays over its distance, for load and time warp.
    fn penalty(&self) -> f64 {
        self.cost - self.distance()
    }
}

/// `nodes[from..=to]` of a route, possibly backwards.
#[derive(Debug, Clone, Copy, Default)]
struct Part {
    route: u32,
    from: u32,
    to: u32,
    reversed: bool,
}

/// A new route as parts of the current ones.
#[derive(Debug, Clone, Copy, Default)]
struct Plan {
    parts: [Part; 5],
    len: u8,
}

impl Plan {
    /// Adds `nodes[from..end]` of `route` unless that is empty.
    fn take(mut self, route: usize, from: usize, end: usize) -> Self {
        if end > from {
            self.parts[usize::from(self.len)] = Part {
                route: route as u32,
                from: from as u32,
                to: (end - 1) as u32,
                reversed: false,
            };
            self.len += 1;
        }
        self
    }

    /// Adds `nodes[from..end]` of `route` backwards (not empty).
    fn take_reversed(mut self, route: usize, from: usize, end: usize) -> Self {
        self = self.take(route, from, end);
        self.parts[usize::from(self.len) - 1].reversed = true;
        self
    }

    fn parts(&self) -> &[Part] {
        &self.parts[..usize::from(self.len)]
    }
}

/// A change to one route or two: which routes, and what each becomes.
#[derive(Debug, Clone, Copy)]
struct Move {
    first: (usize, Plan),
    second: Option<(usize, Plan)>,
}

/// A move to try, built from the current routes (`None`: it does not apply there or cannot
/// pay).
type Try<'t, 'p> = &'t dyn Fn(&LocalSearch<'p>) -> Option<Move>;

/// Improves a solution in place until no move lowers its penalised cost.
pub struct LocalSearch<'p> {
    problem: &'p Problem,
    penalties: Penalties,
    routes: Vec<Route>,
    route_of: Vec<usize>,
    position_of: Vec<usize>,
    moves: u64,
    tested: Vec<u64>,
    order: Vec<usize>,
}

/// Below this a cost change is rounding.
const EPSILON: f64 = 1e-7;

impl<'p> LocalSearch<'p> {
    pub fn new(problem: &'p Problem) -> Self {
        Self {
            problem,
            penalties: Penalties {
                load: 1.0,
                time_warp: 1.0,
            },
            routes: vec![Route::default(); problem.fleet],
            route_of: vec![0; problem.size],
            position_of: vec![0; problem.size],
            moves: 0,
            tested: vec![0; problem.size],
            order: (1..problem.size).collect(),
        }
    }

    /// `routes` (client lists, at most the fleet) improved under `penalties`.
    pub fn improve(
        &mut self,
        routes: &[Vec<usize>],
        penalties: Penalties,
        rng: &mut impl Rng,
    ) -> Vec<Vec<usize>> {
        self.penalties = penalties;
        for (k, route) in self.routes.iter_mut().enumerate() {
            route.nodes.clear();
            route.nodes.push(0);
            route
                .nodes
                .extend(routes.get(k).into_iter().flatten().map(|&c| c as u32));
            route.nodes.push(0);
            route.modified = 0;
        }
        for k in 0..self.routes.len() {
            self.refresh(k);
        }
        self.moves = 1;
        self.tested.fill(0);
        let mut first_pass = true;
        loop {
            let mut improved = false;
            self.order.shuffle(rng);
            for k in 0..self.order.len() {
                let u = self.order[k];
                let last_tested = self.tested[u];
                self.tested[u] = self.moves;
                for n in 0..self.problem.neighbours[u].len() {
                    let v = self.problem.neighbours[u][n];
                    let changed = self.routes[self.route_of[u]]
                        .modified
                        .max(self.routes[self.route_of[v]].modified);
                    if (first_pass || changed > last_tested) && self.improve_pair(u, v) {
                        improved = true;
                    }
                }
                if self.improve_into_empty(u) {
                    improved = true;
                }
            }
            first_pass = false;
            if !improved {
                break;
            }
        }
        self.routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.nodes[1..r.end()].iter().map(|&c| c as usize).collect())
            .collect()
    }

    fn refresh(&mut self, k: usize) {
        let route = &mut self.routes[k];
        route.rebuild(self.problem, &self.penalties);
        for (position, &node) in route.nodes.iter().enumerate().skip(1) {
            self.route_of[node as usize] = k;
            self.position_of[node as usize] = position;
        }
        route.modified = self.moves;
    }

    /// Tries the moves between `u` and its neighbour `v`; applies the first that pays.
    fn improve_pair(&mut self, u: usize, v: usize) -> bool {
        let (r1, p) = (self.route_of[u], self.position_of[u]);
        let (r2, q) = (self.route_of[v], self.position_of[v]);
        let tries: [Try<'_, 'p>; 8] = [
            &|s| s.relocate(r1, p, 1, false, r2, q),
            &|s| s.relocate(r1, p, 2, false, r2, q),
            &|s| s.relocate(r1, p, 2, true, r2, q),
            &|s| s.relocate(r1, p, 3, false, r2, q),
            &|s| s.swap(r1, p, 1, r2, q, 1),
            &|s| s.swap(r1, p, 2, r2, q, 1),
            &|s| s.swap(r1, p, 2, r2, q, 2),
            &|s| {
                if r1 == r2 {
                    s.two_opt(r1, p.min(q), p.max(q))
                } else {
                    s.two_opt_star(r1, p, r2, q)
                }
            },
        ];
        if self.apply_first(&tries) {
            return true;
        }
        // Before v, when v is first on its route.
        if q == 1 {
            let tries: [Try<'_, 'p>; 3] = [
                &|s| s.relocate(r1, p, 1, false, r2, 0),
                &|s| s.relocate(r1, p, 2, false, r2, 0),
                &|s| (r1 != r2).then(|| s.two_opt_star(r1, p, r2, 0)).flatten(),
            ];
            return self.apply_first(&tries);
        }
        false
    }

    /// Applies the first of the moves that lowers the cost.
    fn apply_first(&mut self, tries: &[Try<'_, 'p>]) -> bool {
        tries
            .iter()
            .any(|t| t(self).is_some_and(|m| self.apply_if_better(&m)))
    }

    /// Moves `u` to an empty route, if there is one and `u` does not already have a route
    /// to itself.
    fn improve_into_empty(&mut self, u: usize) -> bool {
        let (r1, p) = (self.route_of[u], self.position_of[u]);
        if self.routes[r1].nodes.len() <= 3 {
            return false;
        }
        let Some(empty) = self.routes.iter().position(Route::is_empty) else {
            return false;
        };
        self.relocate(r1, p, 1, false, empty, 0)
            .is_some_and(|m| self.apply_if_better(&m))
    }

    /// The clients at `p..p + k` of `r1` (reversed if asked) put after position `q` of
    /// `r2`.
    fn relocate(
        &self,
        r1: usize,
        p: usize,
        k: usize,
        reversed: bool,
        r2: usize,
        q: usize,
    ) -> Option<Move> {
        let end1 = self.routes[r1].end();
        if p + k > end1 {
            return None;
        }
        let block = |plan: Plan| {
            if reversed {
                plan.take_reversed(r1, p, p + k)
            } else {
                plan.take(r1, p, p + k)
            }
        };
        if r1 != r2 {
            let (one, two) = (&self.routes[r1], &self.routes[r2]);
            let (first, last) = (one.node(p), one.node(p + k - 1));
            let (head, tail) = if reversed {
                (last, first)
            } else {
                (first, last)
            };
            let (inside, load) = one.measure(p, p + k - 1, false);
            let (v, y) = (two.node(q), two.node(q + 1));
            let (before, after) = (one.node(p - 1), one.node(p + k));
            let delta =
                self.d(before, after) - self.d(before, first) - self.d(last, after) - inside
                    + self.d(v, head)
                    + if reversed {
                        one.measure(p, p + k - 1, true).0
                    } else {
                        inside
                    }
                    + self.d(tail, y)
                    - self.d(v, y);
            if !self.may_pay(r1, r2, delta, one.load() - load, two.load() + load) {
                return None;
            }
            let end2 = two.end();
            let first = Plan::default().take(r1, 0, p).take(r1, p + k, end1 + 1);
            let second = block(Plan::default().take(r2, 0, q + 1)).take(r2, q + 1, end2 + 1);
            return Some(Move {
                first: (r1, first),
                second: Some((r2, second)),
            });
        }
        let plan = if q + 1 < p {
            block(Plan::default().take(r1, 0, q + 1))
                .take(r1, q + 1, p)
                .take(r1, p + k, end1 + 1)
        } else if q >= p + k {
            block(Plan::default().take(r1, 0, p).take(r1, p + k, q + 1)).take(r1, q + 1, end1 + 1)
        } else {
            return None;
        };
        self.promising(Move {
            first: (r1, plan),
            second: None,
        })
    }

    /// Exchanges the `a` clients from `p` in `r1` with the `b` from `q` in `r2`.
    fn swap(&self, r1: usize, p: usize, a: usize, r2: usize, q: usize, b: usize) -> Option<Move> {
        let (end1, end2) = (self.routes[r1].end(), self.routes[r2].end());
        if p + a > end1 || q + b > end2 {
            return None;
        }
        if r1 != r2 {
            let (one, two) = (&self.routes[r1], &self.routes[r2]);
            let (ends_a, ends_b) = (
                (one.node(p), one.node(p + a - 1)),
                (two.node(q), two.node(q + b - 1)),
            );
            let (around_a, around_b) = (
                (one.node(p - 1), one.node(p + a)),
                (two.node(q - 1), two.node(q + b)),
            );
            let load_a = one.measure(p, p + a - 1, false).1;
            let load_b = two.measure(q, q + b - 1, false).1;
            let between = |around: (usize, usize), block: (usize, usize)| {
                self.d(around.0, block.0) + self.d(block.1, around.1)
            };
            let delta = between(around_a, ends_b) + between(around_b, ends_a)
                - between(around_a, ends_a)
                - between(around_b, ends_b);
            if !self.may_pay(
                r1,
                r2,
                delta,
                one.load() - load_a + load_b,
                two.load() - load_b + load_a,
            ) {
                return None;
            }
            let first = Plan::default()
                .take(r1, 0, p)
                .take(r2, q, q + b)
                .take(r1, p + a, end1 + 1);
            let second =
                Plan::default()
                    .take(r2, 0, q)
                    .take(r1, p, p + a)
                    .take(r2, q + b, end2 + 1);
            return Some(Move {
                first: (r1, first),
                second: Some((r2, second)),
            });
        }
        let ((f, fa), (s, sa)) = if p < q {
            ((p, a), (q, b))
        } else {
            ((q, b), (p, a))
        };
        if f + fa > s {
            return None;
        }
        let plan = Plan::default()
            .take(r1, 0, f)
            .take(r1, s, s + sa)
            .take(r1, f + fa, s)
            .take(r1, f, f + fa)
            .take(r1, s + sa, end1 + 1);
        self.promising(Move {
            first: (r1, plan),
            second: None,
        })
    }

    /// Reverses the clients after `p` up to `q` (`p < q`).
    fn two_opt(&self, r: usize, p: usize, q: usize) -> Option<Move> {
        if q < p + 2 {
            return None;
        }
        let plan = Plan::default()
            .take(r, 0, p + 1)
            .take_reversed(r, p + 1, q + 1)
            .take(r, q + 1, self.routes[r].end() + 1);
        self.promising(Move {
            first: (r, plan),
            second: None,
        })
    }

    /// Exchanges the tails after position `p` of `r1` and `q` of `r2`.
    fn two_opt_star(&self, r1: usize, p: usize, r2: usize, q: usize) -> Option<Move> {
        let (end1, end2) = (self.routes[r1].end(), self.routes[r2].end());
        if p + 1 == end1 && q + 1 == end2 {
            return None;
        }
        let (one, two) = (&self.routes[r1], &self.routes[r2]);
        let (u, x, v, y) = (one.node(p), one.node(p + 1), two.node(q), two.node(q + 1));
        let delta = self.d(u, y) + self.d(v, x) - self.d(u, x) - self.d(v, y);
        let (tail1, tail2) = (one.load() - one.load_to[p], two.load() - two.load_to[q]);
        if !self.may_pay(
            r1,
            r2,
            delta,
            one.load_to[p] + tail2,
            two.load_to[q] + tail1,
        ) {
            return None;
        }
        let first = Plan::default().take(r1, 0, p + 1).take(r2, q + 1, end2 + 1);
        let second = Plan::default().take(r2, 0, q + 1).take(r1, p + 1, end1 + 1);
        Some(Move {
            first: (r1, first),
            second: Some((r2, second)),
        })
    }

    fn d(&self, from: usize, to: usize) -> f64 {
        self.problem.distance(from, to)
    }

    /// Whether a change to two routes that adds `delta` to their distance and leaves them
    /// these loads could lower their cost, time warp aside (it can only add): the cheap test
    /// before the exact one.
    fn may_pay(&self, r1: usize, r2: usize, delta: f64, load1: i64, load2: i64) -> bool {
        let capacity = self.problem.capacity;
        let over = excess(load1, capacity) + excess(load2, capacity);
        let penalties = self.routes[r1].penalty() + self.routes[r2].penalty();
        self.penalties.price(delta, over, 0.0) - penalties < -EPSILON
    }

    /// The move if its bound says it could pay.
    fn promising(&self, candidate: Move) -> Option<Move> {
        let (r, plan) = candidate.first;
        (self.bound_of(&plan) < self.routes[r].cost - EPSILON).then_some(candidate)
    }

    fn segment_of(&self, part: &Part) -> Segment {
        let route = &self.routes[part.route as usize];
        let (from, to) = (part.from as usize, part.to as usize);
        if !part.reversed {
            return route.segment(from, to);
        }
        let mut segment = self.problem.node(route.nodes[to] as usize);
        for k in (from..to).rev() {
            segment = self
                .problem
                .join(&segment, &self.problem.node(route.nodes[k] as usize));
        }
        segment
    }

    /// A lower bound of [`Self::cost_of`]: distance and load exactly, time warp as none.
    fn bound_of(&self, plan: &Plan) -> f64 {
        let (mut distance, mut load) = (0.0, 0);
        let mut previous: Option<u32> = None;
        for part in plan.parts() {
            let route = &self.routes[part.route as usize];
            let (from, to) = (part.from as usize, part.to as usize);
            let (d, l) = route.measure(from, to, part.reversed);
            let (head, tail) = if part.reversed {
                (route.nodes[to], route.nodes[from])
            } else {
                (route.nodes[from], route.nodes[to])
            };
            if let Some(last) = previous {
                distance += self.problem.distance(last as usize, head as usize);
            }
            distance += d;
            load += l;
            previous = Some(tail);
        }
        self.penalties
            .price(distance, excess(load, self.problem.capacity), 0.0)
    }

    fn cost_of(&self, plan: &Plan) -> f64 {
        let parts = plan.parts();
        let mut all = self.segment_of(&parts[0]);
        for part in &parts[1..] {
            all = self.problem.join(&all, &self.segment_of(part));
        }
        self.penalties.cost(&all, self.problem.capacity)
    }

    fn apply_if_better(&mut self, candidate: &Move) -> bool {
        let (r1, plan1) = candidate.first;
        let mut before = self.routes[r1].cost;
        if let Some((r2, _)) = candidate.second {
            before += self.routes[r2].cost;
        }
        let mut after = self.cost_of(&plan1);
        if let Some((_, plan2)) = candidate.second {
            after += self.cost_of(&plan2);
        }
        if after > before - EPSILON {
            return false;
        }
        let nodes1 = self.nodes_of(&plan1);
        let nodes2 = candidate.second.map(|(_, plan)| self.nodes_of(&plan));
        self.moves += 1;
        self.routes[r1].nodes = nodes1;
        self.refresh(r1);
        if let (Some((r2, _)), Some(nodes)) = (candidate.second, nodes2) {
            self.routes[r2].nodes = nodes;
            self.refresh(r2);
        }
        true
    }

    fn nodes_of(&self, plan: &Plan) -> Vec<u32> {
        let mut nodes = Vec::new();
        for part in plan.parts() {
            let piece =
                &self.routes[part.route as usize].nodes[part.from as usize..=part.to as usize];
            if part.reversed {
                nodes.extend(piece.iter().rev());
            } else {
                nodes.extend_from_slice(piece);
            }
        }
        nodes
    }
}
