//! The document-level objects: a nested outline with positions, the catalog (/Lang,
//! /PageMode) and the document information (dates from `meta.timestamp`).

use std::collections::BTreeMap;
use std::io::Write as _;

use crate::layout::{PagedDocument, Point};
use crate::model::Meta;

use super::writer::{name, num, reference, text_string, Ref, Writer};

/// An outline entry with its destination resolved.
pub struct Resolved {
    level: u8,
    title: String,
    /// 0-based page index.
    page: usize,
    /// Distance of the destination from the page's bottom edge.
    top: f64,
}

/// Finds the page and position of every outline entry's anchor (unplaced ones are skipped).
pub fn resolve_outline(
    paged: &PagedDocument,
    anchors: &BTreeMap<&str, (usize, Point)>,
) -> Vec<Resolved> {
    paged
        .outline
        .iter()
        .filter_map(|e| {
            let &(page, at) = anchors.get(e.anchor.as_str())?;
            let height = paged.pages[page].size.height;
            let top = (height - at.y).0 + 4.0;
            Some(Resolved { level: e.level, title: e.title.clone(), page, top })
        })
        .collect()
}

/// The objects numbered before the pages that every file ends with.
pub struct Closing {
    /// The catalog.
    pub catalog: Ref,
    /// The page tree.
    pub page_tree: Ref,
    /// The Info dictionary.
    pub info: Ref,
    /// The structure tree's root.
    pub structure: Ref,
}

/// Writes the page tree, the outline, the metadata (and a PDF/A output intent), the
/// catalog and the Info dictionary.
pub fn closing(
    w: &mut Writer,
    paged: &PagedDocument,
    anchors: &BTreeMap<&str, (usize, Point)>,
    pages: &[Ref],
    meta: &Meta,
    ids: &Closing,
) {
    super::objects::page_tree_object(w, ids.page_tree, pages);
    let entries = resolve_outline(paged, anchors);
    let outline = outline(w, &entries, pages);
    let metadata = metadata(w, meta);
    let pdfa = meta.pdf_standards.iter().any(|s| s.pdfa_level().is_some());
    let output_intent = pdfa.then(|| output_intent(w));
    let refs = Catalog { structure: ids.structure, metadata, output_intent };
    catalog(w, ids.catalog, ids.page_tree, outline, meta, &refs);
    info(w, ids.info, meta);
}

/// What the catalog refers to besides the pages and the outline.
pub struct Catalog {
    /// The structure tree's root.
    pub structure: Ref,
    /// The XMP metadata stream.
    pub metadata: Ref,
    /// The PDF/A output intent, if one was written.
    pub output_intent: Option<Ref>,
}

/// Writes the catalog: a tagged PDF (/MarkInfo, /StructTreeRoot) whose viewer shows the
/// title rather than the file name.
pub fn catalog(
    w: &mut Writer,
    id: Ref,
    pages: Ref,
    outline: Option<Ref>,
    meta: &Meta,
    refs: &Catalog,
) {
    let mut o = b"<</Type/Catalog/Pages ".to_vec();
    reference(&mut o, pages);
    if let Some(root) = outline {
        o.extend_from_slice(b"/Outlines ");
        reference(&mut o, root);
        o.extend_from_slice(b"/PageMode/UseOutlines");
    }
    o.extend_from_slice(b"/Lang");
    text_string(&mut o, &meta.language);
    o.extend_from_slice(b"/MarkInfo<</Marked true>>/StructTreeRoot ");
    reference(&mut o, refs.structure);
    o.extend_from_slice(b"/ViewerPreferences<</DisplayDocTitle true>>/Metadata ");
    reference(&mut o, refs.metadata);
    if let Some(intent) = refs.output_intent {
        o.extend_from_slice(b"/OutputIntents[");
        reference(&mut o, intent);
        o.push(b']');
    }
    o.extend_from_slice(b">>");
    w.object(id, &o);
}

/// The sRGB profile of the output intent (from Debian's icc-profiles-free, zlib
/// licence; see `icc/COPYRIGHT.icc-profiles-free`).
const SRGB: &[u8] = include_bytes!("icc/sRGB.icc");

/// Writes the PDF/A output intent (sRGB, the colour space every colour we write is
/// meant in) with its embedded ICC profile; returns its id.
pub fn output_intent(w: &mut Writer) -> Ref {
    let profile = w.reserve();
    w.stream(profile, b"/N 3/Filter/FlateDecode", &super::writer::deflate(SRGB));
    let id = w.reserve();
    let mut o = b"<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier(sRGB IEC61966-2.1)/Info(sRGB IEC61966-2.1)/DestOutputProfile ".to_vec();
    reference(&mut o, profile);
    o.extend_from_slice(b">>");
    w.object(id, &o);
    id
}

/// Writes the XMP metadata stream: the same facts as the document information, the
/// language, and the standards the file declares.
pub fn metadata(w: &mut Writer, meta: &Meta) -> Ref {
    let id = w.reserve();
    let xmp = super::xmp::packet(meta);
    w.stream(id, b"/Type/Metadata/Subtype/XML", xmp.as_bytes());
    id
}

/// Writes the document information dictionary (empty entries are left out).
pub fn info(w: &mut Writer, id: Ref, meta: &Meta) {
    let date = meta.timestamp.format("D:%Y%m%d%H%M%S+00'00'").to_string();
    let authors = meta.authors.join(", ");
    let keywords = meta.subjects.join(",");
    let entries = [
        ("Title", meta.title.as_str()),
        ("Author", &authors),
        ("Subject", meta.description.as_deref().unwrap_or("")),
        ("Keywords", &keywords),
        ("Creator", "briefbook"),
        ("Producer", "briefbook"),
        ("CreationDate", &date),
        ("ModDate", &date),
    ];
    let mut o = b"<<".to_vec();
    for (key, value) in entries {
        if !value.is_empty() {
            name(&mut o, key);
            text_string(&mut o, value);
        }
    }
    o.extend_from_slice(b">>");
    w.object(id, &o);
}

/// Writes the outline tree; returns the root's id (None if there are no entries).
pub fn outline(w: &mut Writer, entries: &[Resolved], pages: &[Ref]) -> Option<Ref> {
    if entries.is_empty() {
        return None;
    }
    let root = w.reserve();
    let ids: Vec<Ref> = entries.iter().map(|_| w.reserve()).collect();
    // Parent of each entry: the nearest earlier entry with a lower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut children: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    // Each entry's place among its siblings (a chapter may have thousands).
    let mut place = Vec::with_capacity(entries.len());
    for (i, p) in parent.iter().enumerate() {
        let siblings = children.entry(*p).or_default();
        place.push(siblings.len());
        siblings.push(i);
    }
    let none = Vec::new();
    let kids = |p: Option<usize>| children.get(&p).unwrap_or(&none);
    // Entries are in document order, so an entry's descendants directly follow it.
    let descendants = |i: usize| -> usize {
        let inside = |mut q: Option<usize>| {
            while let Some(k) = q {
                if k == i {
                    return true;
                }
                q = parent[k];
            }
            false
        };
        (i + 1..entries.len()).take_while(|&j| inside(parent[j])).count()
    };
    let link = |o: &mut Vec<u8>, key: &[u8], id: Ref| {
        o.extend_from_slice(key);
        reference(o, id);
    };
    for (i, e) in entries.iter().enumerate() {
        let siblings = kids(parent[i]);
        let pos = place[i];
        let mut o = b"<</Title".to_vec();
        text_string(&mut o, &e.title);
        link(&mut o, b"/Parent ", parent[i].map_or(root, |p| ids[p]));
        if pos > 0 {
            link(&mut o, b"/Prev ", ids[siblings[pos - 1]]);
        }
        if let Some(&next) = siblings.get(pos + 1) {
            link(&mut o, b"/Next ", ids[next]);
        }
        let own = kids(Some(i));
        if let (Some(&first), Some(&last)) = (own.first(), own.last()) {
            link(&mut o, b"/First ", ids[first]);
            link(&mut o, b"/Last ", ids[last]);
            let _ = write!(o, "/Count {}", descendants(i));
        }
        if let Some(&page) = pages.get(e.page) {
            link(&mut o, b"/Dest[", page);
            o.extend_from_slice(b"/XYZ null ");
            num(&mut o, e.top);
            o.extend_from_slice(b" null]");
        }
        o.extend_from_slice(b">>");
        w.object(ids[i], &o);
    }
    let top = kids(None);
    let mut o = b"<</Type/Outlines".to_vec();
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        link(&mut o, b"/First ", ids[first]);
        link(&mut o, b"/Last ", ids[last]);
    }
    let _ = write!(o, "/Count {}>>", entries.len());
    w.object(root, &o);
    Some(root)
}
