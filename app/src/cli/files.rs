//! `yitu info`, `convert` and `thermal`: reading files and writing them in another form.

use std::path::Path;

use anyhow::Context as _;
use yitu_imagery::photo::{DronePhoto, Ground};
use yitu_imagery::thermal::{NODATA, SceneOverrides, ThermalError, TiffUnits, temperature_raster};
use yitu_layers::io::{ReadOptions, read_vector, write_layers};
use yitu_layers::raster::write_f32_geotiff;
use yitu_layers::{Crs, Layer, Project};

use super::{parse_crs, refuse_overwriting_input};

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

pub(super) fn info(
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

pub(super) fn thermal(
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
pub(super) fn parse_units(units: Option<&str>) -> anyhow::Result<Option<TiffUnits>> {
    units
        .map(|u| {
            TiffUnits::parse(u).with_context(|| format!("unknown units `{u}` (use c, k, ck or dk)"))
        })
        .transpose()
}

/// Camera, pose, intrinsics, footprint and thermal calibration of a photo.
pub(super) fn photo_info(
    path: &Path,
    ground_elevation: Option<f64>,
    dem: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let photo = DronePhoto::read(path)?;
    let ground = ground_elevation.map_or(Ground::TakeOffLevel, Ground::SurfaceElevation);
    let footprint = match dem {
        Some(d) => photo.footprint_on_dem(&yitu_layers::dem::Dem::open(d)?),
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

pub(super) fn convert(
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
