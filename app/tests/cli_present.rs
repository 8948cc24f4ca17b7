//! `yitu present` on a project holding every kind of layer the indicators read (detections,
//! monitoring anomalies and points, a draw, a route plan's stops): the steps and minutes are
//! written, and every indicator in `indicators.json`, city-wide and per district, is recomputed
//! from the GeoPackage's tables with SQL (rusqlite), apart from Yitu's code, and agrees exactly.

use std::path::Path;

use serde::Serialize;
use yitu_layers::registry::layer_from_records;
use yitu_layers::{LayerKind, LayerStyle, ProjectLayer};

#[derive(Serialize)]
struct DetectionRow {
    id: String,
    capability: &'static str,
    score: f64,
    status: &'static str,
    review: &'static str,
    source_id: String,
    captured_at: String,
}

#[derive(Serialize)]
struct AnomalyRow {
    id: String,
    kind: &'static str,
    source_id: String,
    start: String,
    end: String,
    review: &'static str,
}

#[derive(Serialize)]
struct PointRow {
    source_id: String,
    expected_h: i64,
    valid_h: i64,
}

#[derive(Serialize)]
struct TaskRow {
    task_id: String,
    source_id: String,
    district: String,
    kind: &'static str,
    stratum_or_reason: String,
    date: String,
    inspected: &'static str,
}

#[derive(Serialize)]
struct StopRow {
    team: String,
    day: i64,
    seq: i64,
    source_id: String,
    done: &'static str,
}

const REVIEWS: [&str; 4] = ["confirmed", "dismissed", "field_check", ""];

/// The sample project with a detections layer, monitoring, a draw and stops, saved.
fn project(path: &Path) {
    let mut project = yitu_sample_data::chongqing_project();
    let sources = project
        .layer(LayerKind::PollutionSources)
        .expect("sources")
        .clone();
    let teams = project.layer_by_name("teams").expect("teams").layer.clone();
    let firm = |k: usize| {
        let i = (k * 37) % sources.features.len();
        (
            sources.value(i, "id").to_string(),
            sources.value(i, "district_code").to_string(),
            sources.features[i].geometry.clone(),
        )
    };
    let day = |k: usize| format!("2026-05-{:02}", 1 + k % 28);
    let detections = layer_from_records(
        "detections",
        LayerKind::Other,
        (0..30).map(|k| {
            let (id, _, at) = firm(k);
            (
                at,
                DetectionRow {
                    id: format!("D{k:04}"),
                    capability: "land_hotspot",
                    score: 0.5,
                    status: "registered_source",
                    review: REVIEWS[k % 4],
                    source_id: id,
                    captured_at: day(k),
                },
            )
        }),
    );
    let anomalies = layer_from_records(
        "monitoring_anomalies",
        LayerKind::Other,
        (0..45).map(|k| {
            let (id, _, at) = firm(k + 100);
            let review = REVIEWS[k % 4];
            (
                at,
                AnomalyRow {
                    id: format!("A{k:04}"),
                    kind: "exceedance",
                    source_id: id,
                    start: format!("{}T08:00:00+08:00", day(k + 3)),
                    end: format!("{}T12:00:00+08:00", day(k + 3)),
                    review,
                },
            )
        }),
    );
    let points = layer_from_records(
        "monitoring_points",
        LayerKind::Other,
        (0..40).map(|k| {
            let (id, _, at) = firm(k + 100);
            (
                at,
                PointRow {
                    source_id: id,
                    expected_h: 1464,
                    valid_h: 1464 - (k as i64 * 13) % 200,
                },
            )
        }),
    );
    let draw = layer_from_records(
        "双随机抽查 Random draw",
        LayerKind::Other,
        (0..60).map(|k| {
            let (id, district, at) = firm(k + 300);
            let targeted = k % 5 == 0;
            let reason = if k % 10 == 0 {
                "流域追溯 NH3-N 断面 NS05".to_owned()
            } else if targeted {
                "complaint".to_owned()
            } else {
                "key".to_owned()
            };
            (
                at,
                TaskRow {
                    task_id: format!("T{k:03}"),
                    source_id: id,
                    district,
                    kind: if targeted { "targeted" } else { "random" },
                    stratum_or_reason: reason,
                    date: day(k + 7),
                    inspected: if k % 3 == 0 { "1" } else { "0" },
                },
            )
        }),
    );
    let stops = layer_from_records(
        "检查站点 Stops",
        LayerKind::Other,
        (0..50).map(|k| {
            let (id, _, at) = firm(k + 300);
            let team = teams.value(k % teams.features.len(), "team_id").to_string();
            (
                at,
                StopRow {
                    team,
                    day: 1 + (k % 5) as i64,
                    seq: 1 + (k / 5) as i64,
                    source_id: id,
                    done: if k % 4 == 0 { "1" } else { "0" },
                },
            )
        }),
    );
    for layer in [detections, anomalies, points, draw, stops] {
        project.layers.push(ProjectLayer {
            layer,
            style: LayerStyle::default(),
        });
    }
    project.save(path).expect("project saved");
}

/// Values by district (`None`: the city).
type Values = Vec<(Option<String>, f64)>;

/// `(district or None, value)` of an SQL query grouped by district (the city-wide one first).
fn sql(db: &rusqlite::Connection, city: &str, by_district: &str) -> Values {
    let mut out: Values = vec![(
        None,
        db.query_row(city, [], |r| r.get::<_, f64>(0)).expect(city),
    )];
    let mut q = db.prepare(by_district).expect(by_district);
    let rows = q
        .query_map([], |r| {
            Ok((Some(r.get::<_, String>(0)?), r.get::<_, f64>(1)?))
        })
        .expect("rows");
    out.extend(rows.map(|r| r.expect("a row")));
    out
}

#[test]
fn present_writes_the_steps_and_indicators_the_tables_agree_with() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let gpkg = dir.path().join("meeting.gpkg");
    project(&gpkg);
    let out = dir.path().join("out");
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("skipped: no DISPLAY (scripts/test.sh starts Xvfb)");
        return;
    }
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_yitu"))
        .arg("present")
        .arg(&gpkg)
        .args(["--out"])
        .arg(&out)
        .args(["--size", "1280x720", "--lang", "en"])
        .output()
        .expect("yitu runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for n in 1..=4 {
        let png = out.join(format!("step-{n:02}.png"));
        let size = image::image_dimensions(&png).expect("a PNG");
        assert_eq!(size, (1280, 720), "{}", png.display());
    }
    let minutes = std::fs::read_to_string(out.join("minutes.html")).expect("minutes");
    assert_eq!(minutes.matches("<img src=\"step-").count(), 4);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("indicators.json")).expect("indicators"),
    )
    .expect("JSON");
    assert_eq!(json["period"]["from"], "2026-05-01");
    assert_eq!(json["period"]["to"], "2026-05-28");

    let db = rusqlite::Connection::open(&gpkg).expect("the GeoPackage");
    let firm = "JOIN pollution_sources s ON s.id = t.source_id";
    let count = |table: &str, filter: &str, join: &str, district: &str| {
        let table = format!("\"{table}\" t");
        sql(
            &db,
            &format!("SELECT count(*) FROM {table} {join} WHERE {filter}"),
            &format!("SELECT {district}, count(*) FROM {table} {join} WHERE {filter} GROUP BY 1"),
        )
    };
    let confirmed = "coalesce(t.review, '') = 'confirmed'";
    let expected: Vec<(&str, Values)> = vec![
        (
            "sources",
            count("pollution_sources", "1", "", "t.district_code"),
        ),
        (
            "transmission_rate",
            sql(
                &db,
                "SELECT sum(valid_h) * 100.0 / sum(expected_h) FROM monitoring_points",
                &format!(
                    "SELECT s.district_code, sum(t.valid_h) * 100.0 / sum(t.expected_h) FROM monitoring_points t {firm} GROUP BY 1"
                ),
            ),
        ),
        (
            "open_anomalies",
            count(
                "monitoring_anomalies",
                "coalesce(t.review, '') != 'dismissed'",
                firm,
                "s.district_code",
            ),
        ),
        (
            "detections",
            count("detections", "1", firm, "s.district_code"),
        ),
        (
            "detections_confirmed",
            count("detections", confirmed, firm, "s.district_code"),
        ),
        (
            "detections_dismissed",
            count(
                "detections",
                "coalesce(t.review, '') = 'dismissed'",
                firm,
                "s.district_code",
            ),
        ),
        (
            "detections_awaiting",
            count(
                "detections",
                "coalesce(t.review, '') NOT IN ('confirmed', 'dismissed')",
                firm,
                "s.district_code",
            ),
        ),
        (
            "drawn",
            count(
                "双随机抽查 Random draw",
                "t.kind = 'random'",
                "",
                "t.district",
            ),
        ),
        (
            "targeted",
            count(
                "双随机抽查 Random draw",
                "t.kind = 'targeted'",
                "",
                "t.district",
            ),
        ),
        (
            "inspected",
            count(
                "双随机抽查 Random draw",
                "t.inspected = '1'",
                "",
                "t.district",
            ),
        ),
        (
            "left",
            count(
                "双随机抽查 Random draw",
                "t.inspected != '1'",
                "",
                "t.district",
            ),
        ),
        (
            "targeted_from_detections",
            count(
                "detections",
                &format!("{confirmed} AND t.source_id IS NOT NULL"),
                firm,
                "s.district_code",
            ),
        ),
        (
            "targeted_from_anomalies",
            count("monitoring_anomalies", confirmed, firm, "s.district_code"),
        ),
        (
            "targeted_from_traces",
            count(
                "双随机抽查 Random draw",
                "t.kind = 'targeted' AND t.stratum_or_reason LIKE '流域追溯%'",
                "",
                "t.district",
            ),
        ),
        (
            "inspections_planned",
            count(
                "检查站点 Stops",
                "1",
                "JOIN teams m ON m.team_id = t.team",
                "m.district_code",
            ),
        ),
        (
            "inspections_done",
            count(
                "检查站点 Stops",
                "t.done = '1'",
                "JOIN teams m ON m.team_id = t.team",
                "m.district_code",
            ),
        ),
    ];
    let indicators = json["indicators"].as_array().expect("indicators");
    let districts: Vec<String> = sql(
        &db,
        "SELECT 0",
        "SELECT DISTINCT district_code, 0 FROM pollution_sources",
    )
    .into_iter()
    .filter_map(|(d, _)| d)
    .collect();
    let mut checked = 0;
    for (id, values) in &expected {
        for i in indicators.iter().filter(|i| i["id"] == *id) {
            let district = i["district"].as_str().map(str::to_owned);
            let truth = values.iter().find(|(d, _)| *d == district).map(|(_, v)| *v);
            match (i["value"].as_f64(), truth) {
                (Some(v), Some(t)) => assert_eq!(
                    v.to_bits(),
                    t.to_bits(),
                    "{id} {district:?}: {v} against {t}"
                ),
                // No row in the district: a count is 0, a rate has no value (and says why).
                (Some(v), None) => assert!(
                    v == 0.0 && i["unit"] == "count",
                    "{id} {district:?}: {v}, the tables have none"
                ),
                (None, None) => assert!(
                    i["missing"].is_string() && i["unit"] == "%",
                    "{id} {district:?}: {i}"
                ),
                (None, Some(t)) => panic!("{id} {district:?}: no value, the tables say {t}"),
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        expected.len() * (1 + districts.len()),
        "every indicator, city-wide and per district"
    );
}
