//! The open project and its monitoring data: a folder analysed as a job, the run put on the
//! map, an anomaly's evidence written.

use std::path::PathBuf;

use super::YituApp;
use crate::jobs::registry::{JobKind, Outcome};
use crate::state::monitoring::{ANOMALIES_LAYER, MonitoringRun, analyse_folder, anomaly_of};
use crate::state::monitoring_evidence::{EvidenceInput, export_monitoring_evidence};

impl YituApp {
    /// Analyses `folder` for the open project's firms; `show` opens the window.
    pub(super) fn start_monitoring(&mut self, ctx: &egui::Context, folder: PathBuf, show: bool) {
        let Some(sources) = self.workspace.as_ref().and_then(|w| {
            w.loaded
                .layers
                .data()
                .find(|l| l.layer.kind == yitu_layers::LayerKind::PollutionSources)
                .map(|l| l.layer.clone())
        }) else {
            self.messages.push(
                self.lang
                    .t("项目没有污染源图层", "The project has no pollution sources")
                    .to_owned(),
            );
            return;
        };
        self.monitoring.open |= show;
        self.start_job(ctx, (JobKind::Monitor, None), None, move |p| {
            Ok(Outcome::Monitored(Box::new(analyse_folder(
                &folder, &sources, p,
            )?)))
        });
    }

    /// A run reaches the map and the window; a store's project keeps it in the store, for
    /// every desk.
    pub(super) fn monitored(&mut self, ctx: &egui::Context, run: MonitoringRun) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        ws.loaded.show_monitoring(&run);
        // The first anomaly is shown at once, with its timeline.
        self.monitoring.row = (!run.report.anomalies.is_empty()).then_some(0);
        let run = std::sync::Arc::new(run);
        ws.monitoring = Some(std::sync::Arc::clone(&run));
        if let Some(url) = ws.loaded.store.as_ref().map(|s| s.url.clone()) {
            let subject = Some("monitoring".to_owned());
            self.start_job(ctx, (JobKind::SaveToStore, subject), None, move |_| {
                crate::state::monitoring::keep_in_store(&run, &url)?;
                Ok(Outcome::Written(PathBuf::from("yitu.blobs")))
            });
        }
    }

    /// Row `row`'s evidence goes into `<project>_evidence/` beside the saved project.
    pub(super) fn start_monitoring_evidence(&mut self, ctx: &egui::Context, row: usize) {
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let (Some(run), Some(layer)) = (
            ws.monitoring.as_ref(),
            ws.loaded
                .layers
                .named(ANOMALIES_LAYER)
                .map(|l| &l.data.layer),
        ) else {
            return;
        };
        let Some(anomaly) = anomaly_of(run, layer, row) else {
            return;
        };
        let input = EvidenceInput::of(run, &layer.value(row, "id").to_string(), anomaly);
        let Some(dir) = self.evidence_folder() else {
            return;
        };
        self.start_job(ctx, (JobKind::Evidence, None), None, move |p| {
            Ok(Outcome::Written(export_monitoring_evidence(
                &input, &dir, p,
            )?))
        });
    }
}
