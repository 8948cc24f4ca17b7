//! Who is responsible for a place: the district whose polygon contains it and that district's
//! enforcement team (or the city corps outside every district team's area).

use geo::Point;
use yitu_layers::{Layer, LayerIndex, LayerKind, Project};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jiefangbei_is_in_yuzhong_with_its_team() {
        let project = yitu_sample_data::chongqing_project();
        let j = Jurisdiction::new(&project);
        let r = j.at(Point::new(106.5774, 29.5577)).unwrap();
        assert_eq!(r.district_code, "500103");
        assert_eq!(r.district_name, "渝中区");
        assert!(r.team_name.unwrap().starts_with("渝中区"));
    }

    #[test]
    fn chengdu_is_in_sichuan_without_a_chongqing_team() {
        let project = yitu_sample_data::chongqing_project();
        let r = Jurisdiction::new(&project)
            .at(Point::new(104.07, 30.66))
            .unwrap();
        assert!(r.district_code.starts_with("5101"), "{r:?}");
        assert_eq!(r.team_id, None);
    }

    #[test]
    fn the_sea_has_no_district() {
        let project = yitu_sample_data::chongqing_project();
        assert_eq!(
            Jurisdiction::new(&project).at(Point::new(122.0, 25.0)),
            None
        );
    }
}
