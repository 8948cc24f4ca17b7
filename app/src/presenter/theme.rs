//! One indicator by district: the districts coloured by it (a choropleth) and a ranking of the
//! districts in bars, on the presenter frame.

use egui::{Color32, FontId, Pos2, Rect, Shape, vec2};
use yitu_command::indicators::Indicators;
use yitu_layers::LayerKind;

use crate::map::prepared::feature_colors;
use crate::state::LoadedProject;
use crate::theme::{PRESENT_ACCENT, PRESENT_PANEL};

/// The value of `id` per district code, where there is one.
fn by_district<'a>(indicators: &'a Indicators, id: &str) -> Vec<(&'a str, f64)> {
    indicators
        .indicators
        .iter()
        .filter(|i| i.id == id)
        .filter_map(|i| Some((i.district.as_deref()?, i.value?)))
        .collect()
}

/// A light-to-dark ramp: pale yellow for the least, dark red for the most.
fn ramp(t: f64) -> Color32 {
    let t = t.clamp(0.0, 1.0) as f32;
    let lerp = |a: f32, b: f32| (a + (b - a) * t).round() as u8;
    Color32::from_rgba_unmultiplied(
        lerp(255.0, 165.0),
        lerp(237.0, 15.0),
        lerp(160.0, 21.0),
        235,
    )
}

/// Colours the district layers by the indicator (`None`: their own colours back).
pub fn choropleth(loaded: &mut LoadedProject, indicators: Option<(&Indicators, &str)>) {
    for l in &mut loaded.layers {
        if l.data.layer.kind != LayerKind::Districts {
            continue;
        }
        let mut colours = feature_colors(&l.data.layer, &l.data.style);
        if let Some((indicators, id)) = indicators {
            let values = by_district(indicators, id);
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
                    (a.min(*v), b.max(*v))
                });
            let layer = &l.data.layer;
            for (i, colour) in colours.iter_mut().enumerate() {
                let code = layer.value(i, "adcode").to_string();
                if let Some((_, v)) = values.iter().find(|(d, _)| *d == code) {
                    *colour = ramp(if hi > lo { (v - lo) / (hi - lo) } else { 1.0 });
                }
            }
        }
        l.drawing.colors = colours;
    }
}

/// The ten districts with the highest values, as bars at the frame's lower left.
pub fn ranking(
    out: &mut Vec<Shape>,
    painter: &egui::Painter,
    indicators: &Indicators,
    id: &str,
    names: &dyn Fn(&str) -> String,
    screen: Rect,
) {
    let mut values = by_district(indicators, id);
    values.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    values.truncate(10);
    let Some(label) = indicators
        .indicators
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.label.clone())
    else {
        return;
    };
    let max = values.first().map_or(1.0, |v| v.1.max(1e-9));
    let (width, row) = (520.0, 34.0);
    let top = screen.bottom() - 110.0 - row * (values.len() as f32 + 1.0);
    let left = screen.left() + 20.0;
    let panel = Rect::from_min_size(
        Pos2::new(left, top - 8.0),
        vec2(width, row * (values.len() as f32 + 1.0) + 16.0),
    );
    out.push(Shape::rect_filled(panel, 8.0, PRESENT_PANEL));
    let title = painter.layout_no_wrap(label, FontId::proportional(24.0), PRESENT_ACCENT);
    out.push(Shape::galley(
        Pos2::new(left + 12.0, top),
        title,
        PRESENT_ACCENT,
    ));
    for (k, (code, v)) in values.iter().enumerate() {
        let y = top + row * (k as f32 + 1.0);
        let name = painter.layout_no_wrap(names(code), FontId::proportional(24.0), Color32::WHITE);
        out.push(Shape::galley(
            Pos2::new(left + 12.0, y),
            name,
            Color32::WHITE,
        ));
        let bar = Rect::from_min_size(
            Pos2::new(left + 150.0, y + 4.0),
            vec2(((v / max) as f32 * 270.0).max(2.0), row - 10.0),
        );
        out.push(Shape::rect_filled(bar, 3.0, ramp(v / max)));
        let text = if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        };
        let value = painter.layout_no_wrap(text, FontId::proportional(24.0), Color32::WHITE);
        out.push(Shape::galley(
            Pos2::new(left + 430.0, y),
            value,
            Color32::WHITE,
        ));
    }
}
