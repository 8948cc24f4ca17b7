#![no_main]
//! FLIR FFF records inside an R-JPEG's APP1 segments.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = yitu_analysis::thermal::flir::FlirImage::from_jpeg(data);
});
