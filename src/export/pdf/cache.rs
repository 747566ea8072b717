//! What one export leaves for the next: each page's compressed content stream keyed by a
//! hash of the page, the font objects keyed by (face, glyphs used) and the encoded
//! images keyed by their file's SHA-256. Re-exporting a book in which a few pages
//! changed rewrites only those pages' streams (and a font only if it gained a glyph).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::layout::tag::Tag;
use crate::layout::{
    EmbeddedFont, FrameItem, LinkDest, Page, PagedDocument, Point, Size,
};
use crate::model::ImageData;

use super::content::GlyphUse;
use super::fonts::FontObjects;
use super::hash::{Hash128, RunHashes};
use super::images::ImageObject;

/// Reusable results of earlier exports (see [`super::export_pdf_with`]). A fresh cache
/// and a warm one give the same bytes.
#[derive(Default)]
pub struct PdfCache {
    hashes: Vec<u128>,
    pub(super) pages: HashMap<u128, Arc<PageEntry>>,
    pub(super) fonts: Vec<Arc<FontObjects>>,
    pub(super) images: HashMap<[u8; 32], Arc<ImageObject>>,
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
        images: &HashMap<[u8; 32], Arc<ImageObject>>,
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
    /// Each distinct image, by the SHA-256 of its file.
    pub images: HashMap<[u8; 32], &'a ImageData>,
}

/// Hashes every page and collects anchors, links and images, in one pass.
pub fn scan(paged: &PagedDocument) -> Scan<'_> {
    let mut scan = Scan {
        hashes: Vec::with_capacity(paged.pages.len()),
        anchors: BTreeMap::new(),
        links: Vec::with_capacity(paged.pages.len()),
        images: HashMap::new(),
    };
    let mut runs = RunHashes::default();
    for (index, page) in paged.pages.iter().enumerate() {
        let mut h = Hash128::new();
        let mut links = Vec::new();
        serialize(page, &mut h, &mut runs, |pos, item| match item {
            FrameItem::Anchor(name) => {
                scan.anchors.entry(name.as_str()).or_insert((index, pos));
                None
            }
            FrameItem::Link { size, target } => {
                links.push(Link { pos, size: *size, target });
                None
            }
            FrameItem::Image { image, .. } => {
                scan.images.entry(*image.hash()).or_insert(image);
                Some(*image.hash())
            }
            _ => None,
        });
        scan.hashes.push(h.finish());
        scan.links.push(links);
    }
    scan
}

/// Feeds everything that determines a page's output into its hash.
/// `visit` sees every item and returns the hash of an image item's data.
fn serialize<'a>(
    page: &'a Page,
    buf: &mut Hash128,
    runs: &mut RunHashes,
    mut visit: impl FnMut(Point, &'a FrameItem) -> Option<[u8; 32]>,
) {
    let f = |buf: &mut Hash128, v: f64| buf.word(v.to_bits());
    let s = |buf: &mut Hash128, v: &str| buf.str(v);
    let c = |buf: &mut Hash128, c: Option<crate::layout::Color>| {
        buf.word(
            c.map_or(1 << 32, |c| u64::from_le_bytes([c.r, c.g, c.b, 0, 0, 0, 0, 0])),
        );
    };
    f(buf, page.size.width.0);
    f(buf, page.size.height.0);
    if let Some(mark) = &page.watermark {
        buf.tag(10);
        f(buf, mark.angle);
        f(buf, mark.origin.x.0);
        f(buf, mark.origin.y.0);
        for (x, run) in &mark.runs {
            f(buf, x.0);
            buf.word(run.font.0 as u64);
            f(buf, run.size.0);
            c(buf, Some(run.color));
            let glyphs = runs.hash(&run.glyphs);
            buf.word(glyphs as u64);
            buf.word((glyphs >> 64) as u64);
        }
    }
    for (pos, item) in page.items() {
        let key = visit(*pos, item);
        f(buf, pos.x.0);
        f(buf, pos.y.0);
        match item {
            FrameItem::Text(run) => {
                buf.tag(1);
                buf.word(run.font.0 as u64);
                f(buf, run.size.0);
                c(buf, Some(run.color));
                let glyphs = runs.hash(&run.glyphs);
                buf.word(glyphs as u64);
                buf.word((glyphs >> 64) as u64);
                if run.stroked {
                    buf.tag(9);
                }
            }
            FrameItem::Rect { size, fill, stroke } => {
                buf.tag(2);
                f(buf, size.width.0);
                f(buf, size.height.0);
                c(buf, *fill);
                c(buf, stroke.map(|s| s.0));
                f(buf, stroke.map_or(-1.0, |s| s.1 .0));
            }
            FrameItem::Line { delta, color, width } => {
                buf.tag(3);
                f(buf, delta.x.0);
                f(buf, delta.y.0);
                c(buf, Some(*color));
                f(buf, width.0);
            }
            FrameItem::Path { points, closed, fill, stroke, dash } => {
                buf.tag(4);
                buf.word(points.len() as u64);
                for p in points {
                    f(buf, p.x.0);
                    f(buf, p.y.0);
                }
                buf.tag(u8::from(*closed));
                c(buf, *fill);
                c(buf, stroke.map(|s| s.0));
                f(buf, stroke.map_or(-1.0, |s| s.1 .0));
                f(buf, dash.map_or(-1.0, |d| d.0 .0));
                f(buf, dash.map_or(-1.0, |d| d.1 .0));
            }
            FrameItem::Image { size, .. } => {
                buf.tag(5);
                f(buf, size.width.0);
                f(buf, size.height.0);
                buf.bytes(&key.unwrap_or([0; 32]));
            }
            FrameItem::Link { size, target } => {
                buf.tag(6);
                f(buf, size.width.0);
                f(buf, size.height.0);
                match target {
                    LinkDest::Anchor(a) => {
                        buf.tag(0);
                        s(buf, a);
                    }
                    LinkDest::Url(u) => {
                        buf.tag(1);
                        s(buf, u);
                    }
                }
            }
            FrameItem::Anchor(name) => {
                buf.tag(7);
                s(buf, name);
            }
            // The stream shows a tag's role (and an inserted hyphen); the tree is written
            // apart from the pages.
            FrameItem::Tag(tag) => {
                buf.tag(8);
                match tag {
                    Tag::Start(e) => s(buf, e.role.name()),
                    Tag::End => buf.tag(1),
                    Tag::NotesStart => buf.tag(2),
                    Tag::NotesEnd => buf.tag(3),
                    Tag::Hyphen => buf.tag(4),
                }
            }
        }
    }
}
