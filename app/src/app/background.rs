//! Starting the app's background jobs, and applying what they hand back in one place.

use std::path::PathBuf;

use yitu_layers::io::ReadOptions;

use super::YituApp;
use crate::jobs::Progress;
use crate::jobs::registry::{Finished, JobKind, Outcome};
use crate::state::{self, ProjectSource};
use crate::workspace::Workspace;

/// A file's name, as a job on it is labelled.
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

impl YituApp {
    /// Starts a job in the registry, or says why it could not start.
    pub(super) fn start_job(
        &mut self,
        ctx: &egui::Context,
        job: (JobKind, Option<String>),
        retry: Option<(PathBuf, ReadOptions)>,
        work: impl FnOnce(&Progress) -> anyhow::Result<Outcome> + Send + 'static,
    ) {
        if let Err(why) = self.jobs.start(self.lang, job, retry, ctx, work) {
            self.messages.push(why);
        }
    }

    pub(super) fn start_load(&mut self, ctx: &egui::Context, source: ProjectSource) {
        self.start_job(ctx, (JobKind::Load, None), None, move |p| {
            Ok(Outcome::Loaded(Box::new(state::load(&source, p)?)))
        });
    }

    pub(super) fn start_import(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        options: ReadOptions,
    ) {
        let job = (JobKind::Import, Some(file_name(&path)));
        let file = path.clone();
        self.start_job(ctx, job, Some((path, options)), move |p| {
            Ok(Outcome::Imported(state::import(&file, options, p)?))
        });
    }

    pub(super) fn start_detect(&mut self, ctx: &egui::Context, raster: PathBuf) {
        let Some(loaded) = self.workspace.as_ref().map(|w| &w.loaded) else {
            return;
        };
        // A snapshot of the registry layers: editing may go on while detection runs.
        let registry: Vec<yitu_layers::Layer> = loaded
            .project
            .layers
            .iter()
            .filter(|l| yitu_imagery::detect::is_registry_kind(l.layer.kind))
            .map(|l| l.layer.clone())
            .collect();
        let job = (JobKind::Detect, Some(file_name(&raster)));
        self.start_job(ctx, job, None, move |p| {
            Ok(Outcome::Imported(state::detect(&raster, &registry, p)?))
        });
    }

    /// `<project>_evidence/` beside the saved project, or `None` with the user asked to save.
    pub(super) fn evidence_folder(&mut self) -> Option<std::path::PathBuf> {
        let loaded = &self.workspace.as_ref()?.loaded;
        folder_beside_or_ask(
            loaded,
            "evidence",
            self.lang.t(
                "请先保存项目：证据导出到项目旁的文件夹",
                "Save the project first: evidence goes into a folder beside it",
            ),
            &mut self.messages,
        )
    }

    /// Evidence goes into `<project>_evidence/` beside the saved project, with the case file.
    pub(super) fn start_evidence(
        &mut self,
        ctx: &egui::Context,
        feature: crate::feature::FeatureRef,
    ) {
        let Some(dir) = self.evidence_folder() else {
            return;
        };
        let Some(loaded) = self.workspace.as_ref().map(|w| &w.loaded) else {
            return;
        };
        let Some(l) = loaded.layers.get(feature.layer) else {
            return;
        };
        let layer = l.data.layer.clone();
        self.start_job(ctx, (JobKind::Evidence, None), None, move |p| {
            Ok(Outcome::Written(state::export_evidence(
                &layer,
                feature.feature,
                &dir,
                p,
            )?))
        });
    }

    pub(super) fn start_draw(&mut self, ctx: &egui::Context, request: state::DrawRequest) {
        let Some(loaded) = self.workspace.as_ref().map(|w| &w.loaded) else {
            return;
        };
        let Some(snapshot) = loaded.draw_snapshot() else {
            let msg = self.lang.t(
                "项目中没有污染源图层",
                "The project has no pollution-source layer",
            );
            self.messages.push(msg.to_owned());
            return;
        };
        self.start_job(ctx, (JobKind::Draw, None), None, move |p| {
            Ok(Outcome::Drawn(Box::new(state::draw(
                &request, &snapshot, p,
            )?)))
        });
    }

    /// Replaces the plan's district pairs by nearby ones: a few milliseconds on the project's
    /// sources, so done here, not as a job.
    pub(super) fn pair_nearby_districts(&mut self) {
        let Some(snapshot) = self
            .workspace
            .as_ref()
            .map(|w| &w.loaded)
            .and_then(state::LoadedProject::draw_snapshot)
        else {
            return;
        };
        let csv = self.dispatch.roster_csv.trim();
        let csv = (!csv.is_empty()).then(|| std::path::PathBuf::from(csv));
        match state::with_nearby_pairs(&self.dispatch.plan_toml, csv.as_deref(), &snapshot) {
            Ok((plan, n)) => {
                self.dispatch.plan_toml = plan;
                self.messages.push(format!(
                    "{}: {n}",
                    self.lang
                        .t("已按就近原则配对区县", "Districts paired with nearby ones")
                ));
            }
            Err(e) => self.messages.push(format!(
                "{}: {e:#}",
                self.lang.t("无法配对", "Cannot pair districts")
            )),
        }
    }

    /// The record, announcement and task list go into `<project>_draw/` beside the saved
    /// project.
    pub(super) fn start_publish_draw(&mut self, ctx: &egui::Context) {
        let Some((loaded, Some(outcome))) = self
            .workspace
            .as_ref()
            .map(|w| (&w.loaded, &w.dispatch.draw))
        else {
            return;
        };
        let Some(dir) = folder_beside_or_ask(
            loaded,
            "draw",
            self.lang.t(
                "请先保存项目：公示和任务清单导出到项目旁的文件夹",
                "Save the project first: the announcement and tasks go into a folder beside it",
            ),
            &mut self.messages,
        ) else {
            return;
        };
        let (record, inputs) = (outcome.record.clone(), outcome.inputs.clone());
        self.start_job(ctx, (JobKind::PublishDraw, None), None, move |p| {
            Ok(Outcome::Written(state::publish_draw(
                &record, &inputs, &dir, p,
            )?))
        });
    }

    /// Plans the last draw's tasks; the routes and stops go on the map when it is done.
    pub(super) fn start_plan_routes(
        &mut self,
        ctx: &egui::Context,
        mut request: state::RouteRequest,
    ) {
        let Some((loaded, Some(outcome))) = self
            .workspace
            .as_ref()
            .map(|w| (&w.loaded, &w.dispatch.draw))
        else {
            return;
        };
        request.roads_folder = loaded.folder_beside("roads");
        let (record, teams) = (outcome.record.clone(), loaded.teams_snapshot());
        self.start_job(ctx, (JobKind::PlanRoutes, None), None, move |p| {
            Ok(Outcome::Planned(Box::new(state::plan_routes(
                &request, &record, &teams, p,
            )?)))
        });
    }

    /// A dispatcher's manual move, re-planned on the spot (it re-times two routes, well under
    /// a millisecond): the map and the timeline follow; a move that cannot be made is said why.
    pub(super) fn move_stop(&mut self, task: usize, team: usize, day: usize) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let Some(plan) = &ws.dispatch.routes else {
            return;
        };
        match yitu_routing::dispatch::manual::move_task(plan, task, team, day) {
            Ok(mut moved) => {
                if let Some(roads) = &ws.dispatch.roads {
                    // The two re-timed routes, along the roads again (a few milliseconds).
                    yitu_routing::dispatch::follow_roads(&mut moved, roads);
                }
                // The next full plan keeps it where the dispatcher put it.
                let locks = &mut self.dispatch.route_settings.locks;
                let source_id = moved.tasks[task].source_id.clone();
                locks.retain(|l| l.source_id != source_id);
                locks.push(yitu_routing::dispatch::Lock {
                    source_id,
                    team: moved.teams[team].id.clone(),
                    day,
                });
                let (routes, stops) = yitu_routing::dispatch::output::layers(&moved);
                ws.loaded.show_routes(routes, stops);
                ws.dispatch.routes = Some(moved);
                ws.dispatch.day = day;
            }
            Err(e) => self.messages.push(format!(
                "{}: {e}",
                self.lang.t("无法调整", "Cannot move it")
            )),
        }
    }

    /// The task sheets, GPX, KML and stop lists go into `<project>_routes/` beside the saved
    /// project.
    pub(super) fn start_export_routes(&mut self, ctx: &egui::Context) {
        let Some((loaded, Some(plan))) = self
            .workspace
            .as_ref()
            .map(|w| (&w.loaded, &w.dispatch.routes))
        else {
            return;
        };
        let Some(dir) = folder_beside_or_ask(
            loaded,
            "routes",
            self.lang.t(
                "请先保存项目：任务单导出到项目旁的文件夹",
                "Save the project first: the task sheets go into a folder beside it",
            ),
            &mut self.messages,
        ) else {
            return;
        };
        let plan = plan.clone();
        self.start_job(ctx, (JobKind::ExportRoutes, None), None, move |p| {
            p.set(0.2, "writing");
            yitu_routing::dispatch::export::write(&plan, &dir)?;
            Ok(Outcome::Written(dir))
        });
    }

    pub(super) fn start_save(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(loaded) = self.workspace.as_ref().map(|w| &w.loaded) else {
            return;
        };
        // A snapshot: editing may go on while it is written.
        let project = loaded.project_for_saving();
        // A store's project saved to a file is an offline copy of it: its edits can be synced.
        let copy = loaded.store.is_some();
        let monitoring = self.workspace.as_ref().and_then(|w| w.monitoring.clone());
        self.start_job(ctx, (JobKind::Save, None), None, move |p| {
            p.set(0.1, "writing");
            if copy {
                project.save_copy(&path)?;
            } else {
                project.save(&path)?;
            }
            if let Some(run) = monitoring {
                p.set(0.7, "monitoring data");
                state::monitoring::keep(&run, &path)?;
            }
            Ok(Outcome::Written(path))
        });
    }

    pub(super) fn start_overviews(&mut self, ctx: &egui::Context, path: PathBuf) {
        let job = (JobKind::Overviews, Some(file_name(&path)));
        self.start_job(ctx, job, None, move |p| {
            p.set(0.1, "overviews");
            yitu_layers::raster::build_overviews(&path)?;
            Ok(Outcome::Written(path))
        });
    }

    /// Applies what every job that has ended handed back.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for finished in self.jobs.finished() {
            self.job_ended(ctx, finished);
        }
    }

    /// The one place a job's outcome reaches the app.
    fn job_ended(&mut self, ctx: &egui::Context, finished: Finished) {
        let lang = self.lang;
        let for_open_project = self.jobs.is_open(&finished);
        let Finished {
            kind,
            subject,
            result,
            retry,
            ..
        } = finished;
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(e) => {
                if let Some(yitu_layers::LayersError::BadRows { .. }) = e.downcast_ref() {
                    self.retry_import = retry;
                }
                let what = if kind == JobKind::Save && !for_open_project {
                    lang.t("保存上一个项目失败", "Saving the previous project failed")
                } else {
                    kind.failed(lang)
                };
                let subject = subject.map(|s| format!(" {s}")).unwrap_or_default();
                self.messages.push(format!("{what}{subject}: {e:#}"));
                return;
            }
        };
        match outcome {
            Outcome::Loaded(loaded) => self.opened(ctx, *loaded),
            Outcome::Imported(imported) => self.imported(imported, subject.as_deref()),
            Outcome::Drawn(outcome) => {
                if let Some(ws) = self.workspace.as_mut() {
                    ws.loaded.show_draw(outcome.layer.clone());
                    ws.dispatch.draw = Some(*outcome);
                }
            }
            Outcome::Planned(outcome) => {
                if let Some(ws) = self.workspace.as_mut() {
                    ws.loaded.show_routes(outcome.routes, outcome.stops);
                    ws.dispatch.routes = Some(outcome.plan);
                    ws.dispatch.roads = outcome.network;
                    ws.dispatch.day = 0;
                }
            }
            Outcome::Written(path) if kind == JobKind::Save && for_open_project => {
                if let Some(l) = self.workspace.as_mut().map(|w| &mut w.loaded) {
                    l.path = Some(path);
                }
            }
            Outcome::Heard(heard) if for_open_project => self.heard(ctx, *heard),
            Outcome::Saved(saved) if for_open_project => self.saved(saved),
            Outcome::History(feature, entries) if for_open_project => {
                if let Some(ws) = self.workspace.as_mut() {
                    ws.history = Some((feature, entries));
                }
            }
            Outcome::Monitored(run) if for_open_project => self.monitored(ctx, *run),
            Outcome::Heard(_)
            | Outcome::Saved(_)
            | Outcome::History(..)
            | Outcome::Monitored(_) => {}
            Outcome::Written(path) => {
                let what = if kind == JobKind::Save {
                    lang.t("上一个项目已保存", "The previous project was saved")
                } else {
                    kind.written(lang)
                };
                self.messages.push(format!("{what}: {}", path.display()));
            }
        }
    }

    /// A project has loaded: a new workspace replaces the open one and everything derived
    /// from it (issue #18, 5): the draw, the route plan and its roads, reviews, the selection
    /// and table; so do the photo viewer and the jobs working for the old one (dropped, so
    /// cancelled, their results never applied to the new project). What the user typed (the
    /// plan TOML, the entropy, route settings) stays, and a save in flight still finishes
    /// writing the old project's file.
    fn opened(&mut self, ctx: &egui::Context, mut loaded: state::LoadedProject) {
        self.messages.append(&mut loaded.warnings);
        let start = self
            .start_view
            .take()
            .and_then(|name| loaded.project.bookmark(&name).cloned());
        self.photo_viewer = None;
        self.retry_import = None;
        self.jobs.forget_project();
        self.open_workspace(ctx, loaded);
        // After the workspace opens: a presentation it starts does not move the view asked for.
        if let Some(b) = start {
            self.view.go_to(b.lon, b.lat, b.zoom);
        }
    }

    /// `loaded` becomes the open workspace; a store's project starts hearing other desks.
    pub(super) fn open_workspace(&mut self, ctx: &egui::Context, mut loaded: state::LoadedProject) {
        let listener = loaded.store.as_mut().and_then(|s| s.listener.take());
        self.workspace = Some(Workspace::new(loaded));
        if let Some(listener) = listener {
            self.start_listen(ctx, listener);
        }
        if let Some((lon, lat)) = self.pending_trace.take() {
            self.trace_from(lon, lat, String::new());
        }
        if self.screenshot.as_ref().is_some_and(|s| s.second.is_some()) {
            // As from the meeting window, which stays open to drive it.
            self.meeting.open = true;
            self.present_on(Some(0));
        }
        if let Some(folder) = self.pending_monitoring.take() {
            // A screenshot asked for it to be seen; a start shows it on the map only.
            let show = self.screenshot.is_some();
            self.start_monitoring(ctx, folder, show);
        }
    }

    /// Layers and rasters from an import or a detection join the project, and the map shows
    /// them.
    fn imported(&mut self, imported: state::ImportedLayers, subject: Option<&str>) {
        if let Some(first) = imported.skipped.first() {
            self.messages.push(format!(
                "{}: {} {} ({first})",
                subject.unwrap_or_default(),
                imported.skipped.len(),
                self.lang.t("项被跳过", "skipped")
            ));
        }
        // Show what came in: data from elsewhere (a flight abroad, a file in a projected CRS)
        // would otherwise be off screen.
        let extent =
            yitu_layers::layer::union_bbox(imported.layers.iter().filter_map(|l| l.layer.bbox()))
                .or_else(|| {
                    imported
                        .rasters
                        .first()
                        .map(crate::raster::overlay::RasterOverlay::lon_lat_rect)
                });
        if let Some(r) = extent {
            self.view.zoom_to(r);
        }
        if let Some(loaded) = self.workspace.as_mut().map(|w| &mut w.loaded) {
            loaded.add(imported);
        }
    }
}

/// The folder `<project>_<what>/` beside the saved project an export goes into, or `None`
/// with `ask_to_save` said to the user: an unsaved project has no folder to write beside.
fn folder_beside_or_ask(
    loaded: &state::LoadedProject,
    what: &str,
    ask_to_save: &str,
    messages: &mut Vec<String>,
) -> Option<std::path::PathBuf> {
    let dir = loaded.folder_beside(what);
    if dir.is_none() {
        messages.push(ask_to_save.to_owned());
    }
    dir
}
