//! The registry detection matches against: river polygons, outfalls and sources, read from a
//! project's layers at the boundary.

use super::error::MissingAttribute;
use geo::{Distance as _, Euclidean, Geometry, Point, Polygon};
use yitu_layers::Layer;
use yitu_layers::attribute::AttrValue;
use yitu_layers::registry::{OperatingStatus, OutfallStatus};

use super::matching::geometry_to_pixels;
use super::{PixelFrame, Status};

/// A registered outfall (入河排污口).
#[derive(Debug, Clone)]
pub struct Outfall {
    pub id: String,
    /// `None` when the file's value is not one of the registry's (matched as active).
    pub status: Option<OutfallStatus>,
    pub lon: f64,
    pub lat: f64,
}

/// A registered pollution source.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    /// `None` when the file's value is not one of the registry's (matched as operating).
    pub status: Option<OperatingStatus>,
    pub geometry: Geometry<f64>,
}

/// What the detections are matched against, all in WGS84.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub rivers: Vec<Polygon<f64>>,
    pub outfalls: Vec<Outfall>,
    pub sources: Vec<Source>,
}

impl Registry {
    /// River polygons from a layer.
    pub fn rivers_from(layer: &Layer) -> Vec<Polygon<f64>> {
        layer
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .flat_map(|g| match g {
                Geometry::Polygon(p) => vec![p.clone()],
                Geometry::MultiPolygon(mp) => mp.0.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Outfall points with their `id` and `status` attributes.
    pub fn outfalls_from(layer: &Layer) -> Result<Vec<Outfall>, MissingAttribute> {
        let (id, status) = id_and_status(layer)?;
        Ok(layer
            .features
            .iter()
            .filter_map(|f| {
                let Some(Geometry::Point(p)) = &f.geometry else {
                    return None;
                };
                Some(Outfall {
                    id: f.values[id].to_string(),
                    status: coded(&f.values[status]),
                    lon: p.x(),
                    lat: p.y(),
                })
            })
            .collect())
    }

    /// Sources (points or polygons) with their `id` and `status` attributes.
    pub fn sources_from(layer: &Layer) -> Result<Vec<Source>, MissingAttribute> {
        let (id, status) = id_and_status(layer)?;
        Ok(layer
            .features
            .iter()
            .filter_map(|f| {
                Some(Source {
                    id: f.values[id].to_string(),
                    status: coded(&f.values[status]),
                    geometry: f.geometry.clone()?,
                })
            })
            .collect())
    }
}

impl Registry {
    /// The source nearest a hot spot at pixel `at`, within `max_m` metres of it on the pixel
    /// grid, less `slack_px` pixels (a cluster's half-extent, so distance counts from its edge).
    pub fn nearest_source(
        &self,
        frame: &PixelFrame,
        at: Point<f64>,
        slack_px: f64,
        max_m: f64,
    ) -> Option<&Source> {
        self.sources
            .iter()
            .filter_map(|s| {
                let px = geometry_to_pixels(frame, &s.geometry)?;
                let d = (Euclidean.distance(&at, &px) - slack_px).max(0.0) * frame.gsd_m;
                (d <= max_m).then_some((d, s))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s)
    }
}

impl Status {
    /// A hot spot's status from the source it lies on, if any.
    pub fn of_hotspot(source: Option<&Source>) -> Self {
        match source {
            Some(s) if s.status == Some(OperatingStatus::Stopped) => Self::FacilityActiveDuringStop,
            Some(_) => Self::RegisteredSource,
            None => Self::UnregisteredHotspot,
        }
    }
}

/// The positions of the `id` and `status` attributes every registry layer needs.
fn id_and_status(layer: &Layer) -> Result<(usize, usize), MissingAttribute> {
    let field = |attribute: &'static str| {
        layer
            .field_index(attribute)
            .ok_or_else(|| MissingAttribute {
                layer: layer.name.clone(),
                attribute,
                has: layer.fields.join(", "),
            })
    };
    Ok((field("id")?, field("status")?))
}

/// Whether layers of this kind feed the registry (see [`registry_from_layers`]).
pub fn is_registry_kind(kind: yitu_layers::LayerKind) -> bool {
    use yitu_layers::LayerKind;
    matches!(
        kind,
        LayerKind::Rivers | LayerKind::Outfalls | LayerKind::PollutionSources
    )
}

/// The registry for detection from a project's layers: river polygons, outfalls and sources
/// with `id` and `status`; what could not be used is said in the returned notes.
pub fn registry_from_layers<'a>(
    layers: impl IntoIterator<Item = &'a Layer>,
) -> (Registry, Vec<String>) {
    use yitu_layers::LayerKind;
    let mut registry = Registry::default();
    let mut notes = Vec::new();
    for layer in layers {
        match layer.kind {
            LayerKind::Rivers => registry.rivers.extend(Registry::rivers_from(layer)),
            LayerKind::Outfalls => match Registry::outfalls_from(layer) {
                Ok(o) => registry.outfalls.extend(o),
                Err(e) => notes.push(e.to_string()),
            },
            LayerKind::PollutionSources => match Registry::sources_from(layer) {
                Ok(s) => registry.sources.extend(s),
                Err(e) => notes.push(e.to_string()),
            },
            _ => {}
        }
    }
    if registry.rivers.is_empty() {
        notes.push(
            "no river polygons in the project (river lines do not say where the water is): \
             plumes were not looked for"
                .into(),
        );
    }
    (registry, notes)
}

/// A registry code read into its enum at the boundary (`Active`, ` closed ` and `closed` alike);
/// `None` for a value that is none of them.
fn coded<T: serde::de::DeserializeOwned>(value: &AttrValue) -> Option<T> {
    code_of(&value.to_string())
}

/// [`coded`] for text already read (a detections layer's `source_status`).
pub(super) fn code_of<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let code = text.trim().to_lowercase();
    serde_json::from_value(serde_json::Value::String(code)).ok()
}
