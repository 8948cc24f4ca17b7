//! Detection on synthetic scenes with planted truth (issue #4, `docs/remote-sensing.md` §6).
//! Fixed seeds, so every figure is reproducible; `Tally` documents how each is counted.

use yitu_imagery::detect::synthetic::{Scene, SceneSpec};
use yitu_imagery::detect::tally::Tally;
use yitu_imagery::detect::{Capability, Daylight, Parameters, Status, detect};

fn run(specs: &[SceneSpec]) -> Tally {
    let mut tally = Tally::default();
    for spec in specs {
        tally.detect_and_add(&Scene::generate(spec), spec.daylight);
    }
    tally
}

/// Rivers 25–120 m wide at 0.1–0.2 m per pixel, a 240 m reach each.
fn specs(daylight: Daylight, count: u64) -> Vec<SceneSpec> {
    (1..=count)
        .map(|seed| SceneSpec {
            seed,
            daylight,
            river_width_m: [25.0, 40.0, 60.0, 90.0, 120.0][(seed % 5) as usize],
            gsd_m: [0.1, 0.15, 0.2][(seed % 3) as usize],
            length_m: 240.0,
            plumes: 5,
            hotspots: 6,
        })
        .collect()
}

/// Plumes are flown at night or before dawn (§5.2's guidance); the figures are the bars.
#[test]
fn plumes_and_hot_spots_on_night_scenes_meet_the_bars() {
    let t = run(&specs(Daylight::Night, 20));
    let summary = format!("{t:?}");
    // The figures of the closing note (`cargo test -p yitu-tests --test detection_synthetic
    // -- --nocapture`).
    eprintln!("night: {t}");
    assert!(t.plume_truths >= 40, "{summary}");
    assert!(
        t.plume_recall() >= 0.9,
        "plume recall {} {summary}",
        t.plume_recall()
    );
    assert!(
        t.plume_precision() >= 0.9,
        "plume precision {} {summary}",
        t.plume_precision()
    );
    assert!(
        t.median_outlet_error_m() <= 1.5,
        "outlet error {} {summary}",
        t.median_outlet_error_m()
    );
    assert!(
        t.status_accuracy() >= 0.95,
        "status {} {summary}",
        t.status_accuracy()
    );
    assert!(t.land_truths >= 20, "{summary}");
    assert!(
        t.land_recall() >= 0.95,
        "land recall {} {summary}",
        t.land_recall()
    );
    assert!(
        t.land_precision() >= 0.9,
        "land precision {} {summary}",
        t.land_precision()
    );
}

/// By day roofs are 8–20 K warmer than the ground; hot spots must still stand out.
#[test]
fn hot_spots_on_day_scenes_meet_the_bars() {
    let t = run(&specs(Daylight::Day, 20));
    let summary = format!("{t:?}");
    eprintln!("day: {t}");
    assert!(
        t.land_recall() >= 0.95,
        "land recall {} {summary}",
        t.land_recall()
    );
    assert!(
        t.land_precision() >= 0.9,
        "land precision {} {summary}",
        t.land_precision()
    );
}

#[test]
fn the_same_scene_gives_the_same_detections() {
    let spec = specs(Daylight::Night, 2)[1];
    // Generated afresh each time: the generator is part of what must repeat.
    let run = || {
        let scene = Scene::generate(&spec);
        detect(
            &scene.image,
            &scene.registry,
            &Parameters::for_daylight(spec.daylight),
        )
    };
    let (a, b) = (run(), run());
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert!(a.iter().any(|d| d.capability == Capability::BankPlume));
}

/// A closed outfall whose plume is seen, an unregistered plume with an outfall straight across
/// the river, and a stopped factory running: the three statuses enforcement cares most about.
#[test]
fn statuses_follow_the_registry_on_the_same_bank_only() {
    let mut seen = std::collections::BTreeSet::new();
    for spec in specs(Daylight::Night, 8) {
        let scene = Scene::generate(&spec);
        for d in detect(
            &scene.image,
            &scene.registry,
            &Parameters::for_daylight(spec.daylight),
        ) {
            seen.insert(format!("{:?}", d.status));
        }
    }
    for s in [
        Status::RegisteredActive,
        Status::RegisteredClosedDischarging,
        Status::UnregisteredSuspect,
        Status::FacilityActiveDuringStop,
        Status::RegisteredSource,
    ] {
        assert!(
            seen.contains(&format!("{s:?}")),
            "{s:?} never seen: {seen:?}"
        );
    }
}

/// Bad input is said, not silently turned into an empty result (issue #4, "Bad input").
#[test]
fn bad_inputs_are_named() {
    use yitu_imagery::detect::checks::check;
    use yitu_layers::chinese_crs::{LonLat, gcj02_from_wgs84};
    let scene = Scene::generate(&specs(Daylight::Night, 1)[0]);
    assert_eq!(
        check(&scene.image, &scene.registry).unwrap(),
        Vec::<String>::new()
    );
    // Outfalls copied from a web map (GCJ-02) without saying so.
    let mut gcj = scene.registry.clone();
    for o in &mut gcj.outfalls {
        let p = gcj02_from_wgs84(LonLat::new(o.lon, o.lat));
        (o.lon, o.lat) = (p.lon, p.lat);
    }
    let w = check(&scene.image, &gcj).unwrap();
    assert!(w.iter().any(|w| w.contains("GCJ-02")), "{w:?}");
    // A river file for somewhere else.
    let mut elsewhere = scene.registry.clone();
    for r in &mut elsewhere.rivers {
        geo::Translate::translate_mut(r, 0.5, 0.0);
    }
    let w = check(&scene.image, &elsewhere).unwrap();
    assert!(w.iter().any(|w| w.contains("do not overlap")), "{w:?}");
    let found = detect(
        &scene.image,
        &elsewhere,
        &Parameters::for_daylight(Daylight::Night),
    );
    assert!(
        found
            .iter()
            .all(|d| d.capability == Capability::LandHotspot)
    );
    // A scene smaller than the background ring.
    let tiny = Scene::generate(&SceneSpec {
        length_m: 20.0,
        plumes: 0,
        hotspots: 0,
        ..specs(Daylight::Night, 1)[0]
    });
    let w = check(&tiny.image, &tiny.registry).unwrap();
    assert!(w.iter().any(|w| w.contains("background ring")), "{w:?}");
    // Every pixel nodata.
    let mut empty = Scene::generate(&specs(Daylight::Night, 1)[0]);
    empty.image.celsius.fill(f32::NAN);
    let e = check(&empty.image, &empty.registry)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no valid temperatures"), "{e}");
}

/// Landsat-like scene (30 m pixels, 6 km): a stopped facility running shows, a stopped one
/// that is cold does not, an operating one warmer than its ring is a registered source
/// (§5.3 C1, §6.3's planted facility of +2…+10 K).
#[test]
fn satellite_facilities_warmer_than_their_ring_are_found() {
    use yitu_imagery::detect::{PixelFrame, Registry, Source, ThermalImage};
    use yitu_layers::registry::OperatingStatus;
    let (w, h, gsd) = (200, 200, 30.0);
    let georef = yitu_layers::raster::Georef {
        geo_transform: [580_000.0, gsd, 0.0, 3_280_000.0, 0.0, -gsd],
        crs_wkt: yitu_layers::Crs::Epsg(32648)
            .spatial_ref()
            .unwrap()
            .to_wkt()
            .unwrap(),
    };
    let frame = PixelFrame::new(&georef, w, h).unwrap();
    // A gentle gradient with a ±0.3 K texture, and three 90 m facilities.
    let mut celsius: Vec<f32> = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            30.0 + 0.01 * x - 0.005 * y + 0.3 * ((x * 0.7).sin() * (y * 1.3).cos())
        })
        .collect();
    let facilities = [
        ((50, 50), 6.0, OperatingStatus::Stopped),
        ((140, 60), 0.0, OperatingStatus::Stopped),
        ((100, 150), 4.0, OperatingStatus::Operating),
    ];
    let mut sources = Vec::new();
    for (k, ((cx, cy), dt, status)) in facilities.iter().enumerate() {
        for y in cy - 1..=cy + 1 {
            for x in cx - 1..=cx + 1 {
                celsius[y * w + x] += dt;
            }
        }
        let corner = |dx: f64, dy: f64| {
            let (lon, lat) = frame.lon_lat(*cx as f64 + dx, *cy as f64 + dy).unwrap();
            geo::coord! { x: lon, y: lat }
        };
        let ring = vec![
            corner(-1.5, -1.5),
            corner(1.5, -1.5),
            corner(1.5, 1.5),
            corner(-1.5, 1.5),
            corner(-1.5, -1.5),
        ];
        sources.push(Source {
            id: format!("F{k}"),
            status: Some(*status),
            geometry: geo::Polygon::new(ring.into(), Vec::new()).into(),
        });
    }
    let image = ThermalImage {
        width: w,
        height: h,
        celsius,
        frame,
    };
    let registry = Registry {
        sources,
        ..Registry::default()
    };
    let found = detect(&image, &registry, &Parameters::for_daylight(Daylight::Day));
    let by_source = |id: &str| found.iter().find(|d| d.source_id.as_deref() == Some(id));
    let f0 = by_source("F0").expect("the running stopped facility is found");
    assert_eq!(f0.status, Status::FacilityActiveDuringStop);
    assert_eq!(f0.capability, Capability::SatHotspot);
    assert!((f0.delta_t_k - 6.0).abs() < 1.0, "{}", f0.delta_t_k);
    assert!(
        by_source("F1").is_none(),
        "a cold stopped facility is not reported"
    );
    assert_eq!(
        by_source("F2").map(|d| d.status),
        Some(Status::RegisteredSource)
    );
}

/// A boat lying on a plume is masked out; the plume is still found with the same outlet.
#[test]
fn a_boat_on_a_plume_does_not_hide_it() {
    let spec = specs(Daylight::Night, 1)[0];
    let mut scene = Scene::generate(&spec);
    let params = Parameters::for_daylight(spec.daylight);
    let before = detect(&scene.image, &scene.registry, &params);
    let plume = before
        .iter()
        .filter(|d| d.capability == Capability::BankPlume && d.area_m2 >= 20.0)
        .max_by(|a, b| a.area_m2.total_cmp(&b.area_m2))
        .expect("a large bank plume");
    let frame = &scene.image.frame;
    let outlet = frame
        .pixel(plume.outlet_lon.unwrap(), plume.outlet_lat.unwrap())
        .unwrap();
    // A 3 × 8 m boat at +12 K on a plume pixel 2.5–6 m off the bank.
    let rivers: Vec<_> = scene
        .registry
        .rivers
        .iter()
        .map(|p| frame.polygon_to_pixels(p))
        .collect();
    let rings = yitu_imagery::detect::water::BankRings::new(&rivers, frame.gsd_m);
    let wet = yitu_imagery::detect::water::wet(&scene.image.pixels(), &rings, &rivers);
    let (w, h) = (scene.image.width, scene.image.height);
    let whole = yitu_imagery::detect::tiles::Tile::whole(w, h);
    let bank = yitu_imagery::detect::water::bank(&wet, &whole, &rings, frame.gsd_m);
    let [x0, y0, x1, y1] = plume.pixel_bbox;
    let centre = (y0..=y1)
        .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
        .find(|&(x, y)| {
            bank.get(y * w + x)
                .is_some_and(|b| (2.5..6.0).contains(&b.n_m))
                && scene.image.at(x, y) - plume.background_temp_c as f32
                    > 0.3 * plume.delta_t_k.abs() as f32
        })
        .expect("a plume pixel off the bank");
    let gsd = frame.gsd_m;
    let (hw, hh) = ((4.0 / gsd) as usize, (1.5 / gsd) as usize);
    let boat_t = plume.background_temp_c as f32 + 12.0;
    for y in centre.1.saturating_sub(hh)..centre.1 + hh {
        for x in centre.0.saturating_sub(hw)..(centre.0 + hw).min(w) {
            if bank.get(y * w + x).is_some_and(|b| b.n_m > 2.0) {
                scene.image.celsius[y * w + x] = boat_t;
            }
        }
    }
    let after = detect(&scene.image, &scene.registry, &params);
    let found = after.iter().any(|d| {
        d.capability == Capability::BankPlume
            && d.outlet_lon
                .zip(d.outlet_lat)
                .and_then(|(lon, lat)| frame.pixel(lon, lat))
                .is_some_and(|(x, y)| (x - outlet.0).hypot(y - outlet.1) * gsd <= 3.0)
    });
    assert!(found, "the plume at {outlet:?} is lost under the boat");
}
