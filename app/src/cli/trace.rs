//! `yitu trace`: a river network built from the files given, traced, and the result written,
//! over `yitu_basins`.

use std::path::Path;

use anyhow::{Context as _, bail};
use geo::Coord;
use yitu_basins::attribution::evidence::Registry;
use yitu_basins::attribution::{Exceedance, Ranked, rank_found};
use yitu_basins::files::{features_of, read_districts, read_layer, read_rivers};
use yitu_basins::joint;
use yitu_basins::report::{StartReport, Summary, VelocitySource, by_district, write_geojson};
use yitu_basins::{
    BuildOptions, Direction, Districts, Feature, Limits, Network, Tied, found::crossings,
};
use yitu_layers::Layer;
use yitu_layers::dem::Dem;

use super::args::TraceArgs;

/// `LON,LAT` as a coordinate.
fn lon_lat(text: &str, option: &str) -> anyhow::Result<Coord<f64>> {
    let (lon, lat) = text
        .split_once(',')
        .with_context(|| format!("{option} `{text}`: expected LON,LAT"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .with_context(|| format!("{option} `{text}`: the longitude is not a number"))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .with_context(|| format!("{option} `{text}`: the latitude is not a number"))?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        bail!("{option} `{text}`: not a WGS84 longitude,latitude");
    }
    Ok(Coord { x: lon, y: lat })
}

fn positive(value: Option<f64>, option: &str) -> anyhow::Result<Option<f64>> {
    match value {
        Some(v) if !(v.is_finite() && v > 0.0) => {
            bail!("{option} must be a positive number, not {v}")
        }
        v => Ok(v),
    }
}

pub(super) fn run(a: &TraceArgs) -> anyhow::Result<()> {
    let velocity = positive(a.velocity, "--velocity")?;
    let km = positive(a.km, "--km")?;
    let hours = positive(a.hours, "--hours")?;
    positive(Some(a.corridor_m), "--corridor-m")?;
    positive(Some(a.snap_m), "--snap-m")?;
    let direction: Direction = a.direction.parse().map_err(anyhow::Error::msg)?;
    let outlets = a
        .outlet
        .iter()
        .map(|o| lon_lat(o, "--outlet"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let from = a
        .from
        .as_deref()
        .map(|f| lon_lat(f, "--from"))
        .transpose()?;

    let lines = read_rivers(&a.rivers)?;
    let dem = a.dem.as_deref().map(Dem::open).transpose()?;
    let height = |c: Coord<f64>| dem.as_ref().and_then(|d| d.elevation(c.x, c.y));
    let network = Network::build(
        lines,
        &BuildOptions {
            snap_m: a.snap_m,
            outlets,
            height: dem
                .as_ref()
                .map(|_| &height as &dyn Fn(Coord<f64>) -> Option<f64>),
        },
    );
    // (option, layer name, tied to the nearest reach only)
    let inputs = [
        (&a.outfalls, "outfalls", true),
        (&a.sections, "sections", true),
        (&a.detections, "detections", true),
        (&a.sources, "sources", false),
        (&a.anomalies, "anomalies", false),
    ];
    let mut layers: Vec<(&str, Layer)> = Vec::new();
    let mut features: Vec<Feature> = Vec::new();
    for (path, name, nearest_only) in inputs {
        if let Some(path) = path {
            let layer = read_layer(path, name)?;
            features.extend(features_of(&layer, name, nearest_only));
            layers.push((name, layer));
        }
    }
    let districts = match a.districts.as_slice() {
        [] => None,
        paths => Some(Districts::new(
            paths
                .iter()
                .map(|p| read_districts(p).map(Districts::into_layers))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .collect(),
        )),
    };
    let start_at = match (from, &a.from_feature) {
        (Some(c), _) => c,
        (None, Some(spec)) => feature_position(spec, &features)?,
        (None, None) => bail!("give --from LON,LAT or --from-feature LAYER:ID"),
    };
    let start = network
        .locate(start_at)
        .with_context(|| format!("no river lines to trace in {}", a.rivers.display()))?;
    if a.velocity_by_order
        .iter()
        .any(|v| !(v.is_finite() && *v > 0.0))
    {
        bail!("--velocity-by-order: every velocity must be a positive number of m/s");
    }
    let limits = Limits {
        max_m: km.map_or(f64::INFINITY, |k| k * 1000.0),
        max_h: hours.unwrap_or(f64::INFINITY),
        velocity_m_s: velocity.unwrap_or(0.5),
        ..Limits::default()
    }
    .with_orders(&a.velocity_by_order);
    let trace = network.trace(start, direction, limits);
    let tied = Tied::new(&network, features, a.corridor_m);
    let found = tied.found(&network, &trace, districts.as_ref());
    let crossings = districts
        .as_ref()
        .map(|d| crossings(&network, &trace, d))
        .unwrap_or_default();
    write(&a.out, |w| {
        write_geojson(
            w,
            &network,
            &trace,
            &found,
            &crossings,
            (&limits, districts.as_ref()),
        )
    })?;
    let ranked = (a.exceedance.is_some() || a.lists.is_some())
        .then(|| {
            let exceedance: Exceedance = a
                .exceedance
                .as_deref()
                .unwrap_or("")
                .parse()
                .map_err(anyhow::Error::msg)?;
            let registry =
                Registry::by_name(|n| layers.iter().find(|(name, _)| *name == n).map(|(_, l)| l));
            anyhow::Ok(rank_found(&exceedance, &found, &registry))
        })
        .transpose()?;
    if let (Some(dir), Some(ranked)) = (&a.lists, &ranked) {
        let title = format!(
            "{} {}",
            a.exceedance
                .as_deref()
                .unwrap_or("流域追溯 river-basin trace"),
            a.from_feature
                .as_deref()
                .or(a.from.as_deref())
                .unwrap_or("")
        );
        write_lists(dir, &title, ranked, &crossings)?;
    }
    let summary = Summary {
        reaches: trace.parts.len(),
        length_km: trace.length_m() / 1000.0,
        by_district: by_district(&found),
        found,
        crossings,
        qa: network.qa.clone(),
        direction,
        start: StartReport::new(&network, start),
        velocity_m_s: limits.velocity_m_s,
        velocity_source: if !a.velocity_by_order.is_empty() {
            VelocitySource::ByOrder
        } else if velocity.is_some() {
            VelocitySource::Given
        } else {
            VelocitySource::Default
        },
        reaches_with_velocity: network
            .reaches
            .iter()
            .filter(|r| r.velocity_m_s.is_some())
            .count(),
    };
    if a.json {
        let mut value = serde_json::to_value(&summary)?;
        if let (Some(ranked), Some(map)) = (&ranked, value.as_object_mut()) {
            map.insert("attribution".to_owned(), serde_json::to_value(ranked)?);
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!(
            "{} reaches, {:.1} km traced {:?} from {} ({}); {} found, {} crossings; {} QA findings; {}",
            summary.reaches,
            summary.length_km,
            direction,
            summary.start.river,
            summary.start.reach_id,
            summary.found.len(),
            summary.crossings.len(),
            summary.qa.len(),
            a.out.display()
        );
    }
    Ok(())
}

/// Where `LAYER:ID` is, among the features read.
fn feature_position(spec: &str, features: &[Feature]) -> anyhow::Result<Coord<f64>> {
    let (layer, id) = spec.split_once(':').with_context(|| {
        format!("--from-feature `{spec}`: expected LAYER:ID, e.g. sections:S01")
    })?;
    if !["outfalls", "sections", "sources", "detections", "anomalies"].contains(&layer) {
        bail!(
            "--from-feature `{spec}`: the layer must be outfalls, sections, sources, detections or anomalies (the file given with that option)"
        );
    }
    if !features.iter().any(|f| f.layer == layer) {
        bail!("--from-feature `{spec}`: no --{layer} file given");
    }
    features
        .iter()
        .find(|f| f.layer == layer && f.id == id)
        .map(|f| f.at)
        .with_context(|| format!("--from-feature `{spec}`: no feature with id `{id}` in --{layer}"))
}

/// The joint-check lists: a printable page per district, one CSV, and the plan entries.
fn write_lists(
    dir: &Path,
    title: &str,
    ranked: &[Ranked],
    crossings: &[yitu_basins::Crossing],
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let files = joint::files(title, ranked, crossings);
    for (name, text) in files {
        let path = dir.join(name);
        write(&path, |w| w.write_all(text.as_bytes()))?;
    }
    Ok(())
}

/// Writes a file through a temporary file beside it, so a failed write leaves no half file.
fn write(
    path: &Path,
    body: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut w = std::io::BufWriter::new(&mut tmp);
    body(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::flush(&mut w)?;
    drop(w);
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
