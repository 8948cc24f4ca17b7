//! What a draw hands out: the public announcement (公示, HTML and CSV: firm, district,
//! inspectors, date) and the task list for the mobile enforcement system (CSV and JSON).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use yitu_core::markup::{csv_table, html_escape};

use super::{DrawError, Inputs, Record};

/// One inspection to do, drawn or targeted.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Task {
    pub task_id: String,
    pub source_id: String,
    pub name: String,
    pub district: String,
    /// `random` (drawn, with its stratum) or `targeted` (with its reason).
    pub kind: &'static str,
    pub stratum_or_reason: String,
    pub inspectors: Vec<TaskInspector>,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TaskInspector {
    pub id: String,
    pub name: String,
}

/// The record's inspections as tasks: targeted first, then drawn, each by district and firm,
/// numbered in that order.
pub fn tasks(record: &Record, inputs: &Inputs) -> Vec<Task> {
    let firm_name = |id: &str| {
        inputs
            .targets
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .map(|k| inputs.targets[k].name.clone())
            .unwrap_or_default()
    };
    let people = |ids: &[String]| {
        ids.iter()
            .map(|id| TaskInspector {
                id: id.clone(),
                name: inputs
                    .roster
                    .binary_search_by(|i| i.id.as_str().cmp(id))
                    .map(|k| inputs.roster[k].name.clone())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let targeted = record.targeted.iter().map(|t| {
        (
            &t.source_id,
            &t.district,
            "targeted",
            &t.reason,
            &t.inspectors,
        )
    });
    let drawn = record.selected.iter().map(|s| {
        (
            &s.source_id,
            &s.district,
            "random",
            &s.stratum,
            &s.inspectors,
        )
    });
    let mut order: Vec<_> = targeted.chain(drawn).collect();
    // Targeted checks first, then by district and firm: the order a notice is read in.
    order.sort_by(|a, b| (a.2 != "targeted", a.1, a.0).cmp(&(b.2 != "targeted", b.1, b.0)));
    order
        .into_iter()
        .enumerate()
        .map(|(k, (id, district, kind, why, inspectors))| Task {
            task_id: format!("{}-{:04}", record.date, k + 1),
            source_id: id.clone(),
            name: firm_name(id),
            district: district.clone(),
            kind,
            stratum_or_reason: why.clone(),
            inspectors: people(inspectors),
            date: record.date.clone(),
        })
        .collect()
}

/// One CSV of the tasks (the announcement and the task list share it).
pub fn tasks_csv(tasks: &[Task]) -> String {
    let header = [
        "task_id",
        "source_id",
        "name",
        "district",
        "kind",
        "stratum_or_reason",
        "inspectors",
        "inspector_names",
        "date",
    ];
    csv_table(
        &header,
        tasks.iter().map(|t| {
            let ids: Vec<&str> = t.inspectors.iter().map(|i| i.id.as_str()).collect();
            let names: Vec<&str> = t.inspectors.iter().map(|i| i.name.as_str()).collect();
            [
                t.task_id.clone(),
                t.source_id.clone(),
                t.name.clone(),
                t.district.clone(),
                t.kind.to_owned(),
                t.stratum_or_reason.clone(),
                ids.join(";"),
                names.join(";"),
                t.date.clone(),
            ]
        }),
    )
}

/// The public announcement (公示) as a self-contained HTML page: the plan, the entropy, the
/// seed and input hashes anyone can check, and every inspection.
pub fn announcement_html(record: &Record, tasks: &[Task]) -> String {
    let e = |s: &str| html_escape(s);
    let mut rows = String::new();
    for t in tasks {
        let names: Vec<String> = t
            .inspectors
            .iter()
            .map(|i| format!("{} ({})", e(&i.name), e(&i.id)))
            .collect();
        let _ = writeln!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&t.source_id),
            e(&t.name),
            e(&t.district),
            if t.kind == "random" {
                "随机抽取"
            } else {
                "定向检查"
            },
            e(&t.stratum_or_reason),
            names.join("、")
        );
    }
    let mut strata = String::new();
    for s in &record.strata {
        let _ = writeln!(
            strata,
            "<li>{}: {} 家符合条件, 抽取 {} 家</li>",
            e(&s.stratum),
            s.eligible,
            s.drawn
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{name} 公示</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}code{{word-break:break-all}}</style>
</head><body>
<h1>{name}</h1>
<p>抽查日期 (date): {date}</p>
<ul>{strata}</ul>
<table><tr><th>企业编号</th><th>企业名称</th><th>所在区县</th><th>方式</th><th>类别/事由</th><th>执法人员</th></tr>
{rows}</table>
<h2>验证 (verification)</h2>
<p>现场公开随机数 (public entropy): <code>{entropy}</code></p>
<p>种子 (seed, SHA-256): <code>{seed}</code></p>
<p>污染源 (sources) SHA-256: <code>{sources}</code><br>执法人员 (roster) SHA-256: <code>{roster}</code><br>抽查方案 (plan) SHA-256: <code>{plan}</code></p>
<p>算法 (algorithm): {algorithm}</p>
<p>任何人可用同样的输入复现本次抽取 (anyone reproduces this draw from the same inputs):
<code>yitu draw --verify draw.json --sources SOURCES --inspectors ROSTER.csv --plan PLAN.toml</code></p>
</body></html>
"#,
        name = e(&record.name),
        date = e(&record.date),
        entropy = e(&record.inputs.entropy),
        seed = record.seed,
        sources = record.inputs.sources_sha256,
        roster = record.inputs.inspectors_sha256,
        plan = record.inputs.plan_sha256,
        algorithm = e(&record.algorithm),
    )
}

/// Writes `公示.html`, `公示.csv`, `tasks.csv` and `tasks.json` into `dir`; returns their paths.
pub fn write(dir: &Path, record: &Record, inputs: &Inputs) -> Result<Vec<PathBuf>, DrawError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| yitu_layers::LayersError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let tasks = tasks(record, inputs);
    let csv = tasks_csv(&tasks);
    let files = [
        ("公示.html", announcement_html(record, &tasks)),
        // With a byte-order mark: Excel, where notices are edited, reads UTF-8 only then.
        ("公示.csv", format!("\u{feff}{csv}")),
        ("tasks.csv", csv),
        (
            "tasks.json",
            serde_json::to_string_pretty(&tasks).unwrap_or_default(),
        ),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// The project layer a draw's tasks are shown in.
pub const DRAW_LAYER: &str = "双随机抽查 Random draw";

/// The tasks as a point layer at their firms (from `sources`, matched by `id`), for the map,
/// the table and route planning. Firms without a point are left out of the layer only.
pub fn tasks_layer(tasks: &[Task], sources: &yitu_layers::Layer) -> yitu_layers::Layer {
    let at: std::collections::HashMap<String, geo::Geometry<f64>> = (0..sources.features.len())
        .filter_map(|k| {
            let g = sources.features[k].geometry.clone()?;
            Some((sources.value(k, "id").to_string(), g))
        })
        .collect();
    let rows = tasks.iter().filter_map(|t| {
        let g = at.get(&t.source_id)?.clone();
        let ids: Vec<&str> = t.inspectors.iter().map(|i| i.id.as_str()).collect();
        let names: Vec<&str> = t.inspectors.iter().map(|i| i.name.as_str()).collect();
        Some((
            Some(g),
            TaskRow {
                task_id: t.task_id.clone(),
                source_id: t.source_id.clone(),
                name: t.name.clone(),
                district: t.district.clone(),
                kind: t.kind,
                stratum_or_reason: t.stratum_or_reason.clone(),
                inspectors: ids.join(";"),
                inspector_names: names.join(";"),
                date: t.date.clone(),
                inspected: "",
                inspected_on: "",
                finding: "",
            },
        ))
    });
    yitu_layers::registry::layer_from_records(DRAW_LAYER, yitu_layers::LayerKind::Other, rows)
}

/// A row of the draw layer.
#[derive(serde::Serialize)]
struct TaskRow {
    task_id: String,
    source_id: String,
    name: String,
    district: String,
    kind: &'static str,
    stratum_or_reason: String,
    inspectors: String,
    inspector_names: String,
    date: String,
    /// Empty until the desk records the inspection (`yitu_layers::inspection`).
    inspected: &'static str,
    inspected_on: &'static str,
    finding: &'static str,
}
