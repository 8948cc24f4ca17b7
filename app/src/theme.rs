//! The app's fixed colours, in one place (layer colours come from each layer's style).
#![expect(
    clippy::disallowed_methods,
    reason = "this is the one place colours are written"
)]

use egui::Color32;

/// Behind the layers when no basemap is shown: a pale grey-blue that reads as "not land data".
pub const MAP_BACKGROUND: Color32 = Color32::from_rgb(233, 238, 243);
/// Outline of the selected feature.
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 193, 7);
/// The measure tool's line and vertices.
pub const MEASURE: Color32 = Color32::from_rgb(255, 87, 34);
/// Thin ring around point symbols, so they stand out on any fill.
pub const POINT_RING: Color32 = Color32::from_black_alpha(160);
/// Cluster outline and count.
pub const CLUSTER_TEXT: Color32 = Color32::WHITE;
/// Raster pixels at or above the isotherm temperature.
pub const ISOTHERM: Color32 = Color32::from_rgb(0, 230, 118);

/// The route timeline's pieces: travel, waiting, inspection, lunch.
pub const TIMELINE_TRAVEL: Color32 = Color32::from_rgb(120, 160, 220);
pub const TIMELINE_WAIT: Color32 = Color32::from_rgb(210, 210, 210);
pub const TIMELINE_INSPECT: Color32 = Color32::from_rgb(220, 90, 70);
pub const TIMELINE_LUNCH: Color32 = Color32::from_rgb(240, 190, 80);
/// A trace's rivers, its start, what it found and the district lines it crossed.
pub const TRACE: Color32 = Color32::from_rgb(0, 172, 193);
pub const TRACE_START: Color32 = Color32::from_rgb(213, 0, 249);
pub const TRACE_FOUND: Color32 = Color32::from_rgb(255, 61, 0);
pub const TRACE_CROSSING: Color32 = Color32::from_rgb(255, 214, 0);
/// The presenter frame: dark panels, yellow accents, green where a target is met, red where not.
pub const PRESENT_PANEL: Color32 = Color32::from_rgba_premultiplied(14, 18, 24, 236);
pub const PRESENT_ACCENT: Color32 = Color32::from_rgb(255, 214, 0);
pub const PRESENT_GOOD: Color32 = Color32::from_rgb(80, 220, 120);
pub const PRESENT_BAD: Color32 = Color32::from_rgb(255, 90, 80);
