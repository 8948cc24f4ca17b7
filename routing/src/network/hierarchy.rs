//! The contraction hierarchy's up-graphs, with each edge's length and middle node, and the
//! upward searches over them.

use std::collections::HashMap;

/// One up-edge of the hierarchy: to a higher-ranked node, with its travel time (tenths of a
/// second) and its length (metres, the shortcut's whole path).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct UpEdge {
    pub(super) node: u32,
    pub(super) weight: u32,
    pub(super) metres: f32,
    /// A shortcut's middle node, which unpacks it into two edges; [`NO_VIA`] for a segment.
    pub(super) via: u32,
}

/// The `via` of an edge that is a road segment, not a shortcut.
pub(super) const NO_VIA: u32 = u32::MAX;

/// Up-edges by node, in compressed rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct UpGraph {
    pub(super) first: Vec<u32>,
    pub(super) edges: Vec<UpEdge>,
}

impl UpGraph {
    pub(super) fn of(&self, node: u32) -> &[UpEdge] {
        let n = node as usize;
        &self.edges[self.first[n] as usize..self.first[n + 1] as usize]
    }
}
/// The up-graphs of a prepared hierarchy, with each edge's length unpacked from the segments
/// its shortcuts replace (`fastest`: the length of the segment the hierarchy kept per pair).
pub(super) fn up_graphs(
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
pub(super) struct Reached {
    pub(super) weight: u32,
    pub(super) metres: f32,
    pub(super) from: u32,
}

/// Every node the upward search from `from` settles, in the order it settles them.
pub(super) fn upward(graph: &UpGraph, from: u32) -> Vec<(u32, Reached)> {
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
