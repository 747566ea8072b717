//! The whole pipeline as one call: [`build`] turns a briefing folder (through a [`World`])
//! into its books.
//!
//! ```text
//! load → expand → model → layout → PDF
//!                               └→ EPUB (the layout's page map gives its page list)
//! ```
//!
//! A [`Session`] carries what one build leaves for the next, so a rebuild after an edit
//! redoes only what the edit concerns; a session used once is a cold build. Callers never
//! see a cache: a warm build returns exactly the bytes a cold build returns.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::compile::{compile_with, Compiled};
use crate::copies::{self, CopyBook, CopySink, RegisterRow};
use crate::diag::{Diagnostic, SourceMap};
use crate::export;
use crate::layout::layout_edition;
use crate::memo::Memo;
use crate::source::LoadOptions;
use crate::world::World;

/// Which books to make, and the date to put in them.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Make the PDF.
    pub pdf: bool,
    /// Make the EPUB.
    pub epub: bool,
    /// `SOURCE_DATE_EPOCH`: the date of a book whose manifest gives none.
    pub source_date_epoch: Option<i64>,
    /// The edition to build (`None`: the first the manifest declares, or the plain book).
    pub edition: Option<String>,
    /// The PDF standards to declare instead of the manifest's (`--pdf-standard`).
    pub pdf_standards: Vec<crate::model::PdfStandard>,
    /// Passwords of numbered copies (`--passwords`): a copy with one is encrypted.
    pub passwords: Option<std::sync::Arc<crate::copies::Passwords>>,
}

impl Options {
    /// Both books.
    pub fn both() -> Self {
        Self { pdf: true, epub: true, ..Self::default() }
    }
}

/// What one build leaves for the next. Start one per folder and pass it to every
/// [`build`] of that folder (watch mode); a fresh session gives a cold build.
#[derive(Default)]
pub struct Session {
    /// Results of the pipeline's pure steps from the last build.
    memo: Memo,
    /// The keys of the PDF pages of the last successful build (to tell which changed).
    pages: Option<Vec<u128>>,
    progress: Option<Box<dyn FnMut(&'static str) + Send>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("pages", &self.pages.as_ref().map(Vec::len))
            .finish()
    }
}

impl Session {
    /// A session with nothing kept yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `progress` with each stage's name as it starts, and `""` at the end.
    pub fn on_progress(&mut self, progress: impl FnMut(&'static str) + Send + 'static) {
        self.progress = Some(Box::new(progress));
    }

    fn progress(&mut self, stage: &'static str) {
        notify(&mut self.progress, stage);
    }
}

/// One book in memory.
#[derive(Debug, Clone)]
pub struct Book {
    /// `pdf` or `epub`.
    pub extension: &'static str,
    /// The file name: the stem and the extension, and for a numbered copy its number
    /// (`briefing-copy-07.pdf`).
    pub file: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// "15 pages", "9 chapters".
    pub summary: String,
}

/// A successful build.
#[derive(Debug)]
pub struct Books {
    /// The books asked for, PDF first.
    pub books: Vec<Book>,
    /// The warnings, in the order the stages found them.
    pub warnings: Vec<Diagnostic>,
    /// The files the diagnostics point into.
    pub sources: SourceMap,
    /// Where the manifest says the books go, and their file stem.
    pub out_dir: PathBuf,
    /// The file name of the books without the extension.
    pub stem: String,
    /// Every edition the manifest declares (empty: a plain book).
    pub editions: Vec<String>,
    /// The edition built (`None`: the plain book).
    pub edition: Option<String>,
    /// Which sections and restricted regions of the source this book holds.
    pub selection: crate::source::Selection,
    /// The book's classification marking (computed from the levels it holds, when the
    /// manifest declares levels).
    pub marking: String,
    /// The PDF pages (0-based) whose content differs from the session's previous build;
    /// `None` on the session's first build or without a PDF.
    pub changed_pages: Option<Vec<usize>>,
    /// The number of pages of the PDF, when one was made.
    pub pdf_pages: Option<usize>,
    /// The numbered copies made, in copy order (empty unless the edition has
    /// `recipients`): the rows of the distribution register.
    pub register: Vec<RegisterRow>,
    /// The number of PDF pages in the session's previous build, when there was one.
    pub previous_pages: Option<usize>,
    /// Every file the build read (through the world).
    pub inputs: Vec<PathBuf>,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// How many times each step of the pipeline ran rather than being reused from the
    /// session: `expand` (a section's template), `model` (a section file's conversion),
    /// `layout` (a chapter's layout).
    pub redone: BTreeMap<&'static str, usize>,
}

impl Books {
    /// The book with this extension.
    pub fn get(&self, extension: &str) -> Option<&[u8]> {
        self.books.iter().find(|b| b.extension == extension).map(|b| b.bytes.as_slice())
    }
}

/// A failed build: nothing was made.
#[derive(Debug)]
pub struct Failure {
    /// The files the diagnostics point into.
    pub sources: SourceMap,
    /// Every file the attempt asked for (a missing file may appear later).
    pub inputs: Vec<PathBuf>,
    /// Warnings found before the failure.
    pub warnings: Vec<Diagnostic>,
    /// Every error of the stage that failed.
    pub errors: Vec<Diagnostic>,
}

impl Failure {
    /// A failure from what a stage reported: the stages report warnings found beside
    /// their errors in the same list, so those join the warnings and `errors` holds
    /// errors only.
    fn new(
        sources: SourceMap,
        mut warnings: Vec<Diagnostic>,
        found: Vec<Diagnostic>,
        inputs: Vec<PathBuf>,
    ) -> Self {
        let (errors, more): (Vec<_>, Vec<_>) =
            found.into_iter().partition(Diagnostic::is_error);
        warnings.extend(more);
        Self { sources, inputs, warnings, errors }
    }
}

/// Builds the books of the briefing in `world`, reusing what `session` kept from its
/// previous build. The result does not depend on what the session kept. The numbered
/// copies of an edition with `recipients` are among the books, in copy order; to write
/// a large batch without holding it in memory, use [`build_streaming`].
pub fn build(
    session: &mut Session,
    world: &World,
    options: &Options,
) -> Result<Books, Failure> {
    let made = Mutex::new(Vec::new());
    let keep = |copy: CopyBook| {
        made.lock().map_err(|_| "a copy could not be kept".to_string())?.push(copy);
        Ok(())
    };
    let mut built = build_streaming(session, world, options, &keep)?;
    let mut copies = made.into_inner().unwrap_or_default();
    copies.sort_by_key(|c| (c.number, c.extension != "pdf"));
    let first_epub = built.books.iter().position(|b| b.extension == "epub");
    let at = first_epub.unwrap_or(built.books.len());
    let copies = copies.into_iter().map(|c| Book {
        extension: c.extension,
        file: c.file.clone(),
        summary: c.summary.clone(),
        bytes: c.into_bytes(),
    });
    built.books.splice(at..at, copies);
    Ok(built)
}

/// [`build`], handing each numbered copy to `sink` as soon as it is made (from several
/// threads at once) rather than returning it: the books returned are the edition's
/// unnumbered ones (its EPUB, unless it has one per copy), and the register lists the
/// copies.
pub fn build_streaming(
    session: &mut Session,
    world: &World,
    options: &Options,
    sink: &CopySink<'_>,
) -> Result<Books, Failure> {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let mut timings = Vec::new();
    let load = LoadOptions {
        source_date_epoch: options.source_date_epoch,
        edition: options.edition.clone(),
    };

    session.memo.start();
    let Session { memo, progress, .. } = session;
    let mut starting = |name| notify(progress, name);
    let compiled =
        compile_with(world, &mut sources, &load, &mut warnings, memo, &mut starting);
    let Compiled { project, document, timings: front } = match compiled {
        Ok(c) => c,
        Err(found) => {
            session.progress("");
            return Err(Failure::new(sources, warnings, found, world.asked()));
        }
    };
    timings.extend(front);
    let mut copy_timings = Vec::new();
    let mut lap = |name: &'static str, started: Instant| {
        timings.push((name, started.elapsed().as_secs_f64() * 1000.0));
    };

    let stem = project.output_stem().to_string();
    let file = |extension: &str| format!("{stem}.{extension}");
    let recipients = project.recipients.as_ref();
    let mut books = Vec::new();
    let mut register = Vec::new();
    let mut errors = Vec::new();
    let mut page_keys: Option<Vec<u128>> = None;
    // The EPUB needs the layout too: its page list gives the printed pages.
    let mut page_map = None;
    if options.pdf || options.epub {
        session.progress("layout");
        let t = Instant::now();
        let laid = layout_edition(&document, &project.layout, &session.memo);
        lap("layout", t);
        match laid {
            Ok((laid, w)) => {
                let paged = laid.paged();
                warnings.extend(w);
                page_map = Some(paged.page_map());
                // The standards the PDF declares, and what in the book breaks them.
                let (meta, mut problems) =
                    export::pdf::standards(&document, &options.pdf_standards);
                // Encrypted copies cannot be PDF/A.
                let edition = project.edition.as_deref().unwrap_or_default();
                if options.passwords.as_ref().is_some_and(|p| p.covers(edition)) {
                    let pdfa =
                        export::pdf::encrypt::check_standards(&meta.pdf_standards, None);
                    problems.extend(pdfa.err());
                }
                let broken = problems.iter().any(Diagnostic::is_error);
                for d in problems {
                    if d.is_error() {
                        errors.push(d);
                    } else {
                        warnings.push(d);
                    }
                }
                if let (true, false, Some(r)) = (options.pdf, broken, recipients) {
                    session.progress("copies");
                    let t = Instant::now();
                    let batch = copies::Batch {
                        laid: &laid,
                        meta: &meta,
                        memo: &session.memo,
                        edition: project.edition.as_deref().unwrap_or_default(),
                        stem: &stem,
                        copies: &r.copies,
                        passwords: options.passwords.as_deref(),
                    };
                    let spent = copies::Spent::default();
                    let made = copies::make_pdfs(&batch, sink, &spent);
                    match made {
                        Ok(rows) => register = rows,
                        Err(e) => errors.extend(e),
                    }
                    lap("copies", t);
                    // Summed over the threads: where a batch's time goes.
                    copy_timings.extend(spent.timings());
                } else if options.pdf && !broken {
                    session.progress("pdf");
                    let t = Instant::now();
                    let pdf = export::pdf::export_pdf_in(paged, &meta, &session.memo);
                    lap("pdf", t);
                    match pdf {
                        Ok(bytes) => books.push(Book {
                            extension: "pdf",
                            file: file("pdf"),
                            summary: plural(paged.pages.len(), "page"),
                            bytes,
                        }),
                        Err(e) => errors.extend(e),
                    }
                    page_keys = Some(paged.pages.iter().map(|p| p.key).collect());
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    let copy_epubs = recipients.filter(|r| r.copy_epubs);
    if let (true, Some(pages), Some(r)) = (options.epub, &page_map, copy_epubs) {
        session.progress("epub");
        let t = Instant::now();
        let made: Vec<Result<(), Vec<Diagnostic>>> = r
            .copies
            .par_iter()
            .map(|mark| {
                let book =
                    copies::make_epub(&document, pages, mark, &stem, &session.memo)?;
                sink(book).map_err(|e| vec![Diagnostic::spanless(e)])
            })
            .collect();
        errors.extend(made.into_iter().filter_map(Result::err).flatten());
        lap("epub", t);
    } else if let (true, Some(pages)) = (options.epub, &page_map) {
        session.progress("epub");
        let t = Instant::now();
        let epub = export::epub::export_epub_paged(&document, pages, &session.memo);
        lap("epub", t);
        match epub {
            Ok((bytes, w)) => {
                warnings.extend(w);
                let chapters = document.sections.len();
                books.push(Book {
                    extension: "epub",
                    file: file("epub"),
                    summary: plural(chapters, "chapter"),
                    bytes,
                });
            }
            Err(e) => errors.extend(e),
        }
    }
    timings.extend(copy_timings);
    session.progress("");
    if !errors.is_empty() {
        return Err(Failure::new(sources, warnings, errors, world.asked()));
    }

    let (changed_pages, previous_pages) = match (&session.pages, &page_keys) {
        (Some(old), Some(new)) => {
            let changed =
                (0..new.len()).filter(|&i| old.get(i) != Some(&new[i])).collect();
            (Some(changed), Some(old.len()))
        }
        _ => (None, None),
    };
    let pdf_pages = page_keys.as_ref().map(Vec::len);
    if page_keys.is_some() {
        session.pages = page_keys;
    }
    // A failed build keeps what the memo held (the next build may need it again), so only
    // a successful one forgets what it did not use.
    let redone = session.memo.end();
    let out_dir = project.output_dir();
    let editions = project.editions.clone();
    let edition = project.edition.clone();
    let selection = project.selection.clone();
    let marking = document.meta.classification.clone();
    // Freeing a 600-page book's model takes milliseconds that a rebuild need not wait for.
    std::thread::spawn(move || drop((document, project)));
    Ok(Books {
        books,
        warnings,
        sources,
        out_dir,
        stem,
        editions,
        edition,
        selection,
        marking,
        pdf_pages,
        register,
        changed_pages,
        previous_pages,
        inputs: world.asked(),
        timings,
        redone,
    })
}

/// What a batch of builds needs to know before it starts: the manifest's editions and
/// where the books go.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The names of the editions the manifest declares, in order (empty: a plain book).
    pub editions: Vec<String>,
    /// The manifest's output folder (where numbered copies are written as they are made).
    pub out_dir: PathBuf,
}

/// The [`Plan`] of the briefing in `world`, from its manifest alone. A manifest that
/// cannot be read gives no editions and the default folder: building it then reports
/// why, before anything is written.
pub fn plan(world: &World) -> Plan {
    let manifest = world
        .read_text(crate::source::MANIFEST, crate::limits::MANIFEST_BYTES)
        .ok()
        .and_then(|text| {
            crate::source::parse_toml::<crate::source::manifest::Manifest>(
                crate::diag::FileId(0),
                &text,
            )
            .ok()
        });
    let out = manifest.as_ref().map_or("build", |m| m.output.dir.get_ref().as_str());
    Plan {
        editions: manifest
            .as_ref()
            .map(crate::source::editions::names)
            .unwrap_or_default(),
        out_dir: world.root().join(out),
    }
}

/// Calls the progress callback, if there is one.
fn notify(
    progress: &mut Option<Box<dyn FnMut(&'static str) + Send>>,
    stage: &'static str,
) {
    if let Some(p) = progress {
        p(stage);
    }
}

/// "1 page", "15 pages".
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
