//! `yitu screenshot`: wait until everything is loaded and drawn, capture the window (and the
//! presenter's second screen when one is asked for), save PNGs, quit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

/// Frames to draw after loading before capturing, so layout and fonts have settled.
const SETTLE_FRAMES: u32 = 5;

pub struct ScreenshotRequest {
    out: PathBuf,
    /// Where the second screen's picture goes, when the presentation is shown on one.
    pub second: Option<PathBuf>,
    settled: u32,
    /// The captures asked for, each with where it goes.
    pending: Vec<(PathBuf, Receiver<Arc<egui::ColorImage>>)>,
}

impl ScreenshotRequest {
    pub fn new(out: PathBuf, second: Option<PathBuf>) -> Self {
        Self {
            out,
            second,
            settled: 0,
            pending: Vec::new(),
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
        if !self.pending.is_empty() {
            self.pending.retain(|(out, rx)| {
                let Ok(image) = rx.try_recv() else {
                    return true;
                };
                if let Err(e) = save_png(&image, out) {
                    messages.push(format!("{e:#}"));
                    log::error!("{e:#}");
                }
                false
            });
            if self.pending.is_empty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        self.settled += 1;
        if self.settled >= SETTLE_FRAMES {
            let presenter = crate::presenter::second::viewport_id();
            let shots = std::iter::once((egui::ViewportId::ROOT, self.out.clone()))
                .chain(self.second.clone().map(|p| (presenter, p)));
            for (viewport, out) in shots {
                let (tx, rx) = sync_channel(1);
                ctx.send_viewport_cmd_to(
                    viewport,
                    egui::ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
                        move |image| {
                            tx.send(image).ok();
                        },
                    )),
                );
                ctx.request_repaint_of(viewport);
                self.pending.push((out, rx));
            }
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
