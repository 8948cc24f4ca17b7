//! The water mask and bank coordinates for plume detection (§3.4, §5.2 step 1).
//!
//! The river polygons are a prior that may be off by a metre or two, and bank pixels mix land and
//! water. The mask is refined per 30 m of bank by moving the prior's edge (±3 m) to the strongest
//! temperature step, then eroded by one pixel. Each water pixel gets its distance to the bank `n`
//! and the chainage `s` of its nearest bank point along the prior's ring, so a plume's outlet and
//! an outfall compare along the same bank, never across the river.

mod bank;
mod distance;
mod edge;
mod rasterize;
mod rings;

pub use bank::{Bank, BankPosition, BankWindows, WindowBank, bank};
pub use distance::within_distance;
pub use edge::{
    BIN_M, BinKey, MAX_BANK_DISTANCE_M, PerBin, PriorEdge, edge_reach_px, join_bins, reach_px,
};
pub use rasterize::filled_runs;
pub use rings::BankRings;

use geo::Polygon;

use super::frame::{Pixels, Window};
use edge::{edge_shifts, join_histograms, open_water};

/// A raster as the windows its edge statistics are gathered from, each with its prior's edge:
/// the whole raster in memory is one window whose edge is worked out once; a raster cut into
/// windows works each one's out again for each pass, holding one at a time.
pub trait EdgeWindows {
    /// Why a window could not be had (reading it from a file).
    type Error;
    fn edges(&self, f: &mut dyn FnMut(&Window<'_>, &PriorEdge)) -> Result<(), Self::Error>;
}

/// The edge shifts per bin, from the open water and the edge histograms of every window's
/// core.
pub fn shifts_of<W: EdgeWindows>(windows: &W, gsd_m: f64) -> Result<PerBin<f64>, W::Error> {
    let mut samples = PerBin::default();
    windows
        .edges(&mut |w, edge| join_bins(&mut samples, edge.open_water_samples(w), Vec::extend))?;
    let open = open_water(samples);
    let mut histograms = PerBin::default();
    windows.edges(&mut |w, edge| join_histograms(&mut histograms, edge.histograms(w, &open)))?;
    Ok(edge_shifts(&histograms, gsd_m))
}

/// A whole raster as its one window, with its prior's edge.
struct WholeEdge<'a> {
    window: Window<'a>,
    edge: PriorEdge,
}

impl<'a> WholeEdge<'a> {
    pub fn new(image: Pixels<'a>, rings: &BankRings, rivers_px: &[Polygon<f64>]) -> Self {
        let window = Window::whole(image);
        Self {
            edge: PriorEdge::new(&window, rings, rivers_px),
            window,
        }
    }

    /// The raster's refined water, the edge moved by `shifts`.
    pub fn wet(self, shifts: &PerBin<f64>) -> Vec<bool> {
        self.edge.refine(shifts)
    }
}

impl EdgeWindows for WholeEdge<'_> {
    type Error = std::convert::Infallible;

    fn edges(&self, f: &mut dyn FnMut(&Window<'_>, &PriorEdge)) -> Result<(), Self::Error> {
        f(&self.window, &self.edge);
        Ok(())
    }
}

/// The refined water mask of a whole raster, from river polygons in pixel coordinates
/// (projected along `rings`, which are theirs); [`bank`] gives its bank positions.
pub fn wet(image: &Pixels<'_>, rings: &BankRings, rivers_px: &[Polygon<f64>]) -> Vec<bool> {
    let whole = WholeEdge::new(*image, rings, rivers_px);
    let Ok(shifts) = shifts_of(&whole, image.gsd_m);
    whole.wet(&shifts)
}
