//! The presenter frame over the map: the step's caption, the indicators in large type on dark
//! panels (legible on a projector and through a video codec), the marks, and a bar with the
//! time slider, the story's steps, the pens and the snapshot.

use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, vec2};
use yitu_command::indicators::Indicator;

use super::Presenter;
use super::marks::shapes;
use crate::command::Command;
use crate::i18n::Lang;
use crate::map::render::ScreenFromWorld;
use crate::state::LoadedProject;

/// Type sizes at 1080p: nothing under 24 px.
const TITLE: f32 = 38.0;
const VALUE: f32 = 40.0;
const TEXT: f32 = 24.0;
use crate::theme::{
    PRESENT_ACCENT as ACCENT, PRESENT_BAD as BAD, PRESENT_GOOD as GOOD, PRESENT_PANEL as PANEL,
};

/// Indicators shown when the step names none.
pub const DEFAULT_SHOWN: [&str; 6] = [
    "sources",
    "transmission_rate",
    "open_anomalies",
    "detections_awaiting",
    "drawn",
    "inspections_planned",
];

fn day_text(day: Option<i64>) -> Option<String> {
    day.map(yitu_core::calendar::iso_date)
}

fn value_text(i: &Indicator) -> String {
    match i.value {
        None => "—".to_owned(),
        Some(v) if i.unit == "%" => format!("{v:.1}%"),
        Some(v) => format!("{v:.0}"),
    }
}

/// Whether the value meets its target (`None` without one).
fn meets(i: &Indicator) -> Option<bool> {
    let (v, t) = (i.value?, i.target?);
    Some(if i.unit == "%" { v >= t } else { v <= t })
}

/// Draws the overlays and the control bar; `map` is the map's last transform and rectangle.
pub fn presenter_ui(
    ui: &mut egui::Ui,
    p: &mut Presenter,
    loaded: &LoadedProject,
    map: Option<(ScreenFromWorld, Rect)>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("presenter"),
    ));
    let mut out = Vec::new();
    if let Some((t, rect)) = map {
        shapes(&mut out, &p.marks_shown(), &t, &painter);
        p.tool.input(ui, rect, &t, commands);
    }
    overlay_shapes(&mut out, &painter, p, loaded, screen, lang);
    painter.extend(out);
    control_bar(&ctx, p, lang, commands);
}

/// The caption and the indicator panel for a frame of `screen`'s size.
pub fn overlay_shapes(
    out: &mut Vec<Shape>,
    painter: &egui::Painter,
    p: &mut Presenter,
    loaded: &LoadedProject,
    screen: Rect,
    lang: Lang,
) {
    caption(out, painter, p, screen, lang);
    let zh = lang == Lang::Zh;
    let step = p.current().cloned();
    let district = step.as_ref().and_then(|s| s.district.clone());
    let wanted: Vec<String> = match step
        .as_ref()
        .map(|s| s.indicators.clone())
        .filter(|v| !v.is_empty())
    {
        Some(ids) => ids,
        None => DEFAULT_SHOWN.iter().map(|s| (*s).to_owned()).collect(),
    };
    let theme = p.theme();
    let indicators = p.indicators(loaded, zh);
    let shown: Vec<&Indicator> = wanted
        .iter()
        .filter_map(|id| {
            indicators
                .indicators
                .iter()
                .find(|i| i.id == id && i.district == district)
        })
        .collect();
    indicator_panel(out, painter, &shown, screen, district.as_deref(), lang);
    if let Some(id) = theme {
        let names: std::collections::HashMap<String, String> = loaded
            .layers
            .data()
            .filter(|l| l.layer.kind == yitu_layers::LayerKind::Districts)
            .flat_map(|l| {
                (0..l.layer.features.len()).map(move |i| {
                    (
                        l.layer.value(i, "adcode").to_string(),
                        l.layer.value(i, "name").to_string(),
                    )
                })
            })
            .collect();
        let name = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_owned());
        super::theme::ranking(out, painter, indicators, &id, &name, screen);
    }
}

fn caption(out: &mut Vec<Shape>, painter: &egui::Painter, p: &Presenter, screen: Rect, lang: Lang) {
    let title = p.current().map_or_else(
        || {
            lang.t("一图 · 指挥调度", "Yitu · command centre")
                .to_owned()
        },
        |s| s.caption.clone(),
    );
    let mut line = Vec::new();
    if let Some(story) = &p.story {
        line.push(format!(
            "{} {}/{}",
            story.name,
            p.step + 1,
            story.steps.len()
        ));
    }
    if let Some(d) = day_text(p.time.until) {
        line.push(format!("{} {d}", lang.t("数据截至", "data up to")));
    }
    let title = painter.layout(
        title,
        FontId::proportional(TITLE),
        Color32::WHITE,
        screen.width() * 0.55,
    );
    let sub = painter.layout_no_wrap(line.join(" · "), FontId::proportional(TEXT), ACCENT);
    let at = screen.left_top() + vec2(20.0, 20.0);
    let rect = Rect::from_min_size(
        at,
        vec2(
            title.size().x.max(sub.size().x),
            title.size().y + sub.size().y + 6.0,
        ),
    )
    .expand(14.0);
    out.push(Shape::rect_filled(rect, 8.0, PANEL));
    let sub_at = at + vec2(0.0, title.size().y + 6.0);
    out.push(Shape::galley(at, title, Color32::WHITE));
    out.push(Shape::galley(sub_at, sub, ACCENT));
}

fn indicator_panel(
    out: &mut Vec<Shape>,
    painter: &egui::Painter,
    shown: &[&Indicator],
    screen: Rect,
    district: Option<&str>,
    lang: Lang,
) {
    let width = 470.0;
    let left = screen.right() - width - 20.0;
    let mut y = screen.top() + 20.0;
    let mut items: Vec<(Pos2, std::sync::Arc<egui::Galley>, Color32)> = Vec::new();
    let heading = match district {
        Some(d) => format!("{} {d}", lang.t("指标 · 区县", "Indicators · district")),
        None => lang.t("指标 · 全市", "Indicators · city").to_owned(),
    };
    let mut put = |text: String, size: f32, colour: Color32, gap: f32, y: &mut f32| {
        let g = painter.layout(text, FontId::proportional(size), colour, width - 28.0);
        let h = g.size().y;
        items.push((Pos2::new(left + 14.0, *y), g, colour));
        *y += h + gap;
    };
    put(heading, TEXT, ACCENT, 10.0, &mut y);
    for i in shown {
        put(i.label.clone(), TEXT, Color32::from_gray(220), 2.0, &mut y);
        let colour = match (i.value, meets(i)) {
            (None, _) => Color32::from_gray(130),
            (_, Some(true)) => GOOD,
            (_, Some(false)) => BAD,
            _ => Color32::WHITE,
        };
        let target = i
            .target
            .map(|t| {
                format!(
                    "   {} {}",
                    lang.t("目标", "target"),
                    if i.unit == "%" {
                        format!("≥ {t:.0}%")
                    } else {
                        format!("{t:.0}")
                    }
                )
            })
            .unwrap_or_default();
        put(
            format!("{}{target}", value_text(i)),
            VALUE,
            colour,
            2.0,
            &mut y,
        );
        if let Some(why) = &i.missing {
            put(why.clone(), TEXT, Color32::from_gray(150), 12.0, &mut y);
        } else {
            y += 10.0;
        }
    }
    let rect = Rect::from_min_max(
        Pos2::new(left, screen.top() + 8.0),
        Pos2::new(left + width, y + 4.0),
    );
    out.push(Shape::rect_filled(rect, 8.0, PANEL));
    out.push(Shape::rect_stroke(
        rect,
        8.0,
        Stroke::new(2.0, ACCENT),
        egui::StrokeKind::Inside,
    ));
    for (at, g, c) in items {
        out.push(Shape::galley(at, g, c));
    }
}

/// The desk's controls on the presenter frame, in large type at the bottom.
fn control_bar(ctx: &egui::Context, p: &mut Presenter, lang: Lang, commands: &mut Vec<Command>) {
    egui::Area::new(egui::Id::unique("presenter-bar"))
        .anchor(Align2::CENTER_BOTTOM, vec2(0.0, -16.0))
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(PANEL)
                .corner_radius(8.0)
                .inner_margin(10.0)
                .show(ui, |ui| {
                    let style = ui.style_mut();
                    for font in style.text_styles.values_mut() {
                        font.size = font.size.max(TEXT);
                    }
                    style.visuals = egui::Visuals::dark();
                    ui.horizontal(|ui| {
                        if let Some(story) = &p.story {
                            ui.label(format!("{}/{}", p.step + 1, story.steps.len()));
                        }
                        if ui.button(lang.t("上一步", "Back")).clicked() {
                            commands.push(Command::StoryStep(-1));
                        }
                        if ui.button(lang.t("下一步", "Next")).clicked() {
                            commands.push(Command::StoryStep(1));
                        }
                        ui.separator();
                        if p.time.span.is_some() {
                            time_ui(ui, &mut p.time, lang, commands);
                            ui.separator();
                        }
                        super::marks::tool_ui(ui, &mut p.tool, lang, commands);
                        ui.separator();
                        if ui.button(lang.t("截图", "Snapshot")).clicked() {
                            commands.push(Command::Snapshot);
                        }
                        if ui.button(lang.t("会商纪要", "Minutes")).clicked() {
                            commands.push(Command::WriteMinutes);
                        }
                        if ui.button(lang.t("退出", "Leave")).clicked() {
                            commands.push(Command::TogglePresenter);
                        }
                    });
                });
        });
}

/// The time slider's controls: play or pause, the day, the speed, and all of the data.
pub fn time_ui(
    ui: &mut egui::Ui,
    time: &mut super::TimeSlider,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let Some((first, last)) = time.span else {
        return;
    };
    let play = if time.playing {
        lang.t("暂停", "Pause")
    } else {
        lang.t("播放", "Play")
    };
    if ui.button(play).clicked() {
        time.playing = !time.playing;
    }
    let mut day = time.until.unwrap_or(last);
    let label = ui.label(day_text(Some(day)).unwrap_or_default());
    if ui
        .add(egui::Slider::new(&mut day, first..=last).show_value(false))
        .labelled_by(label.id)
        .changed()
    {
        commands.push(Command::SetTime(Some(day)));
    }
    let speed = ui.label(lang.t("天/秒", "days/s"));
    ui.add(egui::DragValue::new(&mut time.days_per_second).range(0.5..=60.0))
        .labelled_by(speed.id);
    if ui.button(lang.t("全部", "All")).clicked() {
        commands.push(Command::SetTime(None));
    }
}
