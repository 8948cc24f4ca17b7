//! 双随机 draw (issue #5): every rule holds, the draw reproduces from its inputs, changes with
//! the entropy, picks firms uniformly within each stratum, and a tampered record fails.

use std::collections::{BTreeMap, BTreeSet};

use yitu_draw::synthetic::{Size, example_plan, generate};
use yitu_draw::{DrawError, Inputs, Record, draw, verify};

fn inputs(seed: u64) -> Inputs {
    yitu_draw::synthetic::sample(seed)
}

/// Checks every rule of the plan on a record, independently of how the draw works.
fn check_rules(inputs: &Inputs, record: &Record) {
    let plan = &inputs.plan;
    let day = plan.day();
    let firm: BTreeMap<&str, _> = inputs.targets.iter().map(|t| (t.id.as_str(), t)).collect();
    let person: BTreeMap<&str, _> = inputs.roster.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut seen = BTreeSet::new();
    let mut load: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &plan.strata {
        let eligible = inputs
            .targets
            .iter()
            .filter(|t| {
                t.category == s.category
                    && t.status == "operating"
                    && !t.positive_list
                    && t.last_inspected
                        .is_none_or(|d| d <= day - plan.exclude_inspected_within_days)
            })
            .count();
        let drawn: Vec<_> = record
            .selected
            .iter()
            .filter(|x| x.stratum == s.category)
            .collect();
        assert_eq!(
            drawn.len(),
            (s.ratio * eligible as f64).ceil() as usize,
            "{}",
            s.category
        );
        for x in drawn {
            let t = firm[x.source_id.as_str()];
            assert_eq!(t.category, s.category);
            assert_eq!(t.status, "operating");
            assert!(!t.positive_list);
            assert!(t.last_inspected.is_none_or(|d| d <= day - 90), "{t:?}");
        }
    }
    for x in &record.selected {
        assert!(seen.insert(&x.source_id), "{} drawn twice", x.source_id);
        let t = firm[x.source_id.as_str()];
        assert_eq!(x.inspectors.len(), plan.inspectors_per_target);
        let distinct: BTreeSet<_> = x.inspectors.iter().collect();
        assert_eq!(distinct.len(), x.inspectors.len(), "{x:?}");
        for id in &x.inspectors {
            let i = person[id.as_str()];
            assert!(i.cert_expiry >= day, "{id}'s certificate has expired");
            assert_ne!(i.district, t.district, "{id} inspects their own district");
            assert!(
                !i.conflicts.contains(&t.id),
                "{id} has a conflict with {}",
                t.id
            );
            *load.entry(id).or_default() += 1;
        }
    }
    assert!(load.values().all(|&n| n <= plan.max_targets_per_inspector));
}

#[test]
fn every_rule_holds_on_generated_registries() {
    for seed in 1..=3 {
        let inputs = inputs(seed);
        let record = draw(&inputs, &format!("witnesses {seed}")).unwrap();
        assert!(record.selected.len() > 200, "{}", record.selected.len());
        check_rules(&inputs, &record);
        assert_eq!(verify(&record, &inputs), Ok(()));
    }
}

#[test]
fn the_same_inputs_give_the_same_draw_and_new_entropy_another() {
    let inputs = inputs(7);
    let a = draw(&inputs, "37 12 88 04").unwrap();
    let b = draw(&inputs, "37 12 88 04").unwrap();
    assert_eq!(a, b);
    let c = draw(&inputs, "37 12 88 05").unwrap();
    assert_ne!(a.seed, c.seed);
    let firms = |r: &Record| {
        r.selected
            .iter()
            .map(|s| s.source_id.clone())
            .collect::<Vec<_>>()
    };
    assert_ne!(firms(&a), firms(&c));
}

#[test]
fn a_tampered_record_fails_verification() {
    let inputs = inputs(8);
    let record = draw(&inputs, "public numbers 5 9 2").unwrap();
    let mut swapped = record.clone();
    swapped.selected[3].inspectors[0] = inputs.roster[0].id.clone();
    if swapped != record {
        let e = verify(&swapped, &inputs).unwrap_err();
        assert!(e.starts_with("selected[3]"), "{e}");
    }
    let mut dropped = record.clone();
    dropped.selected.pop();
    assert!(verify(&dropped, &inputs).unwrap_err().contains("selected["));
    let mut entropy = record.clone();
    entropy.inputs.entropy.push('!');
    assert!(verify(&entropy, &inputs).unwrap_err().starts_with("seed"));
    // The registry changed after the draw: one firm's last inspection moved.
    let mut changed = inputs;
    changed.targets[10].last_inspected = Some(1);
    let e = verify(&record, &changed).unwrap_err();
    assert!(e.contains("sources"), "{e}");
}

/// The firms' names and contacts are copied into the record for the task sheets, not drawn
/// on: a record without them (drawn before they were kept) still verifies, and a changed
/// phone does not make the draw a different one.
#[test]
fn what_only_the_task_sheets_print_is_not_verified() {
    let inputs = inputs(4);
    let record = draw(&inputs, "7 7 7").unwrap();
    assert!(!record.selected[0].sheet.contact.is_empty());
    let mut older = record.clone();
    for s in &mut older.selected {
        s.sheet = yitu_draw::ForTheSheet::default();
    }
    assert_eq!(verify(&older, &inputs), Ok(()));
    let mut phone = inputs;
    phone.targets[0].contact.push('9');
    assert_eq!(verify(&record, &phone), Ok(()));
}

/// Chi-square critical value at significance 0.001 for `df` degrees of freedom
/// (Wilson–Hilferty).
fn chi2_critical(df: f64) -> f64 {
    let z = 3.090_232; // one-sided normal quantile of 0.999
    df * (1.0 - 2.0 / (9.0 * df) + z * (2.0 / (9.0 * df)).sqrt()).powi(3)
}

#[test]
fn firms_are_drawn_uniformly_within_each_stratum() {
    // A tight roster: inspectors' caps and conflicts must not bias which firms are drawn.
    let mut plan = example_plan();
    plan.max_targets_per_inspector = 4;
    let inputs = generate(
        Size {
            sources: 400,
            inspectors: 40,
            districts: 4,
        },
        11,
        plan,
    );
    let draws = 1_500;
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut eligible: BTreeMap<String, usize> = BTreeMap::new();
    let mut drawn: BTreeMap<String, usize> = BTreeMap::new();
    for k in 0..draws {
        let record = draw(&inputs, &format!("draw {k}")).unwrap();
        for s in &record.strata {
            eligible.insert(s.stratum.clone(), s.eligible);
            drawn.insert(s.stratum.clone(), s.drawn);
        }
        for s in &record.selected {
            *counts
                .entry(s.stratum.clone())
                .or_default()
                .entry(s.source_id.clone())
                .or_default() += 1;
        }
    }
    for (stratum, per_firm) in &counts {
        let n = eligible[stratum];
        let expected = (draws * drawn[stratum]) as f64 / n as f64;
        assert!(expected >= 5.0, "{stratum}: too few draws for the test");
        let chi2: f64 = per_firm
            .values()
            .map(|&observed| (observed as f64 - expected).powi(2) / expected)
            .sum::<f64>()
            // Firms never drawn count too.
            + (n - per_firm.len()) as f64 * expected;
        let critical = chi2_critical((n - 1) as f64);
        assert!(
            chi2 < critical,
            "{stratum}: chi² {chi2:.1} over {critical:.1} with {n} firms"
        );
    }
}

#[test]
fn a_roster_that_cannot_cover_the_draw_says_which_firms_and_why() {
    let mut plan = example_plan();
    plan.max_targets_per_inspector = 1;
    let inputs = generate(
        Size {
            sources: 500,
            inspectors: 30,
            districts: 3,
        },
        5,
        plan,
    );
    match draw(&inputs, "x") {
        Err(DrawError::Uncovered(lines)) => {
            assert!(!lines.is_empty());
            assert!(lines[0].contains("at the cap of 1"), "{}", lines[0]);
        }
        other => panic!("expected the roster to fall short, got {other:?}"),
    }
    // A single district with cross-district checks: nobody qualifies.
    let mut plan = example_plan();
    plan.max_targets_per_inspector = 50;
    let inputs = generate(
        Size {
            sources: 200,
            inspectors: 10,
            districts: 1,
        },
        5,
        plan,
    );
    let Err(DrawError::Uncovered(lines)) = draw(&inputs, "x") else {
        panic!("nobody may inspect their own district");
    };
    assert!(
        lines[0].contains("0 inspector(s) qualify") && lines[0].contains("not from 500101"),
        "{}",
        lines[0]
    );
}

#[test]
fn bad_inputs_name_the_file_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(2);
    yitu_draw::synthetic::write(&inputs, dir.path()).unwrap();
    let p = |n: &str| dir.path().join(n);
    let read = || yitu_draw::read_inputs(&p("sources.geojson"), &p("roster.csv"), &p("plan.toml"));
    // The written files read back as the same inputs.
    let back = read().unwrap();
    assert_eq!(back.targets, inputs.targets);
    assert_eq!(back.roster, inputs.roster);
    assert_eq!(back.plan, inputs.plan);
    std::fs::write(
        p("roster.csv"),
        "id,name,district,cert_expiry,conflicts\nI1,王伟,500101,2026-13-40,\n",
    )
    .unwrap();
    let e = read().unwrap_err().to_string();
    assert!(
        e.contains("roster.csv") && e.contains("line 2") && e.contains("cert_expiry"),
        "{e}"
    );
    std::fs::write(p("roster.csv"), "id,name,cert_expiry\nI1,王伟,2027-01-01\n").unwrap();
    let e = read().unwrap_err().to_string();
    assert!(e.contains("roster.csv") && e.contains("district"), "{e}");
    yitu_draw::synthetic::write(&inputs, dir.path()).unwrap();
    std::fs::write(p("plan.toml"), "name = \"x\"\ndate = \"2026-01-05\"\ninspectors_per_target = 1\nmax_targets_per_inspector = 3\n").unwrap();
    let e = read().unwrap_err().to_string();
    assert!(e.contains("plan.toml") && e.contains("at least two"), "{e}");
    std::fs::write(p("plan.toml"), "name = \"x\"\ndate = \"2026-01-05\"\nmax_targets_per_inspector = 3\n[[stratum]]\ncategory = \"key\"\nratio = 1.5\n").unwrap();
    let e = read().unwrap_err().to_string();
    assert!(e.contains("plan.toml") && e.contains("ratio"), "{e}");
}

#[test]
fn targeted_firms_district_strata_and_paired_districts_follow_the_plan() {
    use yitu_draw::plan::{MustInclude, Pair, Stratum};
    let mut inputs = inputs(4);
    let plan = &mut inputs.plan;
    plan.strata.push(Stratum {
        category: "special".into(),
        district: Some("500103".into()),
        ratio: 0.5,
    });
    plan.must_include.push(MustInclude {
        source_id: "PS000042".into(),
        reason: "12369 complaint 2025-12-30".into(),
    });
    plan.pairs.push(Pair {
        targets: "500102".into(),
        inspectors: "500105".into(),
    });
    let record = draw(&inputs, "pairs").unwrap();
    assert_eq!(record.targeted.len(), 1);
    assert_eq!(record.targeted[0].inspectors.len(), 2);
    assert!(record.selected.iter().all(|s| s.source_id != "PS000042"));
    let special: Vec<_> = record
        .selected
        .iter()
        .filter(|s| s.stratum == "special@500103")
        .collect();
    assert!(!special.is_empty());
    assert!(special.iter().all(|s| s.district == "500103"));
    let district: BTreeMap<&str, &str> = inputs
        .roster
        .iter()
        .map(|i| (i.id.as_str(), i.district.as_str()))
        .collect();
    let paired: Vec<_> = record
        .selected
        .iter()
        .filter(|s| s.district == "500102")
        .collect();
    assert!(!paired.is_empty());
    for s in paired {
        assert!(
            s.inspectors
                .iter()
                .all(|i| district[i.as_str()] == "500105"),
            "{s:?}"
        );
    }
    assert_eq!(verify(&record, &inputs), Ok(()));
}

#[test]
fn a_project_geopackage_gives_its_sources_layer() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.gpkg");
    yitu_sample_data::chongqing_project()
        .save(&project)
        .unwrap();
    let inputs = inputs(1);
    yitu_draw::synthetic::write(&inputs, dir.path()).unwrap();
    let read = yitu_draw::read_inputs(
        &project,
        &dir.path().join("roster.csv"),
        &dir.path().join("plan.toml"),
    )
    .unwrap();
    assert_eq!(read.targets.len(), 6_000);
    assert!(
        read.targets
            .iter()
            .any(|t| t.category == "key" && t.district == "500101")
    );
}

#[test]
fn dates_gdal_types_as_dates_are_read_as_dates() {
    // GDAL's GeoJSON driver makes `last_inspected` an OGR Date field (its text `2025/06/12`).
    let dir = tempfile::tempdir().unwrap();
    let firm = |id: &str, last: serde_json::Value| {
        serde_json::json!({"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [106.55, 29.56]},
            "properties": {"id": id, "category": "key", "district": "500101",
                "status": "operating", "positive_list": false, "last_inspected": last}})
    };
    let sources = dir.path().join("sources.geojson");
    std::fs::write(
        &sources,
        serde_json::json!({"type": "FeatureCollection", "features": [
            firm("A", "2025-06-12".into()),
            firm("B", serde_json::Value::Null),
            firm("C", "2024-12-31".into()),
        ]})
        .to_string(),
    )
    .unwrap();
    let layer = yitu_layers::io::read_vector(&sources, yitu_layers::io::ReadOptions::default())
        .unwrap()
        .layers
        .remove(0);
    assert_eq!(
        layer.value(0, "last_inspected").as_str(),
        Some("2025-06-12"),
        "a date field reads as ISO text"
    );
    let targets = yitu_draw::read_targets(&sources).unwrap();
    let day = yitu_core::calendar::parse_date;
    let last: Vec<_> = targets.iter().map(|t| t.last_inspected).collect();
    assert_eq!(last, [day("2025-06-12"), None, day("2024-12-31")]);
    assert!(last[0].is_some());
}
