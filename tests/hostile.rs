//! Pathological paragraphs (the inputs of `scripts/bench-hostile`, at small sizes) lay out
//! correctly: every character arrives on the pages, in order, and no line is wider than
//! the measure. Their speed is measured by the script, never asserted here.

mod harness;

use briefbook::compile::compile;
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::source::LoadOptions;
use harness::temp_dir;

/// A one-section briefing whose section body (after `# One`) is `body`, with `csv` as
/// the data set `big` if given.
fn briefing(body: &str, language: &str, csv: Option<&str>) -> tempfile::TempDir {
    let dir = temp_dir();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sections")).unwrap();
    let mut manifest = format!(
        "[book]\ntitle = \"Hostile\"\nclassification = \"UNCLASSIFIED\"\n\
         language = \"{language}\"\nissue-date = 2025-06-12\n\n\
         [contents]\nsections = [\"sections/one.md\"]\n"
    );
    if let Some(csv) = csv {
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("data/big.csv"), csv).unwrap();
        manifest.push_str("\n[data.big]\npath = \"data/big.csv\"\n");
    }
    std::fs::write(root.join("briefing.toml"), manifest).unwrap();
    std::fs::write(root.join("sections/one.md"), format!("# One\n\n{body}\n")).unwrap();
    dir
}

/// The compiled briefing of [`briefing`] and its warnings so far.
fn compiled(dir: &tempfile::TempDir) -> (briefbook::compile::Compiled, Vec<Diagnostic>) {
    let (mut sources, mut warnings) = (SourceMap::default(), Vec::new());
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let world = briefbook::world::World::new(dir.path()).unwrap();
    let compiled = compile(&world, &mut sources, &options, &mut warnings)
        .unwrap_or_else(|e| panic!("does not compile: {e:?}"));
    (compiled, warnings)
}

/// The model of a one-section briefing whose section body is `body`.
fn model(body: &str) -> (briefbook::model::Document, Vec<Diagnostic>) {
    let (compiled, warnings) = compiled(&briefing(body, "en-GB", None));
    (compiled.document, warnings)
}

/// Lays out a one-section briefing whose section body is `body`.
fn lay_out(body: &str, language: &str) -> (PagedDocument, Vec<Diagnostic>) {
    lay_out_with(body, language, None)
}

/// [`lay_out`], with `csv` as the data set `big` if given.
fn lay_out_with(
    body: &str,
    language: &str,
    csv: Option<&str>,
) -> (PagedDocument, Vec<Diagnostic>) {
    let (compiled, mut warnings) = compiled(&briefing(body, language, csv));
    let (doc, layout_warnings) =
        layout_document(&compiled.document, &compiled.project.layout)
            .unwrap_or_else(|e| panic!("does not lay out: {e:?}"));
    warnings.extend(layout_warnings);
    (doc, warnings)
}

/// The text of the body paragraph: glyph runs in the body's type size (the heading,
/// running heads, markings and page numbers are set in other sizes), page by page from
/// the chapter's first page (the contents page before it is set in the body size too).
fn body_text(doc: &PagedDocument, size: f64) -> String {
    let heading = |page: &&briefbook::layout::Page| {
        page.items().any(|(_, item)| match item {
            FrameItem::Text(run) => {
                let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                run.size.0 > size && text.contains("One")
            }
            _ => false,
        })
    };
    let mut out = String::new();
    for page in doc.pages.iter().skip_while(|p| !heading(p)) {
        for (_, item) in page.items() {
            if let FrameItem::Text(run) = item {
                if (run.size.0 - size).abs() < 0.001 {
                    out.extend(run.glyphs.iter().map(|g| g.text.as_str()));
                }
            }
        }
    }
    out
}

/// No glyph run ends past the right margin of its page.
fn assert_within_margins(doc: &PagedDocument) {
    for page in &doc.pages {
        for (pos, item) in page.items() {
            if let FrameItem::Text(run) = item {
                let end = pos.x.0 + run.width().0;
                assert!(
                    end <= page.size.width.0 - 20.0,
                    "page {}: a run ends at {end}",
                    page.number
                );
            }
        }
    }
}

const BODY: f64 = 10.5;

/// Compares long texts without printing them whole.
#[track_caller]
fn assert_same_text(got: &str, want: &str) {
    if got != want {
        let at = got.chars().zip(want.chars()).take_while(|(a, b)| a == b).count();
        let show =
            |s: &str| s.chars().skip(at.saturating_sub(10)).take(40).collect::<String>();
        panic!(
            "texts differ at character {at} (lengths {} and {}): {:?} against {:?}",
            got.chars().count(),
            want.chars().count(),
            show(got),
            show(want)
        );
    }
}

#[test]
fn nested_brackets_keep_every_character() {
    let body = format!("{}x{}", "[".repeat(3000), "]".repeat(3000));
    let (doc, _) = lay_out(&body, "en-GB");
    assert_same_text(&body_text(&doc, BODY), &body);
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    assert_within_margins(&doc);
}

#[test]
fn unmatched_delimiters_are_literal_text() {
    let body = "*a_ ".repeat(2000);
    let (doc, _) = lay_out(&body, "en-GB");
    // Spaces at line ends are not drawn.
    let drawn: String = body_text(&doc, BODY).split_whitespace().collect();
    let want: String = body.split_whitespace().collect();
    assert_same_text(&drawn, &want);
    assert_within_margins(&doc);
}

#[test]
fn many_footnote_references_are_all_set() {
    let body = format!("{}\n\n[^a]: The one note.", "[^a]".repeat(3000));
    let (doc, _) = lay_out(&body, "en-GB");
    // Each reference is a superscript `1` in a smaller size.
    let refs: usize = doc
        .pages
        .iter()
        .flat_map(|p| p.items())
        .filter_map(|(_, item)| match item {
            FrameItem::Text(run) if run.size.0 < BODY * 0.7 => Some(run),
            _ => None,
        })
        .flat_map(|run| run.glyphs.iter())
        .filter(|g| g.text == "1")
        .count();
    assert_eq!(refs, 3000);
    assert_within_margins(&doc);
}

/// A long word without break opportunities, letters cycling through the alphabet.
fn long_word(n: usize) -> String {
    (0..n).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect()
}

#[test]
fn a_long_word_breaks_across_lines_and_pages() {
    // Kazakh has no hyphenation patterns: the word is cut only by emergency breaks,
    // its middle in line-wide slices (it is longer than 1,024 characters).
    let word = long_word(40_000);
    let (doc, _) = lay_out(&word, "kk");
    assert_same_text(&body_text(&doc, BODY), &word);
    assert!(doc.pages.len() >= 4, "{} pages", doc.pages.len());
    assert_within_margins(&doc);
}

#[test]
fn a_word_is_hyphenated_unless_it_is_longer_than_any_real_word() {
    // 1,000 letters: hyphenated, with a hyphen at the end of each broken line.
    let word = long_word(1_000);
    let (doc, _) = lay_out(&word, "en-GB");
    let drawn = body_text(&doc, BODY);
    assert!(drawn.contains('-'), "not hyphenated");
    assert_same_text(&drawn.replace('-', ""), &word);
    // 20,000 letters: cut without hyphens.
    let word = long_word(20_000);
    let (doc, _) = lay_out(&word, "en-GB");
    assert_same_text(&body_text(&doc, BODY), &word);
    assert_within_margins(&doc);
}

#[test]
fn a_long_line_of_chinese_is_set() {
    let pool: Vec<char> =
        "阿斯塔纳是哈萨克斯坦的首都中国与中亚国家贸易额".chars().collect();
    let text: String = (0..20_000).map(|i| pool[i * 7 % pool.len()]).collect();
    let (doc, _) = lay_out(&text, "en-GB");
    assert_same_text(&body_text(&doc, BODY), &text);
    assert_within_margins(&doc);
}

#[test]
fn runs_of_spaces_and_marks_are_set() {
    // 50,000 spaces are one gap after `a`, drawn as one space glyph (so that text
    // extraction sees the word break), not 50,000.
    let (doc, _) = lay_out(&format!("a{}b", " ".repeat(50_000)), "en-GB");
    assert_eq!(body_text(&doc, BODY), "a b");
    assert_within_margins(&doc);

    // A letter with 20,000 combining accents is one cluster.
    let marks = format!("a{}", "\u{301}".repeat(20_000));
    let (doc, _) = lay_out(&marks, "en-GB");
    assert_same_text(&body_text(&doc, BODY), &marks);
}

#[test]
fn zero_width_words_are_set() {
    // Marks after zero-width spaces: thousands of break opportunities of no width.
    let body = format!("a{}b", "\u{301}\u{200b}".repeat(20_000));
    let (doc, _) = lay_out(&body, "en-GB");
    assert_same_text(&body_text(&doc, BODY), &body);
    assert_within_margins(&doc);
}

#[test]
fn a_large_data_set_read_only_by_aggregates_gives_their_values() {
    let mut csv = String::from("id,region,value,date\n");
    let (mut sum, mut max) = (0i64, 0i64);
    for i in 0..20_000i64 {
        let cents = (i * 7919) % 10_000_000;
        sum += cents;
        max = max.max(cents);
        let value = format!("{}.{:02}", cents / 100, cents % 100);
        csv.push_str(&format!(
            "{i},Region {},{value},2025-{:02}-01\n",
            i % 17,
            1 + i % 12
        ));
    }
    let body =
        "Rows: {{count data.big}}; total {{num (sum data.big \"value\") decimals=2}}; \
                largest {{num (max data.big \"value\") decimals=2}}; region of row 7: \
                {{lookup (row data.big \"id\" 7) \"region\"}}.";
    let (doc, _) = lay_out_with(body, "en-GB", Some(&csv));
    let text = body_text(&doc, BODY);
    let money = |cents: i64| {
        let units = (cents / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{grouped}.{:02}", cents % 100)
    };
    let want = format!(
        "Rows:20000;total{};largest{};regionofrow7:Region7.",
        money(sum),
        money(max)
    );
    assert_same_text(&text, &want);
}

#[test]
fn thousands_of_notes_each_get_their_own_definition() {
    let n = 3000;
    let mut body: String = (0..n).map(|i| format!("Text[^n{i}].\n\n")).collect();
    // Definitions in reverse order, one of them twice (the first one counts), one unused.
    for i in (0..n).rev() {
        body.push_str(&format!("[^n{i}]: Note {i}.\n\n"));
    }
    body.push_str("[^n7]: A second definition.\n\n[^unused]: Never referenced.\n");
    let (doc, warnings) = model(&body);
    assert_eq!(doc.footnotes.len(), n);
    for (i, note) in doc.footnotes.iter().enumerate() {
        assert_eq!(note.number as usize, i + 1);
        let text: String = note
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                briefbook::model::BlockKind::Paragraph(p) => {
                    Some(briefbook::model::plain_text(p))
                }
                _ => None,
            })
            .collect();
        assert_eq!(text, format!("Note {i}."));
    }
    let unused: Vec<&str> = warnings
        .iter()
        .filter(|w| w.message.contains("never referenced"))
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(unused, ["footnote `[^unused]` is never referenced"]);
}
