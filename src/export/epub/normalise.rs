//! Fixes for the package files epub-builder 0.8.3 writes (applied by `package.rs`,
//! which also stamps every zip entry with one timestamp).
//!
//! Each fix below patches text that comes from the crate's own templates; if a new
//! crate version changes that text, [`patch`] fails (an internal error) instead of
//! silently writing a broken book, and the tests at the end fail too.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::xhtml::escape;

/// What the post-pass adds to the files epub-builder writes.
pub(super) struct Fixes<'a> {
    /// The book language (BCP 47).
    pub language: &'a str,
    /// The book title, for the NCX.
    pub title: &'a str,
    /// A subtitle, written as a refined second `dc:title`.
    pub subtitle: Option<&'a str>,
    /// The publisher.
    pub publisher: Option<&'a str>,
    /// `urn:uuid:…`, for the NCX.
    pub identifier: &'a str,
    /// The depth of the table of contents, for the NCX.
    pub toc_depth: usize,
    /// The names of the landmarks and page-list navigation, in the book's language.
    pub landmarks: &'a str,
    /// See `landmarks`.
    pub page_list: &'a str,
    /// The time written on every zip entry.
    pub timestamp: DateTime<Utc>,
    /// The printed pages, each with the href of its page-break marker (empty: no
    /// page list).
    pub page_targets: Vec<(&'a str, String)>,
}

/// A fix for one entry's text.
pub(super) type Patch = fn(&str, &Fixes) -> Result<String, String>;

/// Replaces every occurrence of `from`, failing if there is none.
fn patch(text: &str, file: &str, from: &str, to: &str) -> Result<String, String> {
    if text.contains(from) {
        Ok(text.replace(from, to))
    } else {
        Err(format!("epub-builder output changed: `{from}` not found in {file}"))
    }
}

/// Fixes for `OEBPS/content.opf`.
pub(super) fn patch_opf(opf: &str, f: &Fixes) -> Result<String, String> {
    let file = "content.opf";
    // 0.8.3 bug: `<dc:language>` and `<dc:creator>` both get ids `epub-creator-N`
    // (duplicate ids, EPUBCheck RSC-005).
    let mut s = patch(
        opf,
        file,
        "<dc:language id=\"epub-creator-",
        "<dc:language id=\"epub-lang-",
    )?;
    // The package's own language (Ace `epub-lang`: metadata text needs one).
    let package = "<package version=\"3.0\"";
    let lang = escape(f.language);
    s = patch(&s, file, package, &format!("{package} xml:lang=\"{lang}\""))?;
    // The crate adds a guide entry for the navigation document beside ours for the
    // contents page: two `toc` references.
    let nav_ref = s
        .lines()
        .find(|l| {
            l.contains("<reference type=\"toc\"") && l.contains("href=\"nav.xhtml\"")
        })
        .map(|l| format!("{l}\n"))
        .ok_or(
            "epub-builder output changed: no guide reference to nav.xhtml in content.opf",
        )?;
    s = patch(&s, file, &nav_ref, "")?;
    // No API for a subtitle: a second `dc:title` refined by `title-type`.
    if let Some(sub) = f.subtitle {
        s = patch(
            &s,
            file,
            "<dc:title>",
            "<meta refines=\"#title\" property=\"title-type\">main</meta>\n    \
             <dc:title id=\"title\">",
        )?;
        let sub = format!(
            "</dc:title>\n    <dc:title id=\"subtitle\">{}</dc:title>\n    \
             <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
            escape(sub)
        );
        s = patch(&s, file, "</dc:title>", &sub)?;
    }
    // No API for `dc:publisher` (the metadata renderer trait is private).
    if let Some(publisher) = f.publisher {
        let modified = "<meta property=\"dcterms:modified\">";
        let with =
            format!("<dc:publisher>{}</dc:publisher>\n    {modified}", escape(publisher));
        s = patch(&s, file, modified, &with)?;
    }
    Ok(s)
}

/// Fixes for `OEBPS/nav.xhtml`.
pub(super) fn patch_nav(nav: &str, f: &Fixes) -> Result<String, String> {
    // The template has no language (HTM-020/021 in EPUBCheck usage mode; screen readers
    // need it to pick a voice).
    let html = "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
    let lang = escape(f.language);
    let file = "nav.xhtml";
    let mut s =
        patch(nav, file, html, &format!("{html} lang=\"{lang}\" xml:lang=\"{lang}\""))?;
    // The doctype is optional in EPUB 3 XHTML, and strict XML parsers that refuse DTDs
    // (roxmltree's default) reject the file because of it; our own pages have none.
    s = patch(&s, file, "<!DOCTYPE html>\n", "")?;
    // ARIA roles matching the `epub:type`s, and a label on each navigation landmark
    // (Ace: `epub-type-has-matching-role`, `landmark-unique`).
    s = patch(
        &s,
        file,
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">",
    )?;
    s = patch(
        &s,
        file,
        "<nav epub:type = \"landmarks\">",
        &format!(
            "<nav epub:type=\"landmarks\" aria-label=\"{}\" hidden=\"hidden\">",
            escape(f.landmarks)
        ),
    )?;
    if !f.page_targets.is_empty() {
        let list = super::pagelist::nav_page_list(&f.page_targets, f.page_list);
        s = patch(&s, file, "</body>", &format!("{list}</body>"))?;
    }
    Ok(s)
}

/// Fixes for `OEBPS/toc.ncx` (read by EPUB 2 reading systems only).
pub(super) fn patch_ncx(ncx: &str, f: &Fixes) -> Result<String, String> {
    let file = "toc.ncx";
    // The NCX should carry the book's identifier and real depth; the crate writes
    // no `dtb:uid` and always depth 1.
    let depth = format!(
        "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        escape(f.identifier),
        f.toc_depth.max(1)
    );
    let mut s = patch(ncx, file, "<meta name=\"dtb:depth\" content=\"1\" />", &depth)?;
    // `docTitle` is the contents heading, not the book title.
    let start = s.find("<docTitle>").ok_or("`<docTitle>` not found in toc.ncx")?;
    let end =
        s[start..].find("</docTitle>").ok_or("`</docTitle>` not found in toc.ncx")?;
    let title = format!("<docTitle>\n    <text>{}</text>\n  ", escape(f.title));
    s.replace_range(start..start + end, &title);
    // The print pages, for EPUB 2 reading systems.
    if !f.page_targets.is_empty() {
        let max = f.page_targets.iter().filter_map(|(l, _)| l.parse::<u32>().ok()).max();
        let count = f.page_targets.len();
        s = patch(
            &s,
            file,
            "<meta name=\"dtb:totalPageCount\" content=\"0\" />",
            &format!("<meta name=\"dtb:totalPageCount\" content=\"{count}\" />"),
        )?;
        s = patch(
            &s,
            file,
            "<meta name=\"dtb:maxPageNumber\" content=\"0\" />",
            &format!(
                "<meta name=\"dtb:maxPageNumber\" content=\"{}\" />",
                max.unwrap_or(0)
            ),
        )?;
        let play_orders = s.matches("playOrder=\"").count();
        let list = super::pagelist::ncx_page_list(&f.page_targets, play_orders + 1);
        s = patch(&s, file, "</ncx>", &format!("{list}</ncx>"))?;
    }
    Ok(s)
}

/// A zip timestamp for `t`, clamped to what DOS dates can hold (1980–2107).
pub(super) fn zip_time(t: DateTime<Utc>) -> Result<zip::DateTime, String> {
    let year = t.year().clamp(1980, 2107) as u16;
    let (month, day, hour, minute, second) = if year as i32 == t.year() {
        (
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        )
    } else if t.year() < 1980 {
        (1, 1, 0, 0, 0)
    } else {
        (12, 31, 23, 59, 58)
    };
    zip::DateTime::from_date_and_time(year, month, day, hour, minute, second & !1)
        .map_err(|e| format!("bad zip timestamp ({e})"))
}

#[cfg(test)]
mod tests {
    //! These run the patches on real epub-builder output, so a crate upgrade that
    //! changes the patched template text fails here.

    use std::io::{Cursor, Read};

    use epub_builder::{
        EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary,
    };
    use zip::{CompressionMethod, ZipArchive};

    use super::*;

    fn fixes() -> Fixes<'static> {
        Fixes {
            language: "en-GB",
            title: "Book & <Title>",
            subtitle: Some("A \"sub\" title"),
            publisher: Some("Ministry of Tea & Biscuits"),
            identifier: "urn:uuid:00000000-0000-0000-0000-000000000000",
            toc_depth: 3,
            landmarks: "Landmarks",
            page_list: "Print page list",
            timestamp: DateTime::from_timestamp(1_780_000_001, 0).unwrap(),
            page_targets: vec![("1", "cover.xhtml#page-1".into())],
        }
    }

    /// A minimal book straight from epub-builder, before the post-pass.
    fn raw_epub() -> Vec<u8> {
        let mut b = EpubBuilder::new(ZipLibrary::new().unwrap()).unwrap();
        b.epub_version(EpubVersion::V30);
        b.set_title("Book");
        b.add_author("A. Author");
        b.add_language("en-GB");
        b.add_content(
            EpubContent::new("ch01.xhtml", "<html/>".as_bytes())
                .title("One")
                .reftype(ReferenceType::Text),
        )
        .unwrap();
        let mut raw = Vec::new();
        b.generate(&mut raw).unwrap();
        raw
    }

    fn entry(zip: &[u8], name: &str) -> String {
        let mut a = ZipArchive::new(Cursor::new(zip)).unwrap();
        let mut s = String::new();
        a.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn every_patch_finds_its_target_in_epub_builder_output() {
        let raw = raw_epub();
        let f = fixes();
        let opf = entry(&raw, "OEBPS/content.opf");
        assert!(opf.contains("<dc:language id=\"epub-creator-0\">"), "{opf}");
        assert!(opf.contains("<dc:creator id=\"epub-creator-0\">"), "{opf}");
        let opf = patch_opf(&opf, &f).unwrap();
        assert!(opf.contains("<dc:language id=\"epub-lang-0\">en-GB</dc:language>"));
        assert!(opf.contains("<package version=\"3.0\" xml:lang=\"en-GB\""));
        assert!(!opf.contains("href=\"nav.xhtml\"/>"), "{opf}");
        assert!(opf.contains("<dc:title id=\"title\">Book</dc:title>"));
        assert!(
            opf.contains("<dc:title id=\"subtitle\">A &quot;sub&quot; title</dc:title>")
        );
        assert!(
            opf.contains("<dc:publisher>Ministry of Tea &amp; Biscuits</dc:publisher>")
        );
        roxmltree::Document::parse(&opf).unwrap();

        let nav = patch_nav(&entry(&raw, "OEBPS/nav.xhtml"), &f).unwrap();
        assert!(nav.contains("lang=\"en-GB\" xml:lang=\"en-GB\""));
        assert!(nav.contains("role=\"doc-toc\" aria-labelledby=\"toc-title\""));
        assert!(nav.contains("epub:type=\"page-list\""), "{nav}");
        assert!(!nav.contains("<!DOCTYPE"));
        roxmltree::Document::parse(&nav).unwrap();

        let ncx = patch_ncx(&entry(&raw, "OEBPS/toc.ncx"), &f).unwrap();
        assert!(ncx.contains("<text>Book &amp; &lt;Title&gt;</text>"), "{ncx}");
        assert!(ncx.contains("<meta name=\"dtb:depth\" content=\"3\" />"));
        assert!(ncx.contains("dtb:uid"));
        assert!(
            ncx.contains("<pageTarget id=\"pageTarget-1\" type=\"normal\" value=\"1\"")
        );
        roxmltree::Document::parse(&ncx).unwrap();
    }

    #[test]
    fn missing_target_is_an_error() {
        assert!(patch_nav("<html>", &fixes()).is_err());
        assert!(patch_opf("<package/>", &fixes()).is_err());
    }

    #[test]
    fn timestamps_are_fixed_and_mimetype_stays_first_and_stored() {
        let memo = crate::memo::Memo::new();
        let no_bodies = std::collections::BTreeMap::new();
        let out =
            super::super::package::package(&raw_epub(), &no_bodies, &fixes(), &memo)
                .unwrap();
        assert_eq!(&out[30..38], b"mimetype");
        let mut a = ZipArchive::new(Cursor::new(&out[..])).unwrap();
        let first = a.by_index_raw(0).unwrap();
        assert_eq!(first.compression(), CompressionMethod::Stored);
        drop(first);
        let want = zip_time(fixes().timestamp).unwrap();
        for i in 0..a.len() {
            assert_eq!(a.by_index_raw(i).unwrap().last_modified(), Some(want));
        }
    }

    #[test]
    fn out_of_range_years_are_clamped() {
        let old = DateTime::from_timestamp(0, 0).unwrap();
        assert_eq!(zip_time(old).unwrap(), zip::DateTime::default());
    }
}
