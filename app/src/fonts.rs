//! Bundled CJK font, so Chinese renders on machines without CJK system fonts (CI, fresh Debian).
//! Droid Sans Fallback (Apache-2.0, from Debian's fonts-droid-fallback) is appended as a
//! fallback to egui's default proportional and monospace families.

use std::sync::Arc;

const DROID_SANS_FALLBACK: &[u8] = include_bytes!("../assets/DroidSansFallbackFull.ttf");

pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "droid_sans_fallback".to_owned(),
        Arc::new(egui::FontData::from_static(DROID_SANS_FALLBACK)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("droid_sans_fallback".to_owned());
    }
    ctx.set_fonts(fonts);
}
