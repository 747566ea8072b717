//! Golden layout dumps: small briefings under `tests/suite/layout/<case>/` are laid out
//! and `PagedDocument::dump()` (every positioned item, rounded to 0.01 pt) is compared
//! with `expected.txt`. Run with `BLESS=1` to accept a new layout after looking at it.

use std::path::Path;

use briefbook::compile::compile;
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::layout::{layout_document, PagedDocument};
use briefbook::source::LoadOptions;

/// Lays out the fixture `case`; returns the pages and the layout warnings.
fn layout(case: &str) -> (PagedDocument, Vec<Diagnostic>) {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/layout").join(case);
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(
        &briefbook::world::World::new(&root).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("{case} does not compile: {e:?}"));
    layout_document(&compiled.document, &compiled.project.layout)
        .unwrap_or_else(|e| panic!("{case} does not lay out: {e:?}"))
}

fn check(case: &str) {
    let dump = layout(case).0.dump();
    let expected = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/suite/layout")
        .join(case)
        .join("expected.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected, &dump).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&expected).unwrap_or_else(|_| {
        panic!("{} is missing; run with BLESS=1", expected.display())
    });
    if want != dump {
        let diff: Vec<String> = similar::TextDiff::from_lines(&want, &dump)
            .unified_diff()
            .context_radius(2)
            .to_string()
            .lines()
            .take(60)
            .map(String::from)
            .collect();
        panic!("layout of `{case}` changed (BLESS=1 to accept):\n{}", diff.join("\n"));
    }
}

#[test]
fn paragraphs() {
    check("paragraphs");
}

#[test]
fn footnotes() {
    check("footnotes");
}

#[test]
fn table() {
    check("table");
}

#[test]
fn overflow() {
    check("overflow");
}

#[test]
fn dump_lists_positioned_text() {
    let dump = layout("paragraphs").0.dump();
    assert!(dump.starts_with("page 1 340.16x481.89\n"), "{}", &dump[..80]);
    assert!(dump
        .lines()
        .any(|l| l.starts_with("text ") && l.contains("NotoSerif-Regular 9.00")));
}

#[test]
fn fixtures_lay_out_without_warnings() {
    for case in ["footnotes", "table", "long-table"] {
        let (_, warnings) = layout(case);
        assert!(warnings.is_empty(), "{case}: {warnings:?}");
    }
}

#[test]
fn a_very_loose_line_is_a_warning_at_its_paragraph() {
    // At this narrow measure the first line of the first paragraph cannot be set well:
    // no break or hyphen makes "transcontinental" fit, so its spaces stretch.
    let (_, warnings) = layout("paragraphs");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.starts_with("line 1 of this paragraph is very loose"));
    let span = warnings[0].span.as_ref().expect("a span");
    assert_eq!(span.range.start, "# Paragraphs\n\n".len());
    // The hint's way out works: ragged-right text has no loose lines.
    let hint = warnings[0].hints.join(" ");
    assert!(hint.contains("`justify = false`"), "{hint}");
    let dir = tempfile::tempdir().unwrap();
    let from =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/layout/paragraphs");
    std::fs::create_dir(dir.path().join("sections")).unwrap();
    let manifest = std::fs::read_to_string(from.join("briefing.toml")).unwrap();
    let manifest = manifest.replace("font-size = 9", "font-size = 9\njustify = false");
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    std::fs::copy(from.join("sections/one.md"), dir.path().join("sections/one.md"))
        .unwrap();
    let mut sources = SourceMap::default();
    let compiled = compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &LoadOptions { source_date_epoch: Some(0), ..Default::default() },
        &mut Vec::new(),
    )
    .unwrap();
    let (_, warnings) =
        layout_document(&compiled.document, &compiled.project.layout).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}
