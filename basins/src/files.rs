//! River lines, features and districts read from files of any format and CRS (through
//! `yitu-layers`), and what is wrong with them named with the file.

use std::path::{Path, PathBuf};

use geo::{Centroid, Coord, Geometry};
use yitu_layers::io::{ReadOptions, read_vector};
use yitu_layers::{Layer, LayerKind};

use crate::districts::Districts;
use crate::found::Feature;
use crate::network::RiverLine;

/// What cannot be read, the problem first and then the file.
#[derive(Debug, thiserror::Error)]
pub enum BasinsError {
    #[error(transparent)]
    Layers(#[from] yitu_layers::LayersError),
    #[error("no lines in the file (rivers must be LineStrings or MultiLineStrings); file: {0}")]
    NoLines(PathBuf),
    #[error("no polygons in the file (districts must be Polygons or MultiPolygons); file: {0}")]
    NoPolygons(PathBuf),
    #[error("no layer for {name} in the file; file: {path}")]
    NoLayer { path: PathBuf, name: String },
}

fn layers(path: &Path) -> Result<Vec<Layer>, BasinsError> {
    Ok(read_vector(path, ReadOptions::default())?.layers)
}

/// A feature's `id` field, else its number in the layer.
fn id_of(layer: &Layer, i: usize) -> String {
    match layer.field_index("id") {
        Some(_) => {
            let v = layer.value(i, "id").to_string();
            if v.is_empty() { i.to_string() } else { v }
        }
        None => i.to_string(),
    }
}

/// The lines of a layer as river lines: each part of a MultiLineString its own line
/// (`id/k`), the name from `name`, a velocity from `velocity_m_s`.
pub fn rivers_of(layer: &Layer) -> Vec<RiverLine> {
    let mut out = Vec::new();
    for (i, f) in layer.features.iter().enumerate() {
        let parts: Vec<Vec<Coord<f64>>> = match &f.geometry {
            Some(Geometry::LineString(l)) => vec![l.0.clone()],
            Some(Geometry::MultiLineString(m)) => m.0.iter().map(|l| l.0.clone()).collect(),
            _ => continue,
        };
        let id = id_of(layer, i);
        let name = layer
            .field_index("name")
            .map(|_| layer.value(i, "name").to_string())
            .unwrap_or_default();
        let velocity_m_s = layer
            .field_index("velocity_m_s")
            .and_then(|_| layer.value(i, "velocity_m_s").as_f64())
            .filter(|v| *v > 0.0);
        out.extend(RiverLine::of_parts(&id, &name, velocity_m_s, parts));
    }
    out
}

/// The river lines of a file: its `rivers` layer in a file of many, else every layer's.
pub fn read_rivers(path: &Path) -> Result<Vec<RiverLine>, BasinsError> {
    let json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
    if json
        && let Some(lines) = std::fs::read_to_string(path)
            .ok()
            .as_deref()
            .and_then(crate::lines_json::lines)
        && !lines.is_empty()
    {
        return Ok(lines);
    }
    let layers = layers(path)?;
    let lines: Vec<RiverLine> = pick(&layers, &["rivers"], LayerKind::Rivers)
        .into_iter()
        .flat_map(rivers_of)
        .collect();
    if lines.is_empty() {
        return Err(BasinsError::NoLines(path.to_path_buf()));
    }
    Ok(lines)
}

/// In a file of many layers (a project GeoPackage) the one with one of `names`, else those
/// of the kind; otherwise every layer.
fn pick<'a>(layers: &'a [Layer], names: &[&str], kind: LayerKind) -> Vec<&'a Layer> {
    if layers.len() > 1 {
        for name in names {
            if let Some(l) = layers.iter().find(|l| l.name == *name) {
                return vec![l];
            }
        }
        let of_kind: Vec<&Layer> = layers.iter().filter(|l| l.kind == kind).collect();
        if !of_kind.is_empty() && kind != LayerKind::Other {
            return of_kind;
        }
    }
    layers.iter().collect()
}

/// A layer's features as points to look for (a polygon by its centroid), named `layer`.
pub fn features_of(layer: &Layer, name: &str, nearest_only: bool) -> Vec<Feature> {
    layer
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let at = match f.geometry.as_ref()? {
                Geometry::Point(p) => p.0,
                g => g.centroid()?.0,
            };
            Some(Feature {
                layer: name.to_owned(),
                id: id_of(layer, i),
                at,
                nearest_only,
            })
        })
        .collect()
}

/// The layer a file gives for `name` (`outfalls`, `sections`, `sources`, `detections`,
/// `anomalies`): in a project GeoPackage the layer of that name (or the project's own name
/// for it), else of that kind; in a file of one layer, that layer.
pub fn read_layer(path: &Path, name: &str) -> Result<Layer, BasinsError> {
    let (kind, project_name) = match name {
        "outfalls" => (LayerKind::Outfalls, "outfalls"),
        "sections" => (LayerKind::RiverSections, "river_sections"),
        "sources" => (LayerKind::PollutionSources, "pollution_sources"),
        "anomalies" => (LayerKind::Other, "monitoring_anomalies"),
        _ => (LayerKind::Other, name),
    };
    let layers = layers(path)?;
    let chosen = pick(&layers, &[name, project_name], kind);
    let mut merged = chosen
        .first()
        .map(|l| (*l).clone())
        .ok_or_else(|| BasinsError::NoLayer {
            path: path.to_path_buf(),
            name: name.to_owned(),
        })?;
    for extra in chosen.iter().skip(1).filter(|l| l.fields == merged.fields) {
        merged.features.extend(extra.features.iter().cloned());
    }
    Ok(merged)
}

/// District polygons of a file.
pub fn read_districts(path: &Path) -> Result<Districts, BasinsError> {
    let layers: Vec<Layer> = layers(path)?
        .into_iter()
        .filter(|l| {
            l.kind == LayerKind::Districts
                || l.features.iter().any(|f| {
                    matches!(
                        f.geometry,
                        Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_))
                    )
                })
        })
        .collect();
    if layers.is_empty() {
        return Err(BasinsError::NoPolygons(path.to_path_buf()));
    }
    Ok(Districts::new(layers))
}
