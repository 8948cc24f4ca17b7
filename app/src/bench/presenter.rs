//! The command centre's figure (issue #23): a presenter frame at 1920×1080 on the city
//! registry with a playing time slider (a day on every frame), CPU time of layout and
//! tessellation, as `frame_ms_city` is measured.

use std::time::Instant;

use anyhow::Context as _;
use serde::Serialize;
use yitu_layers::registry::layer_from_records;
use yitu_layers::{LayerKind, LayerStyle, ProjectLayer};

use crate::app::YituApp;
use crate::i18n::Lang;
use crate::jobs::Progress;
use crate::state::{self, ProjectSource};

#[derive(Debug, Serialize)]
pub struct PresenterReport {
    pub sources: usize,
    /// Dated rows the slider plays over (monitoring anomalies at the firms).
    pub dated_rows: usize,
    pub frames: usize,
    /// Median and 95th percentile CPU time of a presenter frame, ms.
    pub frame_ms_median: f64,
    pub frame_ms_p95: f64,
    /// The same frame with the slider at rest.
    pub frame_ms_still: f64,
}

#[derive(Serialize)]
struct Anomaly {
    id: String,
    kind: &'static str,
    source_id: String,
    start: String,
    end: String,
    review: &'static str,
}

const DATED: usize = 5_000;

fn frames(app: &mut YituApp, ctx: &egui::Context, n: usize) -> Vec<f64> {
    let mut times = Vec::with_capacity(n);
    for i in 0..n + 5 {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1920.0, 1080.0),
            )),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| app.show(ui));
        let prims = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(prims);
        if i >= 5 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

pub fn run() -> anyhow::Result<PresenterReport> {
    let mut city = yitu_sample_data::city_scale_project();
    let sources = city
        .layer(LayerKind::PollutionSources)
        .context("no sources")?
        .clone();
    let anomalies = layer_from_records(
        "monitoring_anomalies",
        LayerKind::Other,
        (0..DATED).map(|k| {
            let i = (k * 13) % sources.features.len();
            let day = format!("2026-{:02}-{:02}", 1 + k % 6, 1 + k % 28);
            (
                sources.features[i].geometry.clone(),
                Anomaly {
                    id: format!("A{k:05}"),
                    kind: "exceedance",
                    source_id: sources.value(i, "id").to_string(),
                    start: format!("{day}T08:00:00+08:00"),
                    end: format!("{day}T10:00:00+08:00"),
                    review: "",
                },
            )
        }),
    );
    city.layers.push(ProjectLayer {
        layer: anomalies,
        style: LayerStyle::default(),
    });
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("city.gpkg");
    city.save(&path)?;
    let loaded = state::load(&ProjectSource::File(path), &Progress::default())?;
    let ctx = egui::Context::default();
    let mut app = YituApp::with_loaded(&ctx, loaded, Lang::Zh, None);
    app.present_here(None);
    let still = frames(&mut app, &ctx, 30);
    // 60 days a second at 60 frames a second: the day shown changes on every frame.
    app.present_here(Some(60.0));
    let n = 120;
    let playing = frames(&mut app, &ctx, n);
    Ok(PresenterReport {
        sources: sources.features.len(),
        dated_rows: DATED,
        frames: n,
        frame_ms_median: playing[n / 2],
        frame_ms_p95: playing[n * 95 / 100],
        frame_ms_still: still[still.len() / 2],
    })
}
