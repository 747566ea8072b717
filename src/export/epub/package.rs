//! The final zip: epub-builder's entries in its order, with our file bodies put in,
//! the OPF, navigation document and NCX patched (`normalise.rs`), and a fixed
//! timestamp on every entry.
//!
//! epub-builder is given empty bodies (see `mod.rs`), so it only writes the package
//! files and a few small fixed entries, and compresses almost nothing. Its `Zip` trait
//! lives in a private module and cannot be implemented outside the crate, so the zip
//! is written here instead: an entry whose name and content are byte-equal to the last
//! export's is copied compressed from the last output ([`ZipCache`]); only changed
//! entries are deflated again, on every thread (each into a zip of its own, whose entry
//! is then copied compressed into the book, so the bytes do not depend on the threads).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::normalise::{patch_nav, patch_ncx, patch_opf, zip_time, Fixes, Patch};

/// The last output and the content of each of its entries.
#[derive(Default)]
pub(super) struct ZipCache {
    /// The timestamp every entry of `output` carries.
    time: Option<zip::DateTime>,
    /// The last EPUB written.
    output: Vec<u8>,
    /// Entry name → (index in `output`, uncompressed content).
    entries: HashMap<String, (usize, Vec<u8>)>,
}

/// Writes the EPUB: every entry of `raw` (epub-builder's zip) in order, with the body
/// from `bodies` for the entries epub-builder was given empty, and the package files
/// patched. Unchanged entries are copied from `cache`, which is then updated.
pub(super) fn package(
    raw: &[u8],
    bodies: &BTreeMap<String, &[u8]>,
    f: &Fixes,
    cache: &mut ZipCache,
) -> Result<Vec<u8>, String> {
    let err = |e: zip::result::ZipError| format!("failed to write the EPUB zip ({e})");
    let time = zip_time(f.timestamp)?;
    if cache.time != Some(time) {
        *cache = ZipCache { time: Some(time), ..ZipCache::default() };
    }
    let mut last = match cache.output.is_empty() {
        true => None,
        false => Some(ZipArchive::new(Cursor::new(&cache.output[..])).map_err(err)?),
    };
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
    // 2. The entries unchanged since the last export, by their index there; the others
    //    are compressed on every thread, each into a zip of its own.
    let kept: Vec<Option<(usize, Vec<u8>)>> = contents
        .iter()
        .map(|(name, content)| match cache.entries.remove(name) {
            Some((at, old)) if last.is_some() && *old == **content => Some((at, old)),
            _ => None,
        })
        .collect();
    let fresh: Vec<Option<Vec<u8>>> = contents
        .par_iter()
        .zip(&kept)
        .map(|((name, content), kept)| match kept {
            Some(_) => Ok(None),
            None => compress(name, content, time).map(Some),
        })
        .collect::<Result<_, _>>()?;
    // 3. The zip, in order.
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let mut entries = HashMap::new();
    for (i, (((name, content), kept), fresh)) in
        contents.into_iter().zip(kept).zip(fresh).enumerate()
    {
        match (kept, fresh, last.as_mut()) {
            (Some((at, old)), _, Some(last)) => {
                out.raw_copy_file(last.by_index_raw(at).map_err(err)?).map_err(err)?;
                entries.insert(name, (i, old));
            }
            (_, Some(one), _) => {
                let mut one = ZipArchive::new(Cursor::new(&one[..])).map_err(err)?;
                out.raw_copy_file(one.by_index_raw(0).map_err(err)?).map_err(err)?;
                entries.insert(name, (i, content.into_owned()));
            }
            _ => return Err(format!("no content for {name}")),
        }
    }
    if placed != bodies.len() {
        return Err(format!(
            "epub-builder wrote {placed} of the {} files it was given",
            bodies.len()
        ));
    }
    let output = out.finish().map_err(err)?.into_inner();
    *cache = ZipCache { time: Some(time), output: output.clone(), entries };
    Ok(output)
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
