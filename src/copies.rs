//! Numbered copies: an edition with `recipients` makes one PDF per recipient. Each copy
//! is the edition's pages with its own cover and watermark (and running heads and feet,
//! when their templates name a copy field), written as soon as it is made, several at a
//! time, after the objects every copy shares (see [`export::pdf::Shared`]); the
//! distribution register lists every copy with the SHA-256 of its file.
//!
//! File names carry the copy number, never the recipient (`briefing-copy-07.pdf`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

mod passwords;

pub use passwords::Passwords;

use crate::diag::Diagnostic;
use crate::export;
use crate::layout::Edition;
use crate::memo::Memo;
use crate::model::{CopyMark, Document, Meta};

/// The distribution register's file name, in the output folder.
pub const REGISTER: &str = "register.csv";

/// One file of a numbered copy, made and handed to the caller to write.
#[derive(Debug, Clone)]
pub struct CopyBook {
    /// The copy number.
    pub number: usize,
    /// How many copies the edition has.
    pub copies: usize,
    /// The file name (`STEM-copy-07.pdf`).
    pub file: String,
    /// `pdf` or `epub`.
    pub extension: &'static str,
    /// The file's bytes: `head`, then `bytes`. `head` is what every copy of the
    /// edition's PDF begins with, held once for them all (empty for an EPUB, an
    /// encrypted copy, or a copy that shares nothing).
    pub head: Arc<[u8]>,
    /// The rest of the file's bytes.
    pub bytes: Vec<u8>,
    /// "15 pages", "9 chapters".
    pub summary: String,
}

impl CopyBook {
    /// The file's bytes in one piece.
    pub fn into_bytes(self) -> Vec<u8> {
        match self.head.is_empty() {
            true => self.bytes,
            false => [&self.head[..], &self.bytes].concat(),
        }
    }
}

/// Where the copies go as they are made: called from several threads at once, once per
/// file; an error (a failed write) stops the batch.
pub type CopySink<'a> = dyn Fn(CopyBook) -> Result<(), String> + Sync + 'a;

/// One row of the distribution register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// The edition's name.
    pub edition: String,
    /// The copy number.
    pub copy: usize,
    /// Who it is issued to.
    pub recipient: String,
    /// The PDF's file name.
    pub file: String,
    /// The PDF's page count.
    pub pages: usize,
    /// The SHA-256 of the PDF's bytes, in lowercase hex.
    pub sha256: String,
    /// Whether the PDF is encrypted (opens only with its password).
    pub encrypted: bool,
}

/// The file name of copy `number` of `copies`: the number padded to the width of the
/// largest (at least two digits), so the files sort in copy order.
pub fn file_name(stem: &str, number: usize, copies: usize, extension: &str) -> String {
    let width = copies.to_string().len().max(2);
    format!("{stem}-copy-{number:0width$}.{extension}")
}

/// The register as CSV: a header, then one row per copy in the order given.
pub fn register_csv(rows: &[RegisterRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header = ["edition", "copy", "recipient", "file", "pages", "sha256", "encrypted"];
    let _ = w.write_record(header);
    for r in rows {
        let (copy, pages) = (r.copy.to_string(), r.pages.to_string());
        let encrypted = if r.encrypted { "yes" } else { "no" };
        let _ = w.write_record([
            &r.edition,
            &copy,
            &r.recipient,
            &r.file,
            &pages,
            &r.sha256,
            encrypted,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// What every copy of an edition shares.
pub(crate) struct Batch<'a> {
    /// The edition laid out.
    pub laid: &'a Edition,
    /// The PDF's metadata (with the standards it declares).
    pub meta: &'a Meta,
    pub memo: &'a Memo,
    pub edition: &'a str,
    pub stem: &'a str,
    /// The copies, by number.
    pub copies: &'a [CopyMark],
    /// Passwords of copies to encrypt.
    pub passwords: Option<&'a Passwords>,
}

/// The time the copies of a batch spent in each step, summed over the threads
/// (milliseconds): laying out, writing the PDF, handing to the sink; and writing the
/// objects they share.
#[derive(Default)]
pub(crate) struct Spent {
    nanos: [AtomicU64; 4],
}

impl Spent {
    fn add(&self, step: usize, since: Instant) {
        let n = since.elapsed().as_nanos().min(u128::from(u64::MAX)) as u64;
        self.nanos[step].fetch_add(n, Ordering::Relaxed);
    }

    /// The sums as `--timings` lines.
    pub(crate) fn timings(&self) -> [(&'static str, f64); 4] {
        let ms = |i: usize| self.nanos[i].load(Ordering::Relaxed) as f64 / 1e6;
        [("c-shared", ms(3)), ("c-layout", ms(0)), ("c-pdf", ms(1)), ("c-write", ms(2))]
    }
}

/// Makes every copy's PDF, several at a time, and hands each to `sink` as soon as it is
/// made. The objects the copies share are written first, once. Each writer thread keeps
/// a memo of its own from copy to copy (what the last copy made that this one can use:
/// font subsets, the watermark's stream; the rest is dropped after each copy, so a batch
/// holds one copy's streams per thread, not every copy's). Returns the register rows in
/// copy order.
pub(crate) fn make_pdfs(
    batch: &Batch<'_>,
    sink: &CopySink<'_>,
    spent: &Spent,
) -> Result<Vec<RegisterRow>, Vec<Diagnostic>> {
    if batch.copies.is_empty() {
        return Ok(Vec::new());
    }
    let t = Instant::now();
    let look = export::pdf::Look {
        watermark: batch.copies.iter().any(|c| c.watermark.is_some()),
        own_furniture: batch.laid.copies_own_furniture(),
    };
    let shared = export::pdf::share(batch.laid.paged(), batch.meta, look, batch.memo)?;
    spent.add(3, t);
    let pool: Mutex<Vec<Memo>> = Mutex::new(Vec::new());
    batch
        .copies
        .par_iter()
        .map(|mark| {
            let mut writer =
                pool.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default();
            writer.start();
            let made = one_pdf(batch, shared.as_ref(), mark, &writer, spent);
            if made.is_ok() {
                writer.end();
            }
            if let Ok(mut p) = pool.lock() {
                p.push(writer);
            }
            let (book, pages, sha256) = made?;
            let row = RegisterRow {
                edition: batch.edition.to_string(),
                copy: mark.number,
                recipient: mark.recipient.clone(),
                file: book.file.clone(),
                pages,
                sha256: hex(&sha256),
                encrypted: batch
                    .passwords
                    .is_some_and(|p| p.get(batch.edition, mark.number).is_some()),
            };
            let t = Instant::now();
            sink(book).map_err(|e| vec![Diagnostic::spanless(e)])?;
            spent.add(2, t);
            Ok(row)
        })
        .collect::<Result<Vec<_>, Vec<Diagnostic>>>()
}

/// Lays out and writes one copy; returns it, its page count and the SHA-256 of its
/// bytes.
fn one_pdf(
    batch: &Batch<'_>,
    shared: Option<&export::pdf::Shared<'_>>,
    mark: &CopyMark,
    writer: &Memo,
    spent: &Spent,
) -> Result<(CopyBook, usize, [u8; 32]), Vec<Diagnostic>> {
    let t = Instant::now();
    let laid = batch.laid.copy(mark, batch.memo)?;
    spent.add(0, t);
    let t = Instant::now();
    let pages = laid.pages.len();
    let made = shared.and_then(|s| {
        export::pdf::export_copy(s, &laid.pages, laid.own_furniture, writer)
    });
    let mut file = match made {
        Some(made) => made?,
        None => {
            // A copy that cannot share the edition's objects is written as a book.
            let meta = Meta { copy: Some(mark.clone()), ..batch.meta.clone() };
            let paged = batch.laid.copy_paged(laid);
            let own = export::pdf::export_pdf_sharing(&paged, &meta, writer, batch.memo)?;
            let sha256 = Sha256::digest(&own).into();
            export::pdf::CopyFile { head: Arc::from([]), own, sha256 }
        }
    };
    if let Some(password) =
        batch.passwords.and_then(|p| p.get(batch.edition, mark.number))
    {
        let whole = [&file.head[..], &file.own].concat();
        let own = export::pdf::encrypt::protect(&whole, password).map_err(|d| vec![d])?;
        let sha256 = Sha256::digest(&own).into();
        file = export::pdf::CopyFile { head: Arc::from([]), own, sha256 };
    }
    spent.add(1, t);
    let book = CopyBook {
        number: mark.number,
        copies: mark.copies,
        file: file_name(batch.stem, mark.number, mark.copies, "pdf"),
        extension: "pdf",
        head: file.head,
        bytes: file.own,
        summary: crate::build::plural(pages, "page"),
    };
    Ok((book, pages, file.sha256))
}

/// A copy's EPUB (when the edition asks for one per copy): the edition's, with the copy
/// named on its title page. What the copies share (chapters, the cover, most zip
/// entries) is made once, through `memo`.
pub(crate) fn make_epub(
    document: &Document,
    pages: &crate::model::PageMap,
    mark: &CopyMark,
    stem: &str,
    memo: &Memo,
) -> Result<CopyBook, Vec<Diagnostic>> {
    let mut doc = document.clone();
    doc.meta.copy = Some(mark.clone());
    let (bytes, _) = export::epub::export_epub_paged(&doc, pages, memo)?;
    Ok(CopyBook {
        number: mark.number,
        copies: mark.copies,
        file: file_name(stem, mark.number, mark.copies, "epub"),
        extension: "epub",
        head: Arc::from([]),
        bytes,
        summary: crate::build::plural(document.sections.len(), "chapter"),
    })
}

/// Bytes in lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_sort_in_copy_order_and_never_name_the_recipient() {
        assert_eq!(file_name("briefing", 7, 40, "pdf"), "briefing-copy-07.pdf");
        assert_eq!(file_name("briefing", 7, 8, "pdf"), "briefing-copy-07.pdf");
        assert_eq!(file_name("b", 42, 100, "epub"), "b-copy-042.epub");
    }

    #[test]
    fn the_register_quotes_what_needs_quoting() {
        let row = RegisterRow {
            edition: "delegation".into(),
            copy: 3,
            recipient: "Adviser, trade".into(),
            file: "briefing-copy-03.pdf".into(),
            pages: 15,
            sha256: "ab".into(),
            encrypted: true,
        };
        assert_eq!(
            register_csv(&[row]),
            "edition,copy,recipient,file,pages,sha256,encrypted\n\
             delegation,3,\"Adviser, trade\",briefing-copy-03.pdf,15,ab,yes\n"
        );
    }
}
