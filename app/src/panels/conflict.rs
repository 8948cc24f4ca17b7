//! The conflict window: this desk's edit was refused because another desk changed the row
//! first. Both values are shown, with who changed it and when, and the user chooses; nothing is
//! overwritten without that choice.

use crate::command::Command;
use crate::i18n::Lang;
use crate::state::store::Conflict;

pub fn conflict_ui(
    ctx: &egui::Context,
    conflict: &Conflict,
    waiting: usize,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    egui::Window::new(lang.t("编辑冲突", "Edit conflict"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            let theirs = &conflict.theirs;
            ui.label(format!(
                "{} {}: {} {} {}",
                conflict.edit.layer,
                conflict.edit.id,
                theirs.by.as_deref().unwrap_or("?"),
                lang.t("已先行修改于", "changed it first, at"),
                theirs.at.as_deref().unwrap_or("?"),
            ));
            egui::Grid::new("conflict_fields")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(lang.t("字段", "Field"));
                    ui.strong(lang.t("我的", "Mine"));
                    ui.strong(lang.t("对方的", "Theirs"));
                    ui.end_row();
                    for (field, mine) in &conflict.edit.fields {
                        ui.label(field);
                        ui.label(mine.to_string());
                        let other = theirs.values.get(field).map_or_else(String::new, |v| {
                            v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                        });
                        ui.label(other);
                        ui.end_row();
                    }
                });
            if waiting > 0 {
                ui.weak(format!(
                    "{} {waiting}",
                    lang.t("另有冲突:", "More conflicts:")
                ));
            }
            ui.horizontal(|ui| {
                if ui.button(lang.t("采用对方的", "Keep theirs")).clicked() {
                    commands.push(Command::ResolveConflict { keep_mine: false });
                }
                if ui
                    .button(lang.t("用我的覆盖", "Overwrite with mine"))
                    .clicked()
                {
                    commands.push(Command::ResolveConflict { keep_mine: true });
                }
            });
        });
}
