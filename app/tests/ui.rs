//! Headless UI tests (egui_kittest): the real app over the real sample project.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use yitu_app::app::YituApp;
use yitu_app::i18n::Lang;
use yitu_app::jobs::Progress;
use yitu_app::state::{ProjectSource, load};

fn harness() -> Harness<'static> {
    let loaded = std::cell::RefCell::new(Some(
        load(&ProjectSource::Sample, &Progress::default()).expect("sample project loads"),
    ));
    let mut app: Option<YituApp> = None;
    Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui(move |ui| {
            let app = app.get_or_insert_with(|| {
                YituApp::with_loaded(
                    ui.ctx(),
                    loaded.borrow_mut().take().expect("first frame builds the app"),
                    Lang::Zh,
                    None,
                )
            });
            app.show(ui);
        })
}

#[test]
fn opens_in_chinese_and_switches_to_english() {
    let mut h = harness();
    h.run();
    h.get_by_label("图层");
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("Layers");
    h.get_by_label("中文");
}

#[test]
fn attribute_table_opens_and_searches() {
    let mut h = harness();
    h.run();
    // Layers are listed top-first; the first table button belongs to the inspectors roster.
    h.query_all_by_label("属性表").next().unwrap().click();
    h.run();
    assert!(h.query_by_label_contains("属性表 — 执法人员").is_some());
    h.get_by_label("关闭").click();
    h.run();
    assert!(h.query_by_label_contains("属性表 — ").is_none());
}

#[test]
fn bookmark_buttons_are_listed() {
    let mut h = harness();
    h.run();
    h.get_by_label("主城区").click();
    h.run();
    h.get_by_label("两江交汇");
}
