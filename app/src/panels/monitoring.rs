//! The monitoring window (非现场执法): a folder of automatic-monitoring data analysed for the
//! project's firms; transmission per point and month; the anomalies, filtered by kind, each
//! with its timeline, reviewed (confirm, dismiss, field check, note) and its evidence exported.

use yitu_imagery::detect::targets::ReviewDecision;
use yitu_layers::Layer;
use yitu_monitoring::report::Kind;

use crate::command::Command;
use crate::feature::{FeatureRef, LayerId};
use crate::i18n::Lang;
use crate::panels::file_dialog::Purpose;
use crate::state::monitoring::MonitoringRun;

/// What the window shows: it stays open from one project to the next; the selection goes.
#[derive(Default)]
pub struct MonitoringView {
    pub open: bool,
    pub kind: Option<Kind>,
    /// The selected row of the anomalies layer, and the note typed for it.
    pub row: Option<usize>,
    pub note: String,
    /// The command centre's time shown (a day), marked on the timeline.
    pub cursor_day: Option<i64>,
}

/// The window. `anomalies` is the anomalies layer and its id, when a run is on the map.
pub fn monitoring_ui(
    ctx: &egui::Context,
    view: &mut MonitoringView,
    run: Option<&MonitoringRun>,
    anomalies: Option<(LayerId, &Layer)>,
    busy: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let mut open = view.open;
    egui::Window::new(lang.t("在线监控 (非现场执法)", "Automatic monitoring"))
        .open(&mut open)
        .default_width(640.0)
        .default_height(760.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!busy, egui::Button::new(lang.t("分析监控数据文件夹…", "Analyse a data folder…")))
                    .on_hover_text(lang.t(
                        "HJ 212 日志 (*.log) 或 data*.csv，以及 meters/periods/events/limits/mn-map.csv",
                        "HJ 212 logs (*.log) or data*.csv, with meters/periods/events/limits/mn-map.csv",
                    ))
                    .clicked()
                {
                    commands.push(Command::OpenDialog(Purpose::MonitoringFolder));
                }
                if busy {
                    ui.spinner();
                }
            });
            let (Some(run), Some((layer_id, layer))) = (run, anomalies) else {
                ui.weak(lang.t("尚未分析监控数据", "No monitoring data analysed yet"));
                return;
            };
            summary_ui(ui, run, lang);
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                if ui.selectable_label(view.kind.is_none(), lang.t("全部", "All")).clicked() {
                    view.kind = None;
                }
                for kind in Kind::ALL {
                    let n = (0..layer.features.len())
                        .filter(|&i| layer.value(i, "kind").as_str() == Some(kind.code()))
                        .count();
                    let label = format!("{} {n}", crate::i18n::anomaly_label(kind, lang));
                    if ui.selectable_label(view.kind == Some(kind), label).clicked() {
                        view.kind = Some(kind);
                    }
                }
            });
            anomalies_ui(ui, view, layer_id, layer, lang, commands);
            if let Some(row) = view.row.filter(|&r| r < layer.features.len()) {
                ui.separator();
                crate::panels::monitoring_timeline::timeline_ui(ui, run, layer, row, view.cursor_day, lang);
                review_ui(ui, view, layer_id, layer, row, lang, commands);
            }
        });
    view.open = open;
}

fn summary_ui(ui: &mut egui::Ui, run: &MonitoringRun, lang: Lang) {
    let months = &run.report.points;
    let low = months.iter().filter(|m| m.transmission_rate < 0.95).count();
    ui.label(format!(
        "{} {} · {} {} · {} {low} · {} {}",
        lang.t("文件夹", "Folder"),
        run.folder.display(),
        lang.t("点位月", "point-months"),
        months.len(),
        lang.t("传输率<95%", "under 95 %"),
        lang.t("拒收行", "lines rejected"),
        run.report.rejected.len(),
    ));
    egui::CollapsingHeader::new(lang.t(
        "传输率 (有效小时/应有小时)",
        "Transmission (valid / expected hours)",
    ))
    .id_salt("transmission")
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .max_height(140.0)
            .id_salt("tx")
            .show(ui, |ui| {
                egui::Grid::new("tx_grid").striped(true).show(ui, |ui| {
                    for m in months {
                        ui.label(&m.mn);
                        ui.label(m.source_id.as_deref().unwrap_or("-"));
                        ui.label(&m.month);
                        let text = format!(
                            "{:.1} % ({}/{})",
                            m.transmission_rate * 100.0,
                            m.valid,
                            m.expected
                        );
                        if m.transmission_rate < 0.95 {
                            ui.colored_label(ui.visuals().error_fg_color, text);
                        } else {
                            ui.label(text);
                        }
                        ui.end_row();
                    }
                });
            });
    });
    if !run.report.rejected.is_empty() {
        egui::CollapsingHeader::new(lang.t("拒收的行", "Rejected lines"))
            .id_salt("rejected")
            .show(ui, |ui| {
                for r in run.report.rejected.iter().take(50) {
                    ui.weak(format!("{}:{}: {}", r.file, r.line, r.reason));
                }
            });
    }
}

fn anomalies_ui(
    ui: &mut egui::Ui,
    view: &mut MonitoringView,
    layer_id: LayerId,
    layer: &Layer,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .id_salt("anomalies")
        .show(ui, |ui| {
            egui::Grid::new("anomaly_grid")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for i in 0..layer.features.len() {
                        let kind = layer.value(i, "kind").as_str().and_then(Kind::parse);
                        if view.kind.is_some() && kind != view.kind {
                            continue;
                        }
                        let id = layer.value(i, "id").to_string();
                        if ui.selectable_label(view.row == Some(i), &id).clicked() {
                            view.row = Some(i);
                            view.note = layer.value(i, "note").to_string();
                            let f = FeatureRef {
                                layer: layer_id,
                                feature: i,
                            };
                            commands.push(Command::Select(Some(f)));
                        }
                        ui.label(kind.map_or("?", |k| crate::i18n::anomaly_label(k, lang)));
                        ui.label(layer.value(i, "source_id").to_string());
                        ui.label(layer.value(i, "code").to_string());
                        ui.label(
                            layer
                                .value(i, "start")
                                .to_string()
                                .get(..16)
                                .unwrap_or_default()
                                .replace('T', " "),
                        );
                        let review = layer.value(i, "review").to_string();
                        ui.label(if review.is_empty() {
                            lang.t("待复核", "pending").to_owned()
                        } else {
                            crate::i18n::value_label(lang, &review)
                        });
                        ui.end_row();
                    }
                });
        });
}

fn review_ui(
    ui: &mut egui::Ui,
    view: &mut MonitoringView,
    layer_id: LayerId,
    layer: &Layer,
    row: usize,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let feature = FeatureRef {
        layer: layer_id,
        feature: row,
    };
    ui.horizontal(|ui| {
        for decision in ReviewDecision::ALL {
            let label = match decision {
                ReviewDecision::Confirmed => lang.t("确认", "Confirm"),
                ReviewDecision::Dismissed => lang.t("排除", "Dismiss"),
                ReviewDecision::FieldCheck => lang.t("需现场核查", "Field check"),
            };
            if ui.button(label).clicked() {
                commands.push(Command::SetAttribute {
                    feature,
                    field: "review",
                    value: decision.code().to_owned(),
                });
                commands.push(Command::SetAttribute {
                    feature,
                    field: "note",
                    value: view.note.clone(),
                });
            }
        }
        if ui.button(lang.t("导出证据", "Export evidence")).clicked() {
            commands.push(Command::ExportMonitoringEvidence(row));
        }
    });
    ui.add(
        egui::TextEdit::singleline(&mut view.note)
            .hint_text(lang.t("备注", "Note"))
            .desired_width(f32::INFINITY),
    );
    ui.weak(layer.value(row, "evidence").to_string());
}
