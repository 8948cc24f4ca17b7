#![no_main]
//! FLIR FFF records inside an R-JPEG's APP1 segments.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = yitu_imagery::thermal::flir::FlirImage::from_jpeg(data);
});
