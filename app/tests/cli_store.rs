//! `yitu store` against a private PostgreSQL with PostGIS: the sample project loaded, a
//! district member granted, an edit of theirs read back from the log.

mod common;

use common::{json, succeeded, yitu};
use yitu_tests::postgres::Server;

#[test]
fn init_grant_and_log_through_the_cli() {
    let server = Server::start();
    let db = server.database("yitu");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = dir.path().join("sample.gpkg");
    let project_arg = project.to_str().expect("utf-8 path");
    let out = yitu(&["sample", "--out", project_arg]);
    succeeded(&out);

    let report = json(&yitu(&[
        "store",
        "init",
        "--db",
        &db,
        "--from",
        project_arg,
        "--json",
    ]));
    let tables = report["tables"].as_array().expect("tables");
    assert!(
        tables
            .iter()
            .any(|t| t[0] == "sources" && t[1].as_u64() > Some(0)),
        "{report}"
    );
    let district = report["districts"][0]
        .as_str()
        .expect("a district")
        .to_owned();
    let again = yitu(&["store", "init", "--db", &db, "--from", project_arg]);
    assert!(!again.status.success(), "a second init is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a project"));

    let role = format!("district:{district}");
    let out = yitu(&[
        "store", "grant", "--db", &db, "--user", "wang", "--role", &role,
    ]);
    succeeded(&out);
    let bad = yitu(&[
        "store", "grant", "--db", &db, "--user", "wang", "--role", "admin",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("district:<six-digit code>"));

    // wang edits a source of his district through an ordinary client.
    let mut wang = yitu_store::connect(&server.url("wang", "yitu")).expect("wang connects");
    let id: String = wang
        .query_one("SELECT id FROM yitu.sources ORDER BY id LIMIT 1", &[])
        .expect("wang sees his district's sources")
        .get(0);
    wang.execute(
        "UPDATE yitu.sources SET version = version + 1 WHERE id = $1",
        &[&id],
    )
    .expect("the version read plus one is accepted");
    let log = json(&yitu(&[
        "store",
        "log",
        "--db",
        &db,
        "--feature",
        &id,
        "--json",
    ]));
    let entries = log.as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["role"], "wang");
    assert_eq!(entries[0]["op"], "UPDATE");
    assert_eq!(entries[0]["layer"], "sources");
    assert_eq!(entries[0]["new"]["district"], district.as_str());

    // The app opens the store as it opens a file; an offline copy is a GeoPackage of it.
    let source = yitu_app::state::ProjectSource::from_arg(Some(db.clone().into()));
    let loaded = yitu_app::state::load(&source, &yitu_app::jobs::Progress::default())
        .expect("the app opens postgres:// URLs");
    let sample = yitu_layers::Project::open(&project).expect("the sample reads");
    assert_eq!(loaded.project.name, sample.name);
    let copy = dir.path().join("copy.gpkg");
    let copy_arg = copy.to_str().expect("utf-8 path");
    let exported = json(&yitu(&[
        "store", "export", "--db", &db, "-o", copy_arg, "--json",
    ]));
    assert_eq!(
        exported["layers"].as_array().map(Vec::len),
        Some(sample.layers.len())
    );
    let copy = yitu_layers::Project::open(&copy).expect("the copy opens as a project");
    for (c, s) in copy.layers.iter().zip(&sample.layers) {
        assert_eq!((&c.layer.name, c.layer.kind), (&s.layer.name, s.layer.kind));
        assert_eq!(
            c.layer.features.len(),
            s.layer.features.len(),
            "{}",
            c.layer.name
        );
        assert_eq!(c.layer.fields[..2], ["id", "version"]);
    }
    // wang's copy holds his district only.
    let wang_url = server.url("wang", "yitu");
    let mine = json(&yitu(&[
        "store", "export", "--db", &wang_url, "-o", copy_arg, "--json",
    ]));
    let sources = |v: &serde_json::Value| {
        v["layers"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l[0] == "pollution_sources"))
            .and_then(|l| l[1].as_u64())
    };
    assert!(sources(&mine) < sources(&exported), "{mine} vs {exported}");

    let unreachable = yitu(&[
        "store",
        "log",
        "--db",
        "postgresql://nobody@%2Fnonexistent/yitu",
    ]);
    assert!(!unreachable.status.success());
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("cannot connect to the store"));
}
