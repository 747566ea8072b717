//! PDF export: laid-out pages → content streams → PDF objects → bytes.
//!
//! We write the file ourselves (printpdf, the team's first choice, is used only to decode
//! PNGs): printpdf turns the whole document into operations and then into one lopdf
//! document, so it holds every page twice and cannot reuse an unchanged page. Writing
//! page streams ourselves lets us compress each page as soon as it is written and cache
//! it, so a watch-mode rebuild re-encodes only the pages that changed.
//!
//! 1. Walk the pages in order (`pages::walk_all`): each page's part of the structure
//!    tree (`tags`), its links, anchors and images, from the elements open where it
//!    begins; then join the parts into the tree (`tree::stitch`).
//! 2. Encode the images (`images`).
//! 3. Write and compress each page's content stream (`content`), the pages in parallel.
//!    Streams use the original glyph ids as CIDs, so they do not depend on the font
//!    subset.
//! 4. Merge the glyphs the pages use and subset each face (`fonts`).
//! 5. Write the objects (`writer`): pages with their link annotations (`objects`), the
//!    structure tree (`structure`), fonts, images, the outline, catalog and document
//!    information (`finish`), and an /ID hashed from the content; the cross-reference
//!    stream last (`xref`).
//!
//! Steps 1 to 4 are memoized in the session's [`Memo`]: a page's walk and stream are
//! keyed by the page's key (which names what it shows; see [`crate::layout::Page`]) and
//! the elements open where it begins, a font by its face and the glyphs used, an image
//! by its file's hash. A rebuild in which a few pages changed walks and encodes only
//! those; the rest of the export is joining and writing, in time linear in the pages.
//!
//! The numbered copies of an edition (`copies`) share every object but their cover's,
//! their watermark's and their own running heads' and fonts': [`share`] writes the
//! shared ones once, and [`export_copy`] writes each copy from there.

mod content;
mod copies;
pub mod encrypt;
mod finish;
mod fonts;
mod images;
mod objects;
mod pages;
mod standards;
mod structure;
mod tags;
mod tree;
mod writer;
mod xmp;
mod xref;

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use rayon::prelude::*;

pub use copies::{CopyFile, Look, Shared};
pub use standards::standards;

use crate::diag::{DiagResult, Diagnostic};
use crate::layout::{PagedDocument, Point};
use crate::memo::Memo;
use crate::model::Meta;
use fonts::{bug, FontObjects};
use images::ImageObject;
use objects::{annotations, page_object, resources_object, write_images, PageRefs};
use pages::{Link, PageEntry};
use writer::{Ref, Writer};

/// Writes the pages as a PDF file. The bytes depend only on the input.
pub fn export_pdf(paged: &PagedDocument, meta: &Meta) -> DiagResult<Vec<u8>> {
    export_pdf_in(paged, meta, &Memo::new())
}

/// Like [`export_pdf`], reusing the pages, fonts and images `memo` holds from earlier
/// builds and leaving this export's there. The bytes are the same as with an empty memo.
pub fn export_pdf_in(
    paged: &PagedDocument,
    meta: &Meta,
    memo: &Memo,
) -> DiagResult<Vec<u8>> {
    export_pdf_sharing(paged, meta, memo, memo)
}

/// Like [`export_pdf_in`], with the pages' body streams in `bodies` (the session's memo)
/// and everything else in `memo` (a numbered copy's own, dropped after the copy): the
/// copies of a book differ only in furniture and watermark, so they share the bodies.
pub fn export_pdf_sharing(
    paged: &PagedDocument,
    meta: &Meta,
    memo: &Memo,
    bodies: &Memo,
) -> DiagResult<Vec<u8>> {
    match catch_unwind(AssertUnwindSafe(|| export_impl(paged, meta, memo, bodies))) {
        Ok(result) => result.map_err(|d| vec![d]),
        Err(_) => Err(vec![bug("internal error while writing the PDF".into())]),
    }
}

/// The objects the numbered copies of the edition `paged` share (see [`Shared`]);
/// `None` if its copies cannot share them (they are then written with
/// [`export_pdf_sharing`]).
pub fn share<'m>(
    paged: &PagedDocument,
    meta: &Meta,
    look: Look,
    memo: &'m Memo,
) -> DiagResult<Option<Shared<'m>>> {
    match catch_unwind(AssertUnwindSafe(|| Shared::new(paged, meta, look, memo))) {
        Ok(result) => result.map_err(|d| vec![d]),
        Err(_) => Err(vec![bug("internal error while writing the PDF".into())]),
    }
}

/// A numbered copy's PDF from the objects its edition's copies share: `pages` are the
/// copy's (see [`crate::layout::CopyLayout`]); `memo` keeps the copy's own steps (fonts,
/// watermark) for the next copy. `None` if the copy does not fit them.
pub fn export_copy(
    shared: &Shared<'_>,
    pages: &[crate::layout::Page],
    own_furniture: bool,
    memo: &Memo,
) -> Option<DiagResult<CopyFile>> {
    match catch_unwind(AssertUnwindSafe(|| shared.copy(pages, own_furniture, memo))) {
        Ok(result) => result.map(|r| r.map_err(|d| vec![d])),
        Err(_) => Some(Err(vec![bug("internal error while writing the PDF".into())])),
    }
}

/// Where each anchor was placed (first placement wins) and each page's link areas.
struct Scan<'a> {
    anchors: BTreeMap<&'a str, (usize, Point)>,
    links: Vec<&'a [Link]>,
}

fn export_impl(
    paged: &PagedDocument,
    meta: &Meta,
    memo: &Memo,
    bodies: &Memo,
) -> Result<Vec<u8>, Diagnostic> {
    let faces = pages::faces_key(paged);
    let (walks, snapshots) = pages::walk_all(paged, bodies);
    let tree = tree::stitch(walks.iter().map(|w| &w.tags));
    let mut scan =
        Scan { anchors: BTreeMap::new(), links: Vec::with_capacity(walks.len()) };
    for (index, walked) in walks.iter().enumerate() {
        for (name, at) in &walked.anchors {
            scan.anchors.entry(name.as_str()).or_insert((index, *at));
        }
        scan.links.push(&walked.links);
    }

    let images = image_objects(paged, walks.iter().flat_map(|w| &w.images), memo)?;

    // Page streams, the pages in parallel (each is a function of its page alone, so the
    // bytes do not depend on the number of threads).
    let streams: Vec<Arc<PageEntry>> = paged
        .pages
        .par_iter()
        .zip(&snapshots)
        .map(|(page, open)| pages::stream(page, paged, faces, open, memo, bodies))
        .collect();

    let mut texts = vec![Vec::new(); paged.fonts.len()];
    let uses = streams.iter().flat_map(|p| p.glyphs.iter().flat_map(|part| part.iter()));
    glyph_texts(&mut texts, uses);
    let fonts = font_objects(&paged.fonts, &texts, faces, memo)?;
    Ok(write(paged, meta, memo, &scan, &tree, &streams, &fonts, &images))
}

/// The image objects of the images with these keys, each file once (by its hash, which
/// also names it in the content streams).
fn image_objects<'a>(
    paged: &PagedDocument,
    keys: impl Iterator<Item = &'a [u8; 32]>,
    memo: &Memo,
) -> Result<HashMap<[u8; 32], Arc<ImageObject>>, Diagnostic> {
    let mut images: HashMap<[u8; 32], Arc<ImageObject>> = HashMap::new();
    let mut data = None;
    for key in keys {
        if images.contains_key(key) {
            continue;
        }
        let object = memo.get_or("pdf image", key, || {
            let data = data.get_or_insert_with(|| pages::image_data(paged));
            let image =
                data.get(key).ok_or_else(|| "it is not on the pages".to_string())?;
            ImageObject::new(image).map(Arc::new)
        });
        match &*object {
            Ok(object) => images.insert(*key, object.clone()),
            Err(e) => {
                let e = format!("an image the model checked could not be embedded: {e}");
                return Err(bug(e));
            }
        };
    }
    Ok(images)
}

/// Per face, the text of each glyph id used: adds `uses` (in page order) to `texts`,
/// keeping the first non-empty text of each glyph.
fn glyph_texts<'a>(
    texts: &mut [Vec<Option<&'a str>>],
    uses: impl Iterator<Item = &'a content::GlyphUse>,
) {
    for g in uses {
        let Some(table) = texts.get_mut(g.font.index()) else { continue };
        let at = usize::from(g.gid);
        if table.len() <= at {
            table.resize(at + 1, None);
        }
        let slot = &mut table[at];
        if slot.is_none_or(str::is_empty) {
            *slot = Some(&g.text);
        }
    }
}

/// The font objects of every face the pages use, in face order, made from the glyphs
/// (and texts) the pages show (see [`glyph_texts`]).
fn font_objects(
    fonts: &[crate::layout::EmbeddedFont],
    texts: &[Vec<Option<&str>>],
    faces: u128,
    memo: &Memo,
) -> Result<Vec<(usize, Arc<FontObjects>)>, Diagnostic> {
    let mut out = Vec::new();
    for (index, table) in texts.iter().enumerate() {
        if table.is_empty() {
            continue;
        }
        let face = &fonts[index];
        // .notdef is always kept, first, and stands for no text.
        let mut used = vec![(0u16, "")];
        used.extend(
            table
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(gid, t)| Some((gid as u16, (*t)?))),
        );
        let object = memo.get_or("pdf font", &(faces, index, &used), || {
            FontObjects::new(face, &used).map(Arc::new)
        });
        out.push((index, (*object).clone()?));
    }
    Ok(out)
}

/// Writes the file.
#[allow(clippy::too_many_arguments)]
fn write(
    paged: &PagedDocument,
    meta: &Meta,
    memo: &Memo,
    scan: &Scan<'_>,
    tree: &tree::Tree,
    pages: &[Arc<PageEntry>],
    fonts: &[(usize, Arc<FontObjects>)],
    images: &HashMap<[u8; 32], Arc<ImageObject>>,
) -> Vec<u8> {
    // The file's size, estimated from above: a buffer that has to grow holds two
    // copies of the book at once, at the moment memory use peaks.
    let size = pages
        .iter()
        .map(|p| p.streams.iter().map(|s| s.len() + 100).sum::<usize>() + 400)
        .sum::<usize>()
        + fonts.iter().map(|(_, f)| f.size()).sum::<usize>()
        + images.values().map(|i| i.size()).sum::<usize>()
        + tree.nodes.len() * 28
        + scan.links.iter().map(|l| l.len() * 200).sum::<usize>()
        + (256 << 10);
    let mut w = Writer::new(size, memo);
    let [catalog, page_tree, info, resources] = [(); 4].map(|()| w.reserve());
    let page_ids: Vec<Ref> = pages.iter().map(|_| w.reserve()).collect();

    // Link annotations are keyed in the parent tree after the pages.
    let mut annot_keys: Vec<(u32, Option<tags::NodeId>)> = Vec::new();
    let mut written: structure::Annots = Vec::with_capacity(pages.len());
    for (index, (page, entry)) in paged.pages.iter().zip(pages).enumerate() {
        let contents: Vec<Ref> = entry
            .streams
            .iter()
            .map(|stream| {
                let id = w.reserve();
                w.stream(id, b"/Filter/FlateDecode", stream);
                id
            })
            .collect();
        let on_page =
            annotations(&mut w, paged, scan, tree, 0, &page_ids, index, &mut annot_keys);
        let annots: Vec<Ref> = on_page.iter().flatten().copied().collect();
        written.push(on_page);
        let refs = PageRefs { parent: page_tree, resources, contents: &contents };
        w.object(page_ids[index], &page_object(page.size, &refs, &annots, index));
    }
    let structure = structure::write(&mut w, tree, &page_ids, &written, &annot_keys);

    let fonts: Vec<(usize, Ref)> =
        fonts.iter().map(|(index, font)| (*index, font.write(&mut w))).collect();
    let images = write_images(&mut w, images);
    resources_object(&mut w, resources, &fonts, &images);

    let ids = finish::Closing { catalog, page_tree, info, structure };
    finish::closing(&mut w, paged, &scan.anchors, &page_ids, meta, &ids);
    w.finish(catalog, info)
}
