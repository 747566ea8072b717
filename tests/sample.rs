//! The sample briefing, built by the binary and checked with tools that share no code with
//! us: pdftotext, pdffonts, pdfinfo, qpdf and EPUBCheck. These tools are required.

mod harness;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use harness::*;

/// Builds the sample once for this test binary.
fn sample() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = temp_dir().keep();
        build_sample(&dir);
        dir
    })
}

fn pdf() -> PathBuf {
    sample().join("briefing.pdf")
}

fn epub() -> PathBuf {
    sample().join("briefing.epub")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Heading titles of the sample's delegation book (`briefing.pdf`), in order, from the
/// library's own model.
fn headings() -> Vec<String> {
    let mut sources = briefbook::diag::SourceMap::default();
    let mut warnings = Vec::new();
    let edition = briefbook::source::LoadOptions {
        edition: Some("delegation".into()),
        ..Default::default()
    };
    let c = briefbook::compile::compile(
        &briefbook::world::World::new(&root().join("briefing")).unwrap(),
        &mut sources,
        &edition,
        &mut warnings,
    )
    .expect("sample compiles");
    c.document.walk().iter().map(|(_, s)| s.heading.title()).collect()
}

#[test]
fn pdftotext_has_headings_and_key_numbers_in_order() {
    let out = tool("pdftotext", &[pdf().to_str().unwrap(), "-"]);
    assert!(out.status.success());
    let text = squash(&text(&out.stdout));
    let mut at = 0;
    for h in headings() {
        let h = squash(&h);
        match text[at..].find(&h) {
            Some(i) => at += i + h.len(),
            None => {
                panic!("heading {h:?} not found after offset {at} in pdftotext output")
            }
        }
    }
    for number in ["94.8", "5.4", "89.4", "650,000", "78%"] {
        assert!(text.contains(number), "{number} missing from the PDF text");
    }
    for script in ["Қазақстан", "Астана", "中国", "北京", "Oʻzbekiston"]
    {
        assert!(text.contains(script), "{script} missing from the PDF text");
    }
}

#[test]
fn pdffonts_shows_every_font_embedded_and_subset() {
    let out = tool("pdffonts", &[pdf().to_str().unwrap()]);
    assert!(out.status.success());
    let listing = text(&out.stdout);
    let rows: Vec<&str> =
        listing.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(rows.len() >= 3, "expected several fonts:\n{listing}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name type encoding emb sub uni object ID
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded+subset+unicode: {row}"
        );
        assert!(
            cols[0].chars().nth(6) == Some('+'),
            "subset fonts carry a tag prefix: {row}"
        );
    }
    assert!(!text(&out.stderr).to_lowercase().contains("error"), "{}", text(&out.stderr));
}

#[test]
fn qpdf_check_is_clean() {
    let out = tool("qpdf", &["--check", pdf().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "qpdf --check failed:\n{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("No syntax or stream encoding errors found"), "{stdout}");
}

#[test]
fn pdfinfo_reports_metadata_and_a4_pages() {
    let out = tool("pdfinfo", &[pdf().to_str().unwrap()]);
    let info = text(&out.stdout);
    assert!(info.contains("Second China"), "title missing:\n{info}");
    assert!(
        info.contains("595.276 x 841.89") || info.contains("595.28 x 841.89"),
        "not A4:\n{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 10, "only {pages} pages");
}

#[test]
fn epubcheck_reports_no_errors_and_no_warnings() {
    let jar = std::env::var("EPUBCHECK_JAR")
        .expect("EPUBCHECK_JAR must point at EPUBCheck 5 (run scripts/test)");
    let out = tool("java", &["-jar", &jar, "--failonwarnings", epub().to_str().unwrap()]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "EPUBCheck failed:\n{all}");
    assert!(all.contains("No errors or warnings detected"), "{all}");
}

#[test]
fn epub_xhtml_is_well_formed_and_mimetype_comes_first() {
    let file = std::fs::File::open(epub()).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    {
        let mut first = zip.by_index(0).unwrap();
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
        let mut s = String::new();
        first.read_to_string(&mut s).unwrap();
        assert_eq!(s, "application/epub+zip");
    }
    let mut all_text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            let mut s = String::new();
            entry.read_to_string(&mut s).unwrap();
            roxmltree::Document::parse(&s)
                .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
            all_text.push_str(&s);
        }
    }
    for h in headings() {
        let escaped = h.replace('&', "&amp;").replace('<', "&lt;");
        assert!(all_text.contains(&escaped), "heading {h:?} missing from the EPUB");
    }
}

#[test]
fn two_builds_in_separate_processes_are_byte_identical() {
    let other = temp_dir();
    build_sample(other.path());
    for name in ["briefing.pdf", "briefing.epub"] {
        let a = std::fs::read(sample().join(name)).unwrap();
        let b = std::fs::read(other.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between two builds");
    }
}

#[test]
fn init_creates_a_briefing_that_builds() {
    let dir = temp_dir();
    let target = dir.path().join("new-briefing");
    let out = briefbook(&["init", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = briefbook(&["build", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(target.join("build/briefing.pdf").is_file());
    assert!(target.join("build/briefing.epub").is_file());
    let again = briefbook(&["init", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "init must not overwrite a briefing");
}

#[test]
fn check_writes_nothing() {
    let dir = temp_dir();
    copy_tree(&root().join("briefing"), dir.path());
    let out = briefbook(&["check", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.path().join("build").exists());
}

/// Words (runs of letters and digits) of a text, for order-insensitive-to-punctuation checks.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of the EPUB's chapters in spine order, without the classification marking and
/// without text alternatives that only the EPUB has (chart summaries and data tables; the
/// PDF draws the chart instead), nor the "scroll sideways" hint over wide tables.
fn epub_chapter_words() -> Vec<String> {
    let file = std::fs::File::open(epub()).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let opf = read("OEBPS/content.opf");
    let opf_doc = roxmltree::Document::parse(&opf).unwrap();
    let href = |id: &str| {
        opf_doc
            .descendants()
            .find(|n| n.has_tag_name("item") && n.attribute("id") == Some(id))
            .and_then(|n| n.attribute("href"))
            .unwrap()
            .to_string()
    };
    let chapters: Vec<String> = opf_doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| href(n.attribute("idref").unwrap()))
        .filter(|h| h.starts_with("ch"))
        .collect();
    assert!(!chapters.is_empty());
    let mut out = Vec::new();
    for ch in chapters {
        let xhtml = read(&format!("OEBPS/{ch}"));
        let doc = roxmltree::Document::parse(&xhtml).unwrap();
        let body = doc.descendants().find(|n| n.has_tag_name("body")).unwrap();
        let mut text = String::new();
        collect_text(body, &mut text);
        out.extend(words(&text));
    }
    out
}

fn collect_text(node: roxmltree::Node<'_, '_>, out: &mut String) {
    let class = node.attribute("class").unwrap_or("");
    if class
        .split_whitespace()
        .any(|c| matches!(c, "marking" | "chart-summary" | "chart-data" | "scroll-hint"))
    {
        return;
    }
    if node.is_text() {
        out.push_str(node.text().unwrap_or(""));
        return;
    }
    for child in node.children() {
        collect_text(child, out);
    }
    if node.is_element() {
        out.push(' ');
    }
}

#[test]
fn epub_chapters_have_the_same_words_in_the_same_order_as_the_pdf() {
    let epub_words = epub_chapter_words();
    let out = tool("pdftotext", &["-raw", pdf().to_str().unwrap(), "-"]);
    let raw = text(&out.stdout);
    // Start at the first chapter: skip the cover and contents pages.
    let first_heading = headings().into_iter().next().unwrap();
    let pages: Vec<&str> = raw.split('\u{c}').collect();
    let start = pages
        .iter()
        .position(|p| p.contains(&first_heading) && !p.contains("Contents"))
        .unwrap();
    let pdf_words = words(&pages[start..].join("\n"));

    // Every EPUB word must appear in the PDF in the same order. The PDF may have more
    // (page furniture, notes placed on the page, repeated table headers). A word the PDF
    // hyphenated across lines is matched as two parts.
    let mut p = 0;
    for (i, w) in epub_words.iter().enumerate() {
        let found = (p..pdf_words.len()).find(|&j| {
            pdf_words[j] == *w
                || (j + 1 < pdf_words.len()
                    && format!("{}{}", pdf_words[j], pdf_words[j + 1]) == *w)
        });
        match found {
            Some(j) => p = j + 1,
            None => {
                let context = epub_words
                    [i.saturating_sub(8)..(i + 8).min(epub_words.len())]
                    .join(" ");
                let near = pdf_words[p.saturating_sub(8)..(p + 12).min(pdf_words.len())]
                    .join(" ");
                panic!(
                    "EPUB word {w:?} (…{context}…) not found in the PDF after …{near}…"
                );
            }
        }
    }
    let extra = pdf_words.len() - epub_words.len();
    assert!(
        extra * 5 < pdf_words.len(),
        "the PDF has {extra} words more than the EPUB chapters (of {}): more than furniture and notes",
        pdf_words.len()
    );
}

#[test]
fn calibre_reads_title_contents_and_body() {
    let dir = temp_dir();
    let txt = dir.path().join("book.txt");
    let out = std::process::Command::new("ebook-convert")
        .args([epub().to_str().unwrap(), txt.to_str().unwrap()])
        // Calibre renders with QtWebEngine, which needs these to run headless as root.
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        .output()
        .unwrap_or_else(|e| {
            panic!("`ebook-convert` (calibre) is required ({e}); run scripts/test")
        });
    assert!(out.status.success(), "ebook-convert failed:\n{}", text(&out.stderr));
    let book = squash(&std::fs::read_to_string(&txt).unwrap());
    assert!(book.contains("Second China–Central Asia Summit"), "title missing");
    let contents = book.find("Contents").expect("contents page");
    let mut at = contents;
    for h in headings() {
        let h = squash(&h);
        at += book[at..].find(&h).unwrap_or_else(|| panic!("contents/body lacks {h:?}"));
    }
    for number in ["94.8", "89.4", "650,000", "Қазақстан", "中国"] {
        assert!(book.contains(number), "{number} missing from calibre's text");
    }
}
