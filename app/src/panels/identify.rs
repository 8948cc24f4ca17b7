//! The identify panel: the selected feature's attributes, where it is and who is responsible.

use geo::{Centroid, Point};

use crate::command::Command;
use crate::feature::{FeatureRef, LayerId};
use crate::i18n::{Lang, layer_title};
use crate::map::measure::{Measure, MeasureMode};
use crate::state::LoadedProject;
use yitu_store::audit::AuditEntry;

/// `history` is the feature's record in the shared store, when it lives there.
pub fn identify_ui(
    ui: &mut egui::Ui,
    loaded: &LoadedProject,
    selection: Option<FeatureRef>,
    history: Option<&[AuditEntry]>,
    counts_inside: &[(LayerId, usize)],
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.heading(lang.t("要素信息", "Identify"));
    let Some(sel) = selection else {
        ui.weak(lang.t(
            "点击地图上的要素查看属性",
            "Click a feature on the map to see its attributes",
        ));
        return;
    };
    let Some(l) = loaded.layers.get(sel.layer) else {
        return;
    };
    let layer = &l.data.layer;
    ui.strong(layer.label(sel.feature));
    ui.label(layer_title(lang, &layer.name));
    ui.horizontal(|ui| {
        if ui.button(lang.t("缩放至", "Zoom to")).clicked() {
            commands.push(Command::ZoomTo(sel));
        }
        if ui.button(lang.t("清除选择", "Clear")).clicked() {
            commands.push(Command::Select(None));
        }
    });
    inspection_ui(ui, layer, sel.feature, lang, commands);
    let centroid: Option<Point<f64>> = layer
        .features
        .get(sel.feature)
        .and_then(|f| f.geometry.as_ref()?.centroid());
    if let Some(c) = centroid
        && let Some(r) = loaded.jurisdiction.at(c)
    {
        ui.label(format!(
            "{} {} ({})",
            lang.t("所属区县:", "District:"),
            r.district_name,
            r.district_code
        ));
        ui.label(format!(
            "{} {}",
            lang.t("责任队伍:", "Team:"),
            r.team_name
                .unwrap_or_else(|| lang.t("(非本市辖区)", "(outside Chongqing)").to_owned())
        ));
    }
    if !counts_inside.is_empty() {
        ui.label(lang.t("范围内:", "Inside:"));
        for &(layer, n) in counts_inside {
            if let Some(l) = loaded.layers.get(layer) {
                ui.label(format!("  {} {n}", layer_title(lang, &l.data.layer.name)));
            }
        }
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("identify")
        .show(ui, |ui| {
            egui::Grid::new("attrs")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    if let Some(f) = layer.features.get(sel.feature) {
                        for (name, value) in layer.fields.iter().zip(&f.values) {
                            ui.weak(name);
                            ui.add(egui::Label::new(value.to_string()).truncate());
                            ui.end_row();
                        }
                    }
                });
            if let Some(history) = history {
                history_ui(ui, history, lang);
            }
        });
}

/// On a firm of the draw or a stop of the route plan: whether it was inspected, or the
/// buttons that record it (with what was found).
fn inspection_ui(
    ui: &mut egui::Ui,
    layer: &yitu_layers::Layer,
    feature: usize,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    use yitu_layers::inspection::{DONE_ON, FINDING, Finding, INSPECTED_ON, is_recorded};
    let planned = [
        yitu_draw::publish::DRAW_LAYER,
        yitu_routing::dispatch::output::STOPS_LAYER,
    ];
    if !planned.contains(&layer.name.as_str()) {
        return;
    }
    let Some(source_id) = layer.text(feature, &["source_id"]) else {
        return;
    };
    if is_recorded(layer, feature) {
        let day = layer
            .text(feature, &[INSPECTED_ON, DONE_ON])
            .unwrap_or_default();
        let found = match layer
            .text(feature, &[FINDING])
            .as_deref()
            .and_then(Finding::parse)
        {
            Some(Finding::Violation) => lang.t(" · 发现问题", " · violation found"),
            Some(Finding::None) => lang.t(" · 未发现问题", " · nothing found"),
            None => "",
        };
        ui.label(format!("{} {day}{found}", lang.t("已检查", "Inspected")));
        return;
    }
    ui.horizontal(|ui| {
        ui.label(lang.t("检查完成:", "Inspection done:"));
        for (finding, text) in [
            (Finding::None, lang.t("未发现问题", "nothing found")),
            (Finding::Violation, lang.t("发现问题", "violation found")),
        ] {
            if ui.button(text).clicked() {
                commands.push(Command::RecordInspection {
                    source_id: source_id.clone(),
                    finding,
                });
            }
        }
    });
}

/// Who changed the feature, when, and what: newest first, each change as its fields'
/// old and new values.
fn history_ui(ui: &mut egui::Ui, history: &[AuditEntry], lang: Lang) {
    ui.separator();
    ui.strong(format!(
        "{} ({})",
        lang.t("变更记录", "History"),
        history.len()
    ));
    for e in history.iter().rev() {
        let op = match e.op.as_str() {
            "INSERT" => lang.t("新增", "added"),
            "DELETE" => lang.t("删除", "deleted"),
            _ => lang.t("修改", "changed"),
        };
        ui.label(format!(
            "{} {} {op}",
            e.at.get(..19).unwrap_or(&e.at),
            e.role
        ));
        let field = |v: &Option<serde_json::Value>, k: &str| {
            v.as_ref()
                .and_then(|v| v.get(k))
                .cloned()
                .unwrap_or(serde_json::Value::Null)
        };
        if let Some(serde_json::Value::Object(new)) = &e.new {
            for k in new
                .keys()
                .filter(|k| !matches!(k.as_str(), "version" | "geom"))
            {
                let (before, after) = (field(&e.old, k), field(&e.new, k));
                if e.old.is_some() && before != after {
                    ui.weak(format!("  {k}: {before} -> {after}"));
                }
            }
        }
    }
}

pub fn measure_ui(ui: &mut egui::Ui, measure: &mut Measure, lang: Lang) {
    ui.horizontal(|ui| {
        ui.label(lang.t("量测:", "Measure:"));
        ui.selectable_value(&mut measure.mode, MeasureMode::Off, lang.t("关", "Off"));
        ui.selectable_value(
            &mut measure.mode,
            MeasureMode::Distance,
            lang.t("距离", "Distance"),
        );
        ui.selectable_value(&mut measure.mode, MeasureMode::Area, lang.t("面积", "Area"));
        if ui.small_button(lang.t("清除", "Clear")).clicked() {
            measure.points.clear();
        }
    });
    match measure.mode {
        MeasureMode::Off => {}
        MeasureMode::Distance => {
            ui.label(format!(
                "{} {:.3} km",
                lang.t("距离", "Length"),
                measure.length_m() / 1000.0
            ));
        }
        MeasureMode::Area => {
            ui.label(format!(
                "{} {:.4} km²",
                lang.t("面积", "Area"),
                measure.area_m2() / 1e6
            ));
        }
    }
}
