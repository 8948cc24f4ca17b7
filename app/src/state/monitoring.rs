//! 非现场执法 in the app: a folder of monitoring files analysed for the open project's firms,
//! its anomalies as a layer (reviewed like detections, saved with the project), the firms'
//! monitoring points coloured by their worst open anomaly, and an anomaly's evidence written.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use geo::Centroid;
use yitu_layers::{AttrValue, Feature, Layer, LayerKind, LayerStyle, ProjectLayer};
use yitu_monitoring::context::{Context, Source};
use yitu_monitoring::files::{self, Loader};
use yitu_monitoring::power::Power;
use yitu_monitoring::report::{Anomaly, Kind, Report};
use yitu_monitoring::rules::{Span, analyse};
use yitu_monitoring::series::Monitoring;
use yitu_monitoring::time::Stamp;

use super::LoadedProject;
use crate::jobs::Progress;

/// The name a run is kept under inside the project file.
const KEPT_AS: &str = "monitoring";

/// `run` as the archive a project keeps.
fn archive(run: &MonitoringRun) -> Vec<u8> {
    let meta = serde_json::json!({
        "folder": run.folder,
        "data_files": run.data_files,
    });
    yitu_monitoring::archive::encode(&run.data, &run.power, &run.context, &meta)
}

/// The run an archive holds, judged again; `origin` names where it was kept.
fn unarchive(bytes: &[u8], origin: &str) -> anyhow::Result<MonitoringRun> {
    let kept = yitu_monitoring::archive::decode(bytes)
        .with_context(|| format!("the monitoring data kept in {origin}"))?;
    let folder: PathBuf = serde_json::from_value(kept.meta["folder"].clone()).unwrap_or_default();
    let data_files: Vec<PathBuf> =
        serde_json::from_value(kept.meta["data_files"].clone()).unwrap_or_default();
    let (points, anomalies) = match kept.data.hour_span() {
        Some((from, to)) => analyse(&kept.data, &kept.power, &kept.context, Span { from, to }),
        None => (Vec::new(), Vec::new()),
    };
    Ok(MonitoringRun {
        folder,
        data_files,
        report: Report {
            points,
            anomalies,
            rejected: Vec::new(),
        },
        data: kept.data,
        power: kept.power,
        context: kept.context,
    })
}

/// Keeps `run` inside the project file at `path` (after a save: the file is rewritten).
pub fn keep(run: &MonitoringRun, path: &Path) -> anyhow::Result<()> {
    yitu_layers::blobs::write_blob(path, KEPT_AS, &archive(run))?;
    Ok(())
}

/// The run kept in the project file at `path`, judged again; `None` if it keeps none.
pub fn restore(path: &Path) -> anyhow::Result<Option<MonitoringRun>> {
    yitu_layers::blobs::read_blob(path, KEPT_AS)?
        .map(|bytes| unarchive(&bytes, &path.display().to_string()))
        .transpose()
}

/// Keeps `run` in the shared store at `url`, for every desk (the city's right).
pub fn keep_in_store(run: &MonitoringRun, url: &str) -> anyhow::Result<()> {
    let mut client = yitu_store::connect(url)?;
    yitu_store::blobs::put(&mut client, KEPT_AS, &archive(run))?;
    Ok(())
}

/// The run kept in the shared store, judged again; `None` if it keeps none.
pub fn restore_from_store(client: &mut postgres::Client) -> anyhow::Result<Option<MonitoringRun>> {
    yitu_store::blobs::get(client, KEPT_AS)?
        .map(|bytes| unarchive(&bytes, "the shared store"))
        .transpose()
}

/// The layer of anomalies (one row each, with its review).
pub const ANOMALIES_LAYER: &str = "monitoring_anomalies";
/// The layer of monitored firms, coloured by their worst open anomaly.
pub const POINTS_LAYER: &str = "monitoring_points";

/// An analysed folder: the report, the data it was made from (for the timeline) and where it
/// came from (for the raw packets of an anomaly's evidence).
pub struct MonitoringRun {
    pub folder: PathBuf,
    pub data_files: Vec<PathBuf>,
    pub report: Report,
    pub data: Monitoring,
    pub power: Power,
    pub context: Context,
}

/// The firms of a sources layer: `id` (or `source_id`), `category`, `district` (or
/// `district_code`, `adcode`) and `mn` (several separated by `;`), where present.
pub fn sources_of(layer: &Layer) -> Vec<Source> {
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| layer.fields.iter().position(|f| f.eq_ignore_ascii_case(n)))
    };
    let Some(id) = field(&["id", "source_id"]) else {
        return Vec::new();
    };
    let (category, district, mn) = (
        field(&["category"]),
        field(&["district", "district_code", "adcode"]),
        field(&["mn"]),
    );
    let text = |f: &Feature, k: Option<usize>| {
        k.map(|k| f.values[k].to_string())
            .filter(|s| !s.trim().is_empty())
    };
    layer
        .features
        .iter()
        .filter_map(|f| {
            Some(Source {
                id: text(f, Some(id))?,
                category: text(f, category),
                district: text(f, district),
                mns: text(f, mn)
                    .map(|m| m.split([';', ',']).map(|s| s.trim().to_owned()).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Analyses the monitoring files of `folder` for the firms of `sources`: every `*.log` and
/// `data*.csv` as data; `meters.csv`, `periods.csv`, `events.csv`, `limits.csv` and
/// `mn-map.csv` where present. The whole data span is judged. Runs on a job thread.
pub fn analyse_folder(
    folder: &Path,
    sources: &Layer,
    progress: &Progress,
) -> anyhow::Result<MonitoringRun> {
    progress.set(0.05, "reading");
    let entries =
        std::fs::read_dir(folder).with_context(|| format!("cannot read {}", folder.display()))?;
    let mut data_files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_lowercase();
            let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase());
            ext.as_deref() == Some("log")
                || (name.starts_with("data") && ext.as_deref() == Some("csv"))
        })
        .collect();
    data_files.sort();
    anyhow::ensure!(
        !data_files.is_empty(),
        "no monitoring data (*.log or data*.csv) in {}",
        folder.display()
    );
    let file = |name: &str| Some(folder.join(name)).filter(|p| p.is_file());
    let mut rejected = Vec::new();
    let context = files::context(
        sources_of(sources),
        &files::ContextFiles {
            mn_map: file("mn-map.csv"),
            limits: file("limits.csv"),
            periods: file("periods.csv"),
            events: file("events.csv"),
        },
        &mut rejected,
    )?;
    let mut loader = Loader::new(&context, Stamp::now());
    for (k, path) in data_files.iter().enumerate() {
        progress.check()?;
        progress.set(
            0.1 + 0.6 * k as f32 / data_files.len() as f32,
            &path.display().to_string(),
        );
        loader.data_file(path)?;
    }
    if let Some(path) = file("meters.csv") {
        progress.set(0.75, "meters");
        loader.meters_file(&path)?;
    }
    rejected.append(&mut loader.rejected);
    progress.check()?;
    progress.set(0.85, "rules");
    let span = loader
        .data
        .hour_span()
        .map(|(from, to)| Span { from, to })
        .context("no data loaded: every line was rejected")?;
    if let Some(problem) = span.problem() {
        anyhow::bail!("{}: {problem}", folder.display());
    }
    let power = loader.meters.finish();
    let (points, anomalies) = analyse(&loader.data, &power, &context, span);
    Ok(MonitoringRun {
        folder: folder.to_path_buf(),
        data_files,
        report: Report {
            points,
            anomalies,
            rejected,
        },
        data: loader.data,
        power,
        context,
    })
}

/// Where each firm of `sources` is (a polygon's centroid), by id.
fn positions(sources: &Layer) -> std::collections::HashMap<String, geo::Point<f64>> {
    let Some(id) = sources.field_index("id") else {
        return std::collections::HashMap::new();
    };
    sources
        .features
        .iter()
        .filter_map(|f| Some((f.values[id].to_string(), f.geometry.as_ref()?.centroid()?)))
        .collect()
}

/// The anomalies as a layer, one row each at its firm, with empty `review` and `note`.
pub fn anomalies_layer(report: &Report, sources: &Layer) -> Layer {
    let at = positions(sources);
    let fields = [
        "id",
        "kind",
        "source_id",
        "mn",
        "code",
        "start",
        "end",
        "value",
        "limit",
        "evidence",
        "review",
        "note",
    ];
    let mut layer = Layer::new(
        ANOMALIES_LAYER,
        LayerKind::Other,
        fields.iter().map(|f| (*f).to_owned()).collect(),
    );
    let text = |s: Option<&String>| s.map_or(AttrValue::Null, |s| AttrValue::Text(s.clone()));
    let real = |v: Option<f64>| v.map_or(AttrValue::Null, AttrValue::Real);
    for (k, a) in report.anomalies.iter().enumerate() {
        layer.features.push(Feature {
            geometry: a
                .source_id
                .as_ref()
                .and_then(|s| at.get(s))
                .map(|p| geo::Geometry::Point(*p)),
            values: vec![
                AttrValue::Text(format!("A{:04}", k + 1)),
                AttrValue::Text(a.kind.code().to_owned()),
                text(a.source_id.as_ref()),
                text(a.mn.as_ref()),
                text(a.code.as_ref()),
                AttrValue::Text(a.start.iso()),
                AttrValue::Text(a.end.iso()),
                real(a.value),
                real(a.limit),
                AttrValue::Text(a.evidence.to_string()),
                AttrValue::Text(String::new()),
                AttrValue::Text(String::new()),
            ],
        });
    }
    layer
}

/// The worse of two kinds, for the colour of a firm's point: what proves a breach first, what
/// hides one next, then what only degrades the data.
fn severity(kind: Kind) -> u8 {
    match kind {
        Kind::RunningWhileHalted => 8,
        Kind::TreatmentOff => 7,
        Kind::Exceedance => 6,
        Kind::ZeroWhileActive => 5,
        Kind::StepDrop => 4,
        Kind::Flatline => 3,
        Kind::FlaggedSpan => 2,
        Kind::LowTransmission => 1,
    }
}

/// One point per monitored firm, `worst` its worst anomaly not dismissed (`none` if it has
/// none), from the anomalies layer as reviewed.
pub fn points_layer(anomalies: &Layer, run: &MonitoringRun, sources: &Layer) -> Layer {
    let at = positions(sources);
    let mut layer = Layer::new(
        POINTS_LAYER,
        LayerKind::Other,
        vec![
            "source_id".into(),
            "worst".into(),
            "open".into(),
            "points".into(),
            "expected_h".into(),
            "valid_h".into(),
            "transmission_rate".into(),
        ],
    );
    for s in run
        .context
        .sources
        .iter()
        .filter(|s| s.mns.iter().any(|m| run.data.point(m).is_some()))
    {
        let open: Vec<Kind> = (0..anomalies.features.len())
            .filter(|&i| anomalies.value(i, "source_id").as_str() == Some(s.id.as_str()))
            .filter(|&i| anomalies.value(i, "review").as_str() != Some("dismissed"))
            .filter_map(|i| Kind::parse(anomalies.value(i, "kind").as_str()?))
            .collect();
        let worst = open.iter().copied().max_by_key(|k| severity(*k));
        // Transmission over every point and month of the firm.
        let months = run
            .report
            .points
            .iter()
            .filter(|p| p.source_id.as_deref() == Some(s.id.as_str()));
        let (expected, valid) = months.fold((0_i64, 0_i64), |(e, v), p| {
            (e + i64::from(p.expected), v + i64::from(p.valid))
        });
        let rate = if expected > 0 {
            AttrValue::Real(valid as f64 / expected as f64)
        } else {
            AttrValue::Null
        };
        layer.features.push(Feature {
            geometry: at.get(&s.id).map(|p| geo::Geometry::Point(*p)),
            values: vec![
                AttrValue::Text(s.id.clone()),
                AttrValue::Text(worst.map_or("none", Kind::code).to_owned()),
                AttrValue::Int(open.len() as i64),
                AttrValue::Text(s.mns.join(";")),
                AttrValue::Int(expected),
                AttrValue::Int(valid),
                rate,
            ],
        });
    }
    layer
}

impl LoadedProject {
    /// Puts a monitoring run on the map: its anomalies (kept with their reviews when the same
    /// anomaly was there before) and its firms' points by worst open anomaly.
    pub fn show_monitoring(&mut self, run: &MonitoringRun) {
        let Some(sources) = self.layer_of_kind(LayerKind::PollutionSources) else {
            return;
        };
        let mut layer = anomalies_layer(&run.report, &sources);
        if let Some(old) = self
            .layers
            .named(ANOMALIES_LAYER)
            .map(|l| l.data.layer.clone())
        {
            carry_reviews(&old, &mut layer);
        }
        let mut style = LayerStyle {
            size: 5.0,
            ..LayerStyle::default()
        };
        style.categorize(&layer, Some("kind"));
        self.put_layer(ProjectLayer { layer, style });
        self.refresh_monitoring_points(run);
    }

    /// The points layer again, after a review.
    pub fn refresh_monitoring_points(&mut self, run: &MonitoringRun) {
        let (Some(sources), Some(anomalies)) = (
            self.layer_of_kind(LayerKind::PollutionSources),
            self.layers
                .named(ANOMALIES_LAYER)
                .map(|l| l.data.layer.clone()),
        ) else {
            return;
        };
        let layer = points_layer(&anomalies, run, &sources);
        let mut style = LayerStyle {
            size: 7.0,
            ..LayerStyle::default()
        };
        style.categorize(&layer, Some("worst"));
        self.put_layer(ProjectLayer { layer, style });
    }

    fn layer_of_kind(&self, kind: LayerKind) -> Option<Layer> {
        self.layers
            .data()
            .find(|l| l.layer.kind == kind)
            .map(|l| l.layer.clone())
    }
}

/// Reviews of `old` copied onto the same anomalies of `new` (same kind, firm, point, code and
/// start).
fn carry_reviews(old: &Layer, new: &mut Layer) {
    let key = |l: &Layer, i: usize| {
        ["kind", "source_id", "mn", "code", "start"].map(|f| l.value(i, f).to_string())
    };
    for i in 0..new.features.len() {
        let k = key(new, i);
        if let Some(j) = (0..old.features.len()).find(|&j| key(old, j) == k) {
            for f in ["review", "note"] {
                let v = old.value(j, f).to_string();
                new.set_text(i, f, v);
            }
        }
    }
}

/// The anomaly of row `row` of the anomalies layer, as the report has it.
pub fn anomaly_of<'r>(run: &'r MonitoringRun, layer: &Layer, row: usize) -> Option<&'r Anomaly> {
    let key = ["kind", "source_id", "mn", "code", "start"].map(|f| layer.value(row, f).to_string());
    run.report.anomalies.iter().find(|a| {
        [
            a.kind.code().to_owned(),
            a.source_id.clone().unwrap_or_default(),
            a.mn.clone().unwrap_or_default(),
            a.code.clone().unwrap_or_default(),
            a.start.iso(),
        ] == key
    })
}

/// What monitoring asks of the next draw.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MonitoringChecks {
    /// Firms with a confirmed anomaly: a targeted check, with its reason.
    pub targeted: Vec<(String, String)>,
    /// Firms with an anomaly not dismissed: back in the draw even on the 正面清单.
    pub open: std::collections::BTreeSet<String>,
    /// Firms whose data was analysed: on the 正面清单 and with nothing open, checked remotely.
    pub monitored: std::collections::BTreeSet<String>,
}

impl MonitoringChecks {
    /// From the anomalies layer (as reviewed) and the monitored firms' layer.
    pub fn of(anomalies: Option<&Layer>, points: Option<&Layer>) -> Self {
        let mut checks = Self::default();
        if let Some(a) = anomalies {
            for i in 0..a.features.len() {
                let source = a.value(i, "source_id").to_string();
                if source.is_empty() {
                    continue;
                }
                match a.value(i, "review").as_str() {
                    Some("dismissed") => continue,
                    Some("confirmed") if !checks.targeted.iter().any(|(s, _)| *s == source) => {
                        let reason = format!(
                            "在线监控 monitoring: {} {} {}",
                            a.value(i, "kind"),
                            a.value(i, "code"),
                            a.value(i, "start")
                        );
                        checks.targeted.push((source.clone(), reason));
                    }
                    _ => {}
                }
                checks.open.insert(source);
            }
        }
        if let Some(p) = points {
            checks.monitored = (0..p.features.len())
                .map(|i| p.value(i, "source_id").to_string())
                .collect();
        }
        checks
    }
}
