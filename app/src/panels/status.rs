//! The status bar: pointer coordinates in WGS84, GCJ-02 and CGCS2000 Gauss-Krüger.

use std::collections::BTreeMap;

use geo::Point;
use yitu_layers::chinese_crs::{LonLat, gcj02_from_wgs84};
use yitu_layers::crs::{Crs, Reprojector};

use crate::i18n::Lang;

/// Cached WGS84 → Gauss-Krüger transforms, one per 3° zone (creating one costs ~1 ms).
#[derive(Default)]
pub struct CoordinateReadout {
    zones: BTreeMap<u32, Option<Reprojector>>,
}

impl CoordinateReadout {
    /// The coordinate line for `p`.
    pub fn text(&mut self, p: Point<f64>, lang: Lang) -> String {
        let g = gcj02_from_wgs84(LonLat::new(p.x(), p.y()));
        // Gauss-Krüger only inside China's zones; elsewhere it would be meaningless.
        let gk = match Crs::cgcs2000_gauss_kruger_3deg(p.x()) {
            Some(zone @ Crs::Epsg(code)) => self
                .zones
                .entry(code)
                .or_insert_with(|| Reprojector::new(Crs::Wgs84, zone).ok())
                .as_ref()
                .and_then(|r| r.coord(p.x(), p.y()))
                .map_or_else(String::new, |(x, y)| {
                    format!("   CGCS2000 GK (EPSG:{code}) E {x:.1} N {y:.1}")
                }),
            _ => String::new(),
        };
        format!(
            "WGS84 {:.6}, {:.6}   GCJ-02 {:.6}, {:.6}{gk}   {}",
            p.x(),
            p.y(),
            g.lon,
            g.lat,
            lang.t("(经度, 纬度)", "(lon, lat)")
        )
    }
}
