//! Layout: the document model laid out into pages of positioned glyphs and shapes.
//!
//! 1. Load the font faces (`fonts`) and set up the shaper (`shape`).
//! 2. Turn the contents page and every chapter into chunks (`sections`, `blocks`,
//!    `panels`, `table`); paragraphs are broken into lines by `text`.
//! 3. Distribute the chunks over pages (`paginate`), with footnotes at the foot of the
//!    page that first refers to them; put the cover first and add the page furniture
//!    (`furniture`).
//! 4. Repeat while the page numbers on the contents page change (at most four passes).

mod blocks;
mod chart;
mod columns;
mod cover;
mod dump;
mod edition;
mod flow;
mod fonts;
mod frame;
mod furniture;
mod glyph_text;
mod inputs;
mod paginate;
mod panels;
mod sections;
mod shape;
mod shapers;
mod slots;
mod table;
pub mod tag;
mod text;
mod watermark;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use rayon::prelude::*;

pub use crate::config::bundled_face;
pub use crate::config::{FontFile, LayoutOptions};
pub use crate::geom::{Color, Mm, Point, Pt, Sides, Size};
pub use edition::{CopyLayout, Edition};
pub use frame::{
    EmbeddedFont, FontId, Frame, FrameItem, Glyph, GlyphRun, LinkDest, OutlineEntry,
    Page, PagedDocument, Path, Watermark,
};
pub use glyph_text::GlyphText;

use crate::config::Invalid;
use crate::diag::{DiagResult, Diagnostic};
use crate::memo::{hash128, Memo};
use crate::model::{Document, FlowPos, PagePlace};
use flow::{Area, Chunk, Ctx, Env, Mark};
use fonts::FontBook;
use inputs::NotesView;
use shape::Shaper;
use shapers::Shapers;

/// Lays out `doc` into pages. Returns the pages and the warnings found on the way
/// (missing glyphs, unreadable images, unknown fonts).
pub fn layout_document(
    doc: &Document,
    options: &LayoutOptions,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    layout_document_with(doc, options, &Memo::new())
}

/// [`layout_document`], reusing from `memo` every step whose inputs are unchanged: the
/// fonts, each footnote, each chapter (laid out and paginated), each pass over the
/// contents page, the cover and each page's furniture. The result is the same as with an
/// empty memo.
pub fn layout_document_with(
    doc: &Document,
    options: &LayoutOptions,
    memo: &Memo,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    let (edition, warnings) = layout_edition(doc, options, memo)?;
    Ok((edition.into_paged(), warnings))
}

/// [`layout_document_with`], keeping what the edition's numbered copies are made from
/// (see [`Edition::copy`]).
pub fn layout_edition(
    doc: &Document,
    options: &LayoutOptions,
    memo: &Memo,
) -> DiagResult<(Edition, Vec<Diagnostic>)> {
    match catch_unwind(AssertUnwindSafe(|| layout_impl(doc, options, memo))) {
        Ok(result) => result,
        Err(_) => Err(vec![Diagnostic::spanless("internal error during page layout")
            .with_hint("please report this as a bug")]),
    }
}

/// The fonts and the shapers (with their shaped words and hyphenation points, pure
/// functions of the word and style), made once per set of layout options and book language.
struct Setup {
    shapers: Shapers,
    /// Warnings from loading the fonts (repeated on every build).
    warnings: Vec<Diagnostic>,
}

fn setup(options: &LayoutOptions, language: &str) -> Setup {
    let mut warnings = Vec::new();
    let book = FontBook::load(options, &mut warnings);
    let mut shaper = Shaper::new(book, options);
    shaper.set_language(language);
    Setup { shapers: Shapers::new(shaper), warnings }
}

/// A chapter laid out on pages of its own.
struct ChapterLayout {
    pages: Vec<ChapterPage>,
    outline: Vec<OutlineEntry>,
    warnings: Vec<Diagnostic>,
    /// Where its anchors landed (page index within the chapter).
    anchors: Vec<(String, usize)>,
}

/// One page of a chapter (or of the contents).
struct ChapterPage {
    frame: Arc<Frame>,
    /// The chapter running at the top of the page.
    chapter: Option<String>,
    landscape: bool,
    marks: Option<(Mark, Mark)>,
}

/// A footnote laid out as chunks, to be placed at the foot of a page.
struct NoteLayout {
    chunks: Vec<Chunk>,
    warnings: Vec<Diagnostic>,
}

fn layout_impl(
    doc: &Document,
    options: &LayoutOptions,
    memo: &Memo,
) -> DiagResult<(Edition, Vec<Diagnostic>)> {
    let page = Size::new(options.page_width.to_pt(), options.page_height.to_pt());
    // Two margins are summed in millimetres and converted once: the text area's last bit
    // depends on the order of these operations.
    let m = options.margins;
    let area = Area {
        left: m.left.to_pt(),
        top: m.top.to_pt(),
        width: page.width - (m.left + m.right).to_pt(),
        height: page.height - (m.top + m.bottom).to_pt(),
    };
    let body = options.font_size;
    if let Err(problem) = options.validate() {
        let what = match problem {
            Invalid::PageSize | Invalid::Margins => "the page leaves no room for text",
            Invalid::FontSize => "the type size is out of range",
        };
        return Err(vec![Diagnostic::spanless(what).with_hint(problem.hint())]);
    }
    let furniture = match crate::config::Furniture::new(&options.furniture) {
        Ok(f) => f,
        Err(e) => {
            return Err(vec![Diagnostic::spanless(format!(
                "invalid page furniture template ({e})"
            ))
            .with_hint("check `[furniture]` in briefing.toml")])
        }
    };

    // 1. The fonts and shaper: every later step's key holds `fonts`, the key of this one.
    let language = doc.meta.language.as_str();
    let fonts = hash128(&(options, language));
    let setup = memo.get_or("fonts", &fonts, || setup(options, language));
    let shapers = &setup.shapers;
    let mut warnings = setup.warnings.clone();
    // Every later step also sees the book's words (labels, separators): from here on
    // `fonts` keys both.
    let locale = &doc.meta.locale;
    let fonts = hash128(&(fonts, locale));
    let landscape = area.landscape(page);
    let g = Geometry { area, landscape, body, justify: options.justify };

    // 2. Footnotes, then chapters (laid out and paginated with the notes they refer to),
    //    each on whichever thread is free: the results come back in the book's order.
    let notes: Vec<Arc<NoteLayout>> = doc
        .footnotes
        .par_iter()
        .map(|note| footnote(doc, note, shapers, fonts, g, memo))
        .collect();
    for n in &notes {
        warnings.extend(n.warnings.iter().cloned());
    }
    let (chapter_keys, chapters): (Vec<u128>, Vec<Arc<ChapterLayout>>) = doc
        .sections
        .par_iter()
        .map(|section| chapter(doc, section, &notes, shapers, fonts, g, memo))
        .unzip();
    for c in &chapters {
        warnings.extend(c.warnings.iter().cloned());
    }
    // The rest runs on this thread, with one shaper.
    let mut own = shapers.take();
    let shaper = &mut own;

    // 3. The contents page, again until the page numbers it shows are stable.
    let headings = inputs::contents_headings(doc);
    let heading_notes = {
        let mut ids = std::collections::BTreeSet::new();
        for (_, h) in &headings {
            inputs::inline_notes(&h.content, &mut ids);
        }
        NotesView::of(doc, &ids)
    };
    let mut anchor_pages = BTreeMap::new();
    let mut passes = 0;
    let (contents_key, contents) = loop {
        let inputs = (fonts, g, &headings, &heading_notes, &anchor_pages);
        let (key, pass) = memo.get_or_valid_keyed(
            "contents",
            &inputs,
            |p: &ChapterLayout| p.warnings.is_empty(),
            || {
                contents_pass(
                    language,
                    locale,
                    &headings,
                    &heading_notes,
                    shaper,
                    &anchor_pages,
                    g,
                )
            },
        );
        passes += 1;
        let found = anchor_page_numbers(&pass, &chapters);
        let stable = found == anchor_pages;
        anchor_pages = found;
        if stable || passes == 4 {
            break (key, pass);
        }
    };
    warnings.extend(contents.warnings.iter().cloned());

    // 4. The pages: contents, chapters; then the cover and the running heads and feet.
    let mut pages: Vec<Page> = Vec::new();
    let mut running = vec![None];
    // With a marking per page, each page carries the highest level of what it shows
    // (the cover and the contents, the book's).
    let mut markings: Vec<Option<String>> = vec![None];
    let page_marking = doc.page_marking.as_ref();
    // A page's key: the key of the step that made it and its index there.
    let chapter_pages =
        chapters.iter().zip(&chapter_keys).enumerate().flat_map(|(i, (c, &key))| {
            c.pages.iter().enumerate().map(move |(k, p)| (Some(i), key, k, p))
        });
    let mut last = None;
    for (chapter, made_by, index, content) in contents
        .pages
        .iter()
        .enumerate()
        .map(|(k, p)| (None, contents_key, k, p))
        .chain(chapter_pages)
    {
        let size = match content.landscape {
            true => Size::new(page.height, page.width),
            false => page,
        };
        // A page showing no flow item of its own (notes carried over, a slice of a
        // tall table) begins inside the last item of the page before.
        let shown = match (chapter, content.marks) {
            (Some(c), Some((first, end))) => {
                Some((c, first.place(c).item, end.place(c).item))
            }
            (Some(c), None) => last.map(|p: FlowPos| (c, p.item, p.item)),
            (None, _) => None,
        };
        markings.push(
            page_marking
                .zip(shown)
                .and_then(|(m, (c, a, b))| m.of_items(c, a, b))
                .map(str::to_string),
        );
        let place = match (chapter, content.marks) {
            (None, _) => PagePlace::Contents,
            (Some(c), Some((first, end))) => {
                last = Some(end.place(c));
                PagePlace::Flow(first.place(c))
            }
            (Some(c), None) => match last {
                Some(pos) => PagePlace::Flow(FlowPos { row: None, inside: true, ..pos }),
                None => PagePlace::Flow(FlowPos {
                    chapter: c,
                    item: 0,
                    row: None,
                    inside: true,
                }),
            },
        };
        let body_key = hash128(&(made_by, index, size));
        pages.push(Page {
            number: pages.len() + 2,
            size,
            body: content.frame.clone(),
            furniture: Frame::default(),
            place,
            key: body_key,
            body_key,
            watermark: None,
        });
        running.push(content.chapter.clone());
    }
    let outline = chapters.iter().flat_map(|c| c.outline.iter().cloned()).collect();
    let parts = edition::Parts {
        meta: doc.meta.clone(),
        setup: setup.clone(),
        fonts,
        furniture,
        page,
        area,
        body,
        pages,
        running,
        markings,
        fonts_embedded: shaper.book().embedded(),
        outline,
    };
    let (edition, found) = Edition::new(parts, shaper, memo);
    warnings.extend(found);
    shapers.give(own);
    Ok((edition, warnings))
}

/// The text area, the body size and whether body text is justified.
#[derive(Clone, Copy, Hash)]
struct Geometry {
    area: Area,
    /// The text area of a landscape page (for tables too wide for the page).
    landscape: Area,
    body: Pt,
    justify: bool,
}

impl Geometry {
    /// The whole text width at body size.
    fn env(self) -> Env {
        Env { x: Pt::ZERO, width: self.area.width, size: self.body }
    }
}

/// [`context`] with the book's language and locale.
fn book_context<'a>(
    doc: &'a Document,
    notes: &'a NotesView,
    shaper: &'a mut Shaper,
    anchor_pages: &'a BTreeMap<String, usize>,
    g: Geometry,
) -> Ctx<'a> {
    context(&doc.meta.language, &doc.meta.locale, notes, shaper, anchor_pages, g)
}

fn context<'a>(
    language: &'a str,
    locale: &'a crate::locale::Locale,
    notes: &'a NotesView,
    shaper: &'a mut Shaper,
    anchor_pages: &'a BTreeMap<String, usize>,
    g: Geometry,
) -> Ctx<'a> {
    Ctx {
        notes,
        locale,
        language,
        shaper,
        area_height: g.area.height,
        landscape: g.landscape,
        anchor_pages,
        outline: Vec::new(),
        warnings: Vec::new(),
        justify: g.justify,
        level: 1,
    }
}

/// Lays out one footnote (a memoized step: the note, the notes it refers to, the fonts
/// and the geometry).
fn footnote(
    doc: &Document,
    note: &crate::model::Footnote,
    shapers: &Shapers,
    fonts: u128,
    g: Geometry,
    memo: &Memo,
) -> Arc<NoteLayout> {
    let refs = NotesView::of(doc, &inputs::block_notes(&note.blocks));
    memo.get_or("note", &(fonts, g, note, &refs), || {
        shapers.with(|shaper| {
            let no_pages = BTreeMap::new();
            let mut ctx = book_context(doc, &refs, shaper, &no_pages, g);
            let chunks = sections::footnote(&mut ctx, note, g.env());
            let mut warnings = ctx.warnings;
            warnings.splice(0..0, shaper.take_warnings());
            NoteLayout { chunks, warnings }
        })
    })
}

/// Lays out and paginates one chapter (a memoized step: the section, the footnotes it
/// refers to — as its references show them and as laid out — the fonts and the geometry).
fn chapter(
    doc: &Document,
    section: &crate::model::Section,
    notes: &[Arc<NoteLayout>],
    shapers: &Shapers,
    fonts: u128,
    g: Geometry,
    memo: &Memo,
) -> (u128, Arc<ChapterLayout>) {
    let ids = inputs::section_notes(section);
    let refs = NotesView::of(doc, &ids);
    // The notes placed on the chapter's pages, by their first reference's anchor.
    let placed: Vec<(&str, &NoteLayout)> = ids
        .iter()
        .filter_map(|&id| Some((doc.footnotes.get(id)?.ref_anchor.as_str(), &*notes[id])))
        .collect();
    let note_keys: Vec<(&str, &crate::model::Footnote)> = ids
        .iter()
        .filter_map(|&id| doc.footnotes.get(id).map(|n| (n.ref_anchor.as_str(), n)))
        .collect();
    memo.get_keyed("layout", &(fonts, g, section, &refs, &note_keys), || {
        shapers.with(|shaper| {
            let no_pages = BTreeMap::new();
            let mut ctx = book_context(doc, &refs, shaper, &no_pages, g);
            let chunks = sections::chapter(&mut ctx, section, g.env());
            let (outline, mut warnings) = (ctx.outline, ctx.warnings);
            warnings.splice(0..0, shaper.take_warnings());
            let notes: paginate::Notes<'_> = placed
                .iter()
                .filter(|(_, n)| !n.chunks.is_empty())
                .map(|&(anchor, n)| (anchor, n.chunks.as_slice()))
                .collect();
            let (pages, anchors) = paginate_chapter(&chunks, &notes, g);
            ChapterLayout { pages, outline, warnings, anchors }
        })
    })
}

/// Lays out and paginates the contents with the page numbers in `anchor_pages`.
fn contents_pass(
    language: &str,
    locale: &crate::locale::Locale,
    headings: &[(usize, crate::model::Heading)],
    notes: &NotesView,
    shaper: &mut Shaper,
    anchor_pages: &BTreeMap<String, usize>,
    g: Geometry,
) -> ChapterLayout {
    let mut ctx = context(language, locale, notes, shaper, anchor_pages, g);
    ctx.justify = true;
    let chunks = furniture::contents(&mut ctx, headings, g.env());
    let mut warnings = ctx.warnings;
    warnings.splice(0..0, shaper.take_warnings());
    let (pages, anchors) = match chunks.is_empty() {
        true => (Vec::new(), Vec::new()),
        false => paginate_chapter(&chunks, &paginate::Notes::new(), g),
    };
    ChapterLayout { pages, outline: Vec::new(), warnings, anchors }
}

/// Paginates one chapter (or the contents) on pages of its own; returns the pages and
/// where each anchor landed.
fn paginate_chapter(
    chunks: &[Chunk],
    notes: &paginate::Notes<'_>,
    g: Geometry,
) -> (Vec<ChapterPage>, Vec<(String, usize)>) {
    let refs: Vec<&Chunk> = chunks.iter().collect();
    let pages = paginate::paginate(&refs, g.area, g.landscape, notes, g.body);
    let anchors = inputs::page_anchors(&pages);
    let pages = pages
        .into_iter()
        .map(|mut p| ChapterPage {
            // Pages are kept for the session: a frame grown item by item would keep up
            // to half its room empty.
            frame: Arc::new({
                p.frame.items.shrink_to_fit();
                p.frame
            }),
            chapter: p.chapter,
            landscape: p.landscape,
            marks: p.marks,
        })
        .collect();
    (pages, anchors)
}

/// The physical page number of every anchor: the cover is page 1, the contents follow,
/// then the chapters (first placement wins).
fn anchor_page_numbers(
    contents: &ChapterLayout,
    chapters: &[Arc<ChapterLayout>],
) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    let mut first = 2;
    for c in std::iter::once(contents).chain(chapters.iter().map(|c| &**c)) {
        for (name, i) in &c.anchors {
            map.entry(name.clone()).or_insert(first + i);
        }
        first += c.pages.len();
    }
    map
}
