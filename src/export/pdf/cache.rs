//! What one export leaves for the next: each page's compressed content stream keyed by a
//! hash of the page, the font objects keyed by (face, glyphs used) and the encoded
//! images keyed by their file's SHA-256. Re-exporting a book in which a few pages
//! changed rewrites only those pages' streams (and a font only if it gained a glyph).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::layout::{
    EmbeddedFont, FrameItem, Glyph, ImageFormat, LinkDest, Page, PagedDocument, Point,
    Size,
};

use super::content::GlyphUse;
use super::fonts::FontObjects;
use super::images::ImageObject;

/// Reusable results of earlier exports (see [`super::export_pdf_with`]). A fresh cache
/// and a warm one give the same bytes.
#[derive(Default)]
pub struct PdfCache {
    hashes: Vec<u128>,
    pub(super) pages: HashMap<u128, Arc<PageEntry>>,
    pub(super) fonts: Vec<Arc<FontObjects>>,
    pub(super) images: HashMap<[u8; 32], Option<Arc<ImageObject>>>,
    /// The faces the cached page streams were written for (their /W widths are baked
    /// into the TJ offsets).
    faces: Vec<(String, u16, Arc<Vec<u16>>)>,
}

impl PdfCache {
    /// Each page's content hash from the last export, in page order.
    pub fn page_hashes(&self) -> &[u128] {
        &self.hashes
    }

    /// Forgets the page streams if the faces differ from those they were written for.
    pub(super) fn check_faces(&mut self, fonts: &[EmbeddedFont]) {
        let same = self.faces.len() == fonts.len()
            && self.faces.iter().zip(fonts).all(|((name, upm, adv), f)| {
                name == &f.name && *upm == f.units_per_em && adv[..] == f.advances[..]
            });
        if !same {
            self.pages.clear();
            self.faces = fonts
                .iter()
                .map(|f| (f.name.clone(), f.units_per_em, f.advances.clone()))
                .collect();
        }
    }

    /// Keeps only what the export that just finished used.
    pub(super) fn retain(
        &mut self,
        hashes: Vec<u128>,
        fonts: Vec<Arc<FontObjects>>,
        images: &HashMap<[u8; 32], Option<Arc<ImageObject>>>,
    ) {
        let used: std::collections::HashSet<u128> = hashes.iter().copied().collect();
        self.pages.retain(|h, _| used.contains(h));
        self.images.retain(|k, _| images.contains_key(k));
        self.fonts = fonts;
        self.hashes = hashes;
    }
}

/// One page's cached content.
pub struct PageEntry {
    /// The Flate-compressed content stream.
    pub stream: Vec<u8>,
    /// The glyphs it shows.
    pub glyphs: Vec<GlyphUse>,
}

/// A link area on a page.
pub struct Link<'a> {
    pub pos: Point,
    pub size: Size,
    pub target: &'a LinkDest,
}

/// What one pass over all pages finds.
pub struct Scan<'a> {
    /// Each page's content hash.
    pub hashes: Vec<u128>,
    /// Where each anchor was placed (first placement wins).
    pub anchors: BTreeMap<&'a str, (usize, Point)>,
    /// The link areas of each page.
    pub links: Vec<Vec<Link<'a>>>,
    /// Each distinct image (by data address): its SHA-256, data and format.
    pub images: HashMap<usize, ([u8; 32], &'a [u8], ImageFormat)>,
}

/// Hashes every page and collects anchors, links and images, in one pass.
pub fn scan(paged: &PagedDocument) -> Scan<'_> {
    let mut scan = Scan {
        hashes: Vec::with_capacity(paged.pages.len()),
        anchors: BTreeMap::new(),
        links: Vec::with_capacity(paged.pages.len()),
        images: HashMap::new(),
    };
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut runs = RunHashes::default();
    for (index, page) in paged.pages.iter().enumerate() {
        buf.clear();
        let mut links = Vec::new();
        serialize(page, &mut buf, &mut runs, |pos, item| match item {
            FrameItem::Anchor(name) => {
                scan.anchors.entry(name.as_str()).or_insert((index, pos));
                None
            }
            FrameItem::Link { size, target } => {
                links.push(Link { pos, size: *size, target });
                None
            }
            FrameItem::Image { data, format, .. } => {
                let (key, _, _) =
                    scan.images.entry(data.as_ptr() as usize).or_insert_with(|| {
                        (Sha256::digest(data.as_slice()).into(), data.as_slice(), *format)
                    });
                Some(*key)
            }
            _ => None,
        });
        scan.hashes.push(hash128(&buf));
        scan.links.push(links);
    }
    scan
}

/// Writes everything that determines a page's output into `buf` (the input of its hash).
/// `visit` sees every item and returns the hash of an image item's data.
fn serialize<'a>(
    page: &'a Page,
    buf: &mut Vec<u8>,
    runs: &mut RunHashes,
    mut visit: impl FnMut(Point, &'a FrameItem) -> Option<[u8; 32]>,
) {
    let f = |buf: &mut Vec<u8>, v: f64| buf.extend_from_slice(&v.to_le_bytes());
    let s = |buf: &mut Vec<u8>, v: &str| {
        buf.extend_from_slice(&(v.len() as u32).to_le_bytes());
        buf.extend_from_slice(v.as_bytes());
    };
    let c = |buf: &mut Vec<u8>, c: Option<crate::layout::Color>| match c {
        Some(c) => buf.extend_from_slice(&[1, c.r, c.g, c.b]),
        None => buf.push(0),
    };
    f(buf, page.size.width.0);
    f(buf, page.size.height.0);
    for (pos, item) in &page.frame.items {
        let key = visit(*pos, item);
        f(buf, pos.x.0);
        f(buf, pos.y.0);
        match item {
            FrameItem::Text(run) => {
                buf.push(1);
                buf.extend_from_slice(&(run.font.0 as u32).to_le_bytes());
                f(buf, run.size.0);
                c(buf, Some(run.color));
                buf.extend_from_slice(&runs.hash(&run.glyphs).to_le_bytes());
            }
            FrameItem::Rect { size, fill, stroke } => {
                buf.push(2);
                f(buf, size.width.0);
                f(buf, size.height.0);
                c(buf, *fill);
                c(buf, stroke.map(|s| s.0));
                f(buf, stroke.map_or(-1.0, |s| s.1 .0));
            }
            FrameItem::Line { delta, color, width } => {
                buf.push(3);
                f(buf, delta.x.0);
                f(buf, delta.y.0);
                c(buf, Some(*color));
                f(buf, width.0);
            }
            FrameItem::Path { points, closed, fill, stroke, dash } => {
                buf.push(4);
                buf.extend_from_slice(&(points.len() as u32).to_le_bytes());
                for p in points {
                    f(buf, p.x.0);
                    f(buf, p.y.0);
                }
                buf.push(u8::from(*closed));
                c(buf, *fill);
                c(buf, stroke.map(|s| s.0));
                f(buf, stroke.map_or(-1.0, |s| s.1 .0));
                f(buf, dash.map_or(-1.0, |d| d.0 .0));
                f(buf, dash.map_or(-1.0, |d| d.1 .0));
            }
            FrameItem::Image { size, .. } => {
                buf.push(5);
                f(buf, size.width.0);
                f(buf, size.height.0);
                buf.extend_from_slice(&key.unwrap_or([0; 32]));
            }
            FrameItem::Link { size, target } => {
                buf.push(6);
                f(buf, size.width.0);
                f(buf, size.height.0);
                match target {
                    LinkDest::Anchor(a) => {
                        buf.push(0);
                        s(buf, a);
                    }
                    LinkDest::Url(u) => {
                        buf.push(1);
                        s(buf, u);
                    }
                }
            }
            FrameItem::Anchor(name) => {
                buf.push(7);
                s(buf, name);
            }
        }
    }
}

/// The hashes of the shaped runs seen in this export, by address: the shaper stores a
/// word once however often it is drawn (196k runs share 10.5k glyph lists in a 600-page
/// book), so each list is hashed once. Addresses are stable while the document is
/// borrowed; the map never outlives one export.
#[derive(Default)]
struct RunHashes {
    map: HashMap<(usize, usize), u128, BuildHasherDefault<AddressHasher>>,
    buf: Vec<u8>,
}

impl RunHashes {
    fn hash(&mut self, glyphs: &[Glyph]) -> u128 {
        let key = (glyphs.as_ptr() as usize, glyphs.len());
        *self.map.entry(key).or_insert_with(|| {
            let buf = &mut self.buf;
            buf.clear();
            for g in glyphs {
                buf.extend_from_slice(&g.gid.to_le_bytes());
                buf.extend_from_slice(&g.advance.0.to_le_bytes());
                buf.extend_from_slice(&(g.text.len() as u32).to_le_bytes());
                buf.extend_from_slice(g.text.as_bytes());
            }
            hash128(buf)
        })
    }
}

/// A multiplicative hasher for address keys (SipHash would cost more than the lookup
/// saves).
#[derive(Default)]
struct AddressHasher(u64);

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

/// A fast 128-bit hash (two lanes of folded 64×64→128-bit multiplies, as in wyhash, with
/// different keys): about ten times as fast as SHA-256, and the page hash must be
/// computed for every page on every export. Not for adversarial input, which a page is not.
pub fn hash128(data: &[u8]) -> u128 {
    const K: [u64; 4] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    fn fold(a: u64, b: u64) -> u64 {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    }
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    let (mut a, mut b) =
        (K[0] ^ data.len() as u64, K[1] ^ (data.len() as u64).rotate_left(32));
    let mut blocks = data.chunks_exact(16);
    for block in &mut blocks {
        let (w0, w1) = (word(&block[..8]), word(&block[8..]));
        a = fold(w0 ^ K[0], w1 ^ a);
        b = fold(w1 ^ K[2], w0 ^ b ^ K[3]);
    }
    let mut tail = [0u8; 16];
    let rest = blocks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let (w0, w1) = (word(&tail[..8]), word(&tail[8..]));
    a = fold(w0 ^ K[0], w1 ^ a);
    b = fold(w1 ^ K[2], w0 ^ b ^ K[3]);
    let hi = fold(a ^ K[1], b ^ K[2]);
    let lo = fold(b ^ K[3], a ^ K[0]);
    (u128::from(hi) << 64) | u128::from(lo)
}
