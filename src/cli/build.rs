//! `briefbook build` and `briefbook check`: the whole pipeline ([`crate::build()`]),
//! writing the books or not.

use std::io::Write;
use std::path::Path;

use super::{Console, EXIT_IO, EXIT_OK, EXIT_SOURCE};
use crate::build::{plural, Books, Failure, Options, Session};

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

/// Builds the briefing in `dir` with `session` (a fresh one for `build` and `check`).
pub(super) fn run_build(
    console: &Console,
    session: &mut Session,
    dir: &Path,
    formats: Formats,
    edition: Option<&str>,
) -> Result<Books, Failure> {
    let world = match super::world(console, dir) {
        Ok(w) => w,
        Err(e) => {
            return Err(Failure {
                sources: Default::default(),
                inputs: vec![],
                warnings: vec![],
                errors: vec![e],
            })
        }
    };
    let options = Options {
        pdf: formats.pdf,
        epub: formats.epub,
        source_date_epoch: super::source_date_epoch(console),
        edition: edition.map(str::to_string),
        pdf_standards: console.pdf_standards.clone(),
    };
    crate::build::build(session, &world, &options)
}

/// Builds the briefing in `dir`: every edition it declares, one after the other (one
/// session, so what editions share is done once), or the plain book. With `write` false
/// this is `check`: every stage runs, nothing is written.
pub(super) fn build(
    console: &Console,
    dir: &Path,
    formats: Formats,
    out: Option<&Path>,
    write: bool,
) -> u8 {
    let mut session = Session::new();
    let quiet = console.quiet;
    session.on_progress(move |stage| super::progress(quiet, stage));
    let first = match run_build(console, &mut session, dir, formats, None) {
        Ok(b) => b,
        Err(f) => return fail(console, &f),
    };
    let rest: Vec<String> = first.editions.iter().skip(1).cloned().collect();
    let mut matrix = Vec::new();
    if !write && !first.editions.is_empty() {
        matrix.push(super::matrix::Column::of(&first));
    }
    let code = finish(console, dir, out, first, write);
    if code != EXIT_OK {
        return code;
    }
    for name in rest {
        let built = match run_build(console, &mut session, dir, formats, Some(&name)) {
            Ok(b) => b,
            Err(f) => {
                let _ = writeln!(std::io::stderr(), "in edition `{name}`:");
                return fail(console, &f);
            }
        };
        if !write {
            matrix.push(super::matrix::Column::of(&built));
        }
        let code = finish(console, dir, out, built, write);
        if code != EXIT_OK {
            return code;
        }
    }
    if !matrix.is_empty() {
        // The matrix is what `check` reports, so it goes to standard output.
        let _ = write!(std::io::stdout(), "{}", super::matrix::render(&matrix));
    }
    EXIT_OK
}

/// Reports and writes (or, for `check`, summarises) one built book.
fn finish(
    console: &Console,
    dir: &Path,
    out: Option<&Path>,
    built: Books,
    write: bool,
) -> u8 {
    let out_dir = out.map_or_else(|| built.out_dir.clone(), Path::to_path_buf);
    console.report(&built.sources, &built.warnings);
    console.timings(&built.timings);
    let elapsed = console.started.elapsed().as_secs_f64() * 1000.0;
    if !write {
        let what: Vec<_> = built
            .books
            .iter()
            .map(|o| format!("{} ({})", o.extension, o.summary))
            .collect();
        console.say(&format!(
            "checked {}: no errors, {}; {} in {elapsed:.0} ms",
            dir.display(),
            plural(built.warnings.len(), "warning"),
            what.join(", ")
        ));
        return EXIT_OK;
    }
    match write_outputs(&built, &out_dir) {
        Ok(lines) => {
            for line in lines {
                console.say(&line);
            }
            console.say(&format!("built in {elapsed:.0} ms"));
            EXIT_OK
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            EXIT_IO
        }
    }
}

/// Writes every output atomically; returns one "wrote …" line per file.
pub(super) fn write_outputs(
    built: &Books,
    out_dir: &Path,
) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for o in &built.books {
        let path = out_dir.join(format!("{}.{}", built.stem, o.extension));
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
pub(super) fn fail(console: &Console, failed: &Failure) -> u8 {
    let io_only = failed.errors.iter().all(|e| e.span.is_none());
    let mut all = failed.warnings.clone();
    all.extend(failed.errors.iter().cloned());
    console.report(&failed.sources, &all);
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
