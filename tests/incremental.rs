//! Incremental rebuilds: a build that reuses the previous build's work gives exactly what a
//! cold build of the same source gives, and redoes only what an edit concerns.

mod harness;

use std::path::Path;

use briefbook::compile::compile_with;
use briefbook::diag::SourceMap;
use briefbook::export::epub::export_epub_with;
use briefbook::export::pdf::export_pdf_with;
use briefbook::layout::layout_document_with;
use briefbook::source::LoadOptions;

/// The work kept between builds.
struct Caches {
    kept: briefbook::compile::Caches,
    /// Give the pages back to the layout cache after each build (as watch mode does).
    recycle: bool,
}

impl Caches {
    fn new() -> Self {
        Self { kept: Default::default(), recycle: true }
    }
}

impl std::ops::Deref for Caches {
    type Target = briefbook::compile::Caches;
    fn deref(&self) -> &Self::Target {
        &self.kept
    }
}

impl std::ops::DerefMut for Caches {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.kept
    }
}

/// What a build produced: layout dump, warnings, PDF and EPUB bytes.
#[derive(Debug, PartialEq)]
struct Books {
    dump: String,
    warnings: Vec<String>,
    pdf: Vec<u8>,
    epub: Vec<u8>,
}

fn build(dir: &Path, caches: &mut Caches) -> Result<Books, String> {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options =
        LoadOptions { source_date_epoch: Some(1_750_000_000), ..Default::default() };
    let compiled = compile_with(
        &briefbook::world::World::new(dir).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
        &mut caches.front,
        &mut |_| {},
    )
    .map_err(|e| format!("{e:?}"))?;
    let (paged, layout_warnings) = layout_document_with(
        &compiled.document,
        &compiled.project.layout,
        &mut caches.layout,
    )
    .map_err(|e| format!("{e:?}"))?;
    warnings.extend(layout_warnings);
    let pdf = export_pdf_with(&paged, &compiled.document.meta, &mut caches.pdf)
        .map_err(|e| format!("{e:?}"))?;
    let (epub, w) = export_epub_with(&compiled.document, &mut caches.epub)
        .map_err(|e| format!("{e:?}"))?;
    warnings.extend(w);
    let dump = paged.dump();
    if caches.recycle {
        caches.layout.recycle(paged);
    }
    Ok(Books {
        dump,
        warnings: warnings.iter().map(|w| format!("{w:?}")).collect(),
        pdf,
        epub,
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
fn warm_equals_cold(dir: &Path, caches: &mut Caches) -> Books {
    let warm = build(dir, caches).expect("warm build");
    let cold = build(dir, &mut Caches::new()).expect("cold build");
    assert!(warm.dump == cold.dump, "the layouts differ");
    assert_eq!(warm.warnings, cold.warnings);
    assert!(warm.pdf == cold.pdf, "the PDFs differ");
    assert!(warm.epub == cold.epub, "the EPUBs differ");
    warm
}

#[test]
fn a_data_edit_redoes_only_the_section_that_reads_it() {
    let dir = sample();
    let mut caches = Caches::new();
    let first = build(dir.path(), &mut caches).unwrap();
    assert_eq!(caches.front.expand.expanded, 9, "the first build expands every section");
    assert_eq!(caches.layout.laid_out, 9);

    // The milestones are read by the background chapter alone.
    let milestones = dir.path().join("data/milestones.csv");
    edit(&milestones, "Silk Road Economic Belt", "Silk Road Economic Belt (SREB)");
    let books = warm_equals_cold(dir.path(), &mut caches);
    assert_eq!(caches.front.expand.expanded, 1, "only 03-background reads `milestones`");
    assert_eq!(caches.front.model.converted, 1);
    assert_eq!(caches.layout.laid_out, 1);
    assert_ne!(books.pdf, first.pdf, "the edit shows in the PDF");

    // An unchanged rebuild redoes nothing.
    let again = warm_equals_cold(dir.path(), &mut caches);
    assert_eq!(caches.front.expand.expanded, 0);
    assert_eq!(caches.front.model.converted, 0);
    assert_eq!(caches.layout.laid_out, 0);
    assert!(again.pdf == books.pdf);
}

#[test]
fn a_trade_figure_edit_follows_into_every_chapter_that_quotes_it() {
    let dir = sample();
    let mut caches = Caches::new();
    build(dir.path(), &mut caches).unwrap();
    edit(&dir.path().join("data/trade.csv"), "2024,94.8,", "2024,95.1,");
    let books = warm_equals_cold(dir.path(), &mut caches);
    let expanded = caches.front.expand.expanded;
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
    let mut caches = Caches::new();
    build(dir.path(), &mut caches).unwrap();

    let people = dir.path().join("sections/06-people.md");
    let text = std::fs::read_to_string(&people).unwrap();
    let at = text.find("\n\n").map_or(text.len(), |i| i + 2);
    let marked = format!("{}Edited in watch mode. {}", &text[..at], &text[at..]);
    std::fs::write(&people, marked).unwrap();
    warm_equals_cold(dir.path(), &mut caches);
    assert_eq!(caches.front.expand.expanded, 1);
    assert_eq!(caches.layout.laid_out, 1);

    // A heading's text is on the contents page: it must follow.
    let text = std::fs::read_to_string(&people).unwrap();
    let heading = text.lines().find(|l| l.starts_with("## ")).unwrap().to_string();
    edit(&people, &heading, &format!("{heading} (revised)"));
    let books = warm_equals_cold(dir.path(), &mut caches);
    assert!(books.dump.contains("(revised)"));

    // The title is in every section's template context: everything is expanded again.
    edit(&dir.path().join("briefing.toml"), "title = \"", "title = \"Revised: ");
    warm_equals_cold(dir.path(), &mut caches);
    assert_eq!(caches.front.expand.expanded, 9);
}

#[test]
fn pages_not_given_back_are_made_again() {
    let dir = sample();
    let mut caches = Caches { recycle: false, ..Caches::new() };
    let first = build(dir.path(), &mut caches).unwrap();
    let again = warm_equals_cold(dir.path(), &mut caches);
    assert!(first == again, "nothing changed");
    assert_eq!(caches.layout.laid_out, 0);
}

#[test]
fn an_error_in_between_leaves_the_caches_sound() {
    let dir = sample();
    let mut caches = Caches::new();
    build(dir.path(), &mut caches).unwrap();
    let states = dir.path().join("sections/07-states.md");
    let good = std::fs::read_to_string(&states).unwrap();
    std::fs::write(&states, format!("{good}\n{{{{data.nosuchset.rows}}}}\n")).unwrap();
    let err = build(dir.path(), &mut caches).unwrap_err();
    assert!(err.contains("nosuchset"), "{err}");
    // Fixing it by going back to the old text, with a data edit made meanwhile.
    std::fs::write(&states, good).unwrap();
    let milestones = dir.path().join("data/milestones.csv");
    edit(&milestones, "Silk Road Economic Belt", "Silk Road Economic Belt (SREB)");
    warm_equals_cold(dir.path(), &mut caches);
}
