//! Confirmed detections become inspection targets. What an analyst confirmed is a targeted
//! check, not a random one: the 双随机 draw records such targets apart from the drawn ones, and
//! dispatch plans them like any other.

use geo::{Centroid as _, Geometry, Point};
use serde::{Deserialize, Serialize};
use yitu_layers::registry::{layer_from_records, record_from_layer};
use yitu_layers::{Layer, LayerKind};

use super::{Capability, Status};

/// The project layer the targets are kept in.
pub const TARGETS_LAYER: &str = "检查目标 Inspection targets";

/// What an analyst decided about a detection, kept in its `review` attribute; a confirmed one
/// becomes a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Confirmed,
    Dismissed,
    /// Needs a look on site before it is confirmed or dismissed.
    FieldCheck,
}

impl ReviewDecision {
    pub const ALL: [Self; 3] = [Self::Confirmed, Self::Dismissed, Self::FieldCheck];

    /// The value as the `review` attribute stores it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
            Self::FieldCheck => "field_check",
        }
    }
}

pub use yitu_layers::layer::is_detections_layer;

/// What a detection row says that a target needs.
#[derive(Deserialize)]
struct Reviewed {
    id: Option<String>,
    capability: Capability,
    status: Status,
    score: Option<f64>,
    source_id: Option<String>,
    nearest_outfall_id: Option<String>,
    outlet_lon: Option<f64>,
    outlet_lat: Option<f64>,
    review: Option<ReviewDecision>,
    note: Option<String>,
}

/// One inspection target, a row of the targets layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionTarget {
    /// `T` and a number, in the order of the detections layers and their rows.
    pub id: String,
    /// Why it is checked: the detection's capability and registry status.
    pub reason: String,
    /// The detections layer and row it came from.
    pub detection: String,
    pub score: f64,
    /// The registered source or outfall it concerns, if any.
    pub source_id: Option<String>,
    pub outfall_id: Option<String>,
    pub note: String,
}

/// The targets from every confirmed detection in `layers` (other layers are skipped), placed at
/// a plume's outlet or else at the detection's centroid.
pub fn inspection_targets<'a>(
    layers: impl IntoIterator<Item = &'a Layer>,
) -> Vec<(Point<f64>, InspectionTarget)> {
    let mut targets = Vec::new();
    for layer in layers.into_iter().filter(|l| is_detections_layer(l)) {
        for (row, feature) in layer.features.iter().enumerate() {
            let Some(r) = record_from_layer::<Reviewed>(layer, row) else {
                continue;
            };
            if r.review != Some(ReviewDecision::Confirmed) {
                continue;
            }
            let at = match (r.outlet_lon, r.outlet_lat) {
                (Some(lon), Some(lat)) => Some(Point::new(lon, lat)),
                _ => feature.geometry.as_ref().and_then(Geometry::centroid),
            };
            let Some(at) = at else { continue };
            let detection_id = r.id.unwrap_or_else(|| format!("#{}", row + 1));
            targets.push((
                at,
                InspectionTarget {
                    id: format!("T{:03}", targets.len() + 1),
                    reason: format!("{} {}", r.capability.code(), r.status.code()),
                    detection: format!("{} {detection_id}", layer.name),
                    score: r.score.unwrap_or_default(),
                    source_id: r.source_id.filter(|s| !s.is_empty()),
                    outfall_id: r
                        .nearest_outfall_id
                        .filter(|s| !s.is_empty() && r.status != Status::UnregisteredSuspect),
                    note: r.note.unwrap_or_default(),
                },
            ));
        }
    }
    targets
}

/// The targets as the project layer [`TARGETS_LAYER`] (WGS84 points).
pub fn targets_layer(targets: Vec<(Point<f64>, InspectionTarget)>) -> Layer {
    layer_from_records(
        TARGETS_LAYER,
        LayerKind::Other,
        targets
            .into_iter()
            .map(|(at, target)| (Some(Geometry::Point(at)), target)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Capability, Detection, Footprint, Heat, Status, detections_layer};

    fn detection(status: Status, outlet: Option<(f64, f64)>) -> Detection {
        let polygon = geo::Polygon::new(
            geo::LineString::from(vec![
                (106.0, 29.0),
                (106.002, 29.0),
                (106.002, 29.002),
                (106.0, 29.002),
                (106.0, 29.0),
            ]),
            Vec::new(),
        );
        let footprint = Footprint {
            polygon,
            centroid: (106.001, 29.001),
            pixel_bbox: [0, 0, 1, 1],
        };
        let heat = Heat {
            area_m2: 12.0,
            peak_c: 25.0,
            background_c: 20.0,
            delta_t_k: 5.0,
            z_peak: 9.0,
        };
        Detection::new(Capability::BankPlume, status, 0.9, footprint, heat)
            .with_outlet(outlet, Some(90.0))
            .with_nearest_outfall(Some(("OF-7".into(), 12.0)))
    }

    #[test]
    fn only_confirmed_detections_become_targets_at_their_outlet() {
        let mut layer = detections_layer(
            "detections",
            std::path::Path::new("scene.tif"),
            &[
                detection(Status::UnregisteredSuspect, Some((106.0005, 29.0))),
                detection(Status::RegisteredClosedDischarging, None),
                detection(Status::RegisteredActive, None),
            ],
        );
        assert!(inspection_targets([&layer]).is_empty());
        layer.set_text(0, "review", ReviewDecision::Confirmed.code().into());
        layer.set_text(0, "note", "暗管 behind the wall".into());
        layer.set_text(1, "review", ReviewDecision::Confirmed.code().into());
        layer.set_text(2, "review", ReviewDecision::Dismissed.code().into());
        let targets = inspection_targets([&layer]);
        assert_eq!(targets.len(), 2);
        let (at, t) = &targets[0];
        assert_eq!((at.x(), at.y()), (106.0005, 29.0), "at the outlet");
        assert_eq!(t.reason, "bank_plume unregistered_suspect");
        assert_eq!(t.detection, "detections D0001");
        assert_eq!(
            t.outfall_id, None,
            "no registered outfall explains a suspect"
        );
        assert_eq!(t.note, "暗管 behind the wall");
        let (at, t) = &targets[1];
        assert!((at.x() - 106.001).abs() < 1e-9, "at the centroid");
        assert_eq!(t.outfall_id.as_deref(), Some("OF-7"));
        let layer = targets_layer(targets);
        assert_eq!(layer.name, TARGETS_LAYER);
        assert_eq!(layer.features.len(), 2);
        assert_eq!(layer.value(1, "id").to_string(), "T002");
    }
}
