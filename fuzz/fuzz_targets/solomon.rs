#![no_main]
//! VRPTW instances in Solomon's text format.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = yitu_routing::solomon::SolomonInstance::parse(text);
    }
});
