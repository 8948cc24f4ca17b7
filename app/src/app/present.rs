//! Command-centre mode driven from the desk: entering it with a story, stepping, the time
//! slider, marks kept with their step (and the project), snapshots and the minutes.

use yitu_command::minutes::Snapshot;
use yitu_command::tables::Tables;
use yitu_layers::Story;

use super::YituApp;
use crate::i18n::Lang;
use crate::presenter::{PendingShot, apply_time, view::DEFAULT_SHOWN};

impl YituApp {
    /// The story to show: the project's of that name, its first, else the built-in overview.
    pub(super) fn story(&self, name: Option<&str>) -> Option<Story> {
        let loaded = &self.workspace.as_ref()?.loaded;
        let kept = &loaded.project.stories;
        if let Some(s) = name
            .and_then(|n| kept.iter().find(|s| s.name == n))
            .or(kept.first().filter(|_| name.is_none()))
        {
            return Some(s.clone());
        }
        let tables = crate::presenter::tables(loaded);
        Some(yitu_command::overview::story(
            &tables,
            &loaded.project.bookmarks,
            self.lang == Lang::Zh,
        ))
    }

    /// Command-centre mode in this window from the first step, the time slider playing at
    /// `days_per_second` (for benchmarks and scripted starts; `None`: at rest).
    pub fn present_here(&mut self, days_per_second: Option<f64>) {
        if !self.presenter.on {
            self.toggle_presenter();
        }
        let time = &mut self.presenter.time;
        time.playing = days_per_second.is_some();
        if let Some(speed) = days_per_second {
            time.days_per_second = speed;
            time.until = time.span.map(|s| s.0);
        }
    }

    pub(super) fn toggle_presenter(&mut self) {
        self.presenter.on = !self.presenter.on;
        if self.presenter.on {
            self.start_story();
        }
        self.presenter.stale = true;
    }

    /// The story shown from where it is (the project's first, else the overview, from its
    /// start), with the slider over the project's dates.
    fn start_story(&mut self) {
        if self.presenter.story.is_none() {
            self.presenter.story = self.story(None);
            self.presenter.step = 0;
        }
        self.enter_time();
        self.apply_step();
    }

    /// Opens (or closes, with `None`) the presentation on a second screen; the desk stays.
    pub(super) fn present_on(&mut self, monitor: Option<usize>) {
        self.second = monitor.map(crate::presenter::second::SecondScreen::new);
        if self.second.is_some() {
            self.start_story();
            self.presenter.dirty = true;
        }
    }

    /// The second screen this frame: its keys applied, its frame rebuilt from the desk's view.
    pub(super) fn second_screen(&mut self, ctx: &egui::Context) {
        let Some(second) = &self.second else { return };
        let input = second.take_input();
        if input.closed {
            self.second = None;
            return;
        }
        for s in input.steps {
            self.story_step(s);
        }
        if let Some((gestures, t)) = input.pen {
            for g in gestures {
                self.presenter.tool.gesture(g, &t, &mut self.commands);
            }
        }
        self.presenter_tick_time(ctx);
        let (Some(second), Some(ws)) = (&mut self.second, &mut self.workspace) else {
            return;
        };
        let desk = crate::presenter::second::Desk {
            loaded: &mut ws.loaded,
            trace: ws.trace.as_ref(),
            view: &mut self.view,
        };
        second.publish(ctx, &mut self.presenter, desk, self.lang);
        second.show(ctx, self.lang.t("一图 · 指挥调度", "Yitu · command centre"));
    }

    /// While a second screen shows the presentation, the desk's map shows its marks and takes
    /// the pen.
    pub(super) fn desk_marks(&mut self, ui: &egui::Ui) {
        let Some((t, rect)) = self.view.last else {
            return;
        };
        let layer = egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("desk-marks"));
        let painter = ui.ctx().layer_painter(layer).with_clip_rect(rect);
        let mut shapes = Vec::new();
        let marks = self.presenter.marks_shown();
        crate::presenter::marks::shapes(&mut shapes, &marks, &t, &painter);
        painter.extend(shapes);
        self.presenter.tool.input(ui, rect, &t, &mut self.commands);
    }

    /// The slider's span from the project's dated layers.
    fn enter_time(&mut self) {
        let Some(ws) = &self.workspace else { return };
        let tables = crate::presenter::tables(&ws.loaded);
        let time = &mut self.presenter.time;
        time.span = yitu_command::timeline::span(&tables);
        if time.days_per_second <= 0.0 {
            time.days_per_second = 5.0;
        }
    }

    /// Shows the story's current step: its view, layers, time and marks.
    pub(super) fn apply_step(&mut self) {
        let Some(step) = self.presenter.current().cloned() else {
            return;
        };
        self.view
            .go_to(step.view.lon, step.view.lat, step.view.zoom);
        if let (Some(names), Some(ws)) = (&step.layers, &mut self.workspace) {
            for l in &mut ws.loaded.layers {
                l.data.style.visible = names.contains(&l.data.layer.name);
            }
        }
        let until = step
            .time
            .as_deref()
            .and_then(yitu_core::calendar::parse_date);
        self.set_time(until);
        self.presenter.marks.clone_from(&step.marks);
        self.presenter.step_started = 0.0;
    }

    pub(super) fn story_step(&mut self, delta: isize) {
        let p = &mut self.presenter;
        let Some(story) = &p.story else { return };
        let last = story.steps.len().saturating_sub(1) as isize;
        let next = (p.step as isize + delta).clamp(0, last) as usize;
        if next != p.step {
            p.step = next;
            self.apply_step();
        }
    }

    pub(super) fn set_time(&mut self, until: Option<i64>) {
        self.presenter.time.until = until;
        if let Some(ws) = &mut self.workspace {
            apply_time(&mut ws.loaded, until);
        }
        self.presenter.dirty = true;
    }

    /// Keeps the step's marks in the story, and the story in the project (saved with it).
    pub(super) fn keep_story(&mut self) {
        let p = &mut self.presenter;
        let Some(story) = &mut p.story else { return };
        if let Some(step) = story.steps.get_mut(p.step) {
            step.marks.clone_from(&p.marks);
        }
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let kept = &mut ws.loaded.project.stories;
        match kept.iter_mut().find(|s| s.name == story.name) {
            Some(s) => *s = story.clone(),
            None => kept.push(story.clone()),
        }
    }

    /// The desk as a step: its view, visible layers, time and theme, with `caption`.
    fn step_of_desk(&self, caption: String) -> yitu_layers::StoryStep {
        let view = self.view.bookmark(&caption);
        let layers = self.workspace.as_ref().map(|w| {
            w.loaded
                .layers
                .iter()
                .filter(|l| l.data.style.visible)
                .map(|l| l.data.layer.name.clone())
                .collect()
        });
        yitu_layers::StoryStep {
            caption,
            view,
            layers,
            time: self.presenter.time.until.map(yitu_core::calendar::iso_date),
            indicators: DEFAULT_SHOWN.iter().map(|s| (*s).to_owned()).collect(),
            district: None,
            theme: self.presenter.theme.clone(),
            marks: Vec::new(),
        }
    }

    /// Adds the desk's current view as a step after the one shown.
    pub(super) fn add_step(&mut self, caption: String) {
        if self.presenter.story.is_none() {
            self.presenter.story = self.story(None);
        }
        let step = self.step_of_desk(caption);
        let p = &mut self.presenter;
        if let Some(story) = &mut p.story {
            let at = (p.step + 1).min(story.steps.len());
            story.steps.insert(at, step);
            p.step = at;
            p.marks.clear();
        }
        self.keep_story();
    }

    /// The step shown takes the desk's view, layers, time and theme; its caption, indicators,
    /// district and marks stay.
    pub(super) fn update_step(&mut self) {
        let Some(old) = self.presenter.current().cloned() else {
            return;
        };
        let new = self.step_of_desk(old.caption.clone());
        let p = &mut self.presenter;
        if let Some(step) = p.story.as_mut().and_then(|s| s.steps.get_mut(p.step)) {
            *step = yitu_layers::StoryStep {
                indicators: old.indicators,
                district: old.district,
                theme: new.theme.or(old.theme),
                ..new
            };
        }
        self.keep_story();
    }

    /// Moves the step shown `by` places earlier (negative) or later; it stays the one shown.
    pub(super) fn move_step(&mut self, by: isize) {
        self.keep_story();
        let p = &mut self.presenter;
        let Some(story) = &mut p.story else { return };
        let last = story.steps.len().saturating_sub(1) as isize;
        let to = (p.step as isize + by).clamp(0, last) as usize;
        if to != p.step {
            let step = story.steps.remove(p.step);
            story.steps.insert(to, step);
            p.step = to;
            self.keep_story();
        }
    }

    pub(super) fn remove_step(&mut self) {
        let p = &mut self.presenter;
        if let Some(story) = &mut p.story
            && story.steps.len() > 1
        {
            story.steps.remove(p.step.min(story.steps.len() - 1));
            p.step = p.step.min(story.steps.len() - 1);
            self.apply_step();
            self.keep_story();
        }
    }

    /// The meeting's folder: `<project>_meeting/` beside the saved project.
    fn meeting_folder(&mut self) -> Option<std::path::PathBuf> {
        if let Some(dir) = &self.presenter.meeting {
            return Some(dir.clone());
        }
        let dir = self.workspace.as_ref()?.loaded.folder_beside("meeting");
        if dir.is_none() {
            self.messages.push(self.lang.t("请先保存项目：会商截图存到项目旁的文件夹", "Save the project first: the meeting's snapshots go into a folder beside it").to_owned());
        }
        self.presenter.meeting.clone_from(&dir);
        dir
    }

    /// Asks for the frame as an image; it is written when it comes (see `poll_snapshot`).
    pub(super) fn snapshot(&mut self, ctx: &egui::Context) {
        let Some(dir) = self.meeting_folder() else {
            return;
        };
        if let Err(e) = std::fs::create_dir_all(&dir) {
            self.messages.push(format!("{}: {e}", dir.display()));
            return;
        }
        let n = self.presenter.snapshots.len() + 1;
        let file = format!("snapshot-{n:02}.png");
        let record = self.snapshot_record(file.clone());
        self.request_capture(ctx, dir.join(file), record);
    }

    /// What a snapshot records: its caption, the data time and the indicators at that moment.
    pub(super) fn snapshot_record(&mut self, file: String) -> Snapshot {
        let zh = self.lang == Lang::Zh;
        let step = self.presenter.current().cloned();
        let indicators = match &self.workspace {
            Some(ws) => self.presenter.indicators(&ws.loaded, zh).clone(),
            None => yitu_command::indicators::compute(&Tables::from_layers(&[]), None, zh),
        };
        Snapshot {
            file,
            taken: local_now(),
            caption: step
                .as_ref()
                .map_or_else(String::new, |s| s.caption.clone()),
            data_time: self.presenter.time.until.map(yitu_core::calendar::iso_date),
            indicators,
            shown: step
                .map(|s| s.indicators)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_SHOWN.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    pub(super) fn request_capture(
        &mut self,
        ctx: &egui::Context,
        path: std::path::PathBuf,
        record: Snapshot,
    ) {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        // The presentation is taken where it shows: the second screen when there is one.
        let target = if self.second.is_some() && !self.presenter.on {
            crate::presenter::second::viewport_id()
        } else {
            egui::ViewportId::ROOT
        };
        ctx.send_viewport_cmd_to(
            target,
            egui::ViewportCommand::Screenshot(egui::ScreenshotCallback::new(move |image| {
                tx.send(image).ok();
            })),
        );
        self.presenter.pending = Some(PendingShot {
            image: rx,
            path,
            record,
        });
    }

    /// Writes a snapshot whose image has come; says whether one was written.
    pub(super) fn poll_snapshot(&mut self) -> bool {
        let Some(pending) = &self.presenter.pending else {
            return false;
        };
        let Ok(image) = pending.image.try_recv() else {
            return false;
        };
        let Some(pending) = self.presenter.pending.take() else {
            return false;
        };
        match crate::screenshot::save_png(&image, &pending.path) {
            Ok(()) => self.presenter.snapshots.push(pending.record),
            Err(e) => self.messages.push(format!("{e:#}")),
        }
        true
    }

    /// The minutes of the meeting so far, beside its snapshots.
    pub(super) fn write_minutes(&mut self) {
        let Some(dir) = self.meeting_folder() else {
            return;
        };
        let zh = self.lang == Lang::Zh;
        let title = format!(
            "{} · {}",
            self.lang.t("会商纪要", "Meeting minutes"),
            self.workspace
                .as_ref()
                .map_or("", |w| w.loaded.project.name.as_str())
        );
        let html = yitu_command::minutes::html(&title, &self.presenter.snapshots, zh);
        let path = dir.join("minutes.html");
        match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, html)) {
            Ok(()) => self.messages.push(format!(
                "{} {}",
                self.lang.t("已写出", "Written:"),
                path.display()
            )),
            Err(e) => self.messages.push(format!("{}: {e}", path.display())),
        }
    }

    /// The districts coloured by the theme's indicator while there is one, their own colours
    /// back when it goes.
    pub(super) fn colour_districts(&mut self) {
        let zh = self.lang == Lang::Zh;
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let theme = if self.presenter.on || self.second.is_some() {
            self.presenter.theme()
        } else {
            None
        };
        match theme {
            Some(id) => {
                let indicators = self.presenter.indicators(&ws.loaded, zh).clone();
                crate::presenter::theme::choropleth(&mut ws.loaded, Some((&indicators, &id)));
                self.presenter.coloured = Some(id);
            }
            None if self.presenter.coloured.is_some() => {
                crate::presenter::theme::choropleth(&mut ws.loaded, None);
                self.presenter.coloured = None;
            }
            None => {}
        }
    }

    /// The time slider played on by the frame's time.
    fn presenter_tick_time(&mut self, ctx: &egui::Context) {
        let dt = ctx.input(|i| f64::from(i.stable_dt).min(0.5));
        if self.presenter.time.tick(dt) {
            let until = self.presenter.time.until;
            self.set_time(until);
        }
        if self.presenter.time.playing {
            ctx.request_repaint();
        }
    }

    /// Per frame in command-centre mode: the keys (arrows, PageUp/PageDown as clickers send,
    /// Escape), the time playing and the story's timer.
    pub(super) fn presenter_tick(&mut self, ctx: &egui::Context) {
        // Keys typed into a text field (a mark's text) are not steps.
        let typing = ctx.memory(|m| m.focused().is_some());
        let (next, prev, leave, now) = ctx.input(|i| {
            let key = |k| !typing && i.key_pressed(k);
            (
                key(egui::Key::ArrowRight) || key(egui::Key::PageDown) || key(egui::Key::Space),
                key(egui::Key::ArrowLeft) || key(egui::Key::PageUp),
                i.key_pressed(egui::Key::Escape),
                i.time,
            )
        });
        if next {
            self.story_step(1);
        }
        if prev {
            self.story_step(-1);
        }
        if leave {
            self.toggle_presenter();
            return;
        }
        self.presenter_tick_time(ctx);
        let p = &mut self.presenter;
        if p.auto_seconds > 0.0 {
            if p.step_started == 0.0 {
                p.step_started = now;
            }
            if now - p.step_started >= p.auto_seconds {
                p.step_started = now;
                self.story_step(1);
            }
            ctx.request_repaint();
        }
    }
}

/// Now on Beijing's clock (UTC+8), where every desk is: a timestamp whose UTC fields read it.
pub(super) fn beijing_now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    now.checked_add(jiff::SignedDuration::from_hours(8))
        .unwrap_or(now)
}

/// Now in Beijing time, as the minutes show it.
fn local_now() -> String {
    format!("{} +08:00", beijing_now().strftime("%Y-%m-%d %H:%M:%S"))
}

/// `yitu present`: each step of a story rendered in turn, then the indicators and minutes.
pub struct PresentRun {
    pub out: std::path::PathBuf,
    pub story: Option<String>,
    started: bool,
    settled: u32,
    step: usize,
}

impl PresentRun {
    pub fn new(out: std::path::PathBuf, story: Option<String>) -> Self {
        Self {
            out,
            story,
            started: false,
            settled: 0,
            step: 0,
        }
    }
}

/// Frames drawn ready before a step is captured (layout and fonts settle).
const SETTLE_FRAMES: u32 = 5;

impl YituApp {
    /// Drives `yitu present` one frame on: start the story when loaded, capture each step once
    /// it has settled, then write `indicators.json` and `minutes.html` and close.
    pub(super) fn present_step(&mut self, ctx: &egui::Context, ready: bool) {
        let Some(run) = &self.present_run else { return };
        ctx.request_repaint();
        if !run.started {
            if ready {
                let name = run.story.clone();
                self.presenter.story = self.story(name.as_deref());
                self.presenter.step = 0;
                self.presenter.on = false;
                self.toggle_presenter();
                if let Some(run) = &mut self.present_run {
                    run.started = true;
                }
            }
            return;
        }
        if self.presenter.pending.is_some() {
            if !self.poll_snapshot() {
                return;
            }
            let total = self.presenter.story.as_ref().map_or(0, |s| s.steps.len());
            let Some(run) = &mut self.present_run else {
                return;
            };
            run.step += 1;
            run.settled = 0;
            if run.step < total {
                self.story_step(1);
            } else {
                self.finish_present(ctx);
            }
            return;
        }
        let Some(run) = &mut self.present_run else {
            return;
        };
        run.settled = if ready { run.settled + 1 } else { 0 };
        if run.settled >= SETTLE_FRAMES {
            let file = format!("step-{:02}.png", run.step + 1);
            let path = run.out.join(&file);
            let record = self.snapshot_record(file);
            self.request_capture(ctx, path, record);
        }
    }

    /// The indicators over the whole period and the minutes of the steps, then quit.
    fn finish_present(&mut self, ctx: &egui::Context) {
        let Some(run) = self.present_run.take() else {
            return;
        };
        let zh = self.lang == Lang::Zh;
        if let Some(ws) = &self.workspace {
            let tables = crate::presenter::tables(&ws.loaded);
            let all = yitu_command::indicators::compute(&tables, None, zh);
            let title = format!(
                "{} · {}",
                self.lang.t("会商纪要", "Meeting minutes"),
                ws.loaded.project.name
            );
            let written = serde_json::to_string_pretty(&all)
                .map_err(std::io::Error::other)
                .and_then(|json| std::fs::write(run.out.join("indicators.json"), json))
                .and_then(|()| {
                    std::fs::write(
                        run.out.join("minutes.html"),
                        yitu_command::minutes::html(&title, &self.presenter.snapshots, zh),
                    )
                });
            if let Err(e) = written {
                log::error!("cannot write into {}: {e}", run.out.display());
                self.messages.push(format!("{}: {e}", run.out.display()));
            }
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}
