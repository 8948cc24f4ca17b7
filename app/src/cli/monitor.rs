//! `yitu monitor` and `yitu sample --monitoring`: the monitoring files read, analysed and
//! written, over `yitu_monitoring`.

use anyhow::Context as _;
use yitu_layers::io::{ReadOptions, read_vector};
use yitu_monitoring::files::{self, Loader};
use yitu_monitoring::report::{Rejected, Report};
use yitu_monitoring::rules::{Span, analyse};
use yitu_monitoring::time::{DAY_HOURS, Stamp};

use super::args::MonitorArgs;
use crate::state::monitoring::sources_of;

pub(super) fn run(a: &MonitorArgs) -> anyhow::Result<()> {
    let mut rejected: Vec<Rejected> = Vec::new();
    let import = read_vector(&a.sources, ReadOptions::default())
        .with_context(|| format!("cannot read the sources {}", a.sources.display()))?;
    let layer = import
        .layers
        .first()
        .with_context(|| format!("no layer in {}", a.sources.display()))?;
    let sources = sources_of(layer);
    anyhow::ensure!(
        !sources.is_empty(),
        "{}: no sources with an `id` field",
        a.sources.display()
    );
    let ctx = files::context(
        sources,
        &files::ContextFiles {
            mn_map: a.mn_map.clone(),
            limits: a.limits.clone(),
            periods: a.periods.clone(),
            events: a.events.clone(),
        },
        &mut rejected,
    )?;
    let mut loader = Loader::new(&ctx, Stamp::now());
    for path in &a.data {
        loader.data_file(path)?;
    }
    if let Some(path) = &a.meters {
        loader.meters_file(path)?;
    }
    rejected.append(&mut loader.rejected);
    let day = |text: &str, what: &str| {
        Stamp::parse(text)
            .map(Stamp::hour)
            .with_context(|| format!("--{what} `{text}` is not a date (yyyy-MM-dd)"))
    };
    let data_span = loader.data.hour_span();
    let from = match &a.from {
        Some(t) => day(t, "from")?,
        None => data_span.map_or(0, |s| s.0),
    };
    let to = match &a.to {
        Some(t) => day(t, "to")? + DAY_HOURS,
        None => data_span.map_or(0, |s| s.1),
    };
    let span = Span { from, to };
    if let Some(problem) = span.problem() {
        anyhow::bail!("{problem} (--from/--to, or the data's first and last hours)");
    }
    let power = loader.meters.finish();
    let (points, anomalies) = analyse(&loader.data, &power, &ctx, span);
    let report = Report {
        points,
        anomalies,
        rejected,
    };
    let text = serde_json::to_string_pretty(&report)?;
    std::fs::write(&a.out, &text).with_context(|| format!("cannot write {}", a.out.display()))?;
    if a.json {
        println!("{text}");
    } else {
        println!(
            "{} point-months, {} anomalies, {} lines rejected: {}",
            report.points.len(),
            report.anomalies.len(),
            report.rejected.len(),
            a.out.display()
        );
        for r in report.rejected.iter().take(20) {
            println!("rejected {}:{}: {}", r.file, r.line, r.reason);
        }
    }
    Ok(())
}

/// The sample project's monitoring folder, generated into the user's cache the first time
/// (about 40 MB) and reused after.
pub(super) fn sample_folder() -> anyhow::Result<std::path::PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))
        .context("no cache folder: set HOME or XDG_CACHE_HOME")?
        .join("yitu");
    let dir = cache.join("sample-monitoring-1");
    if !dir.join("truth.json").is_file() {
        std::fs::create_dir_all(&cache)
            .with_context(|| format!("cannot create {}", cache.display()))?;
        // Written beside, then moved into place: a second Yitu starting meanwhile never reads
        // half a folder.
        let staging = tempfile::tempdir_in(&cache)?;
        let out = staging.path().join("monitoring");
        crate::state::monitoring_sample::write(&out, 1, false)?;
        if std::fs::rename(&out, &dir).is_err() && !dir.join("truth.json").is_file() {
            anyhow::bail!("cannot put the sample monitoring data in {}", dir.display());
        }
    }
    Ok(dir)
}
