//! The cross-reference stream's data: a row of seven bytes per object (type, offset or
//! object stream, generation or index), compressed.
//!
//! The files resumed from one sealed writer (the numbered copies of an edition) share
//! most of their rows: those of the objects written before the seal, after the last
//! one reserved for each file to write. Those rows are compressed once, as a piece of
//! raw deflate data ending in a full flush; each file compresses its rows before and
//! after them likewise and joins the three pieces into one zlib stream, whose checksum
//! is combined from the pieces' checksums.

use super::writer::{deflate, deflate_piece, Ref};

/// Where an object was written.
#[derive(Clone, Copy)]
pub enum Place {
    /// Reserved, not written yet.
    Nowhere,
    /// At this byte offset.
    At(usize),
    /// In object stream `.0`, as its `.1`th object.
    Packed(Ref, u32),
}

/// Bytes per row.
const ROW: usize = 7;

/// The rows of objects that are the same in every file resumed from a sealed writer,
/// compressed.
#[derive(Clone)]
pub struct Sealed {
    /// The index in the places of the first of them, and how many there are.
    from: usize,
    count: usize,
    /// Their rows as a piece of raw deflate data, and the rows' Adler-32.
    data: Vec<u8>,
    adler: u32,
}

impl Sealed {
    /// The rows of the objects written after the last reserved one in `places`.
    pub fn new(places: &[Place]) -> Self {
        let from =
            places.iter().rposition(|p| matches!(p, Place::Nowhere)).map_or(0, |i| i + 1);
        let mut data = Vec::with_capacity((places.len() - from) * ROW);
        rows(&mut data, &places[from..]);
        Self {
            from,
            count: places.len() - from,
            adler: adler32(&data),
            data: deflate_piece(&data, false),
        }
    }
}

/// The stream data of the rows of `places` (object `n` at `places[n - 1]`), the head
/// of the free list first; `sealed`'s rows, if given, are taken as they are.
pub fn encode(places: &[Place], sealed: Option<&Sealed>) -> Vec<u8> {
    let mut head = Vec::with_capacity((places.len() + 1) * ROW);
    head.extend_from_slice(&[0, 0, 0, 0, 0, 0xFF, 0xFF]);
    let Some(sealed) = sealed else {
        rows(&mut head, places);
        return deflate(&head);
    };
    rows(&mut head, &places[..sealed.from]);
    let mut tail = Vec::new();
    rows(&mut tail, &places[sealed.from + sealed.count..]);
    let shared = sealed.count * ROW;
    let adler = combine(
        combine(adler32(&head), sealed.adler, shared),
        adler32(&tail),
        tail.len(),
    );
    let (head, tail) = (deflate_piece(&head, false), deflate_piece(&tail, true));
    let mut out = Vec::with_capacity(head.len() + sealed.data.len() + tail.len() + 6);
    // A zlib header: deflate with a 32 KiB window, the default level.
    out.extend_from_slice(&[0x78, 0x9C]);
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealed.data);
    out.extend_from_slice(&tail);
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

/// Appends the rows of `places`.
fn rows(out: &mut Vec<u8>, places: &[Place]) {
    for place in places {
        let (kind, a, b) = match *place {
            Place::At(offset) => (1u8, offset as u32, 0u16),
            Place::Packed(stream, index) => (2, stream, index as u16),
            Place::Nowhere => {
                debug_assert!(false, "object reserved but never written");
                (0, 0, 0)
            }
        };
        out.push(kind);
        out.extend_from_slice(&a.to_be_bytes());
        out.extend_from_slice(&b.to_be_bytes());
    }
}

/// The largest prime below 2^16, the Adler-32 modulus.
const BASE: u64 = 65521;

/// The Adler-32 checksum of `data`.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u64, 0u64);
    // Sums of 5552 bytes cannot overflow before the modulus is taken (as in zlib).
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u64::from(x);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    ((b << 16) | a) as u32
}

/// The Adler-32 of two pieces of data joined, from theirs and the second's length (as
/// zlib's `adler32_combine`).
fn combine(first: u32, second: u32, len: usize) -> u32 {
    let rem = len as u64 % BASE;
    let a1 = u64::from(first & 0xffff);
    let b1 = u64::from(first >> 16);
    let (a2, b2) = (u64::from(second & 0xffff), u64::from(second >> 16));
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (rem * a1 % BASE + b1 + b2 + BASE - rem) % BASE;
    ((b << 16) | a) as u32
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        // The decoder checks the Adler-32 at the end.
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn checksums_combine_as_if_computed_over_the_whole() {
        let data: Vec<u8> = (0..40_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for split in [0, 1, 5552, 17_000, 40_000] {
            let (x, y) = data.split_at(split);
            assert_eq!(
                combine(adler32(x), adler32(y), y.len()),
                adler32(&data),
                "{split}"
            );
        }
        // zlib's value for "Wikipedia".
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn a_sealed_piece_joins_the_rows_around_it_into_one_stream() {
        let places: Vec<Place> = (0..3000)
            .map(|i| match i {
                0..=9 => Place::Nowhere,
                _ if i % 3 == 0 => Place::At(i * 40),
                _ => Place::Packed(7, i as u32 % 200),
            })
            .collect();
        let sealed = Sealed::new(&places);
        assert_eq!((sealed.from, sealed.count), (10, 2990));
        // The file writes the reserved objects and some more.
        let mut file = places.clone();
        for (i, p) in file.iter_mut().take(10).enumerate() {
            *p = Place::At(200_000 + i * 10);
        }
        file.extend((0..25).map(|i| Place::At(300_000 + i)));
        let joined = encode(&file, Some(&sealed));
        assert_eq!(inflate(&joined), inflate(&encode(&file, None)));
    }
}
