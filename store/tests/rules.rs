//! The store's rules, against a real PostgreSQL with PostGIS started for the test: district
//! rights by row-level security, the audit log written by triggers, the version rule under two
//! clients at once.

mod common;

use common::project;
use yitu_layers::LayerKind;
use yitu_store::roles::Role;
use yitu_store::{audit, connect, init, roles};
use yitu_tests::postgres::Server;

#[test]
fn rights_audit_and_versions_hold_for_every_client() {
    let server = Server::start();
    let owner_url = server.database("yitu");
    let mut owner = connect(&owner_url).expect("connects");
    let report = init::init(&mut owner, &project()).expect("loads the project");
    assert_eq!(report.districts, ["500101", "500102"]);
    let rows: Vec<(String, usize)> = report.tables.clone();
    assert!(rows.contains(&("sources".into(), 4)), "{rows:?}");
    assert!(
        init::init(&mut owner, &project()).is_err(),
        "a second init is refused"
    );
    // Outfalls are placed in districts by position.
    let placed: Vec<(String, String)> = owner
        .query("SELECT id, district FROM yitu.outfalls ORDER BY id", &[])
        .expect("reads")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        placed,
        [
            ("P1".into(), "500101".into()),
            ("P2".into(), "500102".into())
        ]
    );

    roles::grant(&mut owner, "alice", &Role::City).expect("grants city");
    roles::grant(&mut owner, "bob", &Role::District("500101".into())).expect("grants a district");
    roles::grant(&mut owner, "carol", &Role::Viewer).expect("grants viewer");
    assert!(roles::grant(&mut owner, "dave", &Role::District("500199".into())).is_err());
    let as_user = |user: &str| connect(&server.url(user, "yitu")).expect("a login role connects");

    // A district's member sees and changes its own rows only.
    let mut bob = as_user("bob");
    let seen: i64 = bob
        .query_one("SELECT count(*) FROM yitu.sources", &[])
        .expect("reads")
        .get(0);
    assert_eq!(seen, 2);
    let changed = bob
        .execute(
            "UPDATE yitu.sources SET name = '改', version = 2 WHERE id = 'S3'",
            &[],
        )
        .expect("runs");
    assert_eq!(changed, 0, "another district's row is out of sight");
    let own = bob
        .execute(
            "UPDATE yitu.sources SET name = '甲厂二', version = 2 WHERE id = 'S1'",
            &[],
        )
        .expect("a district member edits its own row");
    assert_eq!(own, 1);
    let stale = bob
        .execute(
            "UPDATE yitu.sources SET name = '甲厂三' WHERE id = 'S1'",
            &[],
        )
        .expect_err("an update that keeps the version is refused");
    assert_eq!(
        stale.code().map(postgres::error::SqlState::code),
        Some("40001")
    );
    let moved = bob.execute(
        "UPDATE yitu.sources SET district = '500102', version = 3 WHERE id = 'S1'",
        &[],
    );
    assert!(
        moved.is_err(),
        "a row cannot be given away to another district"
    );
    let foreign = bob.execute(
        "INSERT INTO yitu.sources (id, district, name) VALUES ('S9', '500102', '外')",
        &[],
    );
    assert!(foreign.is_err(), "nor created in one");
    let rivers: i64 = bob
        .query_one("SELECT count(*) FROM yitu.rivers", &[])
        .expect("reads")
        .get(0);
    assert_eq!(rivers, 1, "rivers cross districts: every desk reads them");
    assert!(
        bob.execute("UPDATE yitu.rivers SET version = 2", &[])
            .is_err()
    );
    for forbidden in [
        "DELETE FROM yitu.audit",
        "UPDATE yitu.audit SET role = 'x'",
        "INSERT INTO yitu.audit (role, op, layer) VALUES ('x', 'INSERT', 'y')",
        "TRUNCATE yitu.audit",
        "GRANT yitu_city TO bob",
    ] {
        assert!(bob.batch_execute(forbidden).is_err(), "bob: {forbidden}");
    }

    // Read back as a project, the store shows bob what row-level security lets him see.
    let bobs = yitu_store::read::project(&mut bob).expect("bob reads the project");
    let sources = &bobs
        .layers
        .iter()
        .find(|l| l.layer.kind == LayerKind::PollutionSources)
        .expect("the sources layer")
        .layer;
    assert_eq!(sources.name, "污染源");
    assert_eq!(sources.fields[..3], ["id", "version", "district"]);
    assert_eq!(sources.features.len(), 2);
    assert!(sources.features.iter().all(|f| f.geometry.is_some()));

    // The city changes everything but the log; the viewer reads everything, changes nothing.
    let mut alice = as_user("alice");
    let all: i64 = alice
        .query_one("SELECT count(*) FROM yitu.sources", &[])
        .expect("reads")
        .get(0);
    assert_eq!(all, 4);
    alice
        .execute(
            "UPDATE yitu.sources SET staff = 31, version = 2 WHERE id = 'S3'",
            &[],
        )
        .expect("the city edits any district");
    alice
        .execute("DELETE FROM yitu.outfalls WHERE id = 'P2'", &[])
        .expect("and deletes");
    for forbidden in ["DELETE FROM yitu.audit", "UPDATE yitu.audit SET op = 'x'"] {
        assert!(
            alice.batch_execute(forbidden).is_err(),
            "alice: {forbidden}"
        );
    }
    let mut carol = as_user("carol");
    let read: i64 = carol
        .query_one("SELECT count(*) FROM yitu.sources", &[])
        .expect("reads")
        .get(0);
    assert_eq!(read, 4);
    assert!(
        carol
            .execute("UPDATE yitu.sources SET version = 3 WHERE id = 'S1'", &[])
            .is_err()
    );

    // Every change is in the log, under the person's login role.
    let log = audit::log(&mut owner, None).expect("reads the log");
    let summary: Vec<(String, String, String, Option<String>)> = log
        .iter()
        .map(|e| {
            (
                e.role.clone(),
                e.op.clone(),
                e.layer.clone(),
                e.feature_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "bob".into(),
                "UPDATE".into(),
                "sources".into(),
                Some("S1".into())
            ),
            (
                "alice".into(),
                "UPDATE".into(),
                "sources".into(),
                Some("S3".into())
            ),
            (
                "alice".into(),
                "DELETE".into(),
                "outfalls".into(),
                Some("P2".into())
            ),
        ]
    );
    let first = &log[0];
    assert_eq!(
        first.old.as_ref().and_then(|o| o["name"].as_str()),
        Some("甲厂")
    );
    assert_eq!(
        first.new.as_ref().and_then(|n| n["name"].as_str()),
        Some("甲厂二")
    );
    assert_eq!(audit::log(&mut owner, Some("P2")).expect("reads").len(), 1);
    // A district's member reads the log of its own district only.
    let bobs: Vec<String> = audit::log(&mut bob, None)
        .expect("reads")
        .into_iter()
        .filter_map(|e| e.feature_id)
        .collect();
    assert_eq!(bobs, ["S1"]);
}

/// Two desks confirm the same row at once from the version they both read: one wins, the
/// other is refused with 40001 and nothing is overwritten.
#[test]
fn two_clients_cannot_both_win_the_same_version() {
    let server = Server::start();
    let url = server.database("yitu");
    init::init(&mut connect(&url).expect("connects"), &project()).expect("loads");
    let mut first = connect(&url).expect("connects");
    let mut tx = first.transaction().expect("begins");
    tx.execute(
        "UPDATE yitu.sources SET name = 'first', version = 2 WHERE id = 'S2'",
        &[],
    )
    .expect("the first update takes the row");
    let second = std::thread::Builder::new()
        .name("second desk".into())
        .spawn(move || {
            let mut second = connect(&url).expect("connects");
            second
                .execute(
                    "UPDATE yitu.sources SET name = 'second', version = 2 WHERE id = 'S2'",
                    &[],
                )
                .map_err(|e| e.code().map(|c| c.code().to_owned()))
        })
        .expect("the second desk's thread starts");
    // The second waits on the row lock until the first commits.
    std::thread::sleep(std::time::Duration::from_millis(300));
    tx.commit().expect("commits");
    let outcome = second.join().expect("the second client's thread ends");
    assert_eq!(outcome, Err(Some("40001".to_owned())));
    let name: String = first
        .query_one("SELECT name FROM yitu.sources WHERE id = 'S2'", &[])
        .expect("reads")
        .get(0);
    assert_eq!(name, "first");
}

/// A desk that listens hears another desk's committed change (the app polls this between
/// frames to show other desks' edits without reopening).
#[test]
fn a_listening_desk_hears_each_committed_change() {
    use yitu_store::live::{Change, Listener};
    let server = Server::start();
    let url = server.database("yitu");
    init::init(&mut connect(&url).expect("connects"), &project()).expect("loads");
    let mut listener = Listener::new(&url).expect("listens");
    assert_eq!(
        listener.changes(std::time::Duration::ZERO).expect("polls"),
        [],
        "nothing has changed yet"
    );
    let mut desk = connect(&url).expect("connects");
    desk.execute(
        "UPDATE yitu.sources SET name = 'n', version = 2 WHERE id = 'S4'",
        &[],
    )
    .expect("updates");
    desk.execute("DELETE FROM yitu.outfalls WHERE id = 'P1'", &[])
        .expect("deletes");
    // The wait only guards against a hang: the notices were sent when the changes committed.
    let mut heard = Vec::new();
    while heard.len() < 2 {
        let more = listener
            .changes(std::time::Duration::from_secs(30))
            .expect("polls");
        assert!(!more.is_empty(), "no notice within 30 s; heard {heard:?}");
        heard.extend(more);
    }
    let change = |layer: &str, id: &str, op: &str| Change {
        layer: layer.into(),
        feature_id: Some(id.into()),
        op: op.into(),
    };
    assert_eq!(
        heard,
        [
            change("sources", "S4", "UPDATE"),
            change("outfalls", "P1", "DELETE")
        ]
    );
}
