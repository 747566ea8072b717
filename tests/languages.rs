//! The language of every run, recorded once in the model: explicit bracketed spans,
//! data columns that declare a language (one for the column, or one per row), and
//! script detection as the fallback; bad tags are errors with a place.

mod harness;

use briefbook::compile::compile;
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::model::*;
use briefbook::source::LoadOptions;

const MANIFEST: &str = r#"
[book]
title = "T"
classification = "UNCLASSIFIED"
issue-date = 2025-06-12
language = "en-GB"

[contents]
sections = ["s.md"]

[data.states]
path = "states.csv"
columns.native = { type = "text", lang-column = "lang" }
columns.motto = { type = "text", lang = "la" }
"#;

const CSV: &str = "country,native,motto,lang\n\
                   Kazakhstan,Қазақстан,Ad astra,kk\n\
                   Uzbekistan,Oʻzbekiston,Per aspera,uz\n\
                   Nowhere,[Bracket],,\n";

fn build(manifest: &str, section: &str) -> Result<Document, Vec<Diagnostic>> {
    let dir = harness::temp_dir();
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("s.md"), section).unwrap();
    std::fs::write(dir.path().join("states.csv"), CSV).unwrap();
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &LoadOptions { source_date_epoch: None, ..Default::default() },
        &mut warnings,
    )
    .map(|c| c.document)
}

/// `text@lang` for each language span of the first chapter, and the untagged text
/// around them, in order.
fn runs(doc: &Document) -> Vec<String> {
    fn walk(list: &[Inline], out: &mut Vec<String>) {
        for i in list {
            match &i.kind {
                InlineKind::Lang { lang, content } => {
                    out.push(format!("{}@{lang}", plain_text(content)));
                }
                InlineKind::Text(t) if !t.trim().is_empty() => out.push(t.clone()),
                InlineKind::Emphasis(c) | InlineKind::Strong(c) => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in &doc.sections[0].blocks {
        match &b.kind {
            BlockKind::Paragraph(c) => walk(c, &mut out),
            BlockKind::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        walk(&cell.content, &mut out);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn bracketed_spans_carry_their_tag_and_may_hold_markup() {
    let doc = build(
        MANIFEST,
        "# A\n\nThe name [Oʻzbekiston]{lang=uz}, and [*Астана*]{lang=kk}.\n",
    )
    .unwrap();
    assert_eq!(runs(&doc), ["The name ", "Oʻzbekiston@uz", ", and ", "Астана@kk", "."]);
    // The explicit tag wins over detection inside the span (no `ru` within `kk`).
    let BlockKind::Paragraph(p) = &doc.sections[0].blocks[0].kind else { panic!() };
    let InlineKind::Lang { content, .. } = &p[3].kind else { panic!("{p:?}") };
    let InlineKind::Emphasis(inner) = &content[0].kind else { panic!("{content:?}") };
    assert!(matches!(inner[0].kind, InlineKind::Text(_)), "{inner:?}");
}

#[test]
fn brackets_without_attributes_and_escaped_brackets_stay_text() {
    let doc = build(MANIFEST, "# A\n\nSee [this] and \\[x]{lang=kk} here.\n").unwrap();
    let text: String = runs(&doc).concat();
    assert_eq!(text, "See [this] and [x]{lang=kk} here.");
}

#[test]
fn data_columns_declare_a_language_for_the_column_or_per_row() {
    let doc = build(MANIFEST, "# A\n\n{{{table \"states\" columns=\"native,motto\"}}}\n")
        .unwrap();
    assert_eq!(
        runs(&doc),
        [
            "Қазақстан@kk",
            "Ad astra@la",
            "Oʻzbekiston@uz",
            "Per aspera@la",
            "[",
            "Bracket",
            "]"
        ],
        "an empty language cell leaves the book's language; data brackets stay text"
    );
}

#[test]
fn script_detection_is_the_fallback() {
    let doc =
        build(MANIFEST, "# A\n\nAstana (Астана) and Алматы қаласы, 阿斯塔纳.\n").unwrap();
    assert_eq!(
        runs(&doc),
        ["Astana (", "Астана@ru", ") and ", "Алматы қаласы@kk", ", ", "阿斯塔纳@zh", "."]
    );
}

#[test]
fn bad_language_tags_are_errors_with_a_place() {
    let e = build(MANIFEST, "# A\n\nA [name]{lang=kazakh} here.\n").unwrap_err();
    assert!(
        e.iter().any(|d| d.message.contains("`kazakh` is not a language tag")),
        "{e:#?}"
    );
    let manifest = MANIFEST.replace("lang = \"la\"", "lang = \"latin!\"");
    let e = build(&manifest, "# A\n").unwrap_err();
    assert!(
        e.iter().any(|d| d.message.contains("`latin!` is not a language tag")),
        "{e:#?}"
    );
    let manifest =
        MANIFEST.replace("lang = \"la\"", "lang = \"la\", lang-column = \"lang\"");
    let e = build(&manifest, "# A\n").unwrap_err();
    assert!(
        e.iter().any(|d| d.message.contains("both `lang` and `lang-column`")),
        "{e:#?}"
    );
    let bad_csv = MANIFEST.replace("lang-column = \"lang\"", "lang-column = \"country\"");
    let e = build(&bad_csv, "# A\n").unwrap_err();
    assert!(
        e.iter().any(|d| d
            .message
            .contains("`Kazakhstan` in column `country` is not a language tag")),
        "{e:#?}"
    );
}
