//! Chinese typesetting, read back from the layout of the `zh-hans` fixture: no line
//! starts with closing punctuation or ends with opening punctuation, justified lines end
//! flush at the right margin, punctuation next to ideographs comes from the CJK face,
//! emphasis is bold (never italic), and a CJK face in the briefing's `fonts/` is used.

mod harness;

use std::path::Path;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::source::LoadOptions;

/// Lays out the briefing in `dir`.
fn layout(dir: &Path) -> PagedDocument {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(
        &briefbook::world::World::new(dir).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("does not compile: {e:?}"));
    layout_document(&compiled.document, &compiled.project.layout)
        .unwrap_or_else(|e| panic!("does not lay out: {e:?}"))
        .0
}

fn fixture() -> std::path::PathBuf {
    harness::root().join("tests/suite/layout/zh-hans")
}

/// A glyph run of the body: where it starts, its text, its face and its width.
struct Run {
    x: f64,
    y: f64,
    text: String,
    font: String,
    end: f64,
    /// Drawn bold by stroking (a face without a bold).
    stroked: bool,
}

/// A line of body text (9 pt), its runs left to right.
struct Line {
    y: f64,
    runs: Vec<Run>,
}

impl Line {
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
    fn end(&self) -> f64 {
        self.runs.iter().map(|r| r.end).fold(0.0, f64::max)
    }
}

/// The body lines (9 pt text) of every page, in order.
fn body_lines(doc: &PagedDocument) -> Vec<Vec<Line>> {
    let mut pages = Vec::new();
    for page in &doc.pages {
        let mut lines: Vec<Line> = Vec::new();
        for (pos, item) in page.body.items.iter() {
            let FrameItem::Text(run) = item else { continue };
            if (run.size.0 - 9.0).abs() > 0.01 {
                continue;
            }
            let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
            let r = Run {
                x: pos.x.0,
                y: pos.y.0,
                end: pos.x.0 + run.width().0,
                font: doc.fonts[run.font.index()].name.clone(),
                stroked: run.stroked,
                text,
            };
            match lines.iter_mut().find(|l| (l.y - r.y).abs() < 0.01) {
                Some(l) => l.runs.push(r),
                None => lines.push(Line { y: r.y, runs: vec![r] }),
            }
        }
        for l in &mut lines {
            l.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        lines.sort_by(|a, b| a.y.total_cmp(&b.y));
        pages.push(lines);
    }
    pages
}

const CLOSING: &str = "、。，．：；？！）］｝〉》」』】〕”’…·";
const OPENING: &str = "（［｛〈《「『【〔“‘";

/// The fixture with pages `width` mm wide, in a fresh folder.
fn at_width(width: u32) -> tempfile::TempDir {
    let dir = harness::temp_dir();
    harness::copy_tree(&fixture(), dir.path());
    let manifest = dir.path().join("briefing.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replace("width = 120", &format!("width = {width}"));
    std::fs::write(&manifest, text).unwrap();
    dir
}

#[test]
fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
    // Many measures, so that many break opportunities are tried.
    let mut count = 0;
    for width in (90..=160).step_by(2) {
        let dir = at_width(width);
        let doc = layout(dir.path());
        let lines: Vec<String> =
            body_lines(&doc).iter().flatten().map(Line::text).collect();
        assert!(lines.len() > 8, "{lines:?}");
        for line in &lines {
            let text = line.trim();
            let first = text.chars().next().unwrap();
            let last = text.chars().next_back().unwrap();
            assert!(!CLOSING.contains(first), "{width} mm: starts with {first}: {text}");
            assert!(!OPENING.contains(last), "{width} mm: ends with {last}: {text}");
            count += 1;
        }
    }
    assert!(count > 300, "{count}");
}

#[test]
fn justified_lines_end_flush_and_spread_the_slack_between_characters() {
    let doc = layout(&fixture());
    // Page 120 mm wide, margins 12 mm.
    let right = (120.0 - 12.0) * 72.0 / 25.4;
    let mut flush = 0;
    for page in body_lines(&doc) {
        let leading =
            page.windows(2).map(|p| p[1].y - p[0].y).fold(f64::INFINITY, f64::min);
        for (i, line) in page.iter().enumerate() {
            // The last line of a paragraph (a wider gap follows, or none) is ragged.
            let last = page.get(i + 1).is_none_or(|n| n.y - line.y > leading + 0.5);
            if last {
                continue;
            }
            let end = line.end();
            assert!(
                (end - right).abs() < 0.02,
                "ends at {end}, not {right}: {}",
                line.text()
            );
            // The slack is spread between the characters, punctuation included: the
            // line is drawn in many runs with equal gaps, and no run holds full-width
            // punctuation followed by a character that may start a line.
            assert!(line.runs.len() > 10, "{} runs: {}", line.runs.len(), line.text());
            let gaps: Vec<f64> = line
                .runs
                .windows(2)
                .map(|p| p[1].x - p[0].end)
                .filter(|g| g.abs() > 0.001)
                .collect();
            let (min, max) =
                gaps.iter().fold((f64::MAX, 0.0f64), |(a, b), &g| (a.min(g), b.max(g)));
            assert!(
                max < 9.0 * 0.2 && max - min < 0.01,
                "gaps {gaps:?}: {}",
                line.text()
            );
            for run in &line.runs {
                let chars: Vec<char> = run.text.chars().collect();
                for pair in chars.windows(2) {
                    let held = "，。、；：？！".contains(pair[0])
                        && !CLOSING.contains(pair[1])
                        && !OPENING.contains(pair[0]);
                    assert!(
                        !held,
                        "no gap after {} in {}: {}",
                        pair[0],
                        run.text,
                        line.text()
                    );
                }
            }
            flush += 1;
        }
    }
    assert!(flush > 8, "only {flush} justified lines");
}

#[test]
fn punctuation_next_to_ideographs_comes_from_the_cjk_face() {
    let doc = layout(&fixture());
    let mut quotes = 0;
    for run in body_lines(&doc).iter().flatten().flat_map(|l| &l.runs) {
        if run.text.contains(['“', '”']) {
            // The bundled CJK face has no quotation marks: the Latin ones are set in a
            // full-width box, alone in their run.
            let em =
                (run.end - run.x - 9.0).abs() < 0.01 && run.text.chars().count() == 1;
            let cjk = run.font.contains("Droid");
            assert!(cjk || em, "{} in {} at {},{}", run.text, run.font, run.x, run.y);
            quotes += 1;
        }
    }
    assert!(quotes > 4, "{quotes}");
}

#[test]
fn emphasis_is_bold_not_italic() {
    let doc = layout(&fixture());
    let lines = body_lines(&doc);
    let runs: Vec<&Run> = lines.iter().flatten().flat_map(|l| &l.runs).collect();
    assert!(runs.iter().all(|r| !r.font.contains("Italic")));
    // `*SCO*`: the Latin letters of an emphasis are set in the bold face.
    let sco = runs.iter().find(|r| r.text.contains("SCO")).expect("SCO");
    assert!(sco.font.contains("Bold"), "{}", sco.font);
    // `*过境运输*`: the bundled CJK face has no bold, so the ideographs are stroked;
    // the text around them is not.
    let bold: String =
        runs.iter().filter(|r| r.stroked).map(|r| r.text.as_str()).collect();
    assert!(bold.contains("过境运输") && bold.contains("物流枢纽"), "{bold}");
    assert!(!bold.contains("贸易额"), "{bold}");
}

#[test]
fn a_cjk_face_in_the_briefings_fonts_folder_sets_the_ideographs() {
    let doc = layout(&harness::root().join("tests/suite/layout/zh-hans-font"));
    let lines = body_lines(&doc);
    let runs: Vec<&Run> = lines.iter().flatten().flat_map(|l| &l.runs).collect();
    let cjk: Vec<&&Run> = runs.iter().filter(|r| r.text.contains('峰')).collect();
    assert!(!cjk.is_empty());
    for run in runs {
        if run
            .text
            .chars()
            .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || "，。、".contains(c))
        {
            assert_eq!(run.font, "BriefbookTestCJK", "{}", run.text);
        }
        if run.text.contains("2") {
            assert!(run.font.starts_with("NotoSerif"), "{} in {}", run.text, run.font);
        }
    }
}

#[test]
fn a_chinese_epub_sets_emphasis_bold_not_italic() {
    // The EPUB's stylesheet of a zh-Hans book sets emphasis bold and the parts set in
    // italic elsewhere upright.
    let dir = harness::temp_dir();
    let out = dir.path().join("out");
    let run = harness::briefbook(&[
        "--quiet",
        "build",
        "--epub",
        fixture().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", harness::text(&run.stderr));
    let epub = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB was written");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut css = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("OEBPS/stylesheet.css").unwrap(),
        &mut css,
    )
    .unwrap();
    assert!(css.contains("em, i { font-weight: bold; }"), "{css}");
    assert!(css.contains("blockquote, .source"), "{css}");
    harness::epubcheck(&epub);
}
