//! `briefbook build` and `briefbook check`: the whole pipeline ([`crate::build()`]),
//! writing the books or not.

use std::io::Write;
use std::path::Path;

use std::collections::BTreeMap;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::{Console, EXIT_IO, EXIT_OK, EXIT_SOURCE};
use crate::build::{plural, Books, Failure, Options, Session};
use crate::copies::CopyBook;

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
    crate::build::build(session, &world, &options(console, formats, edition))
}

/// Builds the briefing in `dir`: the editions named, else every edition it declares,
/// else the plain book. Editions are built side by side (each in a session of its own),
/// and an edition's numbered copies are written as they are made; then the distribution
/// register. With `write` false this is `check`: every stage runs, nothing is written.
pub(super) fn build(
    console: &Console,
    dir: &Path,
    formats: Formats,
    out: Option<&Path>,
    write: bool,
    named: &[String],
) -> u8 {
    let world = match super::world(console, dir) {
        Ok(w) => w,
        Err(e) => {
            let failed = Failure {
                sources: Default::default(),
                inputs: vec![],
                warnings: vec![],
                errors: vec![e],
            };
            return fail(console, &failed);
        }
    };
    let plan = crate::build::plan(&world);
    let out_dir = out.map_or_else(|| plan.out_dir.clone(), Path::to_path_buf);
    let editions: Vec<Option<String>> = match (named, plan.editions.is_empty()) {
        ([], true) => vec![None],
        ([], false) => plan.editions.iter().cloned().map(Some).collect(),
        _ => named.iter().cloned().map(Some).collect(),
    };
    let bar = Progress::new(console, editions.len());
    let results: Vec<Result<Books, Failure>> = editions
        .par_iter()
        .map(|name| {
            let mut session = Session::new();
            let options = options(console, formats, name.as_deref());
            let sink = |copy: CopyBook| {
                if write {
                    let path = out_dir.join(&copy.file);
                    write_atomic_parts(&path, &[&copy.head, &copy.bytes]).map_err(
                        |e| format!("failed to write `{}` ({e})", path.display()),
                    )?;
                }
                bar.copy_done(name.as_deref().unwrap_or_default(), copy.copies);
                Ok(())
            };
            let built =
                crate::build::build_streaming(&mut session, &world, &options, &sink);
            bar.edition_done();
            built
        })
        .collect();
    bar.finish();

    let mut code = EXIT_OK;
    let mut register = Vec::new();
    let (mut books, mut copies) = (0, 0);
    let mut matrix = Vec::new();
    for (name, result) in editions.iter().zip(results) {
        let built = match result {
            Ok(b) => b,
            Err(f) => {
                if let Some(name) = name {
                    let _ = writeln!(std::io::stderr(), "in edition `{name}`:");
                }
                code = code.max(fail(console, &f));
                continue;
            }
        };
        if !write && !built.editions.is_empty() {
            matrix.push(super::matrix::Column::of(&built));
        }
        console.report(&built.sources, &built.warnings);
        console.timings(&built.timings);
        books += built.books.len();
        copies += built.register.len();
        if write {
            let dest = out.map_or_else(|| built.out_dir.clone(), Path::to_path_buf);
            match write_outputs(&built, &dest) {
                Ok(lines) => lines.iter().for_each(|l| console.say(l)),
                Err(message) => {
                    let _ = writeln!(std::io::stderr(), "error: {message}");
                    code = code.max(EXIT_IO);
                }
            }
        } else {
            let what: Vec<_> = built
                .books
                .iter()
                .map(|o| format!("{} ({})", o.extension, o.summary))
                .collect();
            console.say(&format!(
                "checked {}{}: no errors, {}; {}",
                dir.display(),
                built.edition.as_ref().map_or(String::new(), |e| format!(" ({e})")),
                plural(built.warnings.len(), "warning"),
                what.join(", ")
            ));
        }
        if !built.register.is_empty() {
            let first = &built.register[0].file;
            let last = &built.register[built.register.len() - 1].file;
            console.say(&format!(
                "{} {} of {} ({first} … {last})",
                if write { "wrote" } else { "made" },
                copies_text(built.register.len()),
                built.edition.as_deref().unwrap_or("the book"),
            ));
        }
        register.extend(built.register);
    }
    if !matrix.is_empty() && code == EXIT_OK {
        // The matrix is what `check` reports, so it goes to standard output.
        let _ = write!(std::io::stdout(), "{}", super::matrix::render(&matrix));
    }
    if write && !register.is_empty() {
        let path = out_dir.join(crate::copies::REGISTER);
        match write_atomic(&path, crate::copies::register_csv(&register).as_bytes()) {
            Ok(()) => console.say(&format!(
                "wrote {} ({})",
                path.display(),
                copies_text(register.len())
            )),
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: failed to write `{}` ({e})",
                    path.display()
                );
                code = code.max(EXIT_IO);
            }
        }
    }
    let elapsed = console.started.elapsed().as_secs_f64() * 1000.0;
    if code == EXIT_OK {
        let mut parts = vec![plural(editions.len(), "edition")];
        if books > 0 {
            parts.push(plural(books, "book"));
        }
        if copies > 0 {
            parts.push(copies_text(copies));
        }
        let verb = if write { "built" } else { "checked" };
        console.say(&format!("{verb} {} in {elapsed:.0} ms", parts.join(", ")));
    }
    code
}

/// "1 numbered copy", "40 numbered copies".
fn copies_text(n: usize) -> String {
    match n {
        1 => "1 numbered copy".to_string(),
        _ => format!("{n} numbered copies"),
    }
}

/// The build options for one edition.
fn options(console: &Console, formats: Formats, edition: Option<&str>) -> Options {
    Options {
        pdf: formats.pdf,
        epub: formats.epub,
        source_date_epoch: super::source_date_epoch(console),
        edition: edition.map(str::to_string),
        pdf_standards: console.pdf_standards.clone(),
        passwords: console.passwords.clone(),
    }
}

/// The progress of a batch on a terminal: one line, "editions 2/3, copies 17/40"
/// (nothing on anything else, or when quiet).
struct Progress {
    bar: ProgressBar,
    state: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    editions: usize,
    editions_done: usize,
    /// Per edition with copies: how many it has.
    copies: BTreeMap<String, usize>,
    copies_done: usize,
}

impl Progress {
    fn new(console: &Console, editions: usize) -> Self {
        use std::io::IsTerminal;
        let bar = if console.quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        };
        let progress =
            Self { bar, state: Mutex::new(Counts { editions, ..Counts::default() }) };
        progress.show();
        progress
    }

    fn edition_done(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.editions_done += 1;
        }
        self.show();
    }

    fn copy_done(&self, edition: &str, copies: usize) {
        if let Ok(mut s) = self.state.lock() {
            s.copies.insert(edition.to_string(), copies);
            s.copies_done += 1;
        }
        self.show();
    }

    fn show(&self) {
        if self.bar.is_hidden() {
            return;
        }
        let Ok(s) = self.state.lock() else { return };
        let mut message = format!("editions {}/{}", s.editions_done, s.editions);
        if !s.copies.is_empty() {
            let total: usize = s.copies.values().sum();
            message.push_str(&format!(", copies {}/{total}", s.copies_done));
        }
        self.bar.set_message(message);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Writes every unnumbered book atomically (the numbered copies were written as they were
/// made); returns one "wrote …" line per file.
pub(super) fn write_outputs(
    built: &Books,
    out_dir: &Path,
) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for o in &built.books {
        let path = out_dir.join(&o.file);
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
    write_atomic_parts(path, &[bytes])
}

/// [`write_atomic`] for a file given in parts, one after the other.
pub(crate) fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir =
        path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp =
        tempfile::Builder::new().prefix(".briefbook-").suffix(".tmp").tempfile_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
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
