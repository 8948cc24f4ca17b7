//! The layer panel: bookmarks, basemap, visibility, order, opacity and the legend.

use crate::command::Command;
use crate::feature::LayerId;
use crate::i18n::{Lang, kind_name, layer_title, value_label};
use crate::map::basemap::Basemap;
use crate::map::prepared::to_color32;
use crate::map::view::MapViewState;
use crate::raster::overlay::{Display, HISTOGRAM_BINS, RasterOverlay, RasterView, Stats, Stretch};
use crate::state::LoadedProject;
use yitu_imagery::band_math::SpectralIndex;
use yitu_imagery::thermal::palette::Palette;

pub fn layers_ui(
    ui: &mut egui::Ui,
    loaded: &LoadedProject,
    view: &mut MapViewState,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.heading(lang.t("图层", "Layers"));
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.t("书签:", "Bookmarks:"));
        for b in &loaded.project.bookmarks {
            if ui.small_button(&b.name).clicked() {
                commands.push(Command::GoToBookmark(b.name.clone()));
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut view.bookmark_input)
                .hint_text(lang.t("新书签名称", "New bookmark name"))
                .desired_width(130.0),
        );
        let name = view.bookmark_input.trim().to_owned();
        if ui
            .add_enabled(
                !name.is_empty(),
                egui::Button::new(lang.t("保存当前视图", "Save view")),
            )
            .clicked()
        {
            commands.push(Command::AddBookmark(view.bookmark(&name)));
            view.bookmark_input.clear();
        }
    });
    basemap_ui(ui, view, lang, commands);
    ui.separator();
    let n = loaded.layers.len();
    egui::ScrollArea::vertical().show(ui, |ui| {
        // Top of the list is the top of the map: show in reverse drawing order.
        for (i, l) in loaded.layers.iter().enumerate().rev() {
            let (pl, id) = (&l.data, l.id);
            ui.push_id(id, |ui| {
                ui.horizontal(|ui| {
                    let mut visible = pl.style.visible;
                    if ui
                        .checkbox(&mut visible, layer_title(lang, &pl.layer.name))
                        .changed()
                    {
                        commands.push(Command::SetVisible { layer: id, visible });
                    }
                    ui.weak(format!("{}", pl.layer.features.len()));
                });
                ui.horizontal(|ui| {
                    ui.weak(kind_name(lang, pl.layer.kind));
                    if ui.small_button(lang.t("上移", "Up")).clicked() && i + 1 < n {
                        commands.push(Command::MoveLayer {
                            layer: id,
                            up: true,
                        });
                    }
                    if ui.small_button(lang.t("下移", "Down")).clicked() && i > 0 {
                        commands.push(Command::MoveLayer {
                            layer: id,
                            up: false,
                        });
                    }
                    if ui.small_button(lang.t("属性表", "Table")).clicked() {
                        commands.push(Command::ShowTable(id));
                    }
                });
                let mut opacity = pl.style.opacity;
                if ui
                    .add(
                        egui::Slider::new(&mut opacity, 0.0..=1.0)
                            .text(lang.t("不透明度", "Opacity")),
                    )
                    .changed()
                {
                    commands.push(Command::SetOpacity { layer: id, opacity });
                }
                if !pl.layer.fields.is_empty()
                    && pl.layer.features.iter().any(|f| f.geometry.is_some())
                {
                    category_field_ui(ui, id, pl, lang, commands);
                }
                if pl.style.visible && !pl.style.categories.is_empty() {
                    for (value, color) in &pl.style.categories {
                        ui.horizontal(|ui| {
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                            ui.painter().rect_filled(rect, 2.0, to_color32(*color));
                            ui.label(value_label(lang, value));
                        });
                    }
                }
                ui.separator();
            });
        }
    });
}

fn category_field_ui(
    ui: &mut egui::Ui,
    layer: LayerId,
    pl: &yitu_layers::ProjectLayer,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let none = lang.t("(单一颜色)", "(single colour)");
    let current = pl.style.category_field.clone();
    egui::ComboBox::new(("color_by", layer), lang.t("分类着色", "Colour by"))
        .selected_text(current.clone().unwrap_or_else(|| none.to_owned()))
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), none).clicked() && current.is_some() {
                commands.push(Command::SetCategoryField { layer, field: None });
            }
            for f in &pl.layer.fields {
                let selected = current.as_deref() == Some(f.as_str());
                if ui.selectable_label(selected, f).clicked() && !selected {
                    commands.push(Command::SetCategoryField {
                        layer,
                        field: Some(f.clone()),
                    });
                }
            }
        });
}

/// Rasters on the map: visibility, opacity, palette and stretch, with the stretched range.
pub fn rasters_ui(
    ui: &mut egui::Ui,
    rasters: &[RasterOverlay],
    swipe: Option<f32>,
    band_math: &mut BandMathInput,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    if rasters.is_empty() {
        return;
    }
    ui.heading(lang.t("栅格", "Rasters"));
    if rasters.len() > 1 {
        ui.horizontal(|ui| {
            let mut on = swipe.is_some();
            if ui.checkbox(&mut on, lang.t("卷帘对比", "Swipe")).changed() {
                commands.push(Command::SetSwipe(on.then_some(0.5)));
            }
            if let Some(mut f) = swipe
                && ui
                    .add(
                        egui::Slider::new(&mut f, 0.0..=1.0)
                            .show_value(false)
                            .text(lang.t("位置", "Position")),
                    )
                    .changed()
            {
                commands.push(Command::SetSwipe(Some(f)));
            }
        });
    }
    for (i, r) in rasters.iter().enumerate().rev() {
        ui.push_id(("raster", i), |ui| {
            let mut view = r.view();
            ui.horizontal(|ui| {
                ui.checkbox(&mut view.visible, &r.name);
                if ui.small_button(lang.t("移除", "Remove")).clicked() {
                    commands.push(Command::RemoveRaster(i));
                }
            });
            ui.add(
                egui::Slider::new(&mut view.opacity, 0.0..=1.0)
                    .text(lang.t("不透明度", "Opacity")),
            );
            if let (true, Some(source)) = (r.lacks_overviews, &r.source) {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    lang.t(
                        "大文件无金字塔:打开和缩小时较慢。",
                        "Large file without overviews: slow to open and to zoom out.",
                    ),
                );
                if ui
                    .button(lang.t(
                        "建立金字塔(将修改原文件)",
                        "Build overviews (modifies the file)",
                    ))
                    .clicked()
                {
                    commands.push(Command::BuildOverviews(source.clone()));
                }
            }
            if let Some(job) = r.tiles.job() {
                crate::jobs::job_ui(ui, job, Some(lang.t("取消", "Cancel")));
            }
            if r.tiles.paused
                && ui
                    .button(lang.t("继续读取细节瓦片", "Resume detail tiles"))
                    .clicked()
            {
                commands.push(Command::ResumeRasterTiles(i));
            }
            if let (Some(source), Display::Single(_)) = (&r.source, r.display)
                && ui
                    .button(lang.t("检测热异常与排污羽流", "Detect hot spots and plumes"))
                    .on_hover_text(lang.t(
                        "与项目中的河流面、排污口和污染源比对；结果作为图层加入",
                        "Matched to the project's river polygons, outfalls and sources; the results join as a layer",
                    ))
                    .clicked()
            {
                commands.push(Command::Detect(source.clone()));
            }
            view_ui(ui, r, &mut view, lang);
            if view != r.view() {
                commands.push(Command::SetRasterView { raster: i, view });
            }
            ui.separator();
        });
    }
    band_math_ui(ui, rasters, band_math, lang, commands);
}

/// A raster's display settings: bands, palette, stretch, range, histogram, isotherm.
fn view_ui(ui: &mut egui::Ui, r: &RasterOverlay, view: &mut RasterView, lang: Lang) {
    display_ui(ui, r.bands.len(), &mut view.display, lang);
    let single = matches!(view.display, Display::Single(_));
    if single {
        egui::ComboBox::new("palette", lang.t("色板", "Palette"))
            .selected_text(format!("{:?}", view.palette))
            .show_ui(ui, |ui| {
                for p in Palette::ALL {
                    ui.selectable_value(&mut view.palette, p, format!("{p:?}"));
                }
            });
    }
    egui::ComboBox::new("stretch", lang.t("拉伸", "Stretch"))
        .selected_text(view.stretch.label())
        .show_ui(ui, |ui| {
            for s in Stretch::ALL {
                ui.selectable_value(&mut view.stretch, s, s.label());
            }
        });
    let stats = r.shown().stats.clone();
    if single {
        let mut manual = view.manual_range.is_some();
        if ui
            .checkbox(&mut manual, lang.t("手动范围", "Manual range"))
            .changed()
        {
            view.manual_range = manual.then(|| stats.range(view.stretch));
        }
        if let Some((lo, hi)) = view.manual_range.as_mut() {
            // Dragging changes only the shader's uniforms: instant on any raster size.
            ui.add(egui::Slider::new(lo, stats.min..=stats.max).text(lang.t("下限", "Low")));
            ui.add(egui::Slider::new(hi, stats.min..=stats.max).text(lang.t("上限", "High")));
        }
    }
    let (lo, hi) = r.range(r.shown_bands()[0]);
    ui.weak(format!("{lo:.2} … {hi:.2}"));
    histogram_ui(ui, &stats, (lo, hi));
    if single {
        ui.horizontal(|ui| {
            let mut on = view.isotherm.is_some();
            if ui
                .checkbox(&mut on, lang.t("等温 ≥", "Isotherm ≥"))
                .changed()
            {
                view.isotherm = on.then_some(stats.p98);
            }
            if let Some(t) = view.isotherm.as_mut() {
                ui.add(
                    egui::Slider::new(t, stats.min..=stats.max).text(lang.t("阈值", "Threshold")),
                );
            }
        });
    }
}

/// What is being typed in the band-math field, and the last error.
#[derive(Default)]
pub struct BandMathInput {
    pub expression: String,
    pub error: Option<String>,
}

/// Index presets and a band-math field over the top multi-band raster.
fn band_math_ui(
    ui: &mut egui::Ui,
    rasters: &[RasterOverlay],
    input: &mut BandMathInput,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let Some((raster, source)) = rasters
        .iter()
        .enumerate()
        .rev()
        .find(|(_, r)| r.bands.len() > 1)
    else {
        return;
    };
    ui.label(format!(
        "{} ({})",
        lang.t("波段运算", "Band math"),
        source.name
    ));
    ui.horizontal_wrapped(|ui| {
        for index in SpectralIndex::ALL {
            if let Some(e) = index.rgbn_expression()
                && ui
                    .small_button(index.name())
                    .on_hover_text(lang.t("按 R,G,B,NIR 波段顺序", "assumes bands R, G, B, NIR"))
                    .clicked()
            {
                input.expression = e;
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut input.expression)
                .hint_text("(b4 - b1) / (b4 + b1)")
                .desired_width(150.0),
        );
        if ui.button(lang.t("计算", "Compute")).clicked() {
            commands.push(Command::BandMath {
                raster,
                expression: input.expression.clone(),
            });
        }
    });
    if let Some(e) = &input.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.separator();
}

/// Band choice: any single band, or the usual composites when the file has the bands.
fn display_ui(ui: &mut egui::Ui, n: usize, display: &mut Display, lang: Lang) {
    let label = |d: Display| match d {
        Display::Single(i) => format!("{} {}", lang.t("波段", "Band"), i + 1),
        Display::Rgb([0, 1, 2]) => lang.t("真彩色 1-2-3", "True colour 1-2-3").to_owned(),
        Display::Rgb([3, 2, 1]) => lang
            .t("假彩色 4-3-2 (近红外)", "False colour 4-3-2 (NIR)")
            .to_owned(),
        Display::Rgb([a, b, c]) => format!("RGB {}-{}-{}", a + 1, b + 1, c + 1),
    };
    let mut choices: Vec<Display> = (0..n).map(Display::Single).collect();
    if n >= 3 {
        choices.push(Display::Rgb([0, 1, 2]));
    }
    if n >= 4 {
        choices.push(Display::Rgb([3, 2, 1]));
    }
    if n > 1 {
        egui::ComboBox::new("display", lang.t("显示", "Display"))
            .selected_text(label(*display))
            .show_ui(ui, |ui| {
                for d in choices {
                    ui.selectable_value(display, d, label(d));
                }
            });
    }
}

/// The value histogram with the stretch range marked.
fn histogram_ui(ui: &mut egui::Ui, stats: &Stats, (lo, hi): (f32, f32)) {
    use egui_plot::{Bar, BarChart, Plot, VLine};
    let width = f64::from(stats.max - stats.min) / HISTOGRAM_BINS as f64;
    let bars: Vec<Bar> = stats
        .histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            Bar::new(
                f64::from(stats.min) + (i as f64 + 0.5) * width,
                f64::from(n),
            )
            .width(width)
        })
        .collect();
    let marker = ui.visuals().warn_fg_color;
    Plot::new("histogram")
        .height(70.0)
        .show_axes([true, false])
        .show_grid(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("values", bars));
            plot.vline(VLine::new("low", lo).color(marker));
            plot.vline(VLine::new("high", hi).color(marker));
        });
}

/// The basemap choice; one that needs a path or key is applied once it is typed.
fn basemap_ui(ui: &mut egui::Ui, view: &mut MapViewState, lang: Lang, commands: &mut Vec<Command>) {
    let current = view.basemap.clone();
    let label = |b: &Basemap| match b {
        Basemap::None => lang.t("无底图(行政区划)", "None (districts)").to_owned(),
        Basemap::PmTiles(_) => lang.t("离线 PMTiles", "Offline PMTiles").to_owned(),
        Basemap::OpenStreetMap => "OpenStreetMap".to_owned(),
        Basemap::Tianditu(_) => lang.t("天地图", "Tianditu").to_owned(),
    };
    ui.horizontal(|ui| {
        egui::ComboBox::new("basemap", lang.t("底图", "Basemap"))
            .selected_text(label(&current))
            .show_ui(ui, |ui| {
                for b in [
                    Basemap::None,
                    Basemap::PmTiles(String::new()),
                    Basemap::OpenStreetMap,
                    Basemap::Tianditu(String::new()),
                ] {
                    let same = std::mem::discriminant(&b) == std::mem::discriminant(&current);
                    if ui.selectable_label(same, label(&b)).clicked() && !same {
                        commands.push(Command::SetBasemap(b));
                    }
                }
            });
    });
    let hint = match current {
        Basemap::PmTiles(_) => lang.t("PMTiles 文件路径", "PMTiles file path"),
        Basemap::Tianditu(_) => lang.t("天地图密钥", "Tianditu key"),
        Basemap::None | Basemap::OpenStreetMap => return,
    };
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut view.basemap_input)
                .hint_text(hint)
                .desired_width(170.0),
        );
        if ui.button(lang.t("应用", "Apply")).clicked() && !view.basemap_input.is_empty() {
            let input = view.basemap_input.clone();
            commands.push(Command::SetBasemap(match current {
                Basemap::PmTiles(_) => Basemap::PmTiles(input),
                _ => Basemap::Tianditu(input),
            }));
        }
    });
}
