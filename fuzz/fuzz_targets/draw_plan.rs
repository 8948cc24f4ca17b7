#![no_main]
//! The draw's plan TOML.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = yitu_draw::plan::Plan::parse(text, "plan.toml");
    }
});
