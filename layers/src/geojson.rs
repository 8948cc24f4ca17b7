//! GeoJSON that Yitu writes itself (detections, plans, generated scenes and registries) and the
//! embedded files it reads, through the geojson crate: geo geometries in and out, properties
//! as JSON objects in the order given.

use geo::Geometry;
use serde_json::{Map, Value};

/// A feature of `geometry` (none: a feature without a place) with `properties` (a JSON
/// object; anything else gives no properties).
pub fn feature(geometry: Option<&Geometry<f64>>, properties: Value) -> geojson::Feature {
    geojson::Feature {
        bbox: None,
        geometry: geometry.map(|g| geojson::Geometry::new(geojson::Value::from(g))),
        id: None,
        properties: match properties {
            Value::Object(map) => Some(map),
            _ => None,
        },
        foreign_members: None,
    }
}

/// A FeatureCollection of `features`, with `members` beside them (a plan's name and summary).
pub fn collection(features: Vec<geojson::Feature>, members: Map<String, Value>) -> Value {
    let collection = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: (!members.is_empty()).then_some(members),
    };
    serde_json::to_value(collection).unwrap_or_default()
}

/// A feature as read: its properties and geometry (`None` for a feature without one, or one geo
/// cannot hold).
pub type ReadFeature = (Map<String, Value>, Option<Geometry<f64>>);

/// The features of a FeatureCollection; the error says why the text is not one.
pub fn read_features(text: &str) -> Result<Vec<ReadFeature>, String> {
    let collection: geojson::FeatureCollection =
        text.parse().map_err(|e: geojson::Error| e.to_string())?;
    Ok(collection
        .features
        .into_iter()
        .map(|f| {
            let geometry = f.geometry.and_then(|g| Geometry::try_from(g).ok());
            (f.properties.unwrap_or_default(), geometry)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_go_out_and_come_back() {
        let point: Geometry<f64> = geo::Point::new(106.5, 29.5).into();
        let text = collection(
            vec![
                feature(Some(&point), serde_json::json!({"id": "A", "n": 2})),
                feature(None, serde_json::json!({"id": "B"})),
            ],
            Map::new(),
        )
        .to_string();
        let read = read_features(&text).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].0["id"], "A");
        assert_eq!(read[0].1, Some(point));
        assert_eq!(read[1].1, None);
    }
}
