//! Capability C1 on satellite thermal scenes (Landsat TIRS, 30 m): is a registered facility
//! warmer than its surroundings? `docs/remote-sensing.md` §5.3 step 3: ΔBT_fac = mean(BT in the
//! facility) − median(BT in the ring 100 m–1 km around it, other facilities left out), and
//! z_fac = ΔBT_fac / (1.4826 · MAD of the ring). One scene gives no seasonal baseline (step 5),
//! so a facility counts as active when ΔBT_fac ≥ 2 K and z_fac ≥ 3.

use geo::{Contains as _, Distance as _, Euclidean, Geometry, Point, Polygon};

use super::{PixelFrame, Source, ThermalImage};
use yitu_core::stats::median_sigma;

/// Ring around a facility, metres.
const RING_M: (f64, f64) = (100.0, 1000.0);
/// A point source stands for a square this wide, metres (a typical plant's footprint at 30 m).
const POINT_SOURCE_M: f64 = 90.0;
/// Active on one scene: at least this warmer than the ring, and this many spreads.
pub const ACTIVE_DELTA_K: f32 = 2.0;
pub const ACTIVE_Z: f32 = 3.0;

/// One facility's thermal contrast on a scene.
#[derive(Debug, Clone)]
pub struct FacilityHeat<'a> {
    pub source: &'a Source,
    /// The facility's outline in pixels.
    pub outline: Polygon<f64>,
    pub pixels: Vec<usize>,
    pub ring_median_c: f32,
    pub delta_k: f32,
    pub z: f32,
}

impl FacilityHeat<'_> {
    pub fn active(&self) -> bool {
        self.delta_k >= ACTIVE_DELTA_K && self.z >= ACTIVE_Z
    }
}

/// A source's outline in pixel coordinates (points become a square).
fn outline(frame: &PixelFrame, g: &Geometry<f64>) -> Option<Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(frame.polygon_to_pixels(p)),
        Geometry::MultiPolygon(mp) => mp.0.first().map(|p| frame.polygon_to_pixels(p)),
        Geometry::Point(p) => {
            let (x, y) = frame.pixel(p.x(), p.y())?;
            let h = POINT_SOURCE_M / 2.0 / frame.gsd_m;
            Some(Polygon::new(
                vec![
                    (x - h, y - h),
                    (x + h, y - h),
                    (x + h, y + h),
                    (x - h, y + h),
                    (x - h, y - h),
                ]
                .into(),
                Vec::new(),
            ))
        }
        _ => None,
    }
}

/// The contrast of every source inside the scene (`usable`: valid land pixels).
pub fn facilities<'a>(
    image: &ThermalImage,
    usable: &[bool],
    sources: &'a [Source],
) -> Vec<FacilityHeat<'a>> {
    let (w, h) = (image.width, image.height);
    let gsd = image.frame.gsd_m;
    let outlines: Vec<Option<Polygon<f64>>> = sources
        .iter()
        .map(|s| outline(&image.frame, &s.geometry))
        .collect();
    let centre = |x: usize, y: usize| Point::new(x as f64 + 0.5, y as f64 + 0.5);
    let inside_any = |p: &Point<f64>| outlines.iter().flatten().any(|o| o.contains(p));
    sources
        .iter()
        .zip(&outlines)
        .filter_map(|(source, outline)| {
            let outline = outline.clone()?;
            let bounds = geo::BoundingRect::bounding_rect(&outline)?;
            let reach = RING_M.1 / gsd;
            let clamp = |v: f64, n: usize| v.clamp(0.0, n as f64) as usize;
            let (x0, y0) = (
                clamp(bounds.min().x - reach, w),
                clamp(bounds.min().y - reach, h),
            );
            let (x1, y1) = (
                clamp(bounds.max().x + reach + 1.0, w),
                clamp(bounds.max().y + reach + 1.0, h),
            );
            let (mut pixels, mut inside, mut ring) = (Vec::new(), Vec::new(), Vec::new());
            for y in y0..y1 {
                for x in x0..x1 {
                    let i = y * w + x;
                    if !usable[i] {
                        continue;
                    }
                    let p = centre(x, y);
                    if outline.contains(&p) {
                        pixels.push(i);
                        inside.push(image.celsius[i]);
                        continue;
                    }
                    let d = Euclidean.distance(&p, &outline) * gsd;
                    if (RING_M.0..=RING_M.1).contains(&d) && !inside_any(&p) {
                        ring.push(image.celsius[i]);
                    }
                }
            }
            if inside.is_empty() || ring.len() < 30 {
                return None;
            }
            let mean_c = inside.iter().sum::<f32>() / inside.len() as f32;
            let (ring_median_c, spread) = median_sigma(&ring)?;
            let delta_k = mean_c - ring_median_c;
            Some(FacilityHeat {
                source,
                outline,
                pixels,
                ring_median_c,
                delta_k,
                z: delta_k / spread.max(0.1),
            })
        })
        .collect()
}
