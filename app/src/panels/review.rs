//! The review queue of a detections layer: one detection at a time, best first, with what an
//! analyst decides about it (confirm, dismiss, needs a field check) and a note, kept in the
//! layer's `review` and `note` attributes and saved with the project.

use yitu_imagery::detect::targets::{ReviewDecision, is_detections_layer};
use yitu_layers::AttrValue;

use crate::command::Command;
use crate::feature::FeatureRef;
use crate::i18n::{Lang, value_label};
use crate::map::layers::MapLayers;

/// Where the analyst is in the queue.
#[derive(Default)]
pub struct ReviewState {
    pub position: usize,
    /// The note being typed for the current detection.
    pub note: String,
}

/// The field a detection's review note is kept in: `review_note` where the layer has it (the
/// shared store's column), else `note`.
pub fn note_field(layer: &yitu_layers::Layer) -> &'static str {
    if layer.field_index("review_note").is_some() {
        "review_note"
    } else {
        "note"
    }
}

/// Fields whose values are codes, shown in words.
const CODED: [&str; 3] = ["capability", "status", "review"];

/// A decision as its button says it.
fn decision_label(decision: ReviewDecision, lang: Lang) -> &'static str {
    match decision {
        ReviewDecision::Confirmed => lang.t("确认", "Confirm"),
        ReviewDecision::Dismissed => lang.t("排除", "Dismiss"),
        ReviewDecision::FieldCheck => lang.t("需现场核查", "Field check"),
    }
}

pub fn review_ui(
    ui: &mut egui::Ui,
    layers: &MapLayers,
    state: &mut ReviewState,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    // The topmost detections layer.
    let Some(top) = layers
        .iter()
        .rev()
        .find(|l| is_detections_layer(&l.data.layer))
    else {
        return;
    };
    let (layer_index, layer) = (top.id, &top.data.layer);
    let count = layer.features.len();
    ui.heading(lang.t("复核", "Review"));
    if count == 0 {
        ui.weak(lang.t("没有检测结果", "No detections"));
        return;
    }
    state.position = state.position.min(count - 1);
    let reviewed = (0..count)
        .filter(|&i| !layer.value(i, "review").to_string().is_empty())
        .count();
    ui.weak(format!(
        "{}: {}/{count}, {} {reviewed}",
        layer.name,
        state.position + 1,
        lang.t("已复核", "reviewed")
    ));
    let go = |position: usize, commands: &mut Vec<Command>| {
        let f = FeatureRef {
            layer: layer_index,
            feature: position,
        };
        commands.push(Command::Select(Some(f)));
        commands.push(Command::ZoomTo(f));
    };
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                state.position > 0,
                egui::Button::new(lang.t("上一个", "Previous")),
            )
            .clicked()
        {
            state.position -= 1;
            state.note = layer.value(state.position, note_field(layer)).to_string();
            go(state.position, commands);
        }
        if ui
            .add_enabled(
                state.position + 1 < count,
                egui::Button::new(lang.t("下一个", "Next")),
            )
            .clicked()
        {
            state.position += 1;
            state.note = layer.value(state.position, note_field(layer)).to_string();
            go(state.position, commands);
        }
        if ui.button(lang.t("定位", "Show")).clicked() {
            go(state.position, commands);
        }
        if ui
            .button(lang.t("导出证据", "Export evidence"))
            .on_hover_text(lang.t(
                "热图切片（色板、范围、排口、比例尺）和说明页，存到项目旁",
                "A thermal chip (palette, outline, outlet, scale bar) and a sheet, beside the project",
            ))
            .clicked()
        {
            commands.push(Command::ExportEvidence(FeatureRef {
                layer: layer_index,
                feature: state.position,
            }));
        }
    });
    let i = state.position;
    egui::Grid::new("review_fields")
        .num_columns(2)
        .show(ui, |ui| {
            for (field, zh, en) in [
                ("capability", "类型", "Capability"),
                ("status", "状态", "Status"),
                ("score", "评分", "Score"),
                ("delta_t_k", "温差 K", "ΔT K"),
                ("area_m2", "面积 m²", "Area m²"),
                ("nearest_outfall_id", "最近排污口", "Nearest outfall"),
                ("source_id", "污染源", "Source"),
                ("qa_flags", "质量标记", "QA flags"),
                ("review", "复核结论", "Decision"),
            ] {
                ui.label(lang.t(zh, en));
                ui.label(match layer.value(i, field) {
                    AttrValue::Real(r) => format!("{r:.2}"),
                    AttrValue::Text(code) if CODED.contains(&field) && !code.is_empty() => {
                        value_label(lang, code)
                    }
                    v => v.to_string(),
                });
                ui.end_row();
            }
        });
    let set = |field: &'static str, value: String, commands: &mut Vec<Command>| {
        commands.push(Command::SetAttribute {
            feature: FeatureRef {
                layer: layer_index,
                feature: i,
            },
            field,
            value,
        });
    };
    ui.horizontal(|ui| {
        for decision in ReviewDecision::ALL {
            if ui.button(decision_label(decision, lang)).clicked() {
                set("review", decision.code().to_owned(), commands);
                set(note_field(layer), state.note.clone(), commands);
                if i + 1 < count {
                    state.position = i + 1;
                    state.note = layer.value(i + 1, note_field(layer)).to_string();
                    go(i + 1, commands);
                }
            }
        }
    });
    ui.add(
        egui::TextEdit::singleline(&mut state.note)
            .hint_text(lang.t("备注", "Note"))
            .desired_width(f32::INFINITY),
    )
    .labelled_by(ui.label(lang.t("备注", "Note")).id);
}
