//! A SWIR product on disk: its metadata and band files found and read into top-of-atmosphere
//! radiance on one grid. The file reading of capability C2, apart from its algorithm.

use std::path::{Path, PathBuf};

use super::{Radiance, Sensor};
use crate::detect::error::FileProblem;
use crate::detect::{DetectError, PixelFrame};

/// A SWIR product on disk: the metadata file that lists its bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Product {
    /// A Landsat 8/9 scene's `*_MTL.txt`.
    Oli { mtl: PathBuf },
    /// A Sentinel-2 L1C `.SAFE` folder's `MTD_MSIL1C.xml`.
    Sentinel2 { metadata: PathBuf },
}

/// OLI bands read, in [`Radiance`] order.
const OLI_BANDS: [u8; 4] = [4, 5, 6, 7];
/// Sentinel-2 bands read, in [`Radiance`] order, with their index in the metadata's band list.
const S2_BANDS: [(&str, usize); 4] = [("B05", 4), ("B8A", 8), ("B11", 11), ("B12", 12)];

impl Product {
    /// The SWIR product `path` names: a Landsat MTL, or an OLI band 4–7 with its MTL beside it,
    /// or a Sentinel-2 L1C metadata file, or one of its bands B05/B8A/B11/B12. `None` for any
    /// other file (a thermal raster).
    pub fn of(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_uppercase();
        if name.ends_with("_MTL.TXT") {
            return Some(Self::Oli {
                mtl: path.to_path_buf(),
            });
        }
        if name == "MTD_MSIL1C.XML" || name == "MTD_MSIL2A.XML" {
            return Some(Self::Sentinel2 {
                metadata: path.to_path_buf(),
            });
        }
        if let Some(band) = crate::sentinel2::band_of(path)
            && S2_BANDS.iter().any(|(b, _)| *b == band)
        {
            return crate::sentinel2::metadata_file(path)
                .map(|metadata| Self::Sentinel2 { metadata });
        }
        let (mtl, _, band) = crate::thermal::landsat::find_mtl(path).ok()??;
        OLI_BANDS
            .iter()
            .any(|b| band == b.to_string())
            .then_some(Self::Oli { mtl })
    }
}

/// The four bands of a SWIR scene as TOA radiance on one pixel grid.
pub struct SwirScene {
    pub sensor: Sensor,
    pub width: usize,
    pub height: usize,
    /// L0.7, L0.8, L1.6, L2.2 (see [`Radiance`]); NaN where there is no data.
    pub bands: [Vec<f32>; 4],
    pub frame: PixelFrame,
    /// The files read: metadata and the four bands (for provenance).
    pub files: Vec<PathBuf>,
}

impl SwirScene {
    pub fn at(&self, i: usize) -> Radiance {
        Radiance {
            l07: self.bands[0][i],
            l08: self.bands[1][i],
            l16: self.bands[2][i],
            l22: self.bands[3][i],
        }
    }

    /// Reads a product's four bands and converts them to radiance with its metadata.
    pub fn read(product: &Product) -> Result<Self, DetectError> {
        match product {
            Product::Oli { mtl } => read_oli(mtl),
            Product::Sentinel2 { metadata } => read_sentinel2(metadata),
        }
    }
}

fn input_error(path: &Path, problem: impl std::fmt::Display) -> DetectError {
    DetectError::File {
        path: path.to_path_buf(),
        problem: FileProblem::Unreadable(problem.to_string()),
    }
}

/// Landsat OLI: `L = ML·Q + AL` per band, from the MTL (0 is the fill value).
fn read_oli(mtl_path: &Path) -> Result<SwirScene, DetectError> {
    use crate::thermal::landsat::mtl_value;
    let mtl = std::fs::read_to_string(mtl_path).map_err(|e| input_error(mtl_path, e))?;
    let dir = mtl_path.parent().unwrap_or(Path::new("."));
    let mut files = vec![mtl_path.to_path_buf()];
    let mut bands = Vec::new();
    for band in OLI_BANDS {
        let key = |k: &str| format!("{k}_BAND_{band}");
        let value = |k: &str| -> Result<f64, DetectError> {
            mtl_value(&mtl, &key(k))
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| input_error(mtl_path, format!("the MTL has no `{}`", key(k))))
        };
        let (mult, add) = (value("RADIANCE_MULT")?, value("RADIANCE_ADD")?);
        let file = mtl_value(&mtl, &key("FILE_NAME"))
            .ok_or_else(|| input_error(mtl_path, format!("the MTL lists no band {band} file")))?;
        let path = dir.join(file);
        bands.push(read_radiance(&path, |dn| {
            (dn > 0.0).then_some(mult * dn + add)
        })?);
        files.push(path);
    }
    scene(Sensor::LandsatOli, bands, files)
}

/// Sentinel-2 L1C: `ρ = (DN + offset) / quantification`, then `L = ρ · E_sun · U · cos θs / π`
/// with each band's solar irradiance E_sun and the Earth–Sun factor U from the product metadata
/// and the mean solar zenith θs from the granule's.
fn read_sentinel2(metadata: &Path) -> Result<SwirScene, DetectError> {
    use crate::sentinel2::element_value;
    let xml = std::fs::read_to_string(metadata).map_err(|e| input_error(metadata, e))?;
    if xml.contains("BOA_QUANTIFICATION_VALUE") || xml.contains("Level-2A") {
        return Err(input_error(
            metadata,
            "a Level-2A (surface reflectance) product: the hot-spot indices' thresholds are for \
             top-of-atmosphere radiance, so use the Level-1C product of the same scene",
        ));
    }
    let root = metadata.parent().unwrap_or(Path::new("."));
    let granule = only_granule(root).ok_or_else(|| {
        input_error(
            metadata,
            "no single GRANULE/*/IMG_DATA folder beside the metadata",
        )
    })?;
    let tile_xml_path = granule.join("MTD_TL.xml");
    let tile_xml =
        std::fs::read_to_string(&tile_xml_path).map_err(|e| input_error(&tile_xml_path, e))?;
    let zenith = tile_xml
        .find("<Mean_Sun_Angle")
        .and_then(|at| element_value(&tile_xml[at..], "ZENITH_ANGLE", None))
        .ok_or_else(|| input_error(&tile_xml_path, "no mean solar zenith angle"))?;
    let u = xml
        .find("<U>")
        .and_then(|at| xml[at + 3..].split('<').next()?.trim().parse::<f64>().ok())
        .ok_or_else(|| input_error(metadata, "no Earth–Sun distance factor <U>"))?;
    let cos_zenith = zenith.to_radians().cos();
    let mut files = vec![metadata.to_path_buf(), tile_xml_path];
    let mut bands = Vec::new();
    for (band, index) in S2_BANDS {
        let path = band_file(&granule.join("IMG_DATA"), band)
            .ok_or_else(|| input_error(metadata, format!("no {band} image in the granule")))?;
        let scale = crate::sentinel2::reflectance_scale(&path)
            .ok_or_else(|| input_error(metadata, format!("no reflectance scaling for {band}")))?;
        let e_sun = element_value(
            &xml,
            "SOLAR_IRRADIANCE",
            Some(&format!("bandId=\"{index}\"")),
        )
        .ok_or_else(|| input_error(metadata, format!("no solar irradiance for {band}")))?;
        let factor = e_sun * u * cos_zenith / std::f64::consts::PI;
        bands.push(read_radiance(&path, |dn| {
            scale.reflectance(dn).map(|rho| rho * factor)
        })?);
        files.push(path);
    }
    scene(Sensor::Sentinel2L1c, bands, files)
}

/// The one granule folder of a `.SAFE` product.
fn only_granule(root: &Path) -> Option<PathBuf> {
    let mut granules = std::fs::read_dir(root.join("GRANULE"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("IMG_DATA").is_dir());
    let granule = granules.next()?;
    granules.next().is_none().then_some(granule)
}

/// The image of `band` in an `IMG_DATA` folder (or its `R20m` subfolder in newer layouts).
fn band_file(img_data: &Path, band: &str) -> Option<PathBuf> {
    [img_data.to_path_buf(), img_data.join("R20m")]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_file() && crate::sentinel2::band_of(p) == Some(band))
}

/// A band as radiance, with its grid.
struct RadianceBand {
    values: Vec<f32>,
    width: usize,
    height: usize,
    georef: Option<yitu_layers::raster::Georef>,
    path: PathBuf,
}

fn read_radiance(
    path: &Path,
    radiance: impl Fn(f64) -> Option<f64>,
) -> Result<RadianceBand, DetectError> {
    let band = yitu_layers::raster::read_band(path, 1)?;
    let values = band
        .values
        .iter()
        .map(|&dn| {
            let valid = band.nodata.is_none_or(|nd| dn.total_cmp(&nd).is_ne());
            valid
                .then(|| radiance(dn))
                .flatten()
                .map_or(f32::NAN, |l| l as f32)
        })
        .collect();
    Ok(RadianceBand {
        values,
        width: band.width,
        height: band.height,
        georef: band.georef,
        path: path.to_path_buf(),
    })
}

fn scene(
    sensor: Sensor,
    bands: Vec<RadianceBand>,
    files: Vec<PathBuf>,
) -> Result<SwirScene, DetectError> {
    let first = &bands[0];
    if let Some(other) = bands
        .iter()
        .find(|b| (b.width, b.height, &b.georef) != (first.width, first.height, &first.georef))
    {
        return Err(input_error(
            &other.path,
            format!(
                "its grid ({}×{}) differs from {}'s ({}×{}): the bands must share one grid",
                other.width,
                other.height,
                first.path.display(),
                first.width,
                first.height
            ),
        ));
    }
    let georef = first
        .georef
        .as_ref()
        .filter(|g| !g.crs_wkt.is_empty())
        .ok_or_else(|| input_error(&first.path, "no georeferencing (CRS and geotransform)"))?;
    let frame = PixelFrame::new(georef, first.width, first.height)?;
    let (width, height) = (first.width, first.height);
    let mut values = bands.into_iter().map(|b| b.values);
    let mut next = || values.next().unwrap_or_default();
    let bands = [next(), next(), next(), next()];
    if !(0..width * height).any(|i| bands.iter().all(|b| b[i].is_finite())) {
        return Err(input_error(
            &files[0],
            "no pixel has data in all four bands",
        ));
    }
    Ok(SwirScene {
        sensor,
        width,
        height,
        bands,
        frame,
        files,
    })
}
