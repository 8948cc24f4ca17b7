//! Inspection results recorded on the desk count at once: a draw and a route plan as Yitu
//! makes them (results empty) give "inspected" and "done" as numbers from the start, and each
//! recorded inspection moves one firm from "left" to "inspected".

use yitu_command::indicators::{Indicators, compute};
use yitu_command::tables::{DRAW, STOPS, Tables};
use yitu_layers::inspection::{DONE, FINDING, Finding, INSPECTED, Which, is_recorded, record};
use yitu_layers::{AttrValue, Feature, Layer, LayerKind};

fn layer(name: &str, fields: &[&str], rows: &[Vec<&str>]) -> Layer {
    let mut l = Layer::new(
        name,
        LayerKind::Other,
        fields.iter().map(|f| (*f).to_owned()).collect(),
    );
    for r in rows {
        l.features.push(Feature {
            geometry: None,
            values: r.iter().map(|v| AttrValue::Text((*v).to_owned())).collect(),
        });
    }
    l
}

fn value(ind: &Indicators, id: &str) -> Option<f64> {
    ind.indicators
        .iter()
        .find(|i| i.id == id && i.district.is_none())
        .and_then(|i| i.value)
}

#[test]
fn recorded_inspections_move_firms_from_left_to_inspected() {
    let firms = ["f1", "f2", "f3"];
    let mut draw = layer(
        DRAW,
        &[
            "source_id",
            "district",
            "kind",
            "date",
            INSPECTED,
            "inspected_on",
            FINDING,
        ],
        &firms
            .iter()
            .map(|f| vec![*f, "500103", "random", "2026-10-01", "", "", ""])
            .collect::<Vec<_>>(),
    );
    let mut stops = layer(
        STOPS,
        &["source_id", "team", "day", DONE, "done_on"],
        &firms
            .iter()
            .map(|f| vec![*f, "t1", "1", "", ""])
            .collect::<Vec<_>>(),
    );
    let count_until = |draw: &Layer, stops: &Layer, until: Option<&str>| {
        let until = until.and_then(yitu_core::calendar::parse_date);
        compute(&Tables::from_layers(&[draw, stops]), until, false)
    };
    let count = |draw: &Layer, stops: &Layer| count_until(draw, stops, None);
    let before = count(&draw, &stops);
    assert_eq!(value(&before, "inspected"), Some(0.0));
    assert_eq!(value(&before, "left"), Some(3.0));
    assert_eq!(value(&before, "inspections_planned"), Some(3.0));
    assert_eq!(value(&before, "inspections_done"), Some(0.0));

    // Without a draw the firms' indicators say so, not that results were not recorded.
    let no_draw = compute(&Tables::from_layers(&[&stops]), None, false);
    for id in ["inspected", "left"] {
        let i = no_draw
            .indicators
            .iter()
            .find(|i| i.id == id && i.district.is_none());
        assert_eq!(
            i.and_then(|i| i.missing.as_deref()),
            Some("no draw this period"),
            "{id}"
        );
    }

    let day = "2026-10-02";
    assert_eq!(
        record(&mut draw, Which::Draw, "f2", Finding::None, day).len(),
        3
    );
    assert_eq!(
        record(&mut stops, Which::Stops, "f2", Finding::None, day).len(),
        2
    );
    // Only that firm's rows, with the day and the finding.
    assert!(!is_recorded(&draw, 0) && is_recorded(&draw, 1) && !is_recorded(&draw, 2));
    assert_eq!(draw.value(1, FINDING).to_string(), "none");
    assert_eq!(draw.value(1, "inspected_on").to_string(), day);
    assert!(is_recorded(&stops, 1) && !is_recorded(&stops, 0));
    assert_eq!(stops.value(1, "done_on").to_string(), day);
    assert!(record(&mut draw, Which::Draw, "nobody", Finding::None, day).is_empty());
    let after = count(&draw, &stops);
    assert_eq!(value(&after, "inspected"), Some(1.0));
    assert_eq!(value(&after, "left"), Some(2.0));
    assert_eq!(value(&after, "inspections_done"), Some(1.0));
    // The time slider: on the day of the draw nothing was inspected yet, the next day one.
    let on_draw_day = count_until(&draw, &stops, Some("2026-10-01"));
    assert_eq!(value(&on_draw_day, "inspected"), Some(0.0));
    assert_eq!(value(&on_draw_day, "left"), Some(3.0));
    assert_eq!(value(&on_draw_day, "inspections_done"), Some(0.0));
    let next_day = count_until(&draw, &stops, Some(day));
    assert_eq!(value(&next_day, "inspected"), Some(1.0));
    assert_eq!(value(&next_day, "left"), Some(2.0));
    assert_eq!(value(&next_day, "inspections_done"), Some(1.0));
}
