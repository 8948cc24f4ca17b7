//! The route part of the dispatch window: teams, network, days and search time in; the plan's
//! figures, a day selector, each team's timeline (travel, waiting, inspections, lunch) and
//! the tasks left out with their reason; task sheets out.

use crate::command::Command;
use crate::i18n::Lang;
use crate::state::RouteRequest;
use yitu_routing::dispatch::Plan;

/// The dispatcher's route settings, and the manual move being set up.
pub struct RouteSettings {
    /// Source id of the task to move, the team (index) and day to move it to.
    pub move_source: String,
    pub move_team: usize,
    pub move_day: usize,
    /// Moves made by hand, kept by the next "Plan routes".
    pub locks: Vec<yitu_routing::dispatch::Lock>,
    /// A teams CSV path; empty for the project's teams.
    pub teams_csv: String,
    /// An OSM extract; empty for the great-circle estimate.
    pub network_pbf: String,
    pub days: usize,
    pub seconds: f64,
    /// The plan's first day as typed (`yyyy-MM-dd`); empty: days are not dated.
    pub first_day: String,
}

impl Default for RouteSettings {
    fn default() -> Self {
        Self {
            teams_csv: String::new(),
            network_pbf: String::new(),
            days: 1,
            seconds: 5.0,
            first_day: String::new(),
            move_source: String::new(),
            move_team: 0,
            move_day: 0,
            locks: Vec::new(),
        }
    }
}

/// Settings, the plan button and, once planned, the plan.
pub fn routes_ui(
    ui: &mut egui::Ui,
    settings: &mut RouteSettings,
    plan: Option<&Plan>,
    day: &mut usize,
    ready: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.t("执法队 CSV", "Teams CSV"));
        ui.add(
            egui::TextEdit::singleline(&mut settings.teams_csv)
                .hint_text(lang.t("空: 使用项目中的执法队", "empty: the project's teams")),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(lang.t("路网 (OSM PBF)", "Roads (OSM PBF)"));
        ui.add(
            egui::TextEdit::singleline(&mut settings.network_pbf)
                .hint_text(lang.t("空: 按直线距离估算", "empty: estimate from straight lines")),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let days = ui.label(lang.t("工作日", "Days"));
        ui.add(egui::DragValue::new(&mut settings.days).range(1..=60))
            .labelled_by(days.id);
        let first = ui.label(lang.t("首日", "First day"));
        ui.add(
            egui::TextEdit::singleline(&mut settings.first_day)
                .hint_text("2026-06-01")
                .desired_width(90.0),
        )
        .labelled_by(first.id);
        let search = ui.label(lang.t("求解时间 (秒)", "Search (s)"));
        ui.add(egui::DragValue::new(&mut settings.seconds).range(0.5..=120.0))
            .labelled_by(search.id);
        if ui
            .add_enabled(ready, egui::Button::new(lang.t("规划路线", "Plan routes")))
            .clicked()
        {
            let path = |s: &str| (!s.trim().is_empty()).then(|| s.trim().into());
            commands.push(Command::PlanRoutes(RouteRequest {
                teams_csv: path(&settings.teams_csv),
                network_pbf: path(&settings.network_pbf),
                days: settings.days,
                seconds: settings.seconds,
                locks: settings.locks.clone(),
                // The app knows the project's folder.
                roads_folder: None,
                first_day: yitu_core::calendar::parse_date(&settings.first_day),
            }));
        }
        if ui
            .add_enabled(
                plan.is_some(),
                egui::Button::new(lang.t("导出任务单", "Export task sheets")),
            )
            .clicked()
        {
            commands.push(Command::ExportRoutes);
        }
    });
    if let Some(plan) = plan {
        ui.separator();
        plan_ui(ui, plan, day, lang);
        move_ui(ui, settings, plan, lang, commands);
    }
}

/// A firm (by source id) to another team and day, re-planned at once.
fn move_ui(
    ui: &mut egui::Ui,
    settings: &mut RouteSettings,
    plan: &Plan,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.t("调整: 污染源", "Move source"));
        ui.add(egui::TextEdit::singleline(&mut settings.move_source).desired_width(90.0))
            .labelled_by(label.id);
        settings.move_team = settings.move_team.min(plan.teams.len().saturating_sub(1));
        egui::ComboBox::from_label(lang.t("执法队", "team"))
            .selected_text(
                plan.teams
                    .get(settings.move_team)
                    .map_or("", |t| t.id.as_str()),
            )
            .show_ui(ui, |ui| {
                for (k, t) in plan.teams.iter().enumerate() {
                    ui.selectable_value(&mut settings.move_team, k, &t.id);
                }
            });
        let label = ui.label(lang.t("第几天", "day"));
        let mut day = settings.move_day + 1;
        ui.add(egui::DragValue::new(&mut day).range(1..=plan.days))
            .labelled_by(label.id);
        settings.move_day = day - 1;
        let task = plan
            .tasks
            .iter()
            .position(|t| t.source_id == settings.move_source.trim());
        if ui
            .add_enabled(task.is_some(), egui::Button::new(lang.t("移动", "Move")))
            .clicked()
            && let Some(task) = task
        {
            commands.push(Command::MoveStop {
                task,
                team: settings.move_team,
                day: settings.move_day,
            });
        }
    });
    if !settings.locks.is_empty() {
        ui.horizontal(|ui| {
            ui.weak(format!(
                "{} {}",
                settings.locks.len(),
                lang.t(
                    "个手动调整在下次规划中保持不变",
                    "moves kept by the next plan"
                )
            ));
            if ui.small_button(lang.t("清除", "Clear")).clicked() {
                settings.locks.clear();
            }
        });
    }
}

fn plan_ui(ui: &mut egui::Ui, plan: &Plan, day: &mut usize, lang: Lang) {
    ui.label(format!(
        "{} {}/{} · {} {} · {} {:.0} min · {:.1} km",
        lang.t("已安排", "planned"),
        plan.tasks.len() - plan.unplanned.len(),
        plan.tasks.len(),
        lang.t("队·天", "team-days"),
        plan.team_days,
        lang.t("行程", "travel"),
        plan.travel_minutes,
        plan.distance_m / 1000.0
    ));
    if plan.travel == "estimate" {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            lang.t(
                "行程为估算（直线距离 × 绕行系数 ÷ 平均速度），未使用路网",
                "Travel is estimated (straight line × detour ÷ average speed), not on roads",
            ),
        );
    }
    for w in &plan.warnings {
        ui.colored_label(ui.visuals().warn_fg_color, w);
    }
    ui.horizontal(|ui| {
        ui.label(lang.t("日期", "Day"));
        for d in 0..plan.days {
            ui.selectable_value(day, d, format!("{}", d + 1));
        }
    });
    timeline_ui(ui, plan, *day, lang);
    if !plan.unplanned.is_empty() {
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            lang.t("未安排", "Not planned"),
            plan.unplanned.len()
        ))
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("unplanned")
                .max_height(140.0)
                .show(ui, |ui| {
                    for u in &plan.unplanned {
                        ui.label(format!("{}: {}", plan.tasks[u.task].source_id, u.reason));
                    }
                });
        });
    }
}

use crate::theme::{
    TIMELINE_INSPECT as INSPECT, TIMELINE_LUNCH as LUNCH, TIMELINE_TRAVEL as TRAVEL,
    TIMELINE_WAIT as WAIT,
};

/// One bar per team on the day: travel, waiting, inspections (numbered) and lunch, over the
/// working hours.
fn timeline_ui(ui: &mut egui::Ui, plan: &Plan, day: usize, lang: Lang) {
    let routes: Vec<_> = plan.routes.iter().filter(|r| r.day == day).collect();
    if routes.is_empty() {
        ui.weak(lang.t("这一天没有路线", "No routes on this day"));
        return;
    }
    let day0 = day as f64 * 24.0 * 60.0;
    let (from, to) = (day0 + 7.5 * 60.0, day0 + 19.0 * 60.0);
    let label_w = 90.0;
    let row_h = 16.0;
    ui.horizontal(|ui| {
        for (colour, name) in [
            (TRAVEL, lang.t("行程", "travel")),
            (WAIT, lang.t("等待", "wait")),
            (INSPECT, lang.t("检查", "inspection")),
            (LUNCH, lang.t("午餐", "lunch")),
        ] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, colour);
            ui.label(name);
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("timeline")
        .max_height(260.0)
        .show(ui, |ui| {
            let width = ui.available_width().max(300.0);
            let (rect, _) = ui.allocate_exact_size(
                egui::vec2(width, row_h * (routes.len() as f32 + 1.0)),
                egui::Sense::hover(),
            );
            let painter = ui.painter_at(rect);
            let x_of = |t: f64| {
                rect.left() + label_w + ((t - from) / (to - from)) as f32 * (rect.width() - label_w)
            };
            let text = ui.visuals().text_color();
            for h in 8..=18 {
                let x = x_of(day0 + f64::from(h) * 60.0);
                painter.text(
                    egui::pos2(x, rect.top()),
                    egui::Align2::CENTER_TOP,
                    format!("{h}"),
                    egui::FontId::proportional(10.0),
                    text,
                );
            }
            for (row, r) in routes.iter().enumerate() {
                let y = rect.top() + row_h * (row as f32 + 1.0);
                painter.text(
                    egui::pos2(rect.left(), y),
                    egui::Align2::LEFT_TOP,
                    &plan.teams[r.team].id,
                    egui::FontId::proportional(11.0),
                    text,
                );
                let bar = |a: f64, b: f64, colour| {
                    let r = egui::Rect::from_min_max(
                        egui::pos2(x_of(a), y + 2.0),
                        egui::pos2(x_of(b).max(x_of(a) + 1.0), y + row_h - 2.0),
                    );
                    painter.rect_filled(r, 1.0, colour);
                };
                let mut t = r.leave;
                let mut seq = 0;
                for s in &r.stops {
                    bar(s.arrival - s.travel_minutes, s.arrival, TRAVEL);
                    bar(s.arrival, s.start, WAIT);
                    let colour = if s.task.is_some() { INSPECT } else { LUNCH };
                    bar(s.start, s.departure, colour);
                    if s.task.is_some() {
                        seq += 1;
                        painter.text(
                            egui::pos2(x_of(f64::midpoint(s.start, s.departure)), y + 2.0),
                            egui::Align2::CENTER_TOP,
                            seq.to_string(),
                            egui::FontId::proportional(10.0),
                            egui::Color32::WHITE,
                        );
                    }
                    t = s.departure;
                }
                bar(t, r.back, TRAVEL);
            }
        });
}
