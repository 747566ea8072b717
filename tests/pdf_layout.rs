//! Print layout checked through poppler (an oracle that shares no code with us): the
//! fixtures under `tests/suite/layout/` and the sample briefing are built by the binary
//! and read back with `pdftotext`.

mod harness;

use std::path::{Path, PathBuf};

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::model::{Block, BlockKind, Inline, InlineKind, Section};
use briefbook::source::LoadOptions;
use harness::{briefbook, root, temp_dir, text, tool};

/// Builds the fixture `case` into `out`; returns the PDF's path.
fn build(case: &str, out: &Path) -> PathBuf {
    let dir = root().join("tests/suite/layout").join(case);
    let o = briefbook(&["build", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{case} failed to build:\n{}", text(&o.stderr));
    out.join("briefing.pdf")
}

fn pages(pdf: &Path) -> usize {
    let info = text(&tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

fn page_text(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    text(
        &tool("pdftotext", &["-f", &n, "-l", &n, "-layout", pdf.to_str().unwrap(), "-"])
            .stdout,
    )
}

#[test]
fn long_table_repeats_its_header_and_says_continued() {
    let dir = temp_dir();
    let pdf = build("long-table", dir.path());
    let total = pages(&pdf);
    let table_pages: Vec<usize> =
        (1..=total).filter(|&n| page_text(&pdf, n).contains("Region ")).collect();
    assert!(table_pages.len() >= 3, "160 rows should span pages: {table_pages:?}");
    for (i, &n) in table_pages.iter().enumerate() {
        let t = page_text(&pdf, n);
        let header = t.lines().any(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w == ["id", "region", "value"]
        });
        assert!(header, "page {n} lacks the header row:\n{t}");
        assert_eq!(t.contains("Table 1 (continued)"), i > 0, "page {n}:\n{t}");
    }
    // Every row is there once.
    let all: String = table_pages.iter().map(|&n| page_text(&pdf, n)).collect();
    for row in 1..=160 {
        let needle = format!(" Region {} ", row % 17);
        assert!(all.contains(&needle), "row {row} missing");
    }
}

#[test]
fn nothing_crosses_the_right_margin() {
    let dir = temp_dir();
    let pdf = build("overflow", dir.path());
    // Page 120 mm wide, right margin 12 mm.
    let limit = (120.0 - 12.0) * 72.0 / 25.4;
    let bbox = text(&tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]).stdout);
    let mut words = 0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let x_max: f64 = line
            .split("xMax=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect("xMax");
        assert!(x_max <= limit + 0.5, "{line} ends at {x_max} > {limit}");
        words += 1;
    }
    assert!(words > 20);
    let all = text(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout);
    let squashed: String = all.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squashed.contains("1234567890123456789012345678901234567890"));
    assert!(squashed.contains("阿斯塔纳是哈萨克斯坦的首都"));
}

#[test]
fn footnotes_sit_at_the_foot_of_the_referring_page() {
    let dir = temp_dir();
    let pdf = build("footnotes", dir.path());
    let t = page_text(&pdf, 3);
    let claim = t.find("The first claim needs a source").expect("text");
    let note = t.find("The source of the first claim").expect("note on the same page");
    let second = t.find("A longer note that explains").expect("second note");
    assert!(claim < note && note < second, "{t}");
    assert!(!t.contains("Notes\n"), "no chapter-end notes heading");
}

/// The text of inline content as the PDF shows it (note references as their numbers).
fn inline_text(doc: &briefbook::model::Document, inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match &i.kind {
            InlineKind::Text(t) | InlineKind::Code(t) => out.push_str(t),
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. }
            | InlineKind::Lang { content: c, .. } => inline_text(doc, c, out),
            InlineKind::FootnoteRef(id) => {
                if let Some(n) = doc.footnotes.get(id.0) {
                    out.push_str(&n.number.to_string());
                }
            }
            InlineKind::LineBreak => {}
        }
    }
}

fn paragraphs(doc: &briefbook::model::Document, blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph(p) => {
                let mut s = String::new();
                inline_text(doc, p, &mut s);
                out.push(s);
            }
            BlockKind::List(l) => {
                l.items.iter().for_each(|i| paragraphs(doc, &i.blocks, out));
            }
            BlockKind::Quote(q) => paragraphs(doc, q, out),
            _ => {}
        }
    }
}

fn section_paragraphs(
    doc: &briefbook::model::Document,
    s: &Section,
    out: &mut Vec<String>,
) {
    paragraphs(doc, &s.blocks, out);
    s.children.iter().for_each(|c| section_paragraphs(doc, c, out));
}

/// Letters and digits only: whitespace, hyphens and dashes differ between the model and
/// extracted text (line-end hyphens, justified spaces).
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn sample_pdf_text_follows_the_model_in_reading_order() {
    let dir = temp_dir();
    harness::build_sample(dir.path());
    let pdf = dir.path().join("briefing.pdf");
    let mut sources = SourceMap::default();
    let options =
        LoadOptions { source_date_epoch: Some(0), edition: Some("delegation".into()) };
    let compiled = compile(
        &briefbook::world::World::new(&root().join("briefing")).unwrap(),
        &mut sources,
        &options,
        &mut Vec::new(),
    )
    .expect("sample compiles");
    let doc = &compiled.document;
    // Page text without furniture (running heads, folios) and footnotes.
    let mut notes = Vec::new();
    for n in &doc.footnotes {
        paragraphs(doc, &n.blocks, &mut notes);
    }
    let titles: Vec<String> = doc.sections.iter().map(|s| s.heading.title()).collect();
    let mut body = String::new();
    for n in 3..=pages(&pdf) {
        let raw = n.to_string();
        let t = text(
            &tool("pdftotext", &["-f", &raw, "-l", &raw, pdf.to_str().unwrap(), "-"])
                .stdout,
        );
        let mut page = squash(
            &t.lines()
                .filter(|l| {
                    let l = l.trim();
                    l != doc.meta.classification
                        && !l.starts_with("Page ")
                        && !titles.iter().any(|t| t == l)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        for note in &notes {
            page = page.replace(&squash(note), "");
        }
        body.push_str(&page);
    }
    let mut wanted = Vec::new();
    for s in &doc.sections {
        section_paragraphs(doc, s, &mut wanted);
    }
    assert!(wanted.len() > 30);
    let mut at = 0;
    for p in wanted {
        let p = squash(&p);
        match body[at..].find(&p) {
            Some(i) => at += i + p.len(),
            None => panic!("paragraph not found in order after {at}: {p}"),
        }
    }
}

#[test]
fn words_are_drawn_where_the_layout_put_them() {
    use briefbook::diag::SourceMap;
    use briefbook::layout::{layout_document, FrameItem};
    let dir = temp_dir();
    let pdf = build("paragraphs", dir.path());
    let mut sources = SourceMap::default();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let root = root().join("tests/suite/layout/paragraphs");
    let compiled = compile(
        &briefbook::world::World::new(&root).unwrap(),
        &mut sources,
        &options,
        &mut Vec::new(),
    )
    .unwrap();
    let (paged, _) =
        layout_document(&compiled.document, &compiled.project.layout).unwrap();
    // Word starts on page 3 according to poppler.
    let bbox = text(
        &tool("pdftotext", &["-bbox", "-f", "3", "-l", "3", pdf.to_str().unwrap(), "-"])
            .stdout,
    );
    let attr = |line: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        line.split(&key)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .parse()
            .unwrap()
    };
    let starts: Vec<(f64, f64)> = bbox
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| (attr(l, "xMin"), attr(l, "yMax")))
        .collect();
    let mut runs = 0;
    let mut found = 0;
    // Where the last run ended: a run that starts there continues a word (a name set in
    // syllables at its hyphenation points, a comma in another style) and starts no
    // poppler word of its own.
    let mut end = (f64::NAN, f64::NAN);
    for (pos, item) in paged.pages[2].items() {
        let FrameItem::Text(run) = item else { continue };
        let t: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
        let continues = (pos.x.0 - end.0).abs() < 0.5 && (pos.y.0 - end.1).abs() < 0.5;
        end = (pos.x.0 + run.width().0, pos.y.0);
        if t.trim().is_empty() || t.contains(' ') || continues {
            continue;
        }
        runs += 1;
        if starts
            .iter()
            .any(|&(x, y)| (x - pos.x.0).abs() < 0.5 && (y - pos.y.0).abs() < 4.0)
        {
            found += 1;
        }
    }
    assert!(runs > 50);
    // Runs that touch (a word and its comma in another style) are one poppler word.
    assert!(found * 100 >= runs * 90, "{found} of {runs} words were laid out");
}

/// A word without the punctuation around it (a soft hyphen at its end is kept).
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\u{AD}')
}

#[test]
fn soft_hyphens_show_only_where_a_line_breaks() {
    // Every long word of the fixture has soft hyphens (U+00AD or `&shy;`) and no other
    // hyphen, in a column too narrow for it to break only between words.
    let dir = temp_dir();
    let pdf = build("soft-hyphens", dir.path());
    let source = std::fs::read_to_string(
        root().join("tests/suite/layout/soft-hyphens/sections/one.md"),
    )
    .unwrap()
    .replace("&shy;", "\u{AD}");
    // Each word of the paragraph, and the ways it may be divided: at its soft hyphens.
    let mut divisions = std::collections::HashMap::new();
    for word in source.lines().nth(2).unwrap().split_whitespace().map(bare) {
        let whole = word.replace('\u{AD}', "");
        let at: Vec<String> = word
            .match_indices('\u{AD}')
            .map(|(i, _)| word[..i].replace('\u{AD}', ""))
            .collect();
        divisions.insert(whole, at);
    }
    let plain = text(
        &tool("pdftotext", &["-f", "3", "-l", "3", pdf.to_str().unwrap(), "-"]).stdout,
    );
    let lines: Vec<&str> = plain
        .lines()
        .skip_while(|l| !l.starts_with("The "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 3, "{plain}");
    // A line ends in a whole word, or in part of one at one of its soft hyphens, which
    // is drawn as a hyphen and reads as U+00AD (like the hyphens hyphenation inserts).
    let mut soft = 0;
    for pair in lines.windows(2) {
        let last = pair[0].split_whitespace().next_back().map(bare).unwrap();
        let next = pair[1].split_whitespace().next().map(bare).unwrap();
        match last.strip_suffix('\u{AD}') {
            Some(part) => {
                soft += 1;
                let whole = format!("{part}{next}");
                let at = divisions.get(&whole);
                assert!(
                    at.is_some_and(|at| at.iter().any(|p| p == part)),
                    "`{whole}` divided after `{part}`, not at a soft hyphen:\n{plain}"
                );
            }
            None => assert!(divisions.contains_key(last), "`{last}` is cut:\n{plain}"),
        }
    }
    assert!(soft > 0, "no line breaks at a soft hyphen:\n{plain}");
    // Nowhere else: the other soft hyphens are neither drawn nor in the copied text.
    assert!(!plain.contains('-'), "a hyphen that is not a soft one:\n{plain}");
    let joined = plain.replace("\u{AD}\n", "");
    assert!(!joined.contains('\u{AD}'), "a stray soft hyphen:\n{plain}");
}
