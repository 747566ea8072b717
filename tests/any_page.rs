//! Briefings a new user might write, on any page size: small pages, long titles, deep
//! lists, wide and multilingual tables. The pages are checked geometrically: no two runs
//! of text overlap, nothing leaves the page, captions and source lines stay with their
//! tables, numbers are not split.

use briefbook::compile::compile;
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::source::LoadOptions;
use briefbook::world::World;

/// Lays out an in-memory briefing of `files` (path, text).
fn build(files: &[(&str, String)]) -> (PagedDocument, Vec<Diagnostic>) {
    let world = World::in_memory(
        files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(&world, &mut sources, &options, &mut warnings)
        .unwrap_or_else(|e| panic!("does not compile: {e:?}"));
    let (paged, more) = layout_document(&compiled.document, &compiled.project.layout)
        .unwrap_or_else(|e| panic!("does not lay out: {e:?}"));
    warnings.extend(more);
    (paged, warnings)
}

/// A manifest for `sections` on a page of `size` (a TOML value) with extra `[book]` keys.
fn manifest(size: &str, book: &str, sections: usize) -> String {
    let list: Vec<String> = (1..=sections).map(|i| format!("\"s{i}.md\"")).collect();
    format!(
        "[book]\ntitle = \"Regional statistics\"\nclassification = \"official-sensitive — for \
         delegation use only\"\nlanguage = \"en-GB\"\nissue-date = 2025-06-12\n{book}\n\n\
         [layout]\npage-size = {size}\n\n[contents]\nsections = [{}]\n",
        list.join(", ")
    )
}

/// A text run's box: left, top, right, bottom (from the baseline, by the type size).
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// Every text run on page `i`.
fn text_boxes(doc: &PagedDocument, i: usize) -> Vec<TextBox> {
    let mut out = Vec::new();
    for (pos, item) in doc.pages[i].items() {
        if let FrameItem::Text(run) = item {
            let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
            let size = run.size.0;
            out.push(TextBox {
                text,
                left: pos.x.0,
                top: pos.y.0 - size * 0.75,
                right: pos.x.0 + run.width().0,
                bottom: pos.y.0 + size * 0.2,
            });
        }
    }
    out
}

/// Pairs of text runs on any page that overlap by more than a hair.
fn overlaps(doc: &PagedDocument) -> Vec<String> {
    let mut found = Vec::new();
    for i in 0..doc.pages.len() {
        let boxes = text_boxes(doc, i);
        for (n, a) in boxes.iter().enumerate() {
            for b in &boxes[n + 1..] {
                let x = a.right.min(b.right) - a.left.max(b.left);
                let y = a.bottom.min(b.bottom) - a.top.max(b.top);
                if x > 0.3 && y > 0.3 {
                    found.push(format!("page {}: {:?} and {:?}", i + 1, a.text, b.text));
                }
            }
        }
    }
    found
}

/// Text runs that leave their page.
fn off_page(doc: &PagedDocument) -> Vec<String> {
    let mut found = Vec::new();
    for (i, page) in doc.pages.iter().enumerate() {
        for b in text_boxes(doc, i) {
            let (w, h) = (page.size.width.0, page.size.height.0);
            if b.left < -0.01 || b.right > w + 0.01 || b.top < 0.0 || b.bottom > h {
                found.push(format!("page {}: {:?}", i + 1, b.text));
            }
        }
    }
    found
}

/// The page sizes a briefing may be set on: A6, A5, US Letter and two custom sizes.
const SIZES: [&str; 5] = [
    "{ width = 105, height = 148 }",
    "{ width = 148, height = 210 }",
    "\"Letter\"",
    "{ width = 90, height = 120 }",
    "{ width = 120, height = 180 }",
];

const LONG_CHAPTER: &str = "Overview of the regional trade, population and economic \
                            development indicators for the ministerial meeting";

#[test]
fn furniture_slots_never_overlap_on_any_page_size() {
    for size in SIZES {
        for chapter in ["Annex", "Trade and economy", LONG_CHAPTER] {
            let text = "The delegation meets the host on the first day. ".repeat(60);
            let files = [
                ("briefing.toml", manifest(size, "", 1)),
                ("s1.md", format!("# {chapter}\n\n{text}\n")),
            ];
            let (doc, warnings) = build(&files);
            let bad = overlaps(&doc);
            assert!(bad.is_empty(), "{size}, {chapter:?}: {bad:#?}");
            let off = off_page(&doc);
            assert!(off.is_empty(), "{size}, {chapter:?}: {off:#?}");
            // The page number is never the slot that gives way.
            for (i, _) in doc.pages.iter().enumerate().skip(1) {
                let page = format!("{}", i + 1);
                let shown = text_boxes(&doc, i).iter().any(|b| b.text == "Page")
                    && text_boxes(&doc, i).iter().any(|b| b.text == page);
                assert!(shown, "{size}, {chapter:?}: no page number on page {}", i + 1);
            }
            // A slot left out is said.
            let names = doc.pages.iter().enumerate().skip(1).any(|(i, _)| {
                text_boxes(&doc, i).iter().any(|b| chapter.starts_with(&b.text))
            });
            let warned =
                warnings.iter().any(|w| w.message.contains("`[furniture] footer-left`"));
            assert!(names || warned, "{size}, {chapter:?}: chapter left out silently");
        }
    }
}

/// On a narrow page (A6, default margins) a chapter title too long for the foot is cut
/// short with "…" on one line instead of wrapping into the margin, the same on all its
/// pages, and the foot's side slots sit on the same line on every page, whatever the
/// chapter.
#[test]
fn a_long_chapter_title_in_the_foot_is_cut_short_on_one_line() {
    let manifest = "[book]\ntitle = \"Regional statistics\"\nclassification = \"UNCLASSIFIED\"\n\
                    language = \"en-GB\"\nissue-date = 2025-06-12\n\n[layout]\npage-size = \"A6\"\n\n\
                    [contents]\nsections = [\"s1.md\", \"s2.md\"]\n";
    let text = "The delegation meets the host on the first day. ".repeat(30);
    // One long word: it is cut between letters, so a page number a digit wider would
    // change the cut if the title were fitted to each page's own number.
    let title = "Transcontinentalinterconnectivityarrangements";
    let files = [
        ("briefing.toml", manifest.to_string()),
        ("s1.md", format!("# Annex\n\n{text}\n")),
        // Long enough to run past page 9: the page number grows by a digit.
        ("s2.md", format!("# {title}\n\n{}\n", text.repeat(3))),
    ];
    let (doc, warnings) = build(&files);
    assert!(!warnings.iter().any(|w| w.message.contains("[furniture]")), "{warnings:#?}");
    let mut lines = Vec::new();
    let mut cut = 0;
    let mut shown = std::collections::BTreeSet::new();
    for i in 1..doc.pages.len() {
        let foot_top = doc.pages[i].size.height.0 - 25.0 / 25.4 * 72.0;
        let side: Vec<TextBox> = text_boxes(&doc, i)
            .into_iter()
            .filter(|b| b.top > foot_top && !b.text.contains("UNCLASSIFIED"))
            .collect();
        assert!(!side.is_empty(), "page {}: no running foot", i + 1);
        // One line: every run of the side slots on one baseline.
        let bottom = side[0].bottom;
        assert!(
            side.iter().all(|b| (b.bottom - bottom).abs() < 0.01),
            "page {}: {side:#?}",
            i + 1
        );
        lines.push(bottom);
        let words: String = side.iter().map(|b| b.text.as_str()).collect();
        if words.contains('…') {
            cut += 1;
            shown.insert(words.split('…').next().unwrap_or_default().to_string());
            assert!(!words.contains("arrangements"), "page {}: {words}", i + 1);
            assert!(words.starts_with("Transcontinental"), "page {}: {words}", i + 1);
        }
    }
    assert!(cut > 0, "the long title is never cut short");
    // Cut the same on all its pages, whatever the width of the page number.
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(doc.pages.len() > 10, "{} pages", doc.pages.len());
    assert!(
        lines.iter().all(|&l| (l - lines[0]).abs() < 0.01),
        "the foot moves: {lines:?}"
    );
}

#[test]
fn furniture_on_landscape_pages_does_not_overlap() {
    // A table too wide for an A6 page turns it; the turned page has its own furniture.
    let mut rows = String::from("| Country | Year | Exports | Imports | Balance |\n");
    rows.push_str("|:--|--:|--:|--:|--:|\n");
    for y in 2000..2010 {
        rows.push_str(&format!(
            "| Kazakhstan | {y} | 45,017.25 | 32,331.50 | 12,685.75 |\n"
        ));
    }
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1)),
        (
            "s1.md",
            format!("# {LONG_CHAPTER}\n\nTable: Trade\n\n{rows}\nSource: Synthetic.\n"),
        ),
    ];
    let (doc, _) = build(&files);
    assert!(doc.pages.iter().any(|p| p.size.width > p.size.height), "no landscape page");
    let bad = overlaps(&doc);
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The runs of text on all pages, with their page index and baseline.
fn runs(doc: &PagedDocument) -> Vec<(usize, f64, String)> {
    let mut out = Vec::new();
    for (i, page) in doc.pages.iter().enumerate() {
        for (pos, item) in page.items() {
            if let FrameItem::Text(run) = item {
                let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                out.push((i, pos.y.0, text));
            }
        }
    }
    out
}

#[test]
fn numbers_are_never_split_in_a_table_too_wide_for_the_page() {
    // Eight columns on an A6 page: even turned and at 7 pt the columns' minimums do
    // not fit, so something breaks, but never a number.
    let mut csv =
        String::from("country,year,exports,imports,balance,population,gdp,share\n");
    let mut numbers = Vec::new();
    for (k, y) in (2000..2012).enumerate() {
        let e = 1017.25 + 4_321.5 * k as f64;
        let row =
            [format!("{y}"), format!("{e:.2}"), "2331.50".into(), "-1314.25".into()];
        let more = [
            "231090.5".to_string(),
            format!("{:.2}", 28099.31 + k as f64),
            "1.524".into(),
        ];
        csv.push_str(&format!("Afghanistan,{},{}\n", row.join(","), more.join(",")));
        numbers.extend(row.into_iter().chain(more));
    }
    let decl = "\n[data.annex]\npath = \"annex.csv\"\n\
        columns.exports = { type = \"number\", label = \"Exports (million US dollars)\", decimals = 2 }\n\
        columns.imports = { type = \"number\", label = \"Imports (million US dollars)\", decimals = 2 }\n\
        columns.balance = { type = \"number\", label = \"Balance\", decimals = 2 }\n\
        columns.population = { type = \"number\", label = \"Population (thousands)\", decimals = 1 }\n\
        columns.gdp = { type = \"number\", label = \"GDP per head (US dollars)\", decimals = 2 }\n\
        columns.share = { type = \"number\", label = \"Share of world trade (per cent)\", decimals = 3 }\n";
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1) + decl),
        ("annex.csv", csv),
        ("s1.md", "# Annex\n\n{{{table \"annex\" caption=\"Annex\"}}}\n".to_string()),
    ];
    let (doc, _) = build(&files);
    let numeric = |s: &str| {
        s.chars().any(|c| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_digit() || ",.−-".contains(c))
    };
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let whole: Vec<String> = numbers.iter().map(|n| digits(n)).collect();
    // A run of digits on the chapter's pages that is no whole value is a piece of one
    // (the cover, contents and furniture hold no five-digit numbers).
    let split: Vec<String> = runs(&doc)
        .into_iter()
        .filter(|r| r.0 > 0 && numeric(&r.2) && digits(&r.2).len() >= 5)
        .map(|r| r.2)
        .filter(|t| !whole.contains(&digits(t)))
        .collect();
    assert!(split.is_empty(), "pieces of numbers: {split:?}");
}

#[test]
fn a_chinese_name_is_not_starved_while_other_columns_have_room() {
    let names = [
        ("Albania", "Albanie", "Албания", "阿尔巴尼亚"),
        (
            "Bosnia and Herzegovina",
            "Bosnie-Herzégovine",
            "Босния и Герцеговина",
            "波斯尼亚和黑塞哥维那",
        ),
        (
            "Central African Republic",
            "République centrafricaine",
            "Центральноафриканская Республика",
            "中非共和国",
        ),
        (
            "Saint Vincent and the Grenadines",
            "Saint-Vincent-et-les-Grenadines",
            "Сент-Винсент и Гренадины",
            "圣文森特和格林纳丁斯",
        ),
    ];
    let mut csv = String::from("en,fr,ru,zh\n");
    for n in names {
        csv.push_str(&format!("{},{},{},{}\n", n.0, n.1, n.2, n.3));
    }
    let decl = "\n[data.names]\npath = \"names.csv\"\n\
        columns.zh = { type = \"text\", label = \"Chinese\", lang = \"zh-Hans\" }\n";
    let files = [
        ("briefing.toml", manifest(SIZES[2], "", 1) + decl),
        ("names.csv", csv),
        ("s1.md", "# Names\n\n{{{table \"names\" caption=\"Names\"}}}\n".to_string()),
    ];
    let (doc, _) = build(&files);
    let all = runs(&doc);
    for n in names {
        let first: String = n.3.chars().take(1).collect();
        let lines: Vec<f64> = all
            .iter()
            .filter(|r| r.2.chars().all(|c| n.3.contains(c)) && r.2.starts_with(&first))
            .map(|r| r.1)
            .collect();
        let on_one: String = all
            .iter()
            .filter(|r| lines.contains(&r.1) && r.2.chars().all(|c| n.3.contains(c)))
            .map(|r| r.2.as_str())
            .collect();
        assert_eq!(on_one, n.3, "{} is broken", n.3);
    }
}

#[test]
fn list_markers_never_overprint_deeply_nested_items() {
    for size in [SIZES[0], SIZES[3]] {
        let mut list = String::new();
        for k in 0..9 {
            list.push_str(&"  ".repeat(k));
            list.push_str(&format!("- Level {} item with words that wrap\n", k + 1));
        }
        list.push('\n');
        for k in 0..7 {
            list.push_str(&"   ".repeat(k));
            list.push_str(&format!("{}. Numbered level {} with words\n", k + 8, k + 1));
        }
        let files = [
            ("briefing.toml", manifest(size, "", 1)),
            ("s1.md", format!("# Lists\n\n{list}")),
        ];
        let (doc, _) = build(&files);
        let bad = overlaps(&doc);
        assert!(bad.is_empty(), "{size}: {bad:#?}");
        assert!(off_page(&doc).is_empty(), "{size}");
    }
}

#[test]
fn lists_nested_deeper_than_the_page_is_wide_stay_on_it() {
    // Forty levels, each with text, then thirty markers on one line ("- - - … deep"):
    // more indents than any column has room for.
    let mut list = String::new();
    for k in 0..40 {
        list.push_str(&"  ".repeat(k));
        list.push_str(&format!("- Level {} item\n", k + 1));
    }
    list.push_str(&format!("\n{}deep\n\n", "- ".repeat(30)));
    list.push_str(&format!("{}deep\n", "1. ".repeat(30)));
    for size in [SIZES[0], SIZES[2]] {
        let files = [
            ("briefing.toml", manifest(size, "", 1)),
            ("s1.md", format!("# Lists\n\n{list}")),
        ];
        let (doc, _) = build(&files);
        // Every marker is drawn: 40 + 30 bullets and 30 numbers.
        let runs = runs(&doc);
        let count = |t: &str| runs.iter().filter(|r| r.2 == t).count();
        assert_eq!(count("•"), 70, "{size}");
        assert_eq!(count("1."), 30, "{size}");
        let off = off_page(&doc);
        assert!(off.is_empty(), "{size}: {off:#?}");
        let bad = overlaps(&doc);
        assert!(bad.is_empty(), "{size}: {bad:#?}");
    }
}

/// The lines of text on each page (runs grouped by baseline), top to bottom.
fn page_lines(doc: &PagedDocument) -> Vec<Vec<String>> {
    let mut pages = vec![Vec::<(f64, String)>::new(); doc.pages.len()];
    for (i, y, text) in runs(doc) {
        let lines = &mut pages[i];
        match lines.iter_mut().find(|(ly, _)| (ly - y).abs() < 0.5) {
            Some((_, line)) => {
                line.push(' ');
                line.push_str(&text);
            }
            None => lines.push((y, text)),
        }
    }
    pages
        .into_iter()
        .map(|mut lines| {
            lines.sort_by(|a, b| a.0.total_cmp(&b.0));
            lines.into_iter().map(|l| l.1).collect()
        })
        .collect()
}

#[test]
fn captions_and_source_lines_stay_with_their_tables() {
    // Two tables after a paragraph, the first of 1 to 30 rows: somewhere the end of the
    // first table, its source line and the next caption meet a page break.
    let para = "The delegation meets the host on the first day of the summit. ".repeat(6);
    for n in 1..30 {
        let mut rows = String::new();
        for k in 0..n {
            rows.push_str(&format!("| Kazakhstan | {} | 45,017.25 |\n", 2000 + k));
        }
        let table = |t: &str, rows: &str| {
            format!(
                "Table: {t}\n\n| Country | Year | Exports |\n|:--|--:|--:|\n{rows}\n\
                 Source: National statistical offices, compiled for the meeting of the \
                 ministers of trade and economy.\n\n"
            )
        };
        let body = format!(
            "# Trade\n\n{para}\n\n{}{}",
            table("First trade table", &rows),
            table("Second trade table", &rows)
        );
        let files = [("briefing.toml", manifest(SIZES[1], "", 1)), ("s1.md", body)];
        let (doc, _) = build(&files);
        for (i, lines) in page_lines(&doc).iter().enumerate().skip(2) {
            // Skip the running head (the marking) and foot.
            let body: Vec<&String> = lines
                .iter()
                .filter(|l| !l.contains("OFFICIAL") && !l.contains("Page "))
                .collect();
            if let Some(first) = body.first() {
                assert!(
                    !first.starts_with("Source:"),
                    "{n} rows: page {} starts with the source line",
                    i + 1
                );
            }
            if let Some(last) = body.last() {
                assert!(
                    !last.starts_with("Table "),
                    "{n} rows: page {} ends with a caption",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn the_cover_fits_any_title() {
    let long =
        "Regional Trade, Population and Development Statistics for Central Asia and \
                Neighbouring Economies, 2000–2024: A Compendium";
    let absurd = format!("{long} {long} {long}");
    for size in SIZES {
        for (title, may_cut) in [(long, false), (absurd.as_str(), true)] {
            let book = "subtitle = \"Statistical annex and country profiles\"\n\
                        event = \"Ministerial meeting on regional statistics\"\n\
                        venue = \"Almaty\"\nedition = \"First edition\"";
            let files = [
                (
                    "briefing.toml",
                    manifest(size, book, 1).replace("Regional statistics", title),
                ),
                ("s1.md", "# Annex\n\nText.\n".to_string()),
            ];
            let (doc, warnings) = build(&files);
            let bad = overlaps(&doc);
            assert!(bad.is_empty(), "{size}: {bad:#?}");
            let lines = page_lines(&doc).remove(0);
            let at = |start: &str| lines.iter().position(|l| l.starts_with(start));
            let subtitle = at("Statistical").expect("the subtitle is on the cover");
            let foot = at("First edition").expect("the edition is on the cover");
            assert!(
                subtitle < foot,
                "{size}: the subtitle is below the foot: {lines:#?}"
            );
            let cut =
                warnings.iter().any(|w| w.message.contains("too long for the cover"));
            let whole = lines.iter().any(|l| l.contains("Compendium"));
            assert!(whole || cut, "{size}: title cut short without a warning");
            // On A5 and Letter a long title fits whole (smaller).
            let roomy = size == SIZES[1] || size == SIZES[2];
            assert!(may_cut || whole || !roomy, "{size}: {lines:#?}");
        }
    }
}

#[test]
fn a_long_heading_is_not_split_over_two_pages() {
    // On an A6 page a long chapter title, kept with the lines after it, makes a chain
    // taller than the page; the heading's own lines still stay together.
    let text = "Afghanistan, Kazakhstan and Kyrgyzstan are covered here. ".repeat(20);
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1)),
        ("s1.md", format!("# {LONG_CHAPTER}\n\n{text}\n")),
    ];
    let (doc, _) = build(&files);
    // The text area only: the running foot shows the title too, cut short.
    let foot = |page: usize| doc.pages[page].size.height.0 - 25.0 / 25.4 * 72.0;
    let pages: Vec<usize> = runs(&doc)
        .into_iter()
        .filter(|r| {
            r.0 > 1
                && r.1 < foot(r.0)
                && ["Overview", "ministerial", "meeting"].contains(&r.2.as_str())
        })
        .map(|r| r.0)
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages.iter().all(|&p| p == pages[0]), "the heading is split: {pages:?}");
}

#[test]
fn a_caption_stays_with_its_table_when_the_heading_cannot() {
    // On A6 the chapter heading, the caption, the tall header row and the first row of
    // an eight-column table do not fit on one landscape page together: the heading
    // gives way, the caption does not.
    let mut csv =
        String::from("country,year,exports,imports,balance,population,gdp,share\n");
    for y in 2000..2030 {
        csv.push_str(&format!(
            "Afghanistan,{y},45292.27,56020.70,-10728.44,231090.5,28099.31,1.524\n"
        ));
    }
    let decl = "\n[data.annex]\npath = \"annex.csv\"\n\
        columns.exports = { type = \"number\", label = \"Exports (million US dollars)\" }\n\
        columns.population = { type = \"number\", label = \"Population (thousands)\" }\n\
        columns.share = { type = \"number\", label = \"Share of world trade (per cent)\" }\n";
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1) + decl),
        ("annex.csv", csv),
        (
            "s1.md",
            "# Wide table of numbers\n\n{{{table \"annex\" caption=\"Annex\"}}}\n"
                .to_string(),
        ),
    ];
    let (doc, _) = build(&files);
    let pages = page_lines(&doc);
    let caption = pages
        .iter()
        .position(|lines| lines.iter().any(|l| l.starts_with("Table 1. Annex")))
        .expect("a caption");
    let lines = &pages[caption];
    let at = lines.iter().position(|l| l.starts_with("Table 1. Annex")).unwrap();
    assert!(
        lines[at + 1..].iter().any(|l| l.contains("year")),
        "the caption is not followed by its header on page {}: {lines:#?}",
        caption + 1
    );
}

#[test]
fn a_table_of_more_columns_than_the_page_holds_stays_inside_its_cells() {
    // 120 columns of long words: at one character a line they still do not fit a
    // page side by side, so the table is set in parts. A two-column one in a list item.
    let n = 120;
    let head: Vec<String> = (0..n).map(|i| format!("h{i}")).collect();
    let row: Vec<String> =
        (0..n).map(|i| format!("cell{i}-{}", "x".repeat(40))).collect();
    let md = format!(
        "# Wide\n\n| {} |\n|{}\n| {} |\n\n- item\n\n  | a | b |\n  |---|---|\n  | {} | {} |\n",
        head.join(" | "),
        "---|".repeat(n),
        row.join(" | "),
        row[0],
        row[1]
    );
    for size in [SIZES[0], SIZES[2]] {
        let files = [("briefing.toml", manifest(size, "", 1)), ("s1.md", md.clone())];
        let (doc, _) = build(&files);
        // Every cell is drawn.
        let xs: usize = runs(&doc).iter().map(|r| r.2.matches('x').count()).sum();
        assert_eq!(xs, (n + 2) * 40, "{size}");
        let off = off_page(&doc);
        assert!(off.is_empty(), "{size}: {off:#?}");
        // Text that left its cell would run into the next one.
        let bad = overlaps(&doc);
        assert!(bad.is_empty(), "{size}: {} overlaps, {:?}", bad.len(), bad.first());
    }
}

#[test]
fn a_chart_shown_as_a_table_on_a_small_page_keeps_its_years_whole() {
    // Eight series are more than a chart draws: it becomes a table of nine columns,
    // which on an A6 page goes on a landscape page like any table too wide for portrait,
    // rather than breaking its years (`20` / `15`) in a column too narrow for them.
    let mut csv = String::from("year,a,b,c,d,e,f,g,h\n");
    for y in 2015..2025 {
        csv.push_str(&format!("{y},19.6,9.2,32.3,13.2,6.3,32.7,73.5,64.2\n"));
    }
    let decl = "\n[data.flows]\npath = \"flows.csv\"\n\
        columns.year = { type = \"integer\" }\n\
        columns.a = { type = \"number\", label = \"Amu Darya inflow\", unit = \"km³\" }\n\
        columns.b = { type = \"number\", label = \"Syr Darya inflow\", unit = \"km³\" }\n";
    let chart = "# Flows\n\n```chart\ntype = \"bar\"\ndata = \"flows\"\nx = \"year\"\n\
        y = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"]\n\
        caption = \"Annual inflow of all eight rivers\"\n```\n";
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1) + decl),
        ("flows.csv", csv),
        ("s1.md", chart.to_string()),
    ];
    let (doc, warnings) = build(&files);
    assert!(warnings.iter().any(|w| w.message.contains("8 series")), "{warnings:#?}");
    let years: Vec<String> = (2015..2025).map(|y| y.to_string()).collect();
    let found: Vec<String> = runs(&doc)
        .into_iter()
        .filter(|r| r.0 > 0 && years.contains(&r.2))
        .map(|r| r.2)
        .collect();
    assert_eq!(found, years, "the years are not whole");
    let page = runs(&doc).into_iter().find(|r| r.2 == "2015").unwrap().0;
    let size = doc.pages[page].size;
    assert!(size.width > size.height, "the table is not on a landscape page");
    assert!(overlaps(&doc).is_empty(), "{:?}", overlaps(&doc));
    assert!(off_page(&doc).is_empty(), "{:?}", off_page(&doc));
}
