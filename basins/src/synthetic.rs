//! Generated river networks whose truth is known: a dendritic tree with a braid on the main
//! stem, digitised the way real registries are (pieces of a few kilometres, some against the
//! flow, ends a few metres apart, tributaries ending beside the main stem rather than on a
//! vertex, repeated points), with outfalls, sources and sections placed beside the rivers.

use geo::Coord;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use crate::found::Feature;
use crate::geom::{METRES_PER_DEGREE, cumulative, foot_on_segment, point_along};
use crate::network::RiverLine;

/// A river of the truth, its points with the flow.
#[derive(Debug, Clone)]
pub struct River {
    pub name: String,
    pub coords: Vec<Coord<f64>>,
    pub cum: Vec<f64>,
    /// The river it flows into and how far along that river (from its upstream end).
    pub joins: Option<(usize, f64)>,
}

/// A feature of the truth: which river and how far along it its foot falls.
#[derive(Debug, Clone)]
pub struct Placed {
    pub feature: Feature,
    pub river: usize,
    pub along_m: f64,
}

/// A generated network: the lines as digitised, the truth, and the mouth.
pub struct Generated {
    pub lines: Vec<RiverLine>,
    pub rivers: Vec<River>,
    pub features: Vec<Placed>,
    pub mouth: Coord<f64>,
    /// The braid's side channel (an index into `rivers`).
    pub braid: usize,
    /// Ids of the lines digitised against the flow.
    pub reversed: Vec<String>,
}

/// How big and how messy.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub seed: u64,
    /// Length of the main stem, metres.
    pub main_m: f64,
    /// Levels of tributaries below the main stem.
    pub depth: u32,
    /// Largest gap left between pieces, metres (under the snap distance).
    pub gap_m: f64,
    /// Share of pieces digitised against the flow (where a piece may be, see `digitise`).
    pub reversed: f64,
}

impl Spec {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            main_m: 40_000.0,
            depth: 2,
            gap_m: 6.0,
            reversed: 0.25,
        }
    }
}

const ORIGIN: Coord<f64> = Coord { x: 106.0, y: 29.5 };

/// Local metres to WGS84 around the origin.
fn to_lonlat(x: f64, y: f64) -> Coord<f64> {
    Coord {
        x: ORIGIN.x + x / (METRES_PER_DEGREE * ORIGIN.y.to_radians().cos()),
        y: ORIGIN.y + y / METRES_PER_DEGREE,
    }
}

fn to_local(c: Coord<f64>) -> (f64, f64) {
    (
        (c.x - ORIGIN.x) * METRES_PER_DEGREE * ORIGIN.y.to_radians().cos(),
        (c.y - ORIGIN.y) * METRES_PER_DEGREE,
    )
}

/// A meandering line walked upstream from `(x, y)` on `heading` (radians), 250 m a step.
fn walk(rng: &mut ChaCha8Rng, start: (f64, f64), heading: f64, length: f64) -> Vec<(f64, f64)> {
    let (mut x, mut y) = start;
    let phase: f64 = rng.random_range(0.0..6.3);
    let mut out = vec![(x, y)];
    let steps = (length / 250.0).ceil() as usize;
    for k in 0..steps {
        let h = heading + 0.35 * (phase + k as f64 * 0.25).sin() + rng.random_range(-0.05..0.05);
        x += 250.0 * h.cos();
        y += 250.0 * h.sin();
        out.push((x, y));
    }
    out
}

/// Least distance from a point to a line, metres.
fn distance_to(p: Coord<f64>, line: &[Coord<f64>]) -> f64 {
    line.windows(2)
        .map(|w| foot_on_segment(p, w[0], w[1]).1)
        .fold(f64::INFINITY, f64::min)
}

pub fn generate(spec: Spec) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut rivers: Vec<River> = Vec::new();
    let main: Vec<Coord<f64>> = walk(&mut rng, (0.0, 0.0), std::f64::consts::PI, spec.main_m)
        .into_iter()
        .rev()
        .map(|(x, y)| to_lonlat(x, y))
        .collect();
    let mouth = *main.last().expect("a main stem");
    rivers.push(River {
        name: "干流".to_owned(),
        cum: cumulative(&main),
        coords: main,
        joins: None,
    });
    // Tributaries, level by level.
    let mut level = vec![0usize];
    for depth in 0..spec.depth {
        let mut next = Vec::new();
        for &parent in &level {
            let len = rivers[parent].cum.last().copied().unwrap_or(0.0);
            let count = rng.random_range(2..=4);
            for _ in 0..count {
                for _attempt in 0..12 {
                    let along = rng.random_range(0.15..0.85) * len;
                    let (at, i) = point_along(&rivers[parent].coords, &rivers[parent].cum, along);
                    let (px, py) = to_local(at);
                    let (ax, ay) = to_local(rivers[parent].coords[i]);
                    let (bx, by) = to_local(rivers[parent].coords[i + 1]);
                    // Upstream on the parent is towards its first point: against the flow.
                    let up = (ay - by).atan2(ax - bx);
                    let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                    let heading = up + side * rng.random_range(0.8..1.3);
                    let length = rng.random_range(0.25..0.5) * len.max(8_000.0)
                        / (f64::from(depth) + 1.0).sqrt();
                    let local = walk(&mut rng, (px, py), heading, length);
                    let coords: Vec<Coord<f64>> =
                        local.iter().rev().map(|&(x, y)| to_lonlat(x, y)).collect();
                    // Clear of every river by 1.5 km, or by a third of the way from the
                    // confluence near it.
                    let clear = local.iter().enumerate().skip(1).all(|(k, &(x, y))| {
                        let need = (k as f64 * 250.0 / 3.0).min(1_500.0);
                        rivers
                            .iter()
                            .all(|r| distance_to(to_lonlat(x, y), &r.coords) > need)
                    });
                    if clear {
                        next.push(rivers.len());
                        rivers.push(River {
                            name: format!("支流{}", rivers.len()),
                            cum: cumulative(&coords),
                            coords,
                            joins: Some((parent, along)),
                        });
                        break;
                    }
                }
            }
        }
        level = next;
    }
    let braid = braid(&mut rng, &mut rivers);
    let features = place_features(&mut rng, &rivers, braid);
    let (lines, reversed) = digitise(&mut rng, &rivers, spec);
    Generated {
        lines,
        rivers,
        features,
        mouth,
        braid,
        reversed,
    }
}

/// A side channel leaving the main stem and rejoining it 2 km further down, bowed out 400 m
/// so it is the longer way.
fn braid(rng: &mut ChaCha8Rng, rivers: &mut Vec<River>) -> usize {
    let main = &rivers[0];
    let len = main.cum.last().copied().unwrap_or(0.0);
    let a = rng.random_range(0.55..0.65) * len;
    let b = a + 2_000.0;
    let (pa, _) = point_along(&main.coords, &main.cum, a);
    let (pb, _) = point_along(&main.coords, &main.cum, b);
    let ((ax, ay), (bx, by)) = (to_local(pa), to_local(pb));
    let (dx, dy) = (bx - ax, by - ay);
    let n = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / n, dx / n);
    let coords: Vec<Coord<f64>> = (0..=20)
        .map(|k| {
            let t = f64::from(k) / 20.0;
            let bow = 400.0 * (std::f64::consts::PI * t).sin();
            to_lonlat(ax + dx * t + nx * bow, ay + dy * t + ny * bow)
        })
        .collect();
    rivers.push(River {
        name: "干流".to_owned(),
        cum: cumulative(&coords),
        coords,
        joins: Some((0, b)),
    });
    rivers.len() - 1
}

/// Outfalls (30–80 m off), sources (120–400 m off) and sections (on the bank) every few
/// kilometres, each well clear of every other river so the truth is unambiguous.
fn place_features(rng: &mut ChaCha8Rng, rivers: &[River], braid: usize) -> Vec<Placed> {
    let mut out = Vec::new();
    for (r, river) in rivers.iter().enumerate() {
        let len = river.cum.last().copied().unwrap_or(0.0);
        let mut along = rng.random_range(300.0..1_500.0);
        while along < len - 300.0 {
            let kind = rng.random_range(0..5);
            let (layer, off, nearest_only) = match kind {
                0 | 1 => ("outfalls", rng.random_range(30.0..80.0), true),
                2 | 3 => ("sources", rng.random_range(120.0..400.0), false),
                _ if r != braid => ("sections", rng.random_range(2.0..10.0), true),
                _ => ("outfalls", 40.0, true),
            };
            let (p, i) = point_along(&river.coords, &river.cum, along);
            let ((ax, ay), (bx, by), (px, py)) = (
                to_local(river.coords[i]),
                to_local(river.coords[i + 1]),
                to_local(p),
            );
            let n = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt().max(1e-9);
            let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            let at = to_lonlat(
                px - (by - ay) / n * off * side,
                py + (bx - ax) / n * off * side,
            );
            let own = distance_to(at, &river.coords);
            let margin = if layer == "sources" {
                650.0
            } else {
                own * 2.0 + 60.0
            };
            let clear = rivers
                .iter()
                .enumerate()
                .all(|(o, other)| o == r || distance_to(at, &other.coords) > margin);
            if clear {
                let along_m = foot(at, river);
                out.push(Placed {
                    feature: Feature {
                        layer: layer.to_owned(),
                        id: format!(
                            "{}{}",
                            layer.to_uppercase().chars().next().unwrap_or('F'),
                            out.len()
                        ),
                        at,
                        nearest_only,
                    },
                    river: r,
                    along_m,
                });
            }
            along += rng.random_range(1_500.0..3_500.0);
        }
    }
    out
}

/// Where a point's nearest foot falls along a river, metres from its upstream end.
fn foot(p: Coord<f64>, river: &River) -> f64 {
    let mut best = (f64::INFINITY, 0.0);
    for (i, w) in river.coords.windows(2).enumerate() {
        let (t, d) = foot_on_segment(p, w[0], w[1]);
        if d < best.0 {
            best = (d, river.cum[i] + t * (river.cum[i + 1] - river.cum[i]));
        }
    }
    best.1
}

/// Cuts each river into pieces of 10–30 points, nudges piece ends by up to `gap_m`, repeats a
/// point now and then and turns some pieces round: below a river's first confluence (so no
/// dangling chain looks like a diversion) and, on the main stem, above its last (so the mouth
/// is the one end the lines run to), or on a river without tributaries, under 40 % of its
/// length and never its first or last piece.
fn digitise(rng: &mut ChaCha8Rng, rivers: &[River], spec: Spec) -> (Vec<RiverLine>, Vec<String>) {
    let mut lines = Vec::new();
    let mut reversed = Vec::new();
    let nudge = |rng: &mut ChaCha8Rng, c: Coord<f64>| {
        let (x, y) = to_local(c);
        let a: f64 = rng.random_range(0.0..6.3);
        let d = rng.random_range(0.0..spec.gap_m);
        to_lonlat(x + d * a.cos(), y + d * a.sin())
    };
    // Where the first and the last river join each river, from its upstream end.
    let mut first_join = vec![f64::INFINITY; rivers.len()];
    let mut last_join = vec![f64::NEG_INFINITY; rivers.len()];
    for river in rivers {
        if let Some((parent, at)) = river.joins {
            let departs = foot(river.coords[0], &rivers[parent]);
            let at = if departs < at - 1.0
                && distance_to(river.coords[0], &rivers[parent].coords) < 1.0
            {
                departs
            } else {
                at
            };
            first_join[parent] = first_join[parent].min(at);
            last_join[parent] = last_join[parent].max(at);
        }
    }
    for (r, river) in rivers.iter().enumerate() {
        let n = river.coords.len();
        let len = river.cum.last().copied().unwrap_or(0.0);
        let mut cuts = vec![0];
        while cuts.last().copied().unwrap_or(0) + 10 < n - 1 {
            let next = (cuts.last().copied().unwrap_or(0) + rng.random_range(10..30)).min(n - 1);
            cuts.push(next);
        }
        if cuts.last() != Some(&(n - 1)) {
            cuts.push(n - 1);
        }
        let pieces = cuts.len() - 1;
        let mut turned_m = 0.0;
        for k in 0..pieces {
            let mut coords = river.coords[cuts[k]..=cuts[k + 1]].to_vec();
            let piece_m = river.cum[cuts[k + 1]] - river.cum[cuts[k]];
            if k > 0 {
                coords[0] = nudge(rng, coords[0]);
            }
            // A tributary's last point lands beside the parent, not on it.
            let last = coords.len() - 1;
            if k + 1 == pieces && river.joins.is_some() {
                coords[last] = nudge(rng, coords[last]);
            }
            if rng.random_bool(0.2) {
                let i = rng.random_range(0..coords.len());
                coords.insert(i, coords[i]);
            }
            // The main stem below its last confluence dangles at the mouth: never turned.
            let below_last = r == 0 && river.cum[cuts[k + 1]] > last_join[r];
            let may_turn = if first_join[r].is_finite() {
                river.cum[cuts[k]] >= first_join[r] && !below_last
            } else {
                k > 0 && k + 1 < pieces && turned_m + piece_m < 0.4 * len
            };
            if may_turn && rng.random_bool(spec.reversed) {
                coords.reverse();
                turned_m += piece_m;
                reversed.push(format!("L{}", lines.len()));
            }
            lines.push(RiverLine {
                id: format!("L{}", lines.len()),
                name: river.name.clone(),
                coords,
                velocity_m_s: None,
            });
        }
    }
    (lines, reversed)
}

impl Generated {
    /// The truth of an upstream trace from `along_m` on river `river`: every feature whose water
    /// passes there, with its distance along the rivers, metres.
    pub fn upstream_of(&self, river: usize, along_m: f64) -> Vec<(String, String, f64)> {
        let start = self.to_mouth(river, along_m);
        self.features
            .iter()
            .filter(|p| {
                let (mut r, mut a) = (p.river, p.along_m);
                loop {
                    if r == river && a <= along_m {
                        return true;
                    }
                    match self.rivers[r].joins {
                        Some((parent, at)) => (r, a) = (parent, at),
                        None => return false,
                    }
                }
            })
            .map(|p| {
                (
                    p.feature.layer.clone(),
                    p.feature.id.clone(),
                    self.to_mouth(p.river, p.along_m) - start,
                )
            })
            .collect()
    }

    /// The truth of a downstream trace from `along_m` on river `river`: the features on the way
    /// to the mouth, and those on the braid's side channel when the way passes where it leaves.
    pub fn downstream_of(&self, river: usize, along_m: f64) -> Vec<(String, String, f64)> {
        let start = self.to_mouth(river, along_m);
        let mut path = vec![(river, along_m)];
        while let Some((parent, at)) = self.rivers[path[path.len() - 1].0].joins {
            path.push((parent, at));
        }
        let side = &self.rivers[self.braid];
        let departs = foot(side.coords[0], &self.rivers[0]);
        let via_side = path.iter().any(|&(r, a)| r == 0 && a <= departs);
        self.features
            .iter()
            .filter_map(|p| {
                let on_path = path.iter().any(|&(r, a)| r == p.river && p.along_m >= a);
                let km = if on_path {
                    start - self.to_mouth(p.river, p.along_m)
                } else if via_side && p.river == self.braid {
                    start - self.to_mouth(0, departs) + p.along_m
                } else {
                    return None;
                };
                Some((p.feature.layer.clone(), p.feature.id.clone(), km))
            })
            .collect()
    }

    /// Distance from a place to the mouth along the rivers, metres.
    pub fn to_mouth(&self, river: usize, along_m: f64) -> f64 {
        let r = &self.rivers[river];
        let rest = r.cum.last().copied().unwrap_or(0.0) - along_m;
        match r.joins {
            Some((parent, at)) => rest + self.to_mouth(parent, at),
            None => rest,
        }
    }

    /// The point `along_m` metres along a river.
    pub fn point(&self, river: usize, along_m: f64) -> Coord<f64> {
        let r = &self.rivers[river];
        point_along(&r.coords, &r.cum, along_m).0
    }
}

/// A large dendritic network for the benchmark: an H-tree (each reach splits in two at right
/// angles, lengths shrinking by √2 a level, so lines never cross) of `levels` levels, each
/// reach a line of `points` points digitised with the flow, the mouth at the origin.
pub fn h_tree(levels: u32, points: usize) -> Vec<RiverLine> {
    let mut lines = Vec::new();
    // (downstream end, direction upstream, length, level)
    let mut stack = vec![((0.0_f64, 0.0_f64), (-1.0_f64, 0.0_f64), 60_000.0_f64, 0u32)];
    while let Some(((x, y), (dx, dy), len, level)) = stack.pop() {
        let top = (x + dx * len, y + dy * len);
        let coords: Vec<Coord<f64>> = (0..points)
            .map(|k| {
                let t = 1.0 - k as f64 / (points - 1) as f64;
                to_lonlat(x + dx * len * t, y + dy * len * t)
            })
            .collect();
        lines.push(RiverLine {
            id: format!("H{}", lines.len()),
            name: format!("河{level}"),
            coords,
            velocity_m_s: None,
        });
        if level + 1 < levels {
            let child = len / std::f64::consts::SQRT_2;
            stack.push((top, (-dy, dx), child, level + 1));
            stack.push((top, (dy, -dx), child, level + 1));
        }
    }
    lines
}
