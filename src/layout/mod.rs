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
mod text;
mod units;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use fonts::bundled_face;
pub use frame::{
    EmbeddedFont, FontId, Frame, FrameItem, Glyph, GlyphRun, ImageFormat, LinkDest,
    OutlineEntry, Page, PagedDocument,
};
pub use options::LayoutOptions;
pub use units::{Color, Point, Pt, Size};

use crate::diag::{DiagResult, Diagnostic};
use crate::model::Document;
use flow::{Area, Ctx, Env};
use fonts::FontBook;
use shape::Shaper;

/// Lays out `doc` into pages. Returns the pages and the warnings found on the way
/// (missing glyphs, unreadable images, unknown fonts).
pub fn layout_document(
    doc: &Document,
    options: &LayoutOptions,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    match catch_unwind(AssertUnwindSafe(|| layout_impl(doc, options))) {
        Ok(result) => result,
        Err(_) => Err(vec![Diagnostic::spanless("internal error during page layout")
            .with_hint("please report this as a bug")]),
    }
}

fn layout_impl(
    doc: &Document,
    options: &LayoutOptions,
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
    let mut warnings = Vec::new();
    let book = FontBook::load(options, &mut warnings);
    let mut shaper = Shaper::new(book, options);
    shaper.set_language(&doc.meta.language);

    // The chapters do not depend on page numbers: lay them out once. Only the contents
    // page (which shows page numbers) and the pagination are repeated until the numbers
    // are stable.
    let no_pages = BTreeMap::new();
    let mut ctx = Ctx {
        doc,
        shaper: &mut shaper,
        area_height: area.height,
        landscape: area.landscape(page),
        anchor_pages: &no_pages,
        outline: Vec::new(),
        warnings: Vec::new(),
        justify: options.justify,
    };
    let env = Env { x: Pt::ZERO, width: area.width, size: body };
    let mut chapters = Vec::new();
    for section in &doc.sections {
        chapters.extend(sections::chapter(&mut ctx, section, env));
    }
    let notes = sections::footnotes(&mut ctx, env);
    let (outline, chapter_warnings) = (ctx.outline, ctx.warnings);
    let body_part = Body { chapters: &chapters, notes: &notes, outline: &outline };

    let furniture = match crate::template::Furniture::new(&options.furniture) {
        Ok(f) => f,
        Err(e) => {
            return Err(vec![Diagnostic::spanless(format!(
                "invalid page furniture template ({e})"
            ))
            .with_hint("check `[furniture]` in briefing.toml")])
        }
    };
    let mut anchor_pages = BTreeMap::new();
    let mut last = None;
    for _pass in 0..4 {
        // Only one laid-out document is held at a time.
        drop(last.take());
        let (paged, pass_warnings) = layout_pass(
            doc,
            &mut shaper,
            &anchor_pages,
            &body_part,
            &furniture,
            Geometry(page, area, body),
        );
        let found = anchor_page_numbers(&paged);
        let stable = found == anchor_pages;
        anchor_pages = found;
        last = Some((paged, pass_warnings));
        if stable {
            break;
        }
    }
    let Some((paged, pass_warnings)) = last else {
        return Err(vec![Diagnostic::spanless("layout produced no pages")
            .with_hint("please report this as a bug")]);
    };
    warnings.append(&mut shaper.warnings);
    warnings.extend(chapter_warnings);
    warnings.extend(pass_warnings);
    Ok((paged, warnings))
}

/// The chapters, laid out once.
struct Body<'a> {
    chapters: &'a [flow::Chunk],
    notes: &'a paginate::Notes,
    outline: &'a [OutlineEntry],
}

/// Page size, text area and body type size, passed together.
struct Geometry(Size, Area, Pt);

fn layout_pass(
    doc: &Document,
    shaper: &mut Shaper,
    anchor_pages: &BTreeMap<String, usize>,
    part: &Body<'_>,
    furniture: &crate::template::Furniture,
    Geometry(page, area, body): Geometry,
) -> (PagedDocument, Vec<Diagnostic>) {
    let mut ctx = Ctx {
        doc,
        shaper,
        area_height: area.height,
        landscape: area.landscape(page),
        anchor_pages,
        outline: Vec::new(),
        warnings: Vec::new(),
        // The contents page has no body paragraphs.
        justify: true,
    };
    let env = Env { x: Pt::ZERO, width: area.width, size: body };
    let contents = furniture::contents(&mut ctx, doc, env);
    let chunks: Vec<&flow::Chunk> = contents.iter().chain(part.chapters).collect();
    let contents =
        paginate::paginate(&chunks, area, area.landscape(page), part.notes, body);

    let cover =
        furniture::cover(ctx.shaper, &furniture.cover(&doc.meta), page, area, body);
    let mut pages = vec![Page { number: 1, size: page, frame: cover }];
    let mut chapters = vec![None];
    for (i, content) in contents.into_iter().enumerate() {
        let size =
            if content.landscape { Size::new(page.height, page.width) } else { page };
        pages.push(Page { number: i + 2, size, frame: content.frame });
        chapters.push(content.chapter);
    }
    furniture::decorate(
        &mut pages, &chapters, ctx.shaper, furniture, &doc.meta, area, body,
    );
    let paged = PagedDocument {
        pages,
        fonts: ctx.shaper.book().embedded(),
        outline: part.outline.to_vec(),
    };
    (paged, ctx.warnings)
}

fn anchor_page_numbers(paged: &PagedDocument) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for page in &paged.pages {
        for (_, item) in &page.frame.items {
            if let FrameItem::Anchor(name) = item {
                map.entry(name.clone()).or_insert(page.number);
            }
        }
    }
    map
}
