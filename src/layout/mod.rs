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
mod cache;
mod chart;
mod dump;
mod flow;
mod fonts;
mod frame;
mod furniture;
mod options;
mod paginate;
mod panels;
mod sections;
mod shape;
mod table;
pub mod tag;
mod text;
mod units;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use cache::LayoutCache;
pub use fonts::bundled_face;
pub use frame::{
    EmbeddedFont, FontId, Frame, FrameItem, Glyph, GlyphRun, LinkDest, OutlineEntry,
    Page, PagedDocument,
};
pub use options::{FontFile, LayoutOptions};
pub use units::{Color, Point, Pt, Size};

use crate::diag::{DiagResult, Diagnostic};
use crate::model::{Document, FlowPos, PagePlace};
use cache::{Chapter, Setup};
use flow::{Area, Ctx, Env};
use fonts::FontBook;
use shape::Shaper;

/// Lays out `doc` into pages. Returns the pages and the warnings found on the way
/// (missing glyphs, unreadable images, unknown fonts).
pub fn layout_document(
    doc: &Document,
    options: &LayoutOptions,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    layout_document_with(doc, options, &mut LayoutCache::one_shot())
}

/// [`layout_document`], reusing from `cache` the chapters (and the shaper) that did not
/// change since the build that filled it. The result is the same as with an empty cache.
pub fn layout_document_with(
    doc: &Document,
    options: &LayoutOptions,
    cache: &mut LayoutCache,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    match catch_unwind(AssertUnwindSafe(|| layout_impl(doc, options, cache))) {
        Ok(result) => result,
        Err(_) => {
            // The cache may be half updated.
            *cache = LayoutCache { one_shot: cache.one_shot, ..LayoutCache::default() };
            Err(vec![Diagnostic::spanless("internal error during page layout")
                .with_hint("please report this as a bug")])
        }
    }
}

fn layout_impl(
    doc: &Document,
    options: &LayoutOptions,
    cache: &mut LayoutCache,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    let page = Size::new(
        Pt::from_mm(options.page_width_mm),
        Pt::from_mm(options.page_height_mm),
    );
    let area = Area {
        left: Pt::from_mm(options.margin_left_mm),
        top: Pt::from_mm(options.margin_top_mm),
        width: page.width - Pt::from_mm(options.margin_left_mm + options.margin_right_mm),
        height: page.height
            - Pt::from_mm(options.margin_top_mm + options.margin_bottom_mm),
    };
    let body = Pt(options.font_size_pt);
    let margins = [
        options.margin_top_mm,
        options.margin_bottom_mm,
        options.margin_left_mm,
        options.margin_right_mm,
    ];
    let margins_ok = margins.iter().all(|m| m.is_finite() && *m >= 0.0);
    let fits = area.width.0 >= 72.0 && area.height.0 >= 144.0;
    let not_huge = page.width.0 <= 14400.0 && page.height.0 <= 14400.0;
    if !(margins_ok && fits && not_huge && (4.0..=48.0).contains(&body.0)) {
        return Err(vec![Diagnostic::spanless(
            "page too small for its margins, or type size out of range",
        )
        .with_hint(
            "margins must not be negative; the text area must be at least 1 × 2 in",
        )
        .with_hint(
            "pages may be at most 200 in on a side; the type size must be 4–48 pt",
        )]);
    }
    let furniture = match crate::template::Furniture::new(&options.furniture) {
        Ok(f) => f,
        Err(e) => {
            return Err(vec![Diagnostic::spanless(format!(
                "invalid page furniture template ({e})"
            ))
            .with_hint("check `[furniture]` in briefing.toml")])
        }
    };

    // 1. The shaper, kept while the options (font files included) and language stay the same.
    let same_setup = cache
        .setup
        .as_ref()
        .is_some_and(|s| s.options == *options && s.language == doc.meta.language);
    if !same_setup {
        let mut warnings = Vec::new();
        let book = FontBook::load(options, &mut warnings);
        let mut shaper = Shaper::new(book, options);
        shaper.set_language(&doc.meta.language);
        *cache = LayoutCache { one_shot: cache.one_shot, ..LayoutCache::default() };
        cache.setup = Some(Setup {
            options: options.clone(),
            language: doc.meta.language.clone(),
            shaper,
            warnings,
        });
    }
    let LayoutCache {
        setup,
        chapters,
        notes: note_cache,
        contents: contents_cache,
        decorations,
        lent_after,
        laid_out,
        one_shot,
    } = cache;
    let Some(setup) = setup else { unreachable!("the setup was just made") };
    let mut warnings = setup.warnings.clone();
    let shaper = &mut setup.shaper;
    shaper.take_warnings();
    let landscape = area.landscape(page);
    let geometry = Geometry { area, landscape, body, justify: options.justify };

    // 2. Footnotes, then chapters (laid out and paginated), each reused when unchanged.
    let fresh_notes = footnotes(doc, shaper, note_cache, geometry);
    let mut notes = paginate::Notes::new();
    for n in note_cache.iter() {
        warnings.extend(n.warnings.iter().cloned());
        if !n.chunks.is_empty() {
            notes.insert(n.note.ref_anchor.as_str(), n.chunks.as_slice());
        }
    }
    *laid_out =
        layout_chapters(doc, shaper, chapters, &notes, &fresh_notes, geometry, *one_shot);
    for c in chapters.iter() {
        warnings.extend(c.warnings.iter().cloned());
    }

    // 3. The contents page, again until the page numbers it shows are stable.
    let headings = cache::contents_headings(doc);
    if contents_cache.headings != headings {
        *contents_cache = cache::Contents { headings, passes: Vec::new() };
    }
    let mut passes = Vec::new();
    let mut anchor_pages = BTreeMap::new();
    loop {
        let known = contents_cache
            .passes
            .iter()
            .position(|p| p.anchor_pages == anchor_pages && p.warnings.is_empty());
        let pass = match known {
            Some(i) => contents_cache.passes.swap_remove(i),
            None => contents_pass(doc, shaper, anchor_pages, &notes, geometry),
        };
        let found = anchor_page_numbers(&pass.pages, chapters);
        let stable = found == pass.anchor_pages;
        anchor_pages = found;
        passes.push(pass);
        if stable || passes.len() == 4 {
            break;
        }
    }
    contents_cache.passes = passes;
    let Some(last) = contents_cache.passes.last() else {
        unreachable!("at least one pass was made")
    };
    let contents = last.pages.clone();
    warnings.extend(last.warnings.iter().cloned());

    // 4. The pages: cover, contents, chapters; then the running heads and feet.
    let cover = furniture::cover(shaper, &furniture.cover(&doc.meta), page, area, body);
    let mut pages =
        vec![Page { number: 1, size: page, frame: cover, place: PagePlace::Cover }];
    let mut running = vec![None];
    // The chapters' frames are lent to the pages, not copied; `LayoutCache::recycle`
    // takes them back after the book is written.
    *lent_after = 1 + contents.len();
    let chapter_pages = chapters
        .iter_mut()
        .enumerate()
        .flat_map(|(i, c)| c.lend().into_iter().map(move |p| (Some(i), p)));
    let mut last = None;
    for (chapter, content) in contents.into_iter().map(|p| (None, p)).chain(chapter_pages)
    {
        let size = match content.landscape {
            true => Size::new(page.height, page.width),
            false => page,
        };
        // A page showing no flow item of its own (notes carried over, a slice of a
        // tall table) begins inside the last item of the page before.
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
        pages.push(Page { number: pages.len() + 1, size, frame: content.frame, place });
        running.push(content.chapter);
    }
    warnings.extend(shaper.take_warnings());
    warnings.extend(furniture::decorate(
        &mut pages,
        &running,
        shaper,
        &furniture,
        &doc.meta,
        area,
        body,
        decorations,
    ));
    let outline = chapters.iter().flat_map(|c| c.outline.iter().cloned()).collect();
    let paged = PagedDocument { pages, fonts: shaper.book().embedded(), outline };
    Ok((paged, warnings))
}

/// The text area, the body size and whether body text is justified.
#[derive(Clone, Copy)]
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

fn context<'a>(
    doc: &'a Document,
    shaper: &'a mut Shaper,
    anchor_pages: &'a BTreeMap<String, usize>,
    g: Geometry,
) -> Ctx<'a> {
    Ctx {
        doc,
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

/// Lays out and paginates the contents with the page numbers in `anchor_pages`.
fn contents_pass(
    doc: &Document,
    shaper: &mut Shaper,
    anchor_pages: BTreeMap<String, usize>,
    notes: &paginate::Notes<'_>,
    g: Geometry,
) -> cache::ContentsPass {
    let mut ctx = context(doc, shaper, &anchor_pages, g);
    ctx.justify = true;
    let chunks = furniture::contents(&mut ctx, doc, g.env());
    let mut warnings = ctx.warnings;
    warnings.splice(0..0, shaper.take_warnings());
    let pages = match chunks.is_empty() {
        true => Vec::new(),
        false => paginate_chapter(&chunks, notes, g),
    };
    cache::ContentsPass { anchor_pages, pages, warnings }
}

/// Lays out the footnotes that changed; returns their ids.
fn footnotes(
    doc: &Document,
    shaper: &mut Shaper,
    cached: &mut Vec<cache::Note>,
    g: Geometry,
) -> BTreeSet<usize> {
    let no_pages = BTreeMap::new();
    let mut old: Vec<Option<cache::Note>> = cached.drain(..).map(Some).collect();
    let mut fresh = BTreeSet::new();
    for (i, note) in doc.footnotes.iter().enumerate() {
        // The note compares its images' bytes too (they are in the model).
        let hit = old.get_mut(i).and_then(|o| o.take_if(|o| o.note == *note));
        if let Some(hit) = hit {
            cached.push(hit);
            continue;
        }
        fresh.insert(i);
        let mut ctx = context(doc, shaper, &no_pages, g);
        let chunks = sections::footnote(&mut ctx, note, g.env());
        let mut warnings = ctx.warnings;
        warnings.splice(0..0, shaper.take_warnings());
        cached.push(cache::Note { note: note.clone(), chunks, warnings });
    }
    fresh
}

/// Lays out and paginates the chapters that changed, reusing the others (and
/// paginating again those whose notes changed); returns how many were laid out.
fn layout_chapters(
    doc: &Document,
    shaper: &mut Shaper,
    cached: &mut Vec<Chapter>,
    notes: &paginate::Notes<'_>,
    fresh_notes: &BTreeSet<usize>,
    g: Geometry,
    one_shot: bool,
) -> usize {
    let no_pages = BTreeMap::new();
    let mut old: Vec<Option<Chapter>> = cached.drain(..).map(Some).collect();
    let mut laid_out = 0;
    for (i, section) in doc.sections.iter().enumerate() {
        // The section compares its images' bytes too (they are in the model).
        let hit = old
            .get_mut(i)
            .and_then(|o| o.take_if(|o| o.section.as_ref() == Some(section)));
        if let Some(mut chapter) = hit {
            // Pages lent to a book that was not given back are made again.
            if chapter.lent || chapter.notes.iter().any(|n| fresh_notes.contains(n)) {
                chapter.pages = paginate_chapter(&chapter.chunks, notes, g);
                chapter.anchors = cache::page_anchors(&chapter.pages);
            }
            cached.push(chapter);
            continue;
        }
        laid_out += 1;
        let mut ctx = context(doc, shaper, &no_pages, g);
        let chunks = sections::chapter(&mut ctx, section, g.env());
        let (outline, mut warnings) = (ctx.outline, ctx.warnings);
        warnings.splice(0..0, shaper.take_warnings());
        let pages = paginate_chapter(&chunks, notes, g);
        // A one-shot build needs the pages only: the chunks (a second copy of every
        // glyph run's position) are freed at once.
        let notes_used = cache::section_notes(section);
        let (section, chunks) = match one_shot {
            true => (None, Vec::new()),
            false => (Some(section.clone()), chunks),
        };
        cached.push(Chapter {
            section,
            notes: notes_used,
            anchors: cache::page_anchors(&pages),
            chunks,
            outline,
            warnings,
            pages,
            lent: false,
            lent_lens: Vec::new(),
        });
    }
    laid_out
}

/// Paginates one chapter (or the contents) on pages of its own.
fn paginate_chapter(
    chunks: &[flow::Chunk],
    notes: &paginate::Notes<'_>,
    g: Geometry,
) -> Vec<flow::PageContent> {
    let refs: Vec<&flow::Chunk> = chunks.iter().collect();
    paginate::paginate(&refs, g.area, g.landscape, notes, g.body)
}

/// The physical page number of every anchor: the cover is page 1, the contents follow,
/// then the chapters (first placement wins).
fn anchor_page_numbers(
    contents: &[flow::PageContent],
    chapters: &[Chapter],
) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    let mut first = 2;
    for (name, i) in cache::page_anchors(contents) {
        map.entry(name).or_insert(first + i);
    }
    first += contents.len();
    for c in chapters {
        for (name, i) in &c.anchors {
            map.entry(name.clone()).or_insert(first + i);
        }
        first += c.pages.len();
    }
    map
}
