#![no_main]
//! Sentinel-2 product metadata (`MTD_MSIL1C.xml`): reflectance scaling of a band file, and the
//! SWIR scene's radiance constants.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (dir, metadata) = yitu_fuzz::as_file("MTD_MSIL1C.xml", data);
    let band = dir.path().join("GRANULE/L1C_T48RXT/IMG_DATA/T48RXT_20240101_B12.jp2");
    let _ = yitu_imagery::sentinel2::reflectance_scale(&band);
    if let Some(p) = yitu_imagery::detect::swir::Product::of(&metadata) {
        let _ = yitu_imagery::detect::swir::SwirScene::read(&p);
    }
});
