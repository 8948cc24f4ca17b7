//! The photo viewer: a drone or handheld photo with its metadata; for radiometric photos the
//! temperatures in a thermal palette, with the temperature under the pointer.

use std::path::{Path, PathBuf};

use yitu_imagery::photo::DronePhoto;
use yitu_imagery::thermal::palette::{Palette, colorize};
use yitu_imagery::thermal::{
    NODATA, SceneOverrides, TemperatureRaster, ThermalError, temperature_raster,
};

use crate::i18n::Lang;
use crate::jobs::{Job, Progress};
use crate::texture_cache::{CachedTexture, rgba_image};

/// Everything read from one photo, off the UI thread.
pub struct PhotoContent {
    pub metadata: Option<DronePhoto>,
    /// The JPEG as shown by any viewer (for DJI R-JPEGs, their palette rendering).
    pub preview: egui::ColorImage,
    pub temperatures: Option<TemperatureRaster>,
    /// A DJI R-JPEG: temperatures need DJI's SDK, which is not installed.
    pub needs_dji_sdk: bool,
}

/// Reads a photo: metadata, preview pixels and, when radiometric, temperatures.
pub fn read_photo(path: &Path, progress: &Progress) -> anyhow::Result<PhotoContent> {
    use anyhow::Context as _;
    progress.set(0.2, "decoding");
    let rgba = image::open(path)
        .with_context(|| format!("cannot decode {}", path.display()))?
        .to_rgba8();
    let preview = egui::ColorImage::from_rgba_unmultiplied(
        [rgba.width() as usize, rgba.height() as usize],
        rgba.as_raw(),
    );
    progress.check()?;
    progress.set(0.6, "thermal");
    let (temperatures, needs_dji_sdk) =
        match temperature_raster(path, &SceneOverrides::default(), None) {
            Ok(t) => (Some(t), false),
            Err(ThermalError::DjiSdkMissing) => (None, true),
            Err(_) => (None, false),
        };
    Ok(PhotoContent {
        metadata: DronePhoto::read(path).ok(),
        preview,
        temperatures,
        needs_dji_sdk,
    })
}

pub struct PhotoViewer {
    pub path: PathBuf,
    job: Option<Job<PhotoContent>>,
    content: Option<PhotoContent>,
    error: Option<String>,
    palette: Palette,
    texture: CachedTexture<Palette>,
}

impl PhotoViewer {
    pub fn open(path: PathBuf, ctx: &egui::Context) -> Self {
        let file = path.clone();
        let (job, error) = match Job::spawn("photo", ctx, move |p| read_photo(&file, p)) {
            Ok(job) => (Some(job), None),
            Err(e) => (None, Some(format!("{e:#}"))),
        };
        Self {
            path,
            job,
            content: None,
            error,
            palette: Palette::default(),
            texture: CachedTexture::default(),
        }
    }

    fn texture(&mut self, ctx: &egui::Context) -> Option<egui::TextureHandle> {
        let content = self.content.as_ref()?;
        let palette = self.palette;
        let image = || match &content.temperatures {
            Some(t) => {
                let range = t.range().unwrap_or((0.0, 1.0));
                rgba_image(
                    [t.width, t.height],
                    colorize(&t.celsius, range, palette, NODATA as f32, None),
                )
            }
            None => content.preview.clone(),
        };
        Some(
            self.texture
                .get(ctx, palette, || self.path.display().to_string(), image),
        )
    }

    /// Shows the viewer window; returns `false` once the user closed it.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> bool {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.job = None;
            match result {
                Ok(c) => self.content = Some(c),
                Err(e) => self.error = Some(format!("{e:#}")),
            }
        }
        let mut open = true;
        let title = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let texture = self.texture(ctx);
        egui::Window::new(format!("{} {title}", lang.t("照片", "Photo")))
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                if let Some(job) = &self.job {
                    crate::jobs::job_ui(ui, job, None);
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                let Some(content) = &self.content else { return };
                if let Some(t) = &content.temperatures {
                    ui.horizontal(|ui| {
                        egui::ComboBox::new("palette", lang.t("色板", "Palette"))
                            .selected_text(format!("{:?}", self.palette))
                            .show_ui(ui, |ui| {
                                for p in Palette::ALL {
                                    ui.selectable_value(&mut self.palette, p, format!("{p:?}"));
                                }
                            });
                        if let Some((lo, hi)) = t.range() {
                            ui.label(format!("{lo:.1} … {hi:.1} °C"));
                        }
                    });
                }
                if let Some(tex) = &texture {
                    let size = tex.size_vec2();
                    // Fit 500 points wide: small thermal frames (160 px) are enlarged, big photos shrunk.
                    let scale = 500.0 / size.x.max(1.0);
                    let r = ui.add(
                        egui::Image::new(tex)
                            .fit_to_exact_size(size * scale)
                            .sense(egui::Sense::hover()),
                    );
                    if let (Some(t), Some(pos)) = (&content.temperatures, r.hover_pos()) {
                        let u = ((pos.x - r.rect.min.x) / r.rect.width() * t.width as f32) as usize;
                        let v =
                            ((pos.y - r.rect.min.y) / r.rect.height() * t.height as f32) as usize;
                        if let Some(c) = t
                            .celsius
                            .get(v.min(t.height - 1) * t.width + u.min(t.width - 1))
                        {
                            r.on_hover_text(format!("{c:.2} °C"));
                        }
                    }
                }
                if content.needs_dji_sdk {
                    let note = lang.t(
                        "大疆 R-JPEG:精确温度需要大疆热分析 SDK(未安装)。图中为相机的伪彩色,不是温度。",
                        "DJI R-JPEG: exact temperatures need DJI's Thermal SDK (not installed). The image shows the camera's palette, not temperatures.",
                    );
                    ui.colored_label(ui.visuals().warn_fg_color, note);
                }
                if let Some(m) = &content.metadata {
                    metadata_ui(ui, m, lang);
                }
            });
        open
    }
}

fn metadata_ui(ui: &mut egui::Ui, m: &DronePhoto, lang: Lang) {
    let opt =
        |v: Option<f64>, unit: &str| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}{unit}"));
    egui::Grid::new("photo_meta")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            let mut row = |k: &str, v: String| {
                ui.weak(k);
                ui.label(v);
                ui.end_row();
            };
            row(
                lang.t("相机", "Camera"),
                format!("{} {} ({}×{})", m.make, m.model, m.width, m.height),
            );
            row(
                lang.t("位置", "Position"),
                format!("{} , {}", opt(m.lon, ""), opt(m.lat, "")),
            );
            row(
                lang.t("绝对高度", "Absolute altitude"),
                opt(m.absolute_altitude_m, " m"),
            );
            row(
                lang.t("相对高度", "Relative altitude"),
                opt(m.relative_altitude_m, " m"),
            );
            if let Some(g) = m.gimbal {
                row(
                    lang.t("云台 偏航/俯仰/横滚", "Gimbal yaw/pitch/roll"),
                    format!(
                        "{:.1}° / {:.1}° / {:.1}°",
                        g.yaw_deg, g.pitch_deg, g.roll_deg
                    ),
                );
            }
            row(
                lang.t("激光测距", "Laser range"),
                opt(m.laser_range_m, " m"),
            );
            if let Some(k) = m.intrinsics {
                row(
                    lang.t("焦距", "Focal length"),
                    format!("{} mm = {:.1} px", k.focal_length_mm, k.fx),
                );
            }
        });
}
