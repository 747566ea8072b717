//! Markdown → model mapping, briefing blocks, loader typing and literal data insertion,
//! checked through the library API on small briefings written to temp folders.

mod harness;

use briefbook::compile::{compile, Compiled};
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::model::*;
use briefbook::source::{ColumnType, LoadOptions};

const MANIFEST: &str = r#"
[book]
title = "T"
classification = "UNCLASSIFIED"
issue-date = 2025-06-12
start-date = 2025-06-16
end-date = 2025-06-18

[contents]
sections = ["s.md"]

[data.t]
path = "t.csv"
columns.value = { type = "number", unit = "bn", label = "Trade", decimals = 1 }
"#;

fn build_with(
    section: &str,
    csv: &str,
    epoch: Option<i64>,
) -> Result<(Compiled, Vec<Diagnostic>), Vec<Diagnostic>> {
    build_in(MANIFEST, section, csv, epoch)
}

fn build_in(
    manifest: &str,
    section: &str,
    csv: &str,
    epoch: Option<i64>,
) -> Result<(Compiled, Vec<Diagnostic>), Vec<Diagnostic>> {
    let dir = harness::temp_dir();
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("s.md"), section).unwrap();
    std::fs::write(dir.path().join("t.csv"), csv).unwrap();
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &LoadOptions { source_date_epoch: epoch, ..Default::default() },
        &mut warnings,
    )
    .map(|c| (c, warnings))
}

fn build(section: &str) -> Compiled {
    match build_with(section, "year,value,note\n2023,89.4,a\n2024,94.8,b\n", None) {
        Ok((c, _)) => c,
        Err(e) => panic!("{e:#?}"),
    }
}

fn first_blocks(c: &Compiled) -> &[Block] {
    &c.document.sections[0].blocks
}

#[test]
fn headings_form_a_numbered_tree_with_stable_anchors() {
    let c = build(
        "# Alpha\n\n## Beta\n\n### Gamma\n\n## Delta {#custom}\n\n# Epsilon\n\n## Beta\n",
    );
    let walk: Vec<_> = c
        .document
        .walk()
        .iter()
        .map(|(d, s)| {
            (*d, s.heading.number_label().unwrap_or_default(), s.heading.anchor.clone())
        })
        .collect();
    assert_eq!(
        walk,
        vec![
            (0, "1".into(), "alpha".into()),
            (1, "1.1".into(), "beta".into()),
            (2, "1.1.1".into(), "gamma".into()),
            (1, "1.2".into(), "custom".into()),
            (0, "2".into(), "epsilon".into()),
            (1, "2.1".into(), "beta-2".into()),
        ]
    );
}

#[test]
fn skipped_heading_levels_nest_one_deeper() {
    let c = build("# A\n\n### Skipped\n\ntext\n");
    let s = &c.document.sections[0];
    assert_eq!(s.children[0].heading.level, 2);
    assert_eq!(s.children[0].heading.number_label().as_deref(), Some("1.1"));
}

#[test]
fn inline_markup_maps_to_inline_nodes() {
    let c = build("# A\n\nPlain *em* **strong** ~~gone~~ `code` [web](https://example.org) [in](#a) line  \nbreak.\n");
    let BlockKind::Paragraph(p) = &first_blocks(&c)[0].kind else { panic!() };
    let kinds: Vec<&str> = p
        .iter()
        .map(|i| match &i.kind {
            InlineKind::Text(_) => "text",
            InlineKind::Emphasis(_) => "em",
            InlineKind::Strong(_) => "strong",
            InlineKind::Strikethrough(_) => "strike",
            InlineKind::Code(_) => "code",
            InlineKind::Link { target: LinkTarget::Url(_), .. } => "url",
            InlineKind::Link { target: LinkTarget::Anchor(_), .. } => "anchor",
            InlineKind::LineBreak => "br",
            InlineKind::FootnoteRef(_) => "fn",
            InlineKind::Lang { .. } => "lang",
        })
        .filter(|k| *k != "text")
        .collect();
    assert_eq!(kinds, ["em", "strong", "strike", "code", "url", "anchor", "br"]);
}

#[test]
fn lists_quotes_code_and_rules() {
    let c = build("# A\n\n1. one\n2. two\n   - nested\n\n> quoted\n\n```rust\nfn x() {}\n```\n\n---\n");
    let kinds: Vec<_> =
        first_blocks(&c).iter().map(|b| std::mem::discriminant(&b.kind)).collect();
    assert_eq!(kinds.len(), 4);
    let BlockKind::List(l) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(l.start, Some(1));
    assert!(matches!(l.items[1].blocks[1].kind, BlockKind::List(_)));
    assert!(
        matches!(&first_blocks(&c)[2].kind, BlockKind::Code { lang: Some(l), text } if l == "rust" && text == "fn x() {}\n")
    );
    assert!(matches!(first_blocks(&c)[3].kind, BlockKind::Rule));
}

#[test]
fn tables_get_caption_source_number_and_numeric_alignment() {
    let c = build("# A\n\nTable: Trade by year\n\n| Year | Value |\n|---|---|\n| 2023 | 89.4 |\n| 2024 | 1,094.8 |\n\nSource: Somewhere.\n");
    let blocks = first_blocks(&c);
    assert_eq!(blocks.len(), 1, "caption and source paragraphs are absorbed");
    let BlockKind::Table(t) = &blocks[0].kind else { panic!() };
    assert_eq!(t.number, Some(1));
    assert_eq!(plain_text(t.caption.as_ref().unwrap()), "Trade by year");
    assert_eq!(plain_text(t.source.as_ref().unwrap()), "Somewhere.");
    assert_eq!(t.header.len(), 1);
    assert_eq!(t.rows.len(), 2);
    assert!(t.columns[1].numeric && t.columns[1].align == Align::Right);
}

#[test]
fn table_helper_renders_data_with_labels_units_and_decimals() {
    let c = build("# A\n\n{{{table \"t\" columns=\"year,value\" caption=\"Trade\" source=\"CGTN\"}}}\n");
    let BlockKind::Table(t) = &first_blocks(&c)[0].kind else {
        panic!("{:?}", first_blocks(&c))
    };
    assert_eq!(plain_text(&t.header[0].cells[1].content), "Trade (bn)");
    assert_eq!(plain_text(&t.rows[1].cells[1].content), "94.8");
    assert_eq!(plain_text(t.source.as_ref().unwrap()), "CGTN");
    assert!(t.columns[1].numeric);
}

/// `where` keeps the rows whose cell compares true with the literal: numbers with numbers,
/// dates with dates, text (in quotes) by `==` and `!=`; an empty cell matches nothing.
#[test]
fn table_helper_where_selects_rows() {
    let manifest = MANIFEST.replace(
        "columns.value =",
        "columns.signed = { type = \"date\" }\ncolumns.value =",
    );
    let csv = "year,value,note,signed\n2022,80,a,2022-03-01\n2023,89.4,b,\n2024,94.8,a,2024-07-15\n";
    let years = |expr: &str| -> Vec<String> {
        let section =
            format!("# A\n\n{{{{{{table \"t\" columns=\"year\" where=\"{expr}\"}}}}}}\n");
        let (c, _) = build_in(&manifest, &section, csv, None)
            .unwrap_or_else(|e| panic!("{expr}: {e:#?}"));
        let BlockKind::Table(t) = &c.document.sections[0].blocks[0].kind else {
            panic!("{expr}: not a table")
        };
        t.rows.iter().map(|r| plain_text(&r.cells[0].content)).collect()
    };
    assert_eq!(years("year >= 2023"), ["2023", "2024"]);
    assert_eq!(years("year<2023"), ["2022"]);
    assert_eq!(years("value == 89.4"), ["2023"]);
    assert_eq!(years("value != 89.4"), ["2022", "2024"]);
    assert_eq!(years("value > -1"), ["2022", "2023", "2024"]);
    assert_eq!(years("note == 'a'"), ["2022", "2024"]);
    assert_eq!(years("note != 'a'"), ["2023"]);
    assert_eq!(years("signed < 2024-01-01"), ["2022"]);
    assert_eq!(years("signed >= '2024-01-01'"), ["2024"]);
    // The empty `signed` of 2023 matches neither side.
    assert_eq!(years("signed != 2022-03-01"), ["2024"]);
}

/// A `where` that is not one comparison of a known column with a value of its kind is an
/// error at the helper, saying what is wrong.
#[test]
fn table_helper_where_rejects_bad_expressions() {
    let csv = "year,value,note\n2023,89.4,b\n";
    for (expr, says) in [
        ("yaer >= 2020", "data set `t` has no column `yaer`"),
        ("year = 2020", "write `==`"),
        ("year", "a column, an operator"),
        ("== 2020", "no column before `==`"),
        ("year >=", "no value after `>=`"),
        ("year >= '2020'", "column `year` holds numbers"),
        ("year >= 1e3", "`1e3` is not a number"),
        ("note == b", "`b` is not a number"),
        ("note == 2020", "put the value in quotes"),
        ("note < 'b'", "compared with `==` or `!=` only"),
        ("note == 'b", "is not a number, a date"),
    ] {
        let section =
            format!("# A\n\nText.\n\n{{{{{{table \"t\" where=\"{expr}\"}}}}}}\n");
        let Err(errors) = build_with(&section, csv, None) else {
            panic!("{expr}: no error")
        };
        assert_eq!(errors.len(), 1, "{expr}: {errors:#?}");
        let e = &errors[0];
        assert!(e.message.contains(says), "{expr}: {}", e.message);
        assert!(e.message.contains(&format!("`where=\"{expr}\"`")), "{}", e.message);
        assert_eq!(e.span.as_ref().unwrap().range.start, section.find("{{{").unwrap());
    }
    let section = "# A\n\n{{{table \"t\" where=2020}}}\n";
    let Err(errors) = build_with(section, csv, None) else { panic!("no error") };
    assert!(errors[0].message.contains("comparison in quotes"), "{errors:#?}");
}

#[test]
fn data_values_are_inserted_literally() {
    let csv = "year,value,note\n2024,94.8,\"*bold?* <b> a|b _x_ [^1] `c` # 1. \"\"q\"\" \\\\ &amp;\"\n";
    let section = "# A\n\nNote: {{#each data.t}}{{note}}{{/each}}\n\n{{{table \"t\" columns=\"note\"}}}\n\n```keyfigures\n[[figure]]\nvalue = '{{lookup (row data.t \"year\" 2024) \"note\"}}'\nlabel = \"x\"\n```\n";
    let (c, _) = build_with(section, csv, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let want = "*bold?* <b> a|b _x_ [^1] `c` # 1. \"q\" \\\\ &amp;";
    let blocks = first_blocks(&c);
    let BlockKind::Paragraph(p) = &blocks[0].kind else { panic!() };
    assert_eq!(plain_text(p), format!("Note: {want}"));
    assert!(p.iter().all(|i| matches!(i.kind, InlineKind::Text(_))), "{p:?}");
    let BlockKind::Table(t) = &blocks[1].kind else { panic!("{blocks:?}") };
    assert_eq!(t.columns.len(), 1, "a `|` in a cell must not split it");
    assert_eq!(plain_text(&t.rows[0].cells[0].content), want);
    let BlockKind::KeyFigures(k) = &blocks[2].kind else { panic!() };
    assert_eq!(plain_text(&k.figures[0].value), want);
}

#[test]
fn footnotes_are_numbered_in_order_of_reference() {
    let c =
        build("# A\n\nFirst[^b] then[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n");
    let notes = &c.document.footnotes;
    assert_eq!(notes.len(), 2);
    assert_eq!(plain_text_blocks(&notes[0].blocks), "Note B.");
    assert_eq!(notes[1].anchor, "fn-2");
}

fn plain_text_blocks(blocks: &[Block]) -> String {
    blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(p) => Some(plain_text(p)),
            _ => None,
        })
        .collect()
}

#[test]
fn briefing_blocks_parse_into_the_model() {
    let section = r#"# A

```keyfigures
title = "At a glance"
source = "CGTN"
[[figure]]
value = "{{money 94.8 decimals=1 scale="billion"}}"
label = "Trade, **2024**"
note = "record"
```

```aside
kind = "warning"
title = "Careful"
text = """
Para one.

- a list
"""
```

```pagebreak
```

```chart
type = "bar"
data = "t"
x = "year"
y = ["value"]
caption = "Trade"
```

```chart
type = "line"
categories = ["2023", "2024"]
caption = "Inline"
[[series]]
name = "Derived"
values = [{{sub 94.8 5.4}}, 94.8]
```

```timeline
caption = "Milestones"
[[event]]
when = "2013"
title = "Speech"
[[event]]
when = "2020"
title = "Mechanism"
detail = "launched"
```
"#;
    let c = build(section);
    let b = first_blocks(&c);
    let BlockKind::KeyFigures(k) = &b[0].kind else { panic!("{b:?}") };
    assert_eq!(plain_text(&k.figures[0].value), "$94.8 billion");
    assert!(k.figures[0].label.iter().any(|i| matches!(i.kind, InlineKind::Strong(_))));
    let BlockKind::Aside(a) = &b[1].kind else { panic!() };
    assert_eq!(a.kind, AsideKind::Warning);
    assert!(matches!(a.blocks[1].kind, BlockKind::List(_)));
    assert!(matches!(b[2].kind, BlockKind::PageBreak));
    let BlockKind::Chart(ch) = &b[3].kind else { panic!() };
    assert_eq!(
        (ch.number, ch.categories.clone()),
        (Some(1), vec!["2023".to_string(), "2024".into()])
    );
    assert_eq!(ch.series[0].name, "Trade");
    assert_eq!(ch.series[0].values, vec![Some(89.4), Some(94.8)]);
    assert_eq!(ch.unit.as_deref(), Some("bn"));
    let BlockKind::Chart(ch2) = &b[4].kind else { panic!() };
    assert_eq!(ch2.series[0].values, vec![Some(89.4), Some(94.8)]);
    let BlockKind::Timeline(t) = &b[5].kind else { panic!() };
    assert_eq!((t.number, t.events.len()), (Some(3), 2));
}

#[test]
fn csv_types_are_inferred_and_declared() {
    let (c, _) = build_with(
        "# A\n",
        "year,value,when,name\n2023,1,2025-06-16,x\n2024,2.5,2025-06-17,y\n",
        None,
    )
    .unwrap();
    let t = &c.project.data["t"];
    let types: Vec<_> = t.columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        [ColumnType::Integer, ColumnType::Number, ColumnType::Date, ColumnType::Text]
    );
}

#[test]
fn issue_date_falls_back_to_source_date_epoch_for_timestamps() {
    let (c, _) =
        build_with("# A\n", "year,value\n2024,1\n", Some(1_750_000_000)).unwrap();
    assert_eq!(c.document.meta.timestamp.timestamp(), 1_750_000_000);
    assert_eq!(c.document.meta.issue_date.to_string(), "2025-06-12");
    let (c2, _) = build_with("# A\n", "year,value\n2024,1\n", None).unwrap();
    assert_eq!(c2.document.meta.timestamp.to_rfc3339(), "2025-06-12T00:00:00+00:00");
    assert_eq!(
        c.document.meta.identifier, c2.document.meta.identifier,
        "the id is derived from the manifest"
    );
}

#[test]
fn template_sees_book_fields() {
    let c = build("# A\n\n{{book.title}} {{daterange book.start-date book.end-date}} {{date book.issue-date \"%Y\"}}\n");
    let BlockKind::Paragraph(p) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(plain_text(p), "T 16\u{2013}18 June 2025 2025");
}

#[test]
fn unreferenced_footnote_is_a_warning() {
    let (_, w) =
        build_with("# A\n\nText.\n\n[^x]: Never used.\n", "year,value\n2024,1\n", None)
            .unwrap();
    assert!(w.iter().any(|d| d.message.contains("never referenced")), "{w:?}");
}

/// Values from `{{…}}` in the plain-text settings of briefing blocks (chart categories,
/// series names, axis titles, units, a timeline's `when`) read as the characters they
/// stand for, not as the character references that keep them literal in Markdown.
#[test]
fn template_values_print_as_written_in_plain_block_settings() {
    let csv = "year,value,note\n2023,89.4,Exports (US$) <b>\n2024,94.8,A*B_C|D\n";
    let section = r#"# A

```chart
type = "bar"
categories = ["{{data.t.0.note}}", "{{data.t.1.note}}"]
x-label = "{{data.t.0.note}}"
unit = "{{data.t.1.note}}"
[[series]]
name = "{{data.t.1.note}}"
values = [1, 2]
```

```chart
type = "line"
data = "t"
x = "note"
y = "value"
y-label = "&#36; typed &amp; kept"
```

```timeline
[[event]]
when = "{{data.t.0.note}} 2024"
year = 2024
title = "{{data.t.1.note}}"
```
"#;
    let (c, _) = build_with(section, csv, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let b = first_blocks(&c);
    let BlockKind::Chart(ch) = &b[0].kind else { panic!("{b:?}") };
    assert_eq!(ch.categories, ["Exports (US$) <b>", "A*B_C|D"]);
    assert_eq!(ch.series[0].name, "A*B_C|D");
    assert_eq!(ch.x_label, "Exports (US$) <b>");
    assert_eq!(ch.unit.as_deref(), Some("A*B_C|D"));
    let BlockKind::Chart(ch) = &b[1].kind else { panic!("{b:?}") };
    assert_eq!(ch.categories, ["Exports (US$) <b>", "A*B_C|D"]);
    // Typed references are decoded as Markdown would decode them.
    assert_eq!(ch.y_label, "$ typed & kept");
    let BlockKind::Timeline(t) = &b[2].kind else { panic!("{b:?}") };
    assert_eq!(t.events[0].when, "Exports (US$) <b> 2024");
    assert_eq!(plain_text(&t.events[0].title), "A*B_C|D");
}

/// A change from a helper (`{{growth …}}` gives `+6.0%`) gets its arrow like a typed one.
#[test]
fn key_figure_trend_reads_the_printed_change() {
    let section = r#"# A

```keyfigures
[[figure]]
value = "1"
label = "helper up"
change = "{{growth 89.4 94.8}}"
[[figure]]
value = "2"
label = "helper down"
change = "{{growth 94.8 89.4}}"
[[figure]]
value = "3"
label = "typed"
change = "+20.0%"
[[figure]]
value = "4"
label = "none"
change = "{{growth 94.8 94.8}}"
```
"#;
    let c = build(section);
    let BlockKind::KeyFigures(k) = &first_blocks(&c)[0].kind else { panic!() };
    let trends: Vec<Trend> =
        k.figures.iter().map(|f| f.change.as_ref().unwrap().trend).collect();
    assert_eq!(trends, [Trend::Up, Trend::Down, Trend::Up, Trend::Flat]);
}

/// A data set's `source` is text, as in the `table` helper: a chart or timeline that
/// takes it as its source line prints it as written.
#[test]
fn data_set_source_is_literal_in_charts_and_timelines() {
    let manifest = MANIFEST.replace(
        "path = \"t.csv\"",
        "path = \"t.csv\"\nsource = \"Office <b> *x* & $ 2024. Report\"",
    );
    let section = "# A\n\n```chart\ntype = \"bar\"\ndata = \"t\"\nx = \"year\"\ny = \"value\"\n```\n\n```timeline\ndata = \"t\"\nwhen = \"year\"\ntitle = \"note\"\n```\n";
    let (c, _) =
        build_in(&manifest, section, "year,value,note\n2023,89.4,a\n2024,94.8,b\n", None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
    let b = first_blocks(&c);
    let BlockKind::Chart(ch) = &b[0].kind else { panic!("{b:?}") };
    assert_eq!(
        plain_text(ch.source.as_ref().unwrap()),
        "Office <b> *x* & $ 2024. Report"
    );
    let BlockKind::Timeline(t) = &b[1].kind else { panic!("{b:?}") };
    assert_eq!(plain_text(t.source.as_ref().unwrap()), "Office <b> *x* & $ 2024. Report");
}

/// Numbers keep their written precision, one number of decimals per column: `69.0`
/// stays `69.0`, `-2.0` is `−2.0`, and `57` in a column that has `57.7` reads `57.0`.
#[test]
fn numbers_keep_their_written_decimals_per_column() {
    let manifest = MANIFEST.replace(", decimals = 1", "");
    let csv = "year,value,note\n2021,50.7,a\n2022,57,b\n2023,69.0,c\n2024,-2.0,d\n";
    let section = "# A\n\n{{{table \"t\" columns=\"value\"}}}\n\n```chart\ntype = \"bar\"\ndata = \"t\"\nx = \"year\"\ny = \"value\"\n```\n";
    let (c, _) =
        build_in(&manifest, section, csv, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let b = first_blocks(&c);
    let BlockKind::Table(t) = &b[0].kind else { panic!("{b:?}") };
    let cells: Vec<String> =
        t.rows.iter().map(|r| plain_text(&r.cells[0].content)).collect();
    assert_eq!(cells, ["50.7", "57.0", "69.0", "\u{2212}2.0"]);
    let BlockKind::Chart(ch) = &b[1].kind else { panic!("{b:?}") };
    assert_eq!(ch.series[0].shown_decimals(), 1);
    // Declared decimals win over written ones.
    let (c, _) =
        build_in(&MANIFEST.replace("decimals = 1", "decimals = 2"), section, csv, None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
    let BlockKind::Table(t) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(plain_text(&t.rows[1].cells[0].content), "57.00");
}

/// A chart shown as its data table (too many bars) prints each column with one number
/// of decimals, as written.
#[test]
fn chart_shown_as_a_table_keeps_written_decimals() {
    let dir = harness::temp_dir();
    let manifest = MANIFEST.replace(", decimals = 1", "");
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    let mut csv = String::from("year,value,note\n");
    for i in 0..45 {
        let v = if i % 2 == 0 { format!("{}", 50 + i) } else { format!("{}.5", 50 + i) };
        csv.push_str(&format!("{},{v},n\n", 1980 + i));
    }
    std::fs::write(dir.path().join("t.csv"), csv).unwrap();
    let section = "# A\n\n```chart\ntype = \"bar\"\ndata = \"t\"\nx = \"year\"\ny = \"value\"\n```\n";
    std::fs::write(dir.path().join("s.md"), section).unwrap();
    let dump = harness::layout_dump(dir.path());
    assert!(dump.contains("\"50.0\""), "{dump}");
    assert!(dump.contains("\"51.5\""), "{dump}");
    assert!(!dump.contains("\"50\""), "{dump}");
}

/// Raw HTML in a block's text value is reported once per value, at the tag itself,
/// naming the key, with a hint that is valid inside a TOML string (`\<` is not);
/// the fix the hint gives builds.
#[test]
fn raw_html_in_a_block_value_is_reported_at_the_value_with_a_toml_safe_hint() {
    let section = "# A\n\n```keyfigures\n[[figure]]\nvalue = \"1\"\nlabel = \"a <b>b</b> c\"\n```\n";
    let errors =
        build_with(section, "year,value,note\n2024,94.8,b\n", None).err().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    let span = e.span.as_ref().unwrap();
    assert_eq!(span.range.start, section.find("<b>").unwrap(), "{e:#?}");
    assert!(e.message.contains("`label` of `[[figure]]` number 1"), "{}", e.message);
    assert!(e.hints.iter().any(|h| h.contains("`&lt;`")), "{:?}", e.hints);
    assert!(!e.hints.iter().any(|h| h.contains("\\<")), "{:?}", e.hints);
    let fixed = section.replace("<b>b</b>", "&lt;b> c");
    let c = build(&fixed);
    let BlockKind::KeyFigures(k) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(plain_text(&k.figures[0].label), "a <b> c c");
}

/// A heading in a chart's caption (charts have no `title`) gets a hint that works in a
/// TOML string (`\#` does not); the fix builds. In an aside's `text` the hint names the
/// aside's `title`.
#[test]
fn a_heading_in_a_block_value_gets_a_hint_for_that_value() {
    let section = "# A\n\n```chart\ntype = \"bar\"\ndata = \"t\"\nx = \"year\"\ny = \"value\"\ncaption = \"# of tonnes\"\n```\n";
    let csv = "year,value,note\n2024,94.8,b\n";
    let errors = build_with(section, csv, None).err().unwrap();
    let e = errors
        .iter()
        .find(|d| d.message.contains("headings cannot be used"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(e.message.contains("`caption`"), "{}", e.message);
    let hint = e.hints.join(" ");
    assert!(hint.contains("`&#35;`") && !hint.contains("title"), "{hint}");
    let (c, _) = build_with(&section.replace("# of", "&#35; of"), csv, None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let BlockKind::Chart(ch) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(plain_text(ch.caption.as_ref().unwrap()), "# of tonnes");

    let aside = "# A\n\n```aside\nkind = \"note\"\ntext = \"# Note\\n\\nText.\"\n```\n";
    let errors = build_with(aside, csv, None).err().unwrap();
    let e =
        errors.iter().find(|d| d.message.contains("headings cannot be used")).unwrap();
    assert!(e.hints.join(" ").contains("`title`"), "{:?}", e.hints);
}

/// A footnote reference in a block's value cannot be given a definition (blocks hold no
/// footnotes): the hint says so, not "add a definition to this file"; its escape builds.
#[test]
fn a_footnote_in_a_block_value_gets_a_hint_for_blocks() {
    let section =
        "# A\n\n```keyfigures\n[[figure]]\nvalue = \"1\"\nlabel = \"a [^n] b\"\n```\n";
    let csv = "year,value,note\n2024,94.8,b\n";
    let errors = build_with(section, csv, None).err().unwrap();
    let e = errors
        .iter()
        .find(|d| d.message.contains("is not defined"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    let hint = e.hints.join(" ");
    assert!(
        hint.contains("cannot hold footnotes") && !hint.contains("this file"),
        "{hint}"
    );
    let c = build(&section.replace("[^n]", "&#91;^n]"));
    let BlockKind::KeyFigures(k) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(plain_text(&k.figures[0].label), "a [^n] b");
    let errors = build_with("# A\n\nText[^n].\n", csv, None).err().unwrap();
    assert!(errors[0].hints.join(" ").contains("to this file"), "{errors:#?}");
}

/// A chart with more series than the palette keeps apart is shown as a table, with a
/// warning at its `y` list.
#[test]
fn too_many_series_fall_back_to_a_table_with_a_warning_at_y() {
    let manifest = MANIFEST.replace("[data.t]", "[data.w]\npath = \"t.csv\"\n\n[data.t]");
    let csv =
        "year,value,note,a,b,c,d,e,f,g\n2024,1,x,1,2,3,4,5,6,7\n2025,2,y,1,2,3,4,5,6,7\n";
    let section = "# A\n\n```chart\ntype = \"line\"\ndata = \"w\"\nx = \"year\"\ny = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\"]\n```\n";
    let (c, warnings) =
        build_in(&manifest, section, csv, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let BlockKind::Chart(ch) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(briefbook::chart::plan(ch), briefbook::chart::Plan::Table);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].message.contains("7 series"), "{}", warnings[0].message);
    let span = warnings[0].span.as_ref().unwrap();
    assert_eq!(span.range.start, section.find("[\"a\"").unwrap());
    // Six are drawn.
    let six = section.replace(", \"g\"]", "]");
    let (c, warnings) = build_in(&manifest, &six, csv, None).unwrap();
    let BlockKind::Chart(ch) = &first_blocks(&c)[0].kind else { panic!() };
    assert_eq!(briefbook::chart::plan(ch), briefbook::chart::Plan::Lines);
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// A table that ends up with no body rows (an empty data set, or a selection that matched
/// nothing) is still printed, with a warning at the table.
#[test]
fn a_table_without_rows_is_a_warning() {
    let (_, warnings) =
        build_with("# A\n\n{{{table \"t\"}}}\n", "year,value,note\n", None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].message.contains("no rows"), "{}", warnings[0].message);
    let section = "# A\n\n| Year |\n|--|\n{{#each data.t}}{{#if (eq year 1999)}}| {{year}} |\n{{/if}}{{/each}}\nText.\n";
    let (_, warnings) =
        build_with(section, "year,value,note\n2024,94.8,b\n", None).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        warnings[0].span.as_ref().unwrap().range.start,
        section.find("| Year").unwrap()
    );
    let (_, warnings) = build_with(
        &section.replace("1999", "2024"),
        "year,value,note\n2024,94.8,b\n",
        None,
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// An image inside a paragraph of an aside's one-line `text`: the hint says how to write
/// the blank lines there.
#[test]
fn an_image_in_a_toml_string_gets_a_hint_for_toml() {
    let section =
        "# A\n\n```aside\nkind = \"note\"\ntext = \"See ![Map](m.png) here.\"\n```\n";
    let Err(errors) = build_with(section, "year,value,note\n", None) else {
        panic!("no error")
    };
    let d = errors
        .iter()
        .find(|d| d.message.contains("stand alone"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    let hint = d.hints.join(" ");
    assert!(hint.contains("\\n\\n"), "{hint}");
    let Err(md) =
        build_with("# A\n\nSee ![Map](m.png) here.\n", "year,value,note\n", None)
    else {
        panic!("no error")
    };
    let d = md.iter().find(|d| d.message.contains("stand alone")).unwrap();
    assert!(!d.hints.join(" ").contains("\\n"), "{:?}", d.hints);
}
