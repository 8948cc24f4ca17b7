//! The `yitu` command line: the GUI, and the scripted verbs that call the same library functions.

use std::path::Path;

use anyhow::{Context as _, bail};
use clap::Parser as _;
use yitu_imagery::thermal::SceneOverrides;
use yitu_layers::Crs;

use crate::app::{StartOptions, YituApp};
use crate::map::basemap::Basemap;
use crate::state::ProjectSource;

mod args;
mod detect;
mod draw;
mod files;
mod monitor;
mod plan;
mod store;
mod trace;

pub use args::Cli;
use args::{LangArg, Verb};
use files::{convert, info, parse_units, photo_info, thermal};

/// Parses arguments and runs the verb.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Verb::Open {
        project: None,
        lang: LangArg::Zh,
    }) {
        Verb::Open { project, lang } => {
            let monitoring = sample_monitoring(project.as_deref())?;
            gui(
                StartOptions {
                    monitoring,
                    ..StartOptions::new(ProjectSource::from_arg(project), lang.into())
                },
                None,
            )
        }
        Verb::Info {
            file,
            json,
            from,
            skip_bad_rows,
            ground_elevation,
            dem,
        } => match file.as_deref() {
            Some(path) if yitu_imagery::jpeg::is_jpeg_path(path) => {
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
            monitoring,
            trace,
            second_screen,
            basemap,
        } => {
            let size = parse_size(&size)?;
            if let Some(b) = &basemap
                && !b.is_file()
            {
                bail!("--basemap {}: no such file", b.display());
            }
            let trace = trace
                .as_deref()
                .map(|t| -> anyhow::Result<(f64, f64)> {
                    let (lon, lat) = t
                        .split_once(',')
                        .with_context(|| format!("--trace `{t}`: expected LON,LAT"))?;
                    Ok((
                        lon.trim().parse().context("--trace longitude")?,
                        lat.trim().parse().context("--trace latitude")?,
                    ))
                })
                .transpose()?;
            gui(
                StartOptions {
                    view,
                    screenshot: Some(out.clone()),
                    second_screen: second_screen.clone(),
                    basemap: basemap.map(|b| Basemap::PmTiles(b.to_string_lossy().into_owned())),
                    monitoring,
                    trace,
                    ..StartOptions::new(ProjectSource::from_arg(project), lang.into())
                },
                Some(size),
            )?;
            for out in std::iter::once(&out).chain(&second_screen) {
                if !out.exists() {
                    bail!("no screenshot was written to {}", out.display());
                }
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
                (true, _) => Some(yitu_imagery::detect::Daylight::Night),
                (_, true) => Some(yitu_imagery::detect::Daylight::Day),
                _ => None,
            };
            let inputs = yitu_imagery::detect::InputFiles {
                raster,
                rivers: river,
                outfalls,
                sources,
            };
            let options = yitu_imagery::detect::RunOptions {
                daylight,
                memory: memory(memory_mb),
                units: parse_units(units.as_deref())?,
                cancel: yitu_core::cancel::Cancel::default(),
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
            independent,
            ..
        } => {
            use yitu_imagery::detect::{Daylight, orthosim::OrthoSpec, synthetic};
            let daylight = if day { Daylight::Day } else { Daylight::Night };
            let scene = if independent {
                OrthoSpec { seed, daylight }.generate()
            } else {
                synthetic::Scene::generate(&synthetic::SceneSpec {
                    seed,
                    daylight,
                    river_width_m: 60.0,
                    gsd_m: 0.15,
                    length_m: 240.0,
                    plumes: 5,
                    hotspots: 6,
                })
            };
            scene.write(&out)?;
            println!("{}", out.display());
            Ok(())
        }
        Verb::Sample {
            out,
            monitoring: true,
            seed,
            independent,
            ..
        } => {
            crate::state::monitoring_sample::write(&out, seed, independent)?;
            println!("{}", out.display());
            Ok(())
        }
        Verb::Sample {
            out,
            draw_inputs: true,
            seed,
            ..
        } => {
            use yitu_draw::synthetic;
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
        Verb::Store { action } => store::run(action),
        Verb::Monitor(args) => monitor::run(&args),
        Verb::Trace(args) => trace::run(&args),
        Verb::Present {
            project,
            story,
            out,
            size,
            lang,
        } => {
            let size = parse_size(&size)?;
            std::fs::create_dir_all(&out)
                .with_context(|| format!("cannot make {}", out.display()))?;
            let monitoring = sample_monitoring(project.as_deref())?;
            gui(
                StartOptions {
                    monitoring,
                    present: Some((out.clone(), story)),
                    ..StartOptions::new(ProjectSource::from_arg(project), lang.into())
                },
                Some(size),
            )?;
            let indicators = out.join("indicators.json");
            if !indicators.exists() {
                bail!(
                    "the presentation did not finish: no {}",
                    indicators.display()
                );
            }
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
            monitoring,
            basins,
            presenter,
            routes,
            network,
            plan_seconds,
            store,
            edit_seconds,
        } => {
            let report = if let Some(url) = store {
                serde_json::to_value(crate::bench::store::run(&url, edit_seconds)?)?
            } else if let Some(side) = routes {
                serde_json::to_value(crate::bench::routes(
                    side,
                    network.as_deref(),
                    plan_seconds,
                )?)?
            } else if draw {
                serde_json::to_value(crate::bench::draw()?)?
            } else if monitoring {
                serde_json::to_value(crate::bench::monitoring::run()?)?
            } else if presenter {
                serde_json::to_value(crate::bench::presenter::run()?)?
            } else if basins {
                serde_json::to_value(crate::bench::basins::run()?)?
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
    mb.map_or_else(yitu_imagery::detect::temperatures::available_memory, |mb| {
        mb << 20
    })
}

/// The sample project (no `project`) is shown with its monitoring data analysed: the folder,
/// generated once into the user's cache and then reused.
fn sample_monitoring(project: Option<&Path>) -> anyhow::Result<Option<std::path::PathBuf>> {
    match project {
        None => Ok(Some(monitor::sample_folder()?)),
        Some(_) => Ok(None),
    }
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
