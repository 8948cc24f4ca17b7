#![no_main]
//! The `drone-dji` XMP tags of a DJI photo.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = yitu_imagery::photo::xmp::drone_dji_tags(data);
});
