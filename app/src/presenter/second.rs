//! The presenter frame on a second screen: a deferred viewport, full screen on the chosen
//! monitor, that paints what the desk built for it. The desk keeps control: it builds the
//! frame (the map as the desk sees it, scaled to the screen: basemap tiles, rasters, layers,
//! the river trace, the marks, the caption and the indicators) whenever it draws, and asks
//! the presenter to repaint; keys and the pen on the presenter come back to the desk.

use std::sync::{Arc, Mutex, PoisonError};

use egui::{Rect, Shape, Vec2};

use super::Presenter;
use super::marks::{Gesture, shapes as mark_shapes};
use super::view::overlay_shapes;
use crate::i18n::Lang;
use crate::map::render::{FrameCtx, ScreenFromWorld, layer_shapes};
use crate::map::underlay::{basemap_shapes, raster_shapes};
use crate::map::view::MapViewState;
use crate::state::LoadedProject;
use crate::state::basins::TraceRun;

/// What the desk shows, that the presenter follows.
pub struct Desk<'a> {
    pub loaded: &'a mut LoadedProject,
    pub trace: Option<&'a TraceRun>,
    /// The desk's map: its last transform, basemap tiles and raster painter.
    pub view: &'a mut MapViewState,
}

/// What the desk and the presenter window share.
#[derive(Default)]
struct Shared {
    shapes: Vec<Shape>,
    /// The presenter's size, as its last frame found it.
    size: Vec2,
    /// Steps asked for with the keys on the presenter.
    steps: Vec<isize>,
    /// The pen on the presenter, in its frame's points.
    gestures: Vec<Gesture>,
    closed: bool,
}

/// The second screen, when open.
pub struct SecondScreen {
    pub monitor: usize,
    shared: Arc<Mutex<Shared>>,
    /// What the last frame was built from: a new one is built only when it changes.
    built: Option<Vec<u64>>,
    /// The presenter's map transform in the last frame built, for its pen.
    shown: Option<ScreenFromWorld>,
}

/// What the presenter hands back to the desk.
pub struct Input {
    pub steps: Vec<isize>,
    /// The pen's gestures and the transform of the frame they were made on (none before the
    /// first frame).
    pub pen: Option<(Vec<Gesture>, ScreenFromWorld)>,
    pub closed: bool,
}

/// The presenter window's id.
pub fn viewport_id() -> egui::ViewportId {
    egui::ViewportId::from_hash_of("yitu-presenter")
}

impl SecondScreen {
    pub fn new(monitor: usize) -> Self {
        Self {
            monitor,
            shared: Arc::new(Mutex::new(Shared {
                size: Vec2::new(1920.0, 1080.0),
                ..Shared::default()
            })),
            built: None,
            shown: None,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Shared) -> T) -> T {
        f(&mut self.shared.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Builds the frame for the presenter's size from the desk's map view and state, hands it
    /// over and asks the presenter to repaint.
    pub fn publish(&mut self, ctx: &egui::Context, p: &mut Presenter, desk: Desk<'_>, lang: Lang) {
        let Desk {
            loaded,
            trace,
            view,
        } = desk;
        let Some((t, rect)) = view.last else { return };
        let size = self.with(|s| s.size);
        let visible = loaded
            .layers
            .iter()
            .filter(|l| l.data.style.visible)
            .count() as u64;
        // Tiles and rasters arrive while the desk repaints, and a stroke grows with every
        // frame: with them shown, every desk frame is passed on.
        let live =
            view.tiles.is_some() || loaded.rasters.iter().any(|r| r.visible) || p.tool.is_drawing();
        let key = vec![
            t.scale.to_bits(),
            t.offset_x.to_bits(),
            t.offset_y.to_bits(),
            u64::from(rect.width().to_bits()),
            u64::from(size.x.to_bits()) << 32 | u64::from(size.y.to_bits()),
            p.step as u64,
            p.time.until.unwrap_or(i64::MIN) as u64,
            p.marks.len() as u64,
            u64::from(p.dirty),
            visible,
            trace.map_or(0, |t| t.lines.len() as u64 + 1),
            lang as u64,
            if live { ctx.cumulative_frame_nr() } else { 0 },
        ];
        if self.built.as_ref() == Some(&key) {
            return;
        }
        self.built = Some(key);
        let screen = Rect::from_min_size(egui::Pos2::ZERO, size);
        let painter = egui::Painter::new(ctx.clone(), egui::LayerId::background(), screen);
        let t = follow((t, rect), screen);
        self.shown = Some(t);
        let mut out = vec![Shape::rect_filled(
            screen,
            0.0,
            crate::theme::MAP_BACKGROUND,
        )];
        if let Some(tiles) = view.tiles.as_deref_mut() {
            basemap_shapes(&mut out, tiles, &t, screen);
        }
        let frame = FrameCtx {
            painter: &painter,
            t,
            screen,
        };
        raster_shapes(&mut out, &view.gpu, &mut loaded.rasters, &frame, None);
        for l in &loaded.layers {
            if l.data.style.visible {
                layer_shapes(&mut out, &frame, &l.drawing, &l.data.style, None);
            }
        }
        if let Some(run) = trace {
            crate::map::trace::trace_shapes(&mut out, run, &t);
        }
        mark_shapes(&mut out, &p.marks_shown(), &t, &painter);
        overlay_shapes(&mut out, &painter, p, loaded, screen, lang);
        self.with(|s| s.shapes = out);
        ctx.request_repaint_of(viewport_id());
    }

    /// Registers the window for this frame (a deferred viewport must be asked for every frame).
    pub fn show(&self, ctx: &egui::Context, title: &str) {
        let shared = Arc::clone(&self.shared);
        let builder = egui::ViewportBuilder::default()
            .with_title(title)
            .with_monitor(self.monitor)
            // The size of a 1080p projector where no window manager makes it full screen.
            .with_inner_size([1920.0, 1080.0])
            .with_fullscreen(true);
        ctx.show_viewport_deferred(viewport_id(), builder, move |ui, _class| {
            let rect = ui.max_rect();
            let (steps, close) = ui.input(|i| {
                let mut steps = Vec::new();
                if i.key_pressed(egui::Key::ArrowRight)
                    || i.key_pressed(egui::Key::PageDown)
                    || i.key_pressed(egui::Key::Space)
                {
                    steps.push(1);
                }
                if i.key_pressed(egui::Key::ArrowLeft) || i.key_pressed(egui::Key::PageUp) {
                    steps.push(-1);
                }
                (
                    steps,
                    i.viewport().close_requested() || i.key_pressed(egui::Key::Escape),
                )
            });
            let offset = rect.min.to_vec2();
            let pen = ui.interact(
                rect,
                ui.scope_id().with("presenter-pen"),
                egui::Sense::click_and_drag(),
            );
            let gestures: Vec<Gesture> = Gesture::of(&pen)
                .into_iter()
                .map(|g| g.moved(-offset))
                .collect();
            let mut s = shared.lock().unwrap_or_else(PoisonError::into_inner);
            // The desk rebuilds for a new size, and hears of keys and the pen: it is woken
            // only then.
            let wake = s.size != rect.size() || !steps.is_empty() || !gestures.is_empty() || close;
            s.size = rect.size();
            s.steps.extend(steps);
            s.gestures.extend(gestures);
            s.closed |= close;
            let mut shapes = s.shapes.clone();
            drop(s);
            for shape in &mut shapes {
                shape.translate(offset);
            }
            ui.painter().extend(shapes);
            if wake {
                ui.ctx().request_repaint_of(egui::ViewportId::ROOT);
            }
        });
    }

    /// What was done on the presenter since the last call: the steps asked for, the pen's
    /// gestures with the map transform they were made over, and whether it was closed.
    pub fn take_input(&self) -> Input {
        let (steps, gestures, closed) = self.with(|s| {
            (
                std::mem::take(&mut s.steps),
                std::mem::take(&mut s.gestures),
                s.closed,
            )
        });
        Input {
            steps,
            pen: self.shown.map(|t| (gestures, t)),
            closed,
        }
    }
}

/// The presenter's map transform: the desk's centre in the middle of the screen, scaled so the
/// screen shows what the desk's map shows.
fn follow(desk: (ScreenFromWorld, Rect), screen: Rect) -> ScreenFromWorld {
    let (t, rect) = desk;
    let centre = t.world(rect.center());
    let scale = t.scale * f64::from(screen.width() / rect.width().max(1.0));
    ScreenFromWorld {
        scale,
        offset_x: f64::from(screen.center().x) - centre.x * scale,
        offset_y: f64::from(screen.center().y) - centre.y * scale,
        zoom: t.zoom + f64::from(screen.width() / rect.width().max(1.0)).log2(),
    }
}
