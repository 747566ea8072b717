//! Charts, key figures and timelines in the finished files: the chart gallery fixture
//! and the sample are built by the binary, then checked with roxmltree (every SVG),
//! qpdf and EPUBCheck; awkward data gives warnings, not failures; builds are
//! byte-for-byte reproducible.

mod harness;

use std::io::Read;
use std::path::Path;

use harness::*;

/// Builds `fixture` into `out`; returns stderr.
fn build(fixture: &Path, out: &Path) -> String {
    let o = briefbook(&[
        "--diagnostic-format",
        "short",
        "build",
        fixture.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&o.stderr);
    assert!(o.status.success(), "build failed:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Every entry of the EPUB whose name ends in `ext`, with its text.
fn entries(epub: &Path, ext: &str) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().ends_with(ext) {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.push((f.name().to_string(), s));
        }
    }
    out
}

/// Each chart SVG is well-formed XML with a `<title>` and a `<desc>`, and each chapter
/// shows it through `<img>` with a non-empty alt text.
fn check_svgs(epub: &Path, expected: usize) {
    let svgs = entries(epub, ".svg");
    assert_eq!(
        svgs.len(),
        expected,
        "{:?}",
        svgs.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, svg) in &svgs {
        let doc =
            roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        for tag in ["title", "desc"] {
            let el = root.children().find(|n| n.has_tag_name(tag));
            let t = el.and_then(|n| n.text()).unwrap_or("");
            assert!(!t.trim().is_empty(), "{name}: empty <{tag}>");
        }
        assert!(root.descendants().any(|n| n.has_tag_name("text")), "{name}: no text");
    }
    let chapters = entries(epub, ".xhtml");
    let imgs: usize = chapters
        .iter()
        .map(|(_, x)| {
            let doc = roxmltree::Document::parse(x).unwrap();
            doc.descendants()
                .filter(|n| {
                    n.has_tag_name("img") && n.attribute("class") == Some("chart")
                })
                .inspect(|n| assert!(n.attribute("alt").is_some_and(|a| a.len() > 20)))
                .count()
        })
        .sum();
    assert_eq!(imgs, expected);
}

fn qpdf_check(pdf: &Path) {
    let out = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "qpdf --check failed:\n{}", text(&out.stdout));
}

fn epubcheck(epub: &Path) {
    let jar = std::env::var("EPUBCHECK_JAR")
        .expect("EPUBCHECK_JAR must point at EPUBCheck 5 (run scripts/test)");
    let out = tool("java", &["-jar", &jar, "--failonwarnings", epub.to_str().unwrap()]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "EPUBCheck failed:\n{all}");
    assert!(all.contains("0 errors / 0 warnings"), "{all}");
}

#[test]
fn chart_gallery_builds_with_warnings_and_valid_files() {
    let out = temp_dir();
    let stderr = build(&root().join("tests/suite/charts"), out.path());
    assert!(
        stderr.contains("warning: 200 bars are too many for a bar chart"),
        "{stderr}"
    );
    assert!(stderr.contains("timeline events are not in date order"), "{stderr}");
    let epub = out.path().join("briefing.epub");
    // Eight charts, one of them (200 bars) shown as a table only.
    check_svgs(&epub, 7);
    epubcheck(&epub);
    let pdf = out.path().join("briefing.pdf");
    qpdf_check(&pdf);
    let t = text(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout);
    for needle in
        ["Exports", "52.1", "\u{2212}3.6", "Kazakhstan", "c. 138 BCE", "Item 199"]
    {
        assert!(t.contains(needle), "{needle:?} missing from the PDF text");
    }
}

#[test]
fn sample_charts_are_svg_files_with_alt_text() {
    let out = temp_dir();
    build_sample(out.path());
    check_svgs(&out.path().join("briefing.epub"), 2);
    let chapters = entries(&out.path().join("briefing.epub"), ".xhtml");
    let all: String = chapters.into_iter().map(|(_, x)| x).collect();
    assert!(all.contains(
        "Trade rose from 89.4 to 94.8 billion US dollars between 2023 and 2024"
    ));
    assert!(all.contains("<time datetime=\"2025-05-31\">"));
}

#[test]
fn chart_gallery_is_reproducible() {
    let (a, b) = (temp_dir(), temp_dir());
    build(&root().join("tests/suite/charts"), a.path());
    build(&root().join("tests/suite/charts"), b.path());
    for file in ["briefing.pdf", "briefing.epub"] {
        let x = std::fs::read(a.path().join(file)).unwrap();
        let y = std::fs::read(b.path().join(file)).unwrap();
        assert!(x == y, "{file} differs between two builds");
    }
}

#[test]
fn key_figure_trends_and_timeline_dates_are_read_from_the_block() {
    use briefbook::model::{BlockKind, Trend};
    let mut sources = briefbook::diag::SourceMap::default();
    let mut warnings = Vec::new();
    let root = root().join("tests/suite/charts");
    let c = briefbook::compile::compile(
        &briefbook::world::World::new(&root).unwrap(),
        &mut sources,
        &Default::default(),
        &mut warnings,
    )
    .expect("gallery compiles");
    let (mut trends, mut whens) = (Vec::new(), Vec::new());
    briefbook::model::visit::each_block(&c.document, &mut |b| match &b.kind {
        BlockKind::KeyFigures(k) => {
            trends.extend(k.figures.iter().map(|f| f.change.as_ref().map(|c| c.trend)));
        }
        BlockKind::Timeline(t) => whens.extend(t.events.iter().map(|e| e.when.clone())),
        _ => {}
    });
    assert_eq!(trends, [Some(Trend::Up), Some(Trend::Down), Some(Trend::Flat)]);
    assert_eq!(whens, ["2013", "c. 138 BCE", "31 May 2025"]);
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("not in date order")), "{messages:?}");
}
