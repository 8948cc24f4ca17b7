//! Coordinate reference systems: any EPSG code through GDAL/PROJ, plus the two Chinese web-map
//! systems GDAL does not know (GCJ-02, BD-09). In memory every layer is WGS84 lon/lat; a [`Crs`]
//! is only needed at the edges, when reading and writing files.

use std::fmt;

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use geo::{Geometry, MapCoords};

use crate::chinese_crs::{self, LonLat};
use crate::error::{LayersError, Result};

/// EPSG code of WGS84 geographic coordinates.
pub const EPSG_WGS84: u32 = 4326;
/// EPSG code of CGCS2000 geographic coordinates (China's official datum; equals WGS84 to ~cm).
pub const EPSG_CGCS2000: u32 = 4490;

/// A coordinate reference system as users name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Crs {
    #[default]
    Wgs84,
    /// Amap / Tencent / Google China obfuscated lon/lat.
    Gcj02,
    /// Baidu obfuscated lon/lat.
    Bd09,
    Epsg(u32),
}

impl Crs {
    /// Parses `wgs84`, `gcj02`, `bd09`, `4490`, `EPSG:4545` (case-insensitive).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_lowercase();
        let unknown = |problem: &str| LayersError::UnknownCrs {
            given: text.to_owned(),
            problem: problem.to_owned(),
        };
        match t.as_str() {
            "wgs84" | "wgs-84" | "4326" | "epsg:4326" => Ok(Self::Wgs84),
            "gcj02" | "gcj-02" | "amap" => Ok(Self::Gcj02),
            "bd09" | "bd-09" | "baidu" => Ok(Self::Bd09),
            "cgcs2000" => Ok(Self::Epsg(EPSG_CGCS2000)),
            _ => {
                let code = t.strip_prefix("epsg:").unwrap_or(&t);
                let code: u32 = code
                    .parse()
                    .map_err(|_| unknown("not a number or known name"))?;
                SpatialRef::from_epsg(code).map_err(|e| unknown(&e.to_string()))?;
                Ok(Self::Epsg(code))
            }
        }
    }

    /// The CGCS2000 3-degree Gauss-Krüger zone (EPSG 4534–4554, central meridians 75°–135°E,
    /// no zone prefix) for a longitude; `None` outside China's zones.
    pub fn cgcs2000_gauss_kruger_3deg(lon: f64) -> Option<Self> {
        let central = (lon / 3.0).round() * 3.0;
        (75.0..=135.0)
            .contains(&central)
            .then(|| Self::Epsg(4534 + ((central - 75.0) / 3.0) as u32))
    }

    /// A spatial reference with lon/lat (x/y) axis order, for GDAL.
    pub fn spatial_ref(self) -> Result<SpatialRef> {
        let code = match self {
            Self::Wgs84 | Self::Gcj02 | Self::Bd09 => EPSG_WGS84,
            Self::Epsg(code) => code,
        };
        let mut srs = SpatialRef::from_epsg(code).map_err(|e| LayersError::UnknownCrs {
            given: self.to_string(),
            problem: e.to_string(),
        })?;
        srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        Ok(srs)
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Wgs84 => write!(f, "EPSG:4326"),
            Self::Gcj02 => write!(f, "GCJ-02"),
            Self::Bd09 => write!(f, "BD-09"),
            Self::Epsg(code) => write!(f, "EPSG:{code}"),
        }
    }
}

/// How to move coordinates from one CRS to another.
enum Step {
    Chinese(fn(LonLat) -> LonLat),
    Gdal(CoordTransform),
}

/// A prepared transformation between two CRSs, applied to whole geometries.
///
/// Chains are `to ← WGS84 ← from`: Chinese systems pass through WGS84 explicitly, EPSG systems
/// go through GDAL (which handles datum shifts, e.g. CGCS2000 ↔ WGS84 as a null shift).
pub struct Reprojector {
    steps: Vec<Step>,
}

impl Reprojector {
    pub fn new(from: Crs, to: Crs) -> Result<Self> {
        let mut steps = Vec::new();
        if from == to {
            return Ok(Self { steps });
        }
        match from {
            Crs::Wgs84 => {}
            Crs::Gcj02 => steps.push(Step::Chinese(chinese_crs::wgs84_from_gcj02)),
            Crs::Bd09 => steps.push(Step::Chinese(chinese_crs::wgs84_from_bd09)),
            Crs::Epsg(_) => steps.push(gdal_step(from, Crs::Wgs84)?),
        }
        match to {
            Crs::Wgs84 => {}
            Crs::Gcj02 => steps.push(Step::Chinese(chinese_crs::gcj02_from_wgs84)),
            Crs::Bd09 => steps.push(Step::Chinese(chinese_crs::bd09_from_wgs84)),
            Crs::Epsg(_) => steps.push(gdal_step(Crs::Wgs84, to)?),
        }
        Ok(Self { steps })
    }

    /// From a raster's own CRS (WKT) to WGS84 lon/lat.
    pub fn wkt_to_wgs84(wkt: &str) -> Result<Self> {
        Ok(Self {
            steps: vec![gdal_step_srs(
                &srs_from_wkt(wkt)?,
                &Crs::Wgs84.spatial_ref()?,
            )?],
        })
    }

    /// From WGS84 lon/lat to a raster's own CRS (WKT).
    pub fn wgs84_to_wkt(wkt: &str) -> Result<Self> {
        Ok(Self {
            steps: vec![gdal_step_srs(
                &Crs::Wgs84.spatial_ref()?,
                &srs_from_wkt(wkt)?,
            )?],
        })
    }

    /// Transforms many coordinates in place (one PROJ call per GDAL step); failed ones become NaN.
    pub fn coords_in_place(&self, xs: &mut [f64], ys: &mut [f64]) {
        let mut zs = vec![0.0; xs.len()];
        self.run(xs, ys, &mut zs);
    }

    /// Every step over the coordinates; `zs` is scratch space of the same length.
    fn run(&self, xs: &mut [f64], ys: &mut [f64], zs: &mut [f64]) {
        for step in &self.steps {
            match step {
                Step::Chinese(f) => {
                    for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
                        let p = f(LonLat::new(*x, *y));
                        (*x, *y) = (p.lon, p.lat);
                    }
                }
                Step::Gdal(t) => {
                    zs.fill(0.0);
                    if t.transform_coords(xs, ys, zs).is_err() {
                        // PROJ fails the whole batch if one point fails: retry one by one.
                        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
                            let (mut a, mut b, mut c) = ([*x], [*y], [0.0]);
                            if t.transform_coords(&mut a, &mut b, &mut c).is_ok() {
                                (*x, *y) = (a[0], b[0]);
                            } else {
                                (*x, *y) = (f64::NAN, f64::NAN);
                            }
                        }
                    }
                }
            }
        }
    }

    pub fn is_identity(&self) -> bool {
        self.steps.is_empty()
    }

    /// Transforms one `(x, y)` coordinate. Returns `None` when PROJ cannot transform it.
    pub fn coord(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (mut xs, mut ys, mut zs) = ([x], [y], [0.0]);
        self.run(&mut xs, &mut ys, &mut zs);
        (xs[0].is_finite() && ys[0].is_finite()).then_some((xs[0], ys[0]))
    }

    /// Transforms a whole geometry; `None` if any coordinate fails.
    pub fn geometry(&self, g: &Geometry<f64>) -> Option<Geometry<f64>> {
        if self.is_identity() {
            return Some(g.clone());
        }
        g.try_map_coords(|c| {
            self.coord(c.x, c.y)
                .map(|(x, y)| geo::coord! { x: x, y: y })
                .ok_or(())
        })
        .ok()
    }
}

fn srs_from_wkt(wkt: &str) -> Result<SpatialRef> {
    let mut srs = SpatialRef::from_wkt(wkt).map_err(|e| LayersError::UnknownCrs {
        given: wkt.chars().take(60).collect(),
        problem: e.to_string(),
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

fn gdal_step_srs(from: &SpatialRef, to: &SpatialRef) -> Result<Step> {
    let t = CoordTransform::new(from, to).map_err(|e| LayersError::UnknownCrs {
        given: from.name().unwrap_or_default(),
        problem: e.to_string(),
    })?;
    Ok(Step::Gdal(t))
}

fn gdal_step(from: Crs, to: Crs) -> Result<Step> {
    let t = CoordTransform::new(&from.spatial_ref()?, &to.spatial_ref()?).map_err(|e| {
        LayersError::UnknownCrs {
            given: format!("{from} -> {to}"),
            problem: e.to_string(),
        }
    })?;
    Ok(Step::Gdal(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_epsg_codes() {
        assert_eq!(Crs::parse("GCJ02").ok(), Some(Crs::Gcj02));
        assert_eq!(Crs::parse("EPSG:4545").ok(), Some(Crs::Epsg(4545)));
        assert_eq!(Crs::parse("wgs84").ok(), Some(Crs::Wgs84));
        assert!(matches!(
            Crs::parse("EPSG:999999"),
            Err(LayersError::UnknownCrs { .. })
        ));
        assert!(matches!(
            Crs::parse("mars"),
            Err(LayersError::UnknownCrs { .. })
        ));
    }

    #[test]
    fn chongqing_falls_in_gauss_kruger_zone_cm_105_or_108() {
        assert_eq!(
            Crs::cgcs2000_gauss_kruger_3deg(106.4),
            Some(Crs::Epsg(4544))
        );
        assert_eq!(
            Crs::cgcs2000_gauss_kruger_3deg(106.55),
            Some(Crs::Epsg(4545))
        );
        assert_eq!(Crs::cgcs2000_gauss_kruger_3deg(12.3), None);
    }

    #[test]
    fn gauss_kruger_round_trip_through_gdal() {
        let to_gk = Reprojector::new(Crs::Wgs84, Crs::Epsg(4544)).unwrap();
        let back = Reprojector::new(Crs::Epsg(4544), Crs::Wgs84).unwrap();
        let (x, y) = to_gk.coord(106.55, 29.56).unwrap();
        // False easting 500 km at the central meridian 105°E.
        assert!((600_000.0..700_000.0).contains(&x), "{x}");
        assert!((3_200_000.0..3_400_000.0).contains(&y), "{y}");
        let (lon, lat) = back.coord(x, y).unwrap();
        assert!((lon - 106.55).abs() < 1e-8 && (lat - 29.56).abs() < 1e-8);
    }
}
