//! A directed river network built from any line layer: ends snapped, lines split where others
//! join them, each chain turned to flow towards the outlets, and per reach its Strahler order,
//! the river above it and its velocity.

mod chains;
mod direction;
mod order;
mod snap;
mod split;

use geo::Coord;
use rustc_hash::FxHashMap;

use crate::geom::{cumulative, metres};
use crate::qa::{Finding, FindingKind};
pub use direction::Choice;

/// A river line as read: its id, name, points and a velocity when the file gives one.
#[derive(Debug, Clone)]
pub struct RiverLine {
    pub id: String,
    pub name: String,
    pub coords: Vec<Coord<f64>>,
    pub velocity_m_s: Option<f64>,
}

impl RiverLine {
    /// A feature's lines, one per part of its geometry: `id/k` (from 1) when there are several.
    pub fn of_parts(
        id: &str,
        name: &str,
        velocity_m_s: Option<f64>,
        parts: Vec<Vec<Coord<f64>>>,
    ) -> impl Iterator<Item = Self> {
        let many = parts.len() > 1;
        parts.into_iter().enumerate().map(move |(k, coords)| Self {
            id: if many {
                format!("{id}/{}", k + 1)
            } else {
                id.to_owned()
            },
            name: name.to_owned(),
            coords,
            velocity_m_s,
        })
    }
}

/// How to build: the snap distance, outlets and heights for leaves.
#[derive(Default)]
pub struct BuildOptions<'a> {
    /// Ends (and ends to line middles) closer than this are joined; the default is 10 m.
    pub snap_m: f64,
    /// Places water leaves the network (mouths, diversion ends), WGS84.
    pub outlets: Vec<Coord<f64>>,
    /// Ground height at a point, when a DEM was given.
    pub height: Option<&'a dyn Fn(Coord<f64>) -> Option<f64>>,
}

/// A reach: a piece of river between two nodes, its points in the direction of flow.
#[derive(Debug, Clone)]
pub struct Reach {
    /// The input line's id, with `-k` (from 1) when the line was cut into pieces.
    pub id: String,
    pub name: String,
    pub coords: Vec<Coord<f64>>,
    /// Length along the reach at each point, metres.
    pub cum: Vec<f64>,
    /// Upstream and downstream node.
    pub from: u32,
    pub to: u32,
    pub strahler: u32,
    /// Length of river above the reach's downstream end (the reach included), metres.
    pub upstream_m: f64,
    pub velocity_m_s: Option<f64>,
    /// The input line it came from.
    pub line: u32,
    /// Whether it was turned against its digitised direction.
    pub turned: bool,
}

impl Reach {
    pub fn length_m(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }
}

/// The network: reaches, node positions, what arrives at and leaves each node, and the QA.
pub struct Network {
    pub reaches: Vec<Reach>,
    pub nodes: Vec<Coord<f64>>,
    arriving: Adjacency,
    leaving: Adjacency,
    /// Nodes from upstream to downstream, when the network has no loop: shortest ways along
    /// the flow are then one pass in this order, with no heap.
    node_order: Option<Vec<u32>>,
    pub qa: Vec<Finding>,
}

/// Reaches per node in one flat list (compressed rows).
struct Adjacency {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Adjacency {
    fn new(node_count: usize, key: impl Fn(usize) -> u32, count: usize) -> Self {
        let mut start = vec![0u32; node_count + 1];
        for r in 0..count {
            start[key(r) as usize + 1] += 1;
        }
        for i in 0..node_count {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; count];
        for r in 0..count {
            let k = key(r) as usize;
            items[fill[k] as usize] = r as u32;
            fill[k] += 1;
        }
        Self { start, items }
    }

    fn of(&self, node: u32) -> &[u32] {
        &self.items[self.start[node as usize] as usize..self.start[node as usize + 1] as usize]
    }
}

impl Network {
    /// Reaches flowing into a node.
    pub fn arriving(&self, node: u32) -> &[u32] {
        self.arriving.of(node)
    }

    /// Reaches flowing out of a node.
    pub fn leaving(&self, node: u32) -> &[u32] {
        self.leaving.of(node)
    }

    /// Nodes from upstream to downstream; `None` when a loop leaves some unordered.
    pub fn node_order(&self) -> Option<&[u32]> {
        self.node_order.as_deref()
    }

    /// Total length of the network, metres.
    pub fn length_m(&self) -> f64 {
        self.reaches.iter().map(Reach::length_m).sum()
    }

    /// Builds the network. Lines with fewer than two distinct points are left out (and named in
    /// the QA).
    pub fn build(mut lines: Vec<RiverLine>, options: &BuildOptions) -> Self {
        let mut qa = Vec::new();
        clean(&mut lines, &mut qa);
        let snap_m = if options.snap_m > 0.0 {
            options.snap_m
        } else {
            10.0
        };
        let joins = snap::join(&lines, snap_m, &mut qa);
        let edges = split::split(&lines, &joins);
        let lengths: Vec<f64> = edges
            .iter()
            .map(|e| cumulative(&e.coords).last().copied().unwrap_or(0.0))
            .collect();
        let ends: Vec<[u32; 2]> = edges.iter().map(|e| [e.from, e.to]).collect();
        let (chains, degree) = chains::chains(joins.nodes.len(), &ends, &lengths);
        let given = outlet_nodes(&options.outlets, &joins.nodes, &degree, &mut qa);
        let height: Option<Vec<Option<f64>>> = options.height.map(|h| {
            joins
                .nodes
                .iter()
                .zip(&degree)
                .map(|(&c, &d)| if d == 1 { h(c) } else { None })
                .collect()
        });
        let orientation = direction::orient(&direction::Inputs {
            chains: &chains,
            degree: &degree,
            given: &given,
            height: height.as_deref(),
        });
        let mut turned = vec![false; edges.len()];
        for (c, chain) in chains.iter().enumerate() {
            for &(e, forward) in &chain.edges {
                turned[e as usize] = forward != orientation.flows_ab[c];
            }
        }
        report(
            &lines,
            &joins.nodes,
            &edges,
            &turned,
            &chains,
            &orientation,
            &mut qa,
        );
        let pieces = count_pieces(&edges);
        let mut reaches: Vec<Reach> = edges
            .into_iter()
            .zip(turned)
            .map(|(mut e, turned)| {
                let line = &lines[e.line as usize];
                let (mut from, mut to) = (e.from, e.to);
                if turned {
                    e.coords.reverse();
                    std::mem::swap(&mut from, &mut to);
                }
                let id = if pieces[&e.line] > 1 {
                    format!("{}-{}", line.id, e.piece + 1)
                } else {
                    line.id.clone()
                };
                Reach {
                    id,
                    name: line.name.clone(),
                    cum: cumulative(&e.coords),
                    coords: e.coords,
                    from,
                    to,
                    strahler: 0,
                    upstream_m: 0.0,
                    velocity_m_s: line.velocity_m_s,
                    line: e.line,
                    turned,
                }
            })
            .collect();
        let node_count = joins.nodes.len();
        let arriving = Adjacency::new(node_count, |r| reaches[r].to, reaches.len());
        let leaving = Adjacency::new(node_count, |r| reaches[r].from, reaches.len());
        let from: Vec<u32> = reaches.iter().map(|r| r.from).collect();
        let to: Vec<u32> = reaches.iter().map(|r| r.to).collect();
        let lengths: Vec<f64> = reaches.iter().map(Reach::length_m).collect();
        let (topo, node_order) = order::topological(&from, &to, node_count);
        let (strahler, upstream) =
            order::strahler_and_upstream(&topo, &from, &lengths, |v| arriving.of(v).to_vec());
        for (r, reach) in reaches.iter_mut().enumerate() {
            reach.strahler = strahler[r];
            reach.upstream_m = upstream[r];
        }
        Self {
            reaches,
            nodes: joins.nodes,
            arriving,
            leaving,
            node_order,
            qa,
        }
    }
}

/// Drops repeated points and lines with fewer than two distinct points.
fn clean(lines: &mut Vec<RiverLine>, qa: &mut Vec<Finding>) {
    lines.retain_mut(|line| {
        let before = line.coords.len();
        line.coords.dedup();
        if line.coords.len() < before && line.coords.len() >= 2 {
            qa.push(Finding::new(
                FindingKind::DuplicateVertices,
                line.coords[0],
                Some(line.id.clone()),
                format!("{} repeated points dropped", before - line.coords.len()),
            ));
        }
        if line.coords.len() < 2 {
            let at = line.coords.first().copied().unwrap_or_default();
            qa.push(Finding::new(
                FindingKind::Degenerate,
                at,
                Some(line.id.clone()),
                "fewer than two distinct points: left out".to_owned(),
            ));
            return false;
        }
        true
    });
}

/// Given outlets as the nearest node that ends a chain (a leaf first).
fn outlet_nodes(
    outlets: &[Coord<f64>],
    nodes: &[Coord<f64>],
    degree: &[u32],
    qa: &mut Vec<Finding>,
) -> Vec<u32> {
    outlets
        .iter()
        .filter_map(|&o| {
            let nearest = |want_leaf: bool| {
                (0..nodes.len())
                    .filter(|&v| {
                        if want_leaf {
                            degree[v] == 1
                        } else {
                            degree[v] != 2 && degree[v] > 0
                        }
                    })
                    .map(|v| (v, metres(o, nodes[v])))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
            };
            let (v, d) = match (nearest(true), nearest(false)) {
                (Some(leaf), Some(any)) if any.1 < leaf.1 * 0.5 => any,
                (Some(leaf), _) => leaf,
                (None, any) => any?,
            };
            if d > 1000.0 {
                qa.push(Finding::new(
                    FindingKind::OutletFar,
                    o,
                    None,
                    format!("outlet {d:.0} m from the nearest line end; taken there"),
                ));
            }
            Some(v as u32)
        })
        .collect()
}

fn count_pieces(edges: &[split::Edge]) -> FxHashMap<u32, u32> {
    let mut pieces: FxHashMap<u32, u32> = FxHashMap::default();
    for e in edges {
        *pieces.entry(e.line).or_default() += 1;
    }
    pieces
}

/// The orientation's findings in words.
fn report(
    lines: &[RiverLine],
    nodes: &[Coord<f64>],
    edges: &[split::Edge],
    turned: &[bool],
    chains: &[chains::Chain],
    orientation: &direction::Orientation,
    qa: &mut Vec<Finding>,
) {
    let mut turned_lines: Vec<u32> = edges
        .iter()
        .zip(turned)
        .filter(|(_, t)| **t)
        .map(|(e, _)| e.line)
        .collect();
    turned_lines.dedup();
    for l in turned_lines {
        let line = &lines[l as usize];
        qa.push(Finding::new(
            FindingKind::Reversed,
            line.coords[0],
            Some(line.id.clone()),
            "digitised against the flow: turned".to_owned(),
        ));
    }
    for &(v, choice) in &orientation.chosen {
        let (kind, why) = match choice {
            direction::Choice::Diversion => (
                FindingKind::Diversion,
                "a channel digitised away from the network: water leaves here",
            ),
            direction::Choice::DigitisedOut => (
                FindingKind::Mouth,
                "mouth: the one line end the lines are digitised towards",
            ),
            direction::Choice::Majority => (
                FindingKind::Mouth,
                "mouth: the end most of the digitised length flows to",
            ),
            direction::Choice::Dem => (FindingKind::Mouth, "mouth: the lowest line end on the DEM"),
        };
        qa.push(Finding::new(kind, nodes[v as usize], None, why.to_owned()));
    }
    for braid in &orientation.braids {
        let at = nodes[chains[braid[0] as usize].a as usize];
        qa.push(Finding::new(
            FindingKind::Braid,
            at,
            None,
            format!(
                "{} channels part and meet again: every branch is followed",
                braid.len()
            ),
        ));
    }
    for _ in &orientation.loops {
        qa.push(Finding::new(
            FindingKind::Loop,
            nodes[0],
            None,
            "a loop with no way out: flow as digitised".to_owned(),
        ));
    }
    // Parts other than the largest.
    let mut length_by_part: FxHashMap<u32, (f64, u32, u32)> = FxHashMap::default();
    for (c, chain) in chains.iter().enumerate() {
        // A ring of pass-through nodes has no part of its own: it is one.
        let part = match orientation.component[chain.a as usize] {
            u32::MAX => u32::MAX - c as u32,
            p => p,
        };
        for &(e, _) in &chain.edges {
            let entry = length_by_part.entry(part).or_insert((0.0, 0, e));
            entry.0 += cumulative(&edges[e as usize].coords)
                .last()
                .copied()
                .unwrap_or(0.0);
            entry.1 += 1;
        }
    }
    let mut parts: Vec<(u32, (f64, u32, u32))> = length_by_part.into_iter().collect();
    parts.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
    for (_, (len, count, first)) in parts.iter().skip(1) {
        let edge = &edges[*first as usize];
        qa.push(Finding::new(
            FindingKind::Disconnected,
            edge.coords[0],
            Some(lines[edge.line as usize].id.clone()),
            format!(
                "a part of {count} reaches, {:.1} km, not joined to the main network",
                len / 1000.0
            ),
        ));
    }
}
