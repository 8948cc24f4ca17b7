//! The desktop app: panels around the map, background loading, commands applied at frame end.

mod apply;
mod background;
mod basins;
mod monitoring;
mod present;
mod store;
mod top_bar;

use std::path::PathBuf;

use yitu_layers::io::ReadOptions;

use crate::command::Command;
use crate::i18n::Lang;
use crate::jobs::registry::{JobKind, Jobs};
use crate::map::view::{MapViewState, map_ui};
use crate::panels::file_dialog::{FileDialog, Outcome, Purpose};
use crate::panels::identify::{identify_ui, measure_ui};
use crate::panels::layers::{layers_ui, rasters_ui};
use crate::panels::status::CoordinateReadout;
use crate::panels::table::table_ui;
use crate::screenshot::ScreenshotRequest;
use crate::state::{LoadedProject, ProjectSource};
use crate::workspace::Workspace;

/// How the app starts.
#[derive(Debug, Clone)]
pub struct StartOptions {
    pub source: ProjectSource,
    pub lang: Lang,
    /// Open at this bookmark once loaded.
    pub view: Option<String>,
    /// Save a screenshot here once everything is loaded, then quit.
    pub screenshot: Option<PathBuf>,
    /// With a screenshot: the presentation shown on a second screen, and its picture saved here.
    pub second_screen: Option<PathBuf>,
    /// A basemap under the layers from the start.
    pub basemap: Option<crate::map::basemap::Basemap>,
    /// A folder of monitoring data to analyse once the project is open.
    pub monitoring: Option<PathBuf>,
    /// Trace the rivers from this point (lon, lat) once the project is open.
    pub trace: Option<(f64, f64)>,
    /// `yitu present`: render a story's steps into this folder (and the story's name).
    pub present: Option<(PathBuf, Option<String>)>,
}

impl StartOptions {
    /// `source` opened in `lang`, with nothing else asked for.
    pub fn new(source: ProjectSource, lang: Lang) -> Self {
        Self {
            source,
            lang,
            view: None,
            screenshot: None,
            second_screen: None,
            basemap: None,
            monitoring: None,
            trace: None,
            present: None,
        }
    }
}

pub struct YituApp {
    lang: Lang,
    /// The open project and everything derived from it.
    workspace: Option<Workspace>,
    /// Every background job: loading, importing, detecting, saving, drawing, planning,
    /// exporting.
    jobs: Jobs,
    /// The draw window's settings, which stay from one project to the next.
    dispatch: crate::panels::dispatch::DispatchState,
    /// The monitoring window.
    monitoring: crate::panels::monitoring::MonitoringView,
    /// Whether the river-trace window shows.
    trace_open: bool,
    /// Command-centre mode.
    presenter: crate::presenter::Presenter,
    /// `yitu present` in progress.
    present_run: Option<present::PresentRun>,
    /// The desk's meeting window, and the second screen when one shows the presentation.
    meeting: crate::panels::meeting::MeetingView,
    second: Option<crate::presenter::second::SecondScreen>,
    view: MapViewState,
    /// The band-math expression being typed, and its last error.
    band_math: crate::panels::layers::BandMathInput,
    readout: CoordinateReadout,
    dialog: Option<FileDialog>,
    photo_viewer: Option<crate::panels::photo_viewer::PhotoViewer>,
    messages: Vec<String>,
    /// A file whose import failed on bad rows: offered again, skipping them.
    retry_import: Option<(PathBuf, ReadOptions)>,
    start_view: Option<String>,
    /// Monitoring data to analyse once the project has loaded.
    pending_monitoring: Option<PathBuf>,
    /// A river trace to run once the project has loaded.
    pending_trace: Option<(f64, f64)>,
    screenshot: Option<ScreenshotRequest>,
    commands: Vec<Command>,
}

impl YituApp {
    pub fn new(ctx: &egui::Context, options: StartOptions) -> Self {
        let mut app = Self::new_empty(ctx, options.lang);
        app.start_view = options.view;
        app.pending_monitoring = options.monitoring;
        app.pending_trace = options.trace;
        if let Some(basemap) = options.basemap {
            app.view.set_basemap(basemap, ctx);
        }
        app.present_run = options
            .present
            .map(|(out, story)| present::PresentRun::new(out, story));
        app.screenshot = options
            .screenshot
            .map(|out| ScreenshotRequest::new(out, options.second_screen));
        app.start_load(ctx, options.source);
        app
    }

    fn new_empty(ctx: &egui::Context, lang: Lang) -> Self {
        crate::fonts::install(ctx);
        // Light visuals: the map reads better on a bright background, on big screens too.
        ctx.set_theme(egui::Theme::Light);
        Self {
            lang,
            workspace: None,
            jobs: Jobs::default(),
            dispatch: crate::panels::dispatch::DispatchState::default(),
            monitoring: crate::panels::monitoring::MonitoringView::default(),
            trace_open: false,
            presenter: crate::presenter::Presenter::default(),
            present_run: None,
            meeting: crate::panels::meeting::MeetingView::default(),
            second: None,
            view: MapViewState::default(),
            band_math: crate::panels::layers::BandMathInput::default(),
            readout: CoordinateReadout::default(),
            dialog: None,
            photo_viewer: None,
            messages: Vec::new(),
            retry_import: None,
            start_view: None,
            pending_monitoring: None,
            pending_trace: None,
            screenshot: None,
            commands: Vec::new(),
        }
    }

    /// Analyses a folder of monitoring data for the open project (as the monitoring window's
    /// folder dialog does; for tests and scripted starts).
    pub fn analyse_monitoring(&mut self, ctx: &egui::Context, folder: PathBuf) {
        self.start_monitoring(ctx, folder, true);
    }

    /// An app over an already loaded project (benchmarks and UI tests: no background load).
    pub fn with_loaded(
        ctx: &egui::Context,
        loaded: LoadedProject,
        lang: Lang,
        bookmark: Option<&str>,
    ) -> Self {
        let mut app = Self::new_empty(ctx, lang);
        if let Some(b) = bookmark.and_then(|name| loaded.project.bookmark(name)) {
            app.view.go_to(b.lon, b.lat, b.zoom);
        }
        app.open_workspace(ctx, loaded);
        app
    }

    pub fn is_busy(&self) -> bool {
        self.jobs.is_working()
            || self.workspace.as_ref().is_some_and(|w| {
                w.loaded
                    .rasters
                    .iter()
                    .any(|r| r.visible && r.tiles.job().is_some())
            })
    }

    /// Draws one frame of the whole app into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_jobs(&ctx);
        for file in ctx.input(|i| i.raw.dropped_files.clone()) {
            let path = file.path().to_path_buf();
            if !path.as_os_str().is_empty() {
                self.commands.push(Command::Import {
                    path,
                    options: ReadOptions::default(),
                });
            }
        }
        let lang = self.lang;
        if self.presenter.on && self.workspace.is_some() {
            self.presenter_tick(&ctx);
            self.presenter_frame(ui);
            self.end_frame(&ctx);
            return;
        }
        self.view.tooltips = true;
        egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| {
            let mut text = self
                .view
                .hover
                .map(|p| self.readout.text(p, lang))
                .unwrap_or_default();
            // Values of the visible rasters under the pointer.
            if let (Some(p), Some(ws)) = (self.view.hover, &self.workspace) {
                let w = crate::map::world::World::from_lon_lat(p.x(), p.y());
                let values: Vec<String> = ws
                    .loaded
                    .rasters
                    .iter()
                    .filter(|r| r.visible)
                    .filter_map(|r| Some(format!("   {}: {}", r.name, r.values_at(w)?)))
                    .collect();
                text.push_str(&values.concat());
            }
            ui.horizontal(|ui| {
                ui.monospace(text);
            });
        });
        if let Some(ws) = &mut self.workspace {
            let loaded = &mut ws.loaded;
            if ws.table.layer.is_some() {
                egui::Panel::bottom("table")
                    .resizable(true)
                    .default_size(240.0)
                    .show(ui, |ui| {
                        table_ui(
                            ui,
                            &mut ws.table,
                            &loaded.layers,
                            ws.selection,
                            lang,
                            &mut self.commands,
                        );
                    });
            }
            egui::Panel::left("layers")
                .resizable(true)
                .default_size(250.0)
                .show(ui, |ui| {
                    rasters_ui(
                        ui,
                        &loaded.rasters,
                        self.view.swipe,
                        &mut self.band_math,
                        lang,
                        &mut self.commands,
                    );
                    layers_ui(ui, loaded, &mut self.view, lang, &mut self.commands);
                });
            egui::Panel::right("identify")
                .resizable(true)
                .default_size(280.0)
                .show(ui, |ui| {
                    measure_ui(ui, &mut self.view.measure, lang);
                    ui.separator();
                    crate::panels::review::review_ui(
                        ui,
                        &loaded.layers,
                        &mut ws.review,
                        lang,
                        &mut self.commands,
                    );
                    ui.separator();
                    let history = ws
                        .history
                        .as_ref()
                        .filter(|(f, _)| Some(*f) == ws.selection)
                        .map(|(_, h)| h.as_slice());
                    identify_ui(
                        ui,
                        loaded,
                        ws.selection,
                        history,
                        &ws.selection_counts,
                        lang,
                        &mut self.commands,
                    );
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| match &mut self.workspace {
            Some(ws) => map_ui(
                ui,
                &mut self.view,
                &mut ws.loaded,
                ws.selection,
                ws.trace.as_ref(),
                lang,
                &mut self.commands,
            ),
            None => {
                ui.centered_and_justified(|ui| {
                    ui.heading(lang.t(
                        "一图 · 正在加载重庆生态环境执法一张图…",
                        "Yitu · loading the Chongqing enforcement map…",
                    ));
                });
            }
        });
        if let Some(dialog) = self.dialog.as_mut() {
            match dialog.ui(&ctx, lang) {
                Outcome::Pending => {}
                Outcome::Cancelled => self.dialog = None,
                Outcome::Chosen(path) => {
                    let command = match dialog.purpose {
                        Purpose::OpenProject => Command::OpenProject(path),
                        Purpose::Import => Command::Import {
                            path,
                            options: dialog.options,
                        },
                        Purpose::SaveProject => Command::SaveProject(path),
                        Purpose::MonitoringFolder => Command::AnalyseMonitoring(path),
                    };
                    self.commands.push(command);
                    self.dialog = None;
                }
            }
        }
        crate::panels::dispatch::dispatch_ui(
            &ctx,
            &mut self.dispatch,
            self.workspace.as_mut().map(|w| &mut w.dispatch),
            self.jobs.any_of(&[JobKind::Draw, JobKind::PlanRoutes]),
            lang,
            &mut self.commands,
        );
        {
            let ws = self.workspace.as_ref();
            let anomalies = ws.and_then(|w| {
                let l = w
                    .loaded
                    .layers
                    .named(crate::state::monitoring::ANOMALIES_LAYER)?;
                Some((l.id, &l.data.layer))
            });
            self.monitoring.cursor_day = self.presenter.time.until;
            crate::panels::monitoring::monitoring_ui(
                &ctx,
                &mut self.monitoring,
                ws.and_then(|w| w.monitoring.as_deref()),
                anomalies,
                self.jobs.any_of(&[JobKind::Monitor]),
                lang,
                &mut self.commands,
            );
        }
        {
            let ws = self.workspace.as_ref();
            crate::panels::trace::trace_ui(
                &ctx,
                &mut self.trace_open,
                &mut self.view.trace,
                ws.and_then(|w| w.trace.as_ref()),
                ws.map(|w| &w.loaded),
                lang,
                &mut self.commands,
            );
        }
        if self.second.is_some() {
            self.desk_marks(ui);
        }
        self.colour_districts();
        crate::panels::meeting::meeting_ui(
            &ctx,
            &mut self.meeting,
            &mut self.presenter,
            self.second.is_some(),
            lang,
            &mut self.commands,
        );
        self.second_screen(&ctx);
        if let Some(ws) = &self.workspace
            && let Some(first) = ws.conflicts.first()
        {
            crate::panels::conflict::conflict_ui(
                &ctx,
                first,
                ws.conflicts.len() - 1,
                lang,
                &mut self.commands,
            );
        }
        if let Some(viewer) = self.photo_viewer.as_mut()
            && !viewer.ui(&ctx, lang)
        {
            self.photo_viewer = None;
        }
        self.end_frame(&ctx);
    }

    /// The presenter frame in the main window: the map and the indicators only.
    fn presenter_frame(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        self.colour_districts();
        let Some(ws) = &mut self.workspace else {
            return;
        };
        self.view.tooltips = false;
        egui::CentralPanel::no_frame().show(ui, |ui| {
            map_ui(
                ui,
                &mut self.view,
                &mut ws.loaded,
                ws.selection,
                ws.trace.as_ref(),
                lang,
                &mut self.commands,
            );
            crate::presenter::view::presenter_ui(
                ui,
                &mut self.presenter,
                &ws.loaded,
                self.view.last,
                lang,
                &mut self.commands,
            );
        });
    }

    /// What every frame ends with: the views' commands applied, edits written back, a
    /// snapshot or screenshot taken.
    fn end_frame(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            self.presenter.stale = true;
        }
        for c in commands {
            self.apply(ctx, c);
        }
        self.write_store_edits(ctx);
        // A snapshot's image arrives a frame or two later (`yitu present` takes its own).
        if self.presenter.pending.is_some() && self.present_run.is_none() {
            self.poll_snapshot();
            ctx.request_repaint();
        }
        // Basemap tiles still coming would be missing from a picture.
        let tiles = self
            .view
            .tiles
            .as_ref()
            .map_or(0, |t| t.stats().in_progress);
        let ready = self.workspace.is_some() && !self.is_busy() && tiles == 0;
        if let Some(shot) = self.screenshot.as_mut() {
            shot.step(ctx, ready, &mut self.messages);
        }
        self.present_step(ctx, ready);
    }
}

impl eframe::App for YituApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
