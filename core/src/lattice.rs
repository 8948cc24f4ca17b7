//! A coarse lattice over a grid, for work done exactly at every `step`-th cell and interpolated
//! in between (contextual backgrounds, reprojection of map grids).

/// Node positions along one axis of `n` cells: every `step`-th cell, and the last. A window
/// of the axis holds the nodes that fall in it, placed as the whole axis places them.
pub struct Axis {
    step: usize,
    /// Positions of the window's nodes, from the window's first cell.
    pub nodes: Vec<usize>,
    /// The window's first cell on the whole axis.
    from: usize,
    /// The whole axis's node number of `nodes[0]`, and its last node's number.
    first: usize,
    last: usize,
    n: usize,
}

impl Axis {
    pub fn new(n: usize, step: usize) -> Self {
        Self::window(n, step, 0, n)
    }

    /// The nodes of the `n`-cell axis in its cells `from..from + len`.
    pub fn window(n: usize, step: usize, from: usize, len: usize) -> Self {
        let step = step.max(1);
        let last = if n == 0 { 0 } else { (n - 1).div_ceil(step) };
        let position = |j: usize| (j * step).min(n.saturating_sub(1));
        let first = from.div_ceil(step).min(last);
        let nodes: Vec<usize> = (first..=last)
            .map(position)
            .filter(|&p| (from..from + len).contains(&p))
            .map(|p| p - from)
            .collect();
        Self {
            step,
            nodes,
            from,
            first,
            last,
            n,
        }
    }

    /// The nodes either side of cell `k` of the window (as indexes into `nodes`) and `k`'s
    /// fraction between them: the whole axis's answer where the window holds both nodes,
    /// the nearest held ones otherwise.
    pub fn interval(&self, k: usize) -> (usize, usize, f64) {
        let g = k + self.from;
        let n = (g / self.step).min(self.last.saturating_sub(1));
        let position = |j: usize| (j * self.step).min(self.n.saturating_sub(1));
        let (a, b) = (position(n), position((n + 1).min(self.last)));
        let f = if b > a && g >= a {
            ((g - a) as f64 / (b - a) as f64).min(1.0)
        } else {
            0.0
        };
        let held = self.nodes.len().saturating_sub(1);
        let local = |j: usize| j.saturating_sub(self.first).min(held);
        (local(n), local((n + 1).min(self.last)), f)
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

    #[test]
    fn a_window_answers_as_the_whole_axis_inside_its_nodes() {
        let whole = Axis::new(23, 4);
        let w = Axis::window(23, 4, 6, 15);
        assert_eq!(w.nodes, vec![2, 6, 10, 14]);
        // Cells 8..20 of the whole axis lie between nodes the window holds.
        for k in 2..14 {
            let (a, b, f) = whole.interval(k + 6);
            let (la, lb, lf) = w.interval(k);
            assert_eq!(
                (w.nodes[la] + 6, w.nodes[lb] + 6),
                (whole.nodes[a], whole.nodes[b])
            );
            assert!((f - lf).abs() < 1e-15, "cell {k}");
        }
        let tail = Axis::window(23, 4, 18, 5);
        assert_eq!(tail.nodes, vec![2, 4]);
        assert_eq!(tail.interval(4), (0, 1, 1.0));
    }
}
