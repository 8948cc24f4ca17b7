//! Cross-crate tests live in `tests/tests/`; this library holds their shared fixtures.

use std::path::PathBuf;

pub mod postgres;

/// A file from the shared real-data folder beside the checkout, if present (`../shared/data`).
/// Tests that need one print why they skip when it is absent; in CI (`CI` set), where the
/// folder is always laid beside the clone, its absence fails the test instead.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(relative);
    assert!(
        p.exists() || std::env::var_os("CI").is_none(),
        "{} is missing: CI runs every real-data test",
        p.display()
    );
    p.exists().then_some(p)
}

/// A file shipped in `sample-data/data/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sample-data/data")
        .join(name)
}
