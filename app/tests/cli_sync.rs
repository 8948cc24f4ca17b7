//! `yitu store sync` against a private PostgreSQL with PostGIS: an offline copy edited through
//! GDAL (as QGIS edits it) pushed back field by field, conflicts listed and not applied, and a
//! push killed halfway leaving the store as it was.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{json, succeeded, yitu};
use gdal::vector::LayerAccess;
use gdal::vector::sql::Dialect;
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use yitu_tests::postgres::Server;

/// A store holding the sample project, and an offline copy of it.
struct Fixture {
    _server: Server,
    db: String,
    copy: PathBuf,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let server = Server::start();
        let db = server.database("yitu");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let project = dir.path().join("sample.gpkg");
        let project = project.to_str().expect("utf-8 path");
        let out = yitu(&["sample", "--out", project]);
        succeeded(&out);
        json(&yitu(&[
            "store", "init", "--db", &db, "--from", project, "--json",
        ]));
        let copy = dir.path().join("field.gpkg");
        json(&yitu(&[
            "store",
            "export",
            "--db",
            &db,
            "-o",
            copy.to_str().expect("utf-8 path"),
            "--json",
        ]));
        Self {
            _server: server,
            db,
            copy,
            _dir: dir,
        }
    }

    fn owner(&self) -> postgres::Client {
        yitu_store::connect(&self.db).expect("the owner connects")
    }

    fn sync(&self) -> std::process::Output {
        yitu(&[
            "store",
            "sync",
            "--db",
            &self.db,
            self.copy.to_str().expect("utf-8 path"),
            "--json",
        ])
    }
}

/// Runs SQL on the copy through GDAL, as QGIS's database manager or a script would.
fn edit(copy: &Path, sql: &str) {
    let ds = Dataset::open_ex(
        copy,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
            ..Default::default()
        },
    )
    .expect("GDAL opens the copy");
    ds.execute_sql(sql, None, Dialect::DEFAULT)
        .expect("the edit runs");
}

/// The store's `column` of source `id`, and its version.
fn source(client: &mut postgres::Client, id: &str, column: &str) -> (Option<String>, i32) {
    let row = client
        .query_one(
            &format!("SELECT {column}::text, version FROM yitu.sources WHERE id = $1"),
            &[&id],
        )
        .expect("the source is there");
    (row.get(0), row.get(1))
}

#[test]
fn sync_merges_field_by_field_and_lists_conflicts() {
    let f = Fixture::new();
    let mut owner = f.owner();
    // Ours: PS000001's name; PS000002's phone; PS000003's name (as the store also changes it);
    // a new source without an id (placed in its district by the store); PS000004 deleted.
    // One of them through OGR's feature editing, as QGIS saves an edit.
    {
        let ds = Dataset::open_ex(
            &f.copy,
            DatasetOptions {
                open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
                ..Default::default()
            },
        )
        .expect("GDAL opens the copy");
        let mut layer = ds.layer_by_name("pollution_sources").expect("the layer");
        let id = layer.defn().field_index("id").expect("an id field");
        let fid = layer
            .features()
            .find(|x| x.field_as_string(id).ok().flatten().as_deref() == Some("PS000001"))
            .and_then(|x| x.fid())
            .expect("PS000001 in the copy");
        let mut feature = layer.feature(fid).expect("the feature");
        let name = feature.field_index("name").expect("a name field");
        feature
            .set_field_string(name, "现场核实后更名")
            .expect("set");
        layer.set_feature(feature).expect("saved");
    }
    edit(
        &f.copy,
        "UPDATE pollution_sources SET phone = '13900000000' WHERE id = 'PS000002'",
    );
    edit(
        &f.copy,
        "UPDATE pollution_sources SET name = 'ours' WHERE id = 'PS000003'",
    );
    edit(
        &f.copy,
        "INSERT INTO pollution_sources (geom, name, category) \
         SELECT geom, '新发现企业', 'key' FROM pollution_sources WHERE id = 'PS000005'",
    );
    edit(
        &f.copy,
        "DELETE FROM pollution_sources WHERE id = 'PS000004'",
    );
    // Theirs: PS000002's contact (another field: both are kept) and PS000003's name.
    owner
        .batch_execute(
            "UPDATE yitu.sources SET contact = '张三', version = version + 1 WHERE id = 'PS000002';
             UPDATE yitu.sources SET name = 'theirs', version = version + 1 WHERE id = 'PS000003';",
        )
        .expect("the store's edits");

    let out = f.sync();
    assert!(!out.status.success(), "a conflict gives a non-zero exit");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["applied"], 4, "{report}");
    assert_eq!(
        report["conflicts"],
        serde_json::json!([{"layer": "sources", "feature_id": "PS000003", "field": "name",
                            "ours": "ours", "theirs": "theirs"}])
    );
    assert_eq!(
        source(&mut owner, "PS000001", "name"),
        (Some("现场核实后更名".into()), 2)
    );
    assert_eq!(
        source(&mut owner, "PS000002", "phone"),
        (Some("13900000000".into()), 3)
    );
    assert_eq!(
        source(&mut owner, "PS000002", "contact"),
        (Some("张三".into()), 3)
    );
    assert_eq!(
        source(&mut owner, "PS000003", "name"),
        (Some("theirs".into()), 2)
    );
    let gone = owner
        .query_opt("SELECT 1 FROM yitu.sources WHERE id = 'PS000004'", &[])
        .expect("query");
    assert!(gone.is_none(), "the deletion is applied");
    let new = owner
        .query_one(
            "SELECT s.id, s.district, (SELECT district FROM yitu.sources WHERE id = 'PS000005')
             FROM yitu.sources AS s WHERE s.name = '新发现企业'",
            &[],
        )
        .expect("the new source is in the store");
    let (new_id, district, beside): (String, Option<String>, Option<String>) =
        (new.get(0), new.get(1), new.get(2));
    assert!(
        district.is_some() && district == beside,
        "placed in its district"
    );
    let audited: i64 = owner
        .query_one(
            "SELECT count(*) FROM yitu.audit WHERE role = session_user
               AND feature_id IN ('PS000001', 'PS000002', 'PS000004', $1)",
            &[&new_id],
        )
        .expect("query")
        .get(0);
    assert_eq!(audited, 5, "every change recorded (PS000002 twice)");

    // The copy now carries the store's id and versions: only the conflict is left to push.
    let again = f.sync();
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
    assert_eq!(report["applied"], 0, "{report}");
    assert_eq!(report["conflicts"].as_array().map(Vec::len), Some(1));
    // Taking the store's value in the copy resolves it.
    edit(
        &f.copy,
        "UPDATE pollution_sources SET name = 'theirs' WHERE id = 'PS000003'",
    );
    let report = json(&f.sync());
    assert_eq!(report["applied"], 0, "{report}");
    assert_eq!(report["conflicts"], serde_json::json!([]));
    let copy = yitu_layers::Project::open(&f.copy).expect("the copy opens");
    let sources = copy.layer_by_name("pollution_sources").expect("sources");
    let ids = sources.layer.field_index("id").expect("an id field");
    assert!(
        sources
            .layer
            .features
            .iter()
            .any(|x| x.values[ids].as_str() == Some(new_id.as_str())),
        "the new row took the store's id"
    );
}

#[test]
fn a_sync_killed_halfway_leaves_the_store_as_it_was() {
    let f = Fixture::new();
    edit(
        &f.copy,
        "UPDATE pollution_sources SET phone = '10000' || fid WHERE fid <= 300",
    );
    let last: String = {
        let ds = Dataset::open(&f.copy).expect("GDAL opens the copy");
        let rs = ds
            .execute_sql(
                "SELECT id FROM pollution_sources WHERE fid = 300",
                None,
                Dialect::DEFAULT,
            )
            .expect("query")
            .expect("rows");
        let mut layer = rs;
        let row = layer.features().next().expect("fid 300");
        row.field_as_string(0).expect("text").expect("an id")
    };
    let mut owner = f.owner();
    let audit_before: i64 = owner
        .query_one("SELECT count(*) FROM yitu.audit", &[])
        .expect("count")
        .get(0);
    // Another desk holds the last row: the push applies the first 299 and waits for it.
    let mut desk = f.owner();
    let mut holding = desk.transaction().expect("a transaction");
    holding
        .execute(
            "SELECT 1 FROM yitu.sources WHERE id = $1 FOR UPDATE",
            &[&last],
        )
        .expect("the row is held");
    let mut push = Command::new(env!("CARGO_BIN_EXE_yitu"))
        .args(["store", "sync", "--db", &f.db])
        .arg(&f.copy)
        .spawn()
        .expect("yitu starts");
    let mut waiting = false;
    for _ in 0..1200 {
        let n: i64 = owner
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
                &[],
            )
            .expect("activity")
            .get(0);
        if n > 0 {
            waiting = true;
            break;
        }
        assert!(push.try_wait().expect("status").is_none(), "the push ended");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(waiting, "the push reached the held row");
    push.kill().expect("SIGKILL");
    push.wait().expect("reaped");
    holding.rollback().expect("the row is let go");

    let audit_after: i64 = owner
        .query_one("SELECT count(*) FROM yitu.audit", &[])
        .expect("count")
        .get(0);
    assert_eq!(audit_after, audit_before, "nothing of the push was kept");
    let changed: i64 = owner
        .query_one(
            "SELECT count(*) FROM yitu.sources WHERE version <> 1 OR phone LIKE '10000%'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(changed, 0, "the store is as it was");
    let pending = yitu_layers::tracking::changes(&f.copy).expect("the copy is readable");
    assert_eq!(pending.len(), 300, "the copy still holds every edit");

    // Pushed again, it all goes in.
    let report = json(&f.sync());
    assert_eq!(report["applied"], 300, "{report}");
}
