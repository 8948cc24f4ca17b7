//! The WGSL shaders of the map's raster display, checked with naga and translated to GLSL.
//!
//! The shaders are written once, in WGSL, so they serve a wgpu renderer as they are. The app
//! draws with eframe's glow (OpenGL) renderer, which builds faster and runs under Xvfb with
//! Mesa; for it, naga translates each entry point to GLSL and reports the names under which
//! the uniform block and the textures must be bound.

use naga::back::glsl;

/// Raster display: palette with isotherm, or RGB composite (see the file's comments).
pub const RASTER_WGSL: &str = include_str!("../raster.wgsl");

/// Bytes of the raster shader's `Params` uniform block: five `vec4<f32>`.
pub const RASTER_PARAMS_BYTES: usize = 5 * 16;

/// Binding numbers of the raster shader's textures, as declared in the WGSL.
pub mod raster_binding {
    pub const PARAMS: u32 = 0;
    pub const BAND_R: u32 = 1;
    pub const BAND_G: u32 = 2;
    pub const BAND_B: u32 = 3;
    pub const PALETTE: u32 = 4;
}

#[derive(Debug, thiserror::Error)]
pub enum ShaderError {
    #[error("WGSL does not parse: {0}")]
    Parse(String),
    #[error("WGSL does not validate: {0}")]
    Validate(String),
    #[error("cannot write GLSL for {entry_point}: {error}")]
    Glsl {
        entry_point: &'static str,
        error: glsl::Error,
    },
}

/// Which GLSL dialect the running OpenGL context takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlslTarget {
    /// Desktop OpenGL 3.3 core (`#version 330 core`).
    Desktop330,
    /// OpenGL ES 3.0 (`#version 300 es`).
    Es300,
}

/// A vertex and fragment shader in GLSL, with where to bind each resource by name (GLSL 3.30
/// and ES 3.00 have no binding qualifiers, so bindings are set from the program).
#[derive(Debug, Clone)]
pub struct GlslProgram {
    pub vertex: String,
    pub fragment: String,
    /// Uniform block name → WGSL binding number (one block per stage that uses it).
    pub uniform_blocks: Vec<(String, u32)>,
    /// Sampler uniform name → WGSL binding number (used as the texture unit).
    pub samplers: Vec<(String, u32)>,
}

/// Parses and validates the raster shader, then writes it as GLSL for `target`.
pub fn raster_glsl(target: GlslTarget) -> Result<GlslProgram, ShaderError> {
    translate(RASTER_WGSL, target, "vs_main", "fs_main")
}

fn translate(
    wgsl: &str,
    target: GlslTarget,
    vertex: &'static str,
    fragment: &'static str,
) -> Result<GlslProgram, ShaderError> {
    let module = naga::front::wgsl::parse_str(wgsl)
        .map_err(|e| ShaderError::Parse(e.emit_to_string(wgsl)))?;
    let info = naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::empty(),
    )
    .validate(&module)
    .map_err(|e| ShaderError::Validate(e.emit_to_string(wgsl)))?;
    let options = glsl::Options {
        version: match target {
            GlslTarget::Desktop330 => glsl::Version::Desktop(330),
            GlslTarget::Es300 => glsl::Version::new_gles(300),
        },
        // The WGSL is written for OpenGL's clip space already (y up); only z needs no care.
        writer_flags: glsl::WriterFlags::empty(),
        ..glsl::Options::default()
    };
    let mut program = GlslProgram {
        vertex: String::new(),
        fragment: String::new(),
        uniform_blocks: Vec::new(),
        samplers: Vec::new(),
    };
    for (stage, entry_point) in [
        (naga::ShaderStage::Vertex, vertex),
        (naga::ShaderStage::Fragment, fragment),
    ] {
        let pipeline = glsl::PipelineOptions {
            shader_stage: stage,
            entry_point: entry_point.to_owned(),
            multiview: None,
        };
        let mut source = String::new();
        let glsl_error = |error| ShaderError::Glsl { entry_point, error };
        let reflection = glsl::Writer::new(
            &mut source,
            &module,
            &info,
            &options,
            &pipeline,
            naga::proc::BoundsCheckPolicies::default(),
        )
        .map_err(glsl_error)?
        .write()
        .map_err(glsl_error)?;
        let binding = |handle: naga::Handle<naga::GlobalVariable>| {
            module.global_variables[handle]
                .binding
                .as_ref()
                .map_or(0, |b| b.binding)
        };
        for (handle, name) in reflection.uniforms {
            push_unique(&mut program.uniform_blocks, (name, binding(handle)));
        }
        for (name, mapping) in reflection.texture_mapping {
            push_unique(&mut program.samplers, (name, binding(mapping.texture)));
        }
        match stage {
            naga::ShaderStage::Vertex => program.vertex = source,
            _ => program.fragment = source,
        }
    }
    program.uniform_blocks.sort_by_key(|(_, b)| *b);
    program.samplers.sort_by_key(|(_, b)| *b);
    Ok(program)
}

fn push_unique(list: &mut Vec<(String, u32)>, item: (String, u32)) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raster_shader_translates_for_desktop_and_es() {
        for target in [GlslTarget::Desktop330, GlslTarget::Es300] {
            let p = raster_glsl(target).unwrap();
            assert!(p.vertex.starts_with("#version"), "{}", p.vertex);
            assert!(p.fragment.contains("texelFetch"), "{}", p.fragment);
            // One block per stage (naga names them apart), both on the `Params` binding.
            assert!(!p.uniform_blocks.is_empty());
            assert!(
                p.uniform_blocks
                    .iter()
                    .all(|(_, b)| *b == raster_binding::PARAMS),
                "{:?}",
                p.uniform_blocks
            );
            let bindings: Vec<u32> = p.samplers.iter().map(|(_, b)| *b).collect();
            assert_eq!(
                bindings,
                [
                    raster_binding::BAND_R,
                    raster_binding::BAND_G,
                    raster_binding::BAND_B,
                    raster_binding::PALETTE
                ]
            );
        }
    }

    #[test]
    fn a_broken_shader_is_reported_not_panicked_on() {
        let e = translate("fn broken(", GlslTarget::Desktop330, "vs", "fs").unwrap_err();
        assert!(matches!(e, ShaderError::Parse(_)), "{e}");
    }
}
