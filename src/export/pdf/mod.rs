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
pub mod encrypt;
mod finish;
mod fonts;
mod images;
mod pages;
mod standards;
mod structure;
mod tags;
mod tree;
mod writer;
mod xmp;

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use rayon::prelude::*;

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

    // Images, each file once (by its hash, which also names it in the content streams).
    let mut images: HashMap<[u8; 32], Arc<ImageObject>> = HashMap::new();
    let mut data = None;
    for key in walks.iter().flat_map(|w| &w.images) {
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

    // Page streams, the pages in parallel (each is a function of its page alone, so the
    // bytes do not depend on the number of threads).
    let streams: Vec<Arc<PageEntry>> = paged
        .pages
        .par_iter()
        .zip(&snapshots)
        .map(|(page, open)| pages::stream(page, paged, faces, open, memo, bodies))
        .collect();

    let fonts = font_objects(paged, &streams, faces, memo)?;
    Ok(write(paged, meta, memo, &scan, &tree, &streams, &fonts, &images))
}

/// The font objects of every face the pages use, in face order, made from the glyphs
/// (and texts) the pages show.
fn font_objects(
    paged: &PagedDocument,
    pages: &[Arc<PageEntry>],
    faces: u128,
    memo: &Memo,
) -> Result<Vec<(usize, Arc<FontObjects>)>, Diagnostic> {
    // Face → text of each glyph id (the first non-empty one in page order).
    let mut texts: Vec<Vec<Option<&str>>> = vec![Vec::new(); paged.fonts.len()];
    for page in pages {
        for g in page.glyphs.iter().flat_map(|part| part.iter()) {
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
    let mut out = Vec::new();
    for (index, table) in texts.iter().enumerate() {
        if table.is_empty() {
            continue;
        }
        let face = &paged.fonts[index];
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
        let mut on_page = Vec::with_capacity(scan.links[index].len());
        for (k, link) in scan.links[index].iter().enumerate() {
            let owner = tree.links[index].get(k).copied().flatten();
            let key = (paged.pages.len() + annot_keys.len()) as u32;
            let contents = owner.and_then(|n| tree.nodes[n as usize].element.alt.clone());
            let Some(body) = annotation(
                paged,
                scan,
                &page_ids,
                page.size.height,
                link,
                key,
                contents.as_deref(),
            ) else {
                on_page.push(None);
                continue;
            };
            let id = w.reserve();
            w.object(id, &body);
            annot_keys.push((key, owner));
            on_page.push(Some(id));
        }
        let annots: Vec<Ref> = on_page.iter().flatten().copied().collect();
        written.push(on_page);
        let mut o = b"<</Type/Page/Parent ".to_vec();
        reference(&mut o, page_tree);
        o.extend_from_slice(b"/MediaBox[0 0 ");
        num(&mut o, page.size.width.0);
        o.push(b' ');
        num(&mut o, page.size.height.0);
        o.extend_from_slice(b"]/Resources ");
        reference(&mut o, resources);
        // One stream, or the watermark, body and furniture streams in drawing order.
        if let [one] = contents[..] {
            o.extend_from_slice(b"/Contents ");
            reference(&mut o, one);
        } else {
            o.extend_from_slice(b"/Contents");
            references(&mut o, &contents);
        }
        if !annots.is_empty() {
            o.extend_from_slice(b"/Annots");
            references(&mut o, &annots);
        }
        // Tab order follows the structure; the page's MCIDs are parent tree key `index`.
        o.extend_from_slice(b"/Tabs/S/StructParents ");
        int(&mut o, index as u64);
        o.extend_from_slice(b">>");
        w.object(page_ids[index], &o);
    }
    let structure = structure::write(&mut w, tree, &page_ids, &written, &annot_keys);

    // Shared resources: every font and image, named as the content streams name them.
    let mut o = b"<</Font<<".to_vec();
    for (index, font) in fonts {
        let id = font.write(&mut w);
        o.extend_from_slice(b"/F");
        int(&mut o, *index as u64);
        o.push(b' ');
        reference(&mut o, id);
    }
    o.extend_from_slice(b">>/XObject<<");
    let mut sorted: Vec<_> = images.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    for (key, image) in sorted {
        let id = image.write(&mut w);
        o.push(b'/');
        o.extend_from_slice(image_name(key).as_bytes());
        o.push(b' ');
        reference(&mut o, id);
    }
    o.extend_from_slice(b">>>>");
    w.object(resources, &o);

    let mut o = b"<</Type/Pages/Kids[".to_vec();
    for (i, &id) in page_ids.iter().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        reference(&mut o, id);
    }
    o.extend_from_slice(b"]/Count ");
    int(&mut o, page_ids.len() as u64);
    o.extend_from_slice(b">>");
    w.object(page_tree, &o);

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
