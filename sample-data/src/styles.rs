//! Default styles of the sample layers: colours a dispatcher reads at a glance.

use std::collections::BTreeMap;

use yitu_layers::style::Rgba;
use yitu_layers::{Layer, LayerKind, LayerStyle};

fn categories(entries: &[(&str, Rgba)]) -> BTreeMap<String, Rgba> {
    entries.iter().map(|(k, c)| ((*k).to_owned(), *c)).collect()
}

pub fn default_style(layer: &Layer) -> LayerStyle {
    let base = LayerStyle::default();
    match (layer.kind, layer.name.as_str()) {
        (LayerKind::Districts, "sichuan_districts") => LayerStyle {
            color: [236, 232, 220, 255],
            stroke: [170, 160, 140, 255],
            size: 0.8,
            ..base
        },
        (LayerKind::Districts, _) => LayerStyle {
            color: [226, 238, 226, 255],
            stroke: [110, 130, 110, 255],
            size: 1.2,
            ..base
        },
        (LayerKind::Rivers, _) => LayerStyle {
            color: [64, 140, 220, 255],
            stroke: [64, 140, 220, 255],
            size: 2.0,
            ..base
        },
        (LayerKind::PollutionSources, _) => LayerStyle {
            size: 3.5,
            category_field: Some("category".into()),
            categories: categories(&[
                ("key", [214, 48, 49, 255]),
                ("general", [243, 156, 18, 255]),
                ("special", [142, 68, 173, 255]),
            ]),
            cluster: true,
            ..base
        },
        (LayerKind::Outfalls, _) => LayerStyle {
            size: 4.0,
            category_field: Some("status".into()),
            categories: categories(&[
                ("active", [0, 150, 136, 255]),
                ("closed", [127, 140, 141, 255]),
                ("banned", [44, 62, 80, 255]),
            ]),
            cluster: true,
            ..base
        },
        (LayerKind::RiverSections, _) => LayerStyle {
            size: 6.0,
            category_field: Some("latest_class".into()),
            categories: categories(&[
                ("I", [0, 112, 192, 255]),
                ("II", [0, 176, 240, 255]),
                ("III", [0, 176, 80, 255]),
                ("IV", [255, 192, 0, 255]),
                ("V", [255, 102, 0, 255]),
                ("劣V", [192, 0, 0, 255]),
            ]),
            ..base
        },
        _ => LayerStyle {
            size: 5.0,
            color: [30, 60, 160, 255],
            ..base
        },
    }
}
