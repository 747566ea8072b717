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
//!    begins; then join the parts into the tree (`tags::stitch`).
//! 2. Encode the images (`images`).
//! 3. Write and compress each page's content stream (`content`), the pages in parallel.
//!    Streams use the original glyph ids as CIDs, so they do not depend on the font
//!    subset.
//! 4. Merge the glyphs the pages use and subset each face (`fonts`).
//! 5. Write the objects (`writer`): pages with their link annotations, the structure
//!    tree (`structure`), fonts, images, the outline, catalog and document information
//!    (`finish`), and an /ID hashed from the content.
//!
//! Steps 1 to 4 are memoized in the session's [`Memo`]: a page's walk and stream are
//! keyed by the page's key (which names what it shows; see [`crate::layout::Page`]) and
//! the elements open where it begins, a font by its face and the glyphs used, an image
//! by its file's hash. A rebuild in which a few pages changed walks and encodes only
//! those; the rest of the export is joining and writing, in time linear in the pages.

mod content;
mod copies;
pub mod encrypt;
mod finish;
mod fonts;
mod images;
mod pages;
mod standards;
mod structure;
mod tags;
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
use crate::layout::{LinkDest, PagedDocument, Point};
use crate::memo::Memo;
use crate::model::Meta;
use content::image_name;
use fonts::{bug, FontObjects};
use images::ImageObject;
use pages::{Link, PageEntry};
use writer::{int, num, reference, Ref, Writer};

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
/// copy's (see [`crate::layout::CopyLayout`]); `memo`
/// keeps the copy's own steps (fonts, watermark) for the next copy. `None` if the copy
/// does not fit them.
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
    let tree = tags::stitch(walks.iter().map(|w| &w.tags));
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
        let Some(table) = texts.get_mut(g.font.0) else { continue };
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
    tree: &tags::Tree,
    pages: &[Arc<PageEntry>],
    fonts: &[(usize, Arc<FontObjects>)],
    images: &HashMap<[u8; 32], Arc<ImageObject>>,
) -> Vec<u8> {
    let size = pages
        .iter()
        .map(|p| p.streams.iter().map(|s| s.len() + 100).sum::<usize>())
        .sum::<usize>()
        + (1 << 20);
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

    page_tree_object(&mut w, page_tree, &page_ids);
    let entries = finish::resolve_outline(paged, &scan.anchors);
    let outline = finish::outline(&mut w, &entries, &page_ids);
    let metadata = finish::metadata(&mut w, meta);
    let pdfa = meta.pdf_standards.iter().any(|s| s.pdfa_level().is_some());
    let output_intent = pdfa.then(|| finish::output_intent(&mut w));
    let refs = finish::Catalog { structure, metadata, output_intent };
    finish::catalog(&mut w, catalog, page_tree, outline, meta, &refs);
    finish::info(&mut w, info, meta);
    w.finish(catalog, info)
}

/// Writes the link annotations of page `index` (of the pages from `first` on, which
/// `tree` holds); each is keyed in the parent tree after the pages, and listed in
/// `keys` with its element. Returns each link area's object (`None`: a link to an anchor
/// that was not placed).
#[allow(clippy::too_many_arguments)]
fn annotations(
    w: &mut Writer,
    paged: &PagedDocument,
    scan: &Scan<'_>,
    tree: &tags::Tree,
    first: usize,
    page_ids: &[Ref],
    index: usize,
    keys: &mut Vec<(u32, Option<tags::NodeId>)>,
) -> Vec<Option<Ref>> {
    let height = paged.pages[index].size.height;
    let links = scan.links[index];
    let mut on_page = Vec::with_capacity(links.len());
    for (k, link) in links.iter().enumerate() {
        let owner = tree.links[index - first].get(k).copied().flatten();
        let key = (paged.pages.len() + keys.len()) as u32;
        let contents = owner.and_then(|n| tree.nodes[n as usize].element.alt.clone());
        let Some(body) =
            annotation(paged, scan, page_ids, height, link, key, contents.as_deref())
        else {
            on_page.push(None);
            continue;
        };
        let id = w.reserve();
        w.object(id, &body);
        keys.push((key, owner));
        on_page.push(Some(id));
    }
    on_page
}

/// What a page object refers to besides its annotations.
struct PageRefs<'a> {
    /// The page tree.
    parent: Ref,
    /// The resource dictionary.
    resources: Ref,
    /// Its content streams, in drawing order.
    contents: &'a [Ref],
}

/// A page object: page `index` (its MCIDs are parent tree key `index`).
fn page_object(
    size: crate::layout::Size,
    refs: &PageRefs<'_>,
    annots: &[Ref],
    index: usize,
) -> Vec<u8> {
    let mut o = b"<</Type/Page/Parent ".to_vec();
    reference(&mut o, refs.parent);
    o.extend_from_slice(b"/MediaBox[0 0 ");
    num(&mut o, size.width.0);
    o.push(b' ');
    num(&mut o, size.height.0);
    o.extend_from_slice(b"]/Resources ");
    reference(&mut o, refs.resources);
    // One stream, or the watermark, body and furniture streams in drawing order.
    if let [one] = refs.contents[..] {
        o.extend_from_slice(b"/Contents ");
        reference(&mut o, one);
    } else {
        o.extend_from_slice(b"/Contents");
        references(&mut o, refs.contents);
    }
    if !annots.is_empty() {
        o.extend_from_slice(b"/Annots");
        references(&mut o, annots);
    }
    // Tab order follows the structure; the page's MCIDs are parent tree key `index`.
    o.extend_from_slice(b"/Tabs/S/StructParents ");
    int(&mut o, index as u64);
    o.extend_from_slice(b">>");
    o
}

/// Writes the images, in the order of their keys; returns their objects.
fn write_images(
    w: &mut Writer,
    images: &HashMap<[u8; 32], Arc<ImageObject>>,
) -> Vec<([u8; 32], Ref)> {
    let mut sorted: Vec<_> = images.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    sorted.into_iter().map(|(key, image)| (*key, image.write(w))).collect()
}

/// Writes the resource dictionary shared by every page: every font (by face index) and
/// image (by key), named as the content streams name them.
fn resources_object(
    w: &mut Writer,
    id: Ref,
    fonts: &[(usize, Ref)],
    images: &[([u8; 32], Ref)],
) {
    let mut o = b"<</Font<<".to_vec();
    for &(index, font) in fonts {
        o.extend_from_slice(b"/F");
        int(&mut o, index as u64);
        o.push(b' ');
        reference(&mut o, font);
    }
    o.extend_from_slice(b">>/XObject<<");
    for (key, image) in images {
        o.push(b'/');
        o.extend_from_slice(image_name(key).as_bytes());
        o.push(b' ');
        reference(&mut o, *image);
    }
    o.extend_from_slice(b">>>>");
    w.object(id, &o);
}

/// Writes the page tree.
fn page_tree_object(w: &mut Writer, id: Ref, pages: &[Ref]) {
    let mut o = b"<</Type/Pages/Kids[".to_vec();
    for (i, &page) in pages.iter().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        reference(&mut o, page);
    }
    o.extend_from_slice(b"]/Count ");
    int(&mut o, pages.len() as u64);
    o.extend_from_slice(b">>");
    w.object(id, &o);
}

/// A link annotation's dictionary; `None` for a link to an anchor that was not placed.
/// `key` is its entry in the parent tree; `contents` describes it (the link's text).
fn annotation(
    paged: &PagedDocument,
    scan: &Scan<'_>,
    page_ids: &[Ref],
    height: crate::layout::Pt,
    link: &Link,
    key: u32,
    contents: Option<&str>,
) -> Option<Vec<u8>> {
    let mut o = b"<</Type/Annot/Subtype/Link/Rect[".to_vec();
    let bottom = height - link.pos.y - link.size.height;
    for (i, v) in
        [link.pos.x, bottom, link.pos.x + link.size.width, bottom + link.size.height]
            .into_iter()
            .enumerate()
    {
        if i > 0 {
            o.push(b' ');
        }
        num(&mut o, v.0);
    }
    o.extend_from_slice(b"]/Border[0 0 0]/F 4/A<<");
    match &link.target {
        LinkDest::Url(url) => {
            o.extend_from_slice(b"/S/URI/URI");
            byte_string(&mut o, url.as_bytes());
        }
        LinkDest::Anchor(name) => {
            let &(index, at): &(usize, Point) = scan.anchors.get(name.as_str())?;
            let top = paged.pages[index].size.height - at.y + crate::layout::Pt(4.0);
            o.extend_from_slice(b"/S/GoTo/D[");
            reference(&mut o, page_ids[index]);
            o.extend_from_slice(b"/XYZ 0 ");
            num(&mut o, top.0);
            o.extend_from_slice(b" null]");
        }
    }
    o.extend_from_slice(b">>/StructParent ");
    int(&mut o, u64::from(key));
    let fallback = match &link.target {
        LinkDest::Url(url) => format!("Link to {url}"),
        LinkDest::Anchor(_) => "Link within the document".to_string(),
    };
    o.extend_from_slice(b"/Contents");
    writer::text_string(&mut o, contents.unwrap_or(&fallback));
    o.extend_from_slice(b">>");
    Some(o)
}

/// A literal string of raw bytes (a URI is bytes, not a text string).
fn byte_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// An array of references: `[1 0 R 2 0 R]`.
fn references(o: &mut Vec<u8>, refs: &[Ref]) {
    o.push(b'[');
    for (i, &r) in refs.iter().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        reference(o, r);
    }
    o.push(b']');
}
