//! The final zip: epub-builder's entries in its order, with our file bodies put in,
//! the OPF, navigation document and NCX patched (`normalise.rs`), and a fixed
//! timestamp on every entry.
//!
//! epub-builder is given empty bodies (see `mod.rs`), so it only writes the package
//! files and a few small fixed entries, and compresses almost nothing. Its `Zip` trait
//! lives in a private module and cannot be implemented outside the crate, so the zip
//! is written here instead: each entry is compressed on its own (on every thread, each
//! into a zip of its own, whose entry is then copied compressed into the book, so the
//! bytes do not depend on the threads), through the memo, keyed by its name, its
//! content and the timestamp; an unchanged entry is not compressed again.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::memo::Memo;

use super::normalise::{patch_nav, patch_ncx, patch_opf, zip_time, Fixes, Patch};

/// Writes the EPUB: every entry of `raw` (epub-builder's zip) in order, with the body
/// from `bodies` for the entries epub-builder was given empty, and the package files
/// patched.
pub(super) fn package(
    raw: &[u8],
    bodies: &BTreeMap<String, &[u8]>,
    f: &Fixes,
    memo: &Memo,
) -> Result<Vec<u8>, String> {
    let err = |e: zip::result::ZipError| format!("failed to write the EPUB zip ({e})");
    let time = zip_time(f.timestamp)?;
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(err)?;
    // 1. Every entry's name and content, in epub-builder's order.
    let mut contents: Vec<(String, Cow<[u8]>)> = Vec::with_capacity(archive.len());
    let mut placed = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(err)?;
        let name = entry.name().to_string();
        let content: Cow<[u8]> = match bodies.get(&name) {
            Some(body) if entry.size() == 0 => {
                placed += 1;
                Cow::Borrowed(body)
            }
            Some(_) => return Err(format!("epub-builder wrote a body for {name}")),
            None => {
                let mut bytes = Vec::new();
                entry
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("failed to read {name} ({e})"))?;
                let fix: Option<Patch> = match name.as_str() {
                    "OEBPS/content.opf" => Some(patch_opf),
                    "OEBPS/nav.xhtml" => Some(patch_nav),
                    "OEBPS/toc.ncx" => Some(patch_ncx),
                    _ => None,
                };
                match fix {
                    Some(fix) => {
                        let text = String::from_utf8(bytes)
                            .map_err(|_| format!("{name} is not UTF-8"))?;
                        Cow::Owned(fix(&text, f)?.into_bytes())
                    }
                    None => Cow::Owned(bytes),
                }
            }
        };
        contents.push((name, content));
    }
    // 2. Every entry compressed on its own, on every thread.
    let one: Vec<_> = contents
        .par_iter()
        .map(|(name, content)| {
            let inputs = (name, &**content, f.timestamp);
            memo.get_or("epub zip entry", &inputs, || compress(name, content, time))
        })
        .collect();
    // 3. The zip, in order.
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for one in one {
        let one = one.as_ref().as_ref().map_err(Clone::clone)?;
        let mut one = ZipArchive::new(Cursor::new(&one[..])).map_err(err)?;
        out.raw_copy_file(one.by_index_raw(0).map_err(err)?).map_err(err)?;
    }
    if placed != bodies.len() {
        return Err(format!(
            "epub-builder wrote {placed} of the {} files it was given",
            bodies.len()
        ));
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// A zip holding only the entry `name` with `content`, compressed as the EPUB stores it.
fn compress(name: &str, content: &[u8], time: zip::DateTime) -> Result<Vec<u8>, String> {
    let err = |e: zip::result::ZipError| format!("failed to write the EPUB zip ({e})");
    // `mimetype` must be stored, and is the first entry.
    let method = match name {
        "mimetype" => CompressionMethod::Stored,
        _ => CompressionMethod::Deflated,
    };
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut one = ZipWriter::new(Cursor::new(Vec::new()));
    one.start_file(name, options).map_err(err)?;
    one.write_all(content).map_err(|e| format!("failed to write {name} ({e})"))?;
    Ok(one.finish().map_err(err)?.into_inner())
}
