//! `briefbook build` and `briefbook check`: the whole pipeline, writing or not. The
//! pipeline itself ([`produce`]) is shared with `watch`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Session, EXIT_IO, EXIT_OK, EXIT_SOURCE};
use crate::compile::{compile_with, Caches, Compiled};
use crate::diag::{Diagnostic, SourceMap};
use crate::export;
use crate::layout::{layout_document_with, LayoutCache};
use crate::source::LoadOptions;

/// Which books to make.
#[derive(Debug, Clone, Copy)]
pub(super) struct Formats {
    pub pdf: bool,
    pub epub: bool,
}

impl Formats {
    /// Both formats when neither flag is given.
    pub(super) fn from_flags(pdf: bool, epub: bool) -> Self {
        if !pdf && !epub {
            Self { pdf: true, epub: true }
        } else {
            Self { pdf, epub }
        }
    }
}

/// One finished book in memory.
pub(super) struct Output {
    pub extension: &'static str,
    pub bytes: Vec<u8>,
    pub summary: String,
}

/// A successful run of the pipeline.
pub(super) struct Built {
    pub sources: SourceMap,
    pub warnings: Vec<Diagnostic>,
    pub outputs: Vec<Output>,
    /// Where the books go and their file stem.
    pub out_dir: PathBuf,
    pub stem: String,
    /// A hash of each PDF page's content, to tell which pages a rebuild changed.
    pub page_hashes: Vec<u128>,
    /// Every file the build read (for `watch`).
    pub inputs: Vec<PathBuf>,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, f64)>,
}

/// A failed run: the errors and what is needed to print them.
pub(super) struct Failed {
    pub sources: SourceMap,
    /// Every file the attempt asked for (for `watch`: a missing file may appear).
    pub inputs: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// Runs [`compile_with`] (load → expand → model), then layout and export, in memory.
pub(super) fn produce(
    session: &Session,
    dir: &Path,
    formats: Formats,
    out: Option<&Path>,
    caches: &mut Caches,
) -> Result<Built, Failed> {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let mut timings = Vec::new();
    let options = LoadOptions { source_date_epoch: super::source_date_epoch(session) };
    let world = match super::world(session, dir) {
        Ok(w) => w,
        Err(e) => {
            return Err(Failed { sources, warnings, errors: vec![e], inputs: vec![] })
        }
    };
    macro_rules! stage {
        ($name:literal, $e:expr) => {{
            session.progress($name);
            let t = Instant::now();
            let r = $e;
            timings.push(($name, t.elapsed().as_secs_f64() * 1000.0));
            r
        }};
    }
    macro_rules! fail {
        ($errors:expr) => {
            return Err(Failed {
                sources,
                warnings,
                errors: $errors,
                inputs: world.asked(),
            })
        };
    }

    let compiled = compile_with(
        &world,
        &mut sources,
        &options,
        &mut warnings,
        &mut caches.front,
        &mut |name| {
            session.progress(name);
        },
    );
    let Compiled { project, document, timings: front } = match compiled {
        Ok(c) => c,
        Err(e) => {
            session.progress("");
            fail!(e)
        }
    };
    timings.extend(front);

    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    let mut page_hashes = Vec::new();
    // The EPUB needs the layout too: its page list gives the printed pages.
    let mut page_map = None;
    if formats.pdf || formats.epub {
        match stage!(
            "layout",
            layout_document_with(&document, &project.layout, &mut caches.layout)
        ) {
            Ok((paged, w)) => {
                warnings.extend(w);
                page_map = Some(paged.page_map());
                // The standards the PDF declares, and what in the book breaks them.
                let (meta, problems) =
                    export::pdf::standards(&document, &session.pdf_standards);
                let meta = &meta;
                let broken = problems.iter().any(Diagnostic::is_error);
                for d in problems {
                    if d.is_error() {
                        errors.push(d);
                    } else {
                        warnings.push(d);
                    }
                }
                if formats.pdf && !broken {
                    match stage!(
                        "pdf",
                        export::pdf::export_pdf_with(&paged, meta, &mut caches.pdf)
                    ) {
                        Ok(bytes) => outputs.push(Output {
                            extension: "pdf",
                            summary: plural(paged.pages.len(), "page"),
                            bytes,
                        }),
                        Err(e) => errors.extend(e),
                    }
                    page_hashes = caches.pdf.page_hashes().to_vec();
                }
                if caches.one_shot {
                    // The pages and the font subsets are not needed for the EPUB.
                    drop(paged);
                    caches.layout = LayoutCache::one_shot();
                    caches.pdf = export::pdf::PdfCache::default();
                } else {
                    caches.layout.recycle(paged);
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    if let (true, Some(pages)) = (formats.epub, &page_map) {
        match stage!(
            "epub",
            export::epub::export_epub_paged(&document, pages, &mut caches.epub)
        ) {
            Ok((bytes, w)) => {
                warnings.extend(w);
                let chapters = document.sections.len();
                outputs.push(Output {
                    extension: "epub",
                    summary: plural(chapters, "chapter"),
                    bytes,
                });
            }
            Err(e) => errors.extend(e),
        }
    }
    session.progress("");
    if !errors.is_empty() {
        fail!(errors);
    }

    // Every file the build asked for, through the one file layer.
    let inputs = world.asked();
    let out_dir = out.map_or_else(|| project.output_dir(), Path::to_path_buf);
    let stem = project.output_stem().to_string();
    if !caches.one_shot {
        // Freeing a 600-page book's model takes milliseconds that a rebuild in watch
        // mode need not wait for.
        std::thread::spawn(move || drop((document, project)));
    }
    Ok(Built { sources, warnings, outputs, out_dir, stem, page_hashes, inputs, timings })
}

pub(super) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Builds the briefing in `dir`. With `write` false this is `check`: every stage runs,
/// nothing is written.
pub(super) fn build(
    session: &Session,
    dir: &Path,
    formats: Formats,
    out: Option<&Path>,
    write: bool,
) -> u8 {
    let built = match produce(session, dir, formats, out, &mut Caches::one_shot()) {
        Ok(b) => b,
        Err(f) => return fail(session, &f),
    };
    session.report(&built.sources, &built.warnings);
    session.timings(&built.timings);
    let elapsed = session.started.elapsed().as_secs_f64() * 1000.0;
    if !write {
        let what: Vec<_> = built
            .outputs
            .iter()
            .map(|o| format!("{} ({})", o.extension, o.summary))
            .collect();
        session.say(&format!(
            "checked {}: no errors, {}; {} in {elapsed:.0} ms",
            dir.display(),
            plural(built.warnings.len(), "warning"),
            what.join(", ")
        ));
        return EXIT_OK;
    }
    match write_outputs(&built) {
        Ok(lines) => {
            for line in lines {
                session.say(&line);
            }
            session.say(&format!("built in {elapsed:.0} ms"));
            EXIT_OK
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            EXIT_IO
        }
    }
}

/// Writes every output atomically; returns one "wrote …" line per file.
pub(super) fn write_outputs(built: &Built) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for o in &built.outputs {
        let path = built.out_dir.join(format!("{}.{}", built.stem, o.extension));
        write_atomic(&path, &o.bytes)
            .map_err(|e| format!("failed to write `{}` ({e})", path.display()))?;
        lines.push(format!(
            "wrote {} ({}, {:.1} KB)",
            path.display(),
            o.summary,
            o.bytes.len() as f64 / 1024.0
        ));
    }
    Ok(lines)
}

/// Reports errors (after the warnings) and picks the exit code: 2 when nothing points into
/// the briefing (a missing manifest, an unreadable folder), else 1.
pub(super) fn fail(session: &Session, failed: &Failed) -> u8 {
    let io_only = failed.errors.iter().all(|e| e.span.is_none());
    let mut all = failed.warnings.clone();
    all.extend(failed.errors.iter().cloned());
    session.report(&failed.sources, &all);
    let _ = writeln!(
        std::io::stderr(),
        "error: {} error(s); no output was written{}",
        failed.errors.len(),
        if io_only { "" } else { " (fix the places shown above)" }
    );
    if io_only {
        EXIT_IO
    } else {
        EXIT_SOURCE
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a
/// failed or interrupted build never leaves a truncated book or destroys the last good one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir =
        path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp =
        tempfile::Builder::new().prefix(".briefbook-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are created private (0600); a book is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
