//! What the writer keeps of each page between exports: the facts one walk over the page
//! finds (its part of the structure tree, its links, anchors and images) and its
//! compressed content stream. Both are memoized steps keyed by the page's key (which
//! names what the page shows) and the structure elements open where it begins, so an
//! export walks and encodes only the pages that changed.

use std::collections::HashMap;
use std::sync::Arc;

use crate::layout::{
    EmbeddedFont, FrameItem, LinkDest, Page, PagedDocument, Point, Size,
};
use crate::memo::{hash128, Memo};

use super::content::{self, GlyphUse};
use super::tags::{Snapshot, Walker};
use super::tree::{self, Fragment};
use super::writer::deflate;

/// One walk over a page.
pub struct Walked {
    /// The page's part of the structure tree.
    pub tags: Fragment,
    /// Its link areas, in drawing order.
    pub links: Vec<Link>,
    /// The anchors placed on it, in drawing order.
    pub anchors: Vec<(String, Point)>,
    /// The SHA-256 of each image it shows.
    pub images: Vec<[u8; 32]>,
}

/// A link area on a page.
pub struct Link {
    pub pos: Point,
    pub size: Size,
    pub target: LinkDest,
}

/// One page's content streams, compressed, in drawing order (watermark, body,
/// furniture; the empty ones left out).
pub struct PageEntry {
    /// The Flate-compressed content streams.
    pub streams: Vec<Arc<Vec<u8>>>,
    /// The glyphs each stream shows, in the same order.
    pub glyphs: Vec<Arc<Vec<GlyphUse>>>,
}

/// A page's body stream, and the tag walker where it ends.
pub struct Body {
    /// The Flate-compressed stream.
    pub stream: Arc<Vec<u8>>,
    /// The glyphs it shows.
    pub glyphs: Arc<Vec<GlyphUse>>,
    /// The tag walker where the body ends (the furniture's stream goes on from it).
    pub walker: Walker,
}

/// A compressed stream and the glyphs it shows.
pub type Part = (Arc<Vec<u8>>, Arc<Vec<GlyphUse>>);

/// Names the faces a document embeds: page streams bake their widths into the TJ
/// offsets, and font objects are made from them.
pub fn faces_key(paged: &PagedDocument) -> u128 {
    let faces: Vec<_> = paged
        .fonts
        .iter()
        .map(|f| (&f.name, f.units_per_em, &f.advances[..], f.hyphen, f.bytes.len()))
        .collect();
    hash128(&faces)
}

/// Walks every page in order, each from the snapshot the page before ends with;
/// returns the walks and the snapshot each page begins with.
pub fn walk_all(paged: &PagedDocument, memo: &Memo) -> (Vec<Arc<Walked>>, Vec<Snapshot>) {
    let mut open = Snapshot::default();
    let mut walks = Vec::with_capacity(paged.pages.len());
    let mut snapshots = Vec::with_capacity(paged.pages.len());
    for page in &paged.pages {
        // Keyed by the body: the walk reads nothing else (see `tree::fragment`).
        let walked =
            memo.get_or("pdf page walk", &(page.body_key, &open), || walk(page, &open));
        let next = walked.tags.end().clone();
        snapshots.push(std::mem::replace(&mut open, next));
        walks.push(walked);
    }
    (walks, snapshots)
}

/// Walks one page from `open` (see [`Walked`]).
pub fn walk(page: &Page, open: &Snapshot) -> Walked {
    let mut walked = Walked {
        tags: tree::fragment(page, open),
        links: Vec::new(),
        anchors: Vec::new(),
        images: Vec::new(),
    };
    for (pos, item) in &page.body.items {
        match item {
            FrameItem::Anchor(name) => walked.anchors.push((name.clone(), *pos)),
            FrameItem::Link { size, target } => {
                walked.links.push(Link {
                    pos: *pos,
                    size: *size,
                    target: (**target).clone(),
                });
            }
            FrameItem::Image { image, .. } => walked.images.push(*image.hash()),
            _ => {}
        }
    }
    walked
}

/// The page's content streams, written and compressed if `memo` does not hold them.
/// The body's stream is a step of its own in `bodies`, keyed by the body alone: the
/// numbered copies of a book share it (`bodies` is the session's memo; `memo` may be a
/// copy's own).
pub fn stream(
    page: &Page,
    paged: &PagedDocument,
    faces: u128,
    open: &Snapshot,
    memo: &Memo,
    bodies: &Memo,
) -> Arc<PageEntry> {
    memo.get_or("pdf page stream", &(page.key, faces, open), || {
        let body = body(page, &paged.fonts, faces, open, bodies);
        let mut streams = Vec::with_capacity(3);
        let mut glyphs = Vec::with_capacity(3);
        let parts = [
            watermark(page, &paged.fonts, memo),
            Some((body.stream.clone(), body.glyphs.clone())),
            furniture(page, &paged.fonts, &body),
        ];
        for (stream, used) in parts.into_iter().flatten() {
            streams.push(stream);
            glyphs.push(used);
        }
        PageEntry { streams, glyphs }
    })
}

/// The page's body stream, from `bodies` if it holds it.
pub fn body(
    page: &Page,
    fonts: &[EmbeddedFont],
    faces: u128,
    open: &Snapshot,
    bodies: &Memo,
) -> Arc<Body> {
    bodies.get_or("pdf page body", &(page.body_key, faces, open), || {
        let (c, walker) = content::body_content(page, fonts, open);
        Body { stream: Arc::new(deflate(&c.stream)), glyphs: Arc::new(c.glyphs), walker }
    })
}

/// The page's furniture stream, drawn after `body` (`None`: the page has none).
pub fn furniture(page: &Page, fonts: &[EmbeddedFont], body: &Body) -> Option<Part> {
    let furniture = content::furniture_content(page, fonts, body.walker.clone());
    (!furniture.stream.is_empty())
        .then(|| (Arc::new(deflate(&furniture.stream)), Arc::new(furniture.glyphs)))
}

/// The page's watermark stream (`None`: the page has none). It is the same on every
/// page of a size: compressed once, in `memo`.
pub fn watermark(page: &Page, fonts: &[EmbeddedFont], memo: &Memo) -> Option<Part> {
    let w = content::watermark_content(page, fonts)?;
    let stream = memo.get_or("pdf watermark stream", &w.stream, || deflate(&w.stream));
    Some((stream, Arc::new(w.glyphs)))
}

/// The image data of each image key the pages show (for images to encode).
pub fn image_data(paged: &PagedDocument) -> HashMap<[u8; 32], &crate::model::ImageData> {
    let mut found = HashMap::new();
    for page in &paged.pages {
        for (_, item) in page.items() {
            if let FrameItem::Image { image, .. } = item {
                found.entry(*image.hash()).or_insert(image);
            }
        }
    }
    found
}
