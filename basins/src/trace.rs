//! Tracing along the flow from a position: upstream with every tributary, up the main stem
//! only, or downstream (both ways at a diversion), stopped at a distance or a travel time.
//! Distances and times are the shortest way with the flow (Dijkstra over nodes).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use geo::Coord;
use serde::Serialize;

use crate::geom::foot_on_segment;
use crate::network::{Network, Reach};

/// A place on the network: a reach and the metres along it from its upstream end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    pub reach: u32,
    pub at_m: f64,
    /// How far the located point lay from the river, metres.
    pub off_m: f64,
}

/// Which way to trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Upstream with every tributary.
    #[default]
    Up,
    /// Upstream along the main stem only: the same river's name, else the longer river above.
    Upmain,
    /// Downstream, every branch.
    Down,
}

impl std::str::FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "up" => Ok(Self::Up),
            "upmain" => Ok(Self::Upmain),
            "down" => Ok(Self::Down),
            other => Err(format!("`{other}` is not a direction: up, upmain or down")),
        }
    }
}

/// Where a trace stops and how fast water travels where the reach does not say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_m: f64,
    pub max_h: f64,
    /// Velocity for reaches without their own, m/s.
    pub velocity_m_s: f64,
    /// Velocity by Strahler order class (order 1 first; the last given holds for higher
    /// orders; 0 where not given), before `velocity_m_s`.
    pub by_order: [f64; 8],
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_m: f64::INFINITY,
            max_h: f64::INFINITY,
            velocity_m_s: 0.5,
            by_order: [0.0; 8],
        }
    }
}

impl Limits {
    /// Velocities by order class from a list (order 1 first), the last repeated upwards.
    #[must_use]
    pub fn with_orders(mut self, velocities: &[f64]) -> Self {
        for (k, slot) in self.by_order.iter_mut().enumerate() {
            *slot = velocities
                .get(k)
                .or(velocities.last())
                .copied()
                .unwrap_or(0.0);
        }
        self
    }

    /// The velocity of a reach, m/s: its own, else its order class's, else the default.
    pub fn velocity(&self, reach: &Reach) -> f64 {
        let class =
            self.by_order[(reach.strahler.max(1) as usize - 1).min(self.by_order.len() - 1)];
        reach
            .velocity_m_s
            .filter(|v| *v > 0.0)
            .or((class > 0.0).then_some(class))
            .unwrap_or(self.velocity_m_s)
    }
}

/// A traced part of a reach: metres `lo..hi` along it, with the distance (m) and travel time
/// (h) to the start at `lo` and at `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Traced {
    pub reach: u32,
    pub lo_m: f64,
    pub hi_m: f64,
    pub dist_lo_m: f64,
    pub dist_hi_m: f64,
    pub hours_lo: f64,
    pub hours_hi: f64,
}

impl Traced {
    /// Distance (m) and travel time (h) to the start from `x` metres along the reach.
    pub fn at(&self, x: f64) -> (f64, f64) {
        let span = self.hi_m - self.lo_m;
        let f = if span > 0.0 {
            ((x - self.lo_m) / span).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (
            self.dist_lo_m + (self.dist_hi_m - self.dist_lo_m) * f,
            self.hours_lo + (self.hours_hi - self.hours_lo) * f,
        )
    }
}

/// A trace: where it started, which way, and the traced parts of reaches.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    pub start: Position,
    pub direction: Direction,
    pub parts: Vec<Traced>,
}

impl Trace {
    /// Traced length in metres.
    pub fn length_m(&self) -> f64 {
        self.parts.iter().map(|p| p.hi_m - p.lo_m).sum()
    }
}

impl Network {
    /// The nearest place on the network to a point; `None` for an empty network.
    pub fn locate(&self, p: Coord<f64>) -> Option<Position> {
        let mut best: Option<Position> = None;
        for (r, reach) in self.reaches.iter().enumerate() {
            for (i, w) in reach.coords.windows(2).enumerate() {
                let (t, off) = foot_on_segment(p, w[0], w[1]);
                if best.is_none_or(|b| off < b.off_m) {
                    let at_m = reach.cum[i] + t * (reach.cum[i + 1] - reach.cum[i]);
                    best = Some(Position {
                        reach: r as u32,
                        at_m,
                        off_m: off,
                    });
                }
            }
        }
        best
    }

    /// Traces from `start`.
    pub fn trace(&self, start: Position, direction: Direction, limits: Limits) -> Trace {
        let speed = |r: &Reach| limits.velocity(r) * 3600.0;
        let parts = match direction {
            Direction::Up | Direction::Down => {
                let up = direction == Direction::Up;
                // With one velocity everywhere time is distance over speed: one search does.
                let uniform = limits.by_order.iter().all(|v| *v <= 0.0)
                    && self.reaches.iter().all(|r| r.velocity_m_s.is_none());
                let per_hour = limits.velocity_m_s * 3600.0;
                let max_m = if uniform {
                    limits.max_m.min(limits.max_h * per_hour)
                } else {
                    limits.max_m
                };
                let dist = self.shortest(start, up, Reach::length_m, max_m);
                let hours = if uniform {
                    dist.iter().map(|d| d / per_hour).collect()
                } else {
                    self.shortest(start, up, |r| r.length_m() / speed(r), limits.max_h)
                };
                self.cut(start, up, &dist, &hours, limits, &speed)
            }
            Direction::Upmain => self.main_stem(start, limits, &speed),
        };
        Trace {
            start,
            direction,
            parts,
        }
    }

    /// Shortest cost from each node to the start (upstream) or from the start (downstream),
    /// stopping beyond `max`.
    fn shortest(
        &self,
        start: Position,
        up: bool,
        cost: impl Fn(&Reach) -> f64,
        max: f64,
    ) -> Vec<f64> {
        let mut best = vec![f64::INFINITY; self.nodes.len()];
        let s = &self.reaches[start.reach as usize];
        let share = |x: f64| {
            if s.length_m() > 0.0 {
                cost(s) * x / s.length_m()
            } else {
                0.0
            }
        };
        let (first, c0) = if up {
            (s.from, share(start.at_m))
        } else {
            (s.to, share(s.length_m() - start.at_m))
        };
        best[first as usize] = c0;
        if let Some(order) = self.node_order() {
            // Along the order, each node's way to (or from) the start is final before it is used.
            let pass = |v: u32, best: &mut [f64]| {
                let mut b = best[v as usize];
                let next = if up {
                    self.leaving(v)
                } else {
                    self.arriving(v)
                };
                for &r in next {
                    let reach = &self.reaches[r as usize];
                    let w = if up { reach.to } else { reach.from };
                    let d = best[w as usize] + cost(reach);
                    if d < b && best[w as usize] <= max {
                        b = d;
                    }
                }
                best[v as usize] = b;
            };
            if up {
                for &v in order.iter().rev() {
                    pass(v, &mut best);
                }
            } else {
                for &v in order {
                    pass(v, &mut best);
                }
            }
            return best;
        }
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((Key(c0), first)));
        while let Some(Reverse((Key(c), v))) = heap.pop() {
            if c > best[v as usize] || c > max {
                continue;
            }
            let next = if up {
                self.arriving(v)
            } else {
                self.leaving(v)
            };
            for &r in next {
                let reach = &self.reaches[r as usize];
                let w = if up { reach.from } else { reach.to };
                let d = c + cost(reach);
                if d < best[w as usize] {
                    best[w as usize] = d;
                    heap.push(Reverse((Key(d), w)));
                }
            }
        }
        best
    }

    /// The traced parts of every reach reached, each cut where a limit falls within it.
    fn cut(
        &self,
        start: Position,
        up: bool,
        dist: &[f64],
        hours: &[f64],
        limits: Limits,
        speed: &dyn Fn(&Reach) -> f64,
    ) -> Vec<Traced> {
        let mut parts = Vec::new();
        let s = start.reach;
        for (r, reach) in self.reaches.iter().enumerate() {
            let len = reach.length_m();
            let near = if up { reach.to } else { reach.from };
            // (the end nearer the start, or none for the start itself; where the part begins
            // on the reach, measured away from that end; how long it can be)
            let mut sides = Vec::with_capacity(2);
            if r as u32 == s {
                sides.push((
                    None,
                    start.at_m,
                    if up { start.at_m } else { len - start.at_m },
                ));
                // On a loop the rest of the start's reach is reached the long way round.
                sides.push((
                    Some(near),
                    if up { len } else { 0.0 },
                    if up { len - start.at_m } else { start.at_m },
                ));
            } else {
                sides.push((Some(near), if up { len } else { 0.0 }, len));
            }
            for (near, anchor, span) in sides {
                let (d0, h0) = match near {
                    None => (0.0, 0.0),
                    Some(v) => (dist[v as usize], hours[v as usize]),
                };
                if !(d0.is_finite() && h0.is_finite()) || d0 > limits.max_m || h0 > limits.max_h {
                    continue;
                }
                let v = speed(reach);
                let reach_m = span
                    .min(limits.max_m - d0)
                    .min((limits.max_h - h0) * v)
                    .max(0.0);
                if reach_m <= 0.0 && span > 0.0 {
                    continue;
                }
                let (d1, h1) = (d0 + reach_m, h0 + reach_m / v);
                parts.push(if up {
                    Traced {
                        reach: r as u32,
                        lo_m: anchor - reach_m,
                        hi_m: anchor,
                        dist_lo_m: d1,
                        dist_hi_m: d0,
                        hours_lo: h1,
                        hours_hi: h0,
                    }
                } else {
                    Traced {
                        reach: r as u32,
                        lo_m: anchor,
                        hi_m: anchor + reach_m,
                        dist_lo_m: d0,
                        dist_hi_m: d1,
                        hours_lo: h0,
                        hours_hi: h1,
                    }
                });
            }
        }
        parts
    }

    /// Up the main stem: at each confluence the reach with the same river name, else the one
    /// with more river above it.
    fn main_stem(
        &self,
        start: Position,
        limits: Limits,
        speed: &dyn Fn(&Reach) -> f64,
    ) -> Vec<Traced> {
        let mut parts = Vec::new();
        let (mut r, mut hi, mut d0, mut h0) = (start.reach, start.at_m, 0.0, 0.0);
        let mut seen = vec![false; self.reaches.len()];
        loop {
            seen[r as usize] = true;
            let reach = &self.reaches[r as usize];
            let v = speed(reach);
            let m = hi
                .min(limits.max_m - d0)
                .min((limits.max_h - h0) * v)
                .max(0.0);
            if m <= 0.0 && hi > 0.0 {
                break;
            }
            let (d1, h1) = (d0 + m, h0 + m / v);
            parts.push(Traced {
                reach: r,
                lo_m: hi - m,
                hi_m: hi,
                dist_lo_m: d1,
                dist_hi_m: d0,
                hours_lo: h1,
                hours_hi: h0,
            });
            if m < hi {
                break;
            }
            let above = self.arriving(reach.from);
            let next = above
                .iter()
                .copied()
                .filter(|&a| !seen[a as usize])
                .max_by(|&a, &b| {
                    let (ra, rb) = (&self.reaches[a as usize], &self.reaches[b as usize]);
                    let same = |x: &Reach| !reach.name.is_empty() && x.name == reach.name;
                    same(ra)
                        .cmp(&same(rb))
                        .then(ra.upstream_m.total_cmp(&rb.upstream_m))
                        .then(b.cmp(&a))
                });
            let Some(next) = next else { break };
            r = next;
            hi = self.reaches[r as usize].length_m();
            (d0, h0) = (d1, h1);
        }
        parts
    }
}

/// An `f64` ordered for the heap (costs are never NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{BuildOptions, RiverLine};
    use geo::coord;

    fn line(id: &str, coords: &[(f64, f64)]) -> RiverLine {
        RiverLine {
            id: id.to_owned(),
            name: String::new(),
            coords: coords.iter().map(|&(x, y)| coord! { x: x, y: y }).collect(),
            velocity_m_s: None,
        }
    }

    /// A ring with no way out is a loop the heap search handles: upstream of a point goes once
    /// round, each reach at its shortest way back.
    #[test]
    fn a_closed_loop_is_traced_once_round() {
        let ring = [
            (106.0, 29.0),
            (106.01, 29.0),
            (106.01, 29.01),
            (106.0, 29.01),
        ];
        let lines: Vec<RiverLine> = (0..4)
            .map(|i| line(&format!("R{i}"), &[ring[i], ring[(i + 1) % 4]]))
            .collect();
        let n = Network::build(
            lines,
            &BuildOptions {
                snap_m: 10.0,
                ..BuildOptions::default()
            },
        );
        assert!(n.node_order().is_none(), "a loop cannot be ordered");
        let start = n.locate(coord! { x: 106.005, y: 29.0 }).expect("a network");
        let trace = n.trace(start, Direction::Up, Limits::default());
        let total = n.length_m();
        assert!(
            (trace.length_m() - total).abs() < 1.0,
            "{} of {total} m",
            trace.length_m()
        );
        assert!(trace.parts.iter().all(|p| p.dist_lo_m <= total + 1e-6));
        let limited = n.trace(
            start,
            Direction::Up,
            Limits {
                max_m: 1_500.0,
                ..Limits::default()
            },
        );
        assert!(
            (limited.length_m() - 1_500.0).abs() < 1.0,
            "{}",
            limited.length_m()
        );
    }
}
