//! What the fuzz targets share: parsers that read from a path get the input as a file.

use std::path::PathBuf;

/// `data` written to a fresh file named `name` in a temporary folder (kept while the guard
/// lives), for the parsers that take a path.
pub fn as_file(name: &str, data: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("the input written");
    (dir, path)
}
