//! Page hashing, which runs over every page on every export, so it must be cheap: a
//! streaming 128-bit hash fed 64-bit words, and a memo that hashes each shaped run once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::layout::{Glyph, Pt};

const K: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// The high and low halves of a 64×64-bit product, folded together.
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A 128-bit hash: two lanes of folded multiplies (the wyhash construction) with
/// different keys, each absorbing every 16-byte block. About ten times as fast as
/// SHA-256; meant for our own data, not adversarial input.
pub struct Hash128 {
    a: u64,
    b: u64,
    pending: Option<u64>,
    words: u64,
}

impl Hash128 {
    /// An empty hash.
    pub fn new() -> Self {
        Self { a: K[0], b: K[1], pending: None, words: 0 }
    }

    /// Absorbs one word.
    pub fn word(&mut self, w: u64) {
        self.words += 1;
        match self.pending.take() {
            None => self.pending = Some(w),
            Some(w0) => self.block(w0, w),
        }
    }

    fn block(&mut self, w0: u64, w1: u64) {
        self.a = fold(w0 ^ K[0], w1 ^ self.a);
        self.b = fold(w1 ^ K[2], w0 ^ self.b ^ K[3]);
    }

    /// Absorbs a small tag.
    pub fn tag(&mut self, t: u8) {
        self.word(u64::from(t));
    }

    /// Absorbs bytes (the length first, so concatenations differ).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(last));
        }
    }

    /// Absorbs a string.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// The hash.
    pub fn finish(mut self) -> u128 {
        if let Some(w0) = self.pending.take() {
            self.block(w0, K[1]);
        }
        let words = self.words;
        self.block(words, !words);
        let hi = fold(self.a ^ K[1], self.b ^ K[2]);
        let lo = fold(self.b ^ K[3], self.a ^ K[0]);
        (u128::from(hi) << 64) | u128::from(lo)
    }
}

/// The hashes of the shaped runs seen in this export, by address: the shaper stores a
/// word once however often it is drawn (196k runs share 10.5k glyph lists in a 600-page
/// book), so each list is hashed once. Addresses are stable while the document is
/// borrowed, and the map lives for one export only.
#[derive(Default)]
pub struct RunHashes {
    map: HashMap<(usize, usize), u128, BuildHasherDefault<AddressHasher>>,
}

impl RunHashes {
    /// The hash of a glyph list's content.
    pub fn hash(&mut self, glyphs: &[Glyph]) -> u128 {
        let key = (glyphs.as_ptr() as usize, glyphs.len());
        *self.map.entry(key).or_insert_with(|| {
            let mut h = Hash128::new();
            for g in glyphs {
                h.word(u64::from(g.gid));
                h.word(g.advance.0.to_bits());
                h.str(&g.text);
                if g.offset != Pt::ZERO {
                    h.word(g.offset.0.to_bits());
                }
            }
            h.finish()
        })
    }
}

/// A multiplicative hasher for address keys (SipHash would cost more than the lookup
/// saves).
#[derive(Default)]
pub struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(words: &[u64], text: &str) -> u128 {
        let mut h = Hash128::new();
        for &w in words {
            h.word(w);
        }
        h.str(text);
        h.finish()
    }

    #[test]
    fn small_changes_change_the_hash() {
        let base = h(&[1, 2, 3], "office");
        assert_eq!(base, h(&[1, 2, 3], "office"));
        assert_ne!(base, h(&[1, 2, 4], "office"));
        assert_ne!(base, h(&[2, 1, 3], "office"));
        assert_ne!(base, h(&[1, 2, 3], "offica"));
        assert_ne!(base, h(&[1, 2, 3, 0], "office"));
        assert_ne!(h(&[], ""), h(&[0], ""));
        assert_ne!(h(&[], "a"), h(&[], "a\0"));
    }
}
