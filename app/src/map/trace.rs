//! The trace tool: its settings, and the trace drawn over the map (rivers traced, the start,
//! what was found, the district lines crossed).

use egui::{Shape, Stroke};
use yitu_basins::Direction;

use crate::state::basins::TraceRun;

/// What the next click traces.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceTool {
    /// A click on the map traces instead of identifying.
    pub active: bool,
    pub direction: Direction,
    /// Stop this many km along the rivers (0: no limit).
    pub km: f64,
    /// Stop at this travel time, hours (0: no limit).
    pub hours: f64,
    /// The exceedance to rank the finds for, as typed: `PARAM@TIME`, `PARAM` or `@TIME`.
    pub exceedance: String,
}

impl Default for TraceTool {
    fn default() -> Self {
        Self {
            active: false,
            direction: Direction::Up,
            km: 100.0,
            hours: 0.0,
            exceedance: String::new(),
        }
    }
}

impl TraceTool {
    pub fn limits(&self) -> (Option<f64>, Option<f64>) {
        (
            (self.km > 0.0).then_some(self.km),
            (self.hours > 0.0).then_some(self.hours),
        )
    }
}

/// The trace's shapes in screen space, by the map's world-to-screen transform.
pub fn trace_shapes(out: &mut Vec<Shape>, run: &TraceRun, t: &crate::map::render::ScreenFromWorld) {
    let screen = |c: &geo::Coord<f64>| t.screen(crate::map::world::World::from_lon_lat(c.x, c.y));
    for line in &run.lines {
        let pts: Vec<egui::Pos2> = line.iter().map(screen).collect();
        out.push(Shape::line(
            pts.clone(),
            Stroke::new(7.0, egui::Color32::from_white_alpha(200)),
        ));
        out.push(Shape::line(pts, Stroke::new(4.0, crate::theme::TRACE)));
    }
    for f in &run.found {
        let p = screen(&geo::Coord { x: f.lon, y: f.lat });
        out.push(Shape::circle_stroke(
            p,
            6.0,
            Stroke::new(2.5, crate::theme::TRACE_FOUND),
        ));
    }
    for c in &run.crossings {
        let p = screen(&geo::Coord { x: c.lon, y: c.lat });
        let d = 7.0;
        let diamond = vec![
            p + egui::vec2(0.0, -d),
            p + egui::vec2(d, 0.0),
            p + egui::vec2(0.0, d),
            p + egui::vec2(-d, 0.0),
        ];
        out.push(Shape::convex_polygon(
            diamond,
            crate::theme::TRACE_CROSSING,
            Stroke::new(1.5, egui::Color32::BLACK),
        ));
    }
    let s = screen(&run.start);
    out.push(Shape::circle_filled(s, 8.0, crate::theme::TRACE_START));
    out.push(Shape::circle_stroke(
        s,
        8.0,
        Stroke::new(2.0, egui::Color32::WHITE),
    ));
}
