#![no_main]
//! JPEG marker segments, whole and from a file's first bytes, and the frame size.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(segments) = yitu_imagery::jpeg::segments(data) {
        let _ = yitu_imagery::jpeg::dimensions(&segments);
    }
    let leading = yitu_imagery::jpeg::leading_segments(data);
    let _ = yitu_imagery::jpeg::dimensions(&leading);
});
