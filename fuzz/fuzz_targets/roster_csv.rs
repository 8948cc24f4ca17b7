#![no_main]
//! The inspectors' roster CSV.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = yitu_draw::roster::parse_csv(data, "roster.csv");
});
