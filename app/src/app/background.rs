//! Starting and polling the app's background jobs: load, import, save.

use std::path::PathBuf;

use yitu_layers::io::ReadOptions;

use super::YituApp;
use crate::jobs::Job;
use crate::panels::table::TableState;
use crate::state::{self, ImportedLayers, ProjectSource};

/// An import in progress, with what is needed to offer it again.
pub(super) struct PendingImport {
    pub(super) job: Job<ImportedLayers>,
    pub(super) path: PathBuf,
    pub(super) options: ReadOptions,
}

impl YituApp {
    /// Starts a job, or says why it could not start: a running job of the same `name` is
    /// refused, and so is a thread that cannot be created.
    fn spawn<T: Send + 'static>(
        &mut self,
        name: &str,
        already_running: bool,
        ctx: &egui::Context,
        work: impl FnOnce(&crate::jobs::Progress) -> anyhow::Result<T> + Send + 'static,
    ) -> Option<Job<T>> {
        if already_running {
            let msg = format!("{name}: {}", self.lang.t("正在进行", "already running"));
            self.messages.push(msg);
            return None;
        }
        Job::spawn(name, ctx, work)
            .map_err(|e| self.messages.push(format!("{name}: {e:#}")))
            .ok()
    }

    pub(super) fn start_load(&mut self, ctx: &egui::Context, source: ProjectSource) {
        let name = self.lang.t("加载项目", "Load project");
        let running = self.load_job.is_some();
        if let Some(job) = self.spawn(name, running, ctx, move |p| state::load(&source, p)) {
            self.load_job = Some(job);
        }
    }

    pub(super) fn start_import(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        options: ReadOptions,
    ) {
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let name = format!("{} {file_name}", self.lang.t("导入", "Import"));
        let running = self.import_jobs.iter().any(|i| i.job.name == name);
        let file = path.clone();
        if let Some(job) = self.spawn(&name, running, ctx, move |p| {
            state::import(&file, options, p)
        }) {
            self.import_jobs.push(PendingImport { job, path, options });
        }
    }

    pub(super) fn start_detect(&mut self, ctx: &egui::Context, raster: PathBuf) {
        let Some(loaded) = &self.loaded else { return };
        // A snapshot of the registry layers: editing may go on while detection runs.
        let registry: Vec<yitu_layers::Layer> = loaded
            .project
            .layers
            .iter()
            .filter(|l| yitu_analysis::detect::is_registry_kind(l.layer.kind))
            .map(|l| l.layer.clone())
            .collect();
        let file_name = raster.file_name().unwrap_or_default().to_string_lossy();
        let name = format!("{} {file_name}", self.lang.t("检测", "Detect"));
        let running = self.import_jobs.iter().any(|i| i.job.name == name);
        let file = raster.clone();
        if let Some(job) = self.spawn(&name, running, ctx, move |p| {
            state::detect(&file, &registry, p)
        }) {
            self.import_jobs.push(PendingImport {
                job,
                path: raster,
                options: ReadOptions::default(),
            });
        }
    }

    /// Evidence goes into `<project>_evidence/` beside the saved project, with the case file.
    pub(super) fn start_evidence(
        &mut self,
        ctx: &egui::Context,
        feature: crate::command::FeatureRef,
    ) {
        let Some(loaded) = &self.loaded else { return };
        let Some(dir) = folder_beside_or_ask(
            loaded,
            "evidence",
            self.lang.t(
                "请先保存项目：证据导出到项目旁的文件夹",
                "Save the project first: evidence goes into a folder beside it",
            ),
            &mut self.messages,
        ) else {
            return;
        };
        let Some(pl) = loaded.project.layers.get(feature.layer) else {
            return;
        };
        let layer = pl.layer.clone();
        let running = self.evidence_job.is_some();
        let work = move |p: &crate::jobs::Progress| {
            state::export_evidence(&layer, feature.feature, &dir, p)
        };
        if let Some(job) = self.spawn(
            self.lang.t("导出证据", "Export evidence"),
            running,
            ctx,
            work,
        ) {
            self.evidence_job = Some(job);
        }
    }

    pub(super) fn start_draw(&mut self, ctx: &egui::Context, request: state::DrawRequest) {
        let Some(loaded) = &self.loaded else { return };
        let Some(snapshot) = loaded.draw_snapshot() else {
            let msg = self.lang.t(
                "项目中没有污染源图层",
                "The project has no pollution-source layer",
            );
            self.messages.push(msg.to_owned());
            return;
        };
        let running = self.draw_job.is_some();
        let work = move |p: &crate::jobs::Progress| state::draw(&request, &snapshot, p);
        if let Some(job) = self.spawn(self.lang.t("双随机抽取", "Random draw"), running, ctx, work)
        {
            self.draw_job = Some(job);
        }
    }

    /// Replaces the plan's district pairs by nearby ones: a few milliseconds on the project's
    /// sources, so done here, not as a job.
    pub(super) fn pair_nearby_districts(&mut self) {
        let Some(snapshot) = self
            .loaded
            .as_ref()
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
        let (Some(loaded), Some(outcome)) = (&self.loaded, &self.dispatch.outcome) else {
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
        let running = self.publish_job.is_some();
        let work = move |p: &crate::jobs::Progress| state::publish_draw(&record, &inputs, &dir, p);
        if let Some(job) = self.spawn(
            self.lang.t("导出公示", "Export announcement"),
            running,
            ctx,
            work,
        ) {
            self.publish_job = Some(job);
        }
    }

    /// Plans the last draw's tasks; the routes and stops go on the map when it is done.
    pub(super) fn start_plan_routes(
        &mut self,
        ctx: &egui::Context,
        mut request: state::RouteRequest,
    ) {
        let (Some(loaded), Some(outcome)) = (&self.loaded, &self.dispatch.outcome) else {
            return;
        };
        request.roads_folder = loaded.folder_beside("roads");
        let (record, teams) = (outcome.record.clone(), loaded.teams_snapshot());
        let running = self.routes_job.is_some();
        let work =
            move |p: &crate::jobs::Progress| state::plan_routes(&request, &record, &teams, p);
        if let Some(job) = self.spawn(
            self.lang.t("路线规划", "Route planning"),
            running,
            ctx,
            work,
        ) {
            self.routes_job = Some(job);
        }
    }

    /// A dispatcher's manual move, re-planned on the spot (it re-times two routes, well under
    /// a millisecond): the map and the timeline follow; a move that cannot be made is said why.
    pub(super) fn move_stop(&mut self, task: usize, team: usize, day: usize) {
        let Some(plan) = &self.dispatch.routes else {
            return;
        };
        match yitu_routing::dispatch::manual::move_task(plan, task, team, day) {
            Ok(mut moved) => {
                if let Some(roads) = &self.dispatch.roads {
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
                if let Some(loaded) = self.loaded.as_mut() {
                    loaded.show_routes(routes, stops);
                }
                self.dispatch.routes = Some(moved);
                self.dispatch.day = day;
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
        let (Some(loaded), Some(plan)) = (&self.loaded, &self.dispatch.routes) else {
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
        let running = self.routes_export_job.is_some();
        let work = move |p: &crate::jobs::Progress| {
            p.set(0.2, "writing");
            yitu_routing::dispatch::export::write(&plan, &dir)?;
            Ok(dir)
        };
        if let Some(job) = self.spawn(
            self.lang.t("导出任务单", "Export task sheets"),
            running,
            ctx,
            work,
        ) {
            self.routes_export_job = Some(job);
        }
    }

    pub(super) fn start_save(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(loaded) = &self.loaded else { return };
        // A snapshot: editing may go on while it is written.
        let project = loaded.project_for_saving();
        let work = move |p: &crate::jobs::Progress| {
            p.set(0.1, "writing");
            project.save(&path)?;
            Ok(path)
        };
        let running = self.save_job.is_some();
        if let Some(job) = self.spawn(self.lang.t("保存项目", "Save project"), running, ctx, work)
        {
            self.save_job = Some(job);
        }
    }

    pub(super) fn start_overviews(&mut self, ctx: &egui::Context, path: PathBuf) {
        let running = self.overview_job.is_some();
        let work = move |p: &crate::jobs::Progress| {
            p.set(0.1, "overviews");
            yitu_layers::raster::build_overviews(&path)?;
            Ok(path)
        };
        if let Some(job) = self.spawn(
            self.lang.t("建立金字塔", "Build overviews"),
            running,
            ctx,
            work,
        ) {
            self.overview_job = Some(job);
        }
    }

    /// Everything derived from the open project goes when another opens (issue #18, 5): the
    /// draw, the route plan and its roads, the review position, the selection and table, the
    /// photo viewer, and the jobs working for it (dropped, so cancelled, their results never
    /// applied to the new project). What the user typed (the plan TOML, the entropy, route
    /// settings) stays. A save in flight still finishes writing the old project's file.
    pub(super) fn forget_project_results(&mut self) {
        self.dispatch.forget_results();
        self.review = crate::panels::review::ReviewState::default();
        self.selection = None;
        self.selection_counts.clear();
        self.table = TableState::default();
        self.photo_viewer = None;
        self.retry_import = None;
        self.import_jobs.clear();
        self.evidence_job = None;
        self.draw_job = None;
        self.publish_job = None;
        self.routes_job = None;
        self.routes_export_job = None;
        if let Some(save) = self.save_job.take() {
            self.previous_save_job = Some(save);
        }
    }

    pub(super) fn poll_jobs(&mut self) {
        let lang = self.lang;
        let done = lang.t("证据已导出", "Evidence written");
        let failed = lang.t("导出证据失败", "Exporting evidence failed");
        report_file_job(&mut self.evidence_job, done, failed, &mut self.messages);
        let done = lang.t("金字塔已建立", "Overviews built");
        let failed = lang.t("建立金字塔失败", "Building overviews failed");
        report_file_job(&mut self.overview_job, done, failed, &mut self.messages);
        let done = lang.t("公示和任务清单已导出", "Announcement and tasks written");
        let failed = lang.t("导出公示失败", "Exporting the announcement failed");
        report_file_job(&mut self.publish_job, done, failed, &mut self.messages);
        let done = lang.t("任务单已导出", "Task sheets written");
        let failed = lang.t("导出任务单失败", "Exporting the task sheets failed");
        report_file_job(
            &mut self.routes_export_job,
            done,
            failed,
            &mut self.messages,
        );
        let done = lang.t("上一个项目已保存", "The previous project was saved");
        let failed = lang.t("保存上一个项目失败", "Saving the previous project failed");
        report_file_job(
            &mut self.previous_save_job,
            done,
            failed,
            &mut self.messages,
        );
        if let Some(result) = self.routes_job.as_ref().and_then(Job::poll) {
            self.routes_job = None;
            match result {
                Ok(outcome) => {
                    if let Some(loaded) = self.loaded.as_mut() {
                        loaded.show_routes(outcome.routes, outcome.stops);
                    }
                    self.dispatch.routes = Some(outcome.plan);
                    self.dispatch.roads = outcome.network;
                    self.dispatch.day = 0;
                }
                Err(e) => self.messages.push(format!(
                    "{}: {e:#}",
                    self.lang.t("路线规划失败", "Route planning failed")
                )),
            }
        }
        if let Some(result) = self.draw_job.as_ref().and_then(Job::poll) {
            self.draw_job = None;
            match result {
                Ok(outcome) => {
                    if let Some(loaded) = self.loaded.as_mut() {
                        loaded.show_draw(outcome.layer.clone());
                    }
                    self.dispatch.outcome = Some(outcome);
                }
                Err(e) => self.messages.push(format!(
                    "{}: {e:#}",
                    self.lang.t("抽取失败", "The draw failed")
                )),
            }
        }
        if let Some(result) = self.save_job.as_ref().and_then(Job::poll) {
            self.save_job = None;
            match result {
                Ok(path) => {
                    if let Some(l) = self.loaded.as_mut() {
                        l.path = Some(path);
                    }
                }
                Err(e) => self
                    .messages
                    .push(format!("{}: {e:#}", self.lang.t("保存失败", "Save failed"))),
            }
        }
        if let Some(result) = self.load_job.as_ref().and_then(Job::poll) {
            self.load_job = None;
            match result {
                Ok(mut loaded) => {
                    self.messages.append(&mut loaded.warnings);
                    if let Some(b) = self
                        .start_view
                        .take()
                        .and_then(|name| loaded.project.bookmark(&name).cloned())
                    {
                        self.view.go_to(b.lon, b.lat, b.zoom);
                    }
                    self.forget_project_results();
                    self.loaded = Some(loaded);
                }
                Err(e) => self
                    .messages
                    .push(format!("{}: {e:#}", self.lang.t("加载失败", "Load failed"))),
            }
        }
        let mut still_running = Vec::new();
        for pending in self.import_jobs.drain(..) {
            let job = &pending.job;
            match job.poll() {
                None => still_running.push(pending),
                Some(Ok(imported)) => {
                    if let Some(first) = imported.skipped.first() {
                        self.messages.push(format!(
                            "{}: {} {} ({first})",
                            job.name,
                            imported.skipped.len(),
                            self.lang.t("项被跳过", "skipped")
                        ));
                    }
                    // Show what came in: data from elsewhere (a flight abroad, a file in a
                    // projected CRS) would otherwise be off screen.
                    let extent = yitu_layers::layer::union_bbox(
                        imported.layers.iter().filter_map(|l| l.layer.bbox()),
                    )
                    .or_else(|| {
                        imported
                            .rasters
                            .first()
                            .map(super::super::raster_overlay::RasterOverlay::lon_lat_rect)
                    });
                    if let Some(r) = extent {
                        self.view.zoom_to(r);
                    }
                    if let Some(loaded) = self.loaded.as_mut() {
                        loaded.add(imported);
                    }
                }
                Some(Err(e)) => {
                    if let Some(yitu_layers::LayersError::BadRows { .. }) = e.downcast_ref() {
                        self.retry_import = Some((pending.path.clone(), pending.options));
                    }
                    self.messages.push(format!("{}: {e:#}", job.name));
                }
            }
        }
        self.import_jobs = still_running;
    }
}

/// Polls a job that writes a file and says how it ended: `done: PATH` or `failed: ERROR`.
fn report_file_job(
    job: &mut Option<Job<PathBuf>>,
    done: &str,
    failed: &str,
    messages: &mut Vec<String>,
) {
    let Some(result) = job.as_ref().and_then(Job::poll) else {
        return;
    };
    *job = None;
    messages.push(match result {
        Ok(path) => format!("{done}: {}", path.display()),
        Err(e) => format!("{failed}: {e:#}"),
    });
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
