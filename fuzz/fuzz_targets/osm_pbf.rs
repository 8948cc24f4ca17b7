#![no_main]
//! OSM PBF extracts read into a road network.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("roads.osm.pbf", data);
    let speeds = yitu_routing::network::Speeds::urban();
    let _ = yitu_routing::network::RoadNetwork::from_pbf(&path, &speeds);
});
