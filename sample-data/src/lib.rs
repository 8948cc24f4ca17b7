//! # yitu-sample-data
//!
//! The embedded default Chongqing project. Real: district boundaries of Chongqing and Sichuan,
//! rivers (named and oriented downstream). Synthetic, deterministic: pollution sources in
//! industrial parks, outfalls on the banks, national river sections, teams and inspectors.
//! See `sample-data/README.md` for sources and licences.

pub mod embedded;
pub mod generate;
mod styles;

use geo::{Geometry, Point};
use yitu_layers::registry::{River, layer_from_records};
use yitu_layers::{Bookmark, Layer, LayerKind, Project, ProjectLayer};

use crate::embedded::{CHONGQING_DISTRICTS, RIVERS, SICHUAN_DISTRICTS, features};
use crate::generate::{DistrictArea, RiverLine};

/// How big a registry to generate.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub sources: usize,
    pub outfalls: usize,
    pub sections: usize,
    /// Inspectors per team (each team gets 0–3 more).
    pub inspectors_per_team: usize,
}

impl Size {
    /// The default project: a realistic sample of the city's registry.
    pub const SAMPLE: Self = Self {
        sources: 6_000,
        outfalls: 600,
        sections: 42,
        inspectors_per_team: 8,
    };
    /// The city-scale registry used by benchmarks (≥ 70,000 sources).
    pub const CITY: Self = Self {
        sources: 70_000,
        outfalls: 2_500,
        sections: 42,
        inspectors_per_team: 15,
    };
}

const SEED: u64 = 2026;

/// A point as an optional feature geometry (registries always have one).
fn point<T>((p, record): (Point<f64>, T)) -> (Option<Geometry<f64>>, T) {
    (Some(p.into()), record)
}

/// The embedded default Chongqing project.
pub fn chongqing_project() -> Project {
    project_of_size("重庆市生态环境执法一张图", Size::SAMPLE)
}

/// The city-scale project for benchmarks.
pub fn city_scale_project() -> Project {
    project_of_size("重庆市 (全市规模)", Size::CITY)
}

/// A project with the real map and a generated registry of `size`.
pub fn project_of_size(name: &str, size: Size) -> Project {
    let cq_raw = features(CHONGQING_DISTRICTS);
    let sc_raw = features(SICHUAN_DISTRICTS);
    let cq: Vec<DistrictArea> = cq_raw.iter().map(DistrictArea::from_raw).collect();
    let sc: Vec<DistrictArea> = sc_raw.iter().map(DistrictArea::from_raw).collect();
    let river_raw = features(RIVERS);

    let districts = |areas: &[DistrictArea], name: &str, province: &str| {
        layer_from_records(
            name,
            LayerKind::Districts,
            areas.iter().enumerate().map(|(i, d)| {
                (
                    Some(d.shape.clone()),
                    generate::district_record(d, province, SEED + i as u64),
                )
            }),
        )
    };
    let rivers = layer_from_records(
        "rivers",
        LayerKind::Rivers,
        river_raw.iter().map(|f| {
            (
                Some(f.geometry.clone()),
                River {
                    id: f.text("id"),
                    name: f.text("name"),
                    name_en: f.text("name_en"),
                    wdbii_level: f.text("wdbii_level").parse().unwrap_or_default(),
                },
            )
        }),
    );
    let named: Vec<RiverLine<'_>> = river_raw
        .iter()
        .filter(|f| !f.text("name").starts_with("支流"))
        .filter_map(|f| match &f.geometry {
            Geometry::LineString(line) => Some(RiverLine {
                name: f
                    .properties
                    .get("name")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default(),
                line,
            }),
            _ => None,
        })
        .collect();
    let sources = generate::pollution_sources(&cq, size.sources, SEED);
    let outfalls = generate::outfalls(&named, &cq, size.outfalls, SEED + 1);
    let sections = generate::river_sections(&named, &cq, size.sections, SEED + 2);
    let (teams, inspectors) =
        generate::teams_and_inspectors(&cq, size.inspectors_per_team, SEED + 3);

    let layers: Vec<Layer> = vec![
        districts(&cq, "districts", "重庆市"),
        districts(&sc, "sichuan_districts", "四川省"),
        rivers,
        layer_from_records(
            "river_sections",
            LayerKind::RiverSections,
            sections.into_iter().map(point),
        ),
        layer_from_records(
            "outfalls",
            LayerKind::Outfalls,
            outfalls.into_iter().map(point),
        ),
        layer_from_records(
            "pollution_sources",
            LayerKind::PollutionSources,
            sources.into_iter().map(point),
        ),
        layer_from_records("teams", LayerKind::Other, teams.into_iter().map(point)),
        layer_from_records(
            "inspectors",
            LayerKind::Other,
            inspectors.into_iter().map(|r| (None, r)),
        ),
    ];
    Project {
        name: name.to_owned(),
        layers: layers
            .into_iter()
            .map(|layer| {
                let style = styles::default_style(&layer);
                ProjectLayer { layer, style }
            })
            .collect(),
        bookmarks: vec![
            Bookmark {
                name: "全市".into(),
                lon: 107.75,
                lat: 30.05,
                zoom: 7.6,
            },
            Bookmark {
                name: "主城区".into(),
                lon: 106.55,
                lat: 29.57,
                zoom: 10.5,
            },
            Bookmark {
                name: "两江交汇".into(),
                lon: 106.585,
                lat: 29.565,
                zoom: 13.5,
            },
            Bookmark {
                name: "川渝界".into(),
                lon: 105.9,
                lat: 30.0,
                zoom: 8.5,
            },
        ],
        rasters: Vec::new(),
        stories: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_project_has_the_promised_registry_sizes() {
        let p = chongqing_project();
        let count = |k| p.layer(k).map_or(0, |l| l.features.len());
        assert_eq!(count(LayerKind::Districts), 38);
        assert!(count(LayerKind::PollutionSources) >= 5_000);
        assert!(count(LayerKind::Outfalls) >= 500);
        assert_eq!(count(LayerKind::RiverSections), 42);
        let teams = p
            .layer_by_name("teams")
            .map_or(0, |l| l.layer.features.len());
        let inspectors = p
            .layer_by_name("inspectors")
            .map_or(0, |l| l.layer.features.len());
        assert_eq!(teams, 40);
        assert!(inspectors >= 300, "{inspectors}");
    }

    #[test]
    fn generation_is_deterministic() {
        let small = Size {
            sources: 200,
            outfalls: 20,
            sections: 5,
            inspectors_per_team: 2,
        };
        assert_eq!(project_of_size("a", small), project_of_size("a", small));
    }
}
