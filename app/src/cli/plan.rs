//! `yitu plan`: inspection routes; with `--solomon`, the benchmark form that measures the
//! planner against published solvers.

use std::path::Path;

use yitu_routing::solomon::SolomonInstance;
use yitu_routing::vrptw::Budget;

/// Solves a Solomon instance within `seconds` and prints `{"vehicles", "distance", "routes"}`
/// (JSON with `json`, else a summary and one line per route).
pub fn solomon(path: &Path, seconds: f64, json: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        seconds.is_finite() && seconds > 0.0,
        "--time-limit must be a positive number of seconds"
    );
    let instance = SolomonInstance::read(path)?;
    let result = instance.solve(&Budget::seconds(seconds))?;
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
