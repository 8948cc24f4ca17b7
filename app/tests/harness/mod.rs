//! What the UI test files share: the real app over a loaded project in a headless harness.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use yitu_app::app::YituApp;
use yitu_app::i18n::Lang;
use yitu_app::state::LoadedProject;

/// The app over `loaded`, in Chinese, 1600 × 900.
pub fn harness_with(loaded: LoadedProject) -> Harness<'static> {
    harness_sized(loaded, egui::vec2(1600.0, 900.0))
}

/// The app over `loaded`, in Chinese, at `size`.
pub fn harness_sized(loaded: LoadedProject, size: egui::Vec2) -> Harness<'static> {
    harness_then(loaded, size, |_, _| {})
}

/// The app over `loaded`, with `first` done to it on the first frame.
pub fn harness_then(
    loaded: LoadedProject,
    size: egui::Vec2,
    first: impl FnOnce(&mut YituApp, &egui::Context) + 'static,
) -> Harness<'static> {
    let mut first = Some(first);
    let loaded = std::cell::RefCell::new(Some(loaded));
    let mut app: Option<YituApp> = None;
    Harness::builder().with_size(size).build_ui(move |ui| {
        let app = app.get_or_insert_with(|| {
            YituApp::with_loaded(
                ui.ctx(),
                loaded
                    .borrow_mut()
                    .take()
                    .expect("first frame builds the app"),
                Lang::Zh,
                None,
            )
        });
        if let Some(f) = first.take() {
            f(app, ui.ctx());
        }
        app.show(ui);
    })
}

/// Steps the harness (20 ms apart, at most `steps` times) until a widget's label contains
/// `label`: a background job has reported back. Says whether it did.
pub fn step_until(h: &mut Harness<'_>, label: &str, steps: usize) -> bool {
    for _ in 0..steps {
        h.step();
        if h.query_by_label_contains(label).is_some() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

/// A detections layer called `name`, found on a small synthetic night scene (seed 3).
pub fn night_detections(name: &str) -> yitu_layers::ProjectLayer {
    use yitu_imagery::detect::{Parameters, detect, detections_layer, synthetic};
    let spec = synthetic::SceneSpec::small_night(3);
    let scene = synthetic::Scene::generate(&spec);
    let found = detect(
        &scene.image,
        &scene.registry,
        &Parameters::for_daylight(spec.daylight),
    );
    yitu_layers::ProjectLayer {
        layer: detections_layer(name, std::path::Path::new("scene.tif"), &found),
        style: yitu_layers::LayerStyle::default(),
    }
}
