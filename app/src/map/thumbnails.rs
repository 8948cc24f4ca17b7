//! Photo thumbnails on the map: each photo footprint shows its photo's embedded preview (the
//! EXIF thumbnail, read from the file's first 64 KiB) at the footprint's centre once the map is
//! zoomed in far enough to tell the photos apart.

use geo::Centroid as _;
use yitu_layers::Layer;

use super::world::World;

/// Map zoom from which thumbnails show (a 100 m footprint is then about 60 points wide).
pub const FROM_ZOOM: f64 = 16.0;
/// Width of a thumbnail on the map, points.
pub(super) const WIDTH: f32 = 72.0;
/// Longest side kept in memory, pixels (500 photos stay under 20 MB).
const MAX_SIDE: u32 = 160;

/// One photo's preview, placed at its footprint's centre.
pub struct Thumbnail {
    pub feature: usize,
    pub at: World,
    pub(super) image: Option<egui::ColorImage>,
    pub(super) texture: Option<egui::TextureHandle>,
    pub(super) aspect: f32,
}

/// The previews of a layer's photos: features with a `path` attribute naming a JPEG that embeds
/// one. Photos without a preview, or that cannot be read, are simply left out: their footprint
/// is still drawn, and the file's problem was reported when its pose was read.
pub fn read_for_layer(layer: &Layer) -> Vec<Thumbnail> {
    let Some(path_field) = layer.field_index("path") else {
        return Vec::new();
    };
    layer
        .features
        .iter()
        .enumerate()
        .filter_map(|(feature, f)| {
            let path = std::path::Path::new(f.values.get(path_field)?.as_str()?);
            if !yitu_imagery::jpeg::is_jpeg_path(path) {
                return None;
            }
            let centre = f.geometry.as_ref()?.centroid()?;
            let jpeg = yitu_imagery::photo::embedded_thumbnail(path).ok()??;
            let decoded = image::load_from_memory(&jpeg)
                .ok()?
                .thumbnail(MAX_SIDE, MAX_SIDE)
                .to_rgba8();
            let (w, h) = decoded.dimensions();
            Some(Thumbnail {
                feature,
                at: World::from_lon_lat(centre.x(), centre.y()),
                image: Some(egui::ColorImage::from_rgba_unmultiplied(
                    [w as usize, h as usize],
                    decoded.as_raw(),
                )),
                texture: None,
                aspect: h as f32 / w.max(1) as f32,
            })
        })
        .collect()
}
