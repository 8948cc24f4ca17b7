//! What is wrong with a detection run's inputs, said before the results are trusted: no valid
//! pixels, a river prior that misses the raster or holds no water, and a registry in GCJ-02 or
//! BD-09 (web-map coordinates) given as WGS84.

use super::error::RasterProblem;
use geo::Polygon;
use yitu_layers::chinese_crs::{LonLat, wgs84_from_bd09, wgs84_from_gcj02};

use super::tiles::Tile;
use super::water::{BankRings, filled_runs};
use super::{DetectError, Registry, Temperatures};

/// Outfalls this far from the banks (median, metres) may be in the wrong coordinates.
const OFF_BANK_M: f64 = 30.0;
/// ... when a web-map conversion brings them at least this many times closer.
const CONVERSION_GAIN: f64 = 3.0;
/// Pixels of the strips of rows the raster is read in (64 MB of temperatures).
const CHECK_PIXELS: usize = 1 << 24;

/// Warnings about the inputs; an error when there is nothing to detect on. The raster is read
/// window by window, so that one larger than memory is checked too.
pub fn check(image: &impl Temperatures, registry: &Registry) -> Result<Vec<String>, DetectError> {
    let rivers_px: Vec<Polygon<f64>> = registry
        .rivers
        .iter()
        .map(|p| image.frame().polygon_to_pixels(p))
        .collect();
    let (width, height) = image.size();
    let (mut valid, mut wet) = (0, 0);
    let rows = (CHECK_PIXELS / width.max(1)).max(1);
    for y in (0..height).step_by(rows) {
        let tile = Tile::new((0, width), (y, (y + rows).min(height)), 0, width, height);
        let celsius = image.read(&tile)?;
        valid += celsius.iter().filter(|t| t.is_finite()).count();
        filled_runs(
            &rivers_px,
            (tile.x.0, tile.y.0),
            tile.width(),
            tile.height(),
            |y, run| {
                let row = &celsius[y * tile.width()..][run];
                wet += row.iter().filter(|t| t.is_finite()).count();
            },
        );
    }
    if valid == 0 {
        return Err(RasterProblem::NoValidPixels.into());
    }
    let mut warnings = Vec::new();
    // Hot spots are judged against a ring around them; a scene smaller than the ring has no
    // background to judge against.
    let gsd = image.frame().gsd_m;
    let land = if gsd >= super::pipeline::SATELLITE_GSD_M {
        super::land::LandParams::satellite()
    } else {
        super::land::LandParams::for_daylight(super::Daylight::Day)
    };
    let side_m = width.min(height) as f64 * gsd;
    if side_m < 2.0 * land.annulus.outer_m {
        warnings.push(format!(
            "the scene is {side_m:.0} m across, less than the {:.0} m background ring hot spots are \
             judged against: few or no hot spots can be found",
            2.0 * land.annulus.outer_m
        ));
    }
    if registry.rivers.is_empty() {
        return Ok(warnings);
    }
    if wet == 0 {
        warnings.push(
            "the river polygons do not overlap the raster's valid pixels: no plumes were looked for \
             (is the river file for this place, and in WGS84?)"
                .into(),
        );
    } else if wet * 100 < valid {
        warnings.push(format!(
            "the river polygons cover only {:.2} % of the raster: little water to look for plumes in",
            wet as f64 * 100.0 / valid as f64
        ));
    }
    let rings = BankRings::new(&rivers_px, image.frame().gsd_m);
    let off_bank = |convert: &dyn Fn(LonLat) -> LonLat| -> Option<f64> {
        let pts: Vec<(f64, f64)> = registry
            .outfalls
            .iter()
            .map(|o| {
                let p = convert(LonLat::new(o.lon, o.lat));
                (p.lon, p.lat)
            })
            .collect();
        let mut d: Vec<f32> = image
            .frame()
            .pixels(&pts)
            .into_iter()
            .filter(|&(x, y)| {
                // Outfalls near the scene only.
                let margin = 500.0 / image.frame().gsd_m;
                x > -margin
                    && y > -margin
                    && x < width as f64 + margin
                    && y < height as f64 + margin
            })
            .filter_map(|(x, y)| rings.distance_px(x, y))
            .map(|px| (px * image.frame().gsd_m) as f32)
            .collect();
        yitu_core::stats::median(&mut d).map(f64::from)
    };
    if let Some(as_given) = off_bank(&|p| p) {
        for (name, convert) in [
            ("GCJ-02", &wgs84_from_gcj02 as &dyn Fn(LonLat) -> LonLat),
            ("BD-09", &wgs84_from_bd09),
        ] {
            if let Some(converted) = off_bank(convert)
                && as_given > OFF_BANK_M
                && converted * CONVERSION_GAIN < as_given
            {
                warnings.push(format!(
                    "the outfalls are {as_given:.0} m from the banks (median) as given, but {converted:.0} m \
                     once read as {name}: they look like web-map coordinates; convert them to WGS84 \
                     (yitu convert --from {}) and run again",
                    name.to_lowercase().replace('-', "")
                ));
                break;
            }
        }
    }
    Ok(warnings)
}
