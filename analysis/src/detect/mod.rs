//! Detection on thermal rasters: hot spots on land, discharge plumes at the bank (hidden-pipe
//! suspects), submerged outfall boils and satellite hot pixels, matched to the registry.
//! Algorithms, defaults and validation: `docs/remote-sensing.md` §5–6 (issue #4).
//!
//! Everything works in the raster's own pixel grid: registry geometries are brought into it,
//! distances are pixels × ground sample distance, and only the results go back to WGS84.

pub mod background;
pub mod checks;
pub mod evidence;
pub mod facility;
pub mod frame;
pub mod land;
pub mod orthosim;
pub mod plume;
pub mod regions;
pub mod sun;
pub mod swir;
pub mod synthetic;
pub mod tally;
pub mod targets;
pub mod temperatures;
pub mod tiles;
pub mod water;
pub mod windows;

use std::path::Path;

use geo::{ConvexHull as _, Coord, Distance as _, Euclidean, Geometry, MultiPoint, Point, Polygon};
use serde::Serialize;
use yitu_layers::Layer;

use crate::parallel::on_parts_mut;

pub use frame::{PixelFrame, Pixels, ThermalImage, Window};
pub use temperatures::{Temperatures, ThermalFile, ThermalRaster, read_image};

/// Version recorded with every detection.
pub const ALGORITHM: &str = "yitu-detect 0.1 (remote-sensing.md §5)";

#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Layers(#[from] yitu_layers::LayersError),
    #[error(transparent)]
    Thermal(#[from] crate::thermal::ThermalError),
}

/// Which detector found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    LandHotspot,
    BankPlume,
    SubmergedPlume,
    SatHotspot,
}

/// What the registry says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A plume at a registered, active outfall on the same bank.
    RegisteredActive,
    /// A plume at an outfall registered as closed or banned: a priority for enforcement.
    RegisteredClosedDischarging,
    /// A plume no registered outfall explains: a hidden-pipe (暗管) suspect.
    UnregisteredSuspect,
    /// A hot spot on a source that must be stopped (限产停产).
    FacilityActiveDuringStop,
    /// A hot spot on a registered source that may run.
    RegisteredSource,
    /// A hot spot no registered source explains.
    UnregisteredHotspot,
}

/// Day or night thresholds (solar elevation above or below 0°).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Daylight {
    Day,
    Night,
}

/// A registered outfall (入河排污口).
#[derive(Debug, Clone)]
pub struct Outfall {
    pub id: String,
    /// `active`, `closed` or `banned`.
    pub status: String,
    pub lon: f64,
    pub lat: f64,
}

/// A registered pollution source.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    /// `operating`, `stopped` or `closed`.
    pub status: String,
    pub geometry: Geometry<f64>,
}

/// What the detections are matched against, all in WGS84.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub rivers: Vec<Polygon<f64>>,
    pub outfalls: Vec<Outfall>,
    pub sources: Vec<Source>,
}

impl Registry {
    /// River polygons from a layer.
    pub fn rivers_from(layer: &Layer) -> Vec<Polygon<f64>> {
        layer
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .flat_map(|g| match g {
                Geometry::Polygon(p) => vec![p.clone()],
                Geometry::MultiPolygon(mp) => mp.0.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Outfall points with their `id` and `status` attributes.
    pub fn outfalls_from(layer: &Layer) -> Result<Vec<Outfall>, DetectError> {
        let (id, status) = id_and_status(layer)?;
        Ok(layer
            .features
            .iter()
            .filter_map(|f| {
                let Some(Geometry::Point(p)) = &f.geometry else {
                    return None;
                };
                Some(Outfall {
                    id: f.values[id].to_string(),
                    status: f.values[status].to_string(),
                    lon: p.x(),
                    lat: p.y(),
                })
            })
            .collect())
    }

    /// Sources (points or polygons) with their `id` and `status` attributes.
    pub fn sources_from(layer: &Layer) -> Result<Vec<Source>, DetectError> {
        let (id, status) = id_and_status(layer)?;
        Ok(layer
            .features
            .iter()
            .filter_map(|f| {
                Some(Source {
                    id: f.values[id].to_string(),
                    status: f.values[status].to_string(),
                    geometry: f.geometry.clone()?,
                })
            })
            .collect())
    }
}

impl Registry {
    /// The source nearest a hot spot at pixel `at`, within `max_m` metres of it on the pixel
    /// grid, less `slack_px` pixels (a cluster's half-extent, so distance counts from its edge).
    pub fn nearest_source(
        &self,
        frame: &PixelFrame,
        at: Point<f64>,
        slack_px: f64,
        max_m: f64,
    ) -> Option<&Source> {
        self.sources
            .iter()
            .filter_map(|s| {
                let px = geometry_to_pixels(frame, &s.geometry)?;
                let d = (Euclidean.distance(&at, &px) - slack_px).max(0.0) * frame.gsd_m;
                (d <= max_m).then_some((d, s))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s)
    }
}

impl Status {
    /// A hot spot's status from the source it lies on, if any.
    pub fn of_hotspot(source: Option<&Source>) -> Self {
        match source {
            Some(s) if s.status == "stopped" => Self::FacilityActiveDuringStop,
            Some(_) => Self::RegisteredSource,
            None => Self::UnregisteredHotspot,
        }
    }
}

/// The positions of the `id` and `status` attributes every registry layer needs.
fn id_and_status(layer: &Layer) -> Result<(usize, usize), DetectError> {
    let field = |name: &str| {
        layer.field_index(name).ok_or_else(|| {
            DetectError::Input(format!(
                "layer `{}` has no `{name}` attribute (it has: {})",
                layer.name,
                layer.fields.join(", ")
            ))
        })
    };
    Ok((field("id")?, field("status")?))
}

/// One detection, with what an inspector needs to judge it.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// The detected region, WGS84.
    #[serde(skip)]
    pub polygon: Polygon<f64>,
    pub capability: Capability,
    /// 0–1; ≥ 0.5 is worth an inspector's visit.
    pub score: f64,
    pub centroid_lon: f64,
    pub centroid_lat: f64,
    pub outlet_lon: Option<f64>,
    pub outlet_lat: Option<f64>,
    pub area_m2: f64,
    pub peak_temp_c: f64,
    pub background_temp_c: f64,
    /// Signed: cold plumes are negative.
    pub delta_t_k: f64,
    pub z_peak: f64,
    /// Plumes: azimuth from the outlet along the plume, degrees clockwise from north.
    pub direction_deg: Option<f64>,
    pub status: Status,
    pub nearest_outfall_id: Option<String>,
    pub nearest_outfall_distance_m: Option<f64>,
    /// Land hot spots: the source it lies on (≤ 50 m), and its registry status.
    pub source_id: Option<String>,
    pub source_status: Option<String>,
    pub qa_flags: Vec<&'static str>,
    /// Pixel bounds `[x0, y0, x1, y1]` (inclusive) in the raster.
    pub pixel_bbox: [usize; 4],
    /// SWIR hot clusters (capability C2): their index and radiance measures.
    #[serde(flatten)]
    pub swir: Option<swir::SwirMeasures>,
}

/// Registry outfalls farther along the bank than this do not explain a plume, metres (§5.2 step 9).
pub const R_MATCH_M: f64 = 30.0;
/// Land hot spots within this of a source belong to it, metres (§5.0).
pub const SOURCE_MATCH_M: f64 = 50.0;

/// Parameters of one run, recorded with its results.
#[derive(Debug, Clone, Serialize)]
pub struct Parameters {
    pub daylight: Daylight,
    pub land: land::LandParams,
    pub plume: plume::PlumeParams,
    pub r_match_m: f64,
    pub source_match_m: f64,
}

impl Parameters {
    pub fn for_daylight(daylight: Daylight) -> Self {
        Self {
            daylight,
            land: land::LandParams::for_daylight(daylight),
            plume: plume::PlumeParams::for_daylight(daylight),
            r_match_m: R_MATCH_M,
            source_match_m: SOURCE_MATCH_M,
        }
    }
}

/// Land hot spots are looked for this far from the water and no nearer, metres.
const LAND_WATER_MARGIN_M: f64 = 3.0;

/// [`LAND_WATER_MARGIN_M`] in pixels, at least two.
fn land_water_margin_px(gsd_m: f64) -> f32 {
    (LAND_WATER_MARGIN_M / gsd_m).max(2.0) as f32
}

/// Ground sample distance from which a raster is a satellite scene (Landsat 30 m, Sentinel-2
/// 10–20 m): land detection then uses the 1–3 km ring of §5.3.
pub(crate) const SATELLITE_GSD_M: f64 = 10.0;

/// Runs every detector that applies to `image`, on the whole of it (see [`windows`] for the
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
struct Setup {
    rivers_px: Vec<Polygon<f64>>,
    rings: water::BankRings,
    satellite: bool,
    land_params: land::LandParams,
}

impl Setup {
    fn new(frame: &PixelFrame, registry: &Registry, params: &Parameters) -> Self {
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
    fn prior_edge(&self, window: &Window<'_>) -> water::PriorEdge {
        water::PriorEdge::new(window, &self.rings, &self.rivers_px)
    }

    /// A window's refined water, its prior's edge moved by `shifts`.
    fn wet(&self, window: &Window<'_>, shifts: &water::PerBin<f64>) -> Vec<bool> {
        self.prior_edge(window).refine(shifts)
    }

    /// The bank positions of a window's refined water `wet`.
    fn bank(&self, window: &Window<'_>, wet: &[bool]) -> water::Bank {
        water::bank(wet, &window.tile, &self.rings, window.pixels.gsd_m)
    }

    /// The candidates (in the raster's pixels) as detections, matched to the registry.
    fn detections(
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
struct Candidates {
    usable: Vec<bool>,
    land: Vec<land::LandCandidate>,
    plumes: Vec<plume::PlumeCandidate>,
}

/// Land hot spots and plumes in a window whose refined water is known, with what finds the
/// plumes in it (`None` without a river prior). Land and water share nothing then: one runs
/// beside the other.
fn candidates_in<P: FnOnce() -> Vec<plume::PlumeCandidate> + Send>(
    window: &Window<'_>,
    water: Option<(&[bool], P)>,
    land_params: &land::LandParams,
) -> Candidates {
    let (water, plumes) = water.unzip();
    let ((usable, land), plumes) = crate::parallel::both(
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
fn rank(detections: &mut [Detection]) {
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
fn usable_land(pixels: &Pixels<'_>, wet: Option<&[bool]>) -> Vec<bool> {
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

/// Region measures common to every capability: outline, centroid, bounds.
struct Outline {
    polygon: Polygon<f64>,
    centroid: (f64, f64),
    centroid_px: (f64, f64),
    bbox: [usize; 4],
}

fn outline(frame: &PixelFrame, width: usize, region: &regions::Region) -> Outline {
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
        polygon: frame.polygon_to_wgs84(&hull),
        centroid: frame
            .lon_lat(centroid_px.0, centroid_px.1)
            .unwrap_or((f64::NAN, f64::NAN)),
        centroid_px,
        bbox,
    }
}

fn land_detection(
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
    if touches_edge(&o.bbox, image) {
        flags.push("edge_of_frame");
    }
    let at = Point::new(o.centroid_px.0, o.centroid_px.1);
    let source = registry.nearest_source(image.frame(), at, 0.0, params.source_match_m);
    let status = Status::of_hotspot(source);
    Detection {
        polygon: o.polygon,
        capability: if satellite {
            Capability::SatHotspot
        } else {
            Capability::LandHotspot
        },
        // Each QA flag that doubts the detection lowers the score (§5.1 step 6).
        score: land::score(c, usize::from(touches_edge(&o.bbox, image))),
        centroid_lon: o.centroid.0,
        centroid_lat: o.centroid.1,
        outlet_lon: None,
        outlet_lat: None,
        area_m2: c.area_m2,
        peak_temp_c: f64::from(c.peak_c),
        background_temp_c: f64::from(c.background_c),
        delta_t_k: f64::from(c.peak_c - c.background_c),
        z_peak: f64::from(c.z_peak),
        direction_deg: None,
        status,
        nearest_outfall_id: None,
        nearest_outfall_distance_m: None,
        source_id: source.map(|s| s.id.clone()),
        source_status: source.map(|s| s.status.clone()),
        qa_flags: flags,
        pixel_bbox: o.bbox,
        swir: None,
    }
}

fn facility_detection(image: &ThermalImage, f: &facility::FacilityHeat<'_>) -> Detection {
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
    Detection {
        polygon: image.frame.polygon_to_wgs84(&f.outline),
        capability: Capability::SatHotspot,
        score: crate::stats::logistic(
            f64::from(f.z - facility::ACTIVE_Z)
                + 0.5 * f64::from(f.delta_k - facility::ACTIVE_DELTA_K),
        ),
        centroid_lon: o.centroid.0,
        centroid_lat: o.centroid.1,
        outlet_lon: None,
        outlet_lat: None,
        area_m2: f.pixels.len() as f64 * image.frame.gsd_m.powi(2),
        peak_temp_c: f64::from(peak),
        background_temp_c: f64::from(f.ring_median_c),
        delta_t_k: f64::from(f.delta_k),
        z_peak: f64::from(f.z),
        direction_deg: None,
        status: if f.source.status == "stopped" {
            Status::FacilityActiveDuringStop
        } else {
            Status::RegisteredSource
        },
        nearest_outfall_id: None,
        nearest_outfall_distance_m: None,
        source_id: Some(f.source.id.clone()),
        source_status: Some(f.source.status.clone()),
        qa_flags: vec!["facility_contrast"],
        pixel_bbox: o.bbox,
        swir: None,
    }
}

/// Outfalls placed on the pixel grid and along the bank rings.
struct OutfallsOnBank<'a> {
    placed: Vec<PlacedOutfall<'a>>,
}

/// An outfall, its pixel position, and its ring and chainage (metres) along the bank.
type PlacedOutfall<'a> = (&'a Outfall, (f64, f64), Option<(u32, f64)>);

impl<'a> OutfallsOnBank<'a> {
    fn new(frame: &PixelFrame, rings: &water::BankRings, outfalls: &'a [Outfall]) -> Self {
        let pts: Vec<(f64, f64)> = outfalls.iter().map(|o| (o.lon, o.lat)).collect();
        let placed = outfalls
            .iter()
            .zip(frame.pixels(&pts))
            .map(|(o, (x, y))| (o, (x, y), rings.project(x, y, frame.gsd_m)))
            .collect();
        Self { placed }
    }
}

fn plume_detection(
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
        Some(of) if of.status == "closed" || of.status == "banned" => {
            Status::RegisteredClosedDischarging
        }
        Some(_) => Status::RegisteredActive,
        None => Status::UnregisteredSuspect,
    };
    let mut flags = Vec::new();
    if touches_edge(&o.bbox, image) {
        flags.push("edge_of_frame");
    }
    if params.daylight == Daylight::Day {
        flags.push("daytime_flight");
    }
    Detection {
        polygon: o.polygon,
        capability: match c.kind {
            plume::PlumeKind::Bank => Capability::BankPlume,
            plume::PlumeKind::Submerged => Capability::SubmergedPlume,
        },
        score: plume::score(c),
        centroid_lon: o.centroid.0,
        centroid_lat: o.centroid.1,
        outlet_lon: outlet.map(|p| p.0),
        outlet_lat: outlet.map(|p| p.1),
        area_m2: c.area_m2,
        peak_temp_c: f64::from(c.peak_c),
        background_temp_c: f64::from(c.background_c),
        delta_t_k: f64::from(c.delta_t_k),
        z_peak: f64::from(c.z_peak),
        direction_deg: Some(image.frame().azimuth_deg(c.axis.0, c.axis.1)),
        status,
        nearest_outfall_id: nearest.map(|(of, _)| of.id.clone()),
        nearest_outfall_distance_m: nearest.map(|(_, d)| d),
        source_id: None,
        source_status: None,
        qa_flags: flags,
        pixel_bbox: o.bbox,
        swir: None,
    }
}

fn touches_edge(bbox: &[usize; 4], image: &dyn Temperatures) -> bool {
    let (width, height) = image.size();
    touches_grid_edge(bbox, width, height)
}

fn touches_grid_edge(bbox: &[usize; 4], width: usize, height: usize) -> bool {
    bbox[0] == 0 || bbox[1] == 0 || bbox[2] + 1 >= width || bbox[3] + 1 >= height
}

fn geometry_to_pixels(frame: &PixelFrame, g: &Geometry<f64>) -> Option<Geometry<f64>> {
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

/// The detections as a GeoJSON FeatureCollection (WGS84), each with the run's provenance.
pub fn to_geojson(detections: &[Detection], provenance: &serde_json::Value) -> serde_json::Value {
    let features: Vec<serde_json::Value> = detections
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let ring: Vec<[f64; 2]> = d
                .polygon
                .exterior()
                .0
                .iter()
                .map(|c: &Coord| [c.x, c.y])
                .collect();
            let mut props = serde_json::to_value(d).unwrap_or_default();
            if let Some(map) = props.as_object_mut() {
                map.insert("id".into(), serde_json::json!(format!("D{:04}", k + 1)));
                map.insert("provenance".into(), provenance.clone());
            }
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": props,
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

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

/// How a run on a scene goes: what a user may say that the files do not.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Day or night thresholds; `None`: from the raster's capture time, else day.
    pub daylight: Option<Daylight>,
    /// Bytes the run may take (see [`run_raster`]).
    pub memory: u64,
    /// A thermal TIFF's units; `None`: those the file states, else told from its values.
    pub units: Option<crate::thermal::TiffUnits>,
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
    let layer = |path: &Option<std::path::PathBuf>| -> Result<Option<Layer>, DetectError> {
        let Some(p) = path else { return Ok(None) };
        let import = yitu_layers::io::read_vector(p, yitu_layers::io::ReadOptions::default())?;
        let layer =
            import.layers.into_iter().next().ok_or_else(|| {
                DetectError::Input(format!("{}: no layer in the file", p.display()))
            })?;
        if layer.features.is_empty() {
            return Err(DetectError::Input(format!(
                "{}: the layer is empty",
                p.display()
            )));
        }
        Ok(Some(layer))
    };
    let with_path = |p: &Option<std::path::PathBuf>, e: DetectError| match (p, e) {
        (Some(p), DetectError::Input(m)) => DetectError::Input(format!("{}: {m}", p.display())),
        (_, e) => e,
    };
    let registry = Registry {
        rivers: layer(&inputs.rivers)?
            .map(|l| Registry::rivers_from(&l))
            .unwrap_or_default(),
        outfalls: layer(&inputs.outfalls)?
            .map(|l| Registry::outfalls_from(&l))
            .transpose()
            .map_err(|e| with_path(&inputs.outfalls, e))?
            .unwrap_or_default(),
        sources: layer(&inputs.sources)?
            .map(|l| Registry::sources_from(&l))
            .transpose()
            .map_err(|e| with_path(&inputs.sources, e))?
            .unwrap_or_default(),
    };
    if inputs.rivers.is_some() && registry.rivers.is_empty() {
        return Err(DetectError::Input(format!(
            "{}: no river polygons",
            inputs
                .rivers
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        )));
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
    } = options;
    // The raster's hash is taken beside its reading, which keeps one core busy.
    let (image, raster_sha256) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| sha256_file(raster));
        let image = ThermalRaster::open(raster, memory, units);
        (image, hash.join().expect("hashing a file does not panic"))
    });
    let image = image?;
    let (daylight, daylight_from) = match daylight {
        Some(d) => (d, "flag"),
        None => match daylight_of(raster, &image) {
            Some(d) => (d, "capture_time"),
            None => (Daylight::Day, "assumed"),
        },
    };
    let warnings = checks::check(&image, registry)?;
    let params = Parameters::for_daylight(daylight);
    let detections = match &image {
        ThermalRaster::Memory(image) => detect(image, registry, &params),
        ThermalRaster::File(file) => {
            let core = windows::core_within(memory, file.frame().gsd_m, &params);
            windows::detect(file, registry, &params, core)?
        }
    };
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
    Ok(crate::digest::hex(&hasher.finalize()))
}

/// One detection as a row of the detections layer.
#[derive(Serialize)]
struct LayerRow<'a> {
    id: String,
    capability: Capability,
    score: f64,
    status: Status,
    delta_t_k: f64,
    peak_temp_c: f64,
    background_temp_c: f64,
    area_m2: f64,
    direction_deg: Option<f64>,
    nearest_outfall_id: Option<&'a str>,
    nearest_outfall_distance_m: Option<f64>,
    source_id: Option<&'a str>,
    qa_flags: String,
    outlet_lon: Option<f64>,
    outlet_lat: Option<f64>,
    /// The thermal raster it was found on (for evidence).
    raster: &'a str,
    /// Filled in by the analyst: confirmed, dismissed, field_check, and a note.
    review: &'static str,
    note: &'static str,
}

/// The detections found on `raster` as a layer for the map and the project (WGS84 polygons),
/// best first.
pub fn detections_layer(name: &str, raster: &Path, detections: &[Detection]) -> Layer {
    let raster = raster.to_string_lossy();
    yitu_layers::registry::layer_from_records(
        name,
        yitu_layers::LayerKind::Other,
        detections.iter().enumerate().map(|(k, d)| {
            let row = LayerRow {
                id: format!("D{:04}", k + 1),
                capability: d.capability,
                score: (d.score * 1000.0).round() / 1000.0,
                status: d.status,
                delta_t_k: (d.delta_t_k * 100.0).round() / 100.0,
                peak_temp_c: (d.peak_temp_c * 100.0).round() / 100.0,
                background_temp_c: (d.background_temp_c * 100.0).round() / 100.0,
                area_m2: (d.area_m2 * 10.0).round() / 10.0,
                direction_deg: d.direction_deg.map(f64::round),
                nearest_outfall_id: d.nearest_outfall_id.as_deref(),
                nearest_outfall_distance_m: d
                    .nearest_outfall_distance_m
                    .map(|m| (m * 10.0).round() / 10.0),
                source_id: d.source_id.as_deref(),
                qa_flags: d.qa_flags.join(" "),
                outlet_lon: d.outlet_lon,
                outlet_lat: d.outlet_lat,
                raster: &raster,
                review: "",
                note: "",
            };
            (Some(Geometry::Polygon(d.polygon.clone())), row)
        }),
    )
}

/// Whether layers of this kind feed the registry (see [`registry_from_layers`]).
pub fn is_registry_kind(kind: yitu_layers::LayerKind) -> bool {
    use yitu_layers::LayerKind;
    matches!(
        kind,
        LayerKind::Rivers | LayerKind::Outfalls | LayerKind::PollutionSources
    )
}

/// The registry for detection from a project's layers: river polygons, outfalls and sources
/// with `id` and `status`; what could not be used is said in the returned notes.
pub fn registry_from_layers<'a>(
    layers: impl IntoIterator<Item = &'a Layer>,
) -> (Registry, Vec<String>) {
    use yitu_layers::LayerKind;
    let mut registry = Registry::default();
    let mut notes = Vec::new();
    for layer in layers {
        match layer.kind {
            LayerKind::Rivers => registry.rivers.extend(Registry::rivers_from(layer)),
            LayerKind::Outfalls => match Registry::outfalls_from(layer) {
                Ok(o) => registry.outfalls.extend(o),
                Err(e) => notes.push(e.to_string()),
            },
            LayerKind::PollutionSources => match Registry::sources_from(layer) {
                Ok(s) => registry.sources.extend(s),
                Err(e) => notes.push(e.to_string()),
            },
            _ => {}
        }
    }
    if registry.rivers.is_empty() {
        notes.push(
            "no river polygons in the project (river lines do not say where the water is): \
             plumes were not looked for"
                .into(),
        );
    }
    (registry, notes)
}
