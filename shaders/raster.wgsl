// Raster display on the map: one band through a palette lookup table with an isotherm
// highlight, or three bands as an RGB composite, each with a linear stretch.
//
// Values arrive unchanged as 32-bit float textures, so changing the palette, the stretch, the
// isotherm threshold or the opacity only changes `Params`: a slider drag re-uploads 80 bytes,
// never the raster.

struct Params {
    // The drawn rectangle's corners in the raster's texture coordinates: min.xy, max.xy.
    uv: vec4<f32>,
    // Per channel (r, g, b; one band uses r): value at the palette's cold end.
    low: vec4<f32>,
    // Per channel: 1 / (high - low).
    inv_span: vec4<f32>,
    // Colour of pixels at or above the isotherm (straight alpha).
    isotherm_color: vec4<f32>,
    // x: 0 = palette, 1 = RGB; y: isotherm threshold; z: 1 when the isotherm is on; w: opacity.
    settings: vec4<f32>,
};

// Values this low mark "no data" (NaN is unreliable in shaders; uploads replace it).
const NO_DATA_BELOW: f32 = -1.0e37;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var band_r: texture_2d<f32>;
@group(0) @binding(2) var band_g: texture_2d<f32>;
@group(0) @binding(3) var band_b: texture_2d<f32>;
// 256 × 1 palette, coldest first.
@group(0) @binding(4) var palette: texture_2d<f32>;

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

// A quad over the whole viewport as a 4-vertex triangle strip, without vertex buffers.
@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> VertexOut {
    let corner = vec2<f32>(f32(index & 1u), f32(index >> 1u));
    var out: VertexOut;
    out.position = vec4<f32>(corner.x * 2.0 - 1.0, 1.0 - corner.y * 2.0, 0.0, 1.0);
    out.uv = mix(params.uv.xy, params.uv.zw, corner);
    return out;
}

fn fetch(band: texture_2d<f32>, uv: vec2<f32>) -> f32 {
    let size = vec2<i32>(textureDimensions(band));
    let texel = clamp(vec2<i32>(floor(uv * vec2<f32>(size))), vec2<i32>(0, 0), size - vec2<i32>(1, 1));
    return textureLoad(band, texel, 0).x;
}

fn stretched(value: f32, channel: i32) -> f32 {
    return clamp((value - params.low[channel]) * params.inv_span[channel], 0.0, 1.0);
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let r = fetch(band_r, in.uv);
    var color: vec3<f32>;
    if params.settings.x < 0.5 {
        if r < NO_DATA_BELOW {
            discard;
        }
        if params.settings.z > 0.5 && r >= params.settings.y {
            color = params.isotherm_color.rgb;
        } else {
            let index = i32(round(stretched(r, 0) * 255.0));
            color = textureLoad(palette, vec2<i32>(index, 0), 0).rgb;
        }
    } else {
        let g = fetch(band_g, in.uv);
        let b = fetch(band_b, in.uv);
        if r < NO_DATA_BELOW || g < NO_DATA_BELOW || b < NO_DATA_BELOW {
            discard;
        }
        color = vec3<f32>(stretched(r, 0), stretched(g, 1), stretched(b, 2));
    }
    // egui blends premultiplied colours.
    let alpha = params.settings.w;
    return vec4<f32>(color * alpha, alpha);
}
