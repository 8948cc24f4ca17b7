//! `yitu trace`'s output: the traced reaches, the features found and the crossings as GeoJSON,
//! and the summary `--json` prints.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::districts::Districts;
use crate::found::{Crossing, Found};
use crate::geom::slice;
use crate::network::Network;
use crate::qa::Finding;
use crate::trace::{Limits, Position, Trace};

/// Where the velocity for reaches without their own came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VelocitySource {
    /// `--velocity`.
    Given,
    /// `--velocity-by-order`, by Strahler order class.
    ByOrder,
    /// The 0.5 m/s default.
    Default,
}

/// The features found in one district, by layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictGroup {
    pub province: Option<String>,
    pub district: Option<String>,
    pub count: usize,
    pub by_layer: Map<String, Value>,
}

/// The summary of a trace.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub reaches: usize,
    pub length_km: f64,
    pub found: Vec<Found>,
    pub crossings: Vec<Crossing>,
    pub qa: Vec<Finding>,
    pub direction: crate::trace::Direction,
    pub start: StartReport,
    pub velocity_m_s: f64,
    pub velocity_source: VelocitySource,
    /// Reaches with their own `velocity_m_s`, used in place of the above.
    pub reaches_with_velocity: usize,
    pub by_district: Vec<DistrictGroup>,
}

/// Where the trace began on the network.
#[derive(Debug, Clone, Serialize)]
pub struct StartReport {
    pub lon: f64,
    pub lat: f64,
    pub reach_id: String,
    pub river: String,
    /// How far the given point lay from the river, metres.
    pub off_m: f64,
}

impl StartReport {
    pub fn new(network: &Network, start: Position) -> Self {
        let reach = &network.reaches[start.reach as usize];
        let (at, _) = crate::geom::point_along(&reach.coords, &reach.cum, start.at_m);
        Self {
            lon: at.x,
            lat: at.y,
            reach_id: reach.id.clone(),
            river: reach.name.clone(),
            off_m: start.off_m,
        }
    }
}

/// Counts per district and layer, in the order the districts are first met.
pub fn by_district(found: &[Found]) -> Vec<DistrictGroup> {
    let mut groups: Vec<DistrictGroup> = Vec::new();
    for f in found {
        let i = if let Some(i) = groups.iter().position(|g| g.district == f.district) {
            i
        } else {
            groups.push(DistrictGroup {
                province: f.province.clone(),
                district: f.district.clone(),
                count: 0,
                by_layer: Map::new(),
            });
            groups.len() - 1
        };
        let g = &mut groups[i];
        g.count += 1;
        let n = g
            .by_layer
            .get(&f.layer)
            .and_then(Value::as_u64)
            .unwrap_or(0);
        g.by_layer.insert(f.layer.clone(), json!(n + 1));
    }
    groups
}

/// A GeoJSON feature written straight from its parts (no `Value` tree for a trace of a
/// hundred thousand reaches).
#[derive(Serialize)]
struct OutFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: &'a Value,
    geometry: OutGeometry,
}

#[derive(Serialize)]
#[serde(tag = "type", content = "coordinates")]
enum OutGeometry {
    LineString(Vec<[f64; 2]>),
    Point([f64; 2]),
}

/// Writes the trace as a GeoJSON FeatureCollection (WGS84): reaches, found features, crossings.
pub fn write_geojson(
    mut w: impl std::io::Write,
    network: &Network,
    trace: &Trace,
    found: &[Found],
    crossings: &[Crossing],
    context: (&Limits, Option<&Districts>),
) -> std::io::Result<()> {
    let (limits, districts) = context;
    w.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    let mut first = true;
    let mut put = |w: &mut dyn std::io::Write, properties: &Value, geometry: OutGeometry| {
        if !std::mem::take(&mut first) {
            w.write_all(b",")?;
        }
        serde_json::to_writer(
            w,
            &OutFeature {
                kind: "Feature",
                properties,
                geometry,
            },
        )
        .map_err(std::io::Error::other)
    };
    for part in &trace.parts {
        let reach = &network.reaches[part.reach as usize];
        let line = slice(&reach.coords, &reach.cum, part.lo_m, part.hi_m);
        // Who answers for the reach: the district at the middle of its traced part.
        let middle = crate::geom::point_along(
            &reach.coords,
            &reach.cum,
            f64::midpoint(part.lo_m, part.hi_m),
        )
        .0;
        let district = districts.and_then(|d| d.at(middle));
        let coords = line.iter().map(|c| [c.x, c.y]).collect();
        let properties = json!({
            "kind": "reach",
            "reach_id": reach.id,
            "name": reach.name,
            "from_km": part.dist_lo_m / 1000.0,
            "to_km": part.dist_hi_m / 1000.0,
            "from_h": part.hours_lo,
            "to_h": part.hours_hi,
            "length_km": (part.hi_m - part.lo_m) / 1000.0,
            "strahler": reach.strahler,
            "velocity_m_s": limits.velocity(reach),
            "district": district.map(|d| &d.code),
            "district_name": district.map(|d| &d.name),
            "province": district.map(|d| &d.province),
            "turned": reach.turned,
        });
        put(&mut w, &properties, OutGeometry::LineString(coords))?;
    }
    for f in found {
        let properties = json!({
            "kind": "found",
            "layer": f.layer,
            "id": f.id,
            "river_km": f.river_km,
            "travel_h": f.travel_h,
            "district": f.district,
            "province": f.province,
            "reach_id": f.reach,
        });
        put(&mut w, &properties, OutGeometry::Point([f.lon, f.lat]))?;
    }
    for c in crossings {
        let properties = json!({
            "kind": "crossing",
            "river_km": c.river_km,
            "upstream_district": c.upstream_district,
            "downstream_district": c.downstream_district,
            "upstream_province": c.upstream_province,
            "downstream_province": c.downstream_province,
            "reach_id": c.reach,
        });
        put(&mut w, &properties, OutGeometry::Point([c.lon, c.lat]))?;
    }
    w.write_all(b"]}")
}
