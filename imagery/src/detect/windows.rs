//! Detection window by window, with the whole-raster result: the way to a raster larger than
//! memory, where no pass holds more than a window's pixels (plus per-bin statistics and the
//! candidates' regions).
//!
//! Everything the detectors compute at a pixel has a bounded reach once the per-bin statistics
//! are known: the bank distance ([`water::MAX_BANK_DISTANCE_M`]), the edge band, the land
//! background's annulus, a boat's length. So the statistics are gathered first, each window
//! adding the pixels of its core (histograms with integer sums, samples whose medians do not
//! depend on their order), and then each window finds candidates with a margin wider than that
//! reach around its core. A region is taken from a window only when it and what its measures
//! look at lie where the window sees everything it needs (its trusted part); one that does not
//! is looked at again in a window grown around it. Regions seen by several windows are the
//! same region, kept once.
//!
//! Satellite scenes (1–3 km background rings over a few thousand pixels) run whole.

use std::collections::BTreeMap;

use super::frame::Window;
use super::pipeline::{Candidates, Setup, candidates_in, land_water_margin_px, rank};
use super::regions::Region;
use super::tiles::{Tile, tiles};
use super::water::{self, Bank, BankWindows, EdgeWindows, PerBin, PriorEdge};
use super::{
    DetectError, Detection, Parameters, Registry, Temperatures, ThermalImage, land, plume,
};

/// Detections of `image` computed over windows of `core` pixels a side, each read when it is
/// needed: the same as [`super::detect`] gives on the whole raster. `cancel` is looked at
/// before each window.
pub fn detect<T: Temperatures>(
    image: &T,
    registry: &Registry,
    params: &Parameters,
    core: usize,
    cancel: &yitu_core::cancel::Cancel,
) -> Result<Vec<Detection>, DetectError> {
    let setup = Setup::new(image.frame(), registry, params);
    let (width, height) = image.size();
    if setup.satellite {
        // Landsat and Sentinel-2 scenes fit in memory; their background rings do not fit in
        // windows.
        return Ok(super::detect(&whole(image)?, registry, params));
    }
    let run = Run::new(image, &setup, params, core)?;
    // Candidates by their first pixel: a region several windows see is kept once.
    let mut land: BTreeMap<usize, land::LandCandidate> = BTreeMap::new();
    let mut plumes: BTreeMap<usize, plume::PlumeCandidate> = BTreeMap::new();
    for tile in tiles(width, height, core, run.reach.margin) {
        DetectError::unless_cancelled(cancel)?;
        let found = run.candidates(&tile)?;
        for c in found.land {
            run.whole(c, &tile, &mut land)?;
        }
        for c in found.plumes {
            run.whole(c, &tile, &mut plumes)?;
        }
    }
    let land: Vec<_> = land.into_values().collect();
    let plumes: Vec<_> = plumes.into_values().collect();
    let mut out = setup.detections(image, registry, params, &land, &plumes);
    rank(&mut out);
    Ok(out)
}

/// All of `image` in memory.
fn whole(image: &impl Temperatures) -> Result<ThermalImage, DetectError> {
    let (width, height) = image.size();
    Ok(ThermalImage {
        width,
        height,
        celsius: image.read(&Tile::whole(width, height))?.into_owned(),
        frame: image.frame().try_clone()?,
    })
}

/// The side of the windows' cores that keeps a window's run within `memory` bytes (at least
/// 1024 pixels), for a raster of `gsd_m` metres per pixel.
pub fn core_within(memory: u64, gsd_m: f64, params: &Parameters) -> usize {
    let per_pixel = super::temperatures::WHOLE_RUN_BYTES_PER_PIXEL;
    let side = (memory / per_pixel).isqrt() as usize;
    side.saturating_sub(2 * Reach::of(gsd_m, &params.land).margin)
        .max(1024)
}

/// How far a window's values reach in from its cut edges, pixels.
struct Reach {
    /// How far from a window's cut edges its pixels' values may differ from the whole
    /// raster's.
    untrusted: usize,
    /// Context around each window's core: the untrusted band and room for regions.
    margin: usize,
}

impl Reach {
    fn of(gsd: f64, land_params: &land::LandParams) -> Self {
        let vessel_px = (plume::VESSEL_MAX_LENGTH_M / gsd).ceil() as usize + 3;
        // Plume levels need the bank position, also of the boats near them; land levels need
        // the water mask (for where land is usable, a pixel past the margin from the water)
        // around their background annulus, and two pixels more.
        let untrusted = (water::reach_px(gsd) + vessel_px).max(
            land::reach_px(land_params, gsd)
                + water::edge_reach_px(gsd)
                + land_water_margin_px(gsd).ceil() as usize
                + 3,
        );
        Self {
            untrusted,
            margin: untrusted + (20.0 / gsd).ceil() as usize,
        }
    }
}

/// The statistics of a run and what its windows need to find candidates.
struct Run<'a, T> {
    image: &'a T,
    setup: &'a Setup,
    params: &'a Parameters,
    /// Edge shifts and the plume reference; `None` without a river prior.
    water: Option<(PerBin<f64>, plume::Reference)>,
    reach: Reach,
}

impl<'a, T: Temperatures> Run<'a, T> {
    fn new(
        image: &'a T,
        setup: &'a Setup,
        params: &'a Parameters,
        core: usize,
    ) -> Result<Self, DetectError> {
        let water = (!setup.rivers_px.is_empty())
            .then(|| statistics(image, setup, params, core))
            .transpose()?;
        Ok(Self {
            image,
            setup,
            params,
            water,
            reach: Reach::of(image.frame().gsd_m, &setup.land_params),
        })
    }

    /// Every candidate in the window of `tile`.
    fn candidates(&self, tile: &Tile) -> Result<Candidates, DetectError> {
        with_window(self.image, tile, |window| {
            let wet =
                (self.water.as_ref()).map(|(shifts, rf)| (self.setup.wet(window, shifts), rf));
            let find = wet.as_ref().map(|(wet, rf)| {
                let find = || {
                    let bank = self.setup.bank(window, wet);
                    plume::candidates_with(&window.pixels, &bank, rf, &self.params.plume)
                };
                (wet.as_slice(), find)
            });
            candidates_in(window, find, &self.setup.land_params)
        })
    }

    /// Whether a region of the window of `tile`, with `pad` pixels around it, lies where the
    /// window's values are the whole raster's.
    fn trusted(&self, tile: &Tile, region: &Region, pad: usize) -> bool {
        let w = tile.width();
        let (x0, y0, x1, y1) = region.bounds(w);
        let u = self.reach.untrusted + pad;
        let (left, top) = (tile.x.0 > 0, tile.y.0 > 0);
        let (width, height) = self.image.size();
        let (right, bottom) = (tile.x.1 < width, tile.y.1 < height);
        !(left && x0 < u
            || top && y0 < u
            || right && x1 + u >= tile.width()
            || bottom && y1 + u >= tile.height())
    }

    /// A candidate of the window of `tile` as the whole raster has it, in the raster's
    /// pixels: none, one or several. One that is not trusted may be cut by the window's edge,
    /// or made by the values there, so it is looked for again in a window grown around it,
    /// where what it holds of this window's core is trusted; whatever holds those pixels
    /// there is the answer.
    fn whole<C: Candidate>(
        &self,
        c: C,
        tile: &Tile,
        out: &mut BTreeMap<usize, C>,
    ) -> Result<(), DetectError> {
        let pad = c.pad();
        if self.trusted(tile, c.region(), pad) {
            let c = c.to_raster(tile);
            out.entry(c.region().pixels[0]).or_insert(c);
            return Ok(());
        }
        let decided: Vec<usize> = c
            .region()
            .pixels
            .iter()
            .copied()
            .filter(|&k| tile.decides(k))
            .map(|k| tile.to_image(k))
            .collect();
        if decided.is_empty() {
            // Another window decides its pixels.
            return Ok(());
        }
        let grown = self.grown(tile, c.region(), pad);
        for again in C::of(self.candidates(&grown)?) {
            let holds = again
                .region()
                .pixels
                .iter()
                .any(|&k| decided.binary_search(&grown.to_image(k)).is_ok());
            if holds {
                self.whole(again, &grown, out)?;
            }
        }
        Ok(())
    }

    /// A window around a region of `tile`'s window, three times as wide as its bounds.
    fn grown(&self, tile: &Tile, region: &Region, pad: usize) -> Tile {
        let (x0, y0, x1, y1) = region.bounds(tile.width());
        let (gx0, gy0) = (tile.x.0 + x0, tile.y.0 + y0);
        let (gx1, gy1) = (tile.x.0 + x1 + 1, tile.y.0 + y1 + 1);
        let grow = (gx1 - gx0).max(gy1 - gy0) + pad;
        let (width, height) = self.image.size();
        let core_x = (gx0.saturating_sub(grow), (gx1 + grow).min(width));
        let core_y = (gy0.saturating_sub(grow), (gy1 + grow).min(height));
        Tile::new(core_x, core_y, self.reach.margin, width, height)
    }
}

/// What [`Run::whole`] needs of a candidate.
trait Candidate: Sized {
    /// This kind's candidates among those of a window.
    fn of(found: Candidates) -> Vec<Self>;
    fn region(&self) -> &Region;
    /// Pixels around the region its measures look at.
    fn pad(&self) -> usize;
    /// The candidate in the raster's pixels, from a window's.
    fn to_raster(self, tile: &Tile) -> Self;
}

impl Candidate for land::LandCandidate {
    fn of(found: Candidates) -> Vec<Self> {
        found.land
    }

    fn region(&self) -> &Region {
        &self.region
    }

    fn pad(&self) -> usize {
        land::ring_px(self.region.pixels.len()) + 1
    }

    fn to_raster(self, tile: &Tile) -> Self {
        Self {
            region: to_raster(&self.region, tile),
            ..self
        }
    }
}

impl Candidate for plume::PlumeCandidate {
    fn of(found: Candidates) -> Vec<Self> {
        found.plumes
    }

    fn region(&self) -> &Region {
        &self.region
    }

    fn pad(&self) -> usize {
        1
    }

    fn to_raster(self, tile: &Tile) -> Self {
        Self {
            region: to_raster(&self.region, tile),
            outlet: tile.to_image(self.outlet),
            ..self
        }
    }
}

/// A window's region in the raster's pixels (still in raster order).
fn to_raster(region: &Region, tile: &Tile) -> Region {
    Region {
        pixels: region.pixels.iter().map(|&k| tile.to_image(k)).collect(),
    }
}

/// Runs `work` on the window of `tile`, its pixels read from the raster.
fn with_window<R>(
    image: &impl Temperatures,
    tile: &Tile,
    work: impl FnOnce(&Window<'_>) -> R,
) -> Result<R, DetectError> {
    let celsius = image.read(tile)?;
    let window = Window {
        pixels: super::Pixels {
            width: tile.width(),
            height: tile.height(),
            celsius: &celsius,
            gsd_m: image.frame().gsd_m,
        },
        tile: *tile,
    };
    Ok(work(&window))
}

/// The per-bin statistics of the water, gathered window by window: the edge shifts, then the
/// plume reference.
fn statistics(
    image: &impl Temperatures,
    setup: &Setup,
    params: &Parameters,
    core: usize,
) -> Result<(PerBin<f64>, plume::Reference), DetectError> {
    let gsd = image.frame().gsd_m;
    let (width, height) = image.size();
    let cut = Cut {
        image,
        setup,
        edge_tiles: tiles(width, height, core, water::edge_reach_px(gsd)),
        bank_tiles: tiles(width, height, core, water::reach_px(gsd)),
    };
    let shifts = water::shifts_of(&cut, gsd)?;
    let reference = plume::reference_of(
        &CutWater {
            cut: &cut,
            shifts: &shifts,
        },
        &params.plume,
    )?;
    Ok((shifts, reference))
}

/// A raster cut into windows for the statistics: each pass works out each window's edge or
/// water again, with the context it needs.
struct Cut<'a, T> {
    image: &'a T,
    setup: &'a Setup,
    /// Windows with context for the prior's edge band.
    edge_tiles: Vec<Tile>,
    /// Windows with context for the bank distance.
    bank_tiles: Vec<Tile>,
}

impl<T: Temperatures> EdgeWindows for Cut<'_, T> {
    type Error = DetectError;

    fn edges(&self, f: &mut dyn FnMut(&Window<'_>, &PriorEdge)) -> Result<(), DetectError> {
        for tile in &self.edge_tiles {
            with_window(self.image, tile, |w| f(w, &self.setup.prior_edge(w)))?;
        }
        Ok(())
    }
}

/// The cut raster's windows with their water, the edge moved by the shifts found.
struct CutWater<'a, T> {
    cut: &'a Cut<'a, T>,
    shifts: &'a PerBin<f64>,
}

impl<T: Temperatures> BankWindows for CutWater<'_, T> {
    type Error = DetectError;

    fn banks(&self, f: &mut dyn FnMut(&Window<'_>, &Bank)) -> Result<(), DetectError> {
        let Cut { image, setup, .. } = self.cut;
        for tile in &self.cut.bank_tiles {
            with_window(*image, tile, |w| {
                f(w, &setup.bank(w, &setup.wet(w, self.shifts)));
            })?;
        }
        Ok(())
    }
}
