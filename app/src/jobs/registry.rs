//! The app's one registry of background jobs: each has a kind (its name, whether it may be
//! cancelled, whether it works for the open project), progress and a cancel flag, and hands
//! back an [`Outcome`] that the app applies in one place. A new kind of job is a variant here
//! and an arm where outcomes are applied.

use std::path::PathBuf;

use yitu_layers::io::ReadOptions;

use super::{Job, Progress, job_ui};
use crate::i18n::Lang;
use yitu_store::audit::AuditEntry;

use crate::feature::FeatureRef;
use crate::state::monitoring::MonitoringRun;
use crate::state::store::{Heard, Saved};
use crate::state::{DrawOutcome, ImportedLayers, LoadedProject, RoutesOutcome};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Load,
    Import,
    Detect,
    Save,
    Overviews,
    Evidence,
    Draw,
    PublishDraw,
    PlanRoutes,
    ExportRoutes,
    /// Hearing other desks' changes to a store's project (runs until a change comes).
    Listen,
    /// Writing an edit back to the store.
    SaveToStore,
    /// Reading a feature's history from the store's audit log.
    History,
    /// Analysing a folder of monitoring data.
    Monitor,
}

impl JobKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Load => lang.t("加载项目", "Load project"),
            Self::Import => lang.t("导入", "Import"),
            Self::Detect => lang.t("检测", "Detect"),
            Self::Save => lang.t("保存项目", "Save project"),
            Self::Overviews => lang.t("建立金字塔", "Build overviews"),
            Self::Evidence => lang.t("导出证据", "Export evidence"),
            Self::Draw => lang.t("双随机抽取", "Random draw"),
            Self::PublishDraw => lang.t("导出公示", "Export announcement"),
            Self::PlanRoutes => lang.t("路线规划", "Route planning"),
            Self::ExportRoutes => lang.t("导出任务单", "Export task sheets"),
            Self::Listen => lang.t("实时更新", "Live updates"),
            Self::SaveToStore => lang.t("保存到共享库", "Save to the store"),
            Self::History => lang.t("变更记录", "History"),
            Self::Monitor => lang.t("在线监控分析", "Monitoring analysis"),
        }
    }

    /// Listening goes on for as long as the project is open: it is no work the app waits for
    /// (a screenshot, the busy state) and has no progress bar.
    pub fn keeps_running(self) -> bool {
        self == Self::Listen
    }

    /// Jobs that write a file cannot stop halfway (the file must stay whole): no cancel.
    pub fn cancellable(self) -> bool {
        matches!(
            self,
            Self::Load
                | Self::Import
                | Self::Detect
                | Self::Draw
                | Self::PlanRoutes
                | Self::Listen
                | Self::History
                | Self::Monitor
        )
    }

    /// Dropped, and so cancelled, when another project opens: their results belong to the
    /// project that closed. A save finishes writing that project's file; a load is what opens
    /// the next one; overviews belong to the raster file.
    fn of_project(self) -> bool {
        !matches!(self, Self::Load | Self::Save | Self::Overviews)
    }

    /// What a job of this kind that failed says, before its error.
    pub fn failed(self, lang: Lang) -> &'static str {
        match self {
            Self::Load => lang.t("加载失败", "Load failed"),
            Self::Import => lang.t("导入失败", "Import failed"),
            Self::Detect => lang.t("检测失败", "Detection failed"),
            Self::Save => lang.t("保存失败", "Save failed"),
            Self::Overviews => lang.t("建立金字塔失败", "Building overviews failed"),
            Self::Evidence => lang.t("导出证据失败", "Exporting evidence failed"),
            Self::Draw => lang.t("抽取失败", "The draw failed"),
            Self::PublishDraw => lang.t("导出公示失败", "Exporting the announcement failed"),
            Self::PlanRoutes => lang.t("路线规划失败", "Route planning failed"),
            Self::ExportRoutes => lang.t("导出任务单失败", "Exporting the task sheets failed"),
            Self::Listen => lang.t("实时更新已停止", "Live updates stopped"),
            Self::SaveToStore => lang.t("保存到共享库失败", "Saving to the store failed"),
            Self::History => lang.t("读取变更记录失败", "Reading the history failed"),
            Self::Monitor => lang.t("监控数据分析失败", "Monitoring analysis failed"),
        }
    }

    /// What a job of this kind that wrote a file says, before the file's path.
    pub fn written(self, lang: Lang) -> &'static str {
        match self {
            Self::Save => lang.t("项目已保存", "Project saved"),
            Self::Overviews => lang.t("金字塔已建立", "Overviews built"),
            Self::Evidence => lang.t("证据已导出", "Evidence written"),
            Self::PublishDraw => lang.t("公示和任务清单已导出", "Announcement and tasks written"),
            Self::ExportRoutes => lang.t("任务单已导出", "Task sheets written"),
            // Jobs that write no file of their own.
            _ => lang.t("已完成", "Finished"),
        }
    }
}

/// What a job hands back.
pub enum Outcome {
    Loaded(Box<LoadedProject>),
    /// Layers and rasters to add: an import, or a detection's results.
    Imported(ImportedLayers),
    Drawn(Box<DrawOutcome>),
    Planned(Box<RoutesOutcome>),
    /// A file or folder written: a saved project, overviews, evidence, an announcement, task
    /// sheets.
    Written(PathBuf),
    /// Other desks' changes to the store's project.
    Heard(Box<Heard>),
    /// An edit written to the store, or refused as stale.
    Saved(Saved),
    /// A feature's history in the store.
    History(FeatureRef, Vec<AuditEntry>),
    /// A folder of monitoring data analysed.
    Monitored(Box<MonitoringRun>),
}

/// A job that has ended, as [`Jobs::finished`] hands it over.
pub struct Finished {
    pub kind: JobKind,
    /// The file it worked on, if it names one (imports, detections).
    pub subject: Option<String>,
    pub result: anyhow::Result<Outcome>,
    /// The project it was started for (see [`Jobs::is_open`]).
    project: u64,
    /// An import's file and options, to offer it again without its bad rows.
    pub retry: Option<(PathBuf, ReadOptions)>,
}

struct Running {
    kind: JobKind,
    subject: Option<String>,
    project: u64,
    retry: Option<(PathBuf, ReadOptions)>,
    job: Job<Outcome>,
}

/// Every running job of the app.
#[derive(Default)]
pub struct Jobs {
    running: Vec<Running>,
    /// Counts the projects opened: a job remembers the one it was started for.
    project: u64,
}

impl Jobs {
    /// Starts `work` as a job of `kind` on `subject` (a file name, shown with its progress),
    /// or says why not: a job of the same kind on the same subject is running, or no thread
    /// could start.
    pub fn start(
        &mut self,
        lang: Lang,
        (kind, subject): (JobKind, Option<String>),
        retry: Option<(PathBuf, ReadOptions)>,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress) -> anyhow::Result<Outcome> + Send + 'static,
    ) -> Result<(), String> {
        let label = match &subject {
            Some(s) => format!("{} {s}", kind.name(lang)),
            None => kind.name(lang).to_owned(),
        };
        if self
            .running
            .iter()
            .any(|r| r.kind == kind && r.subject == subject)
        {
            return Err(format!(
                "{label}: {}",
                lang.t("正在进行", "already running")
            ));
        }
        let job = Job::spawn(&label, ctx, work).map_err(|e| format!("{label}: {e:#}"))?;
        self.running.push(Running {
            kind,
            subject,
            project: self.project,
            retry,
            job,
        });
        Ok(())
    }

    pub fn any_of(&self, kinds: &[JobKind]) -> bool {
        self.running.iter().any(|r| kinds.contains(&r.kind))
    }

    /// Whether any job is at work (listening does not count: see [`JobKind::keeps_running`]).
    pub fn is_working(&self) -> bool {
        self.running.iter().any(|r| !r.kind.keeps_running())
    }

    /// The jobs that have ended since the last call, in the order they were started.
    pub fn finished(&mut self) -> Vec<Finished> {
        let mut done = Vec::new();
        self.running.retain_mut(|r| match r.job.poll() {
            None => true,
            Some(result) => {
                done.push(Finished {
                    kind: r.kind,
                    subject: r.subject.take(),
                    result,
                    project: r.project,
                    retry: r.retry.take(),
                });
                false
            }
        });
        done
    }

    /// Whether `finished` worked for the project open now (a save of one that has since
    /// closed did not; asked when it is applied, as a load applied before it closes one).
    pub fn is_open(&self, finished: &Finished) -> bool {
        finished.project == self.project
    }

    /// Another project opens: the jobs working for the one that closes are dropped (so
    /// cancelled; their results are never applied), and a save in flight finishes as that
    /// project's.
    pub fn forget_project(&mut self) {
        self.project += 1;
        self.running.retain(|r| !r.kind.of_project());
    }

    /// A progress bar per job, with a cancel button where the kind may be cancelled.
    pub fn ui(&self, ui: &mut egui::Ui, lang: Lang) {
        let cancel = lang.t("取消", "Cancel");
        for r in self.running.iter().filter(|r| !r.kind.keeps_running()) {
            job_ui(ui, &r.job, r.kind.cancellable().then_some(cancel));
        }
    }
}

/// The app closing: cancellable jobs are told to stop, and every thread is waited for, so a
/// file being written is finished, never left half written.
impl Drop for Jobs {
    fn drop(&mut self) {
        for r in &self.running {
            if r.kind.cancellable() {
                r.job.progress.cancel();
            }
        }
        for r in self.running.drain(..) {
            r.job.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The jobs that end within a few seconds, polled as the app polls them each frame.
    fn wait_for(jobs: &mut Jobs, n: usize) -> Vec<Finished> {
        let mut done = Vec::new();
        for _ in 0..1000 {
            done.extend(jobs.finished());
            if done.len() >= n {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        done
    }

    /// Work that runs until cancelled, then ends with what it saw.
    fn until_cancelled(p: &Progress) -> anyhow::Result<Outcome> {
        loop {
            p.check()?;
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    #[test]
    fn a_second_job_of_the_same_kind_and_subject_is_refused() {
        let (ctx, mut jobs) = (egui::Context::default(), Jobs::default());
        let draw = (JobKind::Draw, None);
        jobs.start(Lang::En, draw.clone(), None, &ctx, until_cancelled)
            .unwrap();
        let refused = jobs.start(Lang::En, draw, None, &ctx, until_cancelled);
        assert_eq!(refused.unwrap_err(), "Random draw: already running");
        let import = |name: &str| (JobKind::Import, Some(name.to_owned()));
        jobs.start(Lang::En, import("a.csv"), None, &ctx, until_cancelled)
            .unwrap();
        jobs.start(Lang::En, import("b.csv"), None, &ctx, until_cancelled)
            .unwrap();
        assert!(jobs.any_of(&[JobKind::Import]));
    }

    #[test]
    fn another_project_cancels_its_jobs_and_a_save_finishes_as_the_old_ones() {
        let (ctx, mut jobs) = (egui::Context::default(), Jobs::default());
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        let rx = std::sync::Mutex::new(rx);
        jobs.start(Lang::En, (JobKind::Save, None), None, &ctx, move |_| {
            // Writes until the test lets it finish: a save is never cancelled.
            rx.lock().unwrap().recv().ok();
            Ok(Outcome::Written("old.gpkg".into()))
        })
        .unwrap();
        let progress = |jobs: &Jobs| Arc::clone(&jobs.running.last().unwrap().job.progress);
        jobs.start(
            Lang::En,
            (JobKind::PlanRoutes, None),
            None,
            &ctx,
            until_cancelled,
        )
        .unwrap();
        let plan = progress(&jobs);
        jobs.forget_project();
        assert!(
            plan.check().is_err(),
            "the old project's plan is told to stop"
        );
        assert!(!jobs.any_of(&[JobKind::PlanRoutes]));
        tx.send(()).unwrap();
        let done = wait_for(&mut jobs, 1);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].kind, JobKind::Save);
        assert!(!jobs.is_open(&done[0]), "the save was the old project's");
        assert!(!jobs.is_working());
    }
}
