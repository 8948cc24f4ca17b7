//! Joining lines: ends within the snap distance become one node, and a node within the snap
//! distance of another line's middle splits that line there (a tributary meeting a main stem
//! mid-way is a confluence).

use geo::Coord;
use rayon::prelude::*;

use crate::geom::{lerp, metres};
use crate::grid::PointGrid;
use crate::network::RiverLine;
use crate::qa::{Finding, FindingKind};

/// Where the lines meet: the nodes, each line's end nodes and the cuts to make in its middle.
pub struct Joins {
    pub nodes: Vec<Coord<f64>>,
    /// Per line: the node at its start and at its end.
    pub ends: Vec<[u32; 2]>,
    /// Per line: cuts `(segment, fraction along it, node)`, sorted along the line.
    pub cuts: Vec<Vec<(usize, f64, u32)>>,
}

/// How many snap distances away a dangling end is still reported as a gap left open.
const NEAR_MISS: f64 = 10.0;

/// Union-find over endpoints, smallest index as the root so results do not depend on order.
fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let up = parent[parent[i as usize] as usize];
        parent[i as usize] = up;
        i = up;
    }
    i
}

/// Clusters line ends and finds mid-line joins. `lines` have at least two distinct points each.
pub fn join(lines: &[RiverLine], snap_m: f64, qa: &mut Vec<Finding>) -> Joins {
    let ends: Vec<Coord<f64>> = lines
        .iter()
        .flat_map(|l| [l.coords[0], l.coords[l.coords.len() - 1]])
        .collect();
    let grid = PointGrid::new(ends.clone(), snap_m);
    let pairs: Vec<(u32, u32)> = (0..ends.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut near = Vec::new();
            grid.near_segment(ends[i], ends[i], snap_m, |n| {
                if n.point as usize > i {
                    near.push((i as u32, n.point));
                }
            });
            near
        })
        .collect();
    let mut parent: Vec<u32> = (0..ends.len() as u32).collect();
    for (a, b) in pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut node_of_root = vec![u32::MAX; ends.len()];
    let mut nodes = Vec::new();
    let mut end_node = vec![0u32; ends.len()];
    let mut gap = Vec::new();
    for i in 0..ends.len() {
        let r = find(&mut parent, i as u32) as usize;
        if node_of_root[r] == u32::MAX {
            node_of_root[r] = nodes.len() as u32;
            nodes.push(ends[r]);
            gap.push(0.0_f64);
        }
        let n = node_of_root[r];
        end_node[i] = n;
        let d = metres(ends[i], nodes[n as usize]);
        gap[n as usize] = gap[n as usize].max(d);
    }
    for (n, &d) in gap.iter().enumerate() {
        if d > 1e-3 {
            qa.push(Finding::new(
                FindingKind::GapClosed,
                nodes[n],
                None,
                format!("line ends {d:.1} m apart joined"),
            ));
        }
    }
    let line_ends: Vec<[u32; 2]> = end_node.chunks(2).map(|c| [c[0], c[1]]).collect();

    // Each node's nearest other line within the snap distance.
    let reach_m = snap_m * NEAR_MISS;
    let node_grid = PointGrid::new(nodes.clone(), reach_m);
    let hits: Vec<Vec<(u32, usize, f64, f64)>> = lines
        .par_iter()
        .enumerate()
        .map(|(l, line)| {
            let mut found = Vec::new();
            for (s, w) in line.coords.windows(2).enumerate() {
                node_grid.near_segment(w[0], w[1], reach_m, |n| {
                    if !line_ends[l].contains(&n.point) {
                        found.push((n.point, s, n.t, n.metres));
                    }
                });
            }
            found
        })
        .collect();
    let mut best: Vec<Option<(usize, usize, f64, f64)>> = vec![None; nodes.len()];
    let mut near_miss: Vec<Option<(usize, f64)>> = vec![None; nodes.len()];
    for (l, found) in hits.into_iter().enumerate() {
        for (n, s, t, d) in found {
            if d > snap_m {
                let slot = &mut near_miss[n as usize];
                if slot.is_none_or(|b| d < b.1) {
                    *slot = Some((l, d));
                }
                continue;
            }
            let slot = &mut best[n as usize];
            if slot.is_none_or(|b| d < b.3) {
                *slot = Some((l, s, t, d));
            }
        }
    }
    // Dangling ends a little beyond the snap distance from another line: what was not fixed.
    let mut members = vec![0u32; nodes.len()];
    for &n in &end_node {
        members[n as usize] += 1;
    }
    for (n, miss) in near_miss.iter().enumerate() {
        if let (Some((l, d)), None, 1) = (miss, best[n], members[n]) {
            qa.push(Finding::new(
                FindingKind::GapLeft,
                nodes[n],
                Some(lines[*l].id.clone()),
                format!("a line end {d:.1} m from this line, over the snap distance ({snap_m} m): not joined"),
            ));
        }
    }
    let mut cuts: Vec<Vec<(usize, f64, u32)>> = vec![Vec::new(); lines.len()];
    for (n, hit) in best.into_iter().enumerate() {
        let Some((l, s, t, d)) = hit else { continue };
        let c = &lines[l].coords;
        nodes[n] = lerp(c[s], c[s + 1], t);
        cuts[l].push((s, t, n as u32));
        qa.push(Finding::new(
            FindingKind::JoinedMidLine,
            nodes[n],
            Some(lines[l].id.clone()),
            format!("a line end {d:.1} m from the middle of this line joined to it"),
        ));
    }
    for c in &mut cuts {
        c.sort_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        c.dedup_by_key(|x| x.2);
    }
    Joins {
        nodes,
        ends: line_ends,
        cuts,
    }
}

#[cfg(test)]
mod tests {
    use crate::network::{BuildOptions, Network, RiverLine};
    use crate::qa::FindingKind;
    use geo::coord;

    /// A tributary stopping 30 m short of a main stem: joined with a 50 m snap, reported as a
    /// gap left open with the default 10 m.
    #[test]
    fn an_end_beside_a_line_is_joined_or_reported() {
        let main = RiverLine {
            id: "M".to_owned(),
            name: "干".to_owned(),
            coords: vec![coord! { x: 106.0, y: 29.0 }, coord! { x: 106.1, y: 29.0 }],
            velocity_m_s: None,
        };
        // 30 m north of the main stem's middle.
        let trib = RiverLine {
            id: "T".to_owned(),
            name: "支".to_owned(),
            coords: vec![
                coord! { x: 106.05, y: 29.05 },
                coord! { x: 106.05, y: 29.00027 },
            ],
            velocity_m_s: None,
        };
        let build = |snap_m| {
            Network::build(
                vec![main.clone(), trib.clone()],
                &BuildOptions {
                    snap_m,
                    ..BuildOptions::default()
                },
            )
        };
        let joined = build(50.0);
        assert_eq!(
            joined.reaches.len(),
            3,
            "the main stem cut at the confluence"
        );
        assert!(
            joined
                .qa
                .iter()
                .any(|f| f.kind == FindingKind::JoinedMidLine)
        );
        let apart = build(10.0);
        assert_eq!(apart.reaches.len(), 2);
        let gap = apart
            .qa
            .iter()
            .find(|f| f.kind == FindingKind::GapLeft)
            .expect("the gap is reported");
        assert_eq!(gap.line.as_deref(), Some("M"));
        assert!(apart.qa.iter().any(|f| f.kind == FindingKind::Disconnected));
    }
}
