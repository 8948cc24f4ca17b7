#![no_main]
//! A drone photo: EXIF (kamadak-exif), the DJI XMP pose, and the embedded EXIF preview.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("DJI_0001.JPG", data);
    let _ = yitu_imagery::photo::DronePhoto::read(&path);
    let _ = yitu_imagery::photo::embedded_thumbnail(&path);
});
