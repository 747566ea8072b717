//! Tests of the EPUB writer on the torture document: well-formedness, zip layout,
//! reproducibility, link resolution and the expected markup.

#[path = "epub_torture.rs"]
mod torture;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use briefbook::diag::Severity;
use briefbook::export::epub::export_epub;

/// Every entry of the zip, by name, in order.
fn entries(epub: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().to_string(), bytes);
    }
    out
}

fn text(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(entries[name].clone()).unwrap()
}

fn torture_epub() -> (Vec<u8>, Vec<briefbook::diag::Diagnostic>) {
    let dir = tempfile::tempdir().unwrap();
    export_epub(&torture::torture_document(dir.path())).unwrap()
}

/// Parses with roxmltree's defaults, which also refuse any DTD.
fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

#[test]
fn every_xml_entry_is_well_formed() {
    let (epub, _) = torture_epub();
    let all = entries(&epub);
    let mut checked = 0;
    for (name, bytes) in &all {
        if [".xhtml", ".opf", ".ncx", ".xml", ".svg"].iter().any(|e| name.ends_with(e)) {
            let xml = std::str::from_utf8(bytes).unwrap();
            parse(xml);
            // Only the five XML entities: no HTML named entities.
            for (i, _) in xml.match_indices('&') {
                let rest = &xml[i..];
                let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| rest.starts_with(e));
                assert!(ok, "{name}: bad entity at {}", &rest[..rest.len().min(12)]);
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} XML entries");
}

#[test]
fn mimetype_is_first_and_stored() {
    let (epub, _) = torture_epub();
    assert_eq!(&epub[30..38], b"mimetype");
    assert_eq!(&epub[38..58], b"application/epub+zip");
    let mut archive = zip::ZipArchive::new(Cursor::new(&epub[..])).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
}

#[test]
fn two_exports_are_byte_identical() {
    let (a, _) = torture_epub();
    // Cross a two-second DOS time step, so wall-clock timestamps would show.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (b, _) = torture_epub();
    assert!(a == b, "two exports of the same document differ");
}

/// All ids in an XHTML file.
fn ids(xml: &str) -> BTreeSet<String> {
    parse(xml).descendants().filter_map(|n| n.attribute("id")).map(String::from).collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn every_internal_link_resolves() {
    let (epub, _) = torture_epub();
    let all = entries(&epub);
    let mut checked = 0;
    for (name, bytes) in all.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let xml = std::str::from_utf8(bytes).unwrap();
        for node in parse(xml).descendants() {
            let Some(href) = node.attribute("href").or(node.attribute("src")) else {
                continue;
            };
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (file, frag) = href.split_once('#').unwrap_or((href, ""));
            let target =
                if file.is_empty() { name.clone() } else { format!("OEBPS/{file}") };
            assert!(all.contains_key(&target), "{name}: {href} points to a missing file");
            let frag = percent_decode(frag);
            if !frag.is_empty() {
                let target_ids = ids(std::str::from_utf8(&all[&target]).unwrap());
                assert!(
                    target_ids.contains(&frag),
                    "{name}: {href} points to a missing id"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} links checked");
}

#[test]
fn anchor_links_go_to_the_right_chapter() {
    let (epub, _) = torture_epub();
    let all = entries(&epub);
    let ch1 = text(&all, "OEBPS/ch01.xhtml");
    assert!(ch1.contains("href=\"ch02.xhtml#tables\""));
    assert!(ch1.contains("href=\"ch01.xhtml#deep-dive\""));
    assert!(ch1.contains("href=\"https://example.org/?a=1&amp;b=%3C2%3E\""));
    // The dead link is plain text.
    assert!(ch1.contains("a dead link") && !ch1.contains("no-such-anchor"));
}

#[test]
fn warnings_point_at_their_spans() {
    let (_, warnings) = torture_epub();
    assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
    let alt = warnings.iter().find(|w| w.message.contains("no alt text")).unwrap();
    assert_eq!(alt.span, Some(torture::span()));
    assert!(warnings.iter().any(|w| w.message == "unknown anchor `no-such-anchor`"));
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

#[test]
fn footnotes_are_epub3_endnotes_with_backlinks() {
    let (epub, _) = torture_epub();
    let all = entries(&epub);
    let ch1 = text(&all, "OEBPS/ch01.xhtml");
    assert!(ch1.contains(
        "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" \
         href=\"notes.xhtml#fn-1\" id=\"fnref-1\">1</a>"
    ));
    let notes = text(&all, "OEBPS/notes.xhtml");
    assert!(notes.contains("<section epub:type=\"endnotes\" role=\"doc-endnotes\""));
    assert!(notes.contains("<li id=\"fn-1\" value=\"1\">"));
    assert!(notes.contains("href=\"ch01.xhtml#fnref-1\" role=\"doc-backlink\""));
    assert!(notes.contains("href=\"ch02.xhtml#fnref-2\" role=\"doc-backlink\""));
    // Note 4 is cited only from note 3; note 6 is never cited.
    assert!(notes.contains("href=\"notes.xhtml#fnref-4\" role=\"doc-backlink\""));
    assert!(!notes.contains("#fnref-6"));
    // A second citation of note 1 gets its own id.
    let ch2 = text(&all, "OEBPS/ch02.xhtml");
    assert!(ch2.contains("id=\"fnref-1-2\""));
}

#[test]
fn structure_and_blocks_have_the_expected_markup() {
    let (epub, _) = torture_epub();
    let all = entries(&epub);
    let ch1 = text(&all, "OEBPS/ch01.xhtml");
    assert!(ch1.contains("<p class=\"marking\">OFFICIAL-SENSITIVE &lt;test&gt;</p>"));
    assert!(ch1.contains(
        "<section id=\"introduction\" epub:type=\"chapter\" role=\"doc-chapter\">"
    ));
    assert!(ch1.contains("<h2><span class=\"secnum\">1.1</span> Background"));
    // A level-4 heading under a level-2 one is written one level down, not two.
    assert!(ch1.contains("<section id=\"deep-dive\">\n<h3>"));
    assert!(
        ch1.contains("<span lang=\"kk\" xml:lang=\"kk\">Қазақстан Республикасы</span>")
    );
    assert!(ch1.contains("<span lang=\"ru\" xml:lang=\"ru\">Астана и Алматы</span>"));
    assert!(ch1.contains("<span lang=\"zh\" xml:lang=\"zh\">阿斯塔纳是首都。</span>"));
    let ch2 = text(&all, "OEBPS/ch02.xhtml");
    assert!(
        ch2.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1. One column")
    );
    assert!(ch2.contains("<th scope=\"col\" class=\"num\">Q2 &lt;&amp;&gt;</th>"));
    assert!(ch2.contains("<td class=\"num\">1002</td>"));
    assert!(
        ch2.contains("<p class=\"source\">Source: Office for &quot;Numbers&quot;</p>")
    );
    assert!(ch2.contains("<ol start=\"3\">"));
    let ch3 = text(&all, "OEBPS/ch03.xhtml");
    assert!(ch3.contains("<figcaption>Figure 1. Trade &amp; &lt;growth&gt;</figcaption>"));
    assert!(ch3.contains("Oil &amp; gas: 2022: 40.5; 2023: 42.0 (bn)."));
    assert!(ch3.contains("<ol class=\"timeline\">"));
    assert!(ch3.contains("<aside class=\"warning\" role=\"note\">"));
    assert!(ch3.contains("<div class=\"key-figures\">"));
    assert!(all.contains_key("OEBPS/images/img_map.png"));
    assert!(all.contains_key("OEBPS/images/img_logo.jpg"));
    assert!(all.contains_key("OEBPS/images/cover.png"));
}

#[test]
fn metadata_is_complete_and_escaped() {
    let (epub, _) = torture_epub();
    let opf = text(&entries(&epub), "OEBPS/content.opf");
    for want in [
        "<dc:title id=\"title\">Briefing &amp; &lt;Torture&gt; \"Book\"</dc:title>",
        "<dc:title id=\"subtitle\">Escapes, scripts &amp; &apos;quotes&apos;</dc:title>",
        "<dc:publisher>Ministry of Tea &amp; Biscuits</dc:publisher>",
        "<dc:language id=\"epub-lang-0\">en-GB</dc:language>",
        "<meta property=\"dcterms:modified\">2026-06-01T09:30:15Z</meta>",
        "urn:uuid:",
        "property=\"schema:accessMode\">visual</meta>",
        "property=\"schema:accessibilityHazard\">none</meta>",
        "properties=\"cover-image\"",
    ] {
        assert!(opf.contains(want), "missing {want}\n{opf}");
    }
    let nav = text(&entries(&epub), "OEBPS/nav.xhtml");
    for landmark in ["cover", "titlepage", "toc", "bodymatter", "endnotes"] {
        assert!(nav.contains(&format!("epub:type=\"{landmark}\"")), "{landmark}\n{nav}");
    }
    assert!(nav.contains("ch01.xhtml#deep-dive"));
    assert!(nav.contains("ch01.xhtml#listed-child"));
    assert!(!nav.contains("ch01.xhtml#hidden") && !nav.contains("ch05.xhtml"));
}

#[test]
fn images_come_from_the_model_not_the_disk() {
    // The model carries each image's bytes (read through the confined file layer when
    // the document was built); the writer never opens the file again.
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let png = std::fs::read(dir.path().join("map.png")).unwrap();
    std::fs::remove_file(dir.path().join("map.png")).unwrap();
    let (epub, _) = export_epub(&doc).unwrap();
    assert!(entries(&epub).iter().any(|(name, bytes)| name.starts_with("OEBPS/images/")
        && name.ends_with(".png")
        && *bytes == png));
}

#[test]
fn an_image_that_was_not_loaded_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = torture::torture_document(dir.path());
    // The model's build loads every image; only a model made by hand can lack one.
    let mut unloaded = 0;
    for section in &mut doc.sections {
        for block in &mut section.blocks {
            if let briefbook::model::BlockKind::Image(image) = &mut block.kind {
                image.data = None;
                unloaded += 1;
            }
        }
    }
    assert!(unloaded > 0);
    let errors = export_epub(&doc).unwrap_err();
    assert!(errors.iter().any(|e| e.is_error() && e.message.contains("was not loaded")));
}

#[test]
fn an_empty_document_exports() {
    let (epub, warnings) = export_epub(&torture::empty_document()).unwrap();
    assert!(warnings.is_empty());
    for (name, bytes) in entries(&epub) {
        if name.ends_with(".xhtml") || name.ends_with(".opf") {
            parse(std::str::from_utf8(&bytes).unwrap());
        }
    }
}
