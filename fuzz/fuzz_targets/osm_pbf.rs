#![no_main]
//! OSM PBF extracts read into roads and prepared as a network.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("roads.osm.pbf", data);
    let speeds = yitu_routing::network::Speeds::urban();
    if let Ok(roads) = yitu_routing::network::Roads::from_pbf(&path, &speeds) {
        let _ = yitu_routing::network::RoadNetwork::prepare(roads);
    }
});
