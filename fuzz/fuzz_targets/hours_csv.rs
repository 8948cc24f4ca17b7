#![no_main]
//! Firms' own opening hours (CSV).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("hours.csv", data);
    let _ = yitu_routing::dispatch::read_hours(&path);
});
