//! Applying the frame's queued commands to the app state.

use geo::BoundingRect;

use super::YituApp;
use crate::command::{Command, FeatureRef};
use crate::state::ProjectSource;

impl YituApp {
    pub(super) fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenProject(path) => self.start_load(ctx, ProjectSource::File(path)),
            Command::LoadSample => self.start_load(ctx, ProjectSource::Sample),
            Command::SaveProject(path) => self.start_save(ctx, path),
            Command::Import { path, options } => self.start_import(ctx, path, options),
            Command::Select(s) => self.select(s),
            Command::ZoomTo(f) => {
                self.select(Some(f));
                let rect = self.loaded.as_ref().and_then(|l| {
                    l.project
                        .layers
                        .get(f.layer)?
                        .layer
                        .features
                        .get(f.feature)?
                        .geometry
                        .as_ref()?
                        .bounding_rect()
                });
                if let Some(r) = rect {
                    let c = r.center();
                    let span = r.width().max(r.height()).max(0.002);
                    let zoom = (360.0 / span).log2().clamp(3.0, 17.0) - 1.0;
                    self.view.go_to(c.x, c.y, zoom);
                }
            }
            Command::GoToBookmark(name) => {
                if let Some(b) = self
                    .loaded
                    .as_ref()
                    .and_then(|l| l.project.bookmark(&name).cloned())
                {
                    self.view.go_to(b.lon, b.lat, b.zoom);
                }
            }
            Command::ZoomAt { lon, lat, zoom } => self.view.go_to(lon, lat, zoom),
            Command::AddBookmark(b) => {
                if let Some(l) = &mut self.loaded {
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
                if let Some(l) = &mut self.loaded
                    && let (Some(pl), Some(prep)) =
                        (l.project.layers.get_mut(layer), l.prepared.get_mut(layer))
                {
                    pl.style.categorize(&pl.layer, field.as_deref());
                    prep.colors = crate::prepared::feature_colors(&pl.layer, &pl.style);
                }
            }
            Command::MoveLayer { layer, up } => {
                if let Some(l) = &mut self.loaded {
                    let other = if up { layer + 1 } else { layer.wrapping_sub(1) };
                    if other < l.project.layers.len() {
                        l.project.layers.swap(layer, other);
                        l.prepared.swap(layer, other);
                        self.selection = None;
                        self.table.layer = None;
                    }
                }
            }
            Command::ShowTable(layer) => self.table.layer = Some(layer),
            Command::ToggleLanguage => self.lang = self.lang.toggled(),
        }
    }

    /// Selects a feature and, for an area, counts what lies inside it (once, not per frame).
    fn select(&mut self, selection: Option<FeatureRef>) {
        self.selection = selection;
        self.selection_counts = selection
            .and_then(|s| {
                let l = self.loaded.as_ref()?;
                let g = l
                    .project
                    .layers
                    .get(s.layer)?
                    .layer
                    .features
                    .get(s.feature)?
                    .geometry
                    .as_ref()?;
                Some(l.counts_inside(g))
            })
            .unwrap_or_default();
    }

    fn with_style(&mut self, layer: usize, f: impl FnOnce(&mut yitu_layers::LayerStyle)) {
        if let Some(pl) = self
            .loaded
            .as_mut()
            .and_then(|l| l.project.layers.get_mut(layer))
        {
            f(&mut pl.style);
        }
    }
}
