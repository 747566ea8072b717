//! `briefbook watch`: rebuild when a file the last build read changes.
//!
//! After every build the watcher is re-armed on the folders of the files that build read
//! (manifest, sections, data, images, fonts). Events are debounced; a failed build prints
//! its diagnostics and keeps the previous books, which are only ever replaced by renaming
//! a complete new file over them.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use super::build::{run_build, write_outputs, Formats};
use super::{Console, EXIT_IO, EXIT_OK};
use crate::build::Session;

/// Quiet time after the last event before rebuilding (editors write files in bursts).
const DEBOUNCE: Duration = Duration::from_millis(120);

/// Quiet time after a file was closed for writing or renamed into place: its writer is
/// done with it, so only another file of the same burst is waited for.
const SETTLE: Duration = Duration::from_millis(10);

enum Message {
    Changed(notify::Event),
    Stop,
}

/// Watches and rebuilds until Ctrl-C.
pub(super) fn watch(
    console: &Console,
    dir: &Path,
    formats: Formats,
    out: Option<&Path>,
    named: &[String],
) -> u8 {
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        eprintln!("error: cannot handle Ctrl-C ({e})");
        return EXIT_IO;
    }
    let mut watcher =
        match notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                let _ = tx.send(Message::Changed(event));
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("error: cannot watch files ({e})");
                return EXIT_IO;
            }
        };

    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
    let mut inputs: BTreeSet<PathBuf> =
        BTreeSet::from([dir.join(crate::source::MANIFEST)]);
    let mut out_dir = out.map_or_else(|| dir.join("build"), Path::to_path_buf);
    let mut first = true;
    // The editions named on the command line (else the first, or the plain book), each
    // with a session of its own: unchanged sections, chapters and shaped words are
    // reused from build to build.
    let editions: Vec<Option<String>> = match named {
        [] => vec![None],
        _ => named.iter().cloned().map(Some).collect(),
    };
    let quiet = console.quiet;
    let mut sessions: Vec<(Session, HashSet<String>)> = editions
        .iter()
        .map(|_| {
            let mut session = Session::new();
            session.on_progress(move |stage| super::progress(quiet, stage));
            (session, HashSet::new())
        })
        .collect();

    loop {
        inputs.clear();
        let mut register = Vec::new();
        for (edition, (session, shown)) in editions.iter().zip(&mut sessions) {
            let started = Instant::now();
            match run_build(console, session, &dir, formats, edition.as_deref()) {
                Ok(built) => {
                    // Warnings already shown by the previous build are not repeated.
                    let keys: Vec<String> =
                        built.warnings.iter().map(|d| format!("{d:?}")).collect();
                    let new: Vec<_> = built
                        .warnings
                        .iter()
                        .zip(&keys)
                        .filter(|(_, k)| !shown.contains(*k))
                        .map(|(d, _)| d.clone())
                        .collect();
                    console.report(&built.sources, &new);
                    *shown = keys.into_iter().collect();
                    out_dir =
                        out.map_or_else(|| built.out_dir.clone(), Path::to_path_buf);
                    inputs.extend(built.inputs.iter().cloned());
                    register.extend(built.register.iter().cloned());
                    let writing = Instant::now();
                    let written = write_outputs(&built, &out_dir);
                    let mut timings = built.timings.clone();
                    timings.push(("write", writing.elapsed().as_secs_f64() * 1000.0));
                    console.timings(&timings);
                    match written {
                        Ok(_) => {
                            let ms = started.elapsed().as_secs_f64() * 1000.0;
                            let what: Vec<_> =
                                built.books.iter().map(|o| o.summary.clone()).collect();
                            let changed =
                                match (&built.changed_pages, built.previous_pages) {
                                    (Some(pages), Some(old)) => {
                                        let new = built.pdf_pages.unwrap_or(0);
                                        format!(
                                            "; PDF {}",
                                            changed_pages(pages, old, new)
                                        )
                                    }
                                    _ => String::new(),
                                };
                            let repeated = built.warnings.len() - new.len();
                            let warnings = match repeated {
                                0 => {
                                    crate::build::plural(built.warnings.len(), "warning")
                                }
                                _ => format!(
                                    "{} ({} new)",
                                    crate::build::plural(built.warnings.len(), "warning"),
                                    new.len()
                                ),
                            };
                            console.status(&format!(
                                "{} in {ms:.0} ms: {}, {warnings}{changed}",
                                if first { "built" } else { "rebuilt" },
                                what.join(", "),
                            ));
                        }
                        Err(message) => console.status(&format!("error: {message}")),
                    }
                }
                Err(failed) => {
                    let mut all = failed.warnings.clone();
                    all.extend(failed.errors.iter().cloned());
                    console.report(&failed.sources, &all);
                    // Keep watching what this attempt read too (a file it could not find may appear).
                    inputs.extend(failed.inputs.iter().cloned());
                    console.status(&format!(
                        "error: {} error(s); the previous books are unchanged",
                        failed.errors.len()
                    ));
                }
            }
        }
        if !register.is_empty() {
            let path = out_dir.join(crate::copies::REGISTER);
            let csv = crate::copies::register_csv(&register);
            if let Err(e) = super::build::write_atomic(&path, csv.as_bytes()) {
                console.status(&format!(
                    "error: failed to write `{}` ({e})",
                    path.display()
                ));
            }
        }
        if inputs.is_empty() {
            inputs.insert(dir.join(crate::source::MANIFEST));
        }
        if first {
            console.say(&format!("watching {} (Ctrl-C to stop)", dir.display()));
            first = false;
        }

        // Re-arm on the folders of what this build read.
        let mut wanted: BTreeSet<PathBuf> =
            inputs.iter().filter_map(|p| p.parent().map(Path::to_path_buf)).collect();
        wanted.insert(dir.clone());
        for d in watched.difference(&wanted) {
            let _ = watcher.unwatch(d);
        }
        for d in wanted.difference(&watched) {
            if let Err(e) = watcher.watch(d, RecursiveMode::NonRecursive) {
                console.status(&format!("warning: cannot watch {} ({e})", d.display()));
            }
        }
        watched = wanted;

        // Wait for a change that matters, then for the burst to end: a short while after
        // a file is complete (closed after writing, or renamed into place), longer after
        // a write that may go on.
        let mut settle = loop {
            match rx.recv() {
                Ok(Message::Changed(e)) if relevant(&e, &out_dir) => {
                    break wait_after(&e)
                }
                Ok(Message::Changed(_)) => {}
                Ok(Message::Stop) | Err(_) => return stopped(console),
            }
        };
        loop {
            match rx.recv_timeout(settle) {
                Ok(Message::Changed(e)) if relevant(&e, &out_dir) => {
                    settle = wait_after(&e);
                }
                Ok(Message::Changed(_)) => {}
                Ok(Message::Stop) => return stopped(console),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return stopped(console),
            }
        }
    }
}

fn stopped(console: &Console) -> u8 {
    console.say("stopped watching");
    EXIT_OK
}

/// How long to wait for more events after `event`: [`SETTLE`] once a file is complete
/// (closed after writing, or renamed to its name), else [`DEBOUNCE`].
fn wait_after(event: &notify::Event) -> Duration {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => {
            SETTLE
        }
        _ => DEBOUNCE,
    }
}

/// Whether an event should trigger a rebuild: a real change (or a file closed after
/// writing) to a file that is not our own output, a temporary file or an editor's backup.
fn relevant(event: &notify::Event, out_dir: &Path) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) => return false,
        _ => {}
    }
    event.paths.iter().any(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !p.starts_with(out_dir)
            && !name.starts_with('.')
            && !name.ends_with('~')
            && !name.ends_with(".swp")
            && !name.ends_with(".tmp")
    })
}

/// Which pages changed, as page numbers (never a count): "no page changed",
/// "page 7 changed", "pages 3–5, 9 changed", "page 3 changed (2 → 3 pages)", from the
/// changed pages (0-based) and the page counts before and after.
fn changed_pages(changed: &[usize], old: usize, new: usize) -> String {
    let mut text = match changed {
        [] => "no page changed".to_string(),
        [_] => format!("page {} changed", ranges(changed)),
        _ => format!("pages {} changed", ranges(changed)),
    };
    if old != new {
        text = format!("{text} ({old} \u{2192} {new} pages)");
    }
    text
}

fn ranges(pages: &[usize]) -> String {
    if pages.is_empty() {
        return "none".into();
    }
    let mut parts = Vec::new();
    let mut start = pages[0];
    let mut prev = pages[0];
    for &p in &pages[1..] {
        if p != prev + 1 {
            parts.push((start, prev));
            start = p;
        }
        prev = p;
    }
    parts.push((start, prev));
    parts
        .iter()
        .map(|&(a, b)| {
            if a == b {
                format!("{}", a + 1)
            } else {
                format!("{}\u{2013}{}", a + 1, b + 1)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_pages_are_listed_as_ranges() {
        assert_eq!(changed_pages(&[], 3, 3), "no page changed");
        assert_eq!(changed_pages(&[1], 3, 3), "page 2 changed");
        assert_eq!(changed_pages(&[1, 2], 3, 3), "pages 2\u{2013}3 changed");
        assert_eq!(changed_pages(&[1, 2, 4], 5, 5), "pages 2\u{2013}3, 5 changed");
        assert_eq!(changed_pages(&[2], 2, 3), "page 3 changed (2 \u{2192} 3 pages)");
    }
}
