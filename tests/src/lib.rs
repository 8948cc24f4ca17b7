//! Cross-crate tests live in `tests/tests/`; this library holds their shared fixtures.

use std::path::PathBuf;

/// A file from the shared real-data folder beside the checkout, if present (`../shared/data`).
/// Tests that need one print why they skip when it is absent.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(relative);
    p.exists().then_some(p)
}

/// A file shipped in `sample-data/data/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sample-data/data")
        .join(name)
}
