//! How a layer is drawn: persisted with the project, read by the map view.

use std::collections::BTreeMap;

/// An sRGBA colour, unpremultiplied, as stored in project files.
pub type Rgba = [u8; 4];

/// Per-layer drawing settings, persisted in the project.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerStyle {
    pub visible: bool,
    /// 0 (transparent) to 1 (opaque).
    pub opacity: f32,
    /// Fill or point colour when no category applies.
    pub color: Rgba,
    /// Outline or line colour.
    pub stroke: Rgba,
    /// Point radius or line width, in screen points.
    pub size: f32,
    /// Colour features by this field's value (legend entries below).
    pub category_field: Option<String>,
    pub categories: BTreeMap<String, Rgba>,
    /// Merge nearby points into counted clusters at low zoom.
    pub cluster: bool,
    /// Write this field's value on each point (a route's stop numbers). Projects saved before
    /// it existed read as none.
    #[serde(default)]
    pub label_field: Option<String>,
}

impl Default for LayerStyle {
    fn default() -> Self {
        Self {
            visible: true,
            opacity: 1.0,
            color: [52, 120, 246, 255],
            stroke: [30, 30, 30, 255],
            size: 4.0,
            category_field: None,
            categories: BTreeMap::new(),
            cluster: false,
            label_field: None,
        }
    }
}

impl LayerStyle {
    /// The colour of a feature whose category value is `value`.
    pub fn color_for(&self, value: Option<&str>) -> Rgba {
        value
            .and_then(|v| self.categories.get(v))
            .copied()
            .unwrap_or(self.color)
    }
}

/// Distinct, colour-blind-friendly category colours (Tableau 10).
const PALETTE: [Rgba; 10] = [
    [78, 121, 167, 255],
    [242, 142, 43, 255],
    [225, 87, 89, 255],
    [118, 183, 178, 255],
    [89, 161, 79, 255],
    [237, 201, 72, 255],
    [176, 122, 161, 255],
    [255, 157, 167, 255],
    [156, 117, 95, 255],
    [186, 176, 172, 255],
];

impl LayerStyle {
    /// Colours features by `field`: each of its most frequent values gets a palette colour, the
    /// rest keep the base colour. `None` turns categories off.
    pub fn categorize(&mut self, layer: &crate::Layer, field: Option<&str>) {
        self.categories.clear();
        self.category_field = field.map(str::to_owned);
        let Some(column) = field.and_then(|f| layer.field_index(f)) else {
            return;
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for f in &layer.features {
            if let Some(v) = f
                .values
                .get(column)
                .filter(|v| !matches!(v, crate::AttrValue::Null))
            {
                *counts.entry(v.to_string()).or_default() += 1;
            }
        }
        let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.categories = by_count
            .into_iter()
            .zip(PALETTE)
            .map(|((value, _), color)| (value, color))
            .collect();
    }
}

/// A saved view (书签): a named map centre and zoom.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bookmark {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AttrValue, Feature, Layer, LayerKind};

    #[test]
    fn categorize_colours_the_most_frequent_values() {
        let mut layer = Layer::new("l", LayerKind::Other, vec!["k".into()]);
        for v in ["a", "b", "b", "c", "b", "a"] {
            layer.features.push(Feature {
                geometry: None,
                values: vec![AttrValue::Text(v.into())],
            });
        }
        let mut style = LayerStyle::default();
        style.categorize(&layer, Some("k"));
        assert_eq!(style.categories.len(), 3);
        assert_eq!(style.categories["b"], PALETTE[0]);
        assert_eq!(style.categories["a"], PALETTE[1]);
        style.categorize(&layer, None);
        assert!(style.categories.is_empty() && style.category_field.is_none());
    }
}

/// A raster shown with the project: the file it reads (never copied into the project) and the
/// app's display settings for it, stored as the app wrote them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RasterRef {
    pub path: String,
    pub view: serde_json::Value,
}
