//! Turning prepared layers into egui shapes for one frame: the map's hot path.
//!
//! Points are culled to the screen and, for clustered layers at low zoom, merged per screen cell
//! into one counted disc, so 70,000 sources cost about as much as the few hundred discs shown.

use egui::{Color32, Mesh, Pos2, Rect, Shape, Stroke, pos2};
use yitu_layers::LayerStyle;

use super::prepared::PreparedLayer;
use super::thumbnails;
use super::world::{World, WorldRect};
use crate::theme;

/// Below this zoom, clustered point layers are drawn as clusters.
pub const CLUSTER_BELOW_ZOOM: f64 = 12.0;
/// Cluster cell size in screen points.
const CLUSTER_CELL: f32 = 42.0;

/// `screen = world * scale + offset`, derived from the map's projector each frame.
#[derive(Debug, Clone, Copy)]
pub struct ScreenFromWorld {
    pub scale: f64,
    pub offset_x: f64,
    pub offset_y: f64,
    pub zoom: f64,
}

impl ScreenFromWorld {
    /// Derives the affine map from two projected reference positions near the centre
    /// (Web Mercator is linear in world units, so two points fix it).
    pub fn from_projector(projector: &walkers::Projector<'_>) -> Self {
        let rect = projector.clip_rect();
        let c = projector.unproject(rect.center().to_vec2());
        let (lon, lat) = (c.x(), c.y());
        let d = 0.001;
        let s1 = projector.project(walkers::lon_lat(lon, lat));
        let s2 = projector.project(walkers::lon_lat(lon + d, lat));
        let w1 = World::from_lon_lat(lon, lat);
        let w2 = World::from_lon_lat(lon + d, lat);
        let scale = f64::from(s2.x - s1.x) / (w2.x - w1.x);
        Self {
            scale,
            offset_x: f64::from(s1.x) - w1.x * scale,
            offset_y: f64::from(s1.y) - w1.y * scale,
            zoom: projector.zoom(),
        }
    }

    pub fn screen(&self, w: World) -> Pos2 {
        pos2(
            (w.x * self.scale + self.offset_x) as f32,
            (w.y * self.scale + self.offset_y) as f32,
        )
    }

    pub fn world(&self, p: Pos2) -> World {
        World {
            x: (f64::from(p.x) - self.offset_x) / self.scale,
            y: (f64::from(p.y) - self.offset_y) / self.scale,
        }
    }

    pub fn world_rect(&self, r: Rect) -> WorldRect {
        WorldRect {
            min: self.world(r.min),
            max: self.world(r.max),
        }
    }
}

fn with_opacity(c: Color32, opacity: f32) -> Color32 {
    c.gamma_multiply(opacity)
}

/// What every layer of one frame is drawn with.
pub struct FrameCtx<'a> {
    /// Lays out cluster counts and point labels.
    pub painter: &'a egui::Painter,
    pub t: ScreenFromWorld,
    /// The map's screen rectangle; everything outside is culled.
    pub screen: Rect,
}

/// Appends the shapes of one layer. `highlight` is a selected feature drawn on top.
pub fn layer_shapes(
    out: &mut Vec<Shape>,
    frame: &FrameCtx<'_>,
    prepared: &PreparedLayer,
    style: &LayerStyle,
    highlight: Option<usize>,
) {
    let (t, screen) = (&frame.t, frame.screen);
    let view = t.world_rect(screen.expand(8.0));
    let stroke_color = with_opacity(
        crate::map::prepared::to_color32(style.stroke),
        style.opacity,
    );
    // Polygons: one triangulated fill mesh below all outlines.
    let mut mesh = Mesh::default();
    let mut outlines = Vec::new();
    for poly in prepared
        .polygons
        .iter()
        .filter(|p| p.bounds.intersects(&view) && prepared.shown(p.feature))
    {
        let color = with_opacity(prepared.colors[poly.feature], style.opacity * 0.55);
        let base = mesh.vertices.len() as u32;
        for v in &poly.vertices {
            mesh.colored_vertex(t.screen(*v), color);
        }
        mesh.indices.extend(poly.triangles.iter().map(|i| base + i));
        for ring in &poly.rings {
            outlines.push(Shape::line(
                ring.iter().map(|w| t.screen(*w)).collect(),
                Stroke::new(style.size, stroke_color),
            ));
        }
    }
    if !mesh.is_empty() {
        out.push(Shape::mesh(mesh));
    }
    out.extend(outlines);
    for line in prepared
        .lines
        .iter()
        .filter(|l| l.bounds.intersects(&view) && prepared.shown(l.feature))
    {
        let color = with_opacity(prepared.colors[line.feature], style.opacity);
        out.push(Shape::line(
            line.points.iter().map(|w| t.screen(*w)).collect(),
            Stroke::new(style.size, color),
        ));
    }
    if style.cluster && t.zoom < CLUSTER_BELOW_ZOOM {
        cluster_shapes(out, frame, prepared, style);
    } else {
        let ring = Stroke::new(0.8, theme::POINT_RING);
        for p in prepared.points.iter().filter(|p| prepared.shown(p.feature)) {
            let s = t.screen(p.at);
            if screen.expand(style.size).contains(s) {
                out.push(Shape::circle_filled(
                    s,
                    style.size,
                    with_opacity(prepared.colors[p.feature], style.opacity),
                ));
                if style.size >= 4.0 {
                    out.push(Shape::circle_stroke(s, style.size, ring));
                }
                if let Some(text) = prepared.labels.get(p.feature) {
                    let label = frame.painter.layout_no_wrap(
                        text.clone(),
                        egui::FontId::proportional(style.size * 1.4),
                        theme::CLUSTER_TEXT,
                    );
                    out.push(Shape::galley(
                        s - label.size() / 2.0,
                        label,
                        theme::CLUSTER_TEXT,
                    ));
                }
            }
        }
    }
    if let Some(h) = highlight {
        highlight_shapes(out, prepared, t, h);
    }
}

/// Points of one cluster cell: how many, their summed screen positions, the first feature.
struct Cell {
    count: u32,
    sum: egui::Vec2,
    feature: usize,
}

/// One disc per occupied screen cell; the disc grows with the count and shows it.
fn cluster_shapes(
    out: &mut Vec<Shape>,
    frame: &FrameCtx<'_>,
    prepared: &PreparedLayer,
    style: &LayerStyle,
) {
    let (t, screen, painter) = (&frame.t, frame.screen, frame.painter);
    // FxHash: tens of thousands of points are binned on every frame.
    let mut cells: rustc_hash::FxHashMap<(i32, i32), Cell> = rustc_hash::FxHashMap::default();
    for p in prepared.points.iter().filter(|p| prepared.shown(p.feature)) {
        let s = t.screen(p.at);
        if !screen.contains(s) {
            continue;
        }
        let key = (
            (s.x / CLUSTER_CELL).floor() as i32,
            (s.y / CLUSTER_CELL).floor() as i32,
        );
        let cell = cells.entry(key).or_insert(Cell {
            count: 0,
            sum: egui::Vec2::ZERO,
            feature: p.feature,
        });
        cell.count += 1;
        cell.sum += s.to_vec2();
    }
    let mut cells: Vec<_> = cells.into_values().collect();
    cells.sort_unstable_by_key(|c| c.feature);
    for c in cells {
        let at = (c.sum / c.count as f32).to_pos2();
        let color = with_opacity(prepared.colors[c.feature], style.opacity);
        if c.count == 1 {
            out.push(Shape::circle_filled(at, style.size, color));
        } else {
            let r = (style.size + 3.0 + (c.count as f32).log10() * 5.0).min(CLUSTER_CELL / 2.0);
            out.push(Shape::circle_filled(at, r, color.gamma_multiply(0.85)));
            out.push(Shape::circle_stroke(
                at,
                r,
                Stroke::new(1.0, theme::CLUSTER_TEXT),
            ));
            let label = painter.layout_no_wrap(
                c.count.to_string(),
                egui::FontId::proportional(11.0),
                theme::CLUSTER_TEXT,
            );
            out.push(Shape::galley(
                at - label.size() / 2.0,
                label,
                theme::CLUSTER_TEXT,
            ));
        }
    }
}

fn highlight_shapes(
    out: &mut Vec<Shape>,
    prepared: &PreparedLayer,
    t: &ScreenFromWorld,
    feature: usize,
) {
    let stroke = Stroke::new(3.0, theme::HIGHLIGHT);
    for p in prepared.points.iter().filter(|p| p.feature == feature) {
        out.push(Shape::circle_stroke(t.screen(p.at), 9.0, stroke));
    }
    for l in prepared.lines.iter().filter(|l| l.feature == feature) {
        out.push(Shape::line(
            l.points.iter().map(|w| t.screen(*w)).collect(),
            stroke,
        ));
    }
    for p in prepared.polygons.iter().filter(|p| p.feature == feature) {
        for ring in &p.rings {
            out.push(Shape::line(
                ring.iter().map(|w| t.screen(*w)).collect(),
                stroke,
            ));
        }
    }
}

/// Photo thumbnails inside the view, from [`thumbnails::FROM_ZOOM`] on; textures are made on first sight.
pub fn thumbnail_shapes(
    out: &mut Vec<egui::Shape>,
    frame: &FrameCtx<'_>,
    thumbs: &mut [thumbnails::Thumbnail],
) {
    if frame.t.zoom < thumbnails::FROM_ZOOM {
        return;
    }
    for t in thumbs {
        let centre = frame.t.screen(t.at);
        let rect = egui::Rect::from_center_size(
            centre,
            egui::vec2(thumbnails::WIDTH, thumbnails::WIDTH * t.aspect),
        );
        if !frame.screen.intersects(rect) {
            continue;
        }
        let ctx = frame.painter.ctx();
        let texture = t.texture.get_or_insert_with(|| {
            let image = t.image.take().unwrap_or_default();
            ctx.load_texture(
                format!("thumbnail {}", t.feature),
                image,
                egui::TextureOptions::LINEAR,
            )
        });
        out.push(egui::Shape::rect_filled(
            rect.expand(2.0),
            2.0,
            egui::Color32::WHITE,
        ));
        out.push(egui::Shape::image(
            texture.id(),
            rect,
            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
            egui::Color32::WHITE,
        ));
    }
}
