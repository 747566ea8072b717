//! The document's objects around the content streams: page objects with their link
//! annotations, the resource dictionary, the page tree.

use std::collections::HashMap;
use std::sync::Arc;

use super::content::image_name;
use super::images::ImageObject;
use super::pages::Link;
use super::writer::{self, int, num, reference, Ref, Writer};
use super::{tags, Scan};
use crate::layout::{LinkDest, PagedDocument, Point};

/// Writes the link annotations of page `index` (of the pages from `first` on, which
/// `tree` holds); each is keyed in the parent tree after the pages, and listed in
/// `keys` with its element. Returns each link area's object (`None`: a link to an anchor
/// that was not placed).
#[allow(clippy::too_many_arguments)]
pub fn annotations(
    w: &mut Writer,
    paged: &PagedDocument,
    scan: &Scan<'_>,
    tree: &super::tree::Tree,
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
pub struct PageRefs<'a> {
    /// The page tree.
    pub parent: Ref,
    /// The resource dictionary.
    pub resources: Ref,
    /// Its content streams, in drawing order.
    pub contents: &'a [Ref],
}

/// A page object: page `index` (its MCIDs are parent tree key `index`).
pub fn page_object(
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
pub fn write_images(
    w: &mut Writer,
    images: &HashMap<[u8; 32], Arc<ImageObject>>,
) -> Vec<([u8; 32], Ref)> {
    let mut sorted: Vec<_> = images.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    sorted.into_iter().map(|(key, image)| (*key, image.write(w))).collect()
}

/// Writes the resource dictionary shared by every page: every font (by face index) and
/// image (by key), named as the content streams name them.
pub fn resources_object(
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
pub fn page_tree_object(w: &mut Writer, id: Ref, pages: &[Ref]) {
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
