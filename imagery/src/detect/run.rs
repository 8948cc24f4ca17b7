//! A run on files, the flow the CLI and the app share: inputs read, day or night decided, the
//! pipeline run whole or by windows, provenance recorded.

use super::error::{FileProblem, MissingAttribute};
use std::path::Path;

use yitu_layers::Layer;

use super::{
    ALGORITHM, Daylight, DetectError, Detection, Parameters, Registry, Temperatures, ThermalRaster,
    checks, detect, sun, swir, windows,
};

/// Day or night from the raster's capture time (`TIFFTAG_DATETIME`, China time) and centre;
/// `None` when the file does not say when it was taken.
pub fn daylight_of(path: &Path, image: &impl Temperatures) -> Option<Daylight> {
    let meta = yitu_layers::raster::metadata(path).ok()?;
    let text = meta
        .iter()
        .find(|(k, _)| k == "TIFFTAG_DATETIME")
        .map(|(_, v)| v.as_str())?;
    let utc = sun::parse_capture_time(text, sun::CAPTURE_ZONE)?;
    let (width, height) = image.size();
    let (lon, lat) = image
        .frame()
        .lon_lat(width as f64 / 2.0, height as f64 / 2.0)?;
    Some(if sun::elevation_deg(utc, lon, lat) >= 0.0 {
        Daylight::Day
    } else {
        Daylight::Night
    })
}

/// How a run on a scene goes: what a user may say that the files do not, and the flag that
/// stops it.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Day or night thresholds; `None`: from the raster's capture time, else day.
    pub daylight: Option<Daylight>,
    /// Bytes the run may take (see [`run_raster`]).
    pub memory: u64,
    /// A thermal TIFF's units; `None`: those the file states, else told from its values.
    pub units: Option<crate::thermal::TiffUnits>,
    /// Looked at between stages and between windows: a set flag ends the run with
    /// [`DetectError::Cancelled`].
    pub cancel: yitu_core::cancel::Cancel,
}

/// Where the detector's inputs come from.
#[derive(Debug, Clone, Default)]
pub struct InputFiles {
    pub raster: std::path::PathBuf,
    pub rivers: Option<std::path::PathBuf>,
    pub outfalls: Option<std::path::PathBuf>,
    pub sources: Option<std::path::PathBuf>,
}

/// The result of a run on files: detections and the provenance recorded with each.
pub struct Run {
    /// The temperatures detection ran on (for evidence chips); `None` for a SWIR scene.
    pub image: Option<ThermalRaster>,
    pub detections: Vec<Detection>,
    pub daylight: Daylight,
    /// `flag` (given), `capture_time` (from the raster) or `assumed` (day).
    pub daylight_from: &'static str,
    /// What may be wrong with the inputs (see [`checks::check`]).
    pub warnings: Vec<String>,
    pub provenance: serde_json::Value,
}

/// Reads the inputs, runs every detector within `memory` bytes (see [`run_raster`]) and
/// records provenance: the algorithm version, the parameters, and a SHA-256 of every input file.
pub fn run_files(inputs: &InputFiles, options: RunOptions) -> Result<Run, DetectError> {
    /// The first layer of a registry file, which must have features.
    fn layer_of(path: Option<&Path>) -> Result<Option<(&Path, Layer)>, DetectError> {
        let Some(p) = path else { return Ok(None) };
        let file_error = |problem| DetectError::File {
            path: p.to_path_buf(),
            problem,
        };
        let import = yitu_layers::io::read_vector(p, yitu_layers::io::ReadOptions::default())?;
        let layer = import
            .layers
            .into_iter()
            .next()
            .ok_or_else(|| file_error(FileProblem::NoLayer))?;
        if layer.features.is_empty() {
            return Err(file_error(FileProblem::EmptyLayer));
        }
        Ok(Some((p, layer)))
    }
    /// A registry layer read from its file; a missing attribute names the file.
    fn registry_file<T>(
        (path, layer): (&Path, Layer),
        read: impl Fn(&Layer) -> Result<Vec<T>, MissingAttribute>,
    ) -> Result<Vec<T>, DetectError> {
        read(&layer).map_err(|e| DetectError::File {
            path: path.to_path_buf(),
            problem: e.into(),
        })
    }
    let rivers = layer_of(inputs.rivers.as_deref())?;
    let river_file = rivers.as_ref().map(|(p, _)| *p);
    let registry = Registry {
        rivers: rivers
            .map(|(_, l)| Registry::rivers_from(&l))
            .unwrap_or_default(),
        outfalls: layer_of(inputs.outfalls.as_deref())?
            .map(|f| registry_file(f, Registry::outfalls_from))
            .transpose()?
            .unwrap_or_default(),
        sources: layer_of(inputs.sources.as_deref())?
            .map(|f| registry_file(f, Registry::sources_from))
            .transpose()?
            .unwrap_or_default(),
    };
    if let Some(p) = river_file
        && registry.rivers.is_empty()
    {
        return Err(DetectError::File {
            path: p.to_path_buf(),
            problem: FileProblem::NoRiverPolygons,
        });
    }
    let mut registry_hashes = serde_json::Map::new();
    for (name, path) in [
        ("rivers", inputs.rivers.as_ref()),
        ("outfalls", inputs.outfalls.as_ref()),
        ("sources", inputs.sources.as_ref()),
    ] {
        if let Some(p) = path {
            registry_hashes.insert(name.into(), serde_json::json!(sha256_file(p)?));
        }
    }
    run_scene(&inputs.raster, &registry, options, registry_hashes)
}

/// Detection on any scene it reads, the flow the CLI and the app share: a Sentinel-2 or Landsat
/// OLI product (or one of its SWIR bands) goes to [`run_swir`], anything else is a thermal
/// raster for [`run_raster`].
pub fn run_scene(
    path: &Path,
    registry: &Registry,
    options: RunOptions,
    input_sha256: serde_json::Map<String, serde_json::Value>,
) -> Result<Run, DetectError> {
    match swir::Product::of(path) {
        Some(product) => run_swir(&product, registry, input_sha256),
        None => run_raster(path, registry, options, input_sha256),
    }
}

/// Capability C2 on a Sentinel-2 L1C or Landsat OLI product (see [`swir`]), with provenance:
/// the SHA-256 of the metadata and of each band read, added to `input_sha256`.
pub fn run_swir(
    product: &swir::Product,
    registry: &Registry,
    mut input_sha256: serde_json::Map<String, serde_json::Value>,
) -> Result<Run, DetectError> {
    let scene = swir::SwirScene::read(product)?;
    let detections = swir::detect(&scene, registry);
    for file in &scene.files {
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        input_sha256.insert(name, serde_json::json!(sha256_file(file)?));
    }
    let provenance = serde_json::json!({
        "algorithm": ALGORITHM,
        "parameters": {
            "capability": "C2: normalized hot-spot indices on top-of-atmosphere radiance",
            "sensor": scene.sensor,
            "conditions": "NHI Tool A/B/C (docs/remote-sensing.md §2.2)",
            "source_match_m": swir::SOURCE_MATCH_M,
        },
        "daylight_from": "sensor",
        "input_sha256": input_sha256,
        "warnings": [],
    });
    Ok(Run {
        image: None,
        detections,
        // Reflective SWIR scenes are day passes.
        daylight: Daylight::Day,
        daylight_from: "sensor",
        warnings: Vec::new(),
        provenance,
    })
}

/// Detection on a raster against a registry, the one flow the CLI and the app share: day or
/// night (`options.daylight`, else the capture time, else day), the input checks, every
/// detector, and the provenance (the raster's SHA-256 added to `input_sha256`, which holds the
/// registry's). A raster whose whole run would take more than `options.memory` bytes is read
/// and worked on window by window (see [`windows`]), with the same detections.
pub fn run_raster(
    raster: &Path,
    registry: &Registry,
    options: RunOptions,
    mut input_sha256: serde_json::Map<String, serde_json::Value>,
) -> Result<Run, DetectError> {
    let RunOptions {
        daylight,
        memory,
        units,
        cancel,
    } = options;
    // The raster's hash is taken beside its reading, which keeps one core busy.
    let (image, raster_sha256) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| sha256_file(raster));
        let image = ThermalRaster::open(raster, memory, units);
        (image, hash.join().expect("hashing a file does not panic"))
    });
    let image = image?;
    DetectError::unless_cancelled(&cancel)?;
    let (daylight, daylight_from) = match daylight {
        Some(d) => (d, "flag"),
        None => match daylight_of(raster, &image) {
            Some(d) => (d, "capture_time"),
            None => (Daylight::Day, "assumed"),
        },
    };
    let warnings = checks::check(&image, registry)?;
    DetectError::unless_cancelled(&cancel)?;
    let params = Parameters::for_daylight(daylight);
    let detections = match &image {
        ThermalRaster::Memory(image) => detect(image, registry, &params),
        ThermalRaster::File(file) => {
            let core = windows::core_within(memory, file.frame().gsd_m, &params);
            windows::detect(file, registry, &params, core, &cancel)?
        }
    };
    DetectError::unless_cancelled(&cancel)?;
    input_sha256.insert("raster".into(), serde_json::json!(raster_sha256?));
    let provenance = serde_json::json!({
        "algorithm": ALGORITHM,
        "parameters": params,
        "daylight_from": daylight_from,
        "input_sha256": input_sha256,
        "warnings": warnings,
    });
    Ok(Run {
        image: Some(image),
        detections,
        daylight,
        daylight_from,
        warnings,
        provenance,
    })
}

/// SHA-256 of a file, hex, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String, DetectError> {
    use sha2::Digest as _;
    use std::io::Read as _;
    let io = |error| yitu_layers::LayersError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0_u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(yitu_core::digest::hex(&hasher.finalize()))
}
