//! Time over the project's dated layers: the days they span, for the time slider, and whether
//! a row is shown at a given day.

use yitu_layers::Layer;

use crate::tables::{Tables, day};

/// The date fields of each kind of dated row.
pub const DATE_FIELDS: [&str; 5] = ["captured_at", "capture_time", "start", "date", "time"];

/// First and last day (days since 1970) of every dated row of the tables' dated layers.
pub fn span(t: &Tables) -> Option<(i64, i64)> {
    let layers = t
        .detections
        .iter()
        .copied()
        .chain(t.anomalies)
        .chain(t.draw)
        .chain(t.stops);
    layer_days(layers).fold(None, |acc, d| {
        Some(acc.map_or((d, d), |(a, b): (i64, i64)| (a.min(d), b.max(d))))
    })
}

fn layer_days<'a>(layers: impl Iterator<Item = &'a Layer>) -> impl Iterator<Item = i64> {
    layers.flat_map(|l| (0..l.features.len()).filter_map(move |i| day(l, i, &DATE_FIELDS)))
}

/// Per feature of a layer, whether it shows at `until`: rows dated after it are hidden,
/// undated rows always show. `None` when the layer has no dated row (nothing to hide).
pub fn shown(layer: &Layer, until: i64) -> Option<Vec<bool>> {
    let days: Vec<Option<i64>> = (0..layer.features.len())
        .map(|i| day(layer, i, &DATE_FIELDS))
        .collect();
    days.iter()
        .any(Option::is_some)
        .then(|| days.iter().map(|d| d.is_none_or(|d| d <= until)).collect())
}
