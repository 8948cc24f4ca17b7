//! Monitoring in the app's state over the sample project and `yitu sample --monitoring`'s
//! folder: a confirmed anomaly becomes a targeted check of the next draw, a run is kept in the
//! project file with its reviews, an anomaly's evidence is written whole.

use yitu_app::jobs::Progress;
use yitu_app::state::monitoring::{ANOMALIES_LAYER, analyse_folder};
use yitu_app::state::{DrawRequest, ProjectSource, draw, load};

/// The sample monitoring folder, as `yitu sample --monitoring` writes it.
fn monitoring_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    yitu_app::state::monitoring_sample::write(dir.path(), 1, false).expect("written");
    dir
}

/// The sample project, and the sample folder analysed for it.
fn analysed() -> (
    tempfile::TempDir,
    yitu_app::state::LoadedProject,
    yitu_app::state::monitoring::MonitoringRun,
) {
    let dir = monitoring_folder();
    let loaded = load(&ProjectSource::Sample, &Progress::default()).expect("the sample loads");
    let sources = loaded
        .layers
        .data()
        .find(|l| l.layer.kind == yitu_layers::LayerKind::PollutionSources)
        .map(|l| l.layer.clone())
        .expect("sources");
    let run = analyse_folder(dir.path(), &sources, &Progress::default()).expect("analysed");
    (dir, loaded, run)
}

#[test]
fn a_confirmed_anomaly_is_a_targeted_check_of_the_next_draw() {
    let (_dir, mut loaded, run) = analysed();
    loaded.show_monitoring(&run);
    let id = {
        let layer = &mut loaded
            .layers
            .iter_mut()
            .find(|l| l.data.layer.name == ANOMALIES_LAYER)
            .expect("the anomalies layer")
            .data
            .layer;
        layer.set_text(0, "review", "confirmed".to_owned());
        layer.value(0, "source_id").to_string()
    };
    let snapshot = loaded.draw_snapshot().expect("a snapshot");
    let request = DrawRequest {
        plan_toml: yitu_draw::synthetic::example_plan().to_toml(),
        entropy: "20261207".to_owned(),
        roster_csv: None,
    };
    let outcome = draw(&request, &snapshot, &Progress::default()).expect("the draw");
    let targeted = outcome
        .record
        .targeted
        .iter()
        .find(|t| t.source_id == id)
        .expect("the firm is a targeted check");
    assert!(targeted.reason.contains("在线监控"), "{}", targeted.reason);
    assert!(
        !outcome.record.selected.iter().any(|s| s.source_id == id),
        "and it is not drawn at random"
    );
}

#[test]
fn a_monitoring_run_is_kept_in_the_project_file_with_its_reviews() {
    let (dir, mut loaded, run) = analysed();
    loaded.show_monitoring(&run);
    loaded
        .layers
        .iter_mut()
        .find(|l| l.data.layer.name == ANOMALIES_LAYER)
        .expect("the anomalies layer")
        .data
        .layer
        .set_text(1, "review", "dismissed".to_owned());
    let file = dir.path().join("project.gpkg");
    loaded.project_for_saving().save(&file).expect("saved");
    yitu_app::state::monitoring::keep(&run, &file).expect("kept");
    let back = load(&ProjectSource::File(file), &Progress::default()).expect("reopened");
    let kept = back.monitoring.as_ref().expect("the run is kept");
    assert_eq!(
        kept.report.anomalies, run.report.anomalies,
        "judged the same again"
    );
    assert_eq!(kept.report.points, run.report.points);
    let layer = &back
        .layers
        .named(ANOMALIES_LAYER)
        .expect("the layer")
        .data
        .layer;
    assert_eq!(layer.value(1, "review").as_str(), Some("dismissed"));
}

#[test]
fn an_anomalys_evidence_holds_its_values_packets_rule_and_chart() {
    use yitu_app::state::monitoring_evidence::{EvidenceInput, export_monitoring_evidence};
    let (dir, _loaded, run) = analysed();
    let anomaly = run
        .report
        .anomalies
        .iter()
        .find(|a| a.kind == yitu_monitoring::report::Kind::Exceedance)
        .expect("an exceedance");
    let input = EvidenceInput::of(&run, "A0001", anomaly);
    let out =
        export_monitoring_evidence(&input, &dir.path().join("evidence"), &Progress::default())
            .expect("written");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).expect(name);
    let mn = anomaly.mn.clone().expect("a point");
    let packets = read("packets.log");
    assert!(
        packets.lines().count() >= 24,
        "a day either side: {packets:.200}"
    );
    assert!(
        packets
            .lines()
            .all(|l| l.contains(&format!("MN={mn};")) && l.contains("##"))
    );
    let values = read("values.csv");
    let over = anomaly.limit.expect("a limit");
    assert!(
        values
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(2)?.parse::<f64>().ok())
            .any(|v| v > over),
        "the values over the limit are in the CSV"
    );
    let rule: serde_json::Value = serde_json::from_str(&read("rule.json")).expect("JSON");
    assert_eq!(rule["kind"], "exceedance");
    let chart = image::open(out.join("chart.png")).expect("a PNG");
    assert_eq!((chart.width(), chart.height()), (1200, 500));
}

#[test]
fn a_monitoring_run_is_kept_in_the_shared_store_for_every_desk() {
    let (_dir, loaded, run) = analysed();
    let server = yitu_tests::postgres::Server::start();
    let url = server.database("yitu");
    let mut owner = yitu_store::connect(&url).expect("connects");
    yitu_store::init::init(&mut owner, &loaded.project_for_saving())
        .expect("the store takes the sample");
    yitu_store::roles::grant(&mut owner, "zhao", &yitu_store::roles::Role::Viewer)
        .expect("granted");
    yitu_app::state::monitoring::keep_in_store(&run, &url).expect("the city keeps it");
    // A viewer reads it with the project, and may not replace it.
    let viewer = server.url("zhao", "yitu");
    let back = load(&ProjectSource::Store(viewer.clone()), &Progress::default()).expect("opens");
    let kept = back
        .monitoring
        .as_ref()
        .expect("the run came with the project");
    assert_eq!(kept.report.anomalies, run.report.anomalies);
    let refused = yitu_app::state::monitoring::keep_in_store(&run, &viewer)
        .expect_err("a viewer cannot write it");
    assert!(
        format!("{refused:#}").contains("permission denied"),
        "{refused:#}"
    );
}
