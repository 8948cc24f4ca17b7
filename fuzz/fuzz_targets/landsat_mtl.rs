#![no_main]
//! A Landsat MTL: TIRS constants and the product a band's values are read as.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(mtl) = std::str::from_utf8(data) else {
        return;
    };
    for band in ["B10", "B11", "ST_B10"] {
        let _ = yitu_imagery::thermal::landsat::Product::from_mtl(mtl, band);
    }
    let _ = yitu_imagery::thermal::landsat::tirs_constants(mtl, 10);
    // The same text as an MTL beside band 7, read as a SWIR scene.
    let (dir, path) = yitu_fuzz::as_file("LC08_L1TP_X_MTL.txt", data);
    let product = yitu_imagery::detect::swir::Product::of(&path);
    if let Some(p) = product {
        let _ = yitu_imagery::detect::swir::SwirScene::read(&p);
    }
    drop(dir);
});
