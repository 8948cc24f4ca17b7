//! Detections out: GeoJSON with provenance, and a layer for the map and the project.

use std::path::Path;

use geo::Geometry;
use serde::Serialize;
use yitu_layers::Layer;
use yitu_layers::geojson::{collection, feature};

use super::{Capability, Detection, Status};

/// The detections as a GeoJSON FeatureCollection (WGS84), each with the run's provenance.
pub fn to_geojson(detections: &[Detection], provenance: &serde_json::Value) -> serde_json::Value {
    let features = detections
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let mut props = serde_json::to_value(d).unwrap_or_default();
            if let Some(map) = props.as_object_mut() {
                map.insert("id".into(), serde_json::json!(format!("D{:04}", k + 1)));
                map.insert("provenance".into(), provenance.clone());
            }
            feature(Some(&Geometry::Polygon(d.polygon.clone())), props)
        })
        .collect();
    collection(features, serde_json::Map::new())
}

/// One detection as a row of the detections layer.
#[derive(Serialize)]
struct LayerRow<'a> {
    id: String,
    capability: Capability,
    score: f64,
    status: Status,
    delta_t_k: f64,
    peak_temp_c: f64,
    background_temp_c: f64,
    area_m2: f64,
    direction_deg: Option<f64>,
    nearest_outfall_id: Option<&'a str>,
    nearest_outfall_distance_m: Option<f64>,
    source_id: Option<&'a str>,
    qa_flags: String,
    outlet_lon: Option<f64>,
    outlet_lat: Option<f64>,
    /// The thermal raster it was found on (for evidence).
    raster: &'a str,
    /// When the raster was taken (ISO 8601, +08:00), where it says: the time slider plays
    /// detections by it.
    captured_at: Option<&'a str>,
    /// Filled in by the analyst: confirmed, dismissed, field_check, and a note.
    review: &'static str,
    note: &'static str,
}

/// The detections found on `raster` as a layer for the map and the project (WGS84 polygons),
/// best first.
pub fn detections_layer(name: &str, raster: &Path, detections: &[Detection]) -> Layer {
    let captured = capture_time(raster);
    let raster = raster.to_string_lossy();
    yitu_layers::registry::layer_from_records(
        name,
        yitu_layers::LayerKind::Other,
        detections.iter().enumerate().map(|(k, d)| {
            let row = LayerRow {
                id: format!("D{:04}", k + 1),
                capability: d.capability,
                score: (d.score * 1000.0).round() / 1000.0,
                status: d.status,
                delta_t_k: (d.delta_t_k * 100.0).round() / 100.0,
                peak_temp_c: (d.peak_temp_c * 100.0).round() / 100.0,
                background_temp_c: (d.background_temp_c * 100.0).round() / 100.0,
                area_m2: (d.area_m2 * 10.0).round() / 10.0,
                direction_deg: d.direction_deg.map(f64::round),
                nearest_outfall_id: d.nearest_outfall_id.as_deref(),
                nearest_outfall_distance_m: d
                    .nearest_outfall_distance_m
                    .map(|m| (m * 10.0).round() / 10.0),
                source_id: d.source_id.as_deref(),
                qa_flags: d.qa_flags.join(" "),
                outlet_lon: d.outlet_lon,
                outlet_lat: d.outlet_lat,
                raster: &raster,
                captured_at: captured.as_deref(),
                review: "",
                note: "",
            };
            (Some(Geometry::Polygon(d.polygon.clone())), row)
        }),
    )
}

/// A raster's capture time (`TIFFTAG_DATETIME`, China time) as ISO 8601 with +08:00.
fn capture_time(raster: &Path) -> Option<String> {
    let meta = yitu_layers::raster::metadata(raster).ok()?;
    let text = meta
        .iter()
        .find(|(k, _)| k == "TIFFTAG_DATETIME")
        .map(|(_, v)| v.as_str())?;
    let utc = super::sun::parse_capture_time(text, super::sun::CAPTURE_ZONE)?;
    let local = jiff::Timestamp::from_second(utc + 8 * 3600).ok()?;
    Some(format!("{}+08:00", local.strftime("%Y-%m-%dT%H:%M:%S")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Parameters, detect, synthetic};

    /// The layer carries the raster's capture time, for the command centre's time slider.
    #[test]
    fn detections_carry_their_capture_time() {
        let spec = synthetic::SceneSpec::small_night(3);
        let scene = synthetic::Scene::generate(&spec);
        let dir = tempfile::tempdir().expect("a temporary directory");
        scene.write(dir.path()).expect("the scene's files");
        let found = detect(
            &scene.image,
            &scene.registry,
            &Parameters::for_daylight(spec.daylight),
        );
        assert!(!found.is_empty());
        let layer = detections_layer("d", &dir.path().join("scene.tif"), &found);
        let captured = layer.value(0, "captured_at").to_string();
        assert!(
            captured.ends_with("+08:00") && captured.len() == 25,
            "{captured}"
        );
        assert_eq!(
            yitu_core::calendar::parse_date(&captured),
            yitu_core::calendar::parse_date(&scene.capture_time.replace(':', "-"))
        );
    }
}
