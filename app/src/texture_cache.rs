//! A texture kept until what it was made from changes, so views upload pixels only when their
//! settings (palette, stretch, ...) change, not every frame.

/// One cached texture and the key it was made for.
pub struct CachedTexture<K> {
    slot: Option<(K, egui::TextureHandle)>,
}

impl<K> Default for CachedTexture<K> {
    fn default() -> Self {
        Self { slot: None }
    }
}

impl<K: PartialEq> CachedTexture<K> {
    /// The texture for `key`, made (named `name`) from `image()` only when the key changed.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        key: K,
        name: impl FnOnce() -> String,
        image: impl FnOnce() -> egui::ColorImage,
    ) -> egui::TextureHandle {
        if let Some((k, t)) = &self.slot
            && *k == key
        {
            return t.clone();
        }
        let handle = ctx.load_texture(name(), image(), egui::TextureOptions::NEAREST);
        self.slot = Some((key, handle.clone()));
        handle
    }
}

/// RGBA pixels as an egui image.
pub fn rgba_image(size: [usize; 2], pixels: Vec<[u8; 4]>) -> egui::ColorImage {
    let bytes: Vec<u8> = pixels.into_iter().flatten().collect();
    egui::ColorImage::from_rgba_unmultiplied(size, &bytes)
}
