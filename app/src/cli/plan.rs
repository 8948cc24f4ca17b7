//! `yitu plan`: inspection routes for a draw's tasks; with `--solomon`, the benchmark form
//! that measures the planner against published solvers.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use yitu_routing::dispatch;
use yitu_routing::model::Budget;
use yitu_routing::network::{RoadNetwork, Speeds};
use yitu_routing::solomon::SolomonInstance;

/// Solves a Solomon instance within `seconds` and prints `{"vehicles", "distance", "routes"}`
/// (JSON with `json`, else a summary and one line per route).
pub fn solomon(path: &Path, seconds: f64, json: bool) -> anyhow::Result<()> {
    let budget = budget(seconds)?;
    let instance = SolomonInstance::read(path)?;
    let result = instance.solve(&budget)?;
    if json {
        println!("{}", serde_json::to_string(&result)?);
    } else {
        println!(
            "{}: {} vehicles, distance {:.2}{}",
            instance.name,
            result.vehicles,
            result.distance,
            if result.unassigned.is_empty() {
                String::new()
            } else {
                format!(", {} customers unserved", result.unassigned.len())
            }
        );
        for (k, route) in result.routes.iter().enumerate() {
            let stops: Vec<String> = route.iter().map(u32::to_string).collect();
            println!("  route {}: {}", k + 1, stops.join(" "));
        }
    }
    Ok(())
}

/// The files a dispatch plan reads.
pub struct PlanFiles {
    pub tasks: PathBuf,
    pub teams: PathBuf,
    pub network: Option<PathBuf>,
    pub locks: Option<PathBuf>,
    pub hours: Option<PathBuf>,
}

/// Plans the draw's tasks over the teams and `days`, writes the GeoJSON to `out` (and the
/// hand-outs into `export`) and prints a summary (JSON with `json`).
pub fn dispatch(
    files: &PlanFiles,
    days: usize,
    seconds: f64,
    out: &Path,
    export: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(days >= 1, "--days must be at least 1");
    let budget = budget(seconds)?;
    for input in [
        Some(&files.tasks),
        Some(&files.teams),
        files.network.as_ref(),
        files.locks.as_ref(),
        files.hours.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        super::refuse_overwriting_input(input, out)?;
    }
    let text = std::fs::read_to_string(&files.tasks)
        .with_context(|| format!("{}: cannot read", files.tasks.display()))?;
    let record: yitu_draw::Record = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a draw record", files.tasks.display()))?;
    let teams = dispatch::read_teams(&files.teams)?;
    let network = match files.network.as_deref() {
        Some(pbf) => {
            let (network, not_kept) =
                RoadNetwork::prepared(pbf, &RoadNetwork::beside(pbf), &Speeds::urban())?;
            if let Some(e) = not_kept {
                eprintln!("warning: the prepared network is not kept: {e}");
            }
            Some(network)
        }
        None => None,
    };
    let mut options = dispatch::Options::new(days, record.inputs.plan.cross_district, budget);
    if let Some(path) = &files.locks {
        options.locks = dispatch::read_locks(path)?;
    }
    if let Some(path) = &files.hours {
        options.hours = dispatch::read_hours(path)?;
    }
    let plan = dispatch::plan(
        dispatch::tasks_of(&record),
        teams,
        network.as_ref(),
        &options,
    )?;
    super::write_json_atomically(out, &dispatch::output::to_geojson(&plan))?;
    let exported = export
        .map(|dir| dispatch::export::write(&plan, dir))
        .transpose()?
        .unwrap_or_default();
    let mut summary = dispatch::output::summary(&plan);
    summary["exported"] = serde_json::json!(exported.len());
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} of {} tasks planned in {} team-days over {} day(s): {:.0} min travel, {:.1} km ({})",
            plan.tasks.len() - plan.unplanned.len(),
            plan.tasks.len(),
            plan.team_days,
            plan.days,
            plan.travel_minutes,
            plan.distance_m / 1000.0,
            if plan.travel == "roads" {
                "on roads"
            } else {
                "estimated: straight line × detour at an average speed"
            }
        );
        for w in &plan.warnings {
            println!("  warning: {w}");
        }
        for u in &plan.unplanned {
            println!(
                "  not planned: {}: {}",
                plan.tasks[u.task].source_id, u.reason
            );
        }
        println!("wrote {}", out.display());
        if let Some(dir) = export {
            println!(
                "wrote {} hand-out files into {}",
                exported.len(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// The search's budget from `--time-limit`: a positive number of seconds.
fn budget(seconds: f64) -> anyhow::Result<Budget> {
    anyhow::ensure!(
        seconds.is_finite() && seconds > 0.0,
        "--time-limit must be a positive number of seconds"
    );
    Ok(Budget::seconds(seconds))
}
