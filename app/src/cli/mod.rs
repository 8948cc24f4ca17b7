//! The `yitu` command line: the GUI, and the scripted verbs that call the same library functions.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use yitu_analysis::photo::{DronePhoto, Ground};
use yitu_analysis::thermal::{NODATA, SceneOverrides, ThermalError, TiffUnits, temperature_raster};
use yitu_layers::io::{ReadOptions, read_vector, write_layers};
use yitu_layers::raster::write_f32_geotiff;
use yitu_layers::{Crs, Layer, Project};

use crate::app::{StartOptions, YituApp};
use crate::i18n::Lang;
use crate::state::ProjectSource;

mod detect;
mod draw;
mod plan;

#[derive(Parser)]
#[command(
    name = "yitu",
    version,
    about = "Yitu 一图: Chongqing eco-environment enforcement on one map"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Verb>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => Self::Zh,
            LangArg::En => Self::En,
        }
    }
}

#[derive(Subcommand)]
enum Verb {
    /// Open the map (default: the embedded Chongqing sample project).
    Open {
        /// A project GeoPackage.
        project: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Layers, feature counts, CRS and bounds of a file or project (default: the sample project).
    Info {
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// CRS of the file when it does not say (or says wrongly): EPSG code, gcj02, bd09, wgs84.
        #[arg(long)]
        from: Option<String>,
        /// Load good rows past bad ones (reporting the bad ones) instead of failing.
        #[arg(long)]
        skip_bad_rows: bool,
        /// For photos: elevation of the ground or water surface (m above sea level) for the
        /// footprint; default: the take-off level.
        #[arg(long)]
        ground_elevation: Option<f64>,
        /// For photos: a DEM (same vertical datum as the drone's absolute altitude) to put the
        /// footprint on the terrain.
        #[arg(long)]
        dem: Option<PathBuf>,
    },
    /// Convert a vector file to another format and/or CRS; attributes are kept.
    Convert {
        input: PathBuf,
        output: PathBuf,
        /// Source CRS (default: the file's own): EPSG code, gcj02, bd09, wgs84.
        #[arg(long)]
        from: Option<String>,
        /// Target CRS (default wgs84): EPSG code, gcj02, bd09, wgs84.
        #[arg(long, default_value = "wgs84")]
        to: String,
        #[arg(long)]
        skip_bad_rows: bool,
        #[arg(long)]
        json: bool,
    },
    /// Render the app with a project once everything is loaded, save a PNG and exit.
    Screenshot {
        project: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Window size, e.g. 1600x900.
        #[arg(long, default_value = "1600x900")]
        size: String,
        /// A saved view (bookmark) of the project, e.g. 主城区.
        #[arg(long)]
        view: Option<String>,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Temperatures in °C as a float32 GeoTIFF: FLIR R-JPEG, thermal TIFF, or Landsat B10/B11
    /// with its MTL beside it (brightness temperature).
    Thermal {
        input: PathBuf,
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Object emissivity (0–1); default: the file's.
        #[arg(long)]
        emissivity: Option<f64>,
        /// Object distance in metres (flight height for UAV photos); default: the file's.
        #[arg(long)]
        distance: Option<f64>,
        /// Relative humidity in percent; default: the file's.
        #[arg(long)]
        humidity: Option<f64>,
        /// Reflected apparent temperature, °C; default: the file's.
        #[arg(long)]
        reflected: Option<f64>,
        /// Air temperature, °C; default: the file's.
        #[arg(long)]
        air: Option<f64>,
        /// Units of a thermal TIFF's values when they cannot be detected: c, k, ck (centi-kelvin), dk.
        #[arg(long)]
        units: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Thermal hot spots on land, discharge plumes at the bank (hidden-pipe suspects) and
    /// satellite hot spots, matched to the registry, as a GeoJSON FeatureCollection (WGS84).
    Detect {
        /// A thermal raster in °C (or any input `thermal` takes), georeferenced, any CRS; or a
        /// SWIR scene for fires and furnaces: a Landsat 8/9 `*_MTL.txt` (or its band 4–7), or a
        /// Sentinel-2 L1C `MTD_MSIL1C.xml` (or its band B05/B8A/B11/B12).
        raster: PathBuf,
        /// River polygons (WGS84 GeoJSON or any vector format): where plumes are looked for.
        #[arg(long)]
        river: Option<PathBuf>,
        /// Registered outfalls: points with `id` and `status` (active/closed/banned).
        #[arg(long)]
        outfalls: Option<PathBuf>,
        /// Pollution sources: points or polygons with `id` and `status` (operating/stopped/closed).
        #[arg(long)]
        sources: Option<PathBuf>,
        /// Night thresholds (default: from the raster's capture time, else day).
        #[arg(long, conflicts_with = "day")]
        night: bool,
        /// Day thresholds.
        #[arg(long)]
        day: bool,
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Also write a PNG chip and an HTML evidence sheet per detection worth a visit here.
        #[arg(long, value_name = "DIR")]
        evidence: Option<PathBuf>,
        /// Units of a thermal TIFF's values, when the file states none and they cannot be told
        /// from their range: c, k, ck (centi-kelvin), dk (deci-kelvin). Overrides what the file
        /// states.
        #[arg(long)]
        units: Option<String>,
        /// Memory the run may take (default: half of what the machine has available); a
        /// thermal TIFF whose whole run needs more is read and worked on window by window, with
        /// the same detections.
        #[arg(long, value_name = "MB")]
        memory_mb: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// 双随机、一公开: draw firms per stratum and their inspectors, reproducibly from the inputs'
    /// hashes and a public entropy string; or, with --verify, check a published record.
    Draw {
        /// Pollution sources (any vector format) with id, category, district, status,
        /// positive_list, last_inspected.
        #[arg(long)]
        sources: PathBuf,
        /// Roster CSV: id,name,district,cert_expiry,conflicts (conflicts `;`-separated).
        #[arg(long)]
        inspectors: PathBuf,
        /// The plan (TOML): name, date, cross_district, inspectors_per_target,
        /// max_targets_per_inspector, exclude_inspected_within_days, [[stratum]]
        /// category/ratio (and district), optional [[must_include]] source_id/reason and
        /// [[pair]] targets/inspectors (paired districts).
        #[arg(long)]
        plan: PathBuf,
        /// Public entropy given at the draw meeting (e.g. the witnesses' numbers).
        #[arg(long, required_unless_present = "verify")]
        entropy: Option<String>,
        /// Where to write the record (JSON).
        #[arg(short = 'o', long = "out", required_unless_present = "verify")]
        out: Option<PathBuf>,
        /// Instead: check this record against the inputs (exit 0 when it reproduces exactly).
        #[arg(long, value_name = "DRAW.json", conflicts_with_all = ["entropy", "out", "publish"])]
        verify: Option<PathBuf>,
        /// Also write the announcement (公示.html, 公示.csv) and the task list (tasks.csv,
        /// tasks.json) here.
        #[arg(long, value_name = "DIR")]
        publish: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Paired districts for cross checks (交叉执法): each district's firms with the
    /// inspectors of a nearby district, one to one, nearest first, printed as the [[pair]]s to
    /// add to a draw's plan (with cross_district alone, inspectors may come from the far end of
    /// the city, too far for a day's round trip).
    Pairs {
        /// Pollution sources (any vector format) with id, category, district, status,
        /// positive_list; their positions place the districts.
        #[arg(long)]
        sources: PathBuf,
        /// Roster CSV: id,name,district,cert_expiry,conflicts.
        #[arg(long)]
        inspectors: PathBuf,
        /// The pairs as JSON (`{"pairs": [{"targets", "inspectors"}, ...]}`).
        #[arg(long)]
        json: bool,
    },
    /// Inspection routes: the draw's tasks over the teams and days (fewest team-days, then
    /// least travel), on roads when --network is given, else on a great-circle estimate; as
    /// GeoJSON. With --solomon: solve a VRPTW instance in Solomon's text format (Euclidean
    /// distances, travel time = distance) for the least total distance within its fleet, and
    /// print vehicles, distance and routes.
    Plan {
        /// The draw record (`yitu draw -o DRAW.json`).
        #[arg(long, value_name = "DRAW.json", required_unless_present = "solomon")]
        tasks: Option<PathBuf>,
        /// Teams CSV: id,district,lon,lat (the office); optional name, shift_start,
        /// shift_end, lunch_start, lunch_end, lunch_minutes, max_targets, skills and
        /// inspectors (`;`-separated), phone (printed on the task sheets).
        #[arg(long, value_name = "TEAMS.csv", required_unless_present = "solomon")]
        teams: Option<PathBuf>,
        /// An OpenStreetMap extract; the prepared network is kept beside it
        /// (`.yitu-roads`) and reused while the extract is unchanged.
        #[arg(long, value_name = "ROADS.osm.pbf")]
        network: Option<PathBuf>,
        /// Working days to spread the tasks over.
        #[arg(long, default_value_t = 1)]
        days: usize,
        /// Where to write the plan (GeoJSON).
        #[arg(
            short = 'o',
            long = "out",
            value_name = "PLAN.geojson",
            required_unless_present = "solomon"
        )]
        out: Option<PathBuf>,
        /// Tasks fixed by hand: a CSV `source_id,team,day` (day from 1).
        #[arg(long, value_name = "LOCKS.csv")]
        locks: Option<PathBuf>,
        /// Firms' own hours: a CSV `source_id,open,close` (HH:MM, when an inspection may
        /// start); firms not listed keep 08:30–17:00.
        #[arg(long, value_name = "HOURS.csv")]
        hours: Option<PathBuf>,
        /// Also write each team-day's task sheet (HTML), GPX and KML, and every stop as CSV
        /// and JSON for the mobile enforcement system, into this folder.
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
        /// Instead: a Solomon VRPTW instance (e.g. C101.txt).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["tasks", "teams", "network", "out", "export", "locks", "hours"])]
        solomon: Option<PathBuf>,
        /// How long the search may run, seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long)]
        json: bool,
    },
    /// Write the embedded sample project (or the city-scale registry) to a GeoPackage, or a
    /// synthetic thermal scene with planted truth to a folder.
    Sample {
        #[arg(long)]
        out: PathBuf,
        /// The city-scale registry (≥ 70,000 sources) instead of the sample.
        #[arg(long)]
        city: bool,
        /// A synthetic river scene for detection: scene.tif, rivers/outfalls/sources.geojson
        /// and truth.json, in the folder `--out`.
        #[arg(long)]
        detection_scene: bool,
        /// Inputs for `yitu draw`, generated: sources.geojson (3,000 firms), roster.csv (160
        /// inspectors) and plan.toml (the issue's example plan), in the folder `--out`.
        #[arg(long, conflicts_with_all = ["city", "detection_scene"])]
        draw_inputs: bool,
        /// The scene's (or draw inputs') seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A day scene (default: night).
        #[arg(long)]
        day: bool,
    },
    /// Measure frame time, identify and project opening on the city-scale registry.
    Bench {
        #[arg(long)]
        json: bool,
        /// A folder of drone photos for the footprint benchmark.
        #[arg(long, default_value = "../shared/data/thermal/h20t_flight")]
        photos: PathBuf,
        /// Instead: generate a SIDE × SIDE 8-bit mosaic with overviews (20000 = 400 MP, about
        /// 0.5 GB of temporary disk) and time its first screen and peak memory.
        #[arg(long, value_name = "SIDE")]
        large_raster: Option<usize>,
        /// Instead: time putting one raster file on the map, with this process's peak memory.
        #[arg(long, value_name = "RASTER")]
        open_raster: Option<PathBuf>,
        /// Instead: time detection on a generated synthetic scene of about MP megapixels.
        #[arg(long, value_name = "MP")]
        detect: Option<f64>,
        /// Instead: time detection on a scene folder, with this process's peak memory.
        #[arg(long, value_name = "DIR")]
        detect_scene: Option<PathBuf>,
        /// Instead: time the random draw on 70,000 firms and 600 inspectors (issue #5).
        #[arg(long)]
        draw: bool,
        /// Instead: time a 300-target, 40-team plan (issue #6) on a generated city of SIDE ×
        /// SIDE street nodes (1000: a million), or on --network.
        #[arg(long, value_name = "SIDE", num_args = 0..=1, default_missing_value = "1000")]
        routes: Option<u32>,
        /// With --routes: an OSM extract instead of the generated city.
        #[arg(long, value_name = "ROADS.osm.pbf", requires = "routes")]
        network: Option<PathBuf>,
        /// With --routes: the plan's search budget, seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 8.0)]
        plan_seconds: f64,
        /// With --detect or --detect-scene: the memory detection may take (as `yitu detect
        /// --memory-mb`), to time the run window by window.
        #[arg(long, value_name = "MB")]
        memory_mb: Option<u64>,
    },
}

/// Parses arguments and runs the verb.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Verb::Open {
        project: None,
        lang: LangArg::Zh,
    }) {
        Verb::Open { project, lang } => gui(
            StartOptions {
                source: ProjectSource::from_arg(project),
                lang: lang.into(),
                view: None,
                screenshot: None,
            },
            None,
        ),
        Verb::Info {
            file,
            json,
            from,
            skip_bad_rows,
            ground_elevation,
            dem,
        } => match file.as_deref() {
            Some(path) if yitu_analysis::jpeg::is_jpeg_path(path) => {
                photo_info(path, ground_elevation, dem.as_deref(), json)
            }
            _ => info(file.as_deref(), json, from.as_deref(), skip_bad_rows),
        },
        Verb::Convert {
            input,
            output,
            from,
            to,
            skip_bad_rows,
            json,
        } => convert(&input, &output, from.as_deref(), &to, skip_bad_rows, json),
        Verb::Screenshot {
            project,
            out,
            size,
            view,
            lang,
        } => {
            let size = parse_size(&size)?;
            gui(
                StartOptions {
                    source: ProjectSource::from_arg(project),
                    lang: lang.into(),
                    view,
                    screenshot: Some(out.clone()),
                },
                Some(size),
            )?;
            if !out.exists() {
                bail!("no screenshot was written to {}", out.display());
            }
            Ok(())
        }
        Verb::Thermal {
            input,
            out,
            emissivity,
            distance,
            humidity,
            reflected,
            air,
            units,
            json,
        } => {
            let overrides = SceneOverrides {
                emissivity,
                distance_m: distance,
                relative_humidity_pct: humidity,
                reflected_c: reflected,
                air_c: air,
            };
            thermal(&input, &out, &overrides, units.as_deref(), json)
        }
        Verb::Detect {
            raster,
            river,
            outfalls,
            sources,
            night,
            day,
            out,
            evidence,
            units,
            memory_mb,
            json,
        } => {
            let daylight = match (night, day) {
                (true, _) => Some(yitu_analysis::detect::Daylight::Night),
                (_, true) => Some(yitu_analysis::detect::Daylight::Day),
                _ => None,
            };
            let inputs = yitu_analysis::detect::InputFiles {
                raster,
                rivers: river,
                outfalls,
                sources,
            };
            let options = yitu_analysis::detect::RunOptions {
                daylight,
                memory: memory(memory_mb),
                units: parse_units(units.as_deref())?,
            };
            detect::detect(&inputs, options, &out, evidence.as_deref(), json)
        }
        Verb::Draw {
            sources,
            inspectors,
            plan,
            entropy,
            out,
            verify,
            publish,
            json,
        } => {
            let files = draw::DrawFiles {
                sources,
                inspectors,
                plan,
            };
            match (verify, entropy, out) {
                (Some(record), _, _) => draw::verify(&files, &record, json),
                (None, Some(entropy), Some(out)) => {
                    draw::run(&files, &entropy, &out, publish.as_deref(), json)
                }
                _ => bail!("give --entropy and -o to draw, or --verify to check a record"),
            }
        }
        Verb::Pairs {
            sources,
            inspectors,
            json,
        } => draw::pairs(&sources, &inspectors, json),
        Verb::Plan {
            tasks,
            teams,
            network,
            days,
            out,
            locks,
            hours,
            export,
            solomon,
            time_limit,
            json,
        } => match (solomon, tasks, teams, out) {
            (Some(instance), ..) => plan::solomon(&instance, time_limit, json),
            (None, Some(tasks), Some(teams), Some(out)) => plan::dispatch(
                &plan::PlanFiles {
                    tasks,
                    teams,
                    network,
                    locks,
                    hours,
                },
                days,
                time_limit,
                &out,
                export.as_deref(),
                json,
            ),
            _ => bail!("give --tasks, --teams and -o to plan, or --solomon"),
        },
        Verb::Sample {
            out,
            detection_scene: true,
            seed,
            day,
            ..
        } => {
            use yitu_analysis::detect::{Daylight, synthetic};
            let spec = synthetic::SceneSpec {
                seed,
                daylight: if day { Daylight::Day } else { Daylight::Night },
                river_width_m: 60.0,
                gsd_m: 0.15,
                length_m: 240.0,
                plumes: 5,
                hotspots: 6,
            };
            synthetic::Scene::generate(&spec).write(&out)?;
            println!("{}", out.display());
            Ok(())
        }
        Verb::Sample {
            out,
            draw_inputs: true,
            seed,
            ..
        } => {
            use yitu_analysis::draw::synthetic;
            synthetic::write(&synthetic::sample(seed), &out)?;
            println!("{}", out.display());
            Ok(())
        }
        Verb::Sample { out, city, .. } => {
            let project = if city {
                yitu_sample_data::city_scale_project()
            } else {
                yitu_sample_data::chongqing_project()
            };
            project.save(&out)?;
            println!("{}", out.display());
            Ok(())
        }
        Verb::Bench {
            json,
            photos,
            large_raster,
            open_raster,
            detect,
            detect_scene,
            memory_mb,
            draw,
            routes,
            network,
            plan_seconds,
        } => {
            let report = if let Some(side) = routes {
                serde_json::to_value(crate::bench::routes(
                    side,
                    network.as_deref(),
                    plan_seconds,
                )?)?
            } else if draw {
                serde_json::to_value(crate::bench::draw()?)?
            } else if let Some(dir) = detect_scene {
                serde_json::to_value(crate::bench::detect_scene(&dir, memory(memory_mb))?)?
            } else if let Some(mp) = detect {
                serde_json::to_value(crate::bench::detect(mp, memory_mb)?)?
            } else if let Some(path) = open_raster {
                serde_json::to_value(crate::bench::open_raster(&path)?)?
            } else if let Some(side) = large_raster {
                serde_json::to_value(crate::bench::large_raster(side)?)?
            } else {
                serde_json::to_value(crate::bench::run(&photos)?)?
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{report:#}");
            }
            Ok(())
        }
    }
}

/// Bytes a detection run may take: `mb` megabytes, or half of what the machine has available.
fn memory(mb: Option<u64>) -> u64 {
    mb.map_or_else(
        yitu_analysis::detect::temperatures::available_memory,
        |mb| mb << 20,
    )
}

fn parse_size(s: &str) -> anyhow::Result<[f32; 2]> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .with_context(|| format!("size `{s}` is not WxH, e.g. 1600x900"))?;
    Ok([
        w.trim().parse().context("width")?,
        h.trim().parse().context("height")?,
    ])
}

fn gui(options: StartOptions, size: Option<[f32; 2]>) -> anyhow::Result<()> {
    if let ProjectSource::File(path) = &options.source
        && !path.is_file()
    {
        bail!("no project file at {}", path.display());
    }
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("一图 Yitu")
        .with_inner_size(size.unwrap_or([1600.0, 900.0]));
    if size.is_some() {
        viewport = viewport.with_resizable(false);
    }
    let native = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "yitu",
        native,
        Box::new(move |cc| Ok(Box::new(YituApp::new(&cc.egui_ctx, options)))),
    )
    .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))
}

fn parse_crs(s: Option<&str>) -> anyhow::Result<Option<Crs>> {
    s.map(Crs::parse).transpose().map_err(Into::into)
}

/// A project file opens as a project (kinds from its settings); anything else is read as data.
fn read_layers(
    file: Option<&Path>,
    from: Option<&str>,
    skip_bad_rows: bool,
) -> anyhow::Result<(Vec<Layer>, Vec<yitu_layers::RowIssue>)> {
    let Some(path) = file else {
        return Ok((
            yitu_sample_data::chongqing_project()
                .layers
                .into_iter()
                .map(|l| l.layer)
                .collect(),
            Vec::new(),
        ));
    };
    let is_gpkg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"));
    if is_gpkg && from.is_none() {
        return Ok((
            Project::open(path)?
                .layers
                .into_iter()
                .map(|l| l.layer)
                .collect(),
            Vec::new(),
        ));
    }
    let import = read_vector(
        path,
        ReadOptions {
            source_crs: parse_crs(from)?,
            skip_bad_rows,
        },
    )?;
    Ok((import.layers, import.skipped))
}

fn info(
    file: Option<&Path>,
    json: bool,
    from: Option<&str>,
    skip_bad_rows: bool,
) -> anyhow::Result<()> {
    if let Some(path) = file.filter(|p| crate::state::is_raster(p)) {
        return raster_info(path, json);
    }
    let (layers, skipped) = read_layers(file, from, skip_bad_rows)?;
    let entries: Vec<serde_json::Value> = layers
        .iter()
        .map(|l| {
            let bbox = l
                .bbox()
                .map(|r| vec![r.min().x, r.min().y, r.max().x, r.max().y]);
            // An attribute-only table (e.g. the inspector roster) has no CRS.
            let crs = bbox.as_ref().map(|_| l.source_crs.as_str());
            serde_json::json!({
                "name": l.name,
                "kind": l.kind.as_str(),
                "features": l.features.len(),
                "crs": crs,
                "bbox": bbox,
            })
        })
        .collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "layers": entries, "skipped_rows": skipped })
            )?
        );
    } else {
        for (l, e) in layers.iter().zip(&entries) {
            println!(
                "{:<24} {:<18} {:>7} features  {:<12} bbox {}",
                l.name,
                l.kind.as_str(),
                l.features.len(),
                e["crs"].as_str().unwrap_or("-"),
                e["bbox"]
            );
        }
        for s in &skipped {
            eprintln!("skipped {s}");
        }
    }
    Ok(())
}

fn thermal(
    input: &Path,
    out: &Path,
    overrides: &SceneOverrides,
    units: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    refuse_overwriting_input(input, out)?;
    let units = parse_units(units)?;
    let t =
        temperature_raster(input, overrides, units).with_context(|| input.display().to_string())?;
    let method = serde_json::to_value(&t.method)?;
    let metadata = vec![
        ("YITU_UNITS".to_owned(), "degC".to_owned()),
        ("YITU_SOURCE".to_owned(), input.display().to_string()),
        ("YITU_METHOD".to_owned(), method.to_string()),
    ];
    write_f32_geotiff(
        out,
        t.width,
        t.height,
        t.celsius.clone(),
        Some(NODATA),
        t.georef.as_ref(),
        &metadata,
    )?;
    let (min, max) = t.range().unwrap_or((f32::NAN, f32::NAN));
    let report = serde_json::json!({
        "output": out, "width": t.width, "height": t.height, "georeferenced": t.georef.is_some(),
        "min_c": min, "max_c": max, "nodata": NODATA, "method": method,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{}: {}×{} px, {min:.2}…{max:.2} °C ({})",
            out.display(),
            t.width,
            t.height,
            method["method"]
        );
    }
    Ok(())
}

/// `--units` of `thermal` and `detect`.
fn parse_units(units: Option<&str>) -> anyhow::Result<Option<TiffUnits>> {
    units
        .map(|u| {
            TiffUnits::parse(u).with_context(|| format!("unknown units `{u}` (use c, k, ck or dk)"))
        })
        .transpose()
}

/// Camera, pose, intrinsics, footprint and thermal calibration of a photo.
fn photo_info(
    path: &Path,
    ground_elevation: Option<f64>,
    dem: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let photo = DronePhoto::read(path)?;
    let ground = ground_elevation.map_or(Ground::TakeOffLevel, Ground::SurfaceElevation);
    let footprint = match dem {
        Some(d) => photo.footprint_on_dem(&yitu_analysis::photo::dem::Dem::open(d)?),
        None => photo.footprint(ground),
    };
    let geojson = footprint.as_ref().map(|f| {
        let ring: Vec<[f64; 2]> = f.polygon.exterior().0.iter().map(|c| [c.x, c.y]).collect();
        serde_json::json!({ "type": "Polygon", "coordinates": [ring] })
    });
    let thermal = match temperature_raster(path, &SceneOverrides::default(), None) {
        Ok(t) => serde_json::json!({
            "method": serde_json::to_value(&t.method)?["method"],
            "range_c": t.range().map(|(lo, hi)| [lo, hi]),
        }),
        Err(ThermalError::DjiSdkMissing) => serde_json::json!({
            "method": "dji_sdk_required", "range_c": null,
            "note": ThermalError::DjiSdkMissing.to_string(),
        }),
        Err(_) => serde_json::Value::Null,
    };
    let mut v = serde_json::to_value(&photo)?;
    v["footprint"] = geojson.unwrap_or(serde_json::Value::Null);
    v["footprint_oblique"] = serde_json::json!(footprint.as_ref().map(|f| f.oblique));
    v["height_above_ground_m"] =
        serde_json::json!(footprint.as_ref().map(|f| f.height_above_ground_m));
    v["ground"] = match dem {
        Some(d) => serde_json::json!({ "dem": d }),
        None => serde_json::to_value(ground)?,
    };
    v["thermal"] = thermal;
    if json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} {} {}×{} at {:?}, {:?} (abs {:?} m, rel {:?} m), gimbal {:?}",
            photo.make,
            photo.model,
            photo.width,
            photo.height,
            photo.lon,
            photo.lat,
            photo.absolute_altitude_m,
            photo.relative_altitude_m,
            photo.gimbal
        );
        println!("footprint {}", v["footprint"]);
        println!("thermal {}", v["thermal"]);
    }
    Ok(())
}

fn raster_info(path: &Path, json: bool) -> anyhow::Result<()> {
    let info = yitu_layers::raster::raster_info(path)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
        return Ok(());
    }
    println!(
        "{} {}×{} px, {} band(s), CRS {}, pixel {:?}, WGS84 bounds {:?}",
        info.driver,
        info.width,
        info.height,
        info.bands.len(),
        info.crs.as_deref().unwrap_or("-"),
        info.pixel_size,
        info.bbox_wgs84
    );
    for b in &info.bands {
        println!(
            "  band {} {}: min {:?} max {:?} mean {:?} std {:?} nodata {:?}",
            b.index, b.data_type, b.min, b.max, b.mean, b.std_dev, b.nodata
        );
    }
    Ok(())
}

/// Inputs are never modified: an output that is the input is refused.
/// Writes `value` as pretty JSON beside `out` and renames it over it: a failed run never
/// leaves half a file.
fn write_json_atomically(out: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    serde_json::to_writer_pretty(&mut tmp, value)?;
    tmp.persist(out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}

fn refuse_overwriting_input(input: &Path, output: &Path) -> anyhow::Result<()> {
    if output.exists() && std::fs::canonicalize(input).ok() == std::fs::canonicalize(output).ok() {
        bail!(
            "the output is the input; choose another output file (inputs are never modified): {}",
            output.display()
        );
    }
    Ok(())
}

fn convert(
    input: &Path,
    output: &Path,
    from: Option<&str>,
    to: &str,
    skip_bad_rows: bool,
    json: bool,
) -> anyhow::Result<()> {
    refuse_overwriting_input(input, output)?;
    let to = Crs::parse(to)?;
    let import = read_vector(
        input,
        ReadOptions {
            source_crs: parse_crs(from)?,
            skip_bad_rows,
        },
    )?;
    let layers: Vec<&Layer> = import.layers.iter().collect();
    let written = write_layers(output, &layers, to)?;
    let features: usize = layers.iter().map(|l| l.features.len()).sum();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "written": written, "features": features, "crs": to.to_string(), "skipped_rows": import.skipped,
            }))?
        );
    } else {
        for w in &written {
            println!("{}", w.display());
        }
        for s in &import.skipped {
            eprintln!("skipped {s}");
        }
    }
    Ok(())
}
