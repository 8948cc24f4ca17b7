//! The desktop app: panels around the map, background loading, commands applied at frame end.

use std::path::PathBuf;

use geo::{BoundingRect, Point};
use yitu_layers::io::ReadOptions;

use crate::command::{Command, FeatureRef};
use crate::i18n::Lang;
use crate::jobs::{Job, job_ui};
use crate::map_view::{MapViewState, map_ui};
use crate::panels::file_dialog::{FileDialog, Outcome, Purpose};
use crate::panels::identify::{identify_ui, measure_ui};
use crate::panels::layers::layers_ui;
use crate::panels::status::CoordinateReadout;
use crate::panels::table::{TableState, table_ui};
use crate::screenshot::ScreenshotRequest;
use crate::state::{self, ImportedLayers, LoadedProject, ProjectSource};

/// An import in progress, with what is needed to offer it again.
struct PendingImport {
    job: Job<ImportedLayers>,
    path: PathBuf,
    options: ReadOptions,
}

/// How the app starts.
#[derive(Debug, Clone)]
pub struct StartOptions {
    pub source: ProjectSource,
    pub lang: Lang,
    /// Open at this bookmark once loaded.
    pub view: Option<String>,
    /// Save a screenshot here once everything is loaded, then quit.
    pub screenshot: Option<PathBuf>,
}

pub struct YituApp {
    lang: Lang,
    loaded: Option<LoadedProject>,
    load_job: Option<Job<LoadedProject>>,
    import_jobs: Vec<PendingImport>,
    /// Saving writes a whole GeoPackage (seconds at city scale), so it runs off the UI thread.
    save_job: Option<Job<PathBuf>>,
    selection: Option<FeatureRef>,
    /// Features inside the selected area, per layer (see `LoadedProject::counts_inside`).
    selection_counts: Vec<(usize, usize)>,
    view: MapViewState,
    table: TableState,
    readout: CoordinateReadout,
    dialog: Option<FileDialog>,
    messages: Vec<String>,
    /// A file whose import failed on bad rows: offered again, skipping them.
    retry_import: Option<(PathBuf, ReadOptions)>,
    start_view: Option<String>,
    screenshot: Option<ScreenshotRequest>,
    commands: Vec<Command>,
}

impl YituApp {
    pub fn new(ctx: &egui::Context, options: StartOptions) -> Self {
        let mut app = Self::new_empty(ctx, options.lang);
        app.start_view = options.view;
        app.screenshot = options.screenshot.map(ScreenshotRequest::new);
        app.start_load(ctx, options.source);
        app
    }

    fn new_empty(ctx: &egui::Context, lang: Lang) -> Self {
        crate::fonts::install(ctx);
        // Light visuals: the map reads better on a bright background, on big screens too.
        ctx.set_theme(egui::Theme::Light);
        Self {
            lang,
            loaded: None,
            load_job: None,
            import_jobs: Vec::new(),
            save_job: None,
            selection: None,
            selection_counts: Vec::new(),
            view: MapViewState::default(),
            table: TableState::default(),
            readout: CoordinateReadout::default(),
            dialog: None,
            messages: Vec::new(),
            retry_import: None,
            start_view: None,
            screenshot: None,
            commands: Vec::new(),
        }
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
        app.loaded = Some(loaded);
        app
    }

    /// The loaded project, once the background load has finished.
    pub fn loaded(&self) -> Option<&LoadedProject> {
        self.loaded.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.load_job.is_some() || !self.import_jobs.is_empty() || self.save_job.is_some()
    }

    pub fn messages(&self) -> &[String] {
        &self.messages
    }

    fn start_load(&mut self, ctx: &egui::Context, source: ProjectSource) {
        if self.load_job.is_some() {
            self.messages.push(
                self.lang
                    .t("已有项目正在加载", "A project is already loading")
                    .to_owned(),
            );
            return;
        }
        match Job::spawn(self.lang.t("加载项目", "Load project"), ctx, move |p| {
            state::load(&source, p)
        }) {
            Ok(job) => self.load_job = Some(job),
            Err(e) => self.messages.push(format!("{e:#}")),
        }
    }

    fn start_import(&mut self, ctx: &egui::Context, path: PathBuf, options: ReadOptions) {
        let name = format!(
            "{} {}",
            self.lang.t("导入", "Import"),
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        if self.import_jobs.iter().any(|i| i.job.name == name) {
            self.messages.push(format!(
                "{name}: {}",
                self.lang.t("正在进行", "already running")
            ));
            return;
        }
        let file = path.clone();
        match Job::spawn(&name, ctx, move |p| state::import(&file, options, p)) {
            Ok(job) => self.import_jobs.push(PendingImport { job, path, options }),
            Err(e) => self.messages.push(format!("{e:#}")),
        }
    }

    fn start_save(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(loaded) = &self.loaded else { return };
        if self.save_job.is_some() {
            self.messages.push(
                self.lang
                    .t("项目正在保存", "The project is already being saved")
                    .to_owned(),
            );
            return;
        }
        // A snapshot: editing may go on while it is written.
        let project = loaded.project.clone();
        let work = move |p: &crate::jobs::Progress| {
            p.set(0.1, "writing");
            project.save(&path)?;
            Ok(path)
        };
        match Job::spawn(self.lang.t("保存项目", "Save project"), ctx, work) {
            Ok(job) => self.save_job = Some(job),
            Err(e) => self.messages.push(format!("{e:#}")),
        }
    }

    fn poll_jobs(&mut self) {
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
                Ok(loaded) => {
                    if let Some(b) = self
                        .start_view
                        .take()
                        .and_then(|name| loaded.project.bookmark(&name).cloned())
                    {
                        self.view.go_to(b.lon, b.lat, b.zoom);
                    }
                    self.loaded = Some(loaded);
                    self.selection = None;
                    self.table = TableState::default();
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
                    if !imported.skipped.is_empty() {
                        self.messages.push(format!(
                            "{}: {} {}",
                            job.name,
                            imported.skipped.len(),
                            self.lang.t("行被跳过", "rows skipped")
                        ));
                    }
                    if let Some(loaded) = self.loaded.as_mut() {
                        loaded.add_layers(imported.layers, imported.prepared);
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

    /// Draws one frame of the whole app into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_jobs();
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
        egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| {
            let text = self
                .view
                .hover
                .map(|p| self.readout.text(p, lang))
                .unwrap_or_default();
            ui.horizontal(|ui| {
                ui.monospace(text);
            });
        });
        if let Some(loaded) = &self.loaded {
            if self.table.layer.is_some() {
                let layers: Vec<&yitu_layers::Layer> =
                    loaded.project.layers.iter().map(|l| &l.layer).collect();
                egui::Panel::bottom("table")
                    .resizable(true)
                    .default_size(240.0)
                    .show(ui, |ui| {
                        table_ui(
                            ui,
                            &mut self.table,
                            &layers,
                            self.selection,
                            lang,
                            &mut self.commands,
                        );
                    });
            }
            egui::Panel::left("layers")
                .resizable(true)
                .default_size(250.0)
                .show(ui, |ui| {
                    layers_ui(ui, loaded, &mut self.view, lang, &mut self.commands);
                });
            egui::Panel::right("identify")
                .resizable(true)
                .default_size(280.0)
                .show(ui, |ui| {
                    measure_ui(ui, &mut self.view.measure, lang);
                    ui.separator();
                    identify_ui(
                        ui,
                        loaded,
                        self.selection,
                        &self.selection_counts,
                        lang,
                        &mut self.commands,
                    );
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| match &self.loaded {
            Some(loaded) => map_ui(
                ui,
                &mut self.view,
                loaded,
                self.selection,
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
                    };
                    self.commands.push(command);
                    self.dialog = None;
                }
            }
        }
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(&ctx, c);
        }
        let ready = self.loaded.is_some() && !self.is_busy();
        if let Some(shot) = self.screenshot.as_mut() {
            shot.step(&ctx, ready, &mut self.messages);
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.strong(lang.t("一图 Yitu", "Yitu 一图"));
            if let Some(l) = &self.loaded {
                ui.label(&l.project.name);
            }
            ui.separator();
            if ui.button(lang.t("打开项目", "Open project")).clicked() {
                self.dialog = Some(FileDialog::new(Purpose::OpenProject));
            }
            if ui.button(lang.t("示例项目", "Sample project")).clicked() {
                self.commands.push(Command::LoadSample);
            }
            if ui.button(lang.t("导入数据", "Import data")).clicked() {
                self.dialog = Some(FileDialog::new(Purpose::Import));
            }
            if ui.button(lang.t("保存项目", "Save project")).clicked() {
                self.dialog = Some(FileDialog::new(Purpose::SaveProject));
            }
            ui.separator();
            if ui.button(lang.t("English", "中文")).clicked() {
                self.commands.push(Command::ToggleLanguage);
            }
            let cancel = lang.t("取消", "Cancel");
            if let Some(job) = &self.load_job {
                job_ui(ui, job, Some(cancel));
            }
            if let Some(job) = &self.save_job {
                // A save is atomic and short: it is not offered for cancelling.
                job_ui(ui, job, None);
            }
            for pending in &self.import_jobs {
                job_ui(ui, &pending.job, Some(cancel));
            }
        });
        if let Some(last) = self.messages.last().cloned() {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, last);
                if let Some((path, options)) = &self.retry_import
                    && ui
                        .button(lang.t("跳过错误行并导入其余", "Skip bad rows, import the rest"))
                        .clicked()
                {
                    let (path, options) = (
                        path.clone(),
                        ReadOptions {
                            skip_bad_rows: true,
                            ..*options
                        },
                    );
                    self.commands.push(Command::Import { path, options });
                    self.retry_import = None;
                }
                if ui.small_button("×").clicked() {
                    self.messages.clear();
                    self.retry_import = None;
                }
            });
        }
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
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

    /// Where the pointer is on the map (for tests and the status bar).
    pub fn hover(&self) -> Option<Point<f64>> {
        self.view.hover
    }
}

impl eframe::App for YituApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
