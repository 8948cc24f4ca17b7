//! `yitu bench`: the speed targets measured on the city-scale registry.
//! Figures are printed (and returned as JSON), never asserted.

pub mod basins;
pub mod monitoring;
pub mod presenter;
pub mod store;
mod store_edits;

use std::time::{Duration, Instant};

use anyhow::Context as _;
use geo::Point;
use rand::{Rng, SeedableRng};

use crate::app::YituApp;
use crate::i18n::Lang;
use crate::jobs::Progress;
use crate::state::{self, LoadedProject, ProjectSource};

#[derive(Debug, serde::Serialize)]
pub struct BenchReport {
    pub city_sources: usize,
    /// Median CPU time of one frame (egui layout + tessellation), city registry, whole city view.
    pub frame_ms_city: f64,
    /// The same with 1,000 sources.
    pub frame_ms_1000: f64,
    pub frame_ratio: f64,
    /// Median frame time zoomed into the central city (points drawn unclustered).
    pub frame_ms_city_zoomed: f64,
    /// Mean identify-at-point time on the sources layer.
    pub identify_ms: f64,
    /// Opening the city-scale project GeoPackage and preparing every layer for the map.
    pub open_project_s: f64,
    pub project_file_mb: f64,
    /// Reading 500 drone photos (hard links to the sample flight) into track and footprint
    /// layers ready for the map; `None` without sample photos.
    pub photo_footprints_500_s: Option<f64>,
}

/// Times importing a folder of 500 photos made of hard links to the JPEGs in `sample`.
fn photo_folder_seconds(sample: &std::path::Path) -> anyhow::Result<f64> {
    let originals: Vec<_> = std::fs::read_dir(sample)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("jpg")))
        .collect();
    anyhow::ensure!(!originals.is_empty(), "no JPEGs in {}", sample.display());
    let dir = tempfile::tempdir()?;
    for i in 0..500 {
        let from = &originals[i % originals.len()];
        let to = dir.path().join(format!("DJI_{i:04}_T.JPG"));
        if std::fs::hard_link(from, &to).is_err() {
            std::fs::copy(from, &to)?;
        }
    }
    let start = Instant::now();
    let imported = state::import(
        dir.path(),
        yitu_layers::io::ReadOptions::default(),
        &Progress::default(),
    )?;
    let seconds = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        imported
            .prepared
            .iter()
            .map(|p| p.polygons.len())
            .sum::<usize>()
            == 500,
        "not every footprint was made"
    );
    anyhow::ensure!(
        imported
            .prepared
            .iter()
            .map(|p| p.thumbnails.len())
            .sum::<usize>()
            == 500,
        "not every thumbnail was read"
    );
    Ok(seconds)
}

/// Median CPU time of `frames` frames of the full app at `size`, in milliseconds.
fn frame_time_ms(loaded: LoadedProject, bookmark: Option<&str>, frames: usize) -> f64 {
    let ctx = egui::Context::default();
    let mut app = YituApp::with_loaded(&ctx, loaded, Lang::Zh, bookmark);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 900.0),
        )),
        ..Default::default()
    };
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames + 5 {
        let start = Instant::now();
        let output = ctx.run_ui(input(), |ui| app.show(ui));
        let prims = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(prims);
        if i >= 5 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    ms(times[times.len() / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn load(source: &ProjectSource) -> anyhow::Result<LoadedProject> {
    state::load(source, &Progress::default())
}

pub fn run(photos: &std::path::Path) -> anyhow::Result<BenchReport> {
    let photo_footprints_500_s = photo_folder_seconds(photos)
        .map_err(|e| log::warn!("photo benchmark skipped: {e:#}"))
        .ok();
    let city = yitu_sample_data::city_scale_project();
    let city_sources = city
        .layer(yitu_layers::LayerKind::PollutionSources)
        .map_or(0, |l| l.features.len());
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join("city.gpkg");
    city.save(&path)?;
    let project_file_mb = std::fs::metadata(&path)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or_default();

    let start = Instant::now();
    let loaded = load(&ProjectSource::File(path.clone()))?;
    let open_project_s = start.elapsed().as_secs_f64();

    let sources = loaded
        .layers
        .iter()
        .find(|l| l.data.layer.kind == yitu_layers::LayerKind::PollutionSources)
        .map(|l| (&l.data, &l.drawing))
        .context("no sources layer")?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let probes: Vec<Point<f64>> = (0..2000)
        .map(|_| Point::new(rng.random_range(105.3..110.1), rng.random_range(28.2..32.2)))
        .collect();
    let start = Instant::now();
    let mut hits = 0;
    for p in &probes {
        hits += sources.1.index.identify(&sources.0.layer, *p, 200.0).len();
    }
    let identify_ms = ms(start.elapsed()) / probes.len() as f64;
    std::hint::black_box(hits);

    let frame_ms_city = frame_time_ms(load(&ProjectSource::File(path.clone()))?, None, 30);
    let frame_ms_city_zoomed = frame_time_ms(load(&ProjectSource::File(path))?, Some("主城区"), 30);
    let small = yitu_sample_data::project_of_size(
        "1000",
        yitu_sample_data::Size {
            sources: 1_000,
            ..yitu_sample_data::Size::CITY
        },
    );
    let small_path = dir.path().join("small.gpkg");
    small.save(&small_path)?;
    let frame_ms_1000 = frame_time_ms(load(&ProjectSource::File(small_path))?, None, 30);
    Ok(BenchReport {
        city_sources,
        frame_ms_city,
        frame_ms_1000,
        frame_ratio: frame_ms_city / frame_ms_1000,
        frame_ms_city_zoomed,
        identify_ms,
        open_project_s,
        project_file_mb,
        photo_footprints_500_s,
    })
}

/// Figures for a large raster (issue #3): a generated 8-bit mosaic with overviews.
#[derive(Debug, serde::Serialize)]
pub struct LargeRasterReport {
    pub megapixels: f64,
    pub file_mb: f64,
    pub generate_s: f64,
    /// From opening the file to the grid ready for its first screen (the whole raster).
    pub first_screen_s: f64,
    /// From a jump to full resolution (1 file pixel per screen point, 1600×900, the raster's
    /// centre) to every visible detail tile read.
    pub zoomed_first_screen_s: f64,
    pub zoomed_tiles: usize,
    /// Peak resident memory of the process that showed it (VmHWM), MB.
    pub peak_memory_mb: Option<f64>,
    /// Median frame CPU time at full resolution with the tiles cached.
    pub frame_ms_with_raster: f64,
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux).
pub(super) fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Generates a `side × side` mosaic in UTM 48N over Chongqing, builds overviews, then times
/// putting it on the map.
pub fn large_raster(side: usize) -> anyhow::Result<LargeRasterReport> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join("mosaic.tif");
    let georef = yitu_layers::raster::Georef {
        // 0.1 m pixels from 600 km E / 3 270 km N: a UAV orthomosaic near the central city.
        geo_transform: [600_000.0, 0.1, 0.0, 3_270_000.0, 0.0, -0.1],
        crs_wkt: yitu_layers::Crs::Epsg(32648).spatial_ref()?.to_wkt()?,
    };
    let start = Instant::now();
    yitu_layers::raster::write_byte_geotiff_by_rows(&path, side, side, &georef, |r, line| {
        for (c, v) in line.iter_mut().enumerate() {
            *v = ((r / 64 + c / 64) % 256) as u8;
        }
    })?;
    yitu_layers::raster::build_overviews(&path)?;
    let generate_s = start.elapsed().as_secs_f64();
    let file_mb = std::fs::metadata(&path)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or_default();
    // Shown by a fresh process, so the peak memory is that of showing it, not of generating it.
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "--json", "--open-raster"])
        .arg(&path)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: OpenRasterReport = serde_json::from_slice(&out.stdout)?;
    Ok(LargeRasterReport {
        megapixels: (side * side) as f64 / 1e6,
        file_mb,
        generate_s,
        first_screen_s: shown.first_screen_s,
        zoomed_first_screen_s: shown.zoomed_first_screen_s,
        zoomed_tiles: shown.zoomed_tiles,
        peak_memory_mb: shown.peak_memory_mb,
        frame_ms_with_raster: shown.frame_ms_with_raster,
    })
}

/// Opening one raster for the map in this process: time to the grid the GPU colours, peak memory.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct OpenRasterReport {
    pub first_screen_s: f64,
    pub zoomed_first_screen_s: f64,
    pub zoomed_tiles: usize,
    pub peak_memory_mb: Option<f64>,
    /// Median frame CPU time with the raster on the sample map at full resolution, its tiles
    /// cached.
    pub frame_ms_with_raster: f64,
}

pub fn open_raster(path: &std::path::Path) -> anyhow::Result<OpenRasterReport> {
    let start = Instant::now();
    let mut overlay = crate::raster::overlay::RasterOverlay::load(path, &Progress::default())?;
    let first_screen_s = start.elapsed().as_secs_f64();
    // Jump to one file pixel per screen point at the centre, and read what that view shows.
    let grid = yitu_layers::raster::pixel_grid(path)?;
    let bounds = overlay.bounds();
    let points_per_world = grid.width as f64 / (bounds.max.x - bounds.min.x);
    let centre = bounds.centre();
    let (half_w, half_h) = (800.0 / points_per_world, 450.0 / points_per_world);
    let view = crate::map::world::WorldRect {
        min: crate::map::world::World {
            x: centre.x - half_w,
            y: centre.y - half_h,
        },
        max: crate::map::world::World {
            x: centre.x + half_w,
            y: centre.y + half_h,
        },
    };
    let ctx = egui::Context::default();
    let (cells, bands) = (overlay.grid_cells_per_world(), overlay.shown_bands());
    let start = Instant::now();
    let mut zoomed_tiles = 0;
    loop {
        let shown = overlay
            .tiles
            .visible(&ctx, view, points_per_world, cells, &bands)
            .len();
        if overlay.tiles.job().is_none() {
            zoomed_tiles = shown;
            break;
        }
        overlay.tiles.wait();
        anyhow::ensure!(!overlay.tiles.paused, "reading tiles failed");
        zoomed_tiles = zoomed_tiles.max(shown);
    }
    let zoomed_first_screen_s = start.elapsed().as_secs_f64();
    let peak_memory_mb = peak_memory_mb();
    // Frames over the raster at that zoom, as while panning once its tiles are cached.
    let mut loaded = load(&ProjectSource::Sample)?;
    let (lon, lat) = centre.lon_lat();
    loaded.project.bookmarks.push(yitu_layers::Bookmark {
        name: "raster".into(),
        lon,
        lat,
        zoom: (points_per_world / crate::raster::tiles::TILE_SIDE as f64).log2(),
    });
    loaded.rasters.push(overlay);
    let frame_ms_with_raster = frame_time_ms(loaded, Some("raster"), 30);
    Ok(OpenRasterReport {
        first_screen_s,
        zoomed_first_screen_s,
        zoomed_tiles,
        peak_memory_mb,
        frame_ms_with_raster,
    })
}

/// Figures for detection (issue #4): a synthetic river scene of about `megapixels`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DetectReport {
    pub megapixels: f64,
    /// Reading the raster, detection and provenance (SHA-256 of the inputs): the median of
    /// `DETECT_RUNS` runs in one process.
    pub seconds: f64,
    /// The first of those runs, on memory fresh from the kernel.
    pub first_run_seconds: f64,
    pub megapixels_per_second: f64,
    pub detections: usize,
    /// Peak resident memory of the process that ran detection (VmHWM), MB.
    pub peak_memory_mb: Option<f64>,
}

/// Generates a scene of about `megapixels` (a 60 m river at 0.1 m per pixel, as long as it
/// takes), writes it, then times `yitu detect` on it in a fresh process (so the peak memory is
/// detection's, not generation's).
pub fn detect(megapixels: f64, memory_mb: Option<u64>) -> anyhow::Result<DetectReport> {
    use yitu_imagery::detect::{Daylight, synthetic};
    let gsd = 0.1;
    let height_px = (60.0 + 70.0) / gsd;
    let length_m = (megapixels * 1e6 / height_px * gsd).max(100.0);
    let spec = synthetic::SceneSpec {
        seed: 7,
        daylight: Daylight::Night,
        river_width_m: 60.0,
        gsd_m: gsd,
        length_m,
        plumes: (length_m / 60.0) as usize,
        hotspots: (length_m / 50.0) as usize,
    };
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    synthetic::Scene::generate(&spec).write(dir.path())?;
    let mut bench = std::process::Command::new(std::env::current_exe()?);
    bench
        .args(["bench", "--json", "--detect-scene"])
        .arg(dir.path());
    if let Some(mb) = memory_mb {
        bench.args(["--memory-mb", &mb.to_string()]);
    }
    let out = bench.output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// Detection runs timed per scene: this machine's timings vary by a third from run to run.
const DETECT_RUNS: usize = 3;

/// Detection on a scene folder written by [`detect`], in this process.
pub fn detect_scene(dir: &std::path::Path, memory: u64) -> anyhow::Result<DetectReport> {
    let inputs = yitu_imagery::detect::InputFiles {
        raster: dir.join("scene.tif"),
        rivers: Some(dir.join("rivers.geojson")),
        outfalls: Some(dir.join("outfalls.geojson")),
        sources: Some(dir.join("sources.geojson")),
    };
    let options = yitu_imagery::detect::RunOptions {
        daylight: None,
        memory,
        units: None,
        cancel: yitu_core::cancel::Cancel::default(),
    };
    let mut seconds = Vec::new();
    let mut detections = 0;
    for _ in 0..DETECT_RUNS {
        let start = Instant::now();
        detections = yitu_imagery::detect::run_files(&inputs, options.clone())?
            .detections
            .len();
        seconds.push(start.elapsed().as_secs_f64());
    }
    let first_run_seconds = seconds[0];
    seconds.sort_by(f64::total_cmp);
    let seconds = seconds[DETECT_RUNS / 2];
    let info = yitu_layers::raster::pixel_grid(&inputs.raster)?;
    let megapixels = (info.width * info.height) as f64 / 1e6;
    Ok(DetectReport {
        megapixels,
        seconds,
        first_run_seconds,
        megapixels_per_second: megapixels / seconds,
        detections,
        peak_memory_mb: peak_memory_mb(),
    })
}

/// Figures for the random draw (issue #5) at city scale.
#[derive(Debug, serde::Serialize)]
pub struct DrawReport {
    pub sources: usize,
    pub inspectors: usize,
    pub selected: usize,
    /// The draw from inputs in memory to the record: hashing the inputs, drawing the firms and
    /// assigning their inspectors; the median of `DRAW_RUNS` runs.
    pub seconds: f64,
    pub slowest_seconds: f64,
}

const DRAW_RUNS: usize = 5;

/// Times `yitu draw`'s work on 70,000 generated firms in 40 districts and 600 inspectors, with
/// the example plan (and a cap of 25 firms per inspector, which that many draws need).
pub fn draw() -> anyhow::Result<DrawReport> {
    let inputs = yitu_draw::synthetic::city(2026);
    let mut seconds = Vec::new();
    let mut selected = 0;
    for run in 0..DRAW_RUNS {
        let start = Instant::now();
        let record = yitu_draw::draw(&inputs, &format!("bench {run}"))?;
        seconds.push(start.elapsed().as_secs_f64());
        selected = record.selected.len();
    }
    seconds.sort_by(f64::total_cmp);
    Ok(DrawReport {
        sources: inputs.targets.len(),
        inspectors: inputs.roster.len(),
        selected,
        seconds: seconds[DRAW_RUNS / 2],
        slowest_seconds: seconds[DRAW_RUNS - 1],
    })
}

/// Figures for inspection routes (issue #6) on a city network.
#[derive(Debug, serde::Serialize)]
pub struct RoutesReport {
    pub network: String,
    pub nodes: usize,
    pub segments: usize,
    /// Reading the extract (or generating the grid) and preparing the hierarchy: done once,
    /// then loaded from the saved network.
    pub prepare_seconds: f64,
    pub load_seconds: f64,
    pub teams: usize,
    pub targets: usize,
    /// Snapping and the travel-time and distance matrix between offices and targets.
    pub matrix_seconds: f64,
    /// The whole plan: matrix and search (the search's budget is `plan_budget_seconds`).
    pub plan_seconds: f64,
    pub plan_budget_seconds: f64,
    pub planned: usize,
    pub team_days: usize,
    pub travel_minutes: f64,
    /// Re-planning one manual change: a stop dragged to the day's route with the most time to
    /// spare (median of 20 tries, whether the move could be made or was refused with its
    /// reason).
    pub move_seconds: Option<f64>,
    pub moves_made: usize,
}

/// Teams and targets of the speed bar.
const ROUTE_TEAMS: usize = 40;
const ROUTE_TARGETS: usize = 300;

/// Times a 300-target, 40-team one-day plan on a generated city of `side`² nodes (1000: a
/// million), or on an OSM extract.
pub fn routes(
    side: u32,
    pbf: Option<&std::path::Path>,
    budget: f64,
) -> anyhow::Result<RoutesReport> {
    use yitu_routing::{dispatch, model::Budget, network, synthetic};
    let start = Instant::now();
    let (roads, name) = match pbf {
        Some(p) => (
            network::Roads::from_pbf(p, &network::Speeds::urban())?,
            p.display().to_string(),
        ),
        None => (
            synthetic::city(side, 6),
            format!("generated {side} × {side} grid"),
        ),
    };
    let (nodes, segments) = (roads.nodes.len(), roads.segments.len());
    let prepared = network::RoadNetwork::prepare(roads);
    let prepare_seconds = start.elapsed().as_secs_f64();
    let dir = tempfile::tempdir()?;
    let saved = dir.path().join("city.yitu-roads");
    prepared.save(&saved)?;
    drop(prepared);
    let start = Instant::now();
    let net = network::RoadNetwork::load(&saved)?;
    let load_seconds = start.elapsed().as_secs_f64();
    let (mut teams, mut tasks) = synthetic::dispatch(side, ROUTE_TEAMS, ROUTE_TARGETS, 7);
    if pbf.is_some() {
        // Offices and targets at road nodes of the extract (ends of segments), spread by a
        // fixed stride.
        let placed: Vec<[f64; 2]> = (net.roads.segments.iter())
            .map(|s| net.roads.nodes[s.from as usize])
            .collect();
        let stride = (placed.len() / (ROUTE_TEAMS + ROUTE_TARGETS)).max(1);
        let at = |k: usize| placed[(k * stride) % placed.len()];
        for (k, t) in teams.iter_mut().enumerate() {
            t.office = at(k);
        }
        for (k, t) in tasks.iter_mut().enumerate() {
            t.position = Some(at(ROUTE_TEAMS + k));
        }
    }
    let points: Vec<[f64; 2]> = teams
        .iter()
        .map(|t| t.office)
        .chain(tasks.iter().filter_map(|t| t.position))
        .collect();
    let start = Instant::now();
    net.matrix(&points)?;
    let matrix_seconds = start.elapsed().as_secs_f64();
    let options = dispatch::Options::new(1, false, Budget::seconds(budget));
    let start = Instant::now();
    let plan = dispatch::plan(tasks, teams, Some(&net), &options)?;
    let plan_seconds = start.elapsed().as_secs_f64();
    let (mut moves, mut moves_made) = (Vec::new(), 0);
    for route in plan.routes.iter().take(20) {
        let Some(task) = route.stops.iter().find_map(|s| s.task) else {
            continue;
        };
        // To the other route of the day with the most time left before its shift ends.
        let slack = |r: &dispatch::TeamDay| {
            r.day as f64 * 24.0 * 60.0 + plan.teams[r.team].shift.1 - r.back
        };
        let Some(to) = plan
            .routes
            .iter()
            .filter(|r| r.day == route.day && r.team != route.team)
            .max_by(|a, b| slack(a).total_cmp(&slack(b)))
            .map(|r| r.team)
        else {
            continue;
        };
        let start = Instant::now();
        let moved = dispatch::manual::move_task(&plan, task, to, route.day);
        moves.push(start.elapsed().as_secs_f64());
        moves_made += usize::from(moved.is_ok());
    }
    moves.sort_by(f64::total_cmp);
    Ok(RoutesReport {
        network: name,
        nodes,
        segments,
        prepare_seconds,
        load_seconds,
        teams: ROUTE_TEAMS,
        targets: ROUTE_TARGETS,
        matrix_seconds,
        plan_seconds,
        plan_budget_seconds: budget,
        planned: plan.tasks.len() - plan.unplanned.len(),
        team_days: plan.team_days,
        travel_minutes: plan.travel_minutes,
        move_seconds: moves.get(moves.len() / 2).copied(),
        moves_made,
    })
}
