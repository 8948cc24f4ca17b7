//! Two desks reviewing the same detection at once: one wins, the other is told what the row
//! holds now, who changed it and when, and may still write its own choice knowingly.

mod common;

use geo::Point;
use yitu_layers::{AttrValue, LayerKind, Project};
use yitu_store::edit::{EditOutcome, update};
use yitu_store::roles::{Role, grant};
use yitu_store::{connect, init, read};
use yitu_tests::postgres::Server;

use common::{layer, project, text};

/// The test project with a detections layer (named as detection names it: its table is
/// `detections` all the same, its note the review note).
fn with_detections() -> Project {
    let mut p = project();
    p.layers.push(layer(
        "检测 scene.tif",
        LayerKind::Other,
        &["id", "capability", "status", "score", "note"],
        vec![(
            Point::new(106.5, 29.1).into(),
            vec![
                text("D1"),
                text("plume"),
                text("unregistered"),
                AttrValue::Real(0.91),
                AttrValue::Null,
            ],
        )],
    ));
    p
}

fn review(decision: &str) -> Vec<(String, AttrValue)> {
    vec![
        ("review".to_owned(), text(decision)),
        (
            "review_note".to_owned(),
            text(&format!("{decision} on site")),
        ),
    ]
}

#[test]
fn the_second_review_of_a_version_is_shown_the_first() {
    let server = Server::start();
    let url = server.database("yitu");
    let mut owner = connect(&url).expect("connects");
    init::init(&mut owner, &with_detections()).expect("loads");
    for user in ["li", "wang"] {
        grant(&mut owner, user, &Role::City).expect("granted");
    }
    let mut li = connect(&server.url("li", "yitu")).expect("li connects");
    let mut wang = connect(&server.url("wang", "yitu")).expect("wang connects");
    // Both read the detection at version 1 (the district was placed by its position).
    let seen = read::read_rows(&mut wang, "detections", &["D1".to_owned()]).expect("reads");
    let version = seen.field_index("version").expect("a version field");
    assert_eq!(seen.features[0].values[version], AttrValue::Int(1));
    let district = seen.field_index("district").expect("a district field");
    assert_eq!(seen.features[0].values[district], text("500101"));

    let first = update(&mut li, "detections", "D1", 1, &review("confirmed")).expect("li saves");
    assert_eq!(first, EditOutcome::Written { version: 2 });
    let second = update(&mut wang, "detections", "D1", 1, &review("dismissed")).expect("runs");
    let EditOutcome::Stale(theirs) = second else {
        panic!("wang's stale review was written: {second:?}");
    };
    assert_eq!(theirs.version, 2);
    assert_eq!(theirs.values["review"], "confirmed");
    assert_eq!(theirs.by.as_deref(), Some("li"));
    assert!(theirs.at.is_some());
    // Wang keeps his decision, knowing li's: written over version 2.
    let third = update(&mut wang, "detections", "D1", 2, &review("dismissed")).expect("runs");
    assert_eq!(third, EditOutcome::Written { version: 3 });
    let log = yitu_store::audit::log(&mut owner, Some("D1")).expect("the log");
    let who: Vec<(&str, Option<&str>)> = log
        .iter()
        .map(|e| {
            (
                e.role.as_str(),
                e.new.as_ref().and_then(|n| n["review"].as_str()),
            )
        })
        .collect();
    assert_eq!(
        who,
        [("li", Some("confirmed")), ("wang", Some("dismissed"))]
    );
    // A field the table lacks is refused, not dropped.
    let e = update(
        &mut li,
        "detections",
        "D1",
        3,
        &[("nope".into(), text("x"))],
    )
    .expect_err("no such column");
    assert!(e.to_string().contains("no column nope"), "{e}");
}
