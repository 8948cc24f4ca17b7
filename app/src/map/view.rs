//! The map: walkers widget with the project's layers drawn on top, hover tooltips, click to
//! identify and the measure tool. Reads state, pushes [`Command`]s.

use egui::{Shape, Stroke};
use geo::Point;
use walkers::{Map, MapMemory, Tiles, lon_lat};

use crate::command::Command;
use crate::feature::FeatureRef;
use crate::i18n::{Lang, layer_title};
use crate::map::basemap::Basemap;
use crate::map::measure::{Measure, MeasureMode};
use crate::map::render::thumbnail_shapes;
use crate::map::render::{CLUSTER_BELOW_ZOOM, FrameCtx, ScreenFromWorld, layer_shapes};
use crate::map::underlay::raster_shapes;
use crate::raster::gpu::GpuRasters;
use crate::raster::overlay::RasterOverlay;
use crate::state::LoadedProject;

/// Where the map opens: the middle of Chongqing.
fn home() -> walkers::Position {
    lon_lat(107.75, 30.05)
}

/// Hit tolerance around the pointer, screen points.
const PICK_RADIUS_PX: f32 = 7.0;

/// State that belongs to the map view only (not persisted with the project).
pub struct MapViewState {
    pub memory: MapMemory,
    pub basemap: Basemap,
    /// Path or key being typed for the chosen basemap.
    pub basemap_input: String,
    /// Name being typed for a new bookmark.
    pub bookmark_input: String,
    /// Swipe comparison: the top raster shows only left of this fraction of the map width.
    pub swipe: Option<f32>,
    pub tiles: Option<Box<dyn Tiles>>,
    /// The GPU raster painter and its textures.
    pub gpu: GpuRasters,
    pub measure: Measure,
    pub trace: crate::map::trace::TraceTool,
    /// Pointer position in WGS84, for the coordinate readout.
    pub hover: Option<Point<f64>>,
    /// The last frame's world-to-screen map and the map's rectangle, for what is drawn over it
    /// (a presentation's marks).
    pub last: Option<(crate::map::render::ScreenFromWorld, egui::Rect)>,
    /// Hover tooltips on features (off on the presenter frame).
    pub tooltips: bool,
}

impl Default for MapViewState {
    fn default() -> Self {
        let mut memory = MapMemory::default();
        memory.center_at(home());
        // 7.6 is inside walkers' zoom range; failure would only keep the default zoom.
        memory.set_zoom(7.6).ok();
        Self {
            memory,
            basemap: Basemap::None,
            basemap_input: String::new(),
            bookmark_input: String::new(),
            swipe: None,
            tiles: None,
            gpu: GpuRasters::default(),
            measure: Measure::default(),
            trace: crate::map::trace::TraceTool::default(),
            hover: None,
            last: None,
            tooltips: true,
        }
    }
}

impl MapViewState {
    pub fn go_to(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory.center_at(lon_lat(lon, lat));
        self.memory.set_zoom(zoom).ok();
    }

    /// Centres on `r` (lon/lat) at the zoom where it fills about half the map.
    pub fn zoom_to(&mut self, r: geo::Rect<f64>) {
        let c = r.center();
        let span = r.width().max(r.height()).max(0.002);
        let zoom = (360.0 / span).log2().clamp(3.0, 17.0) - 1.0;
        self.go_to(c.x, c.y, zoom);
    }

    /// The current view as a bookmark named `name`.
    pub fn bookmark(&self, name: &str) -> yitu_layers::Bookmark {
        let center = self.memory.detached().unwrap_or_else(home);
        yitu_layers::Bookmark {
            name: name.to_owned(),
            lon: center.x(),
            lat: center.y(),
            zoom: self.memory.zoom(),
        }
    }

    pub fn set_basemap(&mut self, basemap: Basemap, ctx: &egui::Context) {
        self.tiles = basemap.tiles(ctx);
        self.basemap = basemap;
    }
}

/// Features under a screen position, topmost visible layer first.
pub fn pick(
    loaded: &LoadedProject,
    at: Point<f64>,
    tolerance_m: f64,
    points_only: bool,
) -> Option<FeatureRef> {
    loaded
        .layers
        .iter()
        .rev()
        .filter(|l| l.data.style.visible && (!points_only || !l.drawing.points.is_empty()))
        .find_map(|l| {
            let feature = *l
                .drawing
                .index
                .identify(&l.data.layer, at, tolerance_m)
                .first()?;
            Some(FeatureRef {
                layer: l.id,
                feature,
            })
        })
}

pub fn map_ui(
    ui: &mut egui::Ui,
    view: &mut MapViewState,
    loaded: &mut LoadedProject,
    selection: Option<FeatureRef>,
    trace: Option<&crate::state::basins::TraceRun>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    if view.tiles.is_none() {
        // Tiles would cover this; without them it is the sea the districts float on.
        ui.painter().rect_filled(
            ui.available_rect_before_wrap(),
            0.0,
            crate::theme::MAP_BACKGROUND,
        );
    }
    let tiles = view.tiles.as_mut().map(|t| t.as_mut() as &mut dyn Tiles);
    let measure = &mut view.measure;
    let tracing = view.trace.active;
    let last = &mut view.last;
    let tooltips = view.tooltips;
    let swipe = view.swipe;
    let hover = &mut view.hover;
    let gpu = &view.gpu;
    Map::new(tiles, &mut view.memory, home())
        .zoom_with_ctrl(false)
        .show(ui, |ui, response, projector, _memory| {
            let screen = response.rect;
            let painter = ui.painter().with_clip_rect(screen);
            let frame = FrameCtx {
                painter: &painter,
                t: ScreenFromWorld::from_projector(projector),
                screen,
            };
            *last = Some((frame.t, screen));
            let mut shapes = Vec::new();
            // Rasters first, under every vector layer.
            gpu.retain(
                &loaded
                    .rasters
                    .iter()
                    .flat_map(RasterOverlay::grid_ids)
                    .collect(),
            );
            raster_shapes(&mut shapes, gpu, &mut loaded.rasters, &frame, swipe);
            for l in &mut loaded.layers {
                if l.data.style.visible {
                    let highlight = selection.filter(|s| s.layer == l.id).map(|s| s.feature);
                    layer_shapes(&mut shapes, &frame, &l.drawing, &l.data.style, highlight);
                    thumbnail_shapes(&mut shapes, &frame, &mut l.drawing.thumbnails);
                }
            }
            if let Some(run) = trace {
                crate::map::trace::trace_shapes(&mut shapes, run, &frame.t);
            }
            measure_shapes(&mut shapes, measure, projector);
            painter.extend(shapes);
            if let Some(e) = gpu.error() {
                painter.text(
                    screen.left_top() + egui::vec2(8.0, 8.0),
                    egui::Align2::LEFT_TOP,
                    format!(
                        "{}: {e}",
                        lang.t(
                            "栅格无法在此显卡上显示",
                            "rasters cannot be shown on this GPU"
                        )
                    ),
                    egui::FontId::proportional(13.0),
                    crate::theme::MEASURE,
                );
            }

            *hover = response.hover_pos().map(|p| {
                let pos = projector.unproject(p.to_vec2());
                Point::new(pos.x(), pos.y())
            });
            let Some(at) = *hover else { return };
            let metres_per_px = 1.0
                / f64::from(
                    projector
                        .scale_pixel_per_meter(lon_lat(at.x(), at.y()))
                        .max(1e-9),
                );
            let tolerance_m = f64::from(PICK_RADIUS_PX) * metres_per_px;
            if response.clicked() && tracing {
                // From a feature's own position when one is under the pointer.
                let hit = pick(loaded, at, tolerance_m, true);
                let (at, label) = hit
                    .and_then(|h| {
                        let l = loaded.layers.get(h.layer)?;
                        let g = l.data.layer.features.get(h.feature)?.geometry.as_ref()?;
                        let c = geo::Centroid::centroid(g)?;
                        Some((c, l.data.layer.label(h.feature)))
                    })
                    .unwrap_or((at, String::new()));
                commands.push(Command::TraceFrom {
                    lon: at.x(),
                    lat: at.y(),
                    label,
                });
            } else if response.clicked() {
                match measure.mode {
                    MeasureMode::Off => {
                        let hit = pick(loaded, at, tolerance_m, false);
                        commands.push(Command::Select(hit));
                        // A click on a cluster also opens it up.
                        let clustered = hit
                            .and_then(|h| loaded.layers.get(h.layer))
                            .is_some_and(|l| l.data.style.cluster && !l.drawing.points.is_empty());
                        if clustered && projector.zoom() < CLUSTER_BELOW_ZOOM {
                            commands.push(Command::ZoomAt {
                                lon: at.x(),
                                lat: at.y(),
                                zoom: projector.zoom() + 2.0,
                            });
                        }
                    }
                    MeasureMode::Distance | MeasureMode::Area => measure.points.push(at),
                }
            } else if measure.mode == MeasureMode::Off
                && tooltips
                && let Some(hit) = pick(loaded, at, tolerance_m, true)
                && let Some(l) = loaded.layers.get(hit.layer)
            {
                let pl = &l.data;
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.strong(pl.layer.label(hit.feature));
                    ui.label(layer_title(lang, &pl.layer.name));
                });
            }
        });
}

fn measure_shapes(out: &mut Vec<Shape>, measure: &Measure, projector: &walkers::Projector<'_>) {
    if measure.mode == MeasureMode::Off || measure.points.is_empty() {
        return;
    }
    let mut pts: Vec<egui::Pos2> = measure
        .points
        .iter()
        .map(|p| projector.project(lon_lat(p.x(), p.y())).to_pos2())
        .collect();
    let stroke = Stroke::new(2.5, crate::theme::MEASURE);
    for p in &pts {
        out.push(Shape::circle_filled(*p, 4.0, stroke.color));
    }
    if measure.mode == MeasureMode::Area && pts.len() > 2 {
        pts.push(pts[0]);
    }
    out.push(Shape::line(pts, stroke));
}
