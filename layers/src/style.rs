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

/// A saved view (书签): a named map centre and zoom.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bookmark {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}
