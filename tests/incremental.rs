//! Incremental rebuilds: a build that reuses the previous build's work gives exactly what a
//! cold build of the same source gives, and redoes only what an edit concerns.

mod harness;

use std::path::Path;

use briefbook::{Options, Session};

/// What a build produced: warnings, PDF and EPUB bytes, and how much was redone.
#[derive(Debug)]
struct Books {
    warnings: Vec<String>,
    pdf: Vec<u8>,
    epub: Vec<u8>,
    redone: std::collections::BTreeMap<&'static str, usize>,
}

impl Books {
    fn redone(&self, step: &str) -> usize {
        self.redone.get(step).copied().unwrap_or(0)
    }
}

fn build(dir: &Path, session: &mut Session) -> Result<Books, String> {
    let world = briefbook::world::World::new(dir).unwrap();
    let options = Options { source_date_epoch: Some(1_750_000_000), ..Options::both() };
    let books = briefbook::build(session, &world, &options)
        .map_err(|f| format!("{:?}", f.errors))?;
    Ok(Books {
        warnings: books.warnings.iter().map(|w| format!("{w:?}")).collect(),
        pdf: books.get("pdf").unwrap().to_vec(),
        epub: books.get("epub").unwrap().to_vec(),
        redone: books.redone,
    })
}

fn sample() -> tempfile::TempDir {
    let dir = harness::temp_dir();
    harness::copy_tree(&harness::root().join("briefing"), dir.path());
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Builds warm (after a first build) and cold; both must agree byte for byte.
fn warm_equals_cold(dir: &Path, session: &mut Session) -> Books {
    let warm = build(dir, session).expect("warm build");
    let cold = build(dir, &mut Session::new()).expect("cold build");
    assert_eq!(warm.warnings, cold.warnings);
    assert!(warm.pdf == cold.pdf, "the PDFs differ");
    assert!(warm.epub == cold.epub, "the EPUBs differ");
    warm
}

#[test]
fn a_data_edit_redoes_only_the_section_that_reads_it() {
    let dir = sample();
    let mut session = Session::new();
    let first = build(dir.path(), &mut session).unwrap();
    assert_eq!(first.redone("expand"), 9, "the first build expands every section");
    assert_eq!(first.redone("layout"), 9);

    // The milestones are read by the background chapter alone.
    let milestones = dir.path().join("data/milestones.csv");
    edit(&milestones, "Silk Road Economic Belt", "Silk Road Economic Belt (SREB)");
    let books = warm_equals_cold(dir.path(), &mut session);
    assert_eq!(books.redone("expand"), 1, "only 03-background reads `milestones`");
    assert_eq!(books.redone("model"), 1);
    assert_eq!(books.redone("layout"), 1);
    assert_ne!(books.pdf, first.pdf, "the edit shows in the PDF");

    // An unchanged rebuild redoes nothing.
    let again = warm_equals_cold(dir.path(), &mut session);
    assert_eq!(again.redone("expand"), 0);
    assert_eq!(again.redone("model"), 0);
    assert_eq!(again.redone("layout"), 0);
    assert!(again.pdf == books.pdf);
}

#[test]
fn a_trade_figure_edit_follows_into_every_chapter_that_quotes_it() {
    let dir = sample();
    let mut session = Session::new();
    build(dir.path(), &mut session).unwrap();
    edit(&dir.path().join("data/trade.csv"), "2024,94.8,", "2024,95.1,");
    let books = warm_equals_cold(dir.path(), &mut session);
    let expanded = books.redone("expand");
    assert!((1..9).contains(&expanded), "{expanded} sections expanded again");
    let pdf = dir.path().join("out.pdf");
    std::fs::write(&pdf, &books.pdf).unwrap();
    let out = harness::tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let text = harness::text(&out.stdout);
    assert!(text.contains("95.1"), "the new figure is in the PDF");
    assert!(!text.contains("94.8"), "the old figure is gone");
}

#[test]
fn a_section_edit_and_a_manifest_edit() {
    let dir = sample();
    let mut session = Session::new();
    build(dir.path(), &mut session).unwrap();

    let people = dir.path().join("sections/06-people.md");
    let text = std::fs::read_to_string(&people).unwrap();
    // The first paragraph after the chapter heading (past any front matter).
    let heading = text.find("\n# ").map_or(0, |i| i + 1);
    let at = text[heading..].find("\n\n").map_or(text.len(), |i| heading + i + 2);
    let marked = format!("{}Edited in watch mode. {}", &text[..at], &text[at..]);
    std::fs::write(&people, marked).unwrap();
    let books = warm_equals_cold(dir.path(), &mut session);
    assert_eq!(books.redone("expand"), 1);
    assert_eq!(books.redone("layout"), 1);

    // A heading's text is on the contents page: it must follow.
    let text = std::fs::read_to_string(&people).unwrap();
    let heading = text.lines().find(|l| l.starts_with("## ")).unwrap().to_string();
    edit(&people, &heading, &format!("{heading} (revised)"));
    let books = warm_equals_cold(dir.path(), &mut session);
    let pdf = dir.path().join("out.pdf");
    std::fs::write(&pdf, &books.pdf).unwrap();
    let out = harness::tool("pdftotext", &["-l", "2", pdf.to_str().unwrap(), "-"]);
    assert!(
        harness::text(&out.stdout).contains("(revised)"),
        "the contents page follows"
    );

    // The title is in every section's template context: everything is expanded again.
    edit(&dir.path().join("briefing.toml"), "title = \"", "title = \"Revised: ");
    let books = warm_equals_cold(dir.path(), &mut session);
    assert_eq!(books.redone("expand"), 9);
}

#[test]
fn an_unchanged_rebuild_gives_the_same_books() {
    let dir = sample();
    let mut session = Session::new();
    let first = build(dir.path(), &mut session).unwrap();
    let again = warm_equals_cold(dir.path(), &mut session);
    assert!(first.pdf == again.pdf && first.epub == again.epub, "nothing changed");
    assert_eq!(first.warnings, again.warnings);
    assert_eq!(again.redone("layout"), 0);
}

#[test]
fn an_error_in_between_leaves_the_session_sound() {
    let dir = sample();
    let mut session = Session::new();
    build(dir.path(), &mut session).unwrap();
    let states = dir.path().join("sections/07-states.md");
    let good = std::fs::read_to_string(&states).unwrap();
    std::fs::write(&states, format!("{good}\n{{{{data.nosuchset.rows}}}}\n")).unwrap();
    let err = build(dir.path(), &mut session).unwrap_err();
    assert!(err.contains("nosuchset"), "{err}");
    // Fixing it by going back to the old text, with a data edit made meanwhile.
    std::fs::write(&states, good).unwrap();
    let milestones = dir.path().join("data/milestones.csv");
    edit(&milestones, "Silk Road Economic Belt", "Silk Road Economic Belt (SREB)");
    warm_equals_cold(dir.path(), &mut session);
}
