//! River basins' figures (issue #22): a network of 100,000 reaches read from GeoJSON and
//! built, a trace over all of it, and the whole `yitu trace` process against a plain networkx
//! script doing the same trace (when Python has networkx).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Context as _;
use serde_json::json;
use yitu_basins::files::read_rivers;
use yitu_basins::synthetic::h_tree;
use yitu_basins::{BuildOptions, Direction, Limits, Network};

#[derive(Debug, serde::Serialize)]
pub struct BasinsReport {
    pub reaches: usize,
    pub file_mb: f64,
    /// Reading the GeoJSON into lines.
    pub read_seconds: f64,
    /// Snapping, splitting, orienting, Strahler order.
    pub build_seconds: f64,
    pub read_and_build_seconds: f64,
    /// A trace up from the mouth over the whole network, median of 11.
    pub trace_up_all_ms: f64,
    /// A trace up 50 km from the mouth, median of 11.
    pub trace_up_50km_ms: f64,
    pub traced_reaches: usize,
    /// The whole `yitu trace` process on the file, upstream from the mouth.
    pub yitu_trace_process_seconds: f64,
    /// The networkx script doing the same trace (scripts/bench/trace_networkx.py), when
    /// Python has networkx.
    pub networkx_seconds: Option<f64>,
    pub networkx_traced_edges: Option<usize>,
    pub speedup: Option<f64>,
}

/// Levels of the H-tree (2^17 − 1 = 131,071 lines), of which the first 100,000 in depth-first
/// order are kept: every line's parent comes before it, so they stay one network.
const LEVELS: u32 = 17;
const REACHES: usize = 100_000;

pub fn run() -> anyhow::Result<BasinsReport> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("rivers.geojson");
    let mut lines = h_tree(LEVELS, 10);
    lines.truncate(REACHES);
    let features: Vec<_> = lines
        .iter()
        .map(|l| {
            // Seven decimals (1 cm), as exports write them.
            let coords = l
                .coords
                .iter()
                .map(|c| geo::coord! { x: (c.x * 1e7).round() / 1e7, y: (c.y * 1e7).round() / 1e7 })
                .collect();
            let geometry = geo::Geometry::LineString(geo::LineString(coords));
            yitu_layers::geojson::feature(Some(&geometry), json!({"id": l.id, "name": l.name}))
        })
        .collect();
    std::fs::write(
        &path,
        yitu_layers::geojson::collection(features, serde_json::Map::new()).to_string(),
    )?;
    let file_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    let mouth = lines[0].coords[lines[0].coords.len() - 1];

    let t = Instant::now();
    let read = read_rivers(&path)?;
    let read_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let network = Network::build(
        read,
        &BuildOptions {
            snap_m: 10.0,
            ..BuildOptions::default()
        },
    );
    let build_seconds = t.elapsed().as_secs_f64();
    let start = network.locate(mouth).context("a network")?;
    let time = |limits: Limits| {
        let mut ms: Vec<f64> = (0..11)
            .map(|_| {
                let t = Instant::now();
                let trace = network.trace(start, Direction::Up, limits);
                std::hint::black_box(trace.parts.len());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        ms[5]
    };
    let trace_up_all_ms = time(Limits::default());
    let trace_up_50km_ms = time(Limits {
        max_m: 50_000.0,
        ..Limits::default()
    });
    let traced_reaches = network
        .trace(start, Direction::Up, Limits::default())
        .parts
        .len();

    let from = format!("{},{}", mouth.x, mouth.y);
    let out = dir.path().join("trace.geojson");
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let status = Command::new(&exe)
        .args(["trace", "--rivers"])
        .arg(&path)
        .args(["--from", &from, "-o"])
        .arg(&out)
        .status()?;
    anyhow::ensure!(status.success(), "yitu trace failed");
    let yitu_trace_process_seconds = t.elapsed().as_secs_f64();
    let (networkx_seconds, networkx_traced_edges) =
        networkx(&path, &from, &dir.path().join("nx.geojson"));
    Ok(BasinsReport {
        reaches: network.reaches.len(),
        file_mb,
        read_seconds,
        build_seconds,
        read_and_build_seconds: read_seconds + build_seconds,
        trace_up_all_ms,
        trace_up_50km_ms,
        traced_reaches,
        yitu_trace_process_seconds,
        speedup: networkx_seconds.map(|s| s / yitu_trace_process_seconds),
        networkx_seconds,
        networkx_traced_edges,
    })
}

/// Runs the networkx script; `None` when Python or networkx is missing.
fn networkx(rivers: &Path, from: &str, out: &Path) -> (Option<f64>, Option<usize>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/bench/trace_networkx.py");
    let t = Instant::now();
    let Ok(output) = Command::new("python3")
        .arg(&script)
        .arg(rivers)
        .arg(from)
        .arg(out)
        .output()
    else {
        return (None, None);
    };
    let seconds = t.elapsed().as_secs_f64();
    if !output.status.success() {
        log::warn!(
            "networkx script: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return (None, None);
    }
    let edges = String::from_utf8_lossy(&output.stdout).trim().parse().ok();
    (Some(seconds), edges)
}
