//! The river-trace window (流域追溯): the trace tool's settings, and the last trace: its rivers,
//! the district and province lines it crossed, and what it found grouped by district, each
//! row a click from the feature on the map; the joint-check lists exported from here.

use yitu_basins::{Direction, joint};

use crate::command::Command;
use crate::i18n::{Lang, layer_title};
use crate::map::trace::TraceTool;
use crate::state::LoadedProject;
use crate::state::basins::{TraceRun, feature_of};

/// The project layer name shown for a found feature's layer.
fn layer_name(layer: &str) -> &str {
    match layer {
        "sections" => "river_sections",
        "sources" => "pollution_sources",
        "anomalies" => "monitoring_anomalies",
        other => other,
    }
}

fn direction_text(lang: Lang, d: Direction) -> &'static str {
    match d {
        Direction::Up => lang.t("上游（含支流）", "Upstream, with tributaries"),
        Direction::Upmain => lang.t("干流上游", "Up the main stem"),
        Direction::Down => lang.t("下游", "Downstream"),
    }
}

/// The window; `open` is whether it shows.
pub fn trace_ui(
    ctx: &egui::Context,
    open: &mut bool,
    tool: &mut TraceTool,
    run: Option<&TraceRun>,
    loaded: Option<&LoadedProject>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    egui::Window::new(lang.t("流域追溯", "River trace"))
        .open(open)
        .default_width(420.0)
        .default_height(640.0)
        .anchor(egui::Align2::RIGHT_TOP, [-300.0, 40.0])
        .show(ctx, |ui| {
            ui.checkbox(
                &mut tool.active,
                lang.t(
                    "点击河道或要素开始追溯",
                    "Click a river or a feature to trace from it",
                ),
            );
            ui.horizontal(|ui| {
                for d in [Direction::Up, Direction::Upmain, Direction::Down] {
                    ui.radio_value(&mut tool.direction, d, direction_text(lang, d));
                }
            });
            ui.horizontal(|ui| {
                limit(ui, lang.t("距离上限 km", "Up to km"), &mut tool.km, 5000.0);
                limit(
                    ui,
                    lang.t("流经时间上限 h", "Up to hours"),
                    &mut tool.hours,
                    1000.0,
                );
            });
            ui.weak(lang.t(
                "0 表示不限；流速 0.5 m/s，除非河道自带",
                "0: no limit; 0.5 m/s unless a reach gives its own",
            ));
            ui.horizontal(|ui| {
                let label = ui.label(lang.t("超标因子@时间", "Exceedance PARAM@TIME"));
                ui.add(egui::TextEdit::singleline(&mut tool.exceedance).hint_text("NH3-N@2026-06-01T08:00").desired_width(190.0))
                    .labelled_by(label.id);
                if let Some(run) = run
                    && ui.button(lang.t("重新追溯", "Trace again")).clicked()
                {
                    commands.push(Command::TraceFrom { lon: run.request.at.x, lat: run.request.at.y, label: run.request.label.clone() });
                }
            });
            let (Some(run), Some(loaded)) = (run, loaded) else {
                ui.separator();
                ui.weak(lang.t("尚未追溯", "Nothing traced yet"));
                return;
            };
            ui.separator();
            ui.heading(format!("{} · {}", run.request.label, run.river));
            ui.label(format!(
                "{} · {} {} · {:.1} km · {} {}",
                direction_text(lang, run.request.direction),
                run.lines.len(),
                lang.t("段河道", "reaches"),
                run.length_km,
                run.found.len(),
                lang.t("个要素", "features found")
            ));
            ui.horizontal(|ui| {
                if ui
                    .button(lang.t("导出联合排查清单", "Export joint-check lists"))
                    .clicked()
                {
                    commands.push(Command::ExportTraceLists);
                }
                if ui
                    .button(lang.t("加入抽查计划", "Add to the draw plan"))
                    .on_hover_text(lang.t(
                        "候选企业作为定向检查，沿河区县作为交叉执法配对",
                        "The firms as targeted checks, the districts along the rivers as cross-check pairs",
                    ))
                    .clicked()
                {
                    commands.push(Command::AddTraceToDraw);
                }
                if ui.button(lang.t("清除", "Clear")).clicked() {
                    commands.push(Command::ClearTrace);
                }
            });
            egui::ScrollArea::vertical().show(ui, |ui| {
                crossings_ui(ui, run, lang, commands);
                found_ui(ui, run, loaded, lang, commands);
            });
        });
}

/// A labelled limit, 0 for none.
fn limit(ui: &mut egui::Ui, label: &str, value: &mut f64, max: f64) {
    let label = ui.label(label);
    ui.add(
        egui::DragValue::new(value)
            .range(0.0..=max)
            .speed(max / 5000.0),
    )
    .labelled_by(label.id);
}

fn crossings_ui(ui: &mut egui::Ui, run: &TraceRun, lang: Lang, commands: &mut Vec<Command>) {
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        lang.t(
            "跨界 (上游 -> 下游)",
            "Lines crossed (upstream -> downstream)"
        ),
        run.crossings.len()
    ))
    .default_open(true)
    .show(ui, |ui| {
        for c in &run.crossings {
            let name = |n: &Option<String>, code: &Option<String>| {
                n.clone()
                    .or_else(|| code.clone())
                    .unwrap_or_else(|| "—".to_owned())
            };
            let province = if c.upstream_province == c.downstream_province {
                String::new()
            } else {
                format!(
                    " [{} -> {}]",
                    c.upstream_province.as_deref().unwrap_or("—"),
                    c.downstream_province.as_deref().unwrap_or("—")
                )
            };
            let text = format!(
                "{:.1} km  {} -> {}{province}",
                c.river_km,
                name(&c.upstream_name, &c.upstream_district),
                name(&c.downstream_name, &c.downstream_district)
            );
            if ui.selectable_label(false, text).clicked() {
                commands.push(Command::ZoomAt {
                    lon: c.lon,
                    lat: c.lat,
                    zoom: 13.0,
                });
            }
        }
    });
}

fn found_ui(
    ui: &mut egui::Ui,
    run: &TraceRun,
    loaded: &LoadedProject,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let select = |f: &yitu_basins::Found, commands: &mut Vec<Command>| {
        if let Some(r) = feature_of(loaded, f) {
            commands.push(Command::Select(Some(r)));
            commands.push(Command::ZoomTo(r));
        }
    };
    let sections: Vec<&yitu_basins::Found> =
        run.found.iter().filter(|f| f.layer == "sections").collect();
    if !sections.is_empty() {
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            layer_title(lang, "river_sections"),
            sections.len()
        ))
        .show(ui, |ui| {
            for f in sections {
                if ui
                    .selectable_label(
                        false,
                        format!("{}  {:.1} km  {:.1} h", f.id, f.river_km, f.travel_h),
                    )
                    .clicked()
                {
                    select(f, commands);
                }
            }
        });
    }
    for list in joint::by_district(&run.ranked) {
        let title = format!(
            "{} {} ({})",
            list.province.as_deref().unwrap_or(""),
            list.district_name
                .as_deref()
                .or(list.district.as_deref())
                .unwrap_or(lang.t("区县外", "outside every district")),
            list.candidates.len()
        );
        egui::CollapsingHeader::new(title)
            .default_open(true)
            .show(ui, |ui| {
                egui::Grid::new(("trace-found", list.district.clone()))
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong(lang.t("类别", "Layer"));
                        ui.strong(lang.t("编号", "Id"));
                        ui.strong("km");
                        ui.strong("h");
                        ui.strong(lang.t("得分", "Score"));
                        ui.end_row();
                        for r in &list.candidates {
                            let f = &r.found;
                            ui.label(layer_title(lang, layer_name(&f.layer)));
                            let reasons: Vec<String> = r
                                .parts
                                .iter()
                                .map(|p| format!("{:?} {:.2}: {}", p.factor, p.score, p.reason))
                                .collect();
                            if ui
                                .selectable_label(false, &f.id)
                                .on_hover_text(reasons.join("\n"))
                                .clicked()
                            {
                                select(f, commands);
                            }
                            ui.label(format!("{:.1}", f.river_km));
                            ui.label(format!("{:.1}", f.travel_h));
                            ui.label(format!("{:.2}", r.score));
                            ui.end_row();
                        }
                    });
            });
    }
}
