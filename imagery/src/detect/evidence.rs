//! Evidence per detection for the case file: a PNG chip of the thermal image around it (palette,
//! the detected outline, the outlet, a scale bar) and an HTML sheet with the coordinates,
//! temperatures, registry match, score, flags and the parameters used.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use yitu_core::markup::html_escape;
use yitu_layers::registry::OperatingStatus;

use super::registry::code_of;
use super::tiles::Tile;
use super::{DetectError, Detection, Footprint, Heat, Temperatures};
use crate::thermal::palette::{Palette, colorize};

/// Longest side of a chip, pixels.
const CHIP_MAX_SIDE: usize = 512;
/// Context around a detection, metres (at least).
const CONTEXT_M: f64 = 15.0;

/// An RGBA image.
pub struct Chip {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
    /// Length the scale bar stands for, metres.
    pub scale_bar_m: f64,
}

/// The chip of one detection.
pub fn chip(
    image: &dyn Temperatures,
    d: &Detection,
    palette: Palette,
) -> Result<Chip, DetectError> {
    let gsd = image.frame().gsd_m;
    let (image_width, image_height) = image.size();
    let [x0, y0, x1, y1] = d.pixel_bbox;
    let margin = ((CONTEXT_M / gsd) as usize).max((x1 - x0).max(y1 - y0) / 2);
    let (wx0, wy0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
    let (wx1, wy1) = (
        (x1 + margin).min(image_width - 1),
        (y1 + margin).min(image_height - 1),
    );
    // Only the chip's surroundings are read: the raster may not be in memory.
    let around = Tile::new((wx0, wx1 + 1), (wy0, wy1 + 1), 0, image_width, image_height);
    let celsius = image.read(&around)?;
    let around_width = around.width();
    let stride = ((wx1 - wx0 + 1).max(wy1 - wy0 + 1))
        .div_ceil(CHIP_MAX_SIDE)
        .max(1);
    let (width, height) = ((wx1 - wx0) / stride + 1, (wy1 - wy0) / stride + 1);
    let values: Vec<f32> = (0..height)
        .flat_map(|r| (0..width).map(move |c| (wx0 + c * stride, wy0 + r * stride)))
        .map(|(x, y)| celsius[(y - wy0) * around_width + x - wx0])
        .collect();
    let mut sorted: Vec<f32> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f32::total_cmp);
    let at = |q: f64| {
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q) as usize)
            .copied()
    };
    // Plumes are a kelvin or two on water: stretch around the water's temperature so they show;
    // hot spots from the scene's cool end to their peak.
    let range = if d.outlet_lon.is_some() {
        let (bg, dt) = (
            d.background_temp_c as f32,
            (d.delta_t_k.abs() as f32).max(0.5),
        );
        (bg - 1.5 * dt, bg + 1.5 * dt)
    } else {
        (
            at(0.02).unwrap_or(0.0),
            (d.peak_temp_c as f32).max(at(0.995).unwrap_or(1.0)),
        )
    };
    let mut rgba: Vec<u8> = colorize(&values, range, palette, f32::NAN, None)
        .into_iter()
        .flatten()
        .collect();
    let mut canvas = Canvas {
        width,
        height,
        rgba: &mut rgba,
    };
    // The outline, in the chip's pixels.
    let to_chip = |lon: f64, lat: f64| {
        image.frame().pixel(lon, lat).map(|(x, y)| {
            (
                (x - wx0 as f64) / stride as f64,
                (y - wy0 as f64) / stride as f64,
            )
        })
    };
    let ring: Vec<(f64, f64)> = d
        .polygon
        .exterior()
        .0
        .iter()
        .filter_map(|c| to_chip(c.x, c.y))
        .collect();
    for pair in ring.windows(2) {
        canvas.line(pair[0], pair[1], [0, 255, 128, 255]);
    }
    if let (Some(lon), Some(lat)) = (d.outlet_lon, d.outlet_lat)
        && let Some((x, y)) = to_chip(lon, lat)
    {
        canvas.line((x - 6.0, y), (x + 6.0, y), [0, 200, 255, 255]);
        canvas.line((x, y - 6.0), (x, y + 6.0), [0, 200, 255, 255]);
    }
    // A scale bar of a round length about a quarter of the chip, bottom left.
    let chip_m = width as f64 * stride as f64 * gsd;
    let scale_bar_m = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
        .into_iter()
        .rev()
        .find(|&m| m <= chip_m / 4.0)
        .unwrap_or(1.0);
    let bar_px = scale_bar_m / (stride as f64 * gsd);
    let (bx, by) = (8.0, height as f64 - 10.0);
    for dy in -2_i32..=2 {
        let colour = if dy.abs() == 2 {
            [0, 0, 0, 255]
        } else {
            [255, 255, 255, 255]
        };
        canvas.line(
            (bx, by + f64::from(dy)),
            (bx + bar_px, by + f64::from(dy)),
            colour,
        );
    }
    for x in [bx, bx + bar_px] {
        canvas.line((x, by - 6.0), (x, by + 2.0), [255, 255, 255, 255]);
    }
    Ok(Chip {
        width,
        height,
        rgba,
        scale_bar_m,
    })
}

struct Canvas<'a> {
    width: usize,
    height: usize,
    rgba: &'a mut [u8],
}

impl Canvas<'_> {
    fn line(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), colour: [u8; 4]) {
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as usize;
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            if x >= 0.0 && y >= 0.0 && (x as usize) < self.width && (y as usize) < self.height {
                let i = ((y as usize) * self.width + x as usize) * 4;
                self.rgba[i..i + 4].copy_from_slice(&colour);
            }
        }
    }
}

/// Writes `D0001.png` and `D0001.html` (numbered as in the GeoJSON, best first) into `dir` for
/// each detection with a score of at least `min_score`; returns the HTML sheets written.
pub fn write_evidence(
    dir: &Path,
    image: &dyn Temperatures,
    detections: &[Detection],
    provenance: &serde_json::Value,
    min_score: f64,
) -> Result<Vec<PathBuf>, DetectError> {
    detections
        .iter()
        .enumerate()
        .filter(|(_, d)| d.score >= min_score)
        .map(|(k, d)| write_one(dir, &format!("D{:04}", k + 1), image, d, provenance))
        .collect()
}

/// Writes `{id}.png` and `{id}.html` for one detection into `dir`; returns the sheet's path.
pub fn write_one(
    dir: &Path,
    id: &str,
    image: &dyn Temperatures,
    d: &Detection,
    provenance: &serde_json::Value,
) -> Result<PathBuf, DetectError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| yitu_layers::LayersError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let c = chip(image, d, Palette::Ironbow)?;
    let png_path = dir.join(format!("{id}.png"));
    write_png(&png_path, &c)?;
    let html_path = dir.join(format!("{id}.html"));
    std::fs::write(&html_path, sheet(id, d, &c, provenance)).map_err(io(&html_path))?;
    Ok(html_path)
}

/// A detection read back from a row of a detections layer (see
/// [`super::detections_layer`]), placed on `image`'s pixels.
pub fn from_layer_row(
    layer: &yitu_layers::Layer,
    index: usize,
    image: &dyn Temperatures,
) -> Option<Detection> {
    let f = layer.features.get(index)?;
    let geo::Geometry::Polygon(polygon) = f.geometry.clone()? else {
        return None;
    };
    let num = |field: &str| layer.value(index, field).as_f64();
    let text = |field: &str| {
        let v = layer.value(index, field).to_string();
        (!v.is_empty()).then_some(v)
    };
    let named = |field: &str| text(field).map(serde_json::Value::String);
    let corners: Vec<(f64, f64)> = polygon.exterior().0.iter().map(|c| (c.x, c.y)).collect();
    let (x0, y0, x1, y1) = image.frame().pixels(&corners).into_iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(a, b, c, d), (x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    );
    let (width, height) = image.size();
    if x1 < 0.0 || y1 < 0.0 || x0 >= width as f64 || y0 >= height as f64 {
        return None;
    }
    let clamp_x = |v: f64| v.clamp(0.0, (width - 1) as f64) as usize;
    let clamp_y = |v: f64| v.clamp(0.0, (height - 1) as f64) as usize;
    let centroid = geo::Centroid::centroid(&polygon)?;
    let footprint = Footprint {
        centroid: (centroid.x(), centroid.y()),
        pixel_bbox: [clamp_x(x0), clamp_y(y0), clamp_x(x1), clamp_y(y1)],
        polygon,
    };
    let heat = Heat {
        area_m2: num("area_m2").unwrap_or(f64::NAN),
        peak_c: num("peak_temp_c").unwrap_or(f64::NAN),
        background_c: num("background_temp_c").unwrap_or(f64::NAN),
        delta_t_k: num("delta_t_k").unwrap_or(f64::NAN),
        z_peak: num("z_peak").unwrap_or(f64::NAN),
    };
    let outlet = num("outlet_lon").zip(num("outlet_lat"));
    let nearest = text("nearest_outfall_id").zip(num("nearest_outfall_distance_m"));
    let flags = text("qa_flags")
        .map(|f| {
            f.split_whitespace()
                .filter_map(|flag| KNOWN_FLAGS.iter().find(|k| **k == flag).copied())
                .collect()
        })
        .unwrap_or_default();
    Some(
        Detection::new(
            serde_json::from_value(named("capability")?).ok()?,
            serde_json::from_value(named("status")?).ok()?,
            num("score")?,
            footprint,
            heat,
        )
        .with_outlet(outlet, num("direction_deg"))
        .with_nearest_outfall(nearest)
        .with_source(
            text("source_id"),
            text("source_status").and_then(|s| code_of(&s)),
        )
        .with_flags(flags),
    )
}

/// The QA flags detection sets (as `&'static str` in [`Detection::qa_flags`]).
const KNOWN_FLAGS: [&str; 6] = [
    "facility_contrast",
    "uniform_surface",
    "broad_warm_area",
    "high_temperature",
    "edge_of_frame",
    "daytime_flight",
];

fn write_png(path: &Path, c: &Chip) -> Result<(), DetectError> {
    let io = |error| yitu_layers::LayersError::Io {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        c.width as u32,
        c.height as u32,
    );
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&c.rgba))
        .map_err(|e| io(std::io::Error::other(e)))?;
    Ok(())
}

/// The HTML evidence sheet (Chinese first, English after, as in the UI).
fn sheet(id: &str, d: &Detection, c: &Chip, provenance: &serde_json::Value) -> String {
    let value = |v: serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let rows: Vec<(&str, String)> = vec![
        (
            "类型 Capability",
            value(serde_json::to_value(d.capability).unwrap_or_default()),
        ),
        (
            "状态 Status",
            value(serde_json::to_value(d.status).unwrap_or_default()),
        ),
        ("评分 Score", format!("{:.2}", d.score)),
        (
            "中心 Centre (WGS84)",
            format!("{:.6}, {:.6}", d.centroid_lon, d.centroid_lat),
        ),
        (
            "排口 Outlet (WGS84)",
            d.outlet_lon
                .zip(d.outlet_lat)
                .map_or_else(|| "—".into(), |(x, y)| format!("{x:.6}, {y:.6}")),
        ),
        ("峰值 Peak", format!("{:.2} °C", d.peak_temp_c)),
        ("背景 Background", format!("{:.2} °C", d.background_temp_c)),
        ("温差 ΔT", format!("{:+.2} K", d.delta_t_k)),
        ("面积 Area", format!("{:.1} m²", d.area_m2)),
        (
            "方向 Direction",
            d.direction_deg
                .map_or_else(|| "—".into(), |a| format!("{a:.0}°")),
        ),
        (
            "最近排污口 Nearest outfall",
            d.nearest_outfall_id.as_ref().map_or_else(
                || "—".into(),
                |o| {
                    format!(
                        "{o} ({:.1} m)",
                        d.nearest_outfall_distance_m.unwrap_or(f64::NAN)
                    )
                },
            ),
        ),
        (
            "污染源 Source",
            d.source_id.as_ref().map_or_else(
                || "—".into(),
                |s| {
                    format!(
                        "{s} ({})",
                        d.source_status.map_or("", OperatingStatus::code)
                    )
                },
            ),
        ),
        ("质量标记 QA flags", d.qa_flags.join(", ")),
        ("比例尺 Scale bar", format!("{} m", c.scale_bar_m)),
    ];
    let mut table = String::new();
    for (k, v) in rows {
        // Writing to a String cannot fail.
        writeln!(table, "<tr><th>{k}</th><td>{}</td></tr>", html_escape(&v)).ok();
    }
    format!(
        "<!doctype html><html lang=\"zh\"><meta charset=\"utf-8\"><title>{id}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}th{{text-align:left;padding-right:1em}}\
         pre{{font-size:80%;background:#f4f4f4;padding:1em;white-space:pre-wrap}}</style>\
         <h1>热异常证据 Thermal evidence {id}</h1><img src=\"{id}.png\" alt=\"{id}\">\
         <p>绿线：检测范围；青色十字：排口；白条：比例尺。Green: detected region; cyan cross: outlet; \
         white bar: scale.</p><table>{table}</table><h2>参数与来源 Parameters and provenance</h2>\
         <pre>{}</pre></html>",
        html_escape(&serde_json::to_string_pretty(provenance).unwrap_or_default())
    )
}
