//! The `yitu` binary as dispatchers script it: `draw`, `pairs` and `plan`, their exact forms
//! and JSON fields.

mod common;

use std::path::Path;

use common::{json, succeeded, yitu};

/// `yitu sample --draw-inputs` into `dir/inputs`: firms, roster, plan and teams.
fn sample_draw_inputs(dir: &Path, seed: &str) -> std::path::PathBuf {
    let inputs = dir.join("inputs");
    let out = yitu(&[
        "sample",
        "--draw-inputs",
        "--out",
        &inputs.to_string_lossy(),
        "--seed",
        seed,
    ]);
    succeeded(&out);
    inputs
}

/// `yitu draw` on the inputs `sample_draw_inputs` wrote, with `entropy`, into `record`.
fn draw_args(inputs: &Path, entropy: &str, record: &Path) -> Vec<String> {
    let p = |name: &str| inputs.join(name).to_string_lossy().into_owned();
    [
        "draw",
        "--sources",
        &p("sources.geojson"),
        "--inspectors",
        &p("roster.csv"),
        "--plan",
        &p("plan.toml"),
        "--entropy",
        entropy,
        "-o",
        &record.to_string_lossy(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `yitu draw` and `yitu draw --verify` in the exact forms: the record reproduces from
/// its inputs, and a tampered record or a changed registry does not.
#[test]
fn draw_writes_a_record_that_verifies_and_a_tampered_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sample_draw_inputs(dir.path(), "3");
    let p = |name: &str| inputs.join(name).to_string_lossy().into_owned();
    let record = dir.path().join("draw.json");
    let publish = dir.path().join("publish");
    let mut args = draw_args(&inputs, "07 19 23 31 42", &record);
    args.extend(["--publish".into(), publish.to_string_lossy().into_owned()]);
    args.push("--json".into());
    let summary = json(&yitu(&args.iter().map(String::as_str).collect::<Vec<_>>()));
    assert!(summary["selected"].as_u64().unwrap() > 100, "{summary}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    for key in ["selected", "inputs", "seed", "algorithm"] {
        assert!(v.get(key).is_some(), "no {key}");
    }
    let first = &v["selected"][0];
    assert!(first["source_id"].is_string() && first["stratum"].is_string());
    assert_eq!(first["inspectors"].as_array().unwrap().len(), 2);
    assert_eq!(v["inputs"]["entropy"], "07 19 23 31 42");
    for file in ["公示.html", "公示.csv", "tasks.csv", "tasks.json"] {
        assert!(publish.join(file).exists(), "{file}");
    }
    let verify = |record: &std::path::Path| {
        yitu(&[
            "draw",
            "--verify",
            &record.to_string_lossy(),
            "--sources",
            &p("sources.geojson"),
            "--inspectors",
            &p("roster.csv"),
            "--plan",
            &p("plan.toml"),
        ])
    };
    let ok = verify(&record);
    succeeded(&ok);
    // One drawn firm swapped for another.
    let mut tampered = v.clone();
    tampered["selected"][5]["source_id"] = v["selected"][6]["source_id"].clone();
    let forged = dir.path().join("forged.json");
    std::fs::write(&forged, serde_json::to_string_pretty(&tampered).unwrap()).unwrap();
    let bad = verify(&forged);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("selected[5]"), "{err}");
    // The roster edited after the draw.
    let roster = std::fs::read_to_string(p("roster.csv")).unwrap();
    std::fs::write(p("roster.csv"), roster.replacen("执法员1,", "执法员一,", 1)).unwrap();
    let bad = verify(&record);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("inspectors_sha256"), "{err}");
}

#[test]
fn plan_spreads_a_draw_over_teams_and_days_as_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sample_draw_inputs(dir.path(), "1");
    let p = |name: &str| inputs.join(name).to_string_lossy().into_owned();
    let record = dir.path().join("draw.json");
    let args = draw_args(&inputs, "1 2 3", &record);
    let drawn = yitu(&args.iter().map(String::as_str).collect::<Vec<_>>());
    succeeded(&drawn);
    let geojson = dir.path().join("plan.geojson");
    let summary = json(&yitu(&[
        "plan",
        "--tasks",
        &record.to_string_lossy(),
        "--teams",
        &p("teams.csv"),
        "--days",
        "4",
        "-o",
        &geojson.to_string_lossy(),
        "--time-limit",
        "3",
        "--json",
    ]));
    assert_eq!(summary["travel"], "estimate", "{summary}");
    let tasks = summary["tasks"].as_u64().unwrap();
    let planned = summary["planned"].as_u64().unwrap();
    // How many fit depends on the search time the machine gives it: most, not all; every one
    // left out says why (below).
    assert!(
        tasks > 100 && planned as f64 >= 0.5 * tasks as f64,
        "{summary}"
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    let kind = |k: &str| {
        features
            .iter()
            .filter(|f| f["properties"]["kind"] == k)
            .count()
    };
    assert_eq!(kind("stop") as u64, planned);
    assert_eq!(kind("route") as u64, summary["team_days"].as_u64().unwrap());
    assert_eq!(kind("unplanned") as u64, tasks - planned);
    assert!(
        features
            .iter()
            .filter(|f| f["properties"]["kind"] == "unplanned")
            .all(|f| !f["properties"]["reason"].as_str().unwrap().is_empty())
    );
    let stop = features
        .iter()
        .find(|f| f["properties"]["kind"] == "stop")
        .unwrap();
    for key in [
        "team",
        "day",
        "seq",
        "source_id",
        "arrival",
        "start",
        "departure",
    ] {
        assert!(stop["properties"].get(key).is_some(), "no {key}");
    }
    // A lock keeps a firm with the team and on the day given.
    let (source, team, day) = (
        stop["properties"]["source_id"].as_str().unwrap(),
        stop["properties"]["team"].as_str().unwrap(),
        stop["properties"]["day"].as_u64().unwrap(),
    );
    let locks = dir.path().join("locks.csv");
    std::fs::write(
        &locks,
        format!("source_id,team,day\n{source},{team},{day}\n"),
    )
    .unwrap();
    let locked = dir.path().join("locked.geojson");
    let out = yitu(&[
        "plan",
        "--tasks",
        &record.to_string_lossy(),
        "--teams",
        &p("teams.csv"),
        "--days",
        "4",
        "--locks",
        &locks.to_string_lossy(),
        "-o",
        &locked.to_string_lossy(),
        "--time-limit",
        "2",
    ]);
    succeeded(&out);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&locked).unwrap()).unwrap();
    let kept = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kind"] == "stop" && f["properties"]["source_id"] == source);
    let kept = kept.expect("the locked firm is planned");
    assert_eq!(kept["properties"]["team"], team);
    assert_eq!(kept["properties"]["day"].as_u64(), Some(day));
    // A roster with a bad time names the file and the line.
    let teams = dir.path().join("teams.csv");
    std::fs::write(
        &teams,
        "id,district,lon,lat,shift_end\nT1,500101,106.5,29.5,25:00\n",
    )
    .unwrap();
    let out = yitu(&[
        "plan",
        "--tasks",
        &record.to_string_lossy(),
        "--teams",
        &teams.to_string_lossy(),
        "-o",
        &geojson.to_string_lossy(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("teams.csv") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn plan_solomon_prints_vehicles_distance_and_routes() {
    let c101 = Path::new(env!("CARGO_MANIFEST_DIR")).join("../routing/tests/data/C101.txt");
    let v = json(&yitu(&[
        "plan",
        "--solomon",
        &c101.to_string_lossy(),
        "--time-limit",
        "2",
        "--json",
    ]));
    let routes = v["routes"].as_array().unwrap();
    assert_eq!(v["vehicles"].as_u64().unwrap() as usize, routes.len());
    let served: usize = routes.iter().map(|r| r.as_array().unwrap().len()).sum();
    assert_eq!(served, 100);
    assert!(v["distance"].as_f64().unwrap() < 828.94 * 1.1, "{v}");
}

/// `yitu pairs` pairs each district with a nearby one, one to one; its TOML added to the plan
/// makes a draw whose inspectors all come from the district paired with the firm's.
#[test]
fn nearby_pairs_go_into_the_plan_and_the_draw_keeps_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sample_draw_inputs(dir.path(), "2");
    let p = |name: &str| inputs.join(name).to_string_lossy().into_owned();
    let pairs = json(&yitu(&[
        "pairs",
        "--sources",
        &p("sources.geojson"),
        "--inspectors",
        &p("roster.csv"),
        "--json",
    ]));
    let pairs = pairs["pairs"].as_array().unwrap().clone();
    assert_eq!(pairs.len(), 8, "every district paired: {pairs:?}");
    let inspecting: std::collections::BTreeSet<_> =
        pairs.iter().map(|p| p["inspectors"].to_string()).collect();
    assert_eq!(inspecting.len(), 8, "one district each");
    assert!(pairs.iter().all(|p| p["targets"] != p["inspectors"]));
    let toml = yitu(&[
        "pairs",
        "--sources",
        &p("sources.geojson"),
        "--inspectors",
        &p("roster.csv"),
    ]);
    assert!(toml.status.success());
    let plan = std::fs::read_to_string(inputs.join("plan.toml")).unwrap();
    std::fs::write(
        inputs.join("plan.toml"),
        format!("{plan}\n{}", String::from_utf8_lossy(&toml.stdout)),
    )
    .unwrap();
    let record = dir.path().join("draw.json");
    let args = draw_args(&inputs, "5 8 13", &record);
    let out = yitu(&args.iter().map(String::as_str).collect::<Vec<_>>());
    succeeded(&out);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    let roster = std::fs::read_to_string(inputs.join("roster.csv")).unwrap();
    let district_of: std::collections::HashMap<&str, &str> = roster
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((*f.first()?, *f.get(2)?))
        })
        .collect();
    let paired: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|p| {
            (
                p["targets"].as_str().unwrap().to_owned(),
                p["inspectors"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let selected = v["selected"].as_array().unwrap();
    assert!(!selected.is_empty());
    for s in selected {
        let district = s["district"].as_str().unwrap();
        for i in s["inspectors"].as_array().unwrap() {
            assert_eq!(district_of[i.as_str().unwrap()], paired[district], "{s}");
        }
    }
}
