//! Road networks: the drivable graph of an OpenStreetMap extract, its contraction hierarchy
//! (fast_paths) and many-to-many travel-time and distance matrices with snapped endpoints.
//!
//! The hierarchy is prepared once by fast_paths and then kept in its 32-bit form, whose
//! up-edges are public: matrices come from a bucket search over them (one upward search per
//! origin and per destination, not one query per pair), and the prepared network is saved
//! beside the project in that form so it loads without preparing again.

mod file;
mod hierarchy;
mod osm;
mod snap;

pub use osm::{Roads, Segment, Speeds, haversine_m};
pub use snap::Snap;

use hierarchy::{NO_VIA, Reached, UpGraph, up_graphs, upward};
use snap::{SnapSegment, project};

use std::collections::HashMap;
use std::path::Path;

use rayon::iter::{IntoParallelRefIterator as _, ParallelIterator as _};
use rstar::RTree;

use crate::RoutingError;

/// Travel times (seconds) and distances (metres) between snapped points, row-major; `None`
/// where no road leads from one to the other.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrix {
    pub size: usize,
    pub seconds: Vec<Option<f64>>,
    pub metres: Vec<Option<f64>>,
    pub snaps: Vec<Snap>,
}

/// A prepared network: the roads, their hierarchy and a snapping index.
pub struct RoadNetwork {
    pub roads: Roads,
    up_fwd: UpGraph,
    up_bwd: UpGraph,
    snap_index: RTree<SnapSegment>,
    /// Centre of the local projection for snapping: (lon0, lat0, metres per degree of lon).
    local: (f64, f64, f64),
}

/// Tenths of a second: the hierarchy's integer weights.
const WEIGHT_PER_SECOND: f64 = 10.0;

impl RoadNetwork {
    /// Prepares the contraction hierarchy of `roads` (minutes for a city of a million nodes;
    /// [`RoadNetwork::save`] keeps the result).
    pub fn prepare(roads: Roads) -> Self {
        let mut input = fast_paths::InputGraph::new();
        // The fastest of parallel segments is the one the hierarchy keeps.
        let mut fastest: HashMap<(u32, u32), (u32, f32)> = HashMap::new();
        for s in &roads.segments {
            let weight = ((f64::from(s.seconds) * WEIGHT_PER_SECOND).round() as u32).max(1);
            let e = fastest.entry((s.from, s.to)).or_insert((weight, s.metres));
            if weight < e.0 {
                *e = (weight, s.metres);
            }
        }
        // In a fixed order, so the same roads give the same hierarchy.
        let mut kept: Vec<(u32, u32, u32)> =
            fastest.iter().map(|(&(a, b), &(w, _))| (a, b, w)).collect();
        kept.sort_unstable();
        for (a, b, w) in kept {
            input.add_edge(a as usize, b as usize, w as usize);
        }
        input.freeze();
        let prepared = fast_paths::prepare(&input);
        let graph = fast_paths::FastGraph32::new(&prepared);
        let (up_fwd, up_bwd) = up_graphs(&graph, &fastest, roads.nodes.len());
        Self::assemble(roads, up_fwd, up_bwd)
    }

    fn assemble(roads: Roads, up_fwd: UpGraph, up_bwd: UpGraph) -> Self {
        let (lon0, lat0) = centre(&roads.nodes);
        let local = (lon0, lat0, 111_320.0 * lat0.to_radians().cos());
        let to_local = |p: [f64; 2]| [(p[0] - lon0) * local.2, (p[1] - lat0) * 110_574.0];
        let snap_index = RTree::bulk_load(
            roads
                .segments
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let (a, b) = (roads.nodes[s.from as usize], roads.nodes[s.to as usize]);
                    SnapSegment::new(to_local(a), to_local(b), k as u32)
                })
                .filter(|s| s.a.iter().chain(&s.b).all(|v| v.is_finite()))
                .collect(),
        );
        Self {
            roads,
            up_fwd,
            up_bwd,
            snap_index,
            local,
        }
    }

    fn to_local(&self, p: [f64; 2]) -> [f64; 2] {
        [
            (p[0] - self.local.0) * self.local.2,
            (p[1] - self.local.1) * 110_574.0,
        ]
    }

    /// The nearest drivable segment to `lon_lat`, joined at its nearer end.
    pub fn snap(&self, lon_lat: [f64; 2]) -> Option<Snap> {
        if !lon_lat.iter().all(|v| v.is_finite()) {
            return None;
        }
        let p = self.to_local(lon_lat);
        let nearest = self.snap_index.nearest_neighbor(&p)?;
        let (q, t) = project(nearest.a, nearest.b, p);
        let s = self.roads.segments[nearest.segment as usize];
        Some(Snap {
            node: if t < 0.5 { s.from } else { s.to },
            snap_m: (q[0] - p[0]).hypot(q[1] - p[1]),
        })
    }

    /// Travel times and distances between every pair of `points` (WGS84), each snapped to the
    /// network; the origins run side by side on the machine's cores.
    pub fn matrix(&self, points: &[[f64; 2]]) -> Result<RoadMatrix, RoutingError> {
        let snaps = points
            .iter()
            .map(|&p| {
                self.snap(p).ok_or_else(|| {
                    RoutingError::Solver(format!(
                        "point {p:?} cannot be snapped: no roads, or not a position"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let n = snaps.len();
        // Buckets: at each node the backward search from a destination settles, that
        // destination with its time and distance from there.
        let mut buckets: HashMap<u32, Vec<(u32, u32, f32)>> = HashMap::new();
        for (k, s) in snaps.iter().enumerate() {
            for (node, r) in upward(&self.up_bwd, s.node) {
                buckets
                    .entry(node)
                    .or_default()
                    .push((k as u32, r.weight, r.metres));
            }
        }
        // One upward search per origin, the origins side by side on rayon's pool.
        let rows: Vec<Vec<(u32, f32)>> = snaps
            .par_iter()
            .map(|s| {
                let mut best = vec![(u32::MAX, 0.0_f32); n];
                for (node, r) in upward(&self.up_fwd, s.node) {
                    for &(t, wt, mt) in buckets.get(&node).map_or(&[][..], Vec::as_slice) {
                        let total = r.weight.saturating_add(wt);
                        if total < best[t as usize].0 {
                            best[t as usize] = (total, r.metres + mt);
                        }
                    }
                }
                best
            })
            .collect();
        let reached = |(w, _): &(u32, f32)| *w != u32::MAX;
        let seconds = rows
            .iter()
            .flatten()
            .map(|c| reached(c).then(|| f64::from(c.0) / WEIGHT_PER_SECOND))
            .collect();
        let metres = rows
            .iter()
            .flatten()
            .map(|c| reached(c).then(|| f64::from(c.1)))
            .collect();
        Ok(RoadMatrix {
            size: n,
            seconds,
            metres,
            snaps,
        })
    }

    /// The fastest road path between two nodes, node by node: the upward searches from both
    /// meet at the best node, and each hierarchy edge on the way is unpacked into segments.
    pub fn path(&self, from: u32, to: u32) -> Option<Vec<u32>> {
        let fwd: HashMap<u32, Reached> = upward(&self.up_fwd, from).into_iter().collect();
        let bwd: HashMap<u32, Reached> = upward(&self.up_bwd, to).into_iter().collect();
        let meet = fwd
            .iter()
            .filter_map(|(v, f)| bwd.get(v).map(|b| (f.weight.saturating_add(b.weight), *v)))
            .min()?
            .1;
        // Hierarchy edges from `from` up to the meeting node, then down to `to`.
        let before = |tree: &HashMap<u32, Reached>, v: u32| {
            tree.get(&v).map(|r| r.from).filter(|&p| p != NO_VIA)
        };
        let mut up = vec![meet];
        while let Some(p) = before(&fwd, *up.last()?) {
            up.push(p);
        }
        up.reverse();
        let mut down = vec![meet];
        while let Some(p) = before(&bwd, *down.last()?) {
            down.push(p);
        }
        let hops: Vec<u32> = up.into_iter().chain(down.into_iter().skip(1)).collect();
        let mut nodes = vec![from];
        for pair in hops.windows(2) {
            self.unpack(pair[0], pair[1], &mut nodes);
        }
        Some(nodes)
    }

    /// The segments' nodes after `a` on hierarchy edge `a`→`b`, appended to `out`.
    fn unpack(&self, a: u32, b: u32, out: &mut Vec<u32>) {
        let mut stack = vec![(a, b)];
        while let Some((a, b)) = stack.pop() {
            match self.via(a, b) {
                Some(v) => {
                    // a→v first: pushed last.
                    stack.push((v, b));
                    stack.push((a, v));
                }
                None => out.push(b),
            }
        }
    }

    /// The middle node of hierarchy edge `a`→`b` when it is a shortcut: stored at the lower-
    /// ranked end, as an up-edge from `a` or into `b`.
    fn via(&self, a: u32, b: u32) -> Option<u32> {
        let up = self.up_fwd.of(a).iter().find(|e| e.node == b);
        let down = self.up_bwd.of(b).iter().find(|e| e.node == a);
        let edge = match (up, down) {
            (Some(u), Some(d)) => Some(if u.weight <= d.weight { u } else { d }),
            (u, d) => u.or(d),
        }?;
        (edge.via != NO_VIA).then_some(edge.via)
    }

    /// The road line from `a` to `b` (WGS84): the points, their snapped nodes and the path.
    pub fn leg(&self, a: [f64; 2], b: [f64; 2]) -> Option<Vec<[f64; 2]>> {
        let (sa, sb) = (self.snap(a)?, self.snap(b)?);
        let nodes = self.path(sa.node, sb.node)?;
        let mut line = vec![a];
        line.extend(nodes.iter().map(|&n| self.roads.nodes[n as usize]));
        line.push(b);
        Some(line)
    }

    /// Where a network is kept beside its extract: `<extract>.yitu-roads`.
    pub fn beside(pbf: &Path) -> std::path::PathBuf {
        let mut cached = pbf.as_os_str().to_owned();
        cached.push(".yitu-roads");
        std::path::PathBuf::from(cached)
    }

    /// The network of an OSM extract, prepared once and kept at `cached` (beside the project
    /// in the app, [`Self::beside`] the extract on the command line), which is loaded instead
    /// while it is newer than the extract. A folder that cannot be written to only costs the
    /// preparation next time (the error comes back beside the network).
    pub fn prepared(
        pbf: &Path,
        cached: &Path,
        speeds: &Speeds,
    ) -> Result<(Self, Option<RoutingError>), RoutingError> {
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let fresh = matches!((modified(cached), modified(pbf)), (Some(c), Some(p)) if c >= p);
        if fresh && let Ok(network) = Self::load(cached) {
            return Ok((network, None));
        }
        let network = Self::prepare(Roads::from_pbf(pbf, speeds)?);
        let kept = network.save(cached).err();
        Ok((network, kept))
    }
}

/// The mean of the nodes that have a position (a way's node outside an extract's cut has
/// none).
fn centre(nodes: &[[f64; 2]]) -> (f64, f64) {
    let placed = nodes
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite());
    let (n, x, y) = placed.fold((0.0, 0.0, 0.0), |(n, x, y), p| {
        (n + 1.0, x + p[0], y + p[1])
    });
    if n > 0.0 { (x / n, y / n) } else { (0.0, 0.0) }
}
