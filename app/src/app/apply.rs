//! Applying the frame's queued commands to the app state.

use geo::BoundingRect;

use super::YituApp;
use crate::command::Command;
use crate::feature::{FeatureRef, LayerId};
use crate::map::layers::MapLayer;
use crate::panels::file_dialog::FileDialog;
use crate::panels::photo_viewer::PhotoViewer;
use crate::raster::overlay::RasterOverlay;
use crate::state::ProjectSource;

impl YituApp {
    pub(super) fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenProject(path) => {
                self.start_load(ctx, ProjectSource::from_arg(Some(path)));
            }
            Command::LoadSample => self.start_load(ctx, ProjectSource::Sample),
            Command::SaveProject(path) => self.start_save(ctx, path),
            Command::Import { path, .. } if yitu_imagery::jpeg::is_jpeg_path(&path) => {
                self.photo_viewer = Some(PhotoViewer::open(path, ctx));
            }
            Command::Import { path, options } => {
                // A new attempt: the offer to retry the last one goes.
                self.retry_import = None;
                self.start_import(ctx, path, options);
            }
            Command::Detect(raster) => self.start_detect(ctx, raster),
            Command::ExportEvidence(feature) => self.start_evidence(ctx, feature),
            Command::Draw(request) => self.start_draw(ctx, request),
            Command::PublishDraw => self.start_publish_draw(ctx),
            Command::PairNearbyDistricts => self.pair_nearby_districts(),
            Command::PlanRoutes(request) => self.start_plan_routes(ctx, request),
            Command::ExportRoutes => self.start_export_routes(ctx),
            Command::MoveStop { task, team, day } => self.move_stop(task, team, day),
            Command::RecordInspection { source_id, finding } => {
                self.record_inspection(&source_id, finding);
            }
            Command::Select(s) => {
                self.select(s);
                if let Some(f) = s {
                    self.start_history(ctx, f);
                }
                // A photo footprint opens its photo.
                if let Some(photo) = s.and_then(|s| self.photo_path(s)) {
                    self.photo_viewer = Some(PhotoViewer::open(photo, ctx));
                }
            }
            Command::ZoomTo(f) => {
                self.select(Some(f));
                let rect = self
                    .workspace
                    .as_ref()
                    .map(|w| &w.loaded)
                    .and_then(|l| l.geometry(f)?.bounding_rect());
                if let Some(r) = rect {
                    self.view.zoom_to(r);
                }
            }
            Command::GoToBookmark(name) => {
                if let Some(b) = self
                    .workspace
                    .as_ref()
                    .map(|w| &w.loaded)
                    .and_then(|l| l.project.bookmark(&name).cloned())
                {
                    self.view.go_to(b.lon, b.lat, b.zoom);
                }
            }
            Command::ZoomAt { lon, lat, zoom } => self.view.go_to(lon, lat, zoom),
            Command::AddBookmark(b) => {
                if let Some(l) = self.workspace.as_mut().map(|w| &mut w.loaded) {
                    l.project.bookmarks.retain(|old| old.name != b.name);
                    l.project.bookmarks.push(b);
                }
            }
            Command::SetVisible { layer, visible } => {
                self.with_style(layer, |s| s.visible = visible);
            }
            Command::SetOpacity { layer, opacity } => {
                self.with_style(layer, |s| s.opacity = opacity);
            }
            Command::SetCategoryField { layer, field } => {
                if let Some(l) = self.map_layer(layer) {
                    l.data.style.categorize(&l.data.layer, field.as_deref());
                    l.drawing.colors =
                        crate::map::prepared::feature_colors(&l.data.layer, &l.data.style);
                }
            }
            Command::MoveLayer { layer, up } => {
                // Ids stay with their layers: the selection and the table stay too.
                if let Some(ws) = self.workspace.as_mut() {
                    ws.loaded.layers.move_by_one(layer, up);
                }
            }
            Command::ShowTable(layer) => {
                if let Some(ws) = self.workspace.as_mut() {
                    ws.table.layer = Some(layer);
                }
            }
            Command::SetAttribute {
                feature,
                field,
                value,
            } => {
                if let Some(l) = self.map_layer(feature.layer) {
                    l.data.layer.set_text(feature.feature, field, value);
                    if let Some(ws) = self.workspace.as_mut() {
                        if field == "review" {
                            ws.loaded.sync_inspection_targets();
                            if let Some(run) = &ws.monitoring {
                                ws.loaded.refresh_monitoring_points(run);
                            }
                        }
                        if ws.loaded.store.is_some() {
                            ws.store_edits.push((feature, field));
                        }
                    }
                }
            }
            Command::ResolveConflict { keep_mine } => self.resolve_conflict(ctx, keep_mine),
            Command::BuildOverviews(path) => {
                for r in self.rasters_mut() {
                    r.lacks_overviews &= r.source.as_ref() != Some(&path);
                }
                self.start_overviews(ctx, path);
            }
            Command::ToggleLanguage => self.lang = self.lang.toggled(),
            Command::OpenDialog(purpose) => self.dialog = Some(FileDialog::new(purpose)),
            Command::ToggleDispatch => self.dispatch.open = !self.dispatch.open,
            Command::ToggleMonitoring => self.monitoring.open = !self.monitoring.open,
            Command::ToggleTrace => {
                self.trace_open = !self.trace_open;
                self.view.trace.active = self.trace_open;
            }
            Command::TraceFrom { lon, lat, label } => self.trace_from(lon, lat, label),
            Command::ClearTrace => {
                if let Some(ws) = &mut self.workspace {
                    ws.trace = None;
                }
            }
            Command::ExportTraceLists => self.export_trace_lists(),
            Command::TogglePresenter => self.toggle_presenter(),
            Command::PresentOn(monitor) => self.present_on(monitor),
            Command::StoryStep(delta) => self.story_step(delta),
            Command::SetTime(until) => {
                self.presenter.time.playing = false;
                self.set_time(until);
            }
            Command::AddMark(mark) => {
                self.presenter.marks.push(mark);
                self.keep_story();
            }
            Command::UndoMark => {
                self.presenter.marks.pop();
                self.keep_story();
            }
            Command::ClearMarks => {
                self.presenter.marks.clear();
                self.keep_story();
            }
            Command::AddStep(caption) => self.add_step(caption),
            Command::RemoveStep => self.remove_step(),
            Command::UpdateStep => self.update_step(),
            Command::MoveStep(by) => self.move_step(by),
            Command::StoryEdited => self.keep_story(),
            Command::Snapshot => self.snapshot(ctx),
            Command::WriteMinutes => self.write_minutes(),
            Command::AddTraceToDraw => self.add_trace_to_draw(),
            Command::AnalyseMonitoring(folder) => self.start_monitoring(ctx, folder, true),
            Command::ExportMonitoringEvidence(row) => self.start_monitoring_evidence(ctx, row),
            Command::DismissMessages => {
                self.messages.clear();
                self.retry_import = None;
            }
            Command::SetBasemap(basemap) => {
                if basemap.needs_input() {
                    // Remembered; its tiles start once the path or key is applied.
                    self.view.basemap = basemap;
                    self.view.tiles = None;
                } else {
                    self.view.set_basemap(basemap, ctx);
                }
            }
            Command::SetRasterView { raster, view } => {
                if let Some(r) = self.rasters_mut().get_mut(raster) {
                    r.set_view(view);
                }
            }
            Command::RemoveRaster(raster) => {
                if let Some(w) = self.workspace.as_mut()
                    && raster < w.loaded.rasters.len()
                {
                    w.loaded.rasters.remove(raster);
                    if w.loaded.rasters.len() < 2 {
                        self.view.swipe = None;
                    }
                }
            }
            Command::ResumeRasterTiles(raster) => {
                if let Some(r) = self.rasters_mut().get_mut(raster) {
                    r.tiles.paused = false;
                }
            }
            Command::SetSwipe(swipe) => self.view.swipe = swipe,
            Command::BandMath { raster, expression } => {
                let made = self
                    .rasters_mut()
                    .get(raster)
                    .map(|r| r.band_math(&expression));
                match made {
                    Some(Ok(new)) => {
                        self.band_math.error = None;
                        if let Some(w) = self.workspace.as_mut() {
                            w.loaded.rasters.push(new);
                        }
                    }
                    Some(Err(e)) => self.band_math.error = Some(e),
                    None => {}
                }
            }
        }
    }

    /// Selects a feature and, for an area, counts what lies inside it (once, not per frame).
    fn select(&mut self, selection: Option<FeatureRef>) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        ws.selection = selection;
        if ws
            .history
            .as_ref()
            .is_some_and(|(f, _)| Some(*f) != selection)
        {
            ws.history = None;
        }
        ws.selection_counts = selection
            .and_then(|s| {
                let g = ws.loaded.geometry(s)?;
                Some(ws.loaded.counts_inside(g))
            })
            .unwrap_or_default();
    }

    /// The photo behind a feature (footprints carry a `path` attribute), if it is one.
    fn photo_path(&self, f: FeatureRef) -> Option<std::path::PathBuf> {
        let layer = &self
            .workspace
            .as_ref()?
            .loaded
            .layers
            .get(f.layer)?
            .data
            .layer;
        let path = std::path::PathBuf::from(layer.value(f.feature, "path").as_str()?);
        (yitu_imagery::jpeg::is_jpeg_path(&path) && path.is_file()).then_some(path)
    }

    /// The open project's rasters (none without a project).
    fn rasters_mut(&mut self) -> &mut [RasterOverlay] {
        self.workspace
            .as_mut()
            .map_or(&mut [], |w| w.loaded.rasters.as_mut_slice())
    }

    fn with_style(&mut self, layer: LayerId, f: impl FnOnce(&mut yitu_layers::LayerStyle)) {
        if let Some(l) = self.map_layer(layer) {
            f(&mut l.data.style);
        }
    }

    /// The firm's inspection recorded today on the draw and its route stops; the shared store
    /// hears of every field changed.
    fn record_inspection(&mut self, source_id: &str, finding: yitu_layers::inspection::Finding) {
        use yitu_layers::inspection::{Which, record};
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let day = super::present::beijing_now()
            .strftime("%Y-%m-%d")
            .to_string();
        let id = |name: &str| ws.loaded.layers.named(name).map(|l| l.id);
        let draw = id(yitu_draw::publish::DRAW_LAYER);
        let stops = id(yitu_routing::dispatch::output::STOPS_LAYER);
        for (which, layer) in [(Which::Draw, draw), (Which::Stops, stops)] {
            let Some(l) = layer.and_then(|id| ws.loaded.layers.get_mut(id)) else {
                continue;
            };
            let changed = record(&mut l.data.layer, which, source_id, finding, &day);
            if ws.loaded.store.is_some() {
                ws.store_edits
                    .extend(changed.into_iter().map(|(feature, field)| {
                        (
                            FeatureRef {
                                layer: l.id,
                                feature,
                            },
                            field,
                        )
                    }));
            }
        }
    }

    /// A layer of the open project.
    fn map_layer(&mut self, layer: LayerId) -> Option<&mut MapLayer> {
        self.workspace.as_mut()?.loaded.layers.get_mut(layer)
    }
}
