//! The project the store's tests load: two districts side by side, two sources in each (by
//! their district field), an outfall in each (placed by its position), a river across both.

use geo::{Geometry, Point, Polygon, polygon};
use yitu_layers::{AttrValue, Feature, Layer, LayerKind, LayerStyle, Project, ProjectLayer};

fn square(x: f64, y: f64) -> Polygon<f64> {
    polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]
}

pub fn layer(
    name: &str,
    kind: LayerKind,
    fields: &[&str],
    rows: Vec<(Geometry<f64>, Vec<AttrValue>)>,
) -> ProjectLayer {
    let mut layer = Layer::new(name, kind, fields.iter().map(|f| (*f).to_owned()).collect());
    layer.features = rows
        .into_iter()
        .map(|(g, values)| Feature {
            geometry: Some(g),
            values,
        })
        .collect();
    ProjectLayer {
        layer,
        style: LayerStyle::default(),
    }
}

pub fn text(s: &str) -> AttrValue {
    AttrValue::Text(s.to_owned())
}

/// The test project.
pub fn project() -> Project {
    let districts = layer(
        "区县",
        LayerKind::Districts,
        &["adcode", "name"],
        vec![
            (
                square(106.0, 29.0).into(),
                vec![text("500101"), text("万州区")],
            ),
            (
                square(107.0, 29.0).into(),
                vec![text("500102"), text("涪陵区")],
            ),
        ],
    );
    let sources = layer(
        "污染源",
        LayerKind::PollutionSources,
        &["id", "name", "credit_code", "district_code", "staff"],
        vec![
            (
                Point::new(106.2, 29.5).into(),
                vec![
                    text("S1"),
                    text("甲厂"),
                    text("X1"),
                    text("500101"),
                    AttrValue::Int(12),
                ],
            ),
            (
                Point::new(106.7, 29.5).into(),
                vec![
                    text("S2"),
                    text("乙厂"),
                    text("X2"),
                    text("500101"),
                    AttrValue::Int(30),
                ],
            ),
            (
                Point::new(107.2, 29.5).into(),
                vec![
                    text("S3"),
                    text("丙厂"),
                    text("X3"),
                    text("500102"),
                    AttrValue::Null,
                ],
            ),
            (
                Point::new(107.7, 29.5).into(),
                vec![
                    text("S4"),
                    text("丁厂"),
                    text("X4"),
                    text("500102"),
                    AttrValue::Int(7),
                ],
            ),
        ],
    );
    let outfalls = layer(
        "排污口",
        LayerKind::Outfalls,
        &["id", "outfall_type"],
        vec![
            (
                Point::new(106.5, 29.1).into(),
                vec![text("P1"), text("industrial")],
            ),
            (
                Point::new(107.5, 29.1).into(),
                vec![text("P2"), text("domestic")],
            ),
        ],
    );
    let rivers = layer(
        "rivers",
        LayerKind::Rivers,
        &["name"],
        vec![(
            geo::LineString::from(vec![(106.0, 29.2), (108.0, 29.3)]).into(),
            vec![text("长江")],
        )],
    );
    Project {
        name: "test".into(),
        layers: vec![districts, sources, outfalls, rivers],
        bookmarks: Vec::new(),
        rasters: Vec::new(),
        stories: Vec::new(),
    }
}
