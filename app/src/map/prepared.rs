//! Layers prepared for drawing: geometry in Web-Mercator world units (0–1), polygon triangles,
//! per-feature colours and the spatial index. Built once per layer in a background job, so the
//! frame only scales and offsets.

use egui::Color32;
use geo::{Geometry, TriangulateEarcut};
use yitu_layers::{Layer, LayerIndex, LayerStyle, ProjectLayer};

use super::world::{World, WorldRect};

pub struct PreparedPoint {
    pub feature: usize,
    pub at: World,
}

pub struct PreparedLine {
    pub feature: usize,
    pub bounds: WorldRect,
    pub points: Vec<World>,
}

pub struct PreparedPolygon {
    pub feature: usize,
    pub bounds: WorldRect,
    /// Exterior and hole rings, for outlines.
    pub rings: Vec<Vec<World>>,
    /// Earcut triangles over `vertices`.
    pub vertices: Vec<World>,
    pub triangles: Vec<u32>,
}

/// Everything the map needs to draw and hit-test one layer.
pub struct PreparedLayer {
    pub points: Vec<PreparedPoint>,
    pub lines: Vec<PreparedLine>,
    pub polygons: Vec<PreparedPolygon>,
    /// Colour of each feature by the style's category field.
    pub colors: Vec<Color32>,
    pub index: LayerIndex,
    pub bounds: Option<WorldRect>,
    /// Photo previews of a photo footprint layer (filled by the loading job, which reads them).
    pub thumbnails: Vec<crate::map::thumbnails::Thumbnail>,
    /// Each feature's label (the style's label field); empty when the style has none.
    pub labels: Vec<String>,
    /// Features the time slider hides (dated after the time shown); `None`: all shown.
    pub hidden: Option<Vec<bool>>,
}

fn ring(ls: &geo::LineString<f64>) -> Vec<World> {
    ls.0.iter().map(|c| World::from_lon_lat(c.x, c.y)).collect()
}

fn polygon(feature: usize, p: &geo::Polygon<f64>) -> PreparedPolygon {
    let tri = p.earcut_triangles_raw();
    let vertices: Vec<World> = tri
        .vertices
        .iter()
        .map(|v| World::from_lon_lat(v[0], v[1]))
        .collect();
    let rings: Vec<Vec<World>> = std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(ring)
        .collect();
    PreparedPolygon {
        feature,
        bounds: WorldRect::of(rings[0].iter().copied()),
        rings,
        vertices,
        triangles: tri.triangle_indices.iter().map(|&i| i as u32).collect(),
    }
}

pub fn to_color32(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// Per-feature colours for a style (recomputed when the style changes).
pub fn feature_colors(layer: &Layer, style: &LayerStyle) -> Vec<Color32> {
    let field = style
        .category_field
        .as_deref()
        .and_then(|f| layer.field_index(f));
    layer
        .features
        .iter()
        .map(|f| {
            let value = field.and_then(|i| f.values.get(i)).and_then(|v| v.as_str());
            to_color32(style.color_for(value))
        })
        .collect()
}

impl PreparedLayer {
    /// Whether the time slider shows the feature.
    pub fn shown(&self, feature: usize) -> bool {
        self.hidden
            .as_ref()
            .is_none_or(|h| !h.get(feature).copied().unwrap_or(false))
    }

    pub fn build(pl: &ProjectLayer) -> Self {
        let layer = &pl.layer;
        let mut out = Self {
            points: Vec::new(),
            lines: Vec::new(),
            polygons: Vec::new(),
            colors: feature_colors(layer, &pl.style),
            index: LayerIndex::build(layer),
            bounds: None,
            thumbnails: Vec::new(),
            hidden: None,
            labels: pl
                .style
                .label_field
                .as_deref()
                .map_or_else(Vec::new, |field| {
                    (0..layer.features.len())
                        .map(|i| layer.value(i, field).to_string())
                        .collect()
                }),
        };
        for (i, f) in layer.features.iter().enumerate() {
            match &f.geometry {
                Some(Geometry::Point(p)) => out.points.push(PreparedPoint {
                    feature: i,
                    at: World::from_lon_lat(p.x(), p.y()),
                }),
                Some(Geometry::MultiPoint(mp)) => {
                    out.points.extend(mp.iter().map(|p| PreparedPoint {
                        feature: i,
                        at: World::from_lon_lat(p.x(), p.y()),
                    }));
                }
                Some(Geometry::LineString(l)) => out.lines.push(line(i, l)),
                Some(Geometry::MultiLineString(ml)) => {
                    out.lines.extend(ml.iter().map(|l| line(i, l)));
                }
                Some(Geometry::Polygon(p)) => out.polygons.push(polygon(i, p)),
                Some(Geometry::MultiPolygon(mp)) => {
                    out.polygons.extend(mp.iter().map(|p| polygon(i, p)));
                }
                _ => {}
            }
        }
        let corners = out
            .points
            .iter()
            .map(|p| p.at)
            .chain(out.lines.iter().flat_map(|l| [l.bounds.min, l.bounds.max]))
            .chain(
                out.polygons
                    .iter()
                    .flat_map(|p| [p.bounds.min, p.bounds.max]),
            );
        let bounds = WorldRect::of(corners);
        out.bounds = (bounds.min.x <= bounds.max.x).then_some(bounds);
        out
    }
}

fn line(feature: usize, l: &geo::LineString<f64>) -> PreparedLine {
    let points = ring(l);
    PreparedLine {
        feature,
        bounds: WorldRect::of(points.iter().copied()),
        points,
    }
}
