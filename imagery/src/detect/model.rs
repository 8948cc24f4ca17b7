//! What detection finds and with what settings: capabilities, statuses, a detection, the
//! parameters recorded with a run.

use geo::Polygon;
use serde::Serialize;
use yitu_layers::registry::OperatingStatus;

use super::swir::measures::SwirMeasures;
use super::{land, plume};

/// Version recorded with every detection.
pub const ALGORITHM: &str = "yitu-detect 0.1 (remote-sensing.md §5)";

/// Which detector found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    LandHotspot,
    BankPlume,
    SubmergedPlume,
    SatHotspot,
}

impl Capability {
    /// The value as files store it.
    pub fn code(self) -> &'static str {
        match self {
            Self::LandHotspot => "land_hotspot",
            Self::BankPlume => "bank_plume",
            Self::SubmergedPlume => "submerged_plume",
            Self::SatHotspot => "sat_hotspot",
        }
    }
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

impl Status {
    /// The value as files store it.
    pub fn code(self) -> &'static str {
        match self {
            Self::RegisteredActive => "registered_active",
            Self::RegisteredClosedDischarging => "registered_closed_discharging",
            Self::UnregisteredSuspect => "unregistered_suspect",
            Self::FacilityActiveDuringStop => "facility_active_during_stop",
            Self::RegisteredSource => "registered_source",
            Self::UnregisteredHotspot => "unregistered_hotspot",
        }
    }
}

/// Day or night thresholds (solar elevation above or below 0°).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Daylight {
    Day,
    Night,
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
    pub source_status: Option<OperatingStatus>,
    pub qa_flags: Vec<&'static str>,
    /// Pixel bounds `[x0, y0, x1, y1]` (inclusive) in the raster.
    pub pixel_bbox: [usize; 4],
    /// SWIR hot clusters (capability C2): their index and radiance measures.
    #[serde(flatten)]
    pub swir: Option<SwirMeasures>,
}

/// Where a detection lies: its outline (WGS84), centroid (lon, lat) and pixel bounds
/// `[x0, y0, x1, y1]` (inclusive) in the raster.
#[derive(Debug, Clone)]
pub struct Footprint {
    pub polygon: Polygon<f64>,
    pub centroid: (f64, f64),
    pub pixel_bbox: [usize; 4],
}

/// What a detector measured on a region: its area and temperatures (NaN where the sensor
/// gives none, as SWIR radiance does not).
#[derive(Debug, Clone, Copy)]
pub struct Heat {
    pub area_m2: f64,
    pub peak_c: f64,
    pub background_c: f64,
    /// Signed: cold plumes are negative.
    pub delta_t_k: f64,
    pub z_peak: f64,
}

impl Detection {
    /// A detection with what every capability has; the rest (outlet, direction, the registry
    /// entries it was matched to, QA flags, SWIR measures) is added by the `with_` methods,
    /// so each detector says only what it knows.
    pub fn new(
        capability: Capability,
        status: Status,
        score: f64,
        footprint: Footprint,
        heat: Heat,
    ) -> Self {
        Self {
            polygon: footprint.polygon,
            capability,
            score,
            centroid_lon: footprint.centroid.0,
            centroid_lat: footprint.centroid.1,
            outlet_lon: None,
            outlet_lat: None,
            area_m2: heat.area_m2,
            peak_temp_c: heat.peak_c,
            background_temp_c: heat.background_c,
            delta_t_k: heat.delta_t_k,
            z_peak: heat.z_peak,
            direction_deg: None,
            status,
            nearest_outfall_id: None,
            nearest_outfall_distance_m: None,
            source_id: None,
            source_status: None,
            qa_flags: Vec::new(),
            pixel_bbox: footprint.pixel_bbox,
            swir: None,
        }
    }

    /// A plume's outlet (lon, lat) and its direction from there, degrees from north.
    #[must_use]
    pub fn with_outlet(mut self, outlet: Option<(f64, f64)>, direction_deg: Option<f64>) -> Self {
        self.outlet_lon = outlet.map(|p| p.0);
        self.outlet_lat = outlet.map(|p| p.1);
        self.direction_deg = direction_deg;
        self
    }

    /// The registry outfall nearest the outlet (its id) and how far it is, metres.
    #[must_use]
    pub fn with_nearest_outfall(mut self, nearest: Option<(String, f64)>) -> Self {
        self.nearest_outfall_distance_m = nearest.as_ref().map(|n| n.1);
        self.nearest_outfall_id = nearest.map(|n| n.0);
        self
    }

    /// The source a hot spot lies on: its id and registry status.
    #[must_use]
    pub fn with_source(mut self, id: Option<String>, status: Option<OperatingStatus>) -> Self {
        self.source_id = id;
        self.source_status = status;
        self
    }

    #[must_use]
    pub fn with_flags(mut self, qa_flags: Vec<&'static str>) -> Self {
        self.qa_flags = qa_flags;
        self
    }

    #[must_use]
    pub fn with_swir(mut self, measures: SwirMeasures) -> Self {
        self.swir = Some(measures);
        self
    }
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
