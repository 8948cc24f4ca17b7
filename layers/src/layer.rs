//! The in-memory feature model: a [`Layer`] is a named, typed table of features in WGS84.

use geo::{BoundingRect, Geometry, Rect};

use crate::attribute::AttrValue;

/// What a layer holds, which decides its style, its filters and what analyses may use it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    PollutionSources,
    Outfalls,
    RiverSections,
    Districts,
    Rivers,
    Other,
}

impl LayerKind {
    pub const ALL: [Self; 6] = [
        Self::PollutionSources,
        Self::Outfalls,
        Self::RiverSections,
        Self::Districts,
        Self::Rivers,
        Self::Other,
    ];

    /// The stable name used in JSON output and project files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PollutionSources => "pollution_sources",
            Self::Outfalls => "outfalls",
            Self::RiverSections => "river_sections",
            Self::Districts => "districts",
            Self::Rivers => "rivers",
            Self::Other => "other",
        }
    }

    /// Guesses the kind of an imported layer from its field names and geometry, so that a
    /// registry exported from another system gets the right style and filters.
    pub fn detect(fields: &[String], geometry: Option<&Geometry<f64>>) -> Self {
        let has = |names: &[&str]| {
            fields
                .iter()
                .any(|f| names.contains(&f.to_lowercase().as_str()))
        };
        let is_line = matches!(
            geometry,
            Some(Geometry::LineString(_) | Geometry::MultiLineString(_))
        );
        let is_area = matches!(
            geometry,
            Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_))
        );
        if has(&["credit_code", "统一社会信用代码"]) {
            Self::PollutionSources
        } else if has(&["outfall_type", "排污口类型"]) {
            Self::Outfalls
        } else if has(&["target_class", "水质目标"]) {
            Self::RiverSections
        } else if is_area && has(&["adcode", "district_adcode", "行政区划代码"]) {
            Self::Districts
        } else if (is_line || is_area) && has(&["wdbii_level", "river", "河流", "name_en"]) {
            Self::Rivers
        } else {
            Self::Other
        }
    }
}

/// One feature: an optional geometry (attribute-only tables have none) and values aligned with
/// the layer's [`Layer::fields`].
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub geometry: Option<Geometry<f64>>,
    pub values: Vec<AttrValue>,
}

/// A named table of features, always in WGS84 lon/lat in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    pub kind: LayerKind,
    pub fields: Vec<String>,
    pub features: Vec<Feature>,
    /// The CRS the data came in, as a user would name it (for `info`); memory is WGS84.
    pub source_crs: String,
}

impl Layer {
    pub fn new(name: impl Into<String>, kind: LayerKind, fields: Vec<String>) -> Self {
        Self {
            name: name.into(),
            kind,
            fields,
            features: Vec::new(),
            source_crs: crate::crs::Crs::Wgs84.to_string(),
        }
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }

    /// The value of `field` in feature `index`, or `Null` when either is missing.
    /// Sets a text value, adding the field (empty for every feature) when the layer lacks it.
    pub fn set_text(&mut self, index: usize, field: &str, value: String) {
        let column = self.field_index(field).unwrap_or_else(|| {
            self.fields.push(field.to_owned());
            for f in &mut self.features {
                f.values.push(AttrValue::Null);
            }
            self.fields.len() - 1
        });
        if let Some(f) = self.features.get_mut(index) {
            f.values[column] = AttrValue::Text(value);
        }
    }

    pub fn value(&self, index: usize, field: &str) -> &AttrValue {
        static NULL: AttrValue = AttrValue::Null;
        self.field_index(field)
            .and_then(|i| self.features.get(index)?.values.get(i))
            .unwrap_or(&NULL)
    }

    /// The first of `fields` the layer has with a non-empty value for a feature, as text.
    pub fn text(&self, index: usize, fields: &[&str]) -> Option<String> {
        fields.iter().find_map(|f| {
            self.field_index(f)?;
            let v = self.value(index, f).to_string();
            (!v.is_empty()).then_some(v)
        })
    }

    /// The text shown for a feature: its first name-like field (`name`, `名称`, `file`, ...), else
    /// its index.
    pub fn label(&self, index: usize) -> String {
        ["name", "Name", "名称", "district_name", "file"]
            .iter()
            .map(|f| self.value(index, f))
            .find(|v| !matches!(v, AttrValue::Null))
            .map_or_else(|| format!("#{index}"), ToString::to_string)
    }

    /// Bounding box of all geometries in lon/lat, `None` for an empty or attribute-only layer.
    pub fn bbox(&self) -> Option<Rect<f64>> {
        union_bbox(
            self.features
                .iter()
                .filter_map(|f| f.geometry.as_ref()?.bounding_rect()),
        )
    }
}

/// The rectangle covering all `rects`; `None` for none.
pub fn union_bbox(rects: impl IntoIterator<Item = Rect<f64>>) -> Option<Rect<f64>> {
    rects.into_iter().reduce(|a, b| {
        Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// Whether a layer holds detections (made by detection, `yitu detect`'s GeoJSON imported, or
/// the shared store's `detections` table read back): it has their fields.
pub fn is_detections_layer(layer: &Layer) -> bool {
    ["capability", "score", "status"]
        .iter()
        .all(|f| layer.field_index(f).is_some())
}
