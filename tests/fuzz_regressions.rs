//! Inputs the fuzzer (fuzz/, see "Fuzzing" in docs/testing.md) found to crash the
//! build, minimised. Each folder under `tests/suite/fuzz/` is a whole briefing folder
//! (the fuzz target's fixed files plus the minimised input, written out with
//! `BRIEFBOOK_FUZZ_DUMP`) with a `NOTE.md` saying what it was. Each is built the way the
//! fuzz targets build: load → expand → model, layout and both exporters, then every
//! diagnostic printed. The oracle is the one the fuzzer used — no panic, a failed stage
//! reports an error, every diagnostic prints — plus the outcome the fixture expects.

mod harness;

use std::path::Path;

use briefbook::compile::compile;
use briefbook::diag::{emit, Diagnostic, DiagnosticFormat, Severity, SourceMap};
use briefbook::export::epub::export_epub;
use briefbook::export::pdf::export_pdf;
use briefbook::layout::layout_document;
use briefbook::source::LoadOptions;
use briefbook::world::World;

/// What a fixture's build should end with.
enum Outcome {
    /// Both books are made; warnings allowed.
    Books,
    /// Errors, one of them starting with this `file:line:col: error: message`.
    Error(&'static str),
}

/// Builds the fixture `name` (a folder under `tests/suite`) as the fuzz targets do;
/// returns the short diagnostics and whether both books were made.
fn build(name: &str) -> (String, bool) {
    let dir = harness::root().join("tests/suite").join(name);
    if name.starts_with("fuzz/") {
        assert!(dir.join("NOTE.md").is_file(), "{name}: every fixture says what it is");
    }
    let world = World::new(Path::new(&dir)).unwrap();
    let (mut sources, mut diagnostics) = (SourceMap::default(), Vec::new());
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let mut books = 0;
    match compile(&world, &mut sources, &options, &mut diagnostics) {
        Err(errors) => failed(&mut diagnostics, errors),
        Ok(compiled) => {
            let doc = &compiled.document;
            match layout_document(doc, &compiled.project.layout) {
                Ok((paged, warnings)) => {
                    diagnostics.extend(warnings);
                    match export_pdf(&paged, &doc.meta) {
                        Ok(_) => books += 1,
                        Err(errors) => failed(&mut diagnostics, errors),
                    }
                }
                Err(errors) => failed(&mut diagnostics, errors),
            }
            match export_epub(doc) {
                Ok((_, warnings)) => {
                    diagnostics.extend(warnings);
                    books += 1;
                }
                Err(errors) => failed(&mut diagnostics, errors),
            }
        }
    }
    let mut human = Vec::new();
    emit(&mut human, &sources, &diagnostics, DiagnosticFormat::Human).unwrap();
    let mut short = Vec::new();
    emit(&mut short, &sources, &diagnostics, DiagnosticFormat::Short).unwrap();
    (String::from_utf8(short).unwrap(), books == 2)
}

fn failed(diagnostics: &mut Vec<Diagnostic>, errors: Vec<Diagnostic>) {
    assert!(errors.iter().any(|e| e.severity == Severity::Error), "{errors:#?}");
    diagnostics.extend(errors);
}

fn check(name: &str, outcome: Outcome) {
    let (short, books) = build(name);
    match outcome {
        Outcome::Books => assert!(books, "{name}: expected both books:\n{short}"),
        Outcome::Error(line) => assert!(
            !books && short.lines().any(|l| l.starts_with(line)),
            "{name}: expected a line starting with\n  {line}\nin:\n{short}"
        ),
    }
}

#[test]
fn the_fuzz_pipeline_builds_the_base_briefing() {
    // The runner itself: a valid briefing gives both books and no diagnostics.
    let (short, books) = build("base");
    assert!(books && short.is_empty(), "{short}");
    check("base", Outcome::Books);
}

// Stack overflows in inputs written by hand to check the fuzz harness (see their
// NOTE.md); the nesting-depth limits turn them into errors at the 65th level.

#[test]
fn markdown_deep_quotes() {
    check(
        "fuzz/markdown-deep-quotes",
        Outcome::Error("sections/fuzz.md:3:65: error: block quotes, lists and asides are nested more than 64 levels deep"),
    );
}

#[test]
fn template_deep_if() {
    check(
        "fuzz/template-deep-if",
        Outcome::Error("sections/fuzz.md:3:577: error: handlebars blocks and subexpressions are nested more than 64 levels deep"),
    );
}

// A paragraph of 28,000 text pieces was quadratic in line breaking (3.2 s in the fuzz
// build); it must build both books (its time is measured in `scripts/bench-hostile`).
#[test]
fn markdown_many_pieces() {
    check("fuzz/markdown-many-pieces", Outcome::Books);
}

// A PNG with a short palette made the png crate panic; it is an error for the image.
#[test]
fn image_bad_palette() {
    check(
        "fuzz/image-bad-palette",
        Outcome::Error("sections/one.md:5:1: error: image `images/bad.png` is not a valid PNG file: its data is malformed"),
    );
}
