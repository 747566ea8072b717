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
    layout_at(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/layout").join(case),
    )
}

/// Lays out the briefing at `root`.
fn layout_at(root: &Path) -> (PagedDocument, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(
        &briefbook::world::World::new(root).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("{} does not compile: {e:?}", root.display()));
    layout_document(&compiled.document, &compiled.project.layout)
        .unwrap_or_else(|e| panic!("{} does not lay out: {e:?}", root.display()))
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
    // `paragraphs` and `overflow` each had a very loose line until letter spacing
    // became the emergency stretch.
    for case in ["footnotes", "table", "long-table", "paragraphs", "overflow"] {
        let (_, warnings) = layout(case);
        assert!(warnings.is_empty(), "{case}: {warnings:?}");
    }
}

#[test]
fn a_very_loose_line_is_a_warning_at_its_paragraph() {
    // At the narrow measure of the `paragraphs` fixture, the long identifier (which
    // cannot break) does not fit after the code words before it, and code is not
    // letter-spaced: the spaces of the first line take up all its slack.
    let section = "# Loose\n\nRun `one two three four five six seven` \
                   `another_rather_long_identifier_name` here.\n";
    let briefing = |justify: bool| {
        let dir = tempfile::tempdir().unwrap();
        let from =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/layout/paragraphs");
        std::fs::create_dir(dir.path().join("sections")).unwrap();
        let manifest = std::fs::read_to_string(from.join("briefing.toml")).unwrap();
        let manifest = manifest
            .replace("font-size = 9", &format!("font-size = 9\njustify = {justify}"));
        std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
        std::fs::write(dir.path().join("sections/one.md"), section).unwrap();
        dir
    };
    let dir = briefing(true);
    let (_, warnings) = layout_at(dir.path());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.starts_with("line 1 of this paragraph is very loose"));
    let span = warnings[0].span.as_ref().expect("a span");
    assert_eq!(span.range.start, "# Loose\n\n".len());
    // The hint names the ways out, and the last one works: ragged-right text has no
    // loose lines.
    let hint = warnings[0].hints.join(" ");
    assert!(hint.contains("`&shy;`") && hint.contains("`justify = false`"), "{hint}");
    let (_, warnings) = layout_at(briefing(false).path());
    assert!(warnings.is_empty(), "{warnings:?}");
}
