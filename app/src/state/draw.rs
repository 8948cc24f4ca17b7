//! The 双随机 draw for the app's jobs: on a snapshot of the project's sources and inspectors,
//! with nearby district pairs, and its publication.

use std::path::PathBuf;

use yitu_layers::ProjectLayer;

use super::LoadedProject;
use crate::jobs::Progress;

/// (else the project's inspectors).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawRequest {
    pub plan_toml: String,
    pub entropy: String,
    pub roster_csv: Option<PathBuf>,
}

/// A finished draw: its record, what it was drawn from, and its tasks as a layer.
pub struct DrawOutcome {
    pub record: yitu_draw::Record,
    pub inputs: yitu_draw::Inputs,
    pub layer: yitu_layers::Layer,
    /// District names by code, from the project's district layers, for showing the results.
    pub district_names: std::collections::BTreeMap<String, String>,
    /// 正面清单 firms checked remotely from their monitoring data instead of a visit.
    pub remote_checks: Vec<String>,
}

/// The project layers a draw reads, copied so that editing may go on while it runs.
pub struct DrawSnapshot {
    pub sources: yitu_layers::Layer,
    /// The `inspectors` and `teams` layers, when the project has them.
    pub roster: Option<(yitu_layers::Layer, yitu_layers::Layer)>,
    /// Every layer, for the confirmed detections that become targeted checks.
    pub detections: Vec<yitu_layers::Layer>,
    /// What monitoring asks of the draw (confirmed anomalies, firms back in it).
    pub monitoring: super::monitoring::MonitoringChecks,
    /// District names by code.
    pub district_names: std::collections::BTreeMap<String, String>,
}

impl LoadedProject {
    /// The folder `<project>_<what>` beside the saved project file, where exports go; `None`
    /// while the project has not been saved.
    pub fn folder_beside(&self, what: &str) -> Option<PathBuf> {
        let project = self.path.as_ref()?;
        let stem = project.file_stem().unwrap_or_default().to_string_lossy();
        Some(project.with_file_name(format!("{stem}_{what}")))
    }

    /// What a draw needs from the project; `None` without a pollution-source layer.
    pub fn draw_snapshot(&self) -> Option<DrawSnapshot> {
        let layers = || self.layers.data();
        let sources = layers()
            .find(|l| l.layer.kind == yitu_layers::LayerKind::PollutionSources)?
            .layer
            .clone();
        let named = |name: &str| self.layers.named(name).map(|l| l.data.layer.clone());
        Some(DrawSnapshot {
            sources,
            roster: named("inspectors").zip(named("teams")),
            detections: layers()
                .filter(|l| yitu_imagery::detect::targets::is_detections_layer(&l.layer))
                .map(|l| l.layer.clone())
                .collect(),
            monitoring: super::monitoring::MonitoringChecks::of(
                self.layers
                    .named(super::monitoring::ANOMALIES_LAYER)
                    .map(|l| &l.data.layer),
                self.layers
                    .named(super::monitoring::POINTS_LAYER)
                    .map(|l| &l.data.layer),
            ),
            district_names: layers()
                .filter(|l| l.layer.kind == yitu_layers::LayerKind::Districts)
                .flat_map(|l| {
                    (0..l.layer.features.len()).map(|k| {
                        (
                            l.layer.value(k, "adcode").to_string(),
                            l.layer.value(k, "name").to_string(),
                        )
                    })
                })
                .filter(|(code, _)| !code.is_empty())
                .collect(),
        })
    }
}

/// Runs the 双随机 draw on the project's sources: the plan, the roster from the CSV or the
/// project, and every confirmed detection on a registered source as a targeted check (not
/// drawn). Runs on a job thread.
pub fn draw(
    request: &DrawRequest,
    snapshot: &DrawSnapshot,
    progress: &Progress,
) -> anyhow::Result<DrawOutcome> {
    use anyhow::Context as _;
    use yitu_draw::plan::MustInclude;
    progress.set(0.1, "reading");
    let mut plan = yitu_draw::plan::Plan::parse(&request.plan_toml, "plan")?;
    let roster = roster_of(request.roster_csv.as_deref(), snapshot)?;
    let mut targets = yitu_draw::targets::from_layer(&snapshot.sources, &snapshot.sources.name)?;
    // An open anomaly puts a 正面清单 firm back into the draw; the rest of the list that is
    // monitored is checked remotely from its data.
    let checks = &snapshot.monitoring;
    let mut remote_checks = Vec::new();
    for t in targets.iter_mut().filter(|t| t.positive_list) {
        if checks.open.contains(&t.id) {
            t.positive_list = false;
        } else if checks.monitored.contains(&t.id) {
            remote_checks.push(t.id.clone());
        }
    }
    for (source_id, reason) in &checks.targeted {
        if !plan.must_include.iter().any(|m| m.source_id == *source_id) {
            plan.must_include.push(MustInclude {
                source_id: source_id.clone(),
                reason: reason.clone(),
            });
        }
    }
    for (_, t) in yitu_imagery::detect::targets::inspection_targets(&snapshot.detections) {
        if let Some(source_id) = t.source_id
            && !plan.must_include.iter().any(|m| m.source_id == source_id)
        {
            plan.must_include.push(MustInclude {
                source_id,
                reason: format!("{} ({})", t.reason, t.detection),
            });
        }
    }
    let inputs = yitu_draw::Inputs {
        targets,
        roster,
        plan,
    };
    progress.check()?;
    progress.set(0.4, "drawing");
    let record = yitu_draw::draw(&inputs, &request.entropy).context("the draw")?;
    let tasks = yitu_draw::publish::tasks(&record, &inputs);
    let layer = yitu_draw::publish::tasks_layer(&tasks, &snapshot.sources);
    Ok(DrawOutcome {
        record,
        inputs,
        layer,
        district_names: snapshot.district_names.clone(),
        remote_checks,
    })
}

/// The roster a draw reads: the CSV when one is given, else the project's inspectors.
fn roster_of(
    csv: Option<&std::path::Path>,
    snapshot: &DrawSnapshot,
) -> anyhow::Result<Vec<yitu_draw::roster::Inspector>> {
    use yitu_draw::roster;
    Ok(match (csv, &snapshot.roster) {
        (Some(csv), _) => roster::read_csv(csv)?,
        (None, Some((inspectors, teams))) => roster::from_project(inspectors, teams)?,
        (None, None) => anyhow::bail!("the project has no inspectors layer: give a roster CSV"),
    })
}

/// The plan `plan_toml` with its `[[pair]]`s replaced by nearby district pairs (see
/// `yitu_draw::pairing`), from the project's sources and the roster; and how many pairs.
pub fn with_nearby_pairs(
    plan_toml: &str,
    roster_csv: Option<&std::path::Path>,
    snapshot: &DrawSnapshot,
) -> anyhow::Result<(String, usize)> {
    let mut plan = yitu_draw::plan::Plan::parse(plan_toml, "plan")?;
    let roster = roster_of(roster_csv, snapshot)?;
    let targets = yitu_draw::targets::from_layer(&snapshot.sources, &snapshot.sources.name)?;
    plan.pairs = yitu_draw::pairing::nearby_pairs(&targets, &roster);
    Ok((plan.to_toml(), plan.pairs.len()))
}

/// Writes a draw's record (`draw.json`), announcement and task list into `dir`. Runs on a job
/// thread.
pub fn publish_draw(
    record: &yitu_draw::Record,
    inputs: &yitu_draw::Inputs,
    dir: &std::path::Path,
    progress: &Progress,
) -> anyhow::Result<PathBuf> {
    progress.set(0.2, "writing");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("draw.json"), serde_json::to_string_pretty(record)?)?;
    yitu_draw::publish::write(dir, record, inputs)?;
    Ok(dir.to_path_buf())
}

impl LoadedProject {
    /// Puts a draw's layer on the map, replacing the previous draw's, coloured by stratum.
    pub fn show_draw(&mut self, layer: yitu_layers::Layer) {
        let mut style = yitu_layers::LayerStyle {
            size: 5.0,
            ..Default::default()
        };
        style.categorize(&layer, Some("stratum_or_reason"));
        self.put_layer(ProjectLayer { layer, style });
    }
}
