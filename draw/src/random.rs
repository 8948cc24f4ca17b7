//! The draw's randomness: a seed anyone can recompute from the published inputs, and the ways
//! numbers are taken from it, spelled out so that another implementation gives the same draw.
//!
//! - seed = SHA-256 of `yitu-draw/1`, then the SHA-256 of the sources, of the roster and of the
//!   plan, then the entropy's UTF-8 bytes, each preceded by its length as 8 bytes little-endian;
//! - the generator is ChaCha20 (RFC 7539 block function, as `rand_chacha` 0.9) keyed by the
//!   seed; stream 0 draws the firms, stream 1 the inspectors, so that no inspector rule can
//!   change which firms are drawn;
//! - a number below `n` is taken from 64-bit outputs by rejection: an output at or above the
//!   largest multiple of `n` is thrown away, else the remainder by `n` is used;
//! - `k` of `n` items are drawn by a partial Fisher–Yates shuffle: for `i` in `0..k`, swap item
//!   `i` with item `i + below(n − i)`; the first `k` are drawn, in that order.

use rand::{RngCore as _, SeedableRng as _};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest as _, Sha256};

/// Which part of the draw a stream serves.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Firms = 0,
    Inspectors = 1,
}

/// The seed of a draw from the hashes of its inputs and the public entropy.
pub fn seed(sources: &str, roster: &str, plan: &str, entropy: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        b"yitu-draw/1".as_slice(),
        sources.as_bytes(),
        roster.as_bytes(),
        plan.as_bytes(),
        entropy.as_bytes(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().into()
}

/// Numbers for one purpose of one draw.
pub struct Stream(ChaCha20Rng);

impl Stream {
    pub fn new(seed: [u8; 32], purpose: Purpose) -> Self {
        let mut rng = ChaCha20Rng::from_seed(seed);
        rng.set_stream(purpose as u64);
        Self(rng)
    }

    /// A number in `0..n` (`n` > 0), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let v = self.0.next_u64();
            if v < limit {
                return (v % n) as usize;
            }
        }
    }

    /// `k` of the indexes `0..n`, without replacement, in the order drawn.
    pub fn choose(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut items: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            items.swap(i, j);
        }
        items.truncate(k.min(n));
        items
    }
}
