//! The built-in overview story of a project: the city, the central districts, the latest
//! detections and the current draw's routes, each step with its view, layers and indicators.

use geo::BoundingRect;
use yitu_layers::{Bookmark, Layer, Story, StoryStep};

use crate::tables::Tables;

/// Indicators shown on each step.
const CITY: [&str; 5] = [
    "sources",
    "transmission_rate",
    "open_anomalies",
    "detections_awaiting",
    "drawn",
];
const DETECTIONS: [&str; 4] = [
    "detections",
    "detections_confirmed",
    "detections_dismissed",
    "detections_awaiting",
];
const DRAW_INDICATORS: [&str; 5] = [
    "drawn",
    "targeted",
    "inspections_planned",
    "inspected",
    "left",
];

/// The view that shows a set of layers whole, when they have features.
fn view_of<'a>(name: &str, layers: impl Iterator<Item = &'a Layer>) -> Option<Bookmark> {
    let rects = layers.flat_map(|l| {
        l.features
            .iter()
            .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
    });
    let r = yitu_layers::layer::union_bbox(rects)?;
    let c = r.center();
    let span = r.width().max(r.height()).max(0.01);
    Some(Bookmark {
        name: name.to_owned(),
        lon: c.x,
        lat: c.y,
        zoom: ((360.0 / span).log2() - 1.0).clamp(4.0, 15.0),
    })
}

fn bookmark(bookmarks: &[Bookmark], name: &str, or: Bookmark) -> Bookmark {
    bookmarks
        .iter()
        .find(|b| b.name == name)
        .cloned()
        .unwrap_or(or)
}

/// A step showing `theme` by district.
trait WithTheme {
    fn with_theme(self, theme: &str) -> Self;
}

impl WithTheme for StoryStep {
    fn with_theme(mut self, theme: &str) -> Self {
        self.theme = Some(theme.to_owned());
        self
    }
}

fn step(caption: String, view: Bookmark, indicators: &[&str]) -> StoryStep {
    StoryStep {
        caption,
        view,
        layers: None,
        time: None,
        indicators: indicators.iter().map(|s| (*s).to_owned()).collect(),
        district: None,
        theme: None,
        marks: Vec::new(),
    }
}

/// The overview story of the tables' project with its bookmarks, captions in Chinese when
/// `zh`.
pub fn story(t: &Tables, bookmarks: &[Bookmark], zh: bool) -> Story {
    let say = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    let city = bookmark(
        bookmarks,
        "全市",
        Bookmark {
            name: "全市".to_owned(),
            lon: 107.75,
            lat: 30.05,
            zoom: 7.6,
        },
    );
    let centre = bookmark(
        bookmarks,
        "主城区",
        Bookmark {
            name: "主城区".to_owned(),
            lon: 106.55,
            lat: 29.57,
            zoom: 10.5,
        },
    );
    let detections: usize = t.detections.iter().map(|l| l.features.len()).sum();
    let latest =
        view_of("detections", t.detections.iter().copied()).unwrap_or_else(|| centre.clone());
    let draw_layers = || t.draw.into_iter().chain(t.stops);
    let tasks = t.draw.map_or(0, |d| d.features.len());
    let draw_view = view_of("draw", draw_layers()).unwrap_or_else(|| city.clone());
    Story {
        name: say("总览".to_owned(), "Overview".to_owned()),
        steps: vec![
            step(
                say(
                    format!(
                        "全市 · {} 个登记污染源",
                        t.sources.map_or(0, |s| s.features.len())
                    ),
                    format!(
                        "The city · {} registered sources",
                        t.sources.map_or(0, |s| s.features.len())
                    ),
                ),
                city,
                &CITY,
            )
            .with_theme("sources"),
            step(
                say("中心城区".to_owned(), "The central districts".to_owned()),
                centre,
                &CITY,
            ),
            step(
                if detections == 0 {
                    say(
                        "最新疑点 · 暂无".to_owned(),
                        "The latest detections · none yet".to_owned(),
                    )
                } else {
                    say(
                        format!("最新疑点 · {detections} 处"),
                        format!("The latest detections · {detections}"),
                    )
                },
                latest,
                &DETECTIONS,
            ),
            step(
                if tasks == 0 {
                    say(
                        "本期抽查与路线 · 尚未抽查".to_owned(),
                        "This draw and its routes · no draw yet".to_owned(),
                    )
                } else {
                    say(
                        format!("本期抽查与路线 · {tasks} 项任务"),
                        format!("This draw and its routes · {tasks} tasks"),
                    )
                },
                draw_view,
                &DRAW_INDICATORS,
            ),
        ],
    }
}
