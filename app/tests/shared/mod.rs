//! The real sample files beside the checkout (`../shared/data`), for the tests that read them.

use std::path::{Path, PathBuf};

/// A file from `../shared/data`, if present: tests print why they skip when it is absent. In
/// CI (`CI` set), where the folder is always laid beside the clone, its absence fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(relative);
    assert!(
        p.exists() || std::env::var_os("CI").is_none(),
        "{} is missing: CI runs every real-data test",
        p.display()
    );
    p.exists().then_some(p)
}
