//! `yitu sample --monitoring`: generated monitoring data for the sample project's first 40 key
//! sources (or a scenario of the second generator), written as the files `yitu monitor` and
//! the monitoring window read, with what was planted.

use std::path::Path;

use anyhow::Context as _;
use yitu_monitoring::synthetic;

/// `yitu sample --monitoring`: two months of data for the sample project's first 40 key
/// sources, with what was planted; with `independent`, a scenario of the second generator.
pub fn write(out: &Path, seed: u64, independent: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    if independent {
        let s = yitu_monitoring::independent::scenario(seed);
        for (name, text) in &s.files {
            write(name, text)?;
        }
        write(
            "truth.json",
            &serde_json::to_string_pretty(&serde_json::json!({
                "from": s.from, "to": s.to, "planted": s.planted,
                "bad_lines": s.bad_lines, "transmission": s.transmission,
            }))?,
        )?;
        return Ok(());
    }
    let project = yitu_sample_data::chongqing_project();
    let layer = project
        .layer(yitu_layers::LayerKind::PollutionSources)
        .context("the sample project has no pollution sources")?;
    let (id, category, district, industry) = (
        layer.field_index("id").context("no id")?,
        layer.field_index("category").context("no category")?,
        layer
            .field_index("district_code")
            .context("no district_code")?,
        layer.field_index("industry").context("no industry")?,
    );
    let chosen: Vec<&yitu_layers::Feature> = layer
        .features
        .iter()
        .filter(|f| f.values[category].as_str() == Some("key"))
        .take(40)
        .collect();
    let firms = chosen
        .iter()
        .map(|f| synthetic::FirmSpec {
            id: f.values[id].to_string(),
            district: f.values[district].to_string(),
            // Power, cement, steel and incineration stacks report flue gas; the rest discharge
            // wastewater.
            water: !matches!(
                f.values[industry].as_str(),
                Some("thermal_power" | "cement" | "steel" | "waste_incineration")
            ),
        })
        .collect();
    let g = synthetic::generate(&synthetic::Spec {
        seed,
        firms,
        first_month: (2026, 9),
        months: 2,
        anomaly_rate: 0.25,
    });
    write("data.log", &g.log)?;
    write("meters.csv", &g.meters_csv)?;
    write("periods.csv", &g.periods_csv)?;
    write("events.csv", &g.events_csv)?;
    write("limits.csv", &g.limits_csv)?;
    write("mn-map.csv", &g.mn_map_csv)?;
    // The chosen firms with their fields (their MNs come from the map).
    let mut subset = layer.clone();
    subset.features = chosen.into_iter().cloned().collect();
    yitu_layers::io::write_layers(
        &out.join("sources.geojson"),
        &[&subset],
        yitu_layers::Crs::Wgs84,
    )?;
    write(
        "truth.json",
        &serde_json::to_string_pretty(&serde_json::json!({
            "planted": g.planted,
            "bad_lines": g.bad_lines,
            "transmission": g.transmission,
        }))?,
    )?;
    Ok(())
}
