//! Page furniture: the cover, the contents page, and the marking, running head and page
//! number printed in the margins.

use super::flow::{Area, Chunk, Ctx, Env};
use super::frame::{Frame, FrameItem, GlyphRun, LinkDest, Page};
use super::shape::{Role, Shaper, TextStyle};
use super::tag::{self, Element as Tagged, StructRole};
use super::text::{self, Piece};
use super::units::{Color, Point, Pt, Size};
use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::model::{Align, Document, Meta};
use crate::template::{
    furniture_context, CoverLine, CoverRegion, CoverStyle, Furniture, FurnitureBook,
};

/// Places lines of text at `y` (top) in `area`; returns the y below them.
fn block_at(
    frame: &mut Frame,
    shaper: &mut Shaper,
    p: &[Piece],
    area: Area,
    y: Pt,
    align: Align,
    leading: f64,
) -> Pt {
    let mut y = y;
    for line in text::layout(shaper, p, area.width, align, leading) {
        for (pos, item) in line.items {
            frame.push(Point::new(area.left + pos.x, y + pos.y), item);
        }
        y += line.height;
    }
    y
}

/// The cover page, from the elements of the cover template: each region's elements are
/// stacked top to bottom; `header` and `footer` are centred in the margins (where the
/// marking sits on every other page), `top` starts at the top of the text area, `middle`
/// at 28% of its height (higher if it would otherwise run into the foot), and `foot` ends
/// at the foot of the text area.
pub fn cover(
    shaper: &mut Shaper,
    lines: &[CoverLine],
    page: Size,
    area: Area,
    body: Pt,
) -> Frame {
    let mut f = Frame::default();
    let regions = [
        CoverRegion::Header,
        CoverRegion::Top,
        CoverRegion::Middle,
        CoverRegion::Foot,
        CoverRegion::Footer,
    ];
    let mut stacks: Vec<Vec<Element>> = Vec::new();
    for region in regions {
        let mut stack: Vec<Element> = Vec::new();
        for line in lines.iter().filter(|l| l.region == region) {
            if line.style == CoverStyle::Band {
                let y = if line.text == "bottom" { page.height - BAND } else { Pt::ZERO };
                let size = Size::new(page.width, BAND);
                let band =
                    FrameItem::Rect { size, fill: Some(Color::ACCENT), stroke: None };
                f.push(Point::new(Pt::ZERO, y), band);
                continue;
            }
            let mut e = element(shaper, line, area, body);
            if stack.is_empty() {
                e.space_before = Pt::ZERO;
            }
            stack.push(e);
        }
        stacks.push(stack);
    }
    let heights: Vec<Pt> = stacks
        .iter()
        .map(|s| s.iter().map(|e| e.space_before + e.height).sum())
        .collect();
    let bottom_margin = page.height - area.top - area.height;
    let top = area.top + Pt(10.0);
    let foot = area.top + area.height - heights[3];
    // A long title block moves up rather than run into the foot, but not into the top.
    let middle = (area.top + area.height * 0.28)
        .min(foot - heights[2] - body)
        .max(top + heights[1] + body);
    for (k, stack) in stacks.into_iter().enumerate() {
        // In the margins, the first line sits where the running heads' marking does.
        let first = stack.first().map_or(Pt::ZERO, |e| e.height);
        let centre = (heights[k] - first) / 2.0;
        let mut y = match regions[k] {
            CoverRegion::Header => (area.top / 2.0 - body * 0.6 - centre).max(Pt(2.0)),
            CoverRegion::Top => top,
            CoverRegion::Middle => middle,
            CoverRegion::Foot => foot,
            CoverRegion::Footer => {
                page.height - bottom_margin / 2.0 - body * 0.6 - centre
            }
        };
        for e in stack {
            y += e.space_before;
            for (p, item) in e.items {
                f.push(Point::new(p.x, y + p.y), item);
            }
            y += e.height;
        }
    }
    f
}

/// The height of the cover's accent band.
const BAND: Pt = Pt(8.0);

/// One cover element, set at y = 0.
struct Element {
    items: Vec<(Point, FrameItem)>,
    height: Pt,
    space_before: Pt,
}

/// Sets one cover element in the width of the text area.
fn element(shaper: &mut Shaper, line: &CoverLine, area: Area, body: Pt) -> Element {
    let sans = TextStyle::new(Role::Heading, body);
    let (style, text, align, leading, space_before) = match line.style {
        CoverStyle::Rule => {
            let rule = FrameItem::Line {
                delta: Point::new(Pt(72.0), Pt::ZERO),
                color: Color::ACCENT,
                width: Pt(2.0),
            };
            let items = vec![(Point::new(area.left, Pt::ZERO), rule)];
            return Element { items, height: body * 1.5, space_before: body * 1.5 };
        }
        CoverStyle::Spacer | CoverStyle::Band => {
            let n = line.text.parse::<f64>().unwrap_or(1.0).clamp(0.0, 40.0);
            return Element { items: vec![], height: body * n, space_before: Pt::ZERO };
        }
        CoverStyle::Marking => {
            let s = sans.sized(body * 0.85).bold().color(Color::RED);
            (s, line.text.to_uppercase(), Align::Center, 1.2, Pt::ZERO)
        }
        CoverStyle::Organisation => {
            let s = sans.sized(body * 1.1).bold().color(Color::GREY);
            (s, line.text.to_uppercase(), Align::Left, 1.3, Pt::ZERO)
        }
        CoverStyle::Title => {
            let s = sans.sized(body * 2.8).bold().color(Color::ACCENT);
            (s, line.text.clone(), Align::Left, 1.15, Pt::ZERO)
        }
        CoverStyle::Subtitle => {
            let s = sans.sized(body * 1.5).color(Color::GREY);
            (s, line.text.clone(), Align::Left, 1.25, body * 0.4)
        }
        CoverStyle::Event => (
            sans.sized(body * 1.15).bold(),
            line.text.clone(),
            Align::Left,
            1.4,
            Pt::ZERO,
        ),
        CoverStyle::Meta => {
            (sans.sized(body * 1.15), line.text.clone(), Align::Left, 1.4, Pt::ZERO)
        }
        CoverStyle::Small => {
            let s = sans.sized(body * 0.9).color(Color::GREY);
            (s, line.text.clone(), Align::Left, 1.3, Pt::ZERO)
        }
    };
    let mut f = Frame::default();
    let inner = Area { top: Pt::ZERO, ..area };
    let height = block_at(
        &mut f,
        shaper,
        &[Piece::plain(text, style)],
        inner,
        Pt::ZERO,
        align,
        leading,
    );
    // The cover's lines are content (the marking too, once); the title is its heading.
    let role = match line.style {
        CoverStyle::Title => StructRole::H(1),
        _ => StructRole::P,
    };
    if !f.items.is_empty() {
        tag::wrap_items(&mut f.items, Tagged::new(role));
    }
    Element { items: f.items, height, space_before }
}

/// Adds the running heads and feet of `[furniture]` (by default the marking at top and
/// bottom, the chapter title and "Page N of M") to every page but the cover.
///
/// The furniture of a page is taken from `cache` when the page's number, the page
/// count, the running chapter and the page size are the same as in the build that
/// set it (and the book's facts, the text area and the type size too).
#[allow(clippy::too_many_arguments)]
pub fn decorate(
    pages: &mut [Page],
    chapters: &[Option<String>],
    shaper: &mut Shaper,
    furniture: &Furniture,
    meta: &Meta,
    area: Area,
    body: Pt,
    cache: &mut Decorations,
) -> Vec<Diagnostic> {
    let total = pages.len();
    let portrait = pages.first().map(|p| p.size);
    let book = FurnitureBook::from(meta);
    let setting = (book.clone(), [area.left, area.top, area.width, area.height, body]);
    if cache.setting.as_ref() != Some(&setting) {
        *cache = Decorations { setting: Some(setting), ..Default::default() };
    }
    let mut used = HashMap::with_capacity(pages.len());
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        let chapter = chapters.get(i).cloned().flatten().unwrap_or_default();
        let size = (page.size.width.0.to_bits(), page.size.height.0.to_bits());
        let key = (page.number, total, chapter, size);
        let entry = match cache.pages.remove(&key) {
            Some(entry) => entry,
            None => {
                let context = furniture_context(&book, page.number, total, &key.2);
                // Landscape pages (wide tables) keep the margins where the reader
                // expects them.
                let area = match portrait {
                    Some(size) if size != page.size => area.landscape(size),
                    _ => area,
                };
                let items =
                    page_furniture(page.size, &context, shaper, furniture, area, body);
                (items, shaper.take_warnings())
            }
        };
        page.frame.items.extend(entry.0.iter().cloned());
        // A character no font has is reported once, whichever page shows it first.
        for d in &entry.1 {
            if !warnings.iter().any(|seen| seen.message == d.message) {
                warnings.push(d.clone());
            }
        }
        used.insert(key, entry);
    }
    // Only what this build used is kept.
    cache.pages = used;
    warnings
}

/// The running head and foot of one page.
fn page_furniture(
    page: Size,
    context: &serde_json::Value,
    shaper: &mut Shaper,
    furniture: &Furniture,
    area: Area,
    body: Pt,
) -> Vec<(Point, FrameItem)> {
    // Centre slots are set like the marking; the side slots small and grey.
    let centre = TextStyle::new(Role::Heading, body * 0.85).bold().color(Color::RED);
    let side = TextStyle::new(Role::Heading, body * 0.75).color(Color::GREY);
    let bottom_margin = page.height - area.top - area.height;
    let rows = [
        ((area.top / 2.0 - body * 0.6).max(Pt(2.0)), 0),
        (page.height - bottom_margin / 2.0 - body * 0.6, 3),
    ];
    let mut f = Frame::default();
    for (y, first) in rows {
        for (k, align) in
            [Align::Left, Align::Center, Align::Right].into_iter().enumerate()
        {
            let text = furniture.render(first + k, context);
            if text.is_empty() {
                continue;
            }
            let style = if align == Align::Center { centre } else { side };
            // A side slot too long to sit beside the centre one is left out rather
            // than run into it (long chapter titles in the running foot).
            if align != Align::Center
                && shaper.shape(&text, &style).width > area.width * 0.3
            {
                continue;
            }
            // The smaller side text starts a little lower so the baselines line up.
            let top = if align == Align::Center { y } else { y + body * 0.1 };
            block_at(&mut f, shaper, &[Piece::plain(text, style)], area, top, align, 1.2);
        }
    }
    // Running heads and feet repeat on every page: furniture, not content.
    tag::wrap_items(&mut f.items, Tagged::new(StructRole::Artifact));
    f.items
}

/// Page furniture set by earlier builds, by page number, page count, running chapter and
/// page size.
#[derive(Default)]
pub struct Decorations {
    /// The book facts, text area and type size the furniture was set for.
    setting: Option<(FurnitureBook, [Pt; 5])>,
    pages: HashMap<PageKey, Decoration>,
}

/// One page's furniture and the warnings setting it gave.
type Decoration = (Vec<(Point, FrameItem)>, Vec<Diagnostic>);

/// Page number, page count, running chapter, page size (as bits).
type PageKey = (usize, usize, String, (u64, u64));

/// The contents page: one entry per chapter and section, with page numbers and links.
pub fn contents(ctx: &mut Ctx<'_>, doc: &Document, env: Env) -> Vec<Chunk> {
    let entries: Vec<_> =
        doc.walk().into_iter().filter(|(d, s)| *d <= 1 && s.heading.in_toc).collect();
    if entries.is_empty() {
        return vec![];
    }
    let size = env.size * 2.0;
    let title = TextStyle::new(Role::Heading, size).bold().color(Color::ACCENT);
    let mut out = super::blocks::pieces(
        ctx,
        &[Piece::plain("Contents", title)],
        env,
        Align::Left,
        1.25,
    );
    if let Some(first) = out.first_mut() {
        first.break_before = true;
        first.chapter = Some("Contents".into());
    }
    tag::wrap(&mut out, Tagged::new(StructRole::H(1)));
    if let Some(last) = out.last_mut() {
        last.height += size * 0.6;
    }
    let heading_chunks = out.len();
    for (depth, s) in entries {
        let h = &s.heading;
        let style = if depth == 0 {
            TextStyle::new(Role::Heading, env.size).bold()
        } else {
            TextStyle::new(Role::Body, env.size)
        };
        let indent = if depth == 0 { Pt::ZERO } else { env.size * 2.2 };
        let num_w = env.size * 3.0;
        let inner = Env {
            x: env.x + indent,
            width: (env.width - indent - num_w).max(Pt(40.0)),
            size: env.size,
        };
        let mut p = Vec::new();
        if let Some(label) = h.number_label() {
            p.push(Piece::plain(format!("{label}\u{2002}"), style));
        }
        p.extend(super::blocks::styled(ctx, &h.content, style));
        // Links inside headings would fight with the entry's own link.
        p.iter_mut().for_each(|piece| piece.link = None);
        let lines = text::layout(ctx.shaper, &p, inner.width, Align::Left, 1.4);
        let last_width = lines.last().map_or(Pt::ZERO, |l| l.width);
        let mut chunks = super::blocks::line_chunks(lines, inner.x);
        let page =
            ctx.anchor_pages.get(&h.anchor).map_or("–".to_string(), usize::to_string);
        let count = chunks.len();
        let mut height = Pt::ZERO;
        for c in &chunks {
            height += c.height;
        }
        if let Some(first) = chunks.first_mut() {
            first.space_before = if depth == 0 { env.size * 0.7 } else { env.size * 0.1 };
            let link = FrameItem::Link {
                size: Size::new(env.width - indent, height),
                target: LinkDest::Anchor(h.anchor.clone()),
            };
            // The entry's link annotation belongs to the entry's Link element.
            first.items.insert(0, (Point::new(env.x + indent, Pt::ZERO), link));
        }
        if let Some(last) = chunks.last_mut() {
            let shaped = ctx.shaper.shape(&page, &style);
            let number_x = env.x + env.width - shaped.width;
            let leader_style = TextStyle::new(Role::Body, env.size).color(Color::GREY);
            let from = inner.x + last_width + env.size * 0.6;
            let to = number_x - env.size * 0.6;
            if let Some(run) = leader(ctx.shaper, &leader_style, from, to) {
                last.items.extend([
                    tag::start(Tagged::new(StructRole::Artifact)),
                    (Point::new(run.0, last.first_baseline), FrameItem::Text(run.1)),
                    tag::end(),
                ]);
            }
            let mut x = number_x;
            for run in &shaped.runs {
                last.items.push((
                    Point::new(x, last.first_baseline),
                    FrameItem::Text(run.clone()),
                ));
                x += run.width();
            }
        }
        if count > 1 {
            for c in chunks.iter_mut().take(count - 1) {
                c.keep_with_next = true;
            }
        }
        let title = h.number_label().map_or(h.title(), |l| format!("{l} {}", h.title()));
        let desc = format!("{title}, page {page}");
        tag::wrap(&mut chunks, Tagged::new(StructRole::Link).alt(desc));
        tag::wrap(&mut chunks, Tagged::new(StructRole::TOCI));
        out.extend(chunks);
    }
    tag::wrap(&mut out[heading_chunks..], Tagged::new(StructRole::TOC));
    tag::wrap(&mut out, Tagged::new(StructRole::Sect));
    out
}

/// A dot leader between `from` and `to`, its dots on a 6 pt grid so leaders line up.
fn leader(
    shaper: &mut Shaper,
    style: &TextStyle,
    from: Pt,
    to: Pt,
) -> Option<(Pt, GlyphRun)> {
    let step = Pt(6.0);
    let start = Pt((from.0 / step.0).ceil() * step.0);
    let count = ((to - start) / step).floor();
    if count < 2.0 {
        return None;
    }
    let dot = shaper.shape(".", style);
    let mut run = dot.runs.first()?.clone();
    let mut glyph = run.glyphs.first()?.clone();
    glyph.advance = step;
    run.glyphs = vec![glyph; count as usize].into();
    Some((start, run))
}
