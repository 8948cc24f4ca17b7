//! SHA-256 digests as lowercase hex: input hashes in detection provenance and draw records.

use sha2::{Digest as _, Sha256};

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut hex, b| {
            use std::fmt::Write as _;
            // Writing to a String cannot fail.
            write!(hex, "{b:02x}").ok();
            hex
        })
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
