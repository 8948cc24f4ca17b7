//! Who is responsible for a place: the district whose polygon contains it and that district's
//! enforcement team (or the city corps outside every district team's area).

use crate::{Layer, LayerIndex, LayerKind, Project};
use geo::Point;

/// The district and team answerable for a point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Responsibility {
    pub district_code: String,
    pub district_name: String,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
}

/// Point-in-district lookup with the team roster, built once per project.
pub struct Jurisdiction {
    districts: Vec<(Layer, LayerIndex)>,
    teams: Option<Layer>,
}

impl Jurisdiction {
    /// Uses every districts layer of the project (Chongqing's first, then neighbours) and the
    /// `teams` layer when present.
    pub fn new(project: &Project) -> Self {
        let districts = project
            .layers
            .iter()
            .filter(|l| l.layer.kind == LayerKind::Districts)
            .map(|l| (l.layer.clone(), LayerIndex::build(&l.layer)))
            .collect();
        let teams = project.layer_by_name("teams").map(|l| l.layer.clone());
        Self { districts, teams }
    }

    /// The district containing `point` and its team; `None` outside every district.
    pub fn at(&self, point: Point<f64>) -> Option<Responsibility> {
        let (layer, i) = self.districts.iter().find_map(|(layer, index)| {
            let hit = index.identify(layer, point, 0.0).into_iter().next()?;
            Some((layer, hit))
        })?;
        let district_code = layer.value(i, "adcode").to_string();
        let district_name = layer.value(i, "name").to_string();
        let team = self.teams.as_ref().and_then(|teams| {
            let t = (0..teams.features.len())
                .find(|&t| teams.value(t, "district_code").to_string() == district_code)?;
            Some((
                teams.value(t, "team_id").to_string(),
                teams.value(t, "name").to_string(),
            ))
        });
        Some(Responsibility {
            district_code,
            district_name,
            team_id: team.as_ref().map(|t| t.0.clone()),
            team_name: team.map(|t| t.1),
        })
    }
}
