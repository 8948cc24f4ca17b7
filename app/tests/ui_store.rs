//! Headless UI tests (egui_kittest) of the real app over a shared store on a private
//! PostgreSQL: another desk's change shows without reopening; a stale review is shown as a
//! conflict (both values, who, when) and written only as the user chooses; the identify panel
//! shows the feature's history.

mod harness;

use egui_kittest::kittest::Queryable as _;
use harness::{harness_with, night_detections, step_until};
use yitu_app::jobs::Progress;
use yitu_app::state::{ProjectSource, load};
use yitu_tests::postgres::Server;

/// The sample project with a detections layer from a synthetic night scene, in a store.
fn store() -> (Server, String) {
    let mut project = yitu_sample_data::chongqing_project();
    let detections = night_detections("检测 scene.tif");
    assert!(detections.layer.features.len() >= 2);
    project.layers.push(detections);
    let server = Server::start();
    let url = server.database("yitu");
    let mut owner = yitu_store::connect(&url).expect("connects");
    yitu_store::init::init(&mut owner, &project).expect("the store takes the project");
    yitu_store::roles::grant(&mut owner, "li", &yitu_store::roles::Role::City)
        .expect("li is a city desk");
    (server, url)
}

/// Li, at another desk, dismisses the first detection of the review queue (the table read in
/// id order); its id.
fn li_dismisses_the_first_detection(server: &Server) -> String {
    let mut li = yitu_store::connect(&server.url("li", "yitu")).expect("li connects");
    let id: String = li
        .query_one("SELECT id FROM yitu.detections ORDER BY id LIMIT 1", &[])
        .expect("a detection")
        .get(0);
    li.execute(
        "UPDATE yitu.detections SET review = 'dismissed', version = version + 1 WHERE id = $1",
        &[&id],
    )
    .expect("li dismisses it");
    id
}

#[test]
fn another_desks_review_shows_without_reopening() {
    let (server, url) = store();
    let loaded = load(&ProjectSource::Store(url.clone()), &Progress::default()).expect("opens");
    let mut h = harness_with(loaded);
    h.run();
    h.get_by_label("复核");
    assert!(h.query_by_label("已排除").is_none());
    li_dismisses_the_first_detection(&server);
    assert!(
        step_until(&mut h, "已排除", 500),
        "li's decision reached the open desk"
    );
}

#[test]
fn a_stale_review_is_shown_as_a_conflict_and_written_as_chosen() {
    let (server, url) = store();
    let mut loaded = load(&ProjectSource::Store(url.clone()), &Progress::default()).expect("opens");
    // This desk does not hear li's change before it decides: its version is stale.
    loaded.store.as_mut().expect("a store's project").listener = None;
    let id = li_dismisses_the_first_detection(&server);
    let mut h = harness_with(loaded);
    h.run();
    h.get_by_label("确认").click();
    assert!(step_until(&mut h, "编辑冲突", 500), "the conflict is shown");
    assert!(h.query_by_label_contains("li 已先行修改于").is_some());
    assert!(h.query_by_label("dismissed").is_some(), "theirs");
    assert!(h.query_by_label("confirmed").is_some(), "mine");
    let mut owner = yitu_store::connect(&url).expect("connects");
    let review = |owner: &mut postgres::Client| -> (Option<String>, i32) {
        let r = owner
            .query_one(
                "SELECT review, version FROM yitu.detections WHERE id = $1",
                &[&id],
            )
            .expect("the detection");
        (r.get(0), r.get(1))
    };
    assert_eq!(
        review(&mut owner),
        (Some("dismissed".into()), 2),
        "nothing is overwritten before the user chooses"
    );
    h.get_by_label("用我的覆盖").click();
    let mut written = false;
    for _ in 0..500 {
        h.step();
        if review(&mut owner).0.as_deref() == Some("confirmed") {
            written = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(written, "the user's choice is written");
    assert_eq!(review(&mut owner), (Some("confirmed".into()), 3));
    // The identify panel shows who changed it: li, then this desk.
    h.get_by_label("上一个").click();
    assert!(
        step_until(&mut h, "变更记录 (2)", 500),
        "the history is read"
    );
    assert!(h.query_by_label_contains("li 修改").is_some());
    assert!(
        h.query_by_label_contains("review: \"dismissed\" -> \"confirmed\"")
            .is_some()
    );
}
