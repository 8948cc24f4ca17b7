//! What lies under the vector layers: the rasters (GPU-drawn, tiled in detail when zoomed in)
//! and, for frames walkers does not draw (the presenter's second screen), the basemap tiles.

use egui::{Color32, Mesh, Rect, Shape, Stroke};

use super::render::{FrameCtx, ScreenFromWorld};
use super::world::{World, WorldRect};
use crate::raster::gpu::{GpuRasters, RasterDraw};
use crate::raster::overlay::RasterOverlay;

/// Appends the visible rasters, bottom first. With `swipe`, the top raster shows only left of
/// that fraction of the frame's width, and the swipe line is drawn.
pub fn raster_shapes(
    out: &mut Vec<Shape>,
    gpu: &GpuRasters,
    rasters: &mut [RasterOverlay],
    frame: &FrameCtx<'_>,
    swipe: Option<f32>,
) {
    let screen = frame.screen;
    let ctx = frame.painter.ctx();
    let top = rasters.iter().rposition(|r| r.visible);
    let view = frame.t.world_rect(screen);
    for (i, raster) in rasters.iter_mut().enumerate().filter(|(_, r)| r.visible) {
        let mut shown = screen;
        if let (Some(f), true) = (swipe, Some(i) == top) {
            // Crop the top raster at the swipe line.
            shown.max.x = shown.max.x.min(screen.left() + f * screen.width());
        }
        let grid_rect = raster.bounds();
        raster_shape(
            out,
            gpu,
            frame,
            shown,
            grid_rect,
            raster.draw(raster.shown_grids()),
        );
        let bands = raster.shown_bands();
        let (points_per_world, cells) = (frame.t.scale, raster.grid_cells_per_world());
        let tiles = raster
            .tiles
            .visible(ctx, view, points_per_world, cells, &bands);
        for tile in tiles {
            let draw = raster.draw(tile.bands);
            raster_shape(out, gpu, frame, shown, tile.rect, draw);
        }
    }
    if let Some(f) = swipe {
        let x = screen.left() + f * screen.width();
        out.push(Shape::line_segment(
            [egui::pos2(x, screen.top()), egui::pos2(x, screen.bottom())],
            Stroke::new(2.0, crate::theme::HIGHLIGHT),
        ));
    }
}

/// Adds the GPU shape drawing `draw` (made for the whole of `rect`, in world units) where
/// `rect` meets `clip` on screen. Only the shown part is drawn, with its texture coordinates,
/// so a deep zoom never asks the GPU for a viewport larger than the screen.
fn raster_shape(
    out: &mut Vec<Shape>,
    gpu: &GpuRasters,
    frame: &FrameCtx<'_>,
    clip: Rect,
    rect: WorldRect,
    mut draw: RasterDraw,
) {
    let full = Rect::from_two_pos(frame.t.screen(rect.min), frame.t.screen(rect.max));
    let shown = full.intersect(clip);
    if !shown.is_positive() {
        return;
    }
    let uv = |p: egui::Pos2| {
        egui::pos2(
            (p.x - full.left()) / full.width(),
            (p.y - full.top()) / full.height(),
        )
    };
    draw.uv = Rect::from_min_max(uv(shown.min), uv(shown.max));
    out.push(gpu.shape(shown, draw));
}

/// Appends the basemap tiles covering `screen` at the zoom whose tiles show at about their
/// own size, as walkers would pick. Tiles not loaded yet are asked for (the source repaints
/// when they arrive) and meanwhile drawn from a coarser one where the source has it.
pub fn basemap_shapes(
    out: &mut Vec<Shape>,
    tiles: &mut dyn walkers::Tiles,
    t: &ScreenFromWorld,
    screen: Rect,
) {
    let size = f64::from(tiles.tile_size().max(1));
    let zoom = (t.scale / size).log2().round().clamp(0.0, 19.0);
    let n = 2f64.powf(zoom);
    let view = t.world_rect(screen);
    let range = |a: f64, b: f64| {
        let first = (a.min(b) * n).floor().max(0.0) as u32;
        let last = ((a.max(b) * n).ceil().min(n) as u32).max(first);
        first..last
    };
    for y in range(view.min.y, view.max.y) {
        for x in range(view.min.x, view.max.x) {
            let id = walkers::TileId {
                x,
                y,
                zoom: zoom as u8,
            };
            let Some(piece) = tiles.at(id) else { continue };
            let walkers::Tile::Raster(texture) = &piece.tile;
            let corner = |dx: u32, dy: u32| {
                t.screen(World {
                    x: f64::from(x + dx) / n,
                    y: f64::from(y + dy) / n,
                })
            };
            let mut mesh = Mesh::with_texture(texture.id());
            mesh.add_rect_with_uv(
                Rect::from_min_max(corner(0, 0), corner(1, 1)),
                piece.uv,
                Color32::WHITE,
            );
            out.push(Shape::mesh(mesh));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tile source that hands out one blank texture and remembers what was asked of it.
    struct Recorder {
        asked: Vec<walkers::TileId>,
        texture: egui::TextureHandle,
    }

    impl walkers::Tiles for Recorder {
        fn at(&mut self, id: walkers::TileId) -> Option<walkers::TilePiece> {
            self.asked.push(id);
            Some(walkers::TilePiece::new(
                walkers::Tile::Raster(self.texture.clone()),
                Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
            ))
        }

        fn attribution(&self) -> walkers::sources::Attribution {
            walkers::sources::Attribution {
                text: "test",
                url: "",
                logo_light: None,
                logo_dark: None,
            }
        }

        fn tile_size(&self) -> u32 {
            256
        }
    }

    #[test]
    fn basemap_tiles_cover_the_frame_at_their_own_size() {
        let ctx = egui::Context::default();
        let texture = ctx.load_texture(
            "t",
            egui::ColorImage::example(),
            egui::TextureOptions::default(),
        );
        let mut tiles = Recorder {
            asked: Vec::new(),
            texture,
        };
        let screen = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0));
        // Chongqing at zoom 10.3: a world 256 · 2^10.3 points wide.
        let scale = 256.0 * 2f64.powf(10.3);
        let centre = World::from_lon_lat(106.55, 29.57);
        let t = ScreenFromWorld {
            scale,
            offset_x: 960.0 - centre.x * scale,
            offset_y: 540.0 - centre.y * scale,
            zoom: 10.3,
        };
        let mut out = Vec::new();
        basemap_shapes(&mut out, &mut tiles, &t, screen);
        assert!(tiles.asked.iter().all(|id| id.zoom == 10));
        assert_eq!(out.len(), tiles.asked.len());
        // Each tile 256 · 2^0.3 ≈ 315 points: 7–8 across, 4–5 down.
        assert!((28..=9 * 6).contains(&out.len()), "{} tiles", out.len());
        let covered = out
            .iter()
            .map(Shape::visual_bounding_rect)
            .reduce(Rect::union)
            .unwrap_or(Rect::NOTHING);
        assert!(covered.contains_rect(screen), "{covered:?}");
        for s in &out {
            let side = s.visual_bounding_rect().width();
            assert!((side - 315.2).abs() < 1.0, "{side}");
        }
    }
}
