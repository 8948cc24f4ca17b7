//! `yitu screenshot`: wait until everything is loaded and drawn, capture the window, save a PNG,
//! quit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

/// Frames to draw after loading before capturing, so layout and fonts have settled.
const SETTLE_FRAMES: u32 = 5;

pub struct ScreenshotRequest {
    out: PathBuf,
    settled: u32,
    pending: Option<Receiver<Arc<egui::ColorImage>>>,
}

impl ScreenshotRequest {
    pub fn new(out: PathBuf) -> Self {
        Self {
            out,
            settled: 0,
            pending: None,
        }
    }

    /// Called every frame; `ready` once nothing is loading. The capture waits for
    /// `SETTLE_FRAMES` ready frames in a row (raster tiles arrive in batches).
    pub fn step(&mut self, ctx: &egui::Context, ready: bool, messages: &mut Vec<String>) {
        ctx.request_repaint();
        if !ready {
            self.settled = 0;
            return;
        }
        if let Some(rx) = &self.pending {
            if let Ok(image) = rx.try_recv() {
                if let Err(e) = save_png(&image, &self.out) {
                    messages.push(format!("{e:#}"));
                    log::error!("{e:#}");
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        self.settled += 1;
        if self.settled >= SETTLE_FRAMES {
            let (tx, rx) = sync_channel(1);
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    tx.send(image).ok();
                }),
            ));
            self.pending = Some(rx);
        }
    }
}

pub fn save_png(image: &egui::ColorImage, out: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let [w, h] = image.size;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(egui::Color32::to_array)
        .collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .context("screenshot has the wrong size")?;
    buffer
        .save(out)
        .with_context(|| format!("cannot write the screenshot to {}", out.display()))?;
    log::info!("screenshot saved to {}", out.display());
    Ok(())
}
