//! Which way each chain flows. Water leaves at outlets (given, or the network's own: leaf
//! chains digitised towards their leaf, else the mouth most of the digitised length agrees on,
//! or the lowest leaf on a DEM) and comes from every other leaf. A chain whose removal cuts the
//! network (a bridge) flows from the side that has no outlet, or from the side with the sources
//! to the side without; chains in braids keep their digitised way unless that makes a loop, and
//! then flow down the distance to the braid's exits.

use std::collections::VecDeque;

use crate::network::chains::Chain;

/// What the orientation decided, per chain, and what it found on the way.
pub struct Orientation {
    /// Per chain: flows from `a` to `b`.
    pub flows_ab: Vec<bool>,
    /// Per node: the connected part it belongs to.
    pub component: Vec<u32>,
    /// Outlets the network chose itself (not given), with the reason.
    pub chosen: Vec<(u32, Choice)>,
    /// Chains in braids (2-edge-connected groups of more than one chain), by group.
    pub braids: Vec<Vec<u32>>,
    /// Groups whose digitised flow made a directed loop that had no exit to order it.
    pub loops: Vec<u32>,
}

/// How an outlet was chosen when none was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The leaf chain digitised towards its leaf (the one most of the length flows to, when
    /// there are several).
    DigitisedOut,
    /// Another leaf chain digitised towards its leaf: a diversion.
    Diversion,
    /// The leaf most of the digitised length flows to.
    Majority,
    /// The lowest leaf on the DEM.
    Dem,
}

/// The inputs: chains, node degrees, given outlets (nodes) and, per node, a DEM height.
pub struct Inputs<'a> {
    pub chains: &'a [Chain],
    pub degree: &'a [u32],
    pub given: &'a [u32],
    pub height: Option<&'a [Option<f64>]>,
}

pub fn orient(input: &Inputs) -> Orientation {
    let n = input.degree.len();
    let chains = input.chains;
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (c, ch) in chains.iter().enumerate() {
        if ch.a != ch.b {
            adj[ch.a as usize].push((c as u32, ch.b));
            adj[ch.b as usize].push((c as u32, ch.a));
        }
    }
    let (bridge, component, order) = bridges(&adj, chains.len());
    let group = groups(&adj, &bridge);
    let mut outlet = vec![false; n];
    for &g in input.given {
        outlet[g as usize] = true;
    }
    let mut chosen = Vec::new();
    let components = order.len();
    let mut has_given = vec![false; components];
    for &g in input.given {
        has_given[component[g as usize] as usize] = true;
    }
    for (comp, nodes) in order.iter().enumerate() {
        if has_given[comp] {
            continue;
        }
        let leaves: Vec<u32> = nodes
            .iter()
            .copied()
            .filter(|&v| input.degree[v as usize] == 1)
            .collect();
        let out: Vec<u32> = leaves
            .iter()
            .copied()
            .filter(|&leaf| {
                adj[leaf as usize].first().is_some_and(|&(c, _)| {
                    let ch = &chains[c as usize];
                    (ch.b == leaf) == ch.digitised_ab()
                })
            })
            .collect();
        if !out.is_empty() {
            // The mouth is the outward end most of the length flows to; the rest are diversions.
            let mouth = majority(nodes, &out, &adj, chains).unwrap_or(out[0]);
            chosen.extend(out.iter().map(|&v| {
                (
                    v,
                    if v == mouth {
                        Choice::DigitisedOut
                    } else {
                        Choice::Diversion
                    },
                )
            }));
        } else if let Some(leaf) = lowest(&leaves, input.height) {
            chosen.push((leaf, Choice::Dem));
        } else if let Some(leaf) = majority(nodes, &leaves, &adj, chains) {
            chosen.push((leaf, Choice::Majority));
        }
    }
    for &(v, _) in &chosen {
        outlet[v as usize] = true;
    }
    let source: Vec<bool> = (0..n).map(|v| input.degree[v] == 1 && !outlet[v]).collect();
    let mut flows_ab: Vec<bool> = chains.iter().map(Chain::digitised_ab).collect();
    orient_bridges(
        &adj,
        &bridge,
        &group,
        &outlet,
        &source,
        chains,
        &mut flows_ab,
    );
    let braids = braid_groups(chains, &bridge, &group);
    let loops = settle_loops(
        &braids,
        chains,
        &adj,
        &bridge,
        &outlet,
        &group,
        &mut flows_ab,
    );
    Orientation {
        flows_ab,
        component,
        chosen,
        braids,
        loops,
    }
}

/// The leaf lowest on the DEM, when every leaf has a height.
fn lowest(leaves: &[u32], height: Option<&[Option<f64>]>) -> Option<u32> {
    let height = height?;
    let mut best: Option<(u32, f64)> = None;
    for &l in leaves {
        let h = height[l as usize]?;
        if best.is_none_or(|b| h < b.1) {
            best = Some((l, h));
        }
    }
    best.map(|b| b.0)
}

/// The leaf whose choice as the mouth agrees with the most digitised length, by re-rooting a
/// spanning tree of the part: moving the root across a chain changes only that chain's term.
fn majority(
    nodes: &[u32],
    leaves: &[u32],
    adj: &[Vec<(u32, u32)>],
    chains: &[Chain],
) -> Option<u32> {
    let root = *nodes.first()?;
    // Length agreeing with flow from `from` over chain `c`.
    let agree = |c: u32, from: u32| {
        let ch = &chains[c as usize];
        if from == ch.a {
            ch.forward_m
        } else {
            ch.backward_m
        }
    };
    let mut parent: Vec<Option<(u32, u32)>> = vec![None; adj.len()];
    let mut seen = vec![false; adj.len()];
    let mut bfs = vec![root];
    seen[root as usize] = true;
    let mut i = 0;
    let mut score_root = 0.0;
    while i < bfs.len() {
        let v = bfs[i];
        i += 1;
        for &(c, w) in &adj[v as usize] {
            if !seen[w as usize] {
                seen[w as usize] = true;
                parent[w as usize] = Some((v, c));
                score_root += agree(c, w);
                bfs.push(w);
            }
        }
    }
    let mut score = vec![0.0; adj.len()];
    score[root as usize] = score_root;
    for &w in &bfs[1..] {
        let (p, c) = parent[w as usize]?;
        score[w as usize] = score[p as usize] - agree(c, w) + agree(c, p);
    }
    leaves.iter().copied().max_by(|&x, &y| {
        score[x as usize]
            .total_cmp(&score[y as usize])
            .then(y.cmp(&x))
    })
}

/// Tarjan's bridges over the chain multigraph, iteratively. Also returns each node's connected
/// part and the nodes of each part in discovery order.
fn bridges(adj: &[Vec<(u32, u32)>], chain_count: usize) -> (Vec<bool>, Vec<u32>, Vec<Vec<u32>>) {
    let n = adj.len();
    let mut disc = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut bridge = vec![false; chain_count];
    let mut component = vec![u32::MAX; n];
    let mut parts: Vec<Vec<u32>> = Vec::new();
    let mut time = 0u32;
    for root in 0..n {
        if disc[root] != u32::MAX || adj[root].is_empty() {
            continue;
        }
        let comp = parts.len() as u32;
        let mut part = vec![root as u32];
        disc[root] = time;
        low[root] = time;
        time += 1;
        component[root] = comp;
        let mut stack: Vec<(u32, u32, usize)> = vec![(root as u32, u32::MAX, 0)];
        while let Some(top) = stack.last_mut() {
            let (v, via, i) = (top.0, top.1, top.2);
            if i < adj[v as usize].len() {
                top.2 += 1;
                let (c, w) = adj[v as usize][i];
                if c == via {
                    continue;
                }
                if disc[w as usize] == u32::MAX {
                    disc[w as usize] = time;
                    low[w as usize] = time;
                    time += 1;
                    component[w as usize] = comp;
                    part.push(w);
                    stack.push((w, c, 0));
                } else {
                    low[v as usize] = low[v as usize].min(disc[w as usize]);
                }
            } else {
                stack.pop();
                if let Some(&(u, _, _)) = stack.last() {
                    low[u as usize] = low[u as usize].min(low[v as usize]);
                    if low[v as usize] > disc[u as usize] {
                        bridge[via as usize] = true;
                    }
                }
            }
        }
        parts.push(part);
    }
    (bridge, component, parts)
}

/// Each node's 2-edge-connected group: the nodes reachable without crossing a bridge.
fn groups(adj: &[Vec<(u32, u32)>], bridge: &[bool]) -> Vec<u32> {
    let mut group = vec![u32::MAX; adj.len()];
    let mut next = 0;
    for start in 0..adj.len() {
        if group[start] != u32::MAX {
            continue;
        }
        group[start] = next;
        let mut stack = vec![start as u32];
        while let Some(v) = stack.pop() {
            for &(c, w) in &adj[v as usize] {
                if !bridge[c as usize] && group[w as usize] == u32::MAX {
                    group[w as usize] = next;
                    stack.push(w);
                }
            }
        }
        next += 1;
    }
    group
}

/// Bridges flow from the side without outlets, or from the side with sources to the side
/// without; otherwise as digitised. Sides are counted on the tree of groups.
fn orient_bridges(
    adj: &[Vec<(u32, u32)>],
    bridge: &[bool],
    group: &[u32],
    outlet: &[bool],
    source: &[bool],
    chains: &[Chain],
    flows_ab: &mut [bool],
) {
    let groups = group.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); groups];
    let mut outlets = vec![0u32; groups];
    let mut sources = vec![0u32; groups];
    for v in 0..adj.len() {
        let g = group[v] as usize;
        members[g].push(v as u32);
        outlets[g] += u32::from(outlet[v]);
        sources[g] += u32::from(source[v]);
    }
    // The tree of groups, walked from each part's first group.
    let mut parent_bridge: Vec<Option<u32>> = vec![None; groups];
    let mut seen = vec![false; groups];
    let mut order = Vec::with_capacity(groups);
    let mut part_of = vec![0usize; groups];
    let mut totals: Vec<(u32, u32)> = Vec::new();
    for g0 in 0..groups {
        if seen[g0] {
            continue;
        }
        let part = totals.len();
        let mut queue = VecDeque::from([g0]);
        seen[g0] = true;
        let (mut o, mut s) = (0, 0);
        while let Some(g) = queue.pop_front() {
            order.push(g);
            part_of[g] = part;
            o += outlets[g];
            s += sources[g];
            for &v in &members[g] {
                for &(c, w) in &adj[v as usize] {
                    let h = group[w as usize] as usize;
                    if bridge[c as usize] && !seen[h] {
                        seen[h] = true;
                        parent_bridge[h] = Some(c);
                        queue.push_back(h);
                    }
                }
            }
        }
        totals.push((o, s));
    }
    let (mut sub_o, mut sub_s) = (outlets, sources);
    for &g in order.iter().rev() {
        let Some(c) = parent_bridge[g] else { continue };
        let ch = &chains[c as usize];
        let child_is_a = group[ch.a as usize] as usize == g;
        let parent = group[if child_is_a { ch.b } else { ch.a } as usize] as usize;
        let (oc, sc) = (sub_o[g], sub_s[g]);
        let (ot, st) = totals[part_of[g]];
        let (or, sr) = (ot - oc, st - sc);
        let both = oc > 0 && or > 0;
        let towards_parent = if (oc == 0 && or > 0) || (both && sr == 0 && sc > 0) {
            Some(true)
        } else if (or == 0 && oc > 0) || (both && sc == 0 && sr > 0) {
            Some(false)
        } else {
            None
        };
        if let Some(up) = towards_parent {
            // Towards the parent means from the child's end.
            flows_ab[c as usize] = up == child_is_a;
        }
        sub_o[parent] += oc;
        sub_s[parent] += sc;
    }
}

/// Groups of more than one chain: braids and loops.
fn braid_groups(chains: &[Chain], bridge: &[bool], group: &[u32]) -> Vec<Vec<u32>> {
    let mut by_group: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    for (c, ch) in chains.iter().enumerate() {
        if !bridge[c] && ch.a != ch.b {
            by_group
                .entry(group[ch.a as usize])
                .or_default()
                .push(c as u32);
        }
    }
    let mut out: Vec<Vec<u32>> = by_group.into_values().collect();
    out.sort_unstable();
    out
}

/// A braid whose digitised flow goes round in a loop flows instead down the distance to its
/// exits (nodes with an outlet or a bridge flowing out). Returns the groups left as loops.
fn settle_loops(
    braids: &[Vec<u32>],
    chains: &[Chain],
    adj: &[Vec<(u32, u32)>],
    bridge: &[bool],
    outlet: &[bool],
    group: &[u32],
    flows_ab: &mut [bool],
) -> Vec<u32> {
    let mut loops = Vec::new();
    for braid in braids {
        if !has_cycle(braid, chains, flows_ab) {
            continue;
        }
        let g = group[chains[braid[0] as usize].a as usize];
        let nodes: Vec<u32> = braid
            .iter()
            .flat_map(|&c| [chains[c as usize].a, chains[c as usize].b])
            .collect();
        let exits: Vec<u32> = nodes
            .iter()
            .copied()
            .filter(|&v| {
                outlet[v as usize]
                    || adj[v as usize].iter().any(|&(c, _)| {
                        let ch = &chains[c as usize];
                        bridge[c as usize] && ((ch.a == v) == flows_ab[c as usize])
                    })
            })
            .collect();
        if exits.is_empty() {
            loops.push(g);
            continue;
        }
        let dist = distances_to(&exits, braid, chains);
        for &c in braid {
            let ch = &chains[c as usize];
            let (da, db) = (dist(ch.a), dist(ch.b));
            if (da - db).abs() > 1e-9 {
                flows_ab[c as usize] = da > db;
            }
        }
        if has_cycle(braid, chains, flows_ab) {
            loops.push(g);
        }
    }
    loops
}

/// Shortest distances over a braid's chains to its exits.
fn distances_to(exits: &[u32], braid: &[u32], chains: &[Chain]) -> impl Fn(u32) -> f64 {
    let mut dist: rustc_hash::FxHashMap<u32, f64> = exits.iter().map(|&v| (v, 0.0)).collect();
    // Bellman-Ford over a braid's few chains.
    for _ in 0..braid.len() {
        let mut changed = false;
        for &c in braid {
            let ch = &chains[c as usize];
            for (x, y) in [(ch.a, ch.b), (ch.b, ch.a)] {
                if let Some(&dx) = dist.get(&x) {
                    let d = dx + ch.length_m();
                    if dist.get(&y).is_none_or(|&dy| d < dy) {
                        dist.insert(y, d);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    move |v| dist.get(&v).copied().unwrap_or(f64::INFINITY)
}

/// Whether a braid's chains, as now oriented, go round in a directed loop.
fn has_cycle(braid: &[u32], chains: &[Chain], flows_ab: &[bool]) -> bool {
    let mut indeg: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
    let mut out: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    for &c in braid {
        let ch = &chains[c as usize];
        let (from, to) = if flows_ab[c as usize] {
            (ch.a, ch.b)
        } else {
            (ch.b, ch.a)
        };
        *indeg.entry(to).or_default() += 1;
        indeg.entry(from).or_default();
        out.entry(from).or_default().push(to);
    }
    let mut ready: Vec<u32> = indeg.iter().filter(|e| *e.1 == 0).map(|e| *e.0).collect();
    let mut done = 0;
    while let Some(v) = ready.pop() {
        done += 1;
        for &w in out.get(&v).map_or(&[][..], Vec::as_slice) {
            let d = indeg.get_mut(&w).expect("every end counted");
            *d -= 1;
            if *d == 0 {
                ready.push(w);
            }
        }
    }
    done < indeg.len()
}
