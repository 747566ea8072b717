//! Warm builds equal cold builds, whatever the edit: random sequences of edits on a small
//! briefing (`tests/suite/warm-cold`), and after every edit the build of a session carried
//! through the sequence (as in watch mode) gives exactly what a fresh session gives — the
//! PDF and EPUB bytes, the warnings, the files read, and for a broken edit the errors.
//!
//! Each sequence is drawn from its seed alone. Environment:
//! - `WARM_COLD_CASES=N`: run N sequences (default [`CASES`]), seeds `FIRST..FIRST+N`;
//! - `WARM_COLD_FIRST=S`: the first seed (default 0), for a longer run on new seeds;
//! - `WARM_COLD_SEED=S`: replay the one sequence of seed S, printing each edit;
//! - `WARM_COLD_THREADS=N`: sequences run on N threads (default: the cores).
//!
//! A failure names the seed, the edits up to the step that differed and what differed
//! (which book, which EPUB entries, the first differing PDF byte), and leaves the briefing
//! folder of that step and both builds' books in `target/tmp/warm-cold-SEED/`.

mod warm_cold;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use briefbook::diag::{emit, Diagnostic, DiagnosticFormat, SourceMap};
use briefbook::world::World;
use briefbook::{Options, Session};
use warm_cold::edits::Briefing;
use warm_cold::rng::Rng;

/// Sequences in a default run (sized for well under a minute in a debug build).
const CASES: u64 = 40;

/// What one build gave, in a form that compares byte for byte.
#[derive(PartialEq)]
enum Outcome {
    Built { pdf: Vec<u8>, epub: Vec<u8>, warnings: String, inputs: Vec<PathBuf> },
    Failed { warnings: String, errors: String, inputs: Vec<PathBuf> },
}

fn build(session: &mut Session, briefing: &Briefing) -> Outcome {
    let world = World::in_memory(briefing.files());
    let options = Options { source_date_epoch: Some(1_750_000_000), ..Options::both() };
    match briefbook::build(session, &world, &options) {
        Ok(books) => Outcome::Built {
            pdf: books.get("pdf").unwrap().to_vec(),
            epub: books.get("epub").unwrap().to_vec(),
            warnings: render(&books.sources, &books.warnings),
            inputs: sorted(books.inputs),
        },
        Err(failure) => Outcome::Failed {
            warnings: render(&failure.sources, &failure.warnings),
            errors: render(&failure.sources, &failure.errors),
            inputs: sorted(failure.inputs),
        },
    }
}

/// The diagnostics as the CLI prints them (file:line:col, the source line, the hints).
fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    emit(&mut out, sources, diagnostics, DiagnosticFormat::Human).unwrap();
    String::from_utf8(out).unwrap()
}

fn sorted(mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    paths
}

/// A sequence that went wrong: its seed, the edits so far and what differed.
struct Failing {
    seed: u64,
    edits: Vec<String>,
    what: String,
}

/// Runs the sequence of `seed`; `Err` at the first step whose warm build is not the cold one.
fn sequence(seed: u64, fixture: &Briefing, verbose: bool) -> Result<usize, Failing> {
    // Nearby seeds give unrelated sequences.
    let mut rng = Rng::new(seed.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ 0x5EED);
    let mut briefing = fixture.clone();
    let mut session = Session::new();
    let mut edits = Vec::new();
    let first = build(&mut session, &briefing);
    assert!(matches!(first, Outcome::Built { .. }), "the fixture builds");
    let mut steps = 0;
    let length = 3 + rng.below(4);
    for _ in 0..length {
        let before = briefing.clone();
        let edit = briefing.edit(&mut rng);
        let mut check = |briefing: &Briefing, what: String, broken: bool| {
            if verbose {
                eprintln!("seed {seed}, step {}: {what}", edits.len() + 1);
            }
            edits.push(what);
            steps += 1;
            let warm = build(&mut session, briefing);
            let cold = build(&mut Session::new(), briefing);
            let fail = |what: String| Failing { seed, edits: edits.clone(), what };
            if let Some(what) = difference(&warm, &cold) {
                keep(seed, briefing, &warm, &cold);
                return Err(fail(what));
            }
            // The edits themselves are checked too, or the test would test less than it says.
            match (&cold, broken) {
                (Outcome::Failed { errors, .. }, false) => {
                    Err(fail(format!("the edit broke the briefing:\n{errors}")))
                }
                (Outcome::Built { .. }, true) => {
                    Err(fail("the broken edit built (both builds)".to_string()))
                }
                _ => Ok(()),
            }
        };
        check(&briefing, edit.what, edit.broken)?;
        if edit.broken {
            briefing = before;
            check(&briefing, "the broken edit undone".to_string(), false)?;
        }
    }
    Ok(steps)
}

/// What differs between the warm and the cold build, if anything.
fn difference(warm: &Outcome, cold: &Outcome) -> Option<String> {
    if warm == cold {
        return None;
    }
    let mut out = Vec::new();
    match (warm, cold) {
        (
            Outcome::Built { pdf, epub, warnings, inputs },
            Outcome::Built {
                pdf: pdf2,
                epub: epub2,
                warnings: warnings2,
                inputs: inputs2,
            },
        ) => {
            if pdf != pdf2 {
                let at = pdf.iter().zip(pdf2).position(|(a, b)| a != b);
                out.push(format!(
                    "the PDFs differ ({} and {} bytes, first difference at byte {})",
                    pdf.len(),
                    pdf2.len(),
                    at.unwrap_or(pdf.len().min(pdf2.len()))
                ));
            }
            if epub != epub2 {
                out.push(format!(
                    "the EPUBs differ in {}",
                    epub_entries_differing(epub, epub2)
                ));
            }
            if warnings != warnings2 {
                out.push(format!(
                    "the warnings differ:\nwarm:\n{warnings}\ncold:\n{warnings2}"
                ));
            }
            if inputs != inputs2 {
                out.push(format!(
                    "the files read differ:\nwarm: {inputs:?}\ncold: {inputs2:?}"
                ));
            }
        }
        (
            Outcome::Failed { warnings, errors, inputs },
            Outcome::Failed { warnings: warnings2, errors: errors2, inputs: inputs2 },
        ) => {
            if errors != errors2 {
                out.push(format!(
                    "the errors differ:\nwarm:\n{errors}\ncold:\n{errors2}"
                ));
            }
            if warnings != warnings2 {
                out.push(format!(
                    "the warnings differ:\nwarm:\n{warnings}\ncold:\n{warnings2}"
                ));
            }
            if inputs != inputs2 {
                out.push(format!(
                    "the files read differ:\nwarm: {inputs:?}\ncold: {inputs2:?}"
                ));
            }
        }
        (Outcome::Built { .. }, Outcome::Failed { errors, .. }) => {
            out.push(format!("the warm build succeeded, the cold one failed:\n{errors}"));
        }
        (Outcome::Failed { errors, .. }, Outcome::Built { .. }) => {
            out.push(format!("the warm build failed, the cold one succeeded:\n{errors}"));
        }
    }
    Some(out.join("\n"))
}

/// The names of the EPUB entries whose content differs, or are in one book only.
fn epub_entries_differing(a: &[u8], b: &[u8]) -> String {
    let entries = |bytes: &[u8]| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).unwrap();
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut file, &mut content).unwrap();
                (file.name().to_string(), content)
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (a, b) = (entries(a), entries(b));
    let names: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
    let differing: Vec<_> = names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .map(String::as_str)
        .collect();
    match differing.is_empty() {
        true => "the zip container only (same entries and contents)".to_string(),
        false => differing.join(", "),
    }
}

/// Leaves the briefing folder and both builds' books for a look at them.
fn keep(seed: u64, briefing: &Briefing, warm: &Outcome, cold: &Outcome) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("warm-cold-{seed}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in briefing.files() {
        let path = dir.join("briefing").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    for (name, outcome) in [("warm", warm), ("cold", cold)] {
        if let Outcome::Built { pdf, epub, .. } = outcome {
            std::fs::write(dir.join(format!("{name}.pdf")), pdf).unwrap();
            std::fs::write(dir.join(format!("{name}.epub")), epub).unwrap();
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

#[test]
fn warm_builds_equal_cold_builds_after_random_edits() {
    let fixture = Briefing::fixture(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/warm-cold"),
    );
    let (seeds, verbose) = match env_number("WARM_COLD_SEED") {
        Some(seed) => (seed..seed + 1, true),
        None => {
            let first = env_number("WARM_COLD_FIRST").unwrap_or(0);
            (first..first + env_number("WARM_COLD_CASES").unwrap_or(CASES), false)
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let threads = env_number("WARM_COLD_THREADS").unwrap_or(cores).max(1);
    let started = std::time::Instant::now();
    let failing = Mutex::new(Vec::new());
    let steps = Mutex::new(0);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (seeds, fixture, failing, steps) =
                (seeds.clone(), &fixture, &failing, &steps);
            scope.spawn(move || {
                for seed in seeds.filter(|s| s % threads == t) {
                    match sequence(seed, fixture, verbose) {
                        Ok(n) => *steps.lock().unwrap() += n,
                        Err(f) => failing.lock().unwrap().push(f),
                    }
                }
            });
        }
    });
    let mut failing = failing.into_inner().unwrap();
    failing.sort_by_key(|f| f.seed);
    eprintln!(
        "{} sequences (seeds {}..{}), {} steps passed, {} sequences failed, {:.1} s",
        seeds.end - seeds.start,
        seeds.start,
        seeds.end,
        steps.into_inner().unwrap(),
        failing.len(),
        started.elapsed().as_secs_f64()
    );
    for f in failing.iter().take(3) {
        eprintln!("\nseed {} failed after these edits:", f.seed);
        for (i, e) in f.edits.iter().enumerate() {
            eprintln!("  {}. {e}", i + 1);
        }
        eprintln!("{}", f.what);
        eprintln!(
            "replay: WARM_COLD_SEED={} cargo test --test warm_equals_cold; files in {}",
            f.seed,
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("warm-cold-{}", f.seed))
                .display()
        );
    }
    let seeds: Vec<_> = failing.iter().map(|f| f.seed).collect();
    assert!(failing.is_empty(), "warm and cold builds differ for seeds {seeds:?}");
}
