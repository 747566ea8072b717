//! `briefbook build` and `briefbook check`: the whole pipeline, writing or not.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Session, EXIT_IO, EXIT_OK, EXIT_SOURCE};
use crate::compile::compile;
use crate::diag::{Diagnostic, SourceMap};
use crate::export;
use crate::layout::layout_document;
use crate::source::LoadOptions;

/// One finished book in memory.
struct Output {
    extension: &'static str,
    bytes: Vec<u8>,
    summary: String,
}

/// Builds the briefing in `dir`. With `write` false this is `check`: every stage runs,
/// nothing is written.
pub(super) fn build(
    session: &Session,
    dir: &Path,
    pdf: bool,
    epub: bool,
    out: Option<&Path>,
    write: bool,
) -> u8 {
    let (pdf, epub) = if !pdf && !epub { (true, true) } else { (pdf, epub) };
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: super::source_date_epoch(session) };

    let t = Instant::now();
    let compiled = match compile(dir, &mut sources, &options, &mut warnings) {
        Ok(c) => c,
        Err(errors) => return fail(session, &sources, warnings, errors),
    };
    session.time("model", t);

    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    if pdf {
        let t = Instant::now();
        match layout_document(&compiled.document, &compiled.project.layout) {
            Ok((paged, w)) => {
                warnings.extend(w);
                session.time("layout", t);
                let t = Instant::now();
                match export::pdf::export_pdf(&paged, &compiled.document.meta) {
                    Ok(bytes) => outputs.push(Output {
                        extension: "pdf",
                        summary: format!("{} pages", paged.pages.len()),
                        bytes,
                    }),
                    Err(e) => errors.extend(e),
                }
                session.time("pdf", t);
            }
            Err(e) => errors.extend(e),
        }
    }
    if epub {
        let t = Instant::now();
        match export::epub::export_epub(&compiled.document) {
            Ok((bytes, w)) => {
                warnings.extend(w);
                let chapters = compiled.document.sections.len();
                outputs.push(Output {
                    extension: "epub",
                    summary: format!("{chapters} chapters"),
                    bytes,
                });
            }
            Err(e) => errors.extend(e),
        }
        session.time("epub", t);
    }
    if !errors.is_empty() {
        return fail(session, &sources, warnings, errors);
    }
    session.report(&sources, &warnings);

    let elapsed = session.started.elapsed().as_secs_f64() * 1000.0;
    if !write {
        let what: Vec<_> =
            outputs.iter().map(|o| format!("{} ({})", o.extension, o.summary)).collect();
        session.say(&format!(
            "checked {}: no errors, {} warning(s); {} in {elapsed:.0} ms",
            dir.display(),
            warnings.len(),
            what.join(", ")
        ));
        return EXIT_OK;
    }

    let out_dir: PathBuf = match out {
        Some(o) => o.to_path_buf(),
        None => compiled.project.output_dir(),
    };
    for o in &outputs {
        let path =
            out_dir.join(format!("{}.{}", compiled.project.output_stem(), o.extension));
        if let Err(e) = write_atomic(&path, &o.bytes) {
            let _ = writeln!(
                std::io::stderr(),
                "error: failed to write `{}` ({e})",
                path.display()
            );
            return EXIT_IO;
        }
        session.say(&format!(
            "wrote {} ({}, {:.1} KB)",
            path.display(),
            o.summary,
            o.bytes.len() as f64 / 1024.0
        ));
    }
    session.say(&format!("built in {elapsed:.0} ms"));
    EXIT_OK
}

/// Reports errors (after the warnings) and picks the exit code: 2 when nothing points into
/// the briefing (a missing manifest, an unreadable folder), else 1.
fn fail(
    session: &Session,
    sources: &SourceMap,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
) -> u8 {
    let io_only = errors.iter().all(|e| e.span.is_none());
    let count = errors.len();
    let mut all = warnings;
    all.extend(errors);
    session.report(sources, &all);
    let _ = writeln!(
        std::io::stderr(),
        "error: {count} error(s); no output was written{}",
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
