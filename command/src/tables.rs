//! The project's layers an indicator reads, found by kind or by the name Yitu gives them, and
//! who answers for a row: its district, from its own field, its firm's, or the district
//! polygon it lies in.

use std::collections::HashMap;

use geo::{Centroid, Point};
use yitu_core::calendar::parse_date;
use yitu_layers::layer::is_detections_layer;
use yitu_layers::{Layer, LayerIndex, LayerKind, Project};

/// Names Yitu gives the layers made by its other parts.
pub const ANOMALIES: &str = "monitoring_anomalies";
pub const MONITORED: &str = "monitoring_points";
pub const DRAW: &str = "双随机抽查 Random draw";
pub const STOPS: &str = "检查站点 Stops";

/// The layers indicators are computed from.
pub struct Tables<'a> {
    pub sources: Option<&'a Layer>,
    pub detections: Vec<&'a Layer>,
    pub anomalies: Option<&'a Layer>,
    pub monitored: Option<&'a Layer>,
    pub draw: Option<&'a Layer>,
    pub stops: Option<&'a Layer>,
    pub teams: Option<&'a Layer>,
    districts: Vec<(&'a Layer, LayerIndex)>,
    /// Each firm's district, by `id`.
    firm_district: HashMap<String, String>,
    /// Each team's district, by `team_id`.
    team_district: HashMap<String, String>,
}

/// A row's day (days since 1970) from the first of `fields` it has.
pub fn day(layer: &Layer, i: usize, fields: &[&str]) -> Option<i64> {
    fields
        .iter()
        .find_map(|f| parse_date(&layer.text(i, &[*f])?))
}

impl<'a> Tables<'a> {
    pub fn new(project: &'a Project) -> Self {
        Self::from_layers(&project.layers.iter().map(|l| &l.layer).collect::<Vec<_>>())
    }

    /// From any set of layers (a project's, or the app's map layers).
    pub fn from_layers(layers: &[&'a Layer]) -> Self {
        let layers = || layers.iter().copied();
        let named = |name: &str| layers().find(|l| l.name == name);
        let sources = layers().find(|l| l.kind == LayerKind::PollutionSources);
        let teams = named("teams");
        let firm_district = sources
            .map(|s| {
                (0..s.features.len())
                    .filter_map(|i| {
                        Some((
                            s.text(i, &["id"])?,
                            s.text(i, &["district_code", "district"])?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let team_district = teams
            .map(|t| {
                (0..t.features.len())
                    .filter_map(|i| {
                        Some((t.text(i, &["team_id"])?, t.text(i, &["district_code"])?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            sources,
            detections: layers().filter(|l| is_detections_layer(l)).collect(),
            anomalies: named(ANOMALIES),
            monitored: named(MONITORED),
            draw: named(DRAW),
            stops: named(STOPS),
            teams,
            districts: layers()
                .filter(|l| l.kind == LayerKind::Districts)
                .map(|l| (l, LayerIndex::build(l)))
                .collect(),
            firm_district,
            team_district,
        }
    }

    /// The district of a firm, by its `id`.
    pub fn firm_district(&self, id: &str) -> Option<&str> {
        self.firm_district.get(id).map(String::as_str)
    }

    /// Whether any registered firm lies in the district.
    pub fn has_firms(&self, district: &str) -> bool {
        self.firm_district.values().any(|d| d == district)
    }

    /// The district of a team, by its `team_id`.
    pub fn team_district(&self, id: &str) -> Option<&str> {
        self.team_district.get(id).map(String::as_str)
    }

    /// The district of a row: its `district_code`/`district` field, else its firm's
    /// (`source_id`), else the district polygon its geometry's centre lies in.
    pub fn district_of(&self, layer: &Layer, i: usize) -> Option<String> {
        if let Some(d) = layer.text(i, &["district_code", "district"]) {
            return Some(d);
        }
        if let Some(d) = layer
            .text(i, &["source_id"])
            .and_then(|s| self.firm_district(&s).map(str::to_owned))
        {
            return Some(d);
        }
        let at: Point<f64> = layer.features.get(i)?.geometry.as_ref()?.centroid()?;
        self.districts.iter().find_map(|(l, index)| {
            let hit = *index.identify(l, at, 0.0).first()?;
            l.text(hit, &["adcode", "code", "name"])
        })
    }

    /// Every district code with its name, Chongqing's first.
    pub fn district_names(&self) -> Vec<(String, String)> {
        self.districts
            .iter()
            .flat_map(|(l, _)| {
                (0..l.features.len()).filter_map(move |i| {
                    Some((
                        l.text(i, &["adcode", "code"])?,
                        l.text(i, &["name"]).unwrap_or_default(),
                    ))
                })
            })
            .collect()
    }
}
