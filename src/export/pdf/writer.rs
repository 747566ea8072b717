//! The PDF file syntax: numbered objects, object streams, streams, strings, numbers and
//! the cross-reference stream. Everything is written straight into one byte buffer.

use std::io::Write as _;

use sha2::{Digest, Sha256};

use super::xref::{self, Place, Sealed};
use crate::memo::Memo;

/// An indirect object's number (generation is always 0).
pub type Ref = u32;

/// Writes objects in any order and a cross-reference stream at the end. Small objects
/// written with [`Writer::packed`] (the structure tree's tens of thousands of elements)
/// go into compressed object streams, which are memoized by their content: most of the
/// structure tree is the same from one build to the next.
///
/// A file whose first objects are the same in many files (the numbered copies of an
/// edition) is written up to there once, [`Writer::seal`]ed, and each file goes on from a
/// [`Writer::resume`]d copy of it: the file is then the sealed bytes followed by the
/// resumed writer's.
pub struct Writer<'m> {
    memo: &'m Memo,
    out: Vec<u8>,
    /// The length of the file before `out` (the sealed bytes a resumed writer follows).
    base: usize,
    /// The SHA-256 of the file up to `out[..hashed]` (the /ID hashes the file before
    /// the xref).
    sha: Sha256,
    hashed: usize,
    /// Where each object is (index = number − 1).
    places: Vec<Place>,
    /// Packed objects not yet in an object stream: (number, offset in `pack`).
    pending: Vec<(Ref, usize)>,
    pack: Vec<u8>,
    /// The xref rows shared by the writers resumed from this one, once sealed.
    sealed: Option<std::sync::Arc<Sealed>>,
}

/// Objects per object stream.
const PACK: usize = 200;

impl<'m> Writer<'m> {
    /// A file with the PDF 1.7 header (the comment marks the file as binary).
    pub fn new(capacity: usize, memo: &'m Memo) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        Self {
            memo,
            out,
            base: 0,
            sha: Sha256::new(),
            hashed: 0,
            places: Vec::new(),
            pending: Vec::new(),
            pack: Vec::new(),
            sealed: None,
        }
    }

    /// Writes the pending packed objects, hashes what is written and compresses the
    /// xref rows of the objects written after the last one reserved, so that
    /// [`Writer::resume`] can go on from here without doing any of it again. Returns the
    /// bytes written, which every file resumed from here begins with.
    pub fn seal(&mut self) -> Vec<u8> {
        self.flush_pack();
        self.sha.update(&self.out[self.hashed..]);
        self.sealed = Some(std::sync::Arc::new(Sealed::new(&self.places)));
        self.base += self.out.len();
        self.hashed = 0;
        std::mem::take(&mut self.out)
    }

    /// A writer going on from this sealed one (objects reserved but not written must be
    /// written by the new one), with room for `more` bytes, its object streams memoized
    /// in `memo`. What it finishes is the file after the sealed bytes.
    pub fn resume<'n>(&self, memo: &'n Memo, more: usize) -> Writer<'n> {
        debug_assert!(self.pending.is_empty() && self.out.is_empty());
        Writer {
            memo,
            out: Vec::with_capacity(more),
            base: self.base,
            sha: self.sha.clone(),
            hashed: 0,
            places: self.places.clone(),
            pending: Vec::new(),
            pack: Vec::new(),
            sealed: self.sealed.clone(),
        }
    }

    /// Reserves an object number; the object must be written before [`Writer::finish`].
    pub fn reserve(&mut self) -> Ref {
        self.places.push(Place::Nowhere);
        self.places.len() as Ref
    }

    /// Writes a dictionary or other direct object as object `id`.
    pub fn object(&mut self, id: Ref, body: &[u8]) {
        self.room(body.len() + 32);
        self.start(id);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Writes a dictionary (not a stream) as object `id` into an object stream.
    pub fn packed(&mut self, id: Ref, body: &[u8]) {
        self.pending.push((id, self.pack.len()));
        self.pack.extend_from_slice(body);
        self.pack.push(b'\n');
        if self.pending.len() == PACK {
            self.flush_pack();
        }
    }

    /// Writes the pending packed objects as one object stream.
    fn flush_pack(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let stream = self.reserve();
        let mut head = Vec::with_capacity(self.pending.len() * 12);
        for (k, &(id, at)) in self.pending.iter().enumerate() {
            let _ = write!(head, "{id} {at} ");
            self.places[id as usize - 1] = Place::Packed(stream, k as u32);
        }
        let first = head.len();
        head.extend_from_slice(&self.pack);
        let dict = format!(
            "/Type/ObjStm/N {}/First {first}/Filter/FlateDecode",
            self.pending.len()
        );
        // The tree's dictionaries repeat themselves: the fastest level packs them
        // nearly as well, in a third of the time.
        let data = self.memo.get_or("pdf object stream", &head, || {
            deflate_with(&head, flate2::Compression::fast())
        });
        self.stream(stream, dict.as_bytes(), &data);
        self.pending.clear();
        self.pack.clear();
    }

    /// Writes a stream whose data is already encoded; `dict` holds the entries other
    /// than /Length (e.g. `/Filter /FlateDecode`).
    pub fn stream(&mut self, id: Ref, dict: &[u8], data: &[u8]) {
        self.room(dict.len() + data.len() + 64);
        self.start(id);
        self.out.extend_from_slice(b"<<");
        self.out.extend_from_slice(dict);
        let _ = write!(self.out, "/Length {}>>\nstream\n", data.len());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Makes room for `n` more bytes. The file is sized in advance from above; if it
    /// grows past that, it grows by an eighth, not by doubling: a doubled buffer would
    /// hold two copies of the book at the moment memory use peaks.
    fn room(&mut self, n: usize) {
        if self.out.capacity() - self.out.len() < n {
            self.out.reserve_exact(n.max(self.out.len() / 8));
        }
    }

    fn start(&mut self, id: Ref) {
        self.places[id as usize - 1] = Place::At(self.base + self.out.len());
        let _ = writeln!(self.out, "{id} 0 obj");
    }

    /// Writes the cross-reference stream and the trailer. The /ID is the first 16 bytes
    /// of the SHA-256 of everything before it, so it depends only on the content.
    pub fn finish(self, root: Ref, info: Ref) -> Vec<u8> {
        self.end(root, info).0
    }

    /// [`Writer::finish`], also returning the SHA-256 of the whole file (the sealed bytes
    /// too, for a resumed writer).
    pub fn finish_hashed(self, root: Ref, info: Ref) -> (Vec<u8>, [u8; 32]) {
        let (out, mut sha, from) = self.end(root, info);
        sha.update(&out[from..]);
        (out, sha.finalize().into())
    }

    /// The file, and the SHA-256 of it up to the xref stream, which starts at the
    /// offset returned (in `out`).
    fn end(mut self, root: Ref, info: Ref) -> (Vec<u8>, Sha256, usize) {
        self.flush_pack();
        let xref_id = self.reserve();
        let at = self.out.len();
        let xref = self.base + at;
        self.places[xref_id as usize - 1] = Place::At(xref);
        self.sha.update(&self.out[self.hashed..]);
        let digest = self.sha.clone().finalize();
        let id: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
        // Type, offset or object stream (4 bytes), generation or index (2 bytes).
        let data = xref::encode(&self.places, self.sealed.as_deref());
        let dict = format!(
            "/Type/XRef/Size {}/W[1 4 2]/Root {root} 0 R/Info {info} 0 R/ID[<{id}><{id}>]/Filter/FlateDecode",
            self.places.len() + 1
        );
        self.stream(xref_id, dict.as_bytes(), &data);
        let _ = write!(self.out, "startxref\n{xref}\n%%EOF\n");
        (self.out, self.sha, at)
    }
}

/// Flate-compresses `data` at the default level (the best level is several times slower
/// for 1–2% smaller files).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_with(data, flate2::Compression::default())
}

/// Flate-compresses `data` at `level`.
pub fn deflate_with(data: &[u8], level: flate2::Compression) -> Vec<u8> {
    compress(data, level, true, flate2::FlushCompress::Finish)
}

/// Raw deflate data (no zlib header or checksum) of `data` at the default level. With
/// `last` false it ends with a full flush: byte-aligned, no block final, and no match
/// reaching back before it, so the next piece can follow it in the same stream.
pub fn deflate_piece(data: &[u8], last: bool) -> Vec<u8> {
    let end = match last {
        true => flate2::FlushCompress::Finish,
        false => flate2::FlushCompress::Full,
    };
    compress(data, flate2::Compression::default(), false, end)
}

/// Compresses `data` at `level` (with the zlib header and checksum if `zlib`), ending
/// with `end` (`Finish`, or `Full` for a piece of a longer stream).
fn compress(
    data: &[u8],
    level: flate2::Compression,
    zlib: bool,
    end: flate2::FlushCompress,
) -> Vec<u8> {
    // A compressor's state is some hundreds of kilobytes that must be zeroed when it is
    // made; a page's furniture stream is a few hundred bytes. So each thread keeps one
    // compressor per level and resets it, which gives the same bytes as a new one, and
    // its output buffer.
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<Compressors> =
            const { std::cell::RefCell::new(Compressors { kept: Vec::new(), buf: Vec::new() }) };
    }
    let kind = (level.level(), zlib);
    COMPRESSORS.with(|cell| {
        let Compressors { kept, buf } = &mut *cell.borrow_mut();
        let at = match kept.iter().position(|(k, _)| *k == kind) {
            Some(at) => {
                kept[at].1.reset();
                at
            }
            None => {
                kept.push((kind, flate2::Compress::new(level, zlib)));
                kept.len() - 1
            }
        };
        let compress = &mut kept[at].1;
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        // As a `ZlibEncoder` does, so the bytes are the same: the input through a 32 KiB
        // output buffer, then the end.
        buf.resize(32 * 1024, 0);
        let mut finishing = false;
        loop {
            let read = (compress.total_in() as usize).min(data.len());
            finishing |= read == data.len();
            let (input, flush) = match finishing {
                true => (&[][..], end),
                false => (&data[read..], flate2::FlushCompress::None),
            };
            let before = compress.total_out();
            let status = compress.compress(input, buf, flush);
            let made = (compress.total_out() - before) as usize;
            out.extend_from_slice(&buf[..made]);
            match status {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) if finishing && made == 0 => break,
                // A full flush is done when it leaves room in the buffer.
                Ok(_)
                    if finishing
                        && made < buf.len()
                        && end != flate2::FlushCompress::Finish =>
                {
                    break
                }
                Ok(_) => {}
                // Compressing into memory cannot fail; an empty stream is the bug's most
                // visible outcome.
                Err(_) => return Vec::new(),
            }
        }
        // Kept for the session: the room reserved for a poor compression ratio is not.
        out.shrink_to_fit();
        out
    })
}

/// A thread's compressors, by level and header, and their output buffer.
struct Compressors {
    kept: Vec<((u32, bool), flate2::Compress)>,
    buf: Vec<u8>,
}

/// Appends a number with at most three decimals ("12", "-0.5", "595.276"): fast, and the
/// same bytes on every platform.
pub fn num(out: &mut Vec<u8>, v: f64) {
    let milli = (v * 1000.0).round();
    if !milli.is_finite() || milli == 0.0 {
        out.push(b'0');
        return;
    }
    let milli = milli.clamp(-9.0e15, 9.0e15) as i64;
    if milli < 0 {
        out.push(b'-');
    }
    let m = milli.unsigned_abs();
    int(out, m / 1000);
    let frac = m % 1000;
    if frac != 0 {
        out.push(b'.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let len = if digits[2] != 0 {
            3
        } else if digits[1] != 0 {
            2
        } else {
            1
        };
        out.extend(digits[..len].iter().map(|&d| b'0' + d as u8));
    }
}

/// Appends a non-negative integer.
pub fn int(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends a 16-bit value as four hex digits.
pub fn hex4(out: &mut Vec<u8>, v: u16) {
    let b = v.to_be_bytes();
    out.extend_from_slice(&[
        HEX[usize::from(b[0] >> 4)],
        HEX[usize::from(b[0] & 15)],
        HEX[usize::from(b[1] >> 4)],
        HEX[usize::from(b[1] & 15)],
    ]);
}

/// Appends a text string: a literal for printable ASCII, otherwise UTF-16BE with a
/// byte-order mark (as PDF text strings want it).
pub fn text_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        out.push(b'(');
        for b in s.bytes() {
            if matches!(b, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b')');
    } else {
        out.extend_from_slice(b"<FEFF");
        for unit in s.encode_utf16() {
            hex4(out, unit);
        }
        out.push(b'>');
    }
}

/// Appends a name object (`/Name`), escaping bytes outside the regular characters.
pub fn name(out: &mut Vec<u8>, s: &str) {
    out.push(b'/');
    for b in s.bytes() {
        let regular = b.is_ascii_graphic()
            && !matches!(
                b,
                b'#' | b'/'
                    | b'('
                    | b')'
                    | b'<'
                    | b'>'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'%'
            );
        if regular {
            out.push(b);
        } else {
            out.extend_from_slice(&[
                b'#',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
        }
    }
}

/// Appends an object reference (`12 0 R`).
pub fn reference(out: &mut Vec<u8>, id: Ref) {
    int(out, u64::from(id));
    out.extend_from_slice(b" 0 R");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: f64) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        assert_eq!(n(0.0), "0");
        assert_eq!(n(-0.0001), "0");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(-0.5), "-0.5");
        assert_eq!(n(595.2756), "595.276");
        assert_eq!(n(1.05), "1.05");
        assert_eq!(n(f64::NAN), "0");
    }

    #[test]
    fn strings_and_names_are_escaped() {
        let mut out = Vec::new();
        text_string(&mut out, "a(b)");
        text_string(&mut out, "Я");
        name(&mut out, "A B#");
        assert_eq!(String::from_utf8(out).unwrap(), "(a\\(b\\))<FEFF042F>/A#20B#23");
    }
}
