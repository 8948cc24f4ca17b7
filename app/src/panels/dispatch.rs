//! The dispatch window (双随机、一公开): the plan, the roster and the public entropy in; the
//! draw's strata, its firms by district, and the announcement and task list out. The drawn
//! firms go on the map as a layer, and route planning (`panels::routes`) spreads them over the
//! teams and days.

use std::collections::BTreeMap;

use crate::command::Command;
use crate::i18n::Lang;
use crate::state::{DrawOutcome, DrawRequest};
use crate::workspace::DispatchResults;

/// What the dispatcher is editing: it stays when another project opens (the draw and plan
/// made with it are the workspace's, and go).
pub struct DispatchState {
    pub open: bool,
    pub plan_toml: String,
    pub entropy: String,
    /// A roster CSV path; empty for the project's inspectors.
    pub roster_csv: String,
    pub route_settings: super::routes::RouteSettings,
}

impl Default for DispatchState {
    fn default() -> Self {
        let plan = yitu_draw::synthetic::example_plan();
        Self {
            open: false,
            plan_toml: plan.to_toml(),
            entropy: String::new(),
            roster_csv: String::new(),
            route_settings: super::routes::RouteSettings::default(),
        }
    }
}

/// The window, over the open project's draw and plan (`results`; none while no project is
/// open).
pub fn dispatch_ui(
    ctx: &egui::Context,
    state: &mut DispatchState,
    results: Option<&mut DispatchResults>,
    drawing: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let mut open = state.open;
    let drawn = results.as_ref().is_some_and(|r| r.draw.is_some());
    egui::Window::new(lang.t("双随机抽查", "Random draw (双随机)"))
        .open(&mut open)
        .default_width(520.0)
        .default_height(720.0)
        .show(ctx, |ui| {
            let plan = ui
                .horizontal(|ui| {
                    let plan = ui.label(lang.t("抽查方案 (TOML)", "Plan (TOML)"));
                    if ui
                        .add_enabled(
                            !drawing,
                            egui::Button::new(lang.t("就近配对区县", "Pair nearby districts")),
                        )
                        .on_hover_text(lang.t(
                            "每个区县的企业由邻近一个区县的执法人员检查 (一对一, 写入 [[pair]]): \
                             交叉执法时人员不必跨越全市, 当天可往返",
                            "Each district's firms go to the inspectors of one nearby district \
                             (one to one, written as [[pair]]s): cross checks then stay within a \
                             day's round trip",
                        ))
                        .clicked()
                    {
                        commands.push(Command::PairNearbyDistricts);
                    }
                    plan
                })
                .inner;
            egui::ScrollArea::vertical()
                .id_salt("plan")
                .max_height(if drawn { 120.0 } else { 260.0 })
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut state.plan_toml)
                            .code_editor()
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(plan.id);
                });
            ui.horizontal(|ui| {
                let roster = ui.label(lang.t("执法人员名单 CSV", "Roster CSV"));
                ui.add(
                    egui::TextEdit::singleline(&mut state.roster_csv).hint_text(lang.t(
                        "空: 使用项目中的执法人员",
                        "empty: the project's inspectors",
                    )),
                )
                .labelled_by(roster.id);
            });
            ui.horizontal(|ui| {
                let entropy = ui.label(lang.t("现场公开随机数", "Public entropy"));
                ui.add(
                    egui::TextEdit::singleline(&mut state.entropy)
                        .hint_text(lang.t("如: 见证人报出的数字", "e.g. the witnesses' numbers")),
                )
                .labelled_by(entropy.id);
            });
            let ready = !state.entropy.trim().is_empty() && !drawing;
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(lang.t("抽取", "Draw")))
                    .clicked()
                {
                    let csv = state.roster_csv.trim();
                    commands.push(Command::Draw(DrawRequest {
                        plan_toml: state.plan_toml.clone(),
                        entropy: state.entropy.clone(),
                        roster_csv: (!csv.is_empty()).then(|| csv.into()),
                    }));
                }
                if ui
                    .add_enabled(
                        drawn,
                        egui::Button::new(
                            lang.t("导出公示和任务清单", "Export announcement and tasks"),
                        ),
                    )
                    .clicked()
                {
                    commands.push(Command::PublishDraw);
                }
            });
            if let Some(r) = results
                && let Some(outcome) = &r.draw
            {
                ui.separator();
                summary_ui(ui, outcome, lang);
                ui.separator();
                egui::CollapsingHeader::new(lang.t("检查路线", "Inspection routes"))
                    .default_open(true)
                    .show(ui, |ui| {
                        super::routes::routes_ui(
                            ui,
                            &mut state.route_settings,
                            r.routes.as_ref(),
                            &mut r.day,
                            !drawing,
                            lang,
                            commands,
                        );
                    });
            }
        });
    state.open = open;
}

/// The strata, the seed, and the drawn firms counted by district and stratum.
fn summary_ui(ui: &mut egui::Ui, outcome: &DrawOutcome, lang: Lang) {
    let record = &outcome.record;
    ui.strong(&record.name);
    ui.label(format!(
        "{} {}, {} {}",
        lang.t("随机抽取", "drawn"),
        record.selected.len(),
        lang.t("定向检查", "targeted"),
        record.targeted.len()
    ));
    if !outcome.remote_checks.is_empty() {
        ui.label(format!(
            "{} {}",
            lang.t(
                "正面清单远程核查 (监控数据无异常):",
                "正面清单 checked remotely (monitoring data clean):"
            ),
            outcome.remote_checks.len()
        ))
        .on_hover_text(outcome.remote_checks.join(", "));
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak(lang.t("种子", "Seed"));
        ui.monospace(&record.seed);
    });
    let strata: Vec<&str> = record.strata.iter().map(|s| s.stratum.as_str()).collect();
    let mut by_district: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for s in &record.selected {
        *by_district
            .entry(&s.district)
            .or_default()
            .entry(&s.stratum)
            .or_default() += 1;
    }
    egui::ScrollArea::vertical()
        .id_salt("by_district")
        .max_height(400.0)
        .show(ui, |ui| {
            egui::Grid::new("draw_by_district")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(lang.t("区县", "District"));
                    for s in &strata {
                        ui.strong(*s);
                    }
                    ui.end_row();
                    ui.weak(lang.t("符合条件/抽取", "eligible/drawn"));
                    for s in &record.strata {
                        ui.weak(format!("{}/{}", s.eligible, s.drawn));
                    }
                    ui.end_row();
                    for (district, counts) in &by_district {
                        match outcome.district_names.get(*district) {
                            Some(name) => ui.label(format!("{name} {district}")),
                            None => ui.label(*district),
                        };
                        for s in &strata {
                            ui.label(counts.get(s).copied().unwrap_or(0).to_string());
                        }
                        ui.end_row();
                    }
                });
        });
}
