#![no_main]
//! Firms locked to a team and day (CSV).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("locks.csv", data);
    let _ = yitu_routing::dispatch::read_locks(&path);
});
