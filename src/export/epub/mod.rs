//! EPUB 3 export: the format-neutral [`Document`] becomes a reflowable, accessible
//! EPUB 3 book.
//!
//! # Steps
//! 1. **Plan**: one XHTML file per chapter (`ch01.xhtml`, …) and an anchor → file map,
//!    so links and footnote references resolve across files.
//! 2. **Render**: chapters (`xhtml.rs`, `figures.rs`, `images.rs`), the
//!    contents page (`nav.rs`), notes, title page and cover (`pages.rs`, `cover.rs`),
//!    through handlebars templates (strict mode, XML escaping).
//! 3. **Assemble** with epub-builder: metadata, accessibility metadata, navigation
//!    document, NCX, landmarks. It gets every file with an empty body, so it writes
//!    little more than the package files.
//! 4. **Package** (`package.rs`): the final zip, with the bodies put in, what
//!    epub-builder gets wrong fixed (`normalise.rs`) and every entry stamped with
//!    `meta.timestamp`, so two builds are byte-identical.
//!
//! What an export can reuse goes through the [`Memo`] it is given, keyed by what each
//! step reads: chapter pages (`chapters.rs`), the cover image, epub-builder's zip and
//! the compressed zip entries (`package.rs`). [`export_epub`] is the same code with an
//! empty memo.

mod accessibility;
mod chapters;
mod cover;
mod figures;
mod images;
mod nav;
mod normalise;
mod package;
mod pagelist;
mod pages;
mod svg;
mod xhtml;

use std::collections::BTreeMap;

use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary,
};

use crate::diag::{DiagResult, Diagnostic};
use rayon::prelude::*;

use crate::memo::Memo;
use crate::model::{Document, FlowPos, PageMap, PagePlace, Section};

use chapters::ChapterInputs;
use nav::NavEntry;
use pages::{Notes, Page};
use xhtml::{escape, Writer};

/// The endnotes document.
const NOTES_FILE: &str = "notes.xhtml";
/// The generated cover image.
const COVER_IMAGE: &str = "images/cover.png";

/// Everything epub-builder is given (bodies aside), so everything its zip depends on
/// with the book's metadata.
#[derive(Clone, PartialEq, Hash)]
struct BuilderKey {
    meta: crate::config::Meta,
    language: String,
    /// Images and charts: path in the EPUB and media type.
    images: Vec<(String, &'static str)>,
    missing_alt: bool,
    files: Vec<String>,
    entries: Vec<Option<NavEntry>>,
    notes: bool,
    /// Whether the book has a page map (page-break markers, `pageBreakSource`).
    paged: bool,
}

/// A broken invariant of the EPUB writer, reported instead of panicking.
pub(super) fn internal_error(message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::spanless(format!("internal error in the EPUB writer: {message}"))
        .with_hint("please report this as a bug")
}

/// The book title, or a placeholder if blank (an empty `dc:title` or `<title>` is an
/// EPUBCheck error).
pub(super) fn book_title(doc: &Document) -> &str {
    match doc.meta.title.trim() {
        "" => doc.meta.locale.plain("untitled-book"),
        _ => &doc.meta.title,
    }
}

/// Exports `doc` as an EPUB 3 file.
///
/// Returns the bytes and the warnings (an image without alt text, a link to an
/// unknown anchor). Errors (an unreadable image, a duplicate anchor) come back as
/// `Err` with every diagnostic found. The output depends only on `doc`: the same
/// document gives the same bytes.
pub fn export_epub(doc: &Document) -> DiagResult<(Vec<u8>, Vec<Diagnostic>)> {
    export_epub_paged(doc, &PageMap::default(), &Memo::new())
}

/// [`export_epub`] for a book that has a printed edition: `pages` says where each
/// printed page begins (from `PagedDocument::page_map`), and the EPUB gets page-break
/// markers, a page list and `pageBreakSource`. With an empty map the output is that of
/// [`export_epub`].
///
/// What the export reuses comes from `memo`, and what it computes goes into it (watch
/// mode passes the session's): the bytes and diagnostics are those of an export with
/// an empty memo; only the time differs.
pub fn export_epub_paged(
    doc: &Document,
    pages: &PageMap,
    memo: &Memo,
) -> DiagResult<(Vec<u8>, Vec<Diagnostic>)> {
    let page_map = pages;
    let language = match doc.meta.language.trim() {
        "" => "und",
        l => l,
    };
    // 1. Plan.
    let files: Vec<String> =
        (1..=doc.sections.len()).map(|i| format!("ch{i:02}.xhtml")).collect();
    let anchors = anchor_map(doc, &files)?;
    // The page templates never change (parsing them takes a millisecond).
    let hb = memo.get_or("epub templates", &(), pages::templates);
    let hb = hb.as_ref().as_ref().map_err(|e| vec![e.clone()])?;
    let entries: Vec<Option<NavEntry>> = doc
        .sections
        .iter()
        .zip(&files)
        .map(|(s, f)| nav::chapter_entry(s, f, &doc.meta.locale))
        .collect();

    // 2. Render. Every chapter is asked of the memo on every thread, as if no chapter
    //    before it referred to its footnotes; in the book's order, each is taken if that
    //    is so, asked again for the writer's counts if not, or rendered in its turn if it
    //    shows an image or a chart (see `chapters.rs`).
    let classification = doc.meta.classification.trim();
    let marks: Vec<Vec<(String, FlowPos)>> = (0..doc.sections.len())
        .map(|i| {
            page_map.in_chapter(i).map(|(label, pos)| (label.to_string(), pos)).collect()
        })
        .collect();
    let chapter = |w: &mut Writer, section: &Section, marks: &[(String, FlowPos)]| {
        let mut body = String::new();
        w.flow = Some(pagelist::Flow::new(marks.to_vec()));
        w.section(&mut body, section, true);
        if let Some(mut flow) = w.flow.take() {
            flow.finish(&mut body);
        }
        let title = xhtml::heading_label_or_untitled(&section.heading, &doc.meta.locale);
        let data = Page { lang: language, title: &title, classification, body: &body };
        pages::render(hb, "chapter", &data)
    };
    let render: &chapters::Render = &|w, section, marks| chapter(w, section, marks).ok();
    let inputs: Vec<ChapterInputs> = (doc.sections.iter().zip(&files))
        .zip(&marks)
        .map(|((section, file), marks)| ChapterInputs {
            section,
            file,
            marks,
            language,
            book_language: &doc.meta.language,
            classification,
            locale: &doc.meta.locale,
        })
        .collect();
    let read = (doc, &anchors);
    let ahead: Vec<_> = inputs
        .par_iter()
        .map(|input| chapters::ahead(memo, input, read, render))
        .collect();
    let mut w = Writer::new(doc, &anchors);
    let mut pages = Vec::new();
    for ((input, (key, ahead)), file) in inputs.iter().zip(ahead).zip(&files) {
        w.file = file.clone();
        w.regions.clear();
        if let Some(ahead) = ahead.as_ref() {
            if let Some(page) = ahead.replay(&mut w) {
                pages.push(page);
                continue;
            }
            let turn = chapters::in_turn(memo, (key, ahead), input, read, &w, render);
            if let Some(page) = turn.as_ref().as_ref().and_then(|c| c.replay(&mut w)) {
                pages.push(page);
                continue;
            }
        }
        let page = chapter(&mut w, input.section, input.marks).map_err(|e| vec![e])?;
        pages.push(page);
    }
    let notes = match doc.footnotes.is_empty() {
        true => None,
        false => {
            w.regions.clear();
            let items = pages::notes_items(&mut w);
            let heading = doc.meta.locale.plain("notes");
            let data = Notes { lang: language, heading, classification, items: &items };
            Some(pages::render(hb, "notes", &data).map_err(|e| vec![e])?)
        }
    };
    let toc: Vec<NavEntry> = entries.iter().flatten().cloned().collect();
    let l = &doc.meta.locale;
    let contents_body = format!(
        "{}{}",
        pagelist::front_markers(page_map, &PagePlace::Contents),
        nav::contents_body(l.plain("contents"), &toc)
    );
    let data = Page {
        lang: language,
        title: l.plain("contents"),
        classification,
        body: &contents_body,
    };
    let contents = pages::render(hb, "chapter", &data).map_err(|e| vec![e])?;
    let title_page = pages::render(hb, "title", &pages::title_data(&w, language))
        .map_err(|e| vec![e])?;
    let cover_marker = pagelist::front_markers(page_map, &PagePlace::Cover);
    let cover_page =
        pages::render(hb, "cover", &pages::cover_data(&w, language, cover_marker))
            .map_err(|e| vec![e])?;
    if w.diags.iter().any(Diagnostic::is_error) {
        return Err(w.diags);
    }

    // 3. Assemble. epub-builder gets empty bodies; `bodies` holds the real ones.
    let cover = cover::Cover::of(&doc.meta);
    let cover_png = memo.get_or("epub cover", &cover, || cover::cover_png(&cover));
    let cover_png = cover_png.as_ref().as_ref().map_err(|e| vec![internal_error(e)])?;
    let front = [
        ("cover.xhtml", &cover_page, l.plain("cover"), ReferenceType::Cover),
        ("title.xhtml", &title_page, l.plain("title-page"), ReferenceType::TitlePage),
        ("contents.xhtml", &contents, l.plain("contents"), ReferenceType::Toc),
    ];
    let stylesheet = pages::stylesheet(&doc.meta.language);
    let mut bodies: Vec<(&str, &[u8])> =
        vec![("stylesheet.css", stylesheet.as_bytes()), (COVER_IMAGE, cover_png)];
    bodies.extend(w.images.iter().map(|i| (i.href.as_str(), i.bytes.as_slice())));
    bodies.extend(front.iter().map(|(file, page, ..)| (*file, page.as_bytes())));
    bodies.extend(files.iter().zip(&pages).map(|(f, p)| (f.as_str(), p.as_bytes())));
    bodies.extend(notes.iter().map(|n| (NOTES_FILE, n.as_bytes())));
    let bodies: BTreeMap<String, &[u8]> =
        bodies.into_iter().map(|(path, b)| (format!("OEBPS/{path}"), b)).collect();
    let key = BuilderKey {
        meta: doc.meta.clone(),
        language: language.to_string(),
        images: w.images.iter().map(|i| (i.href.clone(), i.media_type)).collect(),
        missing_alt: w.missing_alt,
        files,
        entries,
        notes: notes.is_some(),
        paged: !page_map.pages.is_empty(),
    };
    // epub-builder reads `key`, the book's metadata and the front matter's names.
    let raw = memo.get_or("epub package files", &key, || assemble(doc, &key, &w, &front));
    let raw = raw.as_ref().as_ref().map_err(|e| vec![internal_error(e)])?;

    // 4. Package.
    let identifier = format!("urn:uuid:{}", doc.meta.identifier);
    let fixes = normalise::Fixes {
        language,
        title: book_title(doc),
        subtitle: doc.meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()),
        publisher: doc.meta.organisation.as_deref().filter(|s| !s.trim().is_empty()),
        identifier: &identifier,
        toc_depth: nav::depth(&toc),
        landmarks: doc.meta.locale.plain("landmarks"),
        page_list: doc.meta.locale.plain("page-list"),
        timestamp: doc.meta.timestamp,
        page_targets: pagelist::targets(page_map, &key.files),
    };
    let bytes = package::package(raw, &bodies, &fixes, memo)
        .map_err(|e| vec![internal_error(e)])?;
    Ok((bytes, w.diags))
}

/// epub-builder's zip: the package files for `key`, every other file with an empty
/// body (put in by [`package::package`]).
fn assemble(
    doc: &Document,
    key: &BuilderKey,
    w: &Writer,
    front: &[(&str, &String, &str, ReferenceType); 3],
) -> Result<Vec<u8>, String> {
    let empty: &[u8] = &[];
    let failed = |e: epub_builder::Error| format!("epub-builder failed ({e})");
    let mut b = builder(doc, key, w).map_err(failed)?;
    (|| -> epub_builder::Result<Vec<u8>> {
        b.add_cover_image(COVER_IMAGE, empty, "image/png")?;
        for (href, media_type) in &key.images {
            b.add_resource(href, empty, *media_type)?;
        }
        for &(file, _, title, reftype) in front {
            b.add_content(EpubContent::new(file, empty).title(title).reftype(reftype))?;
        }
        let mut bodymatter = false;
        for (file, entry) in key.files.iter().zip(&key.entries) {
            let mut content = EpubContent::new(file.as_str(), empty);
            if let Some(entry) = entry {
                content = content.title(entry.label.as_str());
                for child in nav::toc_children(entry) {
                    content = content.child(child);
                }
                // The first listed chapter is the `bodymatter` landmark.
                if !bodymatter {
                    content = content.reftype(ReferenceType::Text);
                    bodymatter = true;
                }
            }
            b.add_content(content)?;
        }
        if key.notes {
            let content = EpubContent::new(NOTES_FILE, empty);
            let title = doc.meta.locale.plain("notes");
            b.add_content(content.title(title).reftype(ReferenceType::Notes))?;
        }
        let mut raw = Vec::new();
        b.generate(&mut raw)?;
        Ok(raw)
    })()
    .map_err(failed)
}

/// Heading and footnote anchors → the file that holds them.
fn anchor_map(doc: &Document, files: &[String]) -> DiagResult<BTreeMap<String, String>> {
    fn add(
        s: &Section,
        file: &str,
        map: &mut BTreeMap<String, String>,
        errs: &mut Vec<Diagnostic>,
    ) {
        let h = &s.heading;
        if !h.anchor.is_empty()
            && map.insert(h.anchor.clone(), file.to_string()).is_some()
        {
            errs.push(
                Diagnostic::error(
                    h.span.clone(),
                    format!("duplicate anchor `{}`", h.anchor),
                )
                .with_hint("give one of the headings a different `{#id}`"),
            );
        }
        for c in &s.children {
            add(c, file, map, errs);
        }
    }
    let mut map = BTreeMap::new();
    let mut errs = Vec::new();
    for (s, file) in doc.sections.iter().zip(files) {
        add(s, file, &mut map, &mut errs);
    }
    for note in &doc.footnotes {
        if map.insert(note.anchor.clone(), NOTES_FILE.to_string()).is_some() {
            errs.push(
                Diagnostic::error(
                    note.span.clone(),
                    format!("duplicate anchor `{}`", note.anchor),
                )
                .with_hint(format!(
                    "footnotes take the anchors `fn-1`, `fn-2`, …; give the heading with \
                     `{{#{}}}` another id",
                    note.anchor
                )),
            );
        }
    }
    if errs.is_empty() {
        Ok(map)
    } else {
        Err(errs)
    }
}

/// An epub-builder with the book's metadata and stylesheet, before any content.
fn builder(
    doc: &Document,
    key: &BuilderKey,
    w: &Writer,
) -> epub_builder::Result<EpubBuilder<ZipLibrary>> {
    let m = &doc.meta;
    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    b.set_title(book_title(doc));
    for author in &m.authors {
        b.add_author(author.as_str());
    }
    b.add_language(key.language.as_str());
    b.set_uuid(m.identifier);
    b.set_modified_date(m.timestamp);
    b.set_publication_date(m.issue_date.and_time(chrono::NaiveTime::MIN).and_utc());
    if let Some(d) = m.description.as_deref().filter(|d| !d.trim().is_empty()) {
        b.add_description(d);
    }
    for s in &m.subjects {
        b.add_subject(s.as_str());
    }
    b.set_generator(concat!("briefbook ", env!("CARGO_PKG_VERSION")));
    b.set_toc_name(m.locale.plain("contents"));
    // The crate does not escape `<meta>` content, so we do.
    for (property, content) in accessibility::metadata(doc, key, w) {
        b.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.into(),
            escape(&content),
        )));
    }
    // The real stylesheet is put in when packaging.
    b.stylesheet(&[][..])?;
    Ok(b)
}
