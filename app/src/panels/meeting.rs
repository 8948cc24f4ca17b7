//! The desk's meeting window (会商): where to present (this window, or a second screen), the
//! story's steps (go to one, add the current view as a step, update, move or take one out),
//! the time shown, snapshots and the minutes.

use crate::command::Command;
use crate::i18n::Lang;
use crate::presenter::Presenter;

/// What the window edits between frames.
#[derive(Default)]
pub struct MeetingView {
    pub open: bool,
    /// The monitor a second screen goes to.
    pub monitor: usize,
    /// The caption typed for a new step.
    pub caption: String,
}

/// The window; `second` is whether a second screen shows the presentation.
pub fn meeting_ui(
    ctx: &egui::Context,
    view: &mut MeetingView,
    p: &mut Presenter,
    second: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let mut open = view.open;
    egui::Window::new(lang.t("会商 · 指挥调度", "Meeting · command centre"))
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .button(lang.t("在本窗口演示", "Present in this window"))
                    .clicked()
                {
                    commands.push(Command::TogglePresenter);
                }
                if second {
                    if ui
                        .button(lang.t("关闭第二屏", "Close the second screen"))
                        .clicked()
                    {
                        commands.push(Command::PresentOn(None));
                    }
                } else {
                    let label = ui.label(lang.t("显示器", "Monitor"));
                    ui.add(egui::DragValue::new(&mut view.monitor).range(0..=8))
                        .labelled_by(label.id);
                    if ui
                        .button(lang.t("投到第二屏", "Present on a second screen"))
                        .clicked()
                    {
                        commands.push(Command::PresentOn(Some(view.monitor)));
                    }
                }
            });
            ui.separator();
            match &p.story {
                Some(story) => {
                    ui.strong(&story.name);
                    for (k, step) in story.steps.iter().enumerate() {
                        if ui
                            .selectable_label(k == p.step, format!("{}. {}", k + 1, step.caption))
                            .clicked()
                        {
                            commands.push(Command::StoryStep(k as isize - p.step as isize));
                        }
                    }
                }
                None => {
                    ui.weak(lang.t(
                        "尚未开始：演示时使用项目的故事或内置总览",
                        "Not started: presenting uses the project's story or the built-in overview",
                    ));
                }
            }
            if let Some(step) = p.story.as_mut().and_then(|s| s.steps.get_mut(p.step)) {
                ui.horizontal(|ui| {
                    let label = ui.label(lang.t("此步说明", "This step's caption"));
                    if ui
                        .add(egui::TextEdit::singleline(&mut step.caption).desired_width(240.0))
                        .labelled_by(label.id)
                        .changed()
                    {
                        commands.push(Command::StoryEdited);
                    }
                });
            }
            if second {
                ui.horizontal_wrapped(|ui| {
                    crate::presenter::marks::tool_ui(ui, &mut p.tool, lang, commands);
                });
            }
            ui.weak(format!(
                "{} {}",
                lang.t("此步标注", "Marks on this step:"),
                p.marks.len()
            ));
            ui.horizontal(|ui| {
                if ui.button(lang.t("上一步", "Back")).clicked() {
                    commands.push(Command::StoryStep(-1));
                }
                if ui.button(lang.t("下一步", "Next")).clicked() {
                    commands.push(Command::StoryStep(1));
                }
                if ui.button(lang.t("删除此步", "Remove this step")).clicked() {
                    commands.push(Command::RemoveStep);
                }
            });
            ui.horizontal(|ui| {
                if ui.button(lang.t("此步前移", "Move this step up")).clicked() {
                    commands.push(Command::MoveStep(-1));
                }
                if ui
                    .button(lang.t("此步后移", "Move this step down"))
                    .clicked()
                {
                    commands.push(Command::MoveStep(1));
                }
                if ui
                    .button(lang.t("此步改用当前视图", "Update this step to this view"))
                    .clicked()
                {
                    commands.push(Command::UpdateStep);
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label(lang.t("说明", "Caption"));
                ui.add(egui::TextEdit::singleline(&mut view.caption).desired_width(200.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !view.caption.trim().is_empty(),
                        egui::Button::new(lang.t("添加当前视图", "Add this view")),
                    )
                    .clicked()
                {
                    commands.push(Command::AddStep(view.caption.trim().to_owned()));
                    view.caption.clear();
                }
            });
            ui.horizontal(|ui| {
                let current = p
                    .theme
                    .clone()
                    .unwrap_or_else(|| lang.t("无", "none").to_owned());
                egui::ComboBox::from_label(lang.t(
                    "专题（分区排名与着色）",
                    "Theme (districts ranked and coloured)",
                ))
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut p.theme, None, lang.t("无", "none"));
                    for id in yitu_command::indicators::IDS {
                        ui.selectable_value(&mut p.theme, Some(id.to_owned()), id);
                    }
                });
            });
            ui.horizontal(|ui| {
                let label = ui.label(lang.t("自动播放 秒/步", "Play, s per step"));
                ui.add(egui::DragValue::new(&mut p.auto_seconds).range(0.0..=600.0))
                    .labelled_by(label.id);
            });
            if p.time.span.is_some() {
                ui.horizontal(|ui| {
                    crate::presenter::view::time_ui(ui, &mut p.time, lang, commands);
                });
            }
            ui.horizontal(|ui| {
                if ui.button(lang.t("截图", "Snapshot")).clicked() {
                    commands.push(Command::Snapshot);
                }
                if ui.button(lang.t("会商纪要", "Minutes")).clicked() {
                    commands.push(Command::WriteMinutes);
                }
                ui.weak(format!(
                    "{} {}",
                    p.snapshots.len(),
                    lang.t("张截图", "snapshots")
                ));
            });
        });
    view.open = open;
}
