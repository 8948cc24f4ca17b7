//! Snapping a point to the nearest drivable segment.

use rstar::{AABB, PointDistance, RTreeObject};

/// A segment in local metres for snapping.
pub(super) struct SnapSegment {
    pub(super) a: [f64; 2],
    pub(super) b: [f64; 2],
    /// Index into the roads' segments.
    pub(super) segment: u32,
    /// Its bounds, worked out once: building the tree asks for them at every comparison of
    /// its sorts, and how fast that went depended on what the compiler inlined (a city's
    /// network loaded in 0.3 s or 1.2 s from one build to the next).
    bounds: AABB<[f64; 2]>,
}

impl SnapSegment {
    pub(super) fn new(a: [f64; 2], b: [f64; 2], segment: u32) -> Self {
        Self {
            a,
            b,
            segment,
            bounds: AABB::from_corners(a, b),
        }
    }
}

impl RTreeObject for SnapSegment {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.bounds
    }
}

impl PointDistance for SnapSegment {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        let (q, _) = project(self.a, self.b, *p);
        (q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)
    }
}

/// The closest point of segment a–b to p, and how far along it lies (0–1).
pub(super) fn project(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> ([f64; 2], f64) {
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
