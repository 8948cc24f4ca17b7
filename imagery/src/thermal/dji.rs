//! DJI R-JPEG temperatures through DJI's own Thermal SDK, as an optional external converter the
//! user installs (the SDK is closed and cannot ship with Yitu). Its sample program `dji_irp`
//! writes the temperature of every pixel as little-endian float32 °C:
//! `dji_irp -s IN.jpg -a measure -o OUT.raw --measurefmt float32 [--distance D] ...`.
//!
//! The converter is found at `$YITU_DJI_IRP`, or as `dji_irp` on the `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Method, SceneOverrides, TemperatureRaster, ThermalError};

/// The installed converter, if any.
pub fn find_converter() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("YITU_DJI_IRP")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
    {
        return Some(p);
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join("dji_irp"))
        .find(|p| p.is_file())
}

/// Runs the converter on `photo` (`width × height` pixels) with the user's scene overrides.
pub fn convert(
    converter: &Path,
    photo: &Path,
    width: usize,
    height: usize,
    overrides: &SceneOverrides,
) -> Result<TemperatureRaster, ThermalError> {
    // The converter writes into a scratch folder that is removed with `scratch`.
    let scratch =
        tempfile::tempdir().map_err(|e| ThermalError::Format(format!("no scratch folder: {e}")))?;
    let out = scratch.path().join("temperatures.raw");
    let mut args: Vec<String> = vec![
        "-s".into(),
        photo.display().to_string(),
        "-a".into(),
        "measure".into(),
        "-o".into(),
        out.display().to_string(),
        "--measurefmt".into(),
        "float32".into(),
    ];
    for (flag, value) in [
        ("--distance", overrides.distance_m),
        ("--humidity", overrides.relative_humidity_pct),
        ("--emissivity", overrides.emissivity),
        ("--reflection", overrides.reflected_c),
    ] {
        if let Some(v) = value {
            args.extend([flag.to_owned(), v.to_string()]);
        }
    }
    let status = Command::new(converter).args(&args).output().map_err(|e| {
        ThermalError::Format(format!(
            "cannot run the DJI converter {}: {e}",
            converter.display()
        ))
    })?;
    let bytes = std::fs::read(&out);
    if !status.status.success() {
        return Err(ThermalError::Format(format!(
            "the DJI converter failed: {}",
            String::from_utf8_lossy(&status.stderr).trim()
        )));
    }
    let bytes = bytes.map_err(|error| ThermalError::Io {
        path: out.clone(),
        error,
    })?;
    if bytes.len() != width * height * 4 {
        return Err(ThermalError::Format(format!(
            "the DJI converter wrote {} bytes, expected {}×{} float32 values",
            bytes.len(),
            width,
            height
        )));
    }
    let celsius = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok(TemperatureRaster {
        width,
        height,
        celsius,
        georef: None,
        method: Method::DjiSdk {
            converter: converter.display().to_string(),
            arguments: args[6..].join(" "),
        },
    })
}
