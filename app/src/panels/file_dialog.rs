//! A small built-in file browser for open/import/save, in the UI's language. (A native dialog
//! needs a portal or GTK, which a headless command-centre box may lack.)

use std::path::{Path, PathBuf};

use yitu_layers::Crs;
use yitu_layers::io::ReadOptions;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenProject,
    Import,
    SaveProject,
    /// A folder of monitoring data.
    MonitoringFolder,
}

pub struct FileDialog {
    pub purpose: Purpose,
    dir: PathBuf,
    name: String,
    /// For imports: the source CRS and bad-row policy.
    pub options: ReadOptions,
    /// The source CRS as typed (empty: the file's own).
    crs_text: String,
    error: Option<String>,
}

/// What the user decided.
pub enum Outcome {
    Pending,
    Cancelled,
    Chosen(PathBuf),
}

impl FileDialog {
    pub fn new(purpose: Purpose) -> Self {
        let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let name = if purpose == Purpose::SaveProject {
            "project.gpkg".to_owned()
        } else {
            String::new()
        };
        Self {
            purpose,
            dir,
            name,
            options: ReadOptions::default(),
            crs_text: String::new(),
            error: None,
        }
    }

    fn entries(dir: &Path) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| {
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            e.path().is_dir(),
                        )
                    })
                    .filter(|(n, _)| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Source CRS (Amap exports are GCJ-02, Baidu's BD-09) and the bad-row policy.
    fn import_options_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.label(lang.t("源坐标系", "Source CRS"));
            ui.add(
                egui::TextEdit::singleline(&mut self.crs_text)
                    .hint_text(lang.t("留空=文件自带", "empty = the file's own"))
                    .desired_width(120.0),
            );
            for (label, value) in [
                ("WGS84", "wgs84"),
                ("GCJ-02", "gcj02"),
                ("BD-09", "bd09"),
                ("CGCS2000", "4490"),
            ] {
                if ui.small_button(label).clicked() {
                    value.clone_into(&mut self.crs_text);
                }
            }
        });
        ui.checkbox(
            &mut self.options.skip_bad_rows,
            lang.t("跳过错误行并导入其余", "Skip bad rows and load the rest"),
        );
    }

    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> Outcome {
        let mut outcome = Outcome::Pending;
        let title = match self.purpose {
            Purpose::OpenProject => lang.t(
                "打开项目 (.gpkg 或共享库 postgres://…)",
                "Open project (.gpkg or a shared store's postgres://…)",
            ),
            Purpose::Import => lang.t("导入数据", "Import data"),
            Purpose::SaveProject => lang.t("保存项目", "Save project"),
            Purpose::MonitoringFolder => {
                lang.t("选择监控数据文件夹", "Choose a monitoring data folder")
            }
        };
        egui::Window::new(title)
            .collapsible(false)
            .default_size([480.0, 400.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("..").clicked()
                        && let Some(p) = self.dir.parent()
                    {
                        self.dir = p.to_path_buf();
                    }
                    ui.monospace(self.dir.display().to_string());
                });
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        for (name, is_dir) in Self::entries(&self.dir) {
                            let label = if is_dir {
                                format!("{name}/")
                            } else {
                                name.clone()
                            };
                            if ui.selectable_label(self.name == name, label).clicked() {
                                if is_dir {
                                    self.dir.push(&name);
                                } else {
                                    self.name = name;
                                }
                            }
                        }
                    });
                ui.horizontal(|ui| {
                    let label = ui.label(lang.t("文件名", "File name"));
                    ui.text_edit_singleline(&mut self.name)
                        .labelled_by(label.id);
                });
                if self.purpose == Purpose::MonitoringFolder
                    && ui
                        .button(lang.t("分析此文件夹", "Analyse this folder"))
                        .clicked()
                {
                    outcome = Outcome::Chosen(self.dir.clone());
                }
                if self.purpose == Purpose::Import {
                    self.import_options_ui(ui, lang);
                    if ui
                        .button(lang.t(
                            "导入此文件夹的无人机照片",
                            "Import this folder's drone photos",
                        ))
                        .clicked()
                    {
                        outcome = Outcome::Chosen(self.dir.clone());
                    }
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.horizontal(|ui| {
                    if ui.button(lang.t("确定", "OK")).clicked() && !self.name.is_empty() {
                        // A shared store's URL is taken as typed, not as a file in the folder.
                        let is_url = self.purpose == Purpose::OpenProject
                            && (self.name.starts_with("postgres://")
                                || self.name.starts_with("postgresql://"));
                        match Crs::parse(&self.crs_text) {
                            _ if is_url => outcome = Outcome::Chosen(PathBuf::from(&self.name)),
                            _ if self.crs_text.trim().is_empty() => {
                                self.options.source_crs = None;
                                outcome = Outcome::Chosen(self.dir.join(&self.name));
                            }
                            Ok(crs) => {
                                self.options.source_crs = Some(crs);
                                outcome = Outcome::Chosen(self.dir.join(&self.name));
                            }
                            Err(e) => self.error = Some(e.to_string()),
                        }
                    }
                    if ui.button(lang.t("取消", "Cancel")).clicked() {
                        outcome = Outcome::Cancelled;
                    }
                });
            });
        outcome
    }
}
