//! `yitu detect`: thermal hot spots and plumes on a raster, matched to the registry, as GeoJSON.

use std::path::Path;

use yitu_imagery::detect::{InputFiles, RunOptions, run_files, to_geojson};

/// Runs detection (within `options.memory` bytes) and writes `out` (GeoJSON, WGS84) and, with `evidence`, a PNG chip and an HTML
/// sheet per detection worth a visit; prints a summary (JSON with `json`).
pub fn detect(
    inputs: &InputFiles,
    options: RunOptions,
    out: &Path,
    evidence: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    for input in [
        Some(&inputs.raster),
        inputs.rivers.as_ref(),
        inputs.outfalls.as_ref(),
        inputs.sources.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        super::refuse_overwriting_input(input, out)?;
    }
    if evidence.is_some() && yitu_imagery::detect::swir::Product::of(&inputs.raster).is_some() {
        anyhow::bail!(
            "{}: --evidence writes thermal chips, and a SWIR scene has no temperatures; run \
             without it",
            inputs.raster.display()
        );
    }
    let start = std::time::Instant::now();
    let run = run_files(inputs, options)?;
    let seconds = start.elapsed().as_secs_f64();
    let collection = to_geojson(&run.detections, &run.provenance);
    super::write_json_atomically(out, &collection)?;
    let sheets = match (evidence, &run.image) {
        (Some(dir), Some(image)) => yitu_imagery::detect::evidence::write_evidence(
            dir,
            image,
            &run.detections,
            &run.provenance,
            0.5,
        )?,
        _ => Vec::new(),
    };
    let count = |f: &dyn Fn(&yitu_imagery::detect::Detection) -> String| {
        let mut m = std::collections::BTreeMap::<String, usize>::new();
        for d in &run.detections {
            *m.entry(f(d)).or_default() += 1;
        }
        m
    };
    let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let summary = serde_json::json!({
        "output": out,
        "detections": run.detections.len(),
        "worth_a_visit": run.detections.iter().filter(|d| d.score >= 0.5).count(),
        "by_capability": count(&|d| name(serde_json::to_value(d.capability).unwrap_or_default())),
        "by_status": count(&|d| name(serde_json::to_value(d.status).unwrap_or_default())),
        "daylight": run.daylight,
        "daylight_from": run.daylight_from,
        "warnings": run.warnings,
        "evidence": sheets,
        "seconds": seconds,
    });
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{}: {} detections ({} worth a visit), {:?} thresholds ({}), {seconds:.1} s",
            out.display(),
            run.detections.len(),
            summary["worth_a_visit"],
            run.daylight,
            run.daylight_from
        );
        for d in run.detections.iter().filter(|d| d.score >= 0.5) {
            println!(
                "  {:.2}  {:?}  {:?}  {:.6},{:.6}  ΔT {:+.1} K  {:.1} m²",
                d.score,
                d.capability,
                d.status,
                d.centroid_lon,
                d.centroid_lat,
                d.delta_t_k,
                d.area_m2
            );
        }
    }
    Ok(())
}
