//! A coarse lattice over a grid, for work done exactly at every `step`-th cell and interpolated
//! in between (contextual backgrounds, reprojection of map grids).

/// Node positions along one axis of `n` cells: every `step`-th cell, and the last.
pub struct Axis {
    step: usize,
    pub nodes: Vec<usize>,
}

impl Axis {
    pub fn new(n: usize, step: usize) -> Self {
        let step = step.max(1);
        let mut nodes: Vec<usize> = (0..n).step_by(step).collect();
        if n > 0 && nodes.last() != Some(&(n - 1)) {
            nodes.push(n - 1);
        }
        Self { step, nodes }
    }

    /// The nodes either side of cell `k` (as node indexes) and `k`'s fraction between them.
    pub fn interval(&self, k: usize) -> (usize, usize, f64) {
        let last = self.nodes.len().saturating_sub(1);
        let n = (k / self.step).min(last.saturating_sub(1));
        let (a, b) = (self.nodes[n], self.nodes[(n + 1).min(last)]);
        let f = if b > a {
            (k - a) as f64 / (b - a) as f64
        } else {
            0.0
        };
        (n, (n + 1).min(last), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_cell_is_always_a_node() {
        let a = Axis::new(10, 4);
        assert_eq!(a.nodes, vec![0, 4, 8, 9]);
        assert_eq!(a.interval(6), (1, 2, 0.5));
        assert_eq!(a.interval(9), (2, 3, 1.0));
        assert_eq!(Axis::new(1, 4).interval(0), (0, 0, 0.0));
    }
}
