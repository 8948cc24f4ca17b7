//! The pipeline on a raster in memory: the water model, then the detectors side by side, then
//! registry matching and ranking.

use geo::Polygon;

use super::matching::{OutfallsOnBank, facility_detection, land_detection, plume_detection};
use super::{
    Detection, Parameters, PixelFrame, Pixels, Registry, Temperatures, ThermalImage, Window,
    facility, land, plume, water,
};
use yitu_core::parallel::on_parts_mut;

/// Land hot spots are looked for this far from the water and no nearer, metres.
const LAND_WATER_MARGIN_M: f64 = 3.0;

/// [`LAND_WATER_MARGIN_M`] in pixels, at least two.
pub(super) fn land_water_margin_px(gsd_m: f64) -> f32 {
    (LAND_WATER_MARGIN_M / gsd_m).max(2.0) as f32
}

/// Ground sample distance from which a raster is a satellite scene (Landsat 30 m, Sentinel-2
/// 10–20 m): land detection then uses the 1–3 km ring of §5.3.
pub(super) const SATELLITE_GSD_M: f64 = 10.0;

/// Runs every detector that applies to `image`, on the whole of it (see [`super::windows`] for the
/// same window by window).
pub fn detect(image: &ThermalImage, registry: &Registry, params: &Parameters) -> Vec<Detection> {
    let setup = Setup::new(&image.frame, registry, params);
    let pixels = image.pixels();
    let wet =
        (!setup.rivers_px.is_empty()).then(|| water::wet(&pixels, &setup.rings, &setup.rivers_px));
    // The bank positions and the plume reference are worked out beside the land detector,
    // with the plumes.
    let Candidates {
        usable,
        land,
        plumes,
    } = candidates_in(
        &Window::whole(pixels),
        wet.as_deref().map(|wet| {
            let find = || {
                let window = Window::whole(pixels);
                let bank = setup.bank(&window, wet);
                let whole = water::WindowBank {
                    window,
                    bank: &bank,
                };
                let Ok(rf) = plume::reference_of(&whole, &params.plume);
                plume::candidates_with(&pixels, &bank, &rf, &params.plume)
            };
            (wet, find)
        }),
        &setup.land_params,
    );
    let mut out = setup.detections(image, registry, params, &land, &plumes);
    if setup.satellite {
        // Registered facilities warmer than their surroundings, unless a hot cluster on them
        // already says so.
        for f in facility::facilities(image, &usable, &registry.sources) {
            let claimed = out
                .iter()
                .any(|d| d.source_id.as_deref() == Some(f.source.id.as_str()));
            if f.active() && !claimed {
                out.push(facility_detection(image, &f));
            }
        }
    }
    rank(&mut out);
    out
}

/// What every run on a raster starts from: the river prior in its pixels, the bank rings, and
/// the land detector's thresholds for its kind of scene.
pub(super) struct Setup {
    pub(super) rivers_px: Vec<Polygon<f64>>,
    pub(super) rings: water::BankRings,
    pub(super) satellite: bool,
    pub(super) land_params: land::LandParams,
}

impl Setup {
    pub(super) fn new(frame: &PixelFrame, registry: &Registry, params: &Parameters) -> Self {
        let rivers_px: Vec<Polygon<f64>> = registry
            .rivers
            .iter()
            .map(|p| frame.polygon_to_pixels(p))
            .collect();
        let rings = water::BankRings::new(&rivers_px, frame.gsd_m);
        let satellite = frame.gsd_m >= SATELLITE_GSD_M;
        let land_params = if satellite {
            land::LandParams::satellite()
        } else {
            params.land
        };
        Self {
            rivers_px,
            rings,
            satellite,
            land_params,
        }
    }

    /// The prior's edge in a window.
    pub(super) fn prior_edge(&self, window: &Window<'_>) -> water::PriorEdge {
        water::PriorEdge::new(window, &self.rings, &self.rivers_px)
    }

    /// A window's refined water, its prior's edge moved by `shifts`.
    pub(super) fn wet(&self, window: &Window<'_>, shifts: &water::PerBin<f64>) -> Vec<bool> {
        self.prior_edge(window).refine(shifts)
    }

    /// The bank positions of a window's refined water `wet`.
    pub(super) fn bank(&self, window: &Window<'_>, wet: &[bool]) -> water::Bank {
        water::bank(wet, &window.tile, &self.rings, window.pixels.gsd_m)
    }

    /// The candidates (in the raster's pixels) as detections, matched to the registry.
    pub(super) fn detections(
        &self,
        image: &dyn Temperatures,
        registry: &Registry,
        params: &Parameters,
        land: &[land::LandCandidate],
        plumes: &[plume::PlumeCandidate],
    ) -> Vec<Detection> {
        let mut out: Vec<Detection> = land
            .iter()
            .map(|c| land_detection(image, registry, params, c, self.satellite))
            .collect();
        let outfalls = OutfallsOnBank::new(image.frame(), &self.rings, &registry.outfalls);
        for c in plumes {
            out.push(plume_detection(image, &outfalls, params, c));
        }
        out
    }
}

/// What the detectors found in a window, in its pixels, and where land was usable.
pub(super) struct Candidates {
    pub(super) usable: Vec<bool>,
    pub(super) land: Vec<land::LandCandidate>,
    pub(super) plumes: Vec<plume::PlumeCandidate>,
}

/// Land hot spots and plumes in a window whose refined water is known, with what finds the
/// plumes in it (`None` without a river prior). Land and water share nothing then: one runs
/// beside the other.
pub(super) fn candidates_in<P: FnOnce() -> Vec<plume::PlumeCandidate> + Send>(
    window: &Window<'_>,
    water: Option<(&[bool], P)>,
    land_params: &land::LandParams,
) -> Candidates {
    let (water, plumes) = water.unzip();
    let ((usable, land), plumes) = yitu_core::parallel::both(
        || {
            let usable = usable_land(&window.pixels, water);
            let land = land::candidates(window, &usable, land_params);
            (usable, land)
        },
        || plumes.map_or_else(Vec::new, |find| find()),
    );
    Candidates {
        usable,
        land,
        plumes,
    }
}

/// Best first; equal scores (a saturated score is exactly 1) in raster order of their
/// bounds, so the order does not depend on the order regions were found in.
pub(super) fn rank(detections: &mut [Detection]) {
    detections.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                (a.pixel_bbox[1], a.pixel_bbox[0]).cmp(&(b.pixel_bbox[1], b.pixel_bbox[0]))
            })
            .then_with(|| (a.capability as u8).cmp(&(b.capability as u8)))
    });
}

/// Where land hot spots are looked for: valid temperatures away from the water, less a margin of
/// mixed bank pixels and of plume water the refined edge may have left on the land side.
pub(super) fn usable_land(pixels: &Pixels<'_>, wet: Option<&[bool]>) -> Vec<bool> {
    let (w, h) = (pixels.width, pixels.height);
    let margin_px = land_water_margin_px(pixels.gsd_m);
    let valid = |t: f32| (-40.0..=550.0).contains(&t);
    match wet {
        Some(wet) => {
            let mut usable = water::within_distance(wet, w, h, margin_px);
            on_parts_mut(&mut usable, |from, usable| {
                for (u, &t) in usable.iter_mut().zip(&pixels.celsius[from..]) {
                    *u = !*u && valid(t);
                }
            });
            usable
        }
        None => pixels.celsius.iter().map(|&t| valid(t)).collect(),
    }
}
