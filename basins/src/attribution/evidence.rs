//! A candidate's evidence read from the project's layers: a firm's industry and status, an
//! outfall's type and status, detections (unregistered, or at a closed outfall or a stopped
//! firm) and monitoring anomalies at the same firm.

use rustc_hash::{FxHashMap, FxHashSet};
use yitu_layers::Layer;

use super::{Evidence, Standing, parse_time};
use crate::found::Found;

/// The layers evidence comes from, with their rows by id.
#[derive(Default)]
pub struct Registry<'a> {
    sources: Option<(&'a Layer, FxHashMap<String, usize>)>,
    outfalls: Option<(&'a Layer, FxHashMap<String, usize>)>,
    detections: Option<(&'a Layer, FxHashMap<String, usize>)>,
    /// Anomalies by firm: (start, end, parameter code).
    anomalies: FxHashMap<String, Vec<(f64, f64, Option<String>)>>,
    /// Detections at a firm or an outfall: (capture hour if known, whether a breach).
    seen: FxHashMap<String, Vec<Option<f64>>>,
    monitored: FxHashSet<String>,
}

fn by_id(layer: &Layer) -> FxHashMap<String, usize> {
    (0..layer.features.len())
        .map(|i| (layer.value(i, "id").to_string(), i))
        .collect()
}

/// A detection's capture time, when its row has one.
fn captured(layer: &Layer, i: usize) -> Option<f64> {
    layer
        .text(i, &["captured_at", "capture_time", "time"])
        .and_then(|t| parse_time(&t).ok())
}

impl<'a> Registry<'a> {
    /// The layers of a project or of the files given; any may be missing.
    pub fn new(
        sources: Option<&'a Layer>,
        outfalls: Option<&'a Layer>,
        detections: Option<&'a Layer>,
        anomalies: Option<&'a Layer>,
    ) -> Self {
        let mut r = Self {
            sources: sources.map(|l| (l, by_id(l))),
            outfalls: outfalls.map(|l| (l, by_id(l))),
            detections: detections.map(|l| (l, by_id(l))),
            ..Self::default()
        };
        if let Some(s) = sources {
            for i in 0..s.features.len() {
                if s.text(i, &["mn"]).is_some() {
                    r.monitored.insert(s.value(i, "id").to_string());
                }
            }
        }
        if let Some(a) = anomalies {
            for i in 0..a.features.len() {
                if a.text(i, &["review"]).as_deref() == Some("dismissed") {
                    continue;
                }
                let Some(firm) = a.text(i, &["source_id"]) else {
                    continue;
                };
                let (Some(start), Some(end)) = (
                    a.text(i, &["start"]).and_then(|t| parse_time(&t).ok()),
                    a.text(i, &["end"]).and_then(|t| parse_time(&t).ok()),
                ) else {
                    continue;
                };
                r.monitored.insert(firm.clone());
                r.anomalies
                    .entry(firm)
                    .or_default()
                    .push((start, end, a.text(i, &["code"])));
            }
        }
        if let Some(d) = detections {
            for i in 0..d.features.len() {
                if d.text(i, &["review"]).as_deref() == Some("dismissed") {
                    continue;
                }
                for key in ["source_id", "nearest_outfall_id"] {
                    if let Some(id) = d.text(i, &[key]) {
                        r.seen.entry(id).or_default().push(captured(d, i));
                    }
                }
            }
        }
        r
    }

    /// From layers looked up by the name `yitu trace` gives them.
    pub fn by_name(layer: impl Fn(&str) -> Option<&'a Layer>) -> Self {
        Self::new(
            layer("sources"),
            layer("outfalls"),
            layer("detections"),
            layer("anomalies"),
        )
    }

    /// What is known of a found feature.
    pub fn evidence(&self, found: &Found) -> Evidence {
        let id = &found.id;
        let row = |layer: &Option<(&'a Layer, FxHashMap<String, usize>)>| {
            layer
                .as_ref()
                .and_then(|(l, ids)| Some((*l, *ids.get(id)?)))
        };
        let seen = self.seen.get(id);
        let mut ev = Evidence {
            emits: None,
            standing: Standing::Unknown,
            seen_h: seen
                .map(|s| s.iter().flatten().copied().collect())
                .unwrap_or_default(),
            anomalies: self.anomalies.get(id).cloned().unwrap_or_default(),
            monitored: self.monitored.contains(id),
        };
        let closed = |status: Option<String>| {
            matches!(status.as_deref(), Some("closed" | "banned" | "stopped"))
        };
        match found.layer.as_str() {
            "sources" => {
                if let Some((l, i)) = row(&self.sources) {
                    ev.emits = l.text(i, &["industry"]);
                    ev.standing = if closed(l.text(i, &["status"])) {
                        Standing::Closed
                    } else {
                        Standing::Registered
                    };
                }
            }
            "outfalls" => {
                if let Some((l, i)) = row(&self.outfalls) {
                    ev.emits = l.text(i, &["outfall_type", "type"]);
                    ev.standing = if closed(l.text(i, &["status"])) {
                        Standing::Closed
                    } else {
                        Standing::Registered
                    };
                }
            }
            "detections" => {
                if let Some((l, i)) = row(&self.detections) {
                    ev.standing = match l.text(i, &["status"]).as_deref() {
                        Some("unregistered_suspect" | "unregistered_hotspot") => {
                            Standing::Unregistered
                        }
                        Some("registered_closed_discharging" | "facility_active_during_stop") => {
                            Standing::ClosedDischarging
                        }
                        Some(_) => Standing::Registered,
                        None => Standing::Unknown,
                    };
                    ev.seen_h.extend(captured(l, i));
                }
            }
            _ => {}
        }
        if ev.standing == Standing::Closed && seen.is_some() {
            ev.standing = Standing::ClosedDischarging;
        }
        ev
    }
}
