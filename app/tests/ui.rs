//! Headless UI tests (egui_kittest): the real app over the real sample project.

mod harness;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use harness::{harness_sized, harness_then, harness_with, night_detections, step_until};
use yitu_app::i18n::Lang;
use yitu_app::jobs::Progress;
use yitu_app::state::{ProjectSource, load};

fn harness() -> Harness<'static> {
    harness_with(load(&ProjectSource::Sample, &Progress::default()).expect("sample project loads"))
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

#[test]
fn table_row_click_selects_the_feature_and_identify_shows_its_district_and_team() {
    let mut h = harness();
    h.run();
    // Layer list order (top first): inspectors, teams, pollution sources, ...
    h.query_all_by_label("属性表").nth(2).unwrap().click();
    h.run();
    h.get_by_label("PS000001").click();
    h.run();
    assert!(h.query_by_label_contains("所属区县:").is_some());
    assert!(
        h.query_by_label_contains("生态环境保护综合行政执法支队")
            .is_some()
    );
    h.get_by_label("缩放至").click();
    h.run();
}

#[test]
fn picking_on_the_map_finds_the_topmost_feature() {
    use geo::Point;
    use yitu_app::map::view::pick;
    let loaded = load(&ProjectSource::Sample, &Progress::default()).unwrap();
    let sources = loaded.layers.named("pollution_sources").unwrap();
    let Some(geo::Geometry::Point(p)) = sources.data.layer.features[0].geometry else {
        panic!()
    };
    let hit = pick(&loaded, p, 1.0, false).unwrap();
    assert_eq!(hit.layer, sources.id);
    // Far from any point, the district polygon underneath is found instead.
    let district = pick(&loaded, Point::new(106.5774, 29.5577), 1.0, false).unwrap();
    assert_eq!(
        loaded.layers.get(district.layer).unwrap().data.layer.name,
        "districts"
    );
}

#[test]
fn a_district_counts_exactly_the_sources_registered_in_it() {
    let loaded = load(&ProjectSource::Sample, &Progress::default()).unwrap();
    let districts = &loaded.layers.named("districts").unwrap().data;
    let sources = loaded.layers.named("pollution_sources").unwrap();
    let si = sources.id;
    let sources = &sources.data;
    for d in [0, 5, 20] {
        let code = districts.layer.value(d, "adcode").to_string();
        let registered = (0..sources.layer.features.len())
            .filter(|&i| sources.layer.value(i, "district_code").to_string() == code)
            .count();
        let area = districts.layer.features[d].geometry.as_ref().unwrap();
        let counted = loaded
            .counts_inside(area)
            .into_iter()
            .find(|&(l, _)| l == si)
            .map_or(0, |(_, n)| n);
        assert_eq!(counted, registered, "district {code}");
    }
}

#[test]
fn the_current_view_can_be_saved_as_a_bookmark() {
    let mut h = harness();
    h.run();
    let input = h.get_by_role(egui::accesskit::Role::TextInput);
    input.focus();
    input.type_text("长寿");
    h.run();
    h.get_by_label("保存当前视图").click();
    h.run();
    h.get_by_label("长寿");
}

#[test]
fn importing_a_photo_folder_adds_its_track_and_footprints() {
    let Some(folder) = yitu_tests::shared_data("thermal/h20t_flight") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let imported = yitu_app::state::import(
        &folder,
        yitu_layers::io::ReadOptions::default(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(imported.layers.len(), 2);
    assert_eq!(imported.prepared[1].polygons.len(), 6);
    assert!(imported.skipped.is_empty());
}

#[test]
fn the_photo_viewer_shows_a_flir_photo_in_a_palette_with_its_range() {
    use yitu_app::panels::photo_viewer::PhotoViewer;
    let Some(photo) = yitu_tests::shared_data("thermal/FLIR_E40.jpg") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let mut viewer: Option<PhotoViewer> = None;
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 800.0))
        .build_ui(move |ui| {
            let v = viewer.get_or_insert_with(|| {
                yitu_app::fonts::install(ui.ctx());
                PhotoViewer::open(photo.clone(), ui.ctx())
            });
            v.ui(ui.ctx(), Lang::Zh);
        });
    for _ in 0..200 {
        h.step();
        if h.query_by_label_contains("°C").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        h.query_by_label_contains("°C").is_some(),
        "temperature range shown"
    );
    assert!(
        h.query_by_label_contains("FLIR E40").is_some(),
        "camera metadata shown"
    );
}

#[test]
fn importing_a_raster_puts_it_on_the_map_with_values_under_the_pointer() {
    let Some(b10) =
        yitu_tests::shared_data("landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B10.TIF")
    else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let imported = yitu_app::state::import(
        &b10,
        yitu_layers::io::ReadOptions::default(),
        &Progress::default(),
    )
    .unwrap();
    let raster = &imported.rasters[0];
    let r = raster.lon_lat_rect();
    // WRS-2 path 195 row 25, the subset near 8.77°E 50.80°N.
    assert!(
        (r.center().x - 8.77).abs() < 0.05 && (r.center().y - 50.80).abs() < 0.05,
        "{r:?}"
    );
    let centre = yitu_app::map::world::World::from_lon_lat(r.center().x, r.center().y);
    let dn = raster.shown().grid.value_at(centre).unwrap();
    assert!((27_000.0..33_000.0).contains(&dn), "{dn}");
    assert!(raster.shown().stats.p2 < raster.shown().stats.p98);
}

#[test]
fn rasters_are_saved_with_the_project_by_reference_and_restored() {
    use yitu_imagery::thermal::palette::Palette;
    let Some(b10) =
        yitu_tests::shared_data("landsat/LC08_L1TP_195025_20130707_20170503_01_T1_B10.TIF")
    else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let mut loaded = load(&ProjectSource::Sample, &Progress::default()).unwrap();
    let mut imported = yitu_app::state::import(
        &b10,
        yitu_layers::io::ReadOptions::default(),
        &Progress::default(),
    )
    .unwrap();
    imported.rasters[0].palette = Palette::Grey;
    imported.rasters[0].opacity = 0.5;
    loaded.add(imported);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("with-raster.gpkg");
    let mut project = loaded.project_for_saving();
    project.rasters.push(yitu_layers::RasterRef {
        path: "/nowhere/moved.tif".into(),
        view: serde_json::Value::Null,
    });
    project.save(&path).unwrap();
    let reopened = load(&ProjectSource::File(path), &Progress::default()).unwrap();
    assert_eq!(reopened.rasters.len(), 1);
    assert_eq!(reopened.rasters[0].palette, Palette::Grey);
    assert!((reopened.rasters[0].opacity - 0.5).abs() < f32::EPSILON);
    assert_eq!(reopened.warnings.len(), 1, "the moved file is reported");
    assert!(
        reopened.warnings[0].contains("moved.tif"),
        "{}",
        reopened.warnings[0]
    );
}

#[test]
fn the_raster_panel_computes_ndvi_from_a_four_band_raster() {
    use yitu_app::raster::overlay::RasterOverlay;
    use yitu_layers::raster::{Band, Georef};
    let georef = Georef {
        geo_transform: [600_000.0, 100.0, 0.0, 3_270_000.0, 0.0, -100.0],
        crs_wkt: yitu_layers::Crs::Epsg(32648)
            .spatial_ref()
            .unwrap()
            .to_wkt()
            .unwrap(),
    };
    let band = |v: f64| Band {
        width: 8,
        height: 8,
        values: (0..64).map(|i| v + f64::from(i) * 0.001).collect(),
        nodata: None,
        georef: Some(georef.clone()),
        data_type: "Float32".into(),
    };
    let bands = [band(0.1), band(0.2), band(0.1), band(0.5)];
    let mut loaded = load(&ProjectSource::Sample, &Progress::default()).unwrap();
    loaded
        .rasters
        .push(RasterOverlay::from_bands("rgbn.tif".into(), &bands).unwrap());
    let mut h = harness_sized(loaded, egui::vec2(1600.0, 1400.0));
    h.run();
    h.get_by_label("栅格");
    h.get_by_label("NDVI").click();
    h.run();
    h.get_by_label("计算").click();
    h.run();
    assert!(
        h.query_by_label_contains("(b4 - b1) / (b4 + b1)").is_some(),
        "the NDVI raster is listed"
    );
    h.get_by_label("卷帘对比").click();
    h.run();
    h.query_all_by_label("等温 ≥").next().unwrap().click();
    h.run();
    assert!(h.query_all_by_label_contains("阈值").next().is_some());
}

#[test]
fn the_import_dialog_offers_the_source_crs_and_photo_folders() {
    let mut h = harness();
    h.run();
    h.get_by_label("导入数据").click();
    h.run();
    h.get_by_label("GCJ-02").click();
    h.run();
    h.get_by_label("导入此文件夹的无人机照片");
    h.get_by_label("取消").click();
    h.run();
    assert!(h.query_by_label("GCJ-02").is_none(), "the dialog closed");
}

/// The review queue walks a detections layer best first and records each decision.
#[test]
fn review_queue_records_decisions_and_moves_on() {
    let mut loaded = load(&ProjectSource::Sample, &Progress::default()).unwrap();
    let pl = night_detections("detections test");
    let n = pl.layer.features.len();
    assert!(n >= 3);
    let drawing = yitu_app::map::prepared::PreparedLayer::build(&pl);
    loaded.layers.push(pl, drawing);
    let mut h = harness_with(loaded);
    h.run();
    h.get_by_label("复核");
    assert!(h.query_by_label_contains(&format!("1/{n}")).is_some());
    assert!(h.query_by_label_contains("检查目标").is_none());
    h.get_by_label("确认").click();
    h.run();
    // A confirmed detection becomes an inspection target, in its own layer.
    assert!(
        h.query_by_label_contains("检查目标 Inspection targets")
            .is_some()
    );
    assert!(
        h.query_by_label_contains(&format!("2/{n}, 已复核 1"))
            .is_some()
    );
    assert!(
        h.query_by_label("confirmed").is_none(),
        "the second detection is undecided"
    );
    assert!(h.query_by_label("已确认").is_none());
    h.get_by_label("上一个").click();
    h.run();
    // In the review panel in words, and in the identify panel of the selected detection as
    // stored.
    assert!(h.query_by_label("已确认").is_some());
    assert!(h.query_all_by_label("confirmed").count() >= 1);
}

#[test]
fn the_dispatch_window_draws_from_the_project_and_exports_the_announcement() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("季度抽查.gpkg");
    yitu_sample_data::chongqing_project()
        .save(&project)
        .unwrap();
    let loaded = load(&ProjectSource::File(project), &Progress::default()).unwrap();
    let mut h = harness_with(loaded);
    h.run();
    h.get_by_label("双随机抽查").click();
    h.run();
    // Cross checks with nearby districts: the plan gains a pair for every district.
    h.get_by_label("就近配对区县").click();
    h.run();
    assert!(h.query_by_label_contains("已按就近原则配对区县").is_some());
    let entropy = (egui::accesskit::Role::TextInput, "现场公开随机数");
    h.get_by_role_and_label(entropy.0, entropy.1).focus();
    h.run();
    h.get_by_role_and_label(entropy.0, entropy.1)
        .type_text("18 07 33 52");
    h.run();
    h.get_by_label("抽取").click();
    step_until(&mut h, "种子", 200);
    h.run();
    assert!(
        h.query_by_label_contains("种子").is_some(),
        "the draw finished"
    );
    // The sample project's firms by district, and the draw's layer on the map.
    assert!(h.query_by_label_contains("随机抽取").is_some());
    assert!(
        h.query_by_label_contains("双随机抽查 Random draw")
            .is_some()
    );
    assert!(h.query_by_label_contains("万州区 500101").is_some());
    h.get_by_label("导出公示和任务清单").click();
    let out = dir.path().join("季度抽查_draw");
    step_until(&mut h, "公示和任务清单已导出", 200);
    for file in [
        "draw.json",
        "公示.html",
        "公示.csv",
        "tasks.csv",
        "tasks.json",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("draw.json")).unwrap()).unwrap();
    let pairs = record["inputs"]["plan"]["pair"]
        .as_array()
        .expect("pairs in the plan");
    assert!(pairs.len() >= 30, "{} pairs", pairs.len());
    // The drawn firms planned over the project's teams (on the estimate: no network given),
    // on the map and exported as task sheets.
    h.get_by_label("规划路线").click();
    step_until(&mut h, "已安排", 1000);
    h.run();
    assert!(
        h.query_by_label_contains("已安排").is_some(),
        "the plan finished"
    );
    assert!(h.query_by_label_contains("行程为估算").is_some());
    assert!(h.query_by_label_contains("检查路线 Routes").is_some());
    h.get_by_label("导出任务单").click();
    let sheets = dir.path().join("季度抽查_routes");
    step_until(&mut h, "任务单已导出", 500);
    assert!(sheets.join("stops.csv").is_file());
    let html = std::fs::read_dir(&sheets)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "html")
        })
        .count();
    assert!(html > 0, "task sheets in {}", sheets.display());
    // An inspection recorded on a stop (top of the layer list): the stop is done and its
    // firm in the draw inspected, with what was found. (The dispatch window goes first: it
    // would lie over the table.)
    h.get_by_role_and_label(egui::accesskit::Role::Button, "双随机抽查")
        .click_accesskit();
    h.run();
    h.query_all_by_label("属性表")
        .next()
        .unwrap()
        .click_accesskit();
    h.run();
    assert!(h.query_by_label_contains("属性表 — 检查站点").is_some());
    h.query_all_by_label_contains("PS")
        .next()
        .expect("a stop's firm")
        .click();
    h.run();
    h.get_by_label("未发现问题").click_accesskit();
    h.run();
    assert!(
        h.query_by_label_contains("已检查 ").is_some(),
        "the stop shows its inspection"
    );
    h.get_by_role_and_label(egui::accesskit::Role::Button, "双随机抽查")
        .click_accesskit();
    h.run();
    // Another project opens: this one's draw and plan go with it (issue #18, 5). (The draw
    // window lies over the top bar's button: a click by accessibility action reaches it.)
    h.get_by_label("示例项目").click_accesskit();
    for _ in 0..1000 {
        h.step();
        if h.query_by_label_contains("种子").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    for gone in ["种子", "已安排", "导出任务单", "双随机抽查 Random draw"] {
        assert!(
            h.query_by_label_contains(gone).is_none(),
            "{gone} outlived its project"
        );
    }
    assert!(
        h.query_by_label("抽取").is_some(),
        "the draw window stays, empty"
    );
}

// Monitoring (#21): `yitu sample --monitoring`'s folder over the sample project.

/// The sample monitoring folder, as `yitu sample --monitoring` writes it.
fn monitoring_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    yitu_app::state::monitoring_sample::write(dir.path(), 1, false).expect("written");
    dir
}

#[test]
fn the_monitoring_window_lists_anomalies_and_keeps_a_review() {
    let dir = monitoring_folder();
    let loaded = load(&ProjectSource::Sample, &Progress::default()).expect("the sample loads");
    let path = dir.path().to_path_buf();
    let mut h = harness_then(loaded, egui::vec2(1600.0, 1000.0), move |app, ctx| {
        app.analyse_monitoring(ctx, path);
    });
    assert!(step_until(&mut h, "A0001", 500), "the anomalies are listed");
    h.get_by_label_contains("在线监控 (非现场执法)");
    assert!(
        h.query_by_label("异常时段").is_some(),
        "the timeline shows the anomaly"
    );
    assert!(
        h.query_by_label_contains("生产用电").is_some(),
        "with the firm's power"
    );
    // The first anomaly is selected: confirm it.
    h.query_all_by_label("确认")
        .last()
        .expect("a confirm button")
        .click();
    h.run_steps(3);
    assert!(
        h.query_by_label("已确认").is_some(),
        "the review is on the list"
    );
}

/// A click on the map with the trace tool traces the rivers; a trace up the Jialing from
/// Hechuan lists the Sichuan line it crosses and its finds by district, a row selects its
/// feature.
#[test]
fn the_river_trace_tool_traces_lists_and_selects() {
    let loaded = load(&ProjectSource::Sample, &Progress::default()).expect("sample project loads");
    let mut h = harness_with(loaded);
    h.run();
    h.get_by_label("流域追溯").click();
    h.run();
    let centre = egui::pos2(790.0, 470.0);
    for pressed in [true, false] {
        h.event(egui::Event::PointerMoved(centre));
        h.event(egui::Event::PointerButton {
            pos: centre,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    assert!(
        h.query_by_label_contains("段河道").is_some(),
        "a click on the map traced"
    );

    let loaded = load(&ProjectSource::Sample, &Progress::default()).expect("sample project loads");
    let basin = yitu_app::state::basins::Basin::new(&loaded).expect("the sample has rivers");
    let request = yitu_app::state::basins::TraceRequest {
        at: geo::coord! { x: 106.28, y: 30.0 },
        label: String::new(),
        direction: yitu_basins::Direction::Up,
        km: Some(100.0),
        hours: None,
        exceedance: yitu_basins::attribution::Exceedance::default(),
    };
    let run = basin.trace(&loaded, request).expect("a trace");
    let first = run.ranked.first().expect("something found").found.clone();
    let feature = yitu_app::state::basins::feature_of(&loaded, &first).expect("a project feature");
    let name = loaded
        .layers
        .get(feature.layer)
        .expect("its layer")
        .data
        .layer
        .label(feature.feature);
    let mut h = harness_then(loaded, egui::vec2(1600.0, 900.0), |app, _| {
        app.trace_from(106.28, 30.0, String::new());
    });
    h.run();
    assert!(
        h.query_by_label_contains("武胜县 -> 合川区 [四川省 -> 重庆市]")
            .is_some(),
        "the Sichuan line crossed"
    );
    assert!(
        h.query_by_label_contains("重庆市 合川区 (").is_some(),
        "finds grouped by district"
    );
    h.get_by_label(&first.id).click();
    h.run();
    assert!(
        h.query_all_by_label_contains(&name).next().is_some(),
        "the identify panel shows {name}"
    );
}

/// A drag with the primary button from `a` to `b`, in ten moves.
fn drag(h: &mut Harness<'_>, a: egui::Pos2, b: egui::Pos2) {
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    h.event(egui::Event::PointerMoved(a));
    h.event(button(a, true));
    h.step();
    for k in 1..=10 {
        h.event(egui::Event::PointerMoved(a + (b - a) * (k as f32 / 10.0)));
        h.step();
    }
    h.event(button(b, false));
    h.run();
}

/// Command-centre mode from the desk: the presenter frame in the window, stepped with the
/// arrow keys and a clicker's PageUp/PageDown, a pen stroke drawn and undone, left with
/// Escape; and the presentation on a second screen opened and closed.
#[test]
fn the_command_centre_presents_steps_and_draws() {
    let mut h = harness();
    h.run();
    h.get_by_label("指挥调度").click();
    h.run();
    h.get_by_label("在本窗口演示").click();
    h.run();
    assert!(h.query_by_label("下一步").is_some(), "the presenter bar");
    assert!(
        h.query_by_label("1/4").is_some(),
        "the overview's first step"
    );
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert!(h.query_by_label("2/4").is_some());
    h.key_press(egui::Key::PageDown);
    h.run();
    assert!(h.query_by_label("3/4").is_some());
    h.key_press(egui::Key::PageUp);
    h.run();
    assert!(h.query_by_label("2/4").is_some());
    h.get_by_label("画笔").click();
    h.run();
    drag(&mut h, egui::pos2(500.0, 400.0), egui::pos2(700.0, 500.0));
    h.get_by_label("撤销").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("图层").is_some(), "back at the desk");
    assert!(
        h.query_by_label_contains("2. 中心城区").is_some(),
        "the meeting window lists the story"
    );
    h.get_by_label("投到第二屏").click();
    h.run();
    // With the presentation on a second screen the desk takes the pen and edits the story.
    h.get_by_label("箭头").click();
    h.run();
    drag(&mut h, egui::pos2(600.0, 600.0), egui::pos2(800.0, 650.0));
    assert!(
        h.query_by_label("此步标注 1").is_some(),
        "the arrow drawn on the desk is kept with the step"
    );
    h.get_by_label("此步说明").click();
    h.run();
    h.get_by_label("此步说明").type_text("·改");
    h.run();
    assert!(
        h.query_by_label_contains("2. 中心城区·改").is_some(),
        "the caption edited on the desk"
    );
    // The step moved down and back up, and given the desk's view.
    h.get_by_label("此步后移").click();
    h.run();
    assert!(h.query_by_label_contains("3. 中心城区·改").is_some());
    h.get_by_label("此步前移").click();
    h.run();
    assert!(h.query_by_label_contains("2. 中心城区·改").is_some());
    h.get_by_label("此步改用当前视图").click();
    h.run();
    assert!(h.query_by_label_contains("2. 中心城区·改").is_some());
    h.get_by_label("关闭第二屏").click();
    h.run();
}
