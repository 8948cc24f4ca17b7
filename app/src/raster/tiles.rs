//! Detail tiles for rasters finer than their overview grid.
//!
//! A raster first shows as one grid of at most [`MAX_SIDE`](crate::raster::grid::MAX_SIDE)
//! cells. Zoomed in past that grid's resolution, the visible Web-Mercator tiles (XYZ scheme, 256
//! cells) are read on a background job: for each, GDAL reads only the file window under the tile,
//! from the overview that suits the zoom. Tiles are kept in a bounded least-recently-used cache and
//! drawn over the grid; until they arrive the grid shows.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context as _;
use yitu_layers::crs::Reprojector;
use yitu_layers::raster::{PixelGrid, Window, pixel_grid, read_window};

use super::grid::{MercatorGrid, MercatorSampling, to_display_values};
use crate::jobs::{Job, Progress};
use crate::map::world::{World, WorldRect};
use crate::raster::gpu::GridValues;

/// Cells along a tile's side.
pub const TILE_SIDE: usize = 256;
/// Tiles kept per raster: 384 tiles of one band are 96 MB.
const CACHE_TILES: usize = 384;
/// Tiles read per job, so the first ones show quickly and a moved view is followed soon.
const BATCH: usize = 8;
/// Points on screen per grid cell above which the overview grid looks blocky and tiles are read.
const DETAIL_ABOVE: f64 = 1.5;

/// One band of one XYZ tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub z: u8,
    pub x: u32,
    pub y: u32,
    /// 0-based band.
    pub band: usize,
}

/// Bounds of tile `(z, x, y)` in world units (0–1, y down).
pub fn tile_rect(z: u8, x: u32, y: u32) -> WorldRect {
    let size = 1.0 / f64::from(1_u32 << z);
    WorldRect {
        min: World {
            x: f64::from(x) * size,
            y: f64::from(y) * size,
        },
        max: World {
            x: f64::from(x + 1) * size,
            y: f64::from(y + 1) * size,
        },
    }
}

/// Where a raster's tiles come from.
struct TileSource {
    path: PathBuf,
    grid: PixelGrid,
    /// World bounds of the raster, to skip tiles beside it.
    bounds: WorldRect,
}

/// The detail tiles of one raster.
#[derive(Default)]
pub struct TileCache {
    /// `None` for rasters without a file (indices, band math) or without georeferencing.
    source: Option<TileSource>,
    tiles: HashMap<TileKey, (MercatorGrid, u64)>,
    job: Option<Job<Vec<(TileKey, MercatorGrid)>>>,
    frame: u64,
    /// The user cancelled tile reading; the overview grid alone is shown until switched back on.
    pub paused: bool,
}

/// A visible tile with every band asked for.
pub struct VisibleTile {
    pub rect: WorldRect,
    pub bands: Vec<GridValues>,
}

impl TileCache {
    /// Tiles for the raster in `path`, whose overview grid covers `bounds`.
    pub fn for_file(path: &std::path::Path, bounds: WorldRect) -> anyhow::Result<Self> {
        let grid = pixel_grid(path)?;
        Ok(Self {
            source: grid.georef.is_some().then(|| TileSource {
                path: path.to_path_buf(),
                grid,
                bounds,
            }),
            ..Self::default()
        })
    }

    /// The tile zoom for a view of `points_per_world` screen points per world unit without
    /// blocky cells, or `None` when the overview grid of `grid_cells_per_world` cells per world
    /// unit is fine enough.
    fn tile_zoom(&self, points_per_world: f64, grid_cells_per_world: f64) -> Option<u8> {
        let source = self.source.as_ref()?;
        let view_zoom = (points_per_world / TILE_SIDE as f64).log2();
        if points_per_world / grid_cells_per_world <= DETAIL_ABOVE {
            return None;
        }
        // Finer than the file's own pixels is pointless.
        let world_width = (source.bounds.max.x - source.bounds.min.x).max(f64::EPSILON);
        let native = (source.grid.width as f64 / world_width / TILE_SIDE as f64)
            .log2()
            .ceil();
        Some(view_zoom.ceil().min(native).clamp(0.0, 24.0) as u8)
    }

    /// The cached tiles over `view` (world units) with all of `bands`, at the tile zoom for
    /// `points_per_world`; starts reading the missing ones. `grid_cells_per_world` is the
    /// resolution of the overview grid.
    pub fn visible(
        &mut self,
        ctx: &egui::Context,
        view: WorldRect,
        points_per_world: f64,
        grid_cells_per_world: f64,
        bands: &[usize],
    ) -> Vec<VisibleTile> {
        self.frame += 1;
        self.collect_finished();
        let Some(z) = self.tile_zoom(points_per_world, grid_cells_per_world) else {
            return Vec::new();
        };
        let Some(source) = &self.source else {
            return Vec::new();
        };
        let n = 1_u32 << z;
        let to_tile = |v: f64| ((v * f64::from(n)).floor().max(0.0) as u32).min(n - 1);
        let (lo, hi) = (
            World {
                x: view.min.x.max(source.bounds.min.x),
                y: view.min.y.max(source.bounds.min.y),
            },
            World {
                x: view.max.x.min(source.bounds.max.x),
                y: view.max.y.min(source.bounds.max.y),
            },
        );
        if lo.x >= hi.x || lo.y >= hi.y {
            return Vec::new();
        }
        let centre = view.centre();
        let mut missing = Vec::new();
        let mut shown = Vec::new();
        for y in to_tile(lo.y)..=to_tile(hi.y) {
            for x in to_tile(lo.x)..=to_tile(hi.x) {
                let keys: Vec<TileKey> = bands
                    .iter()
                    .map(|&band| TileKey { z, x, y, band })
                    .collect();
                if keys.iter().all(|k| self.tiles.contains_key(k)) {
                    shown.push(keys);
                } else {
                    missing.extend(keys.into_iter().filter(|k| !self.tiles.contains_key(k)));
                }
            }
        }
        if self.job.is_none() && !self.paused && !missing.is_empty() {
            // Nearest the centre first.
            missing.sort_by(|a, b| {
                let d = |k: &TileKey| {
                    let c = tile_rect(k.z, k.x, k.y).centre();
                    (c.x - centre.x).powi(2) + (c.y - centre.y).powi(2)
                };
                d(a).total_cmp(&d(b))
            });
            missing.truncate(BATCH);
            self.start(ctx, missing);
        }
        let frame = self.frame;
        for keys in &shown {
            for k in keys {
                if let Some(entry) = self.tiles.get_mut(k) {
                    entry.1 = frame;
                }
            }
        }
        shown
            .into_iter()
            .filter_map(|keys| {
                let bands = keys
                    .iter()
                    .map(|k| self.tiles.get(k).map(|(g, _)| g.gpu()))
                    .collect::<Option<Vec<_>>>()?;
                Some(VisibleTile {
                    rect: tile_rect(keys[0].z, keys[0].x, keys[0].y),
                    bands,
                })
            })
            .collect()
    }

    /// The running tile job, for its progress bar.
    pub fn job(&self) -> Option<&Job<Vec<(TileKey, MercatorGrid)>>> {
        self.job.as_ref()
    }

    /// Identities of the cached tiles' grids (their GPU textures are kept).
    pub fn grid_ids(&self) -> impl Iterator<Item = crate::raster::gpu::GridId> + '_ {
        self.tiles.values().map(|(g, _)| g.id)
    }

    /// The value of `band` at `w` from the finest cached tile there.
    pub fn value_at(&self, band: usize, w: World) -> Option<f32> {
        self.tiles
            .iter()
            .filter(|(k, (g, _))| {
                k.band == band
                    && (g.min.x..g.max.x).contains(&w.x)
                    && (g.min.y..g.max.y).contains(&w.y)
            })
            .max_by_key(|(k, _)| k.z)
            .and_then(|(_, (g, _))| g.value_at(w))
    }

    fn collect_finished(&mut self) {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.finish(result);
        }
    }

    fn finish(&mut self, result: anyhow::Result<Vec<(TileKey, MercatorGrid)>>) {
        self.job = None;
        match result {
            Ok(tiles) => {
                let frame = self.frame;
                self.tiles
                    .extend(tiles.into_iter().map(|(k, g)| (k, (g, frame))));
                if self.tiles.len() > CACHE_TILES {
                    let mut by_age: Vec<(u64, TileKey)> = self
                        .tiles
                        .iter()
                        .map(|(k, (_, used))| (*used, *k))
                        .collect();
                    by_age.sort_unstable_by_key(|(used, _)| *used);
                    for (_, k) in by_age.iter().take(self.tiles.len() - CACHE_TILES) {
                        self.tiles.remove(k);
                    }
                }
            }
            Err(e) if e.downcast_ref::<crate::jobs::Cancelled>().is_some() => self.paused = true,
            Err(e) => {
                log::error!("raster tiles: {e:#}");
                self.paused = true;
            }
        }
    }

    fn start(&mut self, ctx: &egui::Context, keys: Vec<TileKey>) {
        let Some(source) = &self.source else { return };
        let (path, grid) = (source.path.clone(), source.grid.clone());
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let job = Job::spawn(&format!("tiles {name}"), ctx, move |progress| {
            read_tiles(&path, &grid, &keys, progress)
        });
        match job {
            Ok(job) => self.job = Some(job),
            Err(e) => {
                log::error!("raster tiles: {e:#}");
                self.paused = true;
            }
        }
    }

    /// Waits for the running job (benchmarks and tests; the app polls instead).
    pub fn wait(&mut self) {
        while let Some(job) = &self.job {
            match job.poll() {
                Some(result) => self.finish(result),
                None => std::thread::sleep(std::time::Duration::from_millis(2)),
            }
        }
    }
}

/// Reads `keys` (tiles of one or more bands), one window per tile for all its bands.
fn read_tiles(
    path: &std::path::Path,
    grid: &PixelGrid,
    keys: &[TileKey],
    progress: &Progress,
) -> anyhow::Result<Vec<(TileKey, MercatorGrid)>> {
    let georef = grid.georef.as_ref().context("no georeferencing")?;
    let to_raster = Reprojector::wgs84_to_wkt(&georef.crs_wkt)?;
    let mut by_tile: Vec<((u8, u32, u32), Vec<usize>)> = Vec::new();
    for k in keys {
        match by_tile.iter_mut().find(|(t, _)| *t == (k.z, k.x, k.y)) {
            Some((_, bands)) => bands.push(k.band),
            None => by_tile.push(((k.z, k.x, k.y), vec![k.band])),
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    for (done, ((z, x, y), bands)) in by_tile.iter().enumerate() {
        progress.check()?;
        progress.set(
            done as f32 / by_tile.len() as f32,
            &format!("{done}/{}", by_tile.len()),
        );
        let rect = tile_rect(*z, *x, *y);
        let grids = match window_under(grid, &to_raster, rect) {
            Some(window) => {
                let indexes: Vec<usize> = bands.iter().map(|b| b + 1).collect();
                let mut read = read_window(path, &indexes, window, 2 * TILE_SIDE)?;
                to_display_values(path, &mut read);
                let sampling = MercatorSampling::over(&read[0], rect, TILE_SIDE, TILE_SIDE)?;
                read.iter().map(|b| sampling.grid(b)).collect()
            }
            None => bands
                .iter()
                .map(|_| MercatorGrid::empty(rect, TILE_SIDE))
                .collect::<Vec<_>>(),
        };
        out.extend(bands.iter().zip(grids).map(|(&band, g)| {
            (
                TileKey {
                    z: *z,
                    x: *x,
                    y: *y,
                    band,
                },
                g,
            )
        }));
    }
    Ok(out)
}

/// The file pixels under a world rectangle (its border densified and reprojected), one pixel
/// of margin; `None` when it misses the raster.
fn window_under(grid: &PixelGrid, to_raster: &Reprojector, rect: WorldRect) -> Option<Window> {
    let to_pixel = grid.georef.as_ref()?.to_pixel()?;
    let steps = 8;
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = (0..=steps)
        .flat_map(|k| {
            let t = f64::from(k) / f64::from(steps);
            let (w, e, n, s) = (rect.min.x, rect.max.x, rect.min.y, rect.max.y);
            [
                World {
                    x: w + t * (e - w),
                    y: n,
                },
                World {
                    x: w + t * (e - w),
                    y: s,
                },
                World {
                    x: w,
                    y: n + t * (s - n),
                },
                World {
                    x: e,
                    y: n + t * (s - n),
                },
            ]
        })
        .map(World::lon_lat)
        .unzip();
    to_raster.coords_in_place(&mut xs, &mut ys);
    let (mut c0, mut r0, mut c1, mut r1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in xs
        .iter()
        .zip(&ys)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
    {
        let (col, row) = to_pixel.pixel(*x, *y);
        (c0, r0, c1, r1) = (c0.min(col), r0.min(row), c1.max(col), r1.max(row));
    }
    let clamp_w = |v: f64| v.clamp(0.0, grid.width as f64) as usize;
    let clamp_h = |v: f64| v.clamp(0.0, grid.height as f64) as usize;
    let (col, row) = (clamp_w(c0.floor() - 1.0), clamp_h(r0.floor() - 1.0));
    let (col_end, row_end) = (clamp_w(c1.ceil() + 1.0), clamp_h(r1.ceil() + 1.0));
    (col_end > col && row_end > row).then_some(Window {
        col,
        row,
        width: col_end - col,
        height: row_end - row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::overlay::RasterOverlay;
    use yitu_layers::raster::{Georef, write_byte_geotiff_by_rows};

    /// Zoomed in on a 3000² raster, the visible tiles carry the file's own pixels, which the
    /// 1024² overview grid cannot.
    #[test]
    fn zoomed_in_tiles_show_full_resolution_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fine.tif");
        let georef = Georef {
            geo_transform: [106.5, 0.000_01, 0.0, 29.6, 0.0, -0.000_01],
            crs_wkt: yitu_layers::Crs::Wgs84
                .spatial_ref()
                .unwrap()
                .to_wkt()
                .unwrap(),
        };
        // Every pixel differs from its neighbours.
        let value = |r: usize, c: usize| ((r * 31 + c * 17) % 251) as u8;
        write_byte_geotiff_by_rows(&path, 3000, 3000, &georef, |r, line| {
            for (c, v) in line.iter_mut().enumerate() {
                *v = value(r, c);
            }
        })
        .unwrap();
        let mut raster = RasterOverlay::load(&path, &Progress::default()).unwrap();
        let ctx = egui::Context::default();
        // A view around pixel (row 1500, col 1200) at about 2 screen points per file pixel.
        let (lon, lat) = (106.5 + 1200.5e-5, 29.6 - 1500.5e-5);
        let at = World::from_lon_lat(lon, lat);
        let points_per_world = 2.0 * 360.0 / 1e-5;
        let half = 400.0 / points_per_world;
        let view = WorldRect {
            min: World {
                x: at.x - half,
                y: at.y - half,
            },
            max: World {
                x: at.x + half,
                y: at.y + half,
            },
        };
        let cells = raster.grid_cells_per_world();
        let bands = raster.shown_bands();
        assert!(
            raster
                .tiles
                .visible(&ctx, view, points_per_world, cells, &bands)
                .is_empty()
        );
        raster.tiles.wait();
        let tiles = raster
            .tiles
            .visible(&ctx, view, points_per_world, cells, &bands);
        assert!(!tiles.is_empty());
        assert_eq!(
            raster.tiles.value_at(0, at),
            Some(f32::from(value(1500, 1200))),
            "the file's pixel, not the overview's"
        );
        // Zoomed out to the whole raster, the grid is enough and no tiles are asked for.
        raster.tiles.wait();
        let whole = raster.bounds();
        assert!(
            raster
                .tiles
                .visible(
                    &ctx,
                    whole,
                    1000.0 / (whole.max.x - whole.min.x),
                    cells,
                    &bands
                )
                .is_empty()
        );
        assert!(raster.tiles.job().is_none());
    }

    #[test]
    fn tiles_split_the_world_in_quarters_per_zoom() {
        let r = tile_rect(1, 1, 0);
        assert!((r.min.x - 0.5).abs() < 1e-12 && (r.max.x - 1.0).abs() < 1e-12);
        assert!(r.min.y.abs() < 1e-12 && (r.max.y - 0.5).abs() < 1e-12);
        let r = tile_rect(3, 5, 2);
        assert!((r.max.x - r.min.x - 0.125).abs() < 1e-12);
    }
}
