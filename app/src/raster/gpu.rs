//! Rasters drawn on the GPU by `shaders/raster.wgsl` (translated to GLSL by `yitu-shaders`)
//! inside egui's glow renderer, through paint callbacks.
//!
//! Band values are uploaded once per grid as 32-bit float textures; palette, stretch, isotherm
//! and opacity are uniforms. Dragging the isotherm slider over a 1024² thermal mosaic therefore
//! costs one 80-byte uniform upload per frame, not a re-colouring of a million pixels.
//!
//! Renderers without glow (the headless test harness, benchmarks) ignore the callbacks.
#![expect(
    unsafe_code,
    reason = "glow's OpenGL calls are unsafe; each one here is a plain GL call made on egui's \
              context, on the thread that paints, with handles this module created"
)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use eframe::egui_glow;
use eframe::glow::{self, HasContext as _};
use yitu_imagery::thermal::palette::Palette;
use yitu_shaders::{GlslTarget, RASTER_PARAMS_BYTES, raster_binding};

/// Identifies one uploaded grid of values (a raster band on the map grid, or a detail tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GridId(u64);

impl GridId {
    /// A new identity; ids are never reused, so a stale texture never shows for a new grid.
    pub fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// Values of one band on a regular grid, row 0 north; NaN where there is no data.
#[derive(Clone)]
pub struct GridValues {
    pub id: GridId,
    pub width: usize,
    pub height: usize,
    pub values: Arc<[f32]>,
}

/// Stored in place of NaN on upload; the shader treats anything below -1e37 as no data.
const NO_DATA: f32 = -3.0e38;

/// How one raster (or tile) is coloured: the shader's `Params` plus its textures.
#[derive(Clone)]
pub struct RasterDraw {
    /// One band (palette) or three (red, green, blue).
    pub bands: Vec<GridValues>,
    pub palette: Palette,
    /// Per channel value range mapped to 0..1.
    pub ranges: [(f32, f32); 3],
    /// Isotherm threshold and colour (palette display only).
    pub isotherm: Option<(f32, egui::Color32)>,
    pub opacity: f32,
    /// The part of the grid drawn: texture coordinates of the drawn rectangle's corners.
    pub uv: egui::Rect,
}

impl RasterDraw {
    /// Texture coordinates of a whole grid.
    pub const WHOLE: egui::Rect = egui::Rect {
        min: egui::Pos2::ZERO,
        max: egui::Pos2 { x: 1.0, y: 1.0 },
    };

    /// The `Params` uniform block, laid out as five `vec4<f32>` (std140 = WGSL uniform layout).
    fn params(&self) -> [f32; RASTER_PARAMS_BYTES / 4] {
        let mut p = [0.0; RASTER_PARAMS_BYTES / 4];
        p[..4].copy_from_slice(&[self.uv.min.x, self.uv.min.y, self.uv.max.x, self.uv.max.y]);
        for (c, (lo, hi)) in self.ranges.iter().enumerate() {
            p[4 + c] = *lo;
            p[8 + c] = 1.0 / (hi - lo).max(f32::EPSILON);
        }
        let (threshold, color) = self.isotherm.unwrap_or((0.0, egui::Color32::TRANSPARENT));
        p[12..16].copy_from_slice(&color.to_normalized_gamma_f32());
        let rgb = if self.bands.len() >= 3 { 1.0 } else { 0.0 };
        let on = if self.isotherm.is_some() { 1.0 } else { 0.0 };
        p[16..20].copy_from_slice(&[rgb, threshold, on, self.opacity]);
        p
    }
}

/// The shader program and the textures it draws with, shared with the paint callbacks.
#[derive(Clone, Default)]
pub struct GpuRasters {
    shared: Arc<Mutex<Shared>>,
}

#[derive(Default)]
struct Shared {
    /// Compiled on the first paint (it needs the GL context); an error is kept and logged once.
    program: Option<Result<Program, String>>,
    bands: HashMap<GridId, glow::Texture>,
    palettes: HashMap<Palette, glow::Texture>,
    /// Grids no longer shown anywhere: their textures are deleted at the next paint.
    released: Vec<GridId>,
}

struct Program {
    linked: glow::Program,
    vertex_array: glow::VertexArray,
    params: glow::Buffer,
}

impl GpuRasters {
    /// Adds a shape that draws `draw` into `rect` (screen points) when egui paints.
    pub fn shape(&self, rect: egui::Rect, draw: RasterDraw) -> egui::Shape {
        let shared = Arc::clone(&self.shared);
        let callback = egui_glow::CallbackFn::new(move |_info, painter| {
            let mut shared = shared
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            shared.paint(painter.gl(), &draw);
        });
        egui::Shape::Callback(egui::PaintCallback {
            rect,
            callback: Arc::new(callback),
        })
    }

    /// Keeps the textures of `live` grids; the others are freed at the next paint.
    pub fn retain(&self, live: &std::collections::HashSet<GridId>) {
        let mut shared = self
            .shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stale: Vec<GridId> = shared
            .bands
            .keys()
            .filter(|id| !live.contains(id))
            .copied()
            .collect();
        shared.released.extend(stale);
    }

    /// The shader could not be built on this GPU (shown to the user once).
    pub fn error(&self) -> Option<String> {
        let shared = self
            .shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        shared.program.as_ref()?.as_ref().err().cloned()
    }
}

impl Shared {
    fn paint(&mut self, gl: &glow::Context, draw: &RasterDraw) {
        for id in std::mem::take(&mut self.released) {
            if let Some(t) = self.bands.remove(&id) {
                unsafe { gl.delete_texture(t) };
            }
        }
        let program = self.program.get_or_insert_with(|| {
            Program::new(gl).inspect_err(|e| log::error!("raster shader: {e}"))
        });
        let Ok(program) = program else { return };
        let (program_id, vertex_array, params_buffer) =
            (program.linked, program.vertex_array, program.params);
        let Some(first) = draw.bands.first() else {
            return;
        };
        let mut textures = Vec::with_capacity(3);
        for band in draw.bands.iter().chain(std::iter::repeat(first)).take(3) {
            let texture = match self.bands.get(&band.id) {
                Some(&t) => t,
                None => match upload_band(gl, band) {
                    Ok(t) => *self.bands.entry(band.id).or_insert(t),
                    Err(e) => {
                        log::error!("raster texture: {e}");
                        return;
                    }
                },
            };
            textures.push(texture);
        }
        let palette = match self.palettes.get(&draw.palette) {
            Some(&t) => t,
            None => match upload_palette(gl, draw.palette) {
                Ok(t) => *self.palettes.entry(draw.palette).or_insert(t),
                Err(e) => {
                    log::error!("palette texture: {e}");
                    return;
                }
            },
        };
        let params: Vec<u8> = draw.params().iter().flat_map(|v| v.to_ne_bytes()).collect();
        unsafe {
            gl.use_program(Some(program_id));
            gl.bind_vertex_array(Some(vertex_array));
            gl.bind_buffer(glow::UNIFORM_BUFFER, Some(params_buffer));
            gl.buffer_data_u8_slice(glow::UNIFORM_BUFFER, &params, glow::DYNAMIC_DRAW);
            gl.bind_buffer_base(
                glow::UNIFORM_BUFFER,
                raster_binding::PARAMS,
                Some(params_buffer),
            );
            for (unit, texture) in [
                (raster_binding::BAND_R, textures[0]),
                (raster_binding::BAND_G, textures[1]),
                (raster_binding::BAND_B, textures[2]),
                (raster_binding::PALETTE, palette),
            ] {
                gl.active_texture(glow::TEXTURE0 + unit);
                gl.bind_texture(glow::TEXTURE_2D, Some(texture));
            }
            gl.draw_arrays(glow::TRIANGLE_STRIP, 0, 4);
            gl.bind_vertex_array(None);
            gl.active_texture(glow::TEXTURE0);
        }
    }
}

impl Program {
    fn new(gl: &glow::Context) -> Result<Self, String> {
        let target = if gl.version().is_embedded {
            GlslTarget::Es300
        } else {
            GlslTarget::Desktop330
        };
        let glsl = yitu_shaders::raster_glsl(target).map_err(|e| e.to_string())?;
        unsafe {
            let program = gl.create_program()?;
            let mut shaders = Vec::new();
            for (kind, source) in [
                (glow::VERTEX_SHADER, &glsl.vertex),
                (glow::FRAGMENT_SHADER, &glsl.fragment),
            ] {
                let shader = gl.create_shader(kind)?;
                gl.shader_source(shader, source);
                gl.compile_shader(shader);
                if !gl.get_shader_compile_status(shader) {
                    return Err(format!(
                        "the GPU's GLSL compiler refused the shader: {}",
                        gl.get_shader_info_log(shader)
                    ));
                }
                gl.attach_shader(program, shader);
                shaders.push(shader);
            }
            gl.link_program(program);
            for shader in shaders {
                gl.detach_shader(program, shader);
                gl.delete_shader(shader);
            }
            if !gl.get_program_link_status(program) {
                return Err(format!(
                    "the raster shader does not link: {}",
                    gl.get_program_info_log(program)
                ));
            }
            for (name, binding) in &glsl.uniform_blocks {
                if let Some(index) = gl.get_uniform_block_index(program, name) {
                    gl.uniform_block_binding(program, index, *binding);
                }
            }
            gl.use_program(Some(program));
            for (name, binding) in &glsl.samplers {
                if let Some(location) = gl.get_uniform_location(program, name) {
                    gl.uniform_1_i32(Some(&location), *binding as i32);
                }
            }
            Ok(Self {
                linked: program,
                vertex_array: gl.create_vertex_array()?,
                params: gl.create_buffer()?,
            })
        }
    }
}

fn new_texture(gl: &glow::Context) -> Result<glow::Texture, String> {
    unsafe {
        let t = gl.create_texture()?;
        gl.bind_texture(glow::TEXTURE_2D, Some(t));
        for (param, value) in [
            (glow::TEXTURE_MIN_FILTER, glow::NEAREST),
            (glow::TEXTURE_MAG_FILTER, glow::NEAREST),
            (glow::TEXTURE_WRAP_S, glow::CLAMP_TO_EDGE),
            (glow::TEXTURE_WRAP_T, glow::CLAMP_TO_EDGE),
        ] {
            gl.tex_parameter_i32(glow::TEXTURE_2D, param, value as i32);
        }
        Ok(t)
    }
}

fn upload_band(gl: &glow::Context, band: &GridValues) -> Result<glow::Texture, String> {
    let bytes: Vec<u8> = band
        .values
        .iter()
        .flat_map(|&v| if v.is_finite() { v } else { NO_DATA }.to_ne_bytes())
        .collect();
    let t = new_texture(gl)?;
    unsafe {
        gl.pixel_store_i32(glow::UNPACK_ALIGNMENT, 4);
        gl.tex_image_2d(
            glow::TEXTURE_2D,
            0,
            glow::R32F as i32,
            band.width as i32,
            band.height as i32,
            0,
            glow::RED,
            glow::FLOAT,
            glow::PixelUnpackData::Slice(Some(&bytes)),
        );
    }
    Ok(t)
}

fn upload_palette(gl: &glow::Context, palette: Palette) -> Result<glow::Texture, String> {
    let bytes: Vec<u8> = palette
        .lut()
        .into_iter()
        .flat_map(|[r, g, b]| [r, g, b, 255])
        .collect();
    let t = new_texture(gl)?;
    unsafe {
        gl.pixel_store_i32(glow::UNPACK_ALIGNMENT, 1);
        gl.tex_image_2d(
            glow::TEXTURE_2D,
            0,
            glow::RGBA8 as i32,
            256,
            1,
            0,
            glow::RGBA,
            glow::UNSIGNED_BYTE,
            glow::PixelUnpackData::Slice(Some(&bytes)),
        );
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_follow_the_shader_layout() {
        let band = GridValues {
            id: GridId::fresh(),
            width: 1,
            height: 1,
            values: Arc::from([1.0_f32]),
        };
        let draw = RasterDraw {
            bands: vec![band],
            palette: Palette::Ironbow,
            ranges: [(10.0, 30.0); 3],
            isotherm: Some((25.0, egui::Color32::RED)),
            opacity: 0.5,
            uv: egui::Rect::from_min_max(egui::pos2(0.25, 0.0), egui::pos2(1.0, 0.5)),
        };
        let p = draw.params();
        assert_eq!(&p[..4], &[0.25, 0.0, 1.0, 0.5]);
        assert!((p[4] - 10.0).abs() < 1e-7);
        assert!((p[8] - 0.05).abs() < 1e-7);
        assert_eq!(&p[12..16], &[1.0, 0.0, 0.0, 1.0]);
        assert_eq!(
            &p[16..20],
            &[0.0, 25.0, 1.0, 0.5],
            "palette mode, isotherm on"
        );
        assert_ne!(GridId::fresh(), GridId::fresh());
    }
}
