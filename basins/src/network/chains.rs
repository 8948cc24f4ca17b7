//! The network reduced to chains: runs of edges between nodes that are not simple pass-throughs
//! (a node with two edges). Water cannot turn round at such a node, so a chain flows one way
//! whole, and orientation is decided per chain.

/// A run of edges from node `a` to node `b` (both ends of degree other than two, or `a == b`
/// for a ring).
pub struct Chain {
    pub a: u32,
    pub b: u32,
    /// The edges in order from `a`, each with whether it is digitised in that direction.
    pub edges: Vec<(u32, bool)>,
    /// Length digitised from `a` towards `b`, and the other way.
    pub forward_m: f64,
    pub backward_m: f64,
}

impl Chain {
    pub fn length_m(&self) -> f64 {
        self.forward_m + self.backward_m
    }

    /// Whether most of the chain's length is digitised from `a` to `b`.
    pub fn digitised_ab(&self) -> bool {
        self.forward_m >= self.backward_m
    }
}

/// Walks every edge into chains. `ends[e]` are edge `e`'s digitised nodes, `lengths[e]` its
/// length; returns the chains and each node's degree.
pub fn chains(node_count: usize, ends: &[[u32; 2]], lengths: &[f64]) -> (Vec<Chain>, Vec<u32>) {
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); node_count];
    for (e, &[from, to]) in ends.iter().enumerate() {
        incident[from as usize].push(e as u32);
        incident[to as usize].push(e as u32);
    }
    let degree: Vec<u32> = incident.iter().map(|l| l.len() as u32).collect();
    let mut used = vec![false; ends.len()];
    let mut out = Vec::new();
    let walk = |start: u32, first: u32, used: &mut Vec<bool>| {
        let mut chain = Chain {
            a: start,
            b: start,
            edges: Vec::new(),
            forward_m: 0.0,
            backward_m: 0.0,
        };
        let (mut at, mut edge) = (start, first);
        loop {
            used[edge as usize] = true;
            let [from, to] = ends[edge as usize];
            let forward = from == at;
            let next = if forward { to } else { from };
            chain.edges.push((edge, forward));
            if forward {
                chain.forward_m += lengths[edge as usize];
            } else {
                chain.backward_m += lengths[edge as usize];
            }
            at = next;
            if degree[at as usize] != 2 || at == start {
                break;
            }
            match incident[at as usize].iter().find(|&&e| !used[e as usize]) {
                Some(&e) => edge = e,
                None => break,
            }
        }
        chain.b = at;
        chain
    };
    for n in 0..node_count {
        if degree[n] == 2 {
            continue;
        }
        for e in incident[n].clone() {
            if !used[e as usize] {
                out.push(walk(n as u32, e, &mut used));
            }
        }
    }
    // What is left are rings of pass-through nodes.
    for e in 0..ends.len() {
        if !used[e] {
            out.push(walk(ends[e][0], e as u32, &mut used));
        }
    }
    (out, degree)
}
