//! Lines cut into edges at their joins; each edge's ends are set to its nodes' positions, so the
//! geometry meets where the topology says it does.

use geo::Coord;

use crate::geom::lerp;
use crate::network::RiverLine;
use crate::network::snap::Joins;

/// A piece of an input line between two nodes, as digitised.
pub struct Edge {
    pub line: u32,
    /// The piece's number within its line (0 when the line is not cut).
    pub piece: u32,
    pub coords: Vec<Coord<f64>>,
    pub from: u32,
    pub to: u32,
}

/// Cuts every line at its joins.
pub fn split(lines: &[RiverLine], joins: &Joins) -> Vec<Edge> {
    let mut edges = Vec::with_capacity(lines.len());
    for (l, line) in lines.iter().enumerate() {
        let c = &line.coords;
        let [start, end] = joins.ends[l];
        let mut piece = 0;
        let mut from = start;
        let mut current = vec![joins.nodes[start as usize]];
        let mut next_vertex = 1;
        for &(s, t, node) in &joins.cuts[l] {
            current.extend_from_slice(&c[next_vertex..=s]);
            let at = joins.nodes[node as usize];
            current.push(at);
            current.dedup();
            if current.len() >= 2 {
                edges.push(Edge {
                    line: l as u32,
                    piece,
                    coords: std::mem::take(&mut current),
                    from,
                    to: node,
                });
                piece += 1;
            }
            current = vec![at];
            from = node;
            next_vertex = s + 1;
            // A cut exactly on the next vertex keeps that vertex out of the next piece.
            if t >= 1.0 - 1e-12 || lerp(c[s], c[s + 1], t) == c[s + 1] {
                next_vertex = s + 2;
            }
        }
        current.extend_from_slice(&c[next_vertex.min(c.len() - 1)..c.len() - 1]);
        current.push(joins.nodes[end as usize]);
        current.dedup();
        if current.len() >= 2 || from != end {
            if current.len() < 2 {
                current.push(joins.nodes[end as usize]);
            }
            edges.push(Edge {
                line: l as u32,
                piece,
                coords: current,
                from,
                to: end,
            });
        }
    }
    edges
}
