#![no_main]
//! The prepared road network file (`.yitu-roads`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("roads.yitu-roads", data);
    let _ = yitu_routing::network::RoadNetwork::load(&path);
});
