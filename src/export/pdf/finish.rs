//! The lopdf post-pass: what printpdf cannot write itself.
//!
//! A nested outline with positions, /Lang, /PageMode as a name, PDF 1.7, clean
//! document information (no PDF/X leftovers) and an /ID derived from the content.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

use super::fonts::bug;
use crate::diag::Diagnostic;
use crate::layout::PagedDocument;
use crate::model::Meta;

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
pub fn resolve_outline(paged: &PagedDocument) -> Vec<Resolved> {
    let anchors = paged.anchors();
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

/// Applies the post-pass and serialises the document.
pub fn finish(
    mut lo: lopdf::Document,
    meta: &Meta,
    outline: &[Resolved],
) -> Result<Vec<u8>, Diagnostic> {
    let fail = |what: &str, e: lopdf::Error| bug(format!("failed to {what} ({e})"));
    if let Some(root) = build_outline(&mut lo, outline) {
        let catalog = lo.catalog_mut().map_err(|e| fail("find the catalog", e))?;
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    } else {
        let catalog = lo.catalog_mut().map_err(|e| fail("find the catalog", e))?;
        catalog.remove(b"Outlines");
        catalog.remove(b"PageMode");
    }
    let catalog = lo.catalog_mut().map_err(|e| fail("find the catalog", e))?;
    catalog.set("Lang", Object::string_literal(meta.language.as_bytes().to_vec()));

    if let Ok(info) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(dict) = lo.get_dictionary_mut(info) {
            dict.remove(b"GTS_PDFXVersion");
            let empty = |o: &Object| matches!(o, Object::String(s, _) if s.is_empty());
            for key in [b"Identifier".as_slice(), b"Subject", b"Keywords", b"Author"] {
                if dict.get(key).is_ok_and(empty) {
                    dict.remove(key);
                }
            }
            dict.remove(b"Trapped");
        }
    }
    lo.version = "1.7".into();
    lo.trailer.remove(b"ID");
    compress(&mut lo);

    // /ID is a hash of the file written with a placeholder ID of the same length, which
    // is then replaced in place (offsets do not move), so the file is written once.
    let placeholder = Object::String(vec![0xA5; 16], StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| bug(format!("failed to write the PDF ({e})")))?;
    let needle = "A5".repeat(16);
    let digest = Sha256::digest(&out);
    let id: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
    let tail = out.len().saturating_sub(4096);
    let mut at = tail;
    while let Some(i) = find(&out[at..], needle.as_bytes()) {
        out[at + i..at + i + needle.len()].copy_from_slice(id.as_bytes());
        at += i + needle.len();
    }
    if at == tail {
        return Err(bug("the PDF trailer has no /ID".to_string()));
    }
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Flate-compresses every stream that has no filter yet, at the default level (lopdf's
/// `compress` uses the best level, which is several times slower for 1–2% smaller files).
fn compress(lo: &mut lopdf::Document) {
    use std::io::Write;
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(compressed) = encoder.finish() else { continue };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// UTF-16BE with a byte-order mark, as PDF text strings want it.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Builds the outline tree; returns the root's id (None if there are no entries).
fn build_outline(lo: &mut lopdf::Document, entries: &[Resolved]) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
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
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    let descendants = |i: usize| -> i64 {
        let mut n = 0;
        let mut j = i + 1;
        while j < entries.len() {
            let mut q = parent[j];
            let mut inside = false;
            while let Some(k) = q {
                if k == i {
                    inside = true;
                    break;
                }
                q = parent[k];
            }
            if !inside {
                break;
            }
            n += 1;
            j += 1;
        }
        n
    };
    for (i, e) in entries.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        let kids = children(Some(i));
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            d.set("Count", Object::Integer(descendants(i)));
        }
        if let Some(&page) = pages.get(e.page) {
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(e.top as f32),
                    Object::Null,
                ]),
            );
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        d.set("First", Object::Reference(ids[first]));
        d.set("Last", Object::Reference(ids[last]));
    }
    d.set("Count", Object::Integer(entries.len() as i64));
    lo.objects.insert(root, Object::Dictionary(d));
    Some(root)
}
