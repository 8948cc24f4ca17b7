//! Detection on synthetic scenes with planted truth (issue #4, `docs/remote-sensing.md` §6):
//! fixed seeds, so every figure here is reproducible.

use yitu_analysis::detect::synthetic::{Scene, SceneSpec, Tally};
use yitu_analysis::detect::{Daylight, Parameters, detect};

fn run(specs: &[SceneSpec]) -> Tally {
    let mut tally = Tally::default();
    for spec in specs {
        let scene = Scene::generate(spec);
        let found = detect(&scene.image, &scene.registry, &Parameters::for_daylight(spec.daylight));
        tally.add(&scene, &found);
    }
    tally
}

fn specs(daylight: Daylight, count: u64, first_seed: u64) -> Vec<SceneSpec> {
    (0..count)
        .map(|k| {
            let seed = first_seed + k;
            SceneSpec {
                seed,
                daylight,
                river_width_m: [25.0, 40.0, 60.0, 90.0, 120.0][(seed % 5) as usize],
                gsd_m: [0.1, 0.15, 0.2][(seed % 3) as usize],
                length_m: 240.0,
                plumes: 5,
                hotspots: 6,
            }
        })
        .collect()
}

#[test]
fn explore() {
    let n: u64 = std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let day = std::env::var_os("DAY").is_some();
    let t = run(&specs(if day { Daylight::Day } else { Daylight::Night }, n, 1));
    eprintln!(
        "nominal recall {:.3} ({}) plume recall {:.3} ({}) precision {:.3} outlet {:.2} m status {:.3}; land recall {:.3} precision {:.3}",
        t.plume_nominal_recall(),
        t.plume_nominal_truths,
        t.plume_recall(),
        t.plume_truths,
        t.plume_precision(),
        t.median_outlet_error_m(),
        t.status_accuracy(),
        t.land_recall(),
        t.land_precision()
    );
}

#[test]
fn debug_scene() {
    let seed: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let spec = specs(Daylight::Night, 1, seed)[0];
    let scene = Scene::generate(&spec);
    let found = detect(&scene.image, &scene.registry, &Parameters::for_daylight(spec.daylight));
    let f = &scene.image.frame;
    let gsd = f.gsd_m;
    eprintln!("seed {seed} width {} gsd {} size {}x{}", spec.river_width_m, gsd, scene.image.width, scene.image.height);
    for o in &scene.registry.outfalls {
        eprintln!("outfall {} {} at {:?}", o.id, o.status, f.pixel(o.lon, o.lat));
    }
    for t in &scene.plumes {
        let near = found
            .iter()
            .filter_map(|d| {
                let (lon, lat) = (d.outlet_lon.unwrap_or(d.centroid_lon), d.outlet_lat.unwrap_or(d.centroid_lat));
                let (x, y) = f.pixel(lon, lat)?;
                Some(((x - t.outlet_px.0).hypot(y - t.outlet_px.1) * gsd, d))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        eprintln!(
            "truth {:?} dt {:.1} area {:.1} sub {} status {:?} -> nearest {:.1} m {:?}",
            (t.outlet_px.0 as i64, t.outlet_px.1 as i64), t.delta_t0_k, t.area_m2, t.submerged, t.expected_status,
            near.map_or(f64::NAN, |n| n.0),
            near.map(|n| (n.1.capability, n.1.score, n.1.status, n.1.area_m2, n.1.delta_t_k, n.1.pixel_bbox))
        );
    }
    for d in &found {
        eprintln!("det {:?} score {:.2} status {:?} area {:.1} dt {:.2} z {:.1} bbox {:?}", d.capability, d.score, d.status, d.area_m2, d.delta_t_k, d.z_peak, d.pixel_bbox);
    }
    // The scene as a PGM for eyes.
    let (w, h) = (scene.image.width, scene.image.height);
    let v = &scene.image.celsius;
    let (lo, hi) = (12.0_f32, 24.0_f32);
    let mut pgm = format!("P5 {w} {h} 255\n").into_bytes();
    pgm.extend(v.iter().map(|t| (((t - lo) / (hi - lo)).clamp(0.0, 1.0) * 255.0) as u8));
    std::fs::write(format!("/tmp/exp/scene{seed}.pgm"), pgm).unwrap();
}

#[test]
fn debug_anomaly() {
    let seed: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let spec = specs(Daylight::Night, 1, seed)[0];
    let scene = Scene::generate(&spec);
    let f = &scene.image.frame;
    let rivers: Vec<_> = scene.registry.rivers.iter().map(|p| f.polygon_to_pixels(p)).collect();
    let water = yitu_analysis::detect::water::water(&scene.image, &rivers);
    let params = Parameters::for_daylight(spec.daylight);
    let a = yitu_analysis::detect::plume::anomaly(&scene.image, &water, &params.plume);
    let (w, h) = (scene.image.width, scene.image.height);
    let mut pgm = format!("P5 {w} {h} 255\n").into_bytes();
    pgm.extend((0..w * h).map(|i| {
        if !water.mask[i] { return 0; }
        let d = scene.image.celsius[i] - a.reference_c[i];
        if !d.is_finite() { return 10; }
        ((d / 2.0 * 127.0) + 128.0).clamp(1.0, 255.0) as u8
    }));
    std::fs::write(format!("/tmp/exp/anom{seed}.pgm"), pgm).unwrap();
    let mut zp = format!("P5 {w} {h} 255\n").into_bytes();
    zp.extend((0..w * h).map(|i| {
        if !water.mask[i] { return 0; }
        let z = (scene.image.celsius[i] - a.reference_c[i]) / a.sigma_k[i];
        if !z.is_finite() { return 10; }
        ((z / 8.0 * 127.0) + 128.0).clamp(1.0, 255.0) as u8
    }));
    std::fs::write(format!("/tmp/exp/z{seed}.pgm"), zp).unwrap();
    let mut wp = format!("P5 {w} {h} 255\n").into_bytes();
    let prior = yitu_analysis::detect::water::rasterize(&rivers, w, h);
    wp.extend((0..w * h).map(|i| {
        let t = ((scene.image.celsius[i] - 10.0) / 15.0 * 100.0).clamp(0.0, 100.0) as u8;
        t + if water.wet[i] { 100 } else { 0 } + if prior[i] { 50 } else { 0 }
    }));
    std::fs::write(format!("/tmp/exp/w{seed}.pgm"), wp).unwrap();
    if let Ok(at) = std::env::var("AT") {
        let v: Vec<usize> = at.split(',').map(|s| s.parse().unwrap()).collect();
        for dy in [-6_i64, -3, 0, 3, 6] {
            let row: Vec<String> = (-6_i64..=6).step_by(3).map(|dx| {
                let i = ((v[1] as i64 + dy) as usize) * w + (v[0] as i64 + dx) as usize;
                format!("{:5.2}/{:4.2}/{}", scene.image.celsius[i] - a.reference_c[i], a.sigma_k[i], water.bank[i].map_or(-1.0, |b| b.n_m))
            }).collect();
            eprintln!("{}", row.join(" "));
        }
    }
}

#[test]
fn debug_all() {
    let first: u64 = std::env::var("FIRST").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let n: u64 = std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    for spec in specs(Daylight::Night, n, first) {
        let scene = Scene::generate(&spec);
        let found = detect(&scene.image, &scene.registry, &Parameters::for_daylight(spec.daylight));
        let f = &scene.image.frame;
        let gsd = f.gsd_m;
        let plume_dets: Vec<_> = found.iter().filter(|d| d.score >= 0.5 && d.outlet_lon.is_some() || matches!(d.capability, yitu_analysis::detect::Capability::SubmergedPlume)).collect();
        for t in &scene.plumes {
            let near = plume_dets.iter().filter_map(|d| {
                let (x, y) = f.pixel(d.outlet_lon.unwrap_or(d.centroid_lon), d.outlet_lat.unwrap_or(d.centroid_lat))?;
                Some(((x - t.outlet_px.0).hypot(y - t.outlet_px.1) * gsd, d))
            }).min_by(|a, b| a.0.total_cmp(&b.0));
            if near.is_none_or(|n| n.0 > 3.0) {
                eprintln!("seed {} MISS {:?} dt {:.1} vis {:.2} area {:.1} sub {} nearest {:?}", spec.seed, (t.outlet_px.0 as i64, t.outlet_px.1 as i64), t.delta_t0_k, t.visible_delta_t_k, t.area_m2, t.submerged, near.map(|n| (n.0, n.1.pixel_bbox, n.1.capability)));
            } else if let Some((_, d)) = near && d.status != t.expected_status {
                eprintln!("seed {} STATUS {:?} want {:?} got {:?} nearest outfall {:?} {:?}", spec.seed, (t.outlet_px.0 as i64, t.outlet_px.1 as i64), t.expected_status, d.status, d.nearest_outfall_id, d.nearest_outfall_distance_m);
            }
        }
        for d in &plume_dets {
            let (x, y) = f.pixel(d.outlet_lon.unwrap_or(d.centroid_lon), d.outlet_lat.unwrap_or(d.centroid_lat)).unwrap();
            let ok = scene.plumes.iter().any(|t| (x - t.outlet_px.0).hypot(y - t.outlet_px.1) * gsd <= 3.0);
            if !ok {
                eprintln!("seed {} FALSE {:?} at {:?} score {:.2} area {:.1} dt {:.2} z {:.1} bbox {:?}", spec.seed, d.capability, (x as i64, y as i64), d.score, d.area_m2, d.delta_t_k, d.z_peak, d.pixel_bbox);
            }
        }
    }
}
