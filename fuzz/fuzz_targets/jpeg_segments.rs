#![no_main]
//! JPEG marker segments, whole and from a file's first bytes, and the frame size.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(segments) = yitu_analysis::jpeg::segments(data) {
        let _ = yitu_analysis::jpeg::dimensions(&segments);
    }
    let leading = yitu_analysis::jpeg::leading_segments(data);
    let _ = yitu_analysis::jpeg::dimensions(&leading);
});
