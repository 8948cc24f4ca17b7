//! Properties that follow the flow: a topological order of the reaches, Strahler order and
//! the length of river above each reach (which branch is the main stem).

/// Reaches in an order where every reach comes after all that flow into it (a reach on a loop
/// that digitising left unordered comes last, in index order), and the nodes in that order
/// when every one could be ordered (no loop).
pub fn topological(from: &[u32], to: &[u32], node_count: usize) -> (Vec<u32>, Option<Vec<u32>>) {
    let mut into = vec![0u32; node_count];
    for &t in to {
        into[t as usize] += 1;
    }
    let mut leaving: Vec<Vec<u32>> = vec![Vec::new(); node_count];
    for (r, &f) in from.iter().enumerate() {
        leaving[f as usize].push(r as u32);
    }
    let mut ready: Vec<u32> = (0..node_count as u32)
        .filter(|&v| into[v as usize] == 0)
        .collect();
    let mut done = vec![false; from.len()];
    let mut out = Vec::with_capacity(from.len());
    let mut nodes = Vec::with_capacity(node_count);
    while let Some(v) = ready.pop() {
        nodes.push(v);
        for &r in &leaving[v as usize] {
            done[r as usize] = true;
            out.push(r);
            let t = to[r as usize] as usize;
            into[t] -= 1;
            if into[t] == 0 {
                ready.push(t as u32);
            }
        }
    }
    out.extend((0..from.len() as u32).filter(|&r| !done[r as usize]));
    let ordered = nodes.len() == node_count;
    (out, ordered.then_some(nodes))
}

/// Strahler order and upstream length per reach, given the reaches arriving at each node.
pub fn strahler_and_upstream(
    order: &[u32],
    from: &[u32],
    lengths: &[f64],
    arriving: impl Fn(u32) -> Vec<u32>,
) -> (Vec<u32>, Vec<f64>) {
    let mut strahler = vec![0u32; from.len()];
    let mut upstream = vec![0.0; from.len()];
    for &r in order {
        let above = arriving(from[r as usize]);
        let top = above
            .iter()
            .map(|&a| strahler[a as usize])
            .max()
            .unwrap_or(0);
        let ties = above
            .iter()
            .filter(|&&a| strahler[a as usize] == top)
            .count();
        strahler[r as usize] = match (top, ties) {
            (0, _) => 1,
            (t, n) if n >= 2 => t + 1,
            (t, _) => t,
        };
        upstream[r as usize] =
            lengths[r as usize] + above.iter().map(|&a| upstream[a as usize]).sum::<f64>();
    }
    (strahler, upstream)
}
