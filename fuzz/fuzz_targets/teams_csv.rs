#![no_main]
//! The dispatcher's teams CSV.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("teams.csv", data);
    let _ = yitu_routing::dispatch::read_teams(&path);
});
