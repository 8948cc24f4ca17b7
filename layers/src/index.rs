//! A spatial index per layer (rstar R*-tree over feature envelopes), answering the map's
//! questions: what is at this point, what is within this radius, what is inside this district,
//! what is nearest.
//!
//! # Units
//! Coordinates are WGS84 degrees; radii and tolerances are metres, converted with a local
//! equirectangular scale (exact enough below a few kilometres).

use geo::{BoundingRect, Contains, Distance, Euclidean, Geometry, Intersects, Point, Polygon};
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use crate::layer::Layer;

/// Metres per degree of latitude.
const METRES_PER_DEGREE: f64 = 111_320.0;

/// One feature's envelope in the tree; `index` points into [`Layer::features`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    index: usize,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl PointDistance for Entry {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        self.envelope.distance_2(point)
    }
}

/// The R-tree of one layer. Rebuild it when the layer's geometries change.
pub struct LayerIndex {
    tree: RTree<Entry>,
}

impl LayerIndex {
    pub fn build(layer: &Layer) -> Self {
        let entries = layer
            .features
            .iter()
            .enumerate()
            .filter_map(|(index, f)| {
                let r = f.geometry.as_ref()?.bounding_rect()?;
                Some(Entry {
                    index,
                    envelope: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                })
            })
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Features under `point`: polygons containing it, points and lines within `tolerance_m`,
    /// nearest first. With a search radius as the tolerance this is the within-radius query.
    pub fn identify(&self, layer: &Layer, point: Point<f64>, tolerance_m: f64) -> Vec<usize> {
        let (dx, dy) = degrees_for_metres(point.y(), tolerance_m);
        let query = AABB::from_corners(
            [point.x() - dx, point.y() - dy],
            [point.x() + dx, point.y() + dy],
        );
        let mut hits: Vec<(f64, usize)> = self
            .tree
            .locate_in_envelope_intersecting(&query)
            .filter_map(|e| {
                let g = layer.features[e.index].geometry.as_ref()?;
                let d = distance_m(g, point);
                (d <= tolerance_m).then_some((d, e.index))
            })
            .collect();
        hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        hits.into_iter().map(|(_, i)| i).collect()
    }

    /// Features intersecting `area` (for points: inside it), in index order.
    pub fn inside(&self, layer: &Layer, area: &Polygon<f64>) -> Vec<usize> {
        let Some(r) = area.bounding_rect() else {
            return Vec::new();
        };
        let query = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut out: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&query)
            .filter(|e| {
                layer.features[e.index]
                    .geometry
                    .as_ref()
                    .is_some_and(|g| area.intersects(g))
            })
            .map(|e| e.index)
            .collect();
        out.sort_unstable();
        out
    }

    /// The `k` features nearest to `point` (by envelope, exact for points), nearest first.
    pub fn nearest(&self, point: Point<f64>, k: usize) -> Vec<usize> {
        self.tree
            .nearest_neighbor_iter(&[point.x(), point.y()])
            .take(k)
            .map(|e| e.index)
            .collect()
    }
}

/// Degrees of longitude and latitude spanning `metres` at latitude `lat`.
pub fn degrees_for_metres(lat: f64, metres: f64) -> (f64, f64) {
    let dy = metres / METRES_PER_DEGREE;
    (dy / lat.to_radians().cos().max(0.01), dy)
}

/// Approximate ground distance in metres from a point to a geometry (0 inside polygons).
pub fn distance_m(g: &Geometry<f64>, p: Point<f64>) -> f64 {
    if matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_)) && g.contains(&p) {
        return 0.0;
    }
    // Work in a local frame where one unit is one metre.
    let k = p.y().to_radians().cos();
    let local = |c: geo::Coord<f64>| geo::coord! { x: (c.x - p.x()) * k * METRES_PER_DEGREE, y: (c.y - p.y()) * METRES_PER_DEGREE };
    let g = geo::MapCoords::map_coords(g, local);
    Euclidean.distance(&g, &Point::new(0.0, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::AttrValue;
    use crate::layer::{Feature, LayerKind};
    use geo::polygon;

    fn points(coords: &[(f64, f64)]) -> Layer {
        let mut layer = Layer::new("p", LayerKind::Other, vec!["n".into()]);
        for (i, &(x, y)) in coords.iter().enumerate() {
            layer.features.push(Feature {
                geometry: Some(Point::new(x, y).into()),
                values: vec![AttrValue::Int(i as i64)],
            });
        }
        layer
    }

    #[test]
    fn identify_finds_points_within_tolerance_nearest_first() {
        let layer = points(&[(106.5, 29.5), (106.5001, 29.5), (106.51, 29.5)]);
        let index = LayerIndex::build(&layer);
        assert_eq!(
            index.identify(&layer, Point::new(106.50009, 29.5), 20.0),
            vec![1, 0]
        );
    }

    #[test]
    fn inside_polygon_and_nearest() {
        let layer = points(&[(0.5, 0.5), (2.0, 2.0), (0.1, 0.9)]);
        let index = LayerIndex::build(&layer);
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert_eq!(index.inside(&layer, &square), vec![0, 2]);
        assert_eq!(index.nearest(Point::new(1.9, 1.9), 2), vec![1, 0]);
    }
}
