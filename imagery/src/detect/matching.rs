//! Candidates to detections: each region outlined, matched to the registry (outfalls along the
//! bank, sources under a hot spot) and given its status and QA flags.

use geo::{ConvexHull as _, Geometry, MultiPoint, Point};

use super::model::{Footprint, Heat};
use super::{
    Capability, Daylight, Detection, Outfall, Parameters, PixelFrame, Registry, Status,
    Temperatures, ThermalImage, facility, land, plume, regions, water,
};
use yitu_layers::registry::{OperatingStatus, OutfallStatus};

/// Region measures common to every capability: outline, centroid, bounds.
pub(super) struct Outline {
    pub(super) footprint: Footprint,
    pub(super) centroid_px: (f64, f64),
}

pub(super) fn outline(frame: &PixelFrame, width: usize, region: &regions::Region) -> Outline {
    let w = width;
    let mut bbox = [usize::MAX, usize::MAX, 0, 0];
    let (mut sx, mut sy) = (0.0, 0.0);
    // Each row's first and last pixel: the hull of their corners is that of every pixel's.
    let mut row_ends: std::collections::BTreeMap<usize, (usize, usize)> =
        std::collections::BTreeMap::new();
    for &i in &region.pixels {
        let (x, y) = (i % w, i / w);
        bbox = [
            bbox[0].min(x),
            bbox[1].min(y),
            bbox[2].max(x),
            bbox[3].max(y),
        ];
        sx += x as f64 + 0.5;
        sy += y as f64 + 0.5;
        let ends = row_ends.entry(y).or_insert((x, x));
        *ends = (ends.0.min(x), ends.1.max(x));
    }
    let corners: Vec<Point<f64>> = row_ends
        .into_iter()
        .flat_map(|(y, (x0, x1))| {
            [(x0, y), (x1 + 1, y), (x0, y + 1), (x1 + 1, y + 1)]
                .map(|(cx, cy)| Point::new(cx as f64, cy as f64))
        })
        .collect();
    let n = region.pixels.len().max(1) as f64;
    let centroid_px = (sx / n, sy / n);
    let hull = MultiPoint::from(corners).convex_hull();
    Outline {
        footprint: Footprint {
            polygon: frame.polygon_to_wgs84(&hull),
            centroid: frame
                .lon_lat(centroid_px.0, centroid_px.1)
                .unwrap_or((f64::NAN, f64::NAN)),
            pixel_bbox: bbox,
        },
        centroid_px,
    }
}

pub(super) fn land_detection(
    image: &dyn Temperatures,
    registry: &Registry,
    params: &Parameters,
    c: &land::LandCandidate,
    satellite: bool,
) -> Detection {
    let o = outline(image.frame(), image.size().0, &c.region);
    let mut flags = Vec::new();
    if c.uniform_surface {
        flags.push("uniform_surface");
    }
    if c.broad_warm_area {
        flags.push("broad_warm_area");
    }
    if c.high_temperature {
        flags.push("high_temperature");
    }
    let on_edge = touches_edge(&o.footprint.pixel_bbox, image);
    if on_edge {
        flags.push("edge_of_frame");
    }
    let at = Point::new(o.centroid_px.0, o.centroid_px.1);
    let source = registry.nearest_source(image.frame(), at, 0.0, params.source_match_m);
    let capability = if satellite {
        Capability::SatHotspot
    } else {
        Capability::LandHotspot
    };
    // Each QA flag that doubts the detection lowers the score (§5.1 step 6).
    let score = land::score(c, usize::from(on_edge));
    let heat = Heat {
        area_m2: c.area_m2,
        peak_c: f64::from(c.peak_c),
        background_c: f64::from(c.background_c),
        delta_t_k: f64::from(c.peak_c - c.background_c),
        z_peak: f64::from(c.z_peak),
    };
    Detection::new(
        capability,
        Status::of_hotspot(source),
        score,
        o.footprint,
        heat,
    )
    .with_source(source.map(|s| s.id.clone()), source.and_then(|s| s.status))
    .with_flags(flags)
}

pub(super) fn facility_detection(
    image: &ThermalImage,
    f: &facility::FacilityHeat<'_>,
) -> Detection {
    let o = outline(
        &image.frame,
        image.width,
        &regions::Region {
            pixels: f.pixels.clone(),
        },
    );
    let peak = f
        .pixels
        .iter()
        .map(|&i| image.celsius[i])
        .fold(f32::MIN, f32::max);
    let status = if f.source.status == Some(OperatingStatus::Stopped) {
        Status::FacilityActiveDuringStop
    } else {
        Status::RegisteredSource
    };
    let score = yitu_core::stats::logistic(
        f64::from(f.z - facility::ACTIVE_Z) + 0.5 * f64::from(f.delta_k - facility::ACTIVE_DELTA_K),
    );
    let heat = Heat {
        area_m2: f.pixels.len() as f64 * image.frame.gsd_m.powi(2),
        peak_c: f64::from(peak),
        background_c: f64::from(f.ring_median_c),
        delta_t_k: f64::from(f.delta_k),
        z_peak: f64::from(f.z),
    };
    let footprint = Footprint {
        polygon: image.frame.polygon_to_wgs84(&f.outline),
        ..o.footprint
    };
    Detection::new(Capability::SatHotspot, status, score, footprint, heat)
        .with_source(Some(f.source.id.clone()), f.source.status)
        .with_flags(vec!["facility_contrast"])
}

/// Outfalls placed on the pixel grid and along the bank rings.
pub(super) struct OutfallsOnBank<'a> {
    pub(super) placed: Vec<PlacedOutfall<'a>>,
}

/// An outfall, its pixel position, and its ring and chainage (metres) along the bank.
type PlacedOutfall<'a> = (&'a Outfall, (f64, f64), Option<(u32, f64)>);

impl<'a> OutfallsOnBank<'a> {
    pub(super) fn new(
        frame: &PixelFrame,
        rings: &water::BankRings,
        outfalls: &'a [Outfall],
    ) -> Self {
        let pts: Vec<(f64, f64)> = outfalls.iter().map(|o| (o.lon, o.lat)).collect();
        let placed = outfalls
            .iter()
            .zip(frame.pixels(&pts))
            .map(|(o, (x, y))| (o, (x, y), rings.project(x, y, frame.gsd_m)))
            .collect();
        Self { placed }
    }
}

pub(super) fn plume_detection(
    image: &dyn Temperatures,
    outfalls: &OutfallsOnBank<'_>,
    params: &Parameters,
    c: &plume::PlumeCandidate,
) -> Detection {
    let o = outline(image.frame(), image.size().0, &c.region);
    let w = image.size().0;
    let gsd = image.frame().gsd_m;
    let (ox, oy) = ((c.outlet % w) as f64 + 0.5, (c.outlet / w) as f64 + 0.5);
    let outlet = image.frame().lon_lat(ox, oy);
    let bank = Some(c.outlet_bank);
    let nearest = outfalls
        .placed
        .iter()
        .map(|(of, (x, y), _)| (of, (x - ox).hypot(y - oy) * gsd))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    // Same ring (bank) and close along it; never across the river.
    let matched = outfalls
        .placed
        .iter()
        .filter_map(|(of, _, along)| {
            let (ring, s) = (*along)?;
            let b = bank?;
            let ds = (s - f64::from(b.s_m)).abs();
            (ring == b.ring && ds <= params.r_match_m).then_some((ds, *of))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, of)| of);
    let status = match matched {
        Some(of) if of.status.is_some_and(OutfallStatus::is_shut) => {
            Status::RegisteredClosedDischarging
        }
        Some(_) => Status::RegisteredActive,
        None => Status::UnregisteredSuspect,
    };
    let mut flags = Vec::new();
    if touches_edge(&o.footprint.pixel_bbox, image) {
        flags.push("edge_of_frame");
    }
    if params.daylight == Daylight::Day {
        flags.push("daytime_flight");
    }
    let capability = match c.kind {
        plume::PlumeKind::Bank => Capability::BankPlume,
        plume::PlumeKind::Submerged => Capability::SubmergedPlume,
    };
    let heat = Heat {
        area_m2: c.area_m2,
        peak_c: f64::from(c.peak_c),
        background_c: f64::from(c.background_c),
        delta_t_k: f64::from(c.delta_t_k),
        z_peak: f64::from(c.z_peak),
    };
    let direction = image.frame().azimuth_deg(c.axis.0, c.axis.1);
    Detection::new(capability, status, plume::score(c), o.footprint, heat)
        .with_outlet(outlet, Some(direction))
        .with_nearest_outfall(nearest.map(|(of, d)| (of.id.clone(), d)))
        .with_flags(flags)
}

pub(super) fn touches_edge(bbox: &[usize; 4], image: &dyn Temperatures) -> bool {
    let (width, height) = image.size();
    touches_grid_edge(bbox, width, height)
}

pub(super) fn touches_grid_edge(bbox: &[usize; 4], width: usize, height: usize) -> bool {
    bbox[0] == 0 || bbox[1] == 0 || bbox[2] + 1 >= width || bbox[3] + 1 >= height
}

pub(super) fn geometry_to_pixels(frame: &PixelFrame, g: &Geometry<f64>) -> Option<Geometry<f64>> {
    Some(match g {
        Geometry::Point(p) => {
            let (x, y) = frame.pixel(p.x(), p.y())?;
            Geometry::Point(Point::new(x, y))
        }
        Geometry::Polygon(p) => Geometry::Polygon(frame.polygon_to_pixels(p)),
        Geometry::MultiPolygon(mp) => {
            Geometry::MultiPolygon(mp.iter().map(|p| frame.polygon_to_pixels(p)).collect())
        }
        _ => return None,
    })
}
