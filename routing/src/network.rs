//! Road networks: the drivable graph of an OpenStreetMap extract, its contraction hierarchy
//! (fast_paths) and many-to-many travel-time and distance matrices with snapped endpoints.
//!
//! The hierarchy is prepared once by fast_paths and then kept in its 32-bit form, whose
//! up-edges are public: matrices come from a bucket search over them (one upward search per
//! origin and per destination, not one query per pair), and the prepared network is saved
//! beside the project in that form so it loads without preparing again.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use rstar::{AABB, PointDistance, RTree, RTreeObject};

use crate::RoutingError;

/// Speeds per OSM `highway` class, km/h. Links take their road's speed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Speeds {
    pub motorway: f64,
    pub trunk: f64,
    pub primary: f64,
    pub secondary: f64,
    pub tertiary: f64,
    pub unclassified: f64,
    pub residential: f64,
    pub living_street: f64,
    pub service: f64,
}

impl Speeds {
    /// Chongqing's urban traffic: congested arterials, slow side streets.
    pub fn urban() -> Self {
        Self {
            motorway: 70.0,
            trunk: 50.0,
            primary: 35.0,
            secondary: 30.0,
            tertiary: 25.0,
            unclassified: 20.0,
            residential: 15.0,
            living_street: 8.0,
            service: 10.0,
        }
    }

    /// Rural districts: expressways at their limit, mountain roads slow.
    pub fn rural() -> Self {
        Self {
            motorway: 100.0,
            trunk: 70.0,
            primary: 55.0,
            secondary: 45.0,
            tertiary: 35.0,
            unclassified: 30.0,
            residential: 20.0,
            living_street: 10.0,
            service: 15.0,
        }
    }

    /// The speed on a way of `highway` class, `None` where cars do not drive.
    pub fn of(&self, highway: &str) -> Option<f64> {
        Some(match highway.trim_end_matches("_link") {
            "motorway" => self.motorway,
            "trunk" => self.trunk,
            "primary" => self.primary,
            "secondary" => self.secondary,
            "tertiary" => self.tertiary,
            "unclassified" | "road" => self.unclassified,
            "residential" => self.residential,
            "living_street" => self.living_street,
            "service" => self.service,
            _ => return None,
        })
    }
}

/// A directed road segment between two graph nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub from: u32,
    pub to: u32,
    pub seconds: f32,
    pub metres: f32,
}

/// The drivable graph of an extract: node positions (WGS84) and directed segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roads {
    pub nodes: Vec<[f64; 2]>,
    pub segments: Vec<Segment>,
}

/// Great-circle distance in metres between two lon/lat points (geo's haversine, on the mean
/// earth radius).
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    use geo::{Distance as _, Haversine, Point};
    Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// How a way may be driven: both ways, along its nodes, or against them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Both,
    Forward,
    Backward,
}

fn direction(highway: &str, oneway: Option<&str>, junction: Option<&str>) -> Direction {
    match oneway {
        Some("yes" | "1" | "true") => Direction::Forward,
        Some("-1" | "reverse") => Direction::Backward,
        Some("no" | "0" | "false") => Direction::Both,
        _ if highway == "motorway" || junction == Some("roundabout") => Direction::Forward,
        _ => Direction::Both,
    }
}

impl Roads {
    /// Adds the segment from node `a` to node `b` at `kmh` (and back, when `both_ways`), its
    /// length the great-circle distance between them.
    pub fn connect(&mut self, a: u32, b: u32, kmh: f64, both_ways: bool) {
        let metres = haversine_m(self.nodes[a as usize], self.nodes[b as usize]) as f32;
        let seconds = (f64::from(metres) / (kmh / 3.6)) as f32;
        let s = Segment {
            from: a,
            to: b,
            seconds,
            metres,
        };
        self.segments.push(s);
        if both_ways {
            self.segments.push(Segment {
                from: b,
                to: a,
                ..s
            });
        }
    }

    /// Reads the drivable ways of an OSM PBF extract (two passes: ways, then their nodes).
    pub fn from_pbf(path: &Path, speeds: &Speeds) -> Result<Self, RoutingError> {
        let bad = |e: osmpbf::Error| RoutingError::Input {
            path: path.to_path_buf(),
            message: format!("not a readable OSM PBF file: {e}"),
        };
        let mut ways: Vec<(Vec<i64>, f64, Direction)> = Vec::new();
        osmpbf::ElementReader::from_path(path)
            .map_err(bad)?
            .for_each(|element| {
                if let osmpbf::Element::Way(way) = element {
                    let (mut highway, mut oneway, mut junction, mut access) =
                        (None, None, None, None);
                    for (k, v) in way.tags() {
                        match k {
                            "highway" => highway = Some(v),
                            "oneway" => oneway = Some(v),
                            "junction" => junction = Some(v),
                            "access" | "motor_vehicle" => access = Some(v),
                            _ => {}
                        }
                    }
                    let Some(highway) = highway else { return };
                    let Some(speed) = speeds.of(highway) else {
                        return;
                    };
                    if matches!(access, Some("no" | "private")) {
                        return;
                    }
                    let refs: Vec<i64> = way.refs().collect();
                    if refs.len() >= 2 {
                        ways.push((refs, speed, direction(highway, oneway, junction)));
                    }
                }
            })
            .map_err(bad)?;
        if ways.is_empty() {
            return Err(RoutingError::Input {
                path: path.to_path_buf(),
                message: "no drivable roads in the extract".to_owned(),
            });
        }
        let mut index: HashMap<i64, u32> = HashMap::new();
        for id in ways.iter().flat_map(|(refs, ..)| refs) {
            let next = index.len() as u32;
            index.entry(*id).or_insert(next);
        }
        let mut nodes = vec![[f64::NAN; 2]; index.len()];
        osmpbf::ElementReader::from_path(path)
            .map_err(bad)?
            .for_each(|element| {
                let (id, lon, lat) = match element {
                    osmpbf::Element::Node(n) => (n.id(), n.lon(), n.lat()),
                    osmpbf::Element::DenseNode(n) => (n.id(), n.lon(), n.lat()),
                    _ => return,
                };
                if let Some(&k) = index.get(&id) {
                    nodes[k as usize] = [lon, lat];
                }
            })
            .map_err(bad)?;
        let mut roads = Self {
            nodes,
            segments: Vec::new(),
        };
        for (refs, speed, dir) in &ways {
            for pair in refs.windows(2) {
                let (a, b) = (index[&pair[0]], index[&pair[1]]);
                let (pa, pb) = (roads.nodes[a as usize], roads.nodes[b as usize]);
                if a == b || pa[0].is_nan() || pb[0].is_nan() {
                    // A node outside the extract's cut.
                    continue;
                }
                match dir {
                    Direction::Forward => roads.connect(a, b, *speed, false),
                    Direction::Backward => roads.connect(b, a, *speed, false),
                    Direction::Both => roads.connect(a, b, *speed, true),
                }
            }
        }
        Ok(roads)
    }
}

/// One up-edge of the hierarchy: to a higher-ranked node, with its travel time (tenths of a
/// second) and its length (metres, the shortcut's whole path).
#[derive(Debug, Clone, Copy, PartialEq)]
struct UpEdge {
    node: u32,
    weight: u32,
    metres: f32,
    /// A shortcut's middle node, which unpacks it into two edges; [`NO_VIA`] for a segment.
    via: u32,
}

/// The `via` of an edge that is a road segment, not a shortcut.
const NO_VIA: u32 = u32::MAX;

/// Up-edges by node, in compressed rows.
#[derive(Debug, Clone, Default, PartialEq)]
struct UpGraph {
    first: Vec<u32>,
    edges: Vec<UpEdge>,
}

impl UpGraph {
    fn of(&self, node: u32) -> &[UpEdge] {
        let n = node as usize;
        &self.edges[self.first[n] as usize..self.first[n + 1] as usize]
    }
}

/// A segment in local metres for snapping.
struct SnapSegment {
    a: [f64; 2],
    b: [f64; 2],
    /// Index into the roads' segments.
    segment: u32,
}

impl RTreeObject for SnapSegment {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.a, self.b)
    }
}

impl PointDistance for SnapSegment {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        let (q, _) = project(self.a, self.b, *p);
        (q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)
    }
}

/// The closest point of segment a–b to p, and how far along it lies (0–1).
fn project(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> ([f64; 2], f64) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ([a[0] + t * dx, a[1] + t * dy], t)
}

/// Where a point joins the network: the node it is routed from and to, and how far it lies
/// from the nearest drivable segment.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Snap {
    pub node: u32,
    pub snap_m: f64,
}

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
                .map(|(k, s)| SnapSegment {
                    a: to_local(roads.nodes[s.from as usize]),
                    b: to_local(roads.nodes[s.to as usize]),
                    segment: k as u32,
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
    /// network; runs on `threads` threads.
    pub fn matrix(&self, points: &[[f64; 2]], threads: usize) -> Result<RoadMatrix, RoutingError> {
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
        let mut seconds = vec![None; n * n];
        let mut metres = vec![None; n * n];
        let rows_per = n.div_ceil(threads.max(1)).max(1);
        std::thread::scope(|scope| {
            let buckets = &buckets;
            for ((sec_rows, met_rows), sources) in seconds
                .chunks_mut(rows_per * n)
                .zip(metres.chunks_mut(rows_per * n))
                .zip(snaps.chunks(rows_per))
            {
                scope.spawn(move || {
                    for (row, s) in sources.iter().enumerate() {
                        let mut best = vec![(u32::MAX, 0.0_f32); n];
                        for (
                            node,
                            Reached {
                                weight: w,
                                metres: m,
                                ..
                            },
                        ) in upward(&self.up_fwd, s.node)
                        {
                            if let Some(entries) = buckets.get(&node) {
                                for &(t, wt, mt) in entries {
                                    let total = w.saturating_add(wt);
                                    if total < best[t as usize].0 {
                                        best[t as usize] = (total, m + mt);
                                    }
                                }
                            }
                        }
                        for (t, &(w, m)) in best.iter().enumerate() {
                            if w != u32::MAX {
                                sec_rows[row * n + t] = Some(f64::from(w) / WEIGHT_PER_SECOND);
                                met_rows[row * n + t] = Some(f64::from(m));
                            }
                        }
                    }
                });
            }
        });
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

    /// Saves the prepared network (roads and hierarchy) to `path`, through a temporary file.
    pub fn save(&self, path: &Path) -> Result<(), RoutingError> {
        let io = |error| RoutingError::Io {
            path: path.to_path_buf(),
            error,
        };
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            w.write_all(MAGIC).map_err(io)?;
            write_u32s(&mut w, &[self.roads.nodes.len() as u32]).map_err(io)?;
            for p in &self.roads.nodes {
                w.write_all(&p[0].to_le_bytes()).map_err(io)?;
                w.write_all(&p[1].to_le_bytes()).map_err(io)?;
            }
            write_u32s(&mut w, &[self.roads.segments.len() as u32]).map_err(io)?;
            for s in &self.roads.segments {
                write_u32s(
                    &mut w,
                    &[s.from, s.to, s.seconds.to_bits(), s.metres.to_bits()],
                )
                .map_err(io)?;
            }
            for g in [&self.up_fwd, &self.up_bwd] {
                write_u32s(&mut w, &[g.first.len() as u32]).map_err(io)?;
                write_u32s(&mut w, &g.first).map_err(io)?;
                write_u32s(&mut w, &[g.edges.len() as u32]).map_err(io)?;
                for e in &g.edges {
                    write_u32s(&mut w, &[e.node, e.weight, e.metres.to_bits(), e.via])
                        .map_err(io)?;
                }
            }
            w.flush().map_err(io)?;
        }
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// Loads a network [`RoadNetwork::save`] wrote.
    pub fn load(path: &Path) -> Result<Self, RoutingError> {
        let bad = |message: &str| RoutingError::Input {
            path: path.to_path_buf(),
            message: message.to_owned(),
        };
        let bytes = std::fs::read(path).map_err(|error| RoutingError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let body = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("not a prepared Yitu road network"))?;
        let mut r = Cursor { bytes: body, at: 0 };
        let truncated = || bad("the prepared network is truncated");
        let n = r.u32().ok_or_else(truncated)? as usize;
        let mut nodes = Vec::with_capacity(n.min(body.len() / 16));
        for _ in 0..n {
            nodes.push([
                r.f64().ok_or_else(truncated)?,
                r.f64().ok_or_else(truncated)?,
            ]);
        }
        let m = r.u32().ok_or_else(truncated)? as usize;
        let mut segments = Vec::with_capacity(m.min(body.len() / 16));
        for _ in 0..m {
            let v = r.u32s(4).ok_or_else(truncated)?;
            segments.push(Segment {
                from: v[0],
                to: v[1],
                seconds: f32::from_bits(v[2]),
                metres: f32::from_bits(v[3]),
            });
        }
        let mut graphs = Vec::new();
        for _ in 0..2 {
            let f = r.u32().ok_or_else(truncated)? as usize;
            let first = r.u32s(f).ok_or_else(truncated)?;
            let e = r.u32().ok_or_else(truncated)? as usize;
            let mut edges = Vec::with_capacity(e.min(body.len() / 16));
            for _ in 0..e {
                let v = r.u32s(4).ok_or_else(truncated)?;
                edges.push(UpEdge {
                    node: v[0],
                    weight: v[1],
                    metres: f32::from_bits(v[2]),
                    via: v[3],
                });
            }
            let consistent = first.len() == n + 1
                && first.windows(2).all(|w| w[0] <= w[1])
                && first.last().is_some_and(|&l| l as usize == edges.len())
                && edges
                    .iter()
                    .all(|e| (e.node as usize) < n && (e.via == NO_VIA || (e.via as usize) < n));
            if !consistent {
                return Err(bad("the prepared network is inconsistent"));
            }
            graphs.push(UpGraph { first, edges });
        }
        let segments_ok = segments
            .iter()
            .all(|s| (s.from as usize) < n && (s.to as usize) < n);
        if !segments_ok || r.at != body.len() {
            return Err(bad("the prepared network is inconsistent"));
        }
        let up_bwd = graphs.pop().unwrap_or_default();
        let up_fwd = graphs.pop().unwrap_or_default();
        Ok(Self::assemble(Roads { nodes, segments }, up_fwd, up_bwd))
    }
}

const MAGIC: &[u8] = b"YITU-ROADS-2\n";

fn write_u32s(w: &mut impl Write, values: &[u32]) -> std::io::Result<()> {
    for v in values {
        w.write_all(&v.to_le_bytes())?;
    }
    Ok(())
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        let mut b = [0; 4];
        self.take(4)?.read_exact(&mut b).ok()?;
        Some(u32::from_le_bytes(b))
    }

    fn f64(&mut self) -> Option<f64> {
        let mut b = [0; 8];
        self.take(8)?.read_exact(&mut b).ok()?;
        Some(f64::from_le_bytes(b))
    }

    fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        (0..n).map(|_| self.u32()).collect()
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

/// The up-graphs of a prepared hierarchy, with each edge's length unpacked from the segments
/// its shortcuts replace (`fastest`: the length of the segment the hierarchy kept per pair).
fn up_graphs(
    g: &fast_paths::FastGraph32,
    fastest: &HashMap<(u32, u32), (u32, f32)>,
    nodes: usize,
) -> (UpGraph, UpGraph) {
    const NONE: u32 = u32::MAX;
    // Lengths of fwd and bwd edges, filled in on demand with an explicit stack (a shortcut
    // replaces one bwd and one fwd edge).
    let mut fwd_m = vec![f32::NAN; g.edges_fwd.len()];
    let mut bwd_m = vec![f32::NAN; g.edges_bwd.len()];
    let original = |a: u32, b: u32| fastest.get(&(a, b)).map_or(0.0, |&(_, m)| m);
    let mut stack: Vec<(bool, u32)> = Vec::new();
    for start in (0..g.edges_fwd.len())
        .map(|e| (true, e as u32))
        .chain((0..g.edges_bwd.len()).map(|e| (false, e as u32)))
    {
        stack.push(start);
        while let Some(&(is_fwd, e)) = stack.last() {
            let edge = if is_fwd {
                &g.edges_fwd[e as usize]
            } else {
                &g.edges_bwd[e as usize]
            };
            let known = if is_fwd { &fwd_m } else { &bwd_m };
            if !known[e as usize].is_nan() {
                stack.pop();
                continue;
            }
            let length = if edge.replaced_in_edge == NONE {
                Some(if is_fwd {
                    original(edge.base_node, edge.adj_node)
                } else {
                    original(edge.adj_node, edge.base_node)
                })
            } else {
                let (i, o) = (edge.replaced_in_edge, edge.replaced_out_edge);
                let (mi, mo) = (bwd_m[i as usize], fwd_m[o as usize]);
                if mi.is_nan() {
                    stack.push((false, i));
                }
                if mo.is_nan() {
                    stack.push((true, o));
                }
                (!mi.is_nan() && !mo.is_nan()).then_some(mi + mo)
            };
            if let Some(m) = length {
                if is_fwd {
                    fwd_m[e as usize] = m;
                } else {
                    bwd_m[e as usize] = m;
                }
                stack.pop();
            }
        }
    }
    // (The edge type is not exported: an edge is read through `edge(k)` = (node, weight,
    // via); a shortcut's middle node is where its replaced bwd edge is stored.)
    let via_of = |replaced_in: u32| {
        if replaced_in == NONE {
            NO_VIA
        } else {
            g.edges_bwd[replaced_in as usize].base_node
        }
    };
    let rows = |first: &[u32], edge: &dyn Fn(usize) -> (u32, u32, u32), metres: &[f32]| {
        let mut out = UpGraph {
            first: Vec::with_capacity(nodes + 1),
            edges: Vec::with_capacity(metres.len()),
        };
        for v in 0..nodes {
            out.first.push(out.edges.len() as u32);
            // Rows are by rank; the hierarchy counts nodes up to the highest id on a segment.
            let rank = g.ranks.get(v).map_or(usize::MAX, |&r| r as usize);
            let (a, b) = match (first.get(rank), first.get(rank.wrapping_add(1))) {
                (Some(&a), Some(&b)) => (a as usize, b as usize),
                _ => (0, 0),
            };
            for (k, &m) in metres.iter().enumerate().take(b).skip(a) {
                let (node, weight, via) = edge(k);
                out.edges.push(UpEdge {
                    node,
                    weight,
                    metres: m,
                    via,
                });
            }
        }
        out.first.push(out.edges.len() as u32);
        out
    };
    (
        rows(
            &g.first_edge_ids_fwd,
            &|k| {
                let e = &g.edges_fwd[k];
                (e.adj_node, e.weight, via_of(e.replaced_in_edge))
            },
            &fwd_m,
        ),
        rows(
            &g.first_edge_ids_bwd,
            &|k| {
                let e = &g.edges_bwd[k];
                (e.adj_node, e.weight, via_of(e.replaced_in_edge))
            },
            &bwd_m,
        ),
    )
}

/// How an upward search reached a node: weight and length from its start, and the node
/// before it ([`NO_VIA`] for the start).
#[derive(Debug, Clone, Copy)]
struct Reached {
    weight: u32,
    metres: f32,
    from: u32,
}

/// Every node the upward search from `from` settles, in the order it settles them.
fn upward(graph: &UpGraph, from: u32) -> Vec<(u32, Reached)> {
    use std::cmp::Reverse;
    let mut best: HashMap<u32, Reached> = HashMap::new();
    let mut heap = std::collections::BinaryHeap::new();
    best.insert(
        from,
        Reached {
            weight: 0,
            metres: 0.0,
            from: NO_VIA,
        },
    );
    heap.push(Reverse((0_u32, from)));
    let mut settled = Vec::new();
    while let Some(Reverse((w, v))) = heap.pop() {
        let Some(&reached) = best.get(&v) else {
            continue;
        };
        if w > reached.weight {
            continue;
        }
        settled.push((v, reached));
        for e in graph.of(v) {
            let nw = w.saturating_add(e.weight);
            if best.get(&e.node).is_none_or(|o| nw < o.weight) {
                let next = Reached {
                    weight: nw,
                    metres: reached.metres + e.metres,
                    from: v,
                };
                best.insert(e.node, next);
                heap.push(Reverse((nw, e.node)));
            }
        }
    }
    settled
}
