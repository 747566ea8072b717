//! The EPUB's accessibility, checked with tools that share no code with us:
//! - DAISY Ace (the checker publishers use) reports no violation on the sample and on
//!   the torture book;
//! - the page list matches the PDF: the page marker before each chapter heading is the
//!   page pdftotext finds the heading on, and every PDF page has one marker;
//! - headless Chromium at a phone's width (390 CSS px), light and dark: nothing cut
//!   off, wide tables in a focusable named scroll region with a visible hint, chart
//!   text at least 11 CSS px (screenshots kept in `target/tmp/phone-screenshots`);
//! - the stylesheet's and the charts' text colours keep 4.5:1 on light and dark grounds.
//!
//! Ace, puppeteer and Chromium come from `scripts/test` (`ACE_CLI`, `PUPPETEER_DIR`,
//! `PUPPETEER_EXECUTABLE_PATH`); a missing tool fails the test, it is never skipped.

#[path = "epub_torture.rs"]
mod torture;

mod harness;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use harness::*;

/// The sample, built once: its folder and its EPUB unpacked into `unpacked/`.
fn sample() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = temp_dir().keep();
        build_sample(&dir);
        unpack(&dir.join("briefing.epub"), &dir.join("unpacked"));
        dir
    })
}

fn unpack(epub: &Path, to: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let path = to.join(entry.name());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

fn env_path(name: &str) -> PathBuf {
    let v = std::env::var_os(name).unwrap_or_else(|| {
        panic!("set {name} (scripts/test installs Ace, puppeteer and Chromium)")
    });
    PathBuf::from(v)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ------------------------------------------------------------------------------
// DAISY Ace
// ------------------------------------------------------------------------------

/// Runs Ace on `epub`; returns the violations as "impact rule file" lines, and the
/// report.
fn ace(epub: &Path) -> (Vec<String>, serde_json::Value) {
    let out_dir = epub.with_extension("ace");
    let o = Command::new(env_path("ACE_CLI"))
        .args(["-f", "-s", "-o"])
        .arg(&out_dir)
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", env_path("PUPPETEER_EXECUTABLE_PATH"))
        .output()
        .unwrap_or_else(|e| panic!("Ace CLI could not be run ({e}); run scripts/test"));
    let report = out_dir.join("report.json");
    assert!(
        report.is_file(),
        "Ace wrote no report:\n{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&read(&report)).unwrap();
    let mut violations = Vec::new();
    for a in report["assertions"].as_array().unwrap() {
        let file = a["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for b in a["assertions"].as_array().into_iter().flatten() {
            let t = &b["earl:test"];
            violations.push(format!(
                "{} {} {file}",
                t["earl:impact"].as_str().unwrap_or("?"),
                t["dct:title"].as_str().unwrap_or("?")
            ));
        }
    }
    (violations, report)
}

#[test]
fn ace_finds_no_violation_in_the_sample_and_sees_its_page_list() {
    let (violations, report) = ace(&sample().join("briefing.epub"));
    assert!(violations.is_empty(), "Ace violations:\n{}", violations.join("\n"));
    assert_eq!(report["earl:result"]["earl:outcome"], "pass");
    let props = &report["properties"];
    assert_eq!(props["hasPageBreaks"], true, "{props}");
    let meta = &report["a11y-metadata"]["present"];
    for m in ["schema:accessibilitySummary", "dcterms:conformsTo", "a11y:certifiedBy"] {
        assert!(meta.as_array().unwrap().iter().any(|v| v == m), "{m} missing: {meta}");
    }
}

#[test]
fn ace_finds_no_violation_in_the_torture_book() {
    let dir = temp_dir();
    let doc = torture::torture_document(dir.path());
    let (epub, _) = briefbook::export::epub::export_epub(&doc).unwrap();
    let path = dir.path().join("torture.epub");
    std::fs::write(&path, epub).unwrap();
    let (violations, _) = ace(&path);
    assert!(violations.is_empty(), "Ace violations:\n{}", violations.join("\n"));
}

// ------------------------------------------------------------------------------
// Page list against the PDF
// ------------------------------------------------------------------------------

/// The text of each PDF page, from pdftotext.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let info = text(&tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout);
    let n: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count");
    (1..=n)
        .map(|p| {
            let p = p.to_string();
            let args = ["-f", &p, "-l", &p, "-layout", pdf.to_str().unwrap(), "-"];
            text(&tool("pdftotext", &args).stdout)
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The files of the spine, in reading order.
fn spine(unpacked: &Path) -> Vec<String> {
    let opf = read(&unpacked.join("OEBPS/content.opf"));
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let items: BTreeMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| (n.attribute("id").unwrap(), n.attribute("href").unwrap()))
        .collect();
    doc.descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| items[n.attribute("idref").unwrap()].to_string())
        .collect()
}

#[test]
fn page_markers_match_the_pdf_pages_of_the_chapter_headings() {
    let dir = sample();
    let pages = pdf_pages(&dir.join("briefing.pdf"));
    let unpacked = dir.join("unpacked");
    // Walk the spine in reading order, remembering the last page marker seen.
    let mut last: Option<String> = None;
    let mut markers = Vec::new();
    let mut checked = 0;
    // Chapter headings are looked for after the contents pages (which list them).
    let mut from = None;
    for file in spine(&unpacked) {
        if file.starts_with("ch") && from.is_none() {
            from = Some(markers.len());
        }
        let xhtml = read(&unpacked.join("OEBPS").join(&file));
        let doc = roxmltree::Document::parse(&xhtml).unwrap();
        for n in doc.descendants().filter(|n| n.is_element()) {
            if n.attribute("role") == Some("doc-pagebreak") {
                let label = n.attribute("aria-label").expect("marker label").to_string();
                assert_eq!(
                    n.attribute(("http://www.idpf.org/2007/ops", "type")),
                    Some("pagebreak")
                );
                assert_eq!(n.attribute("id"), Some(format!("page-{label}").as_str()));
                markers.push((label.clone(), format!("{file}#page-{label}")));
                last = Some(label);
            }
            if n.has_tag_name("h1") && file.starts_with("ch") {
                let heading: String = n
                    .descendants()
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect();
                let heading = squash(&heading);
                let marker: usize = last
                    .as_deref()
                    .expect("a marker before the heading")
                    .parse()
                    .unwrap();
                let skip = from.unwrap_or(0);
                let on = pages
                    .iter()
                    .skip(skip)
                    .position(|p| squash(p).contains(&heading))
                    .unwrap_or_else(|| {
                        panic!("heading `{heading}` not found in the PDF")
                    })
                    + skip
                    + 1;
                from = Some(on);
                assert_eq!(marker, on, "`{heading}`: marker {marker}, PDF page {on}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9, "every chapter heading was checked");
    // One marker per PDF page, numbered as printed, in reading order.
    let labels: Vec<String> = markers.iter().map(|m| m.0.clone()).collect();
    let want: Vec<String> = (1..=pages.len()).map(|p| p.to_string()).collect();
    assert_eq!(labels, want);
    // The page-list nav and the NCX page list point at exactly these markers.
    let nav = read(&unpacked.join("OEBPS/nav.xhtml"));
    let nav = roxmltree::Document::parse(&nav).unwrap();
    let list = nav
        .descendants()
        .find(|n| {
            n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("page-list")
        })
        .expect("page-list nav");
    let entries: Vec<(String, String)> = list
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (a.text().unwrap().to_string(), a.attribute("href").unwrap().to_string())
        })
        .collect();
    assert_eq!(entries, markers);
    let ncx = read(&unpacked.join("OEBPS/toc.ncx"));
    assert_eq!(ncx.matches("<pageTarget ").count(), pages.len());
    assert!(ncx.contains(&format!(
        "<meta name=\"dtb:maxPageNumber\" content=\"{}\" />",
        pages.len()
    )));
    let opf = read(&unpacked.join("OEBPS/content.opf"));
    assert!(opf.contains("<meta property=\"pageBreakSource\">urn:uuid:"), "{opf}");
}

// ------------------------------------------------------------------------------
// Phone width in Chromium
// ------------------------------------------------------------------------------

#[test]
fn chapters_at_phone_width_cut_nothing_off_and_chart_text_is_legible() {
    let dir = sample();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("phone-screenshots");
    let script = root().join("tests/a11y/phone.js");
    let o = Command::new("node")
        .arg(&script)
        .arg(dir.join("unpacked"))
        .arg(&shots)
        .env("NODE_PATH", env_path("PUPPETEER_DIR"))
        .env("PUPPETEER_EXECUTABLE_PATH", env_path("PUPPETEER_EXECUTABLE_PATH"))
        .output()
        .unwrap_or_else(|e| panic!("node could not be run ({e}); run scripts/test"));
    assert!(o.status.success(), "phone.js failed:\n{}", text(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pages = report.as_array().unwrap();
    assert_eq!(pages.len(), 18, "9 chapters, light and dark");
    let mut scrolling = 0;
    let mut charts = 0;
    for p in pages {
        let at = format!("{} ({})", p["file"], p["scheme"]);
        assert_eq!(
            p["page_overflow"], false,
            "{at}: the page is wider than the screen: {p}"
        );
        for t in p["tables"].as_array().unwrap() {
            let (sw, cw) =
                (t["scrollWidth"].as_f64().unwrap(), t["clientWidth"].as_f64().unwrap());
            assert!(cw <= 390.0, "{at}: a table region wider than the screen: {t}");
            assert_eq!(t["role"], "region", "{at}: {t}");
            assert_eq!(t["tabindex"], "0", "{at}: {t}");
            assert!(t["name"].as_str().is_some_and(|n| !n.is_empty()), "{at}: {t}");
            if sw > cw {
                scrolling += 1;
                assert!(
                    matches!(t["overflow"].as_str(), Some("auto" | "scroll")),
                    "{at}: clipped: {t}"
                );
                assert_eq!(
                    t["hint"], true,
                    "{at}: a wide table with no visible cue: {t}"
                );
            }
        }
        for c in p["charts"].as_array().unwrap() {
            charts += 1;
            // The SVG's text is 12 user units in a viewBox as wide as its natural width.
            let px =
                12.0 * c["width"].as_f64().unwrap() / c["naturalWidth"].as_f64().unwrap();
            assert!(px >= 11.0, "{at}: chart text is {px:.1} CSS px: {c}");
        }
        assert!(PathBuf::from(p["shot"].as_str().unwrap()).is_file());
    }
    assert!(scrolling >= 2, "the states table scrolls in light and dark");
    assert_eq!(charts, 4, "two charts, light and dark");
}

// ------------------------------------------------------------------------------
// Colours
// ------------------------------------------------------------------------------

fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap() as f64 / 255.0;
    [v(0), v(2), v(4)]
}

/// WCAG 2 relative luminance and contrast ratio.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |c: [f64; 3]| {
        let f = |v: f64| {
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    };
    let (x, y) = (lum(rgb(a)), lum(rgb(b)));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Light grounds: white and a sepia theme's. Dark grounds: black, a night mode's
/// near-black and a dark grey.
const LIGHT: [&str; 2] = ["#ffffff", "#f4ecd8"];
const DARK: [&str; 3] = ["#000000", "#121212", "#303030"];

/// `(selector, colour)` pairs.
type Rules = Vec<(String, String)>;

/// `(selector, colour)` for every `color: #xxxxxx` rule, outside and inside the
/// `prefers-color-scheme: dark` block.
fn css_colours(css: &str) -> (Rules, Rules) {
    let (base, dark) = css
        .split_once("@media (prefers-color-scheme: dark)")
        .expect("a dark-scheme block");
    let rules = |s: &str| {
        let mut out = Vec::new();
        for rule in s.split('}') {
            let Some((sel, body)) = rule.rsplit_once('{') else { continue };
            for decl in body.split(';') {
                if let Some((prop, value)) = decl.split_once(':') {
                    let value = value.trim();
                    if prop.trim() == "color" && value.starts_with('#') {
                        out.push((
                            squash(sel.rsplit('\n').next().unwrap_or(sel)),
                            value.to_string(),
                        ));
                    }
                }
            }
        }
        out
    };
    (rules(base), rules(dark))
}

#[test]
fn fixed_text_colours_keep_4_5_to_1_in_light_and_dark() {
    let css = read(&root().join("templates/epub/style.css"));
    let (base, dark) = css_colours(&css);
    assert!(!base.is_empty() && !dark.is_empty());
    for (sel, colour) in &base {
        for ground in LIGHT {
            let r = contrast(colour, ground);
            assert!(r >= 4.5, "`{sel}` {colour} on {ground}: {r:.2}:1");
        }
        assert!(dark.iter().any(|(s, _)| s == sel), "`{sel}` has no dark-scheme colour");
    }
    for (sel, colour) in &dark {
        for ground in DARK {
            let r = contrast(colour, ground);
            assert!(r >= 4.5, "dark `{sel}` {colour} on {ground}: {r:.2}:1");
        }
    }
    // The body, tables and asides set no colour of their own: they use the reading
    // system's text colour on its ground (any fixed colour would show up above).
    for sel in ["body", "aside", "table", "th, td", ".kf-change"] {
        assert!(!base.iter().any(|(s, _)| s == sel), "`{sel}` fixes a text colour");
    }
}

#[test]
fn chart_text_keeps_4_5_to_1_on_light_and_dark_grounds() {
    let unpacked = sample().join("unpacked/OEBPS/images");
    let mut texts = 0;
    for entry in std::fs::read_dir(&unpacked).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        let svg = read(&path);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        // Transparent: no rectangle paints the whole chart.
        let (w, h) = (
            doc.root_element().attribute("width"),
            doc.root_element().attribute("height"),
        );
        assert!(
            !doc.descendants().any(|n| n.has_tag_name("rect")
                && n.attribute("width") == w
                && n.attribute("height") == h),
            "{}: a ground rectangle",
            path.display()
        );
        let style = doc
            .descendants()
            .find(|n| n.has_tag_name("style"))
            .and_then(|n| n.text())
            .expect("a style sheet");
        let dark: BTreeMap<String, String> = style
            .lines()
            .filter_map(|l| {
                let (sel, rest) = l.trim().split_once('{')?;
                let value = rest.split(':').nth(1)?.split(';').next()?.trim();
                Some((sel.trim().trim_start_matches('.').to_string(), value.to_string()))
            })
            .collect();
        for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
            texts += 1;
            let fill = t.attribute("fill").unwrap();
            let class = t.attribute("class").unwrap_or_else(|| {
                panic!(
                    "{}: text `{:?}` drawn on a bar is not checked here",
                    path.display(),
                    t.text()
                )
            });
            for ground in LIGHT {
                let r = contrast(fill, ground);
                assert!(r >= 4.5, "{}: {fill} on {ground}: {r:.2}:1", path.display());
            }
            let night = &dark[class];
            for ground in DARK {
                let r = contrast(night, ground);
                assert!(
                    r >= 4.5,
                    "{}: dark {night} on {ground}: {r:.2}:1",
                    path.display()
                );
            }
            let size: f64 = t.attribute("font-size").unwrap().parse().unwrap();
            assert!(size >= 12.0, "chart text drawn at {size} units");
        }
    }
    assert!(texts > 10, "the sample's charts have text");
}

// ------------------------------------------------------------------------------
// Languages
// ------------------------------------------------------------------------------

#[test]
fn every_name_in_another_language_carries_its_tag() {
    let ch07 = read(&sample().join("unpacked/OEBPS/ch07.xhtml"));
    let doc = roxmltree::Document::parse(&ch07).unwrap();
    let tagged: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("span") && n.attribute("lang").is_some())
        .map(|n| {
            let lang = n.attribute("lang").unwrap().to_string();
            assert_eq!(
                n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                Some(lang.as_str())
            );
            (n.text().unwrap_or("").to_string(), lang)
        })
        .collect();
    for (name, lang) in [
        ("中国", "zh-Hans"),
        ("北京", "zh-Hans"),
        ("Қазақстан", "kk"),
        ("Астана", "kk"),
        ("Кыргызстан", "ky"),
        ("Бишкек", "ky"),
        ("Тоҷикистон", "tg"),
        ("Душанбе", "tg"),
        ("Türkmenistan", "tk"),
        ("Aşgabat", "tk"),
        ("Oʻzbekiston", "uz"),
        ("Toshkent", "uz"),
    ] {
        assert!(
            tagged.iter().any(|(t, l)| t == name && l == lang),
            "`{name}` is not tagged `{lang}`: {tagged:?}"
        );
        assert!(
            !tagged.iter().any(|(t, l)| t == name && l != lang),
            "`{name}` carries another tag: {tagged:?}"
        );
    }
}
