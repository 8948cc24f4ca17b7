//! The top bar: project and import actions, language switch, running jobs, the last message.

use yitu_layers::io::ReadOptions;

use super::YituApp;
use crate::command::Command;
use crate::jobs::registry::JobKind;
use crate::panels::file_dialog::Purpose;

impl YituApp {
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.strong(lang.t("一图 Yitu", "Yitu 一图"));
            if let Some(l) = self.workspace.as_ref().map(|w| &w.loaded) {
                ui.label(&l.project.name);
                if let Some(store) = &l.store {
                    let live = self.jobs.any_of(&[JobKind::Listen]);
                    let state = if live {
                        lang.t("共享库·实时", "shared store · live")
                    } else {
                        lang.t("共享库", "shared store")
                    };
                    ui.weak(format!("{state} {}", store.label()));
                }
            }
            ui.separator();
            if ui.button(lang.t("打开项目", "Open project")).clicked() {
                self.commands
                    .push(Command::OpenDialog(Purpose::OpenProject));
            }
            if ui.button(lang.t("示例项目", "Sample project")).clicked() {
                self.commands.push(Command::LoadSample);
            }
            if ui.button(lang.t("导入数据", "Import data")).clicked() {
                self.commands.push(Command::OpenDialog(Purpose::Import));
            }
            if ui.button(lang.t("保存项目", "Save project")).clicked() {
                self.commands
                    .push(Command::OpenDialog(Purpose::SaveProject));
            }
            if ui
                .selectable_label(self.dispatch.open, lang.t("双随机抽查", "Random draw"))
                .clicked()
            {
                self.commands.push(Command::ToggleDispatch);
            }
            if ui
                .selectable_label(self.monitoring.open, lang.t("在线监控", "Monitoring"))
                .clicked()
            {
                self.commands.push(Command::ToggleMonitoring);
            }
            if ui
                .selectable_label(self.trace_open, lang.t("流域追溯", "River trace"))
                .clicked()
            {
                self.commands.push(Command::ToggleTrace);
            }
            if ui
                .selectable_label(self.meeting.open, lang.t("指挥调度", "Command centre"))
                .on_hover_text(lang.t(
                    "会商：演示、故事、时间、截图与纪要",
                    "Meeting: presenting, the story, time, snapshots and minutes",
                ))
                .clicked()
            {
                self.meeting.open = !self.meeting.open;
            }
            ui.separator();
            if ui.button(lang.t("English", "中文")).clicked() {
                self.commands.push(Command::ToggleLanguage);
            }
            self.jobs.ui(ui, lang);
        });
        if let Some(last) = self.messages.last().cloned() {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, last);
                if let Some((path, options)) = &self.retry_import
                    && ui
                        .button(lang.t("跳过错误行并导入其余", "Skip bad rows, import the rest"))
                        .clicked()
                {
                    let (path, options) = (
                        path.clone(),
                        ReadOptions {
                            skip_bad_rows: true,
                            ..*options
                        },
                    );
                    self.commands.push(Command::Import { path, options });
                }
                if ui.small_button("×").clicked() {
                    self.commands.push(Command::DismissMessages);
                }
            });
        }
    }
}
