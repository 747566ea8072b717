//! Page furniture: the cover, the contents page, and the marking, running head and page
//! number printed in the margins.

use std::collections::HashMap;
use std::sync::Arc;

use super::flow::{Area, Chunk, Ctx, Env};
use super::frame::{Frame, FrameItem, Glyph, GlyphRun, LinkDest, Page};
use super::shape::{Role, Shaper, TextStyle};
use super::tag::{self, Element as Tagged, StructRole};
use super::text::{self, Piece};
use crate::geom::{Color, Point, Pt, Size};

use crate::config::{furniture_context, Furniture, FurnitureBook};
use crate::diag::Diagnostic;
use crate::memo::Memo;
use crate::model::{Align, Heading, Meta};

pub use super::cover::cover;

/// Places lines of text at `y` (top) in `area`; returns the y below them.
pub(super) fn block_at(
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

/// Adds the running heads and feet of `[furniture]` (by default the marking at top and
/// bottom, the chapter title and "Page N of M") to every page but the cover.
///
/// A page's furniture is a memoized step: its inputs are the book's facts, the text area,
/// the type size, the page's number, the page count, the running chapter and the page
/// size (and, through `fonts`, the fonts and templates).
#[allow(clippy::too_many_arguments)]
pub fn decorate(
    pages: &mut [Page],
    chapters: &[Option<String>],
    markings: &[Option<String>],
    shaper: &mut Shaper,
    fonts: u128,
    furniture: &Furniture,
    meta: &Meta,
    area: Area,
    body: Pt,
    memo: &Memo,
    copy_memo: &Memo,
) -> Vec<Diagnostic> {
    let total = pages.len();
    let portrait = pages.first().map(|p| p.size);
    let mut book = FurnitureBook::from(meta);
    // Running heads and feet that name no copy field are the edition's in every copy:
    // made once and kept with the edition's. Others are a copy's own (`copy_memo`).
    let memo = match furniture.names_copy_fields() {
        true => copy_memo,
        false => {
            book.copy = Default::default();
            memo
        }
    };
    // A margin whose side slots move off the marking's line on some page has them moved
    // on every page, so the running feet do not jump between one line and two.
    let mut move_sides = [false; 2];
    let entries = loop {
        let mut entries = Vec::with_capacity(pages.len());
        let mut moved = move_sides;
        for (i, page) in pages.iter().enumerate().skip(1) {
            let chapter = chapters.get(i).cloned().flatten().unwrap_or_default();
            let own;
            let book = match markings.get(i).and_then(Option::as_ref) {
                Some(m) => {
                    own = FurnitureBook { classification: m.clone(), ..book.clone() };
                    &own
                }
                None => &book,
            };
            let inputs = (
                (fonts, book, area, body, page.number, total, &chapter, page.size),
                (portrait, move_sides),
            );
            let (key, entry) = memo.get_keyed("furniture", &inputs, || {
                let context = furniture_context(book, page.number, total, &chapter);
                // Landscape pages (wide tables) keep the margins where the reader expects
                // them.
                let area = match portrait {
                    Some(size) if size != page.size => area.landscape(size),
                    _ => area,
                };
                let mut fitting = Vec::new();
                let (items, moved) = super::slots::page_furniture(
                    page.size,
                    &context,
                    shaper,
                    furniture,
                    area,
                    body,
                    move_sides,
                    &mut fitting,
                );
                let mut found = shaper.take_warnings();
                found.extend(fitting);
                // Running heads and feet repeat on every page: furniture, not content.
                let mut items = items;
                tag::wrap_items(&mut items, Tagged::new(StructRole::Artifact));
                (items, found, moved)
            });
            for (m, e) in moved.iter_mut().zip(entry.2) {
                *m |= e;
            }
            entries.push((key, entry));
        }
        if moved == move_sides {
            break entries;
        }
        move_sides = moved;
    };
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for (page, (key, entry)) in pages.iter_mut().skip(1).zip(entries) {
        page.furniture.items.extend(entry.0.iter().cloned());
        page.key = crate::memo::hash128(&(page.key, key));
        // A character no font has is reported once, whichever page shows it first.
        for d in &entry.1 {
            if !warnings.iter().any(|seen| seen.message == d.message) {
                warnings.push(d.clone());
            }
        }
    }
    warnings
}

/// The contents page: one entry per chapter and section, with page numbers and links.
pub fn contents(ctx: &mut Ctx<'_>, entries: &[(usize, Heading)], env: Env) -> Vec<Chunk> {
    if entries.is_empty() {
        return vec![];
    }
    let size = env.size * 2.0;
    let title = TextStyle::new(Role::Heading, size).bold().color(Color::ACCENT);
    let heading = ctx.locale.text("contents");
    let mut out = super::blocks::pieces(
        ctx,
        &[Piece::plain(heading.clone(), title)],
        env,
        Align::Left,
        1.25,
    );
    if let Some(first) = out.first_mut() {
        first.break_before = true;
        first.chapter = Some(heading);
    }
    tag::wrap(&mut out, Tagged::new(StructRole::H(1)));
    if let Some(last) = out.last_mut() {
        last.height += size * 0.6;
    }
    let heading_chunks = out.len();
    // Leaders of the same length share their glyphs (a long contents has thousands).
    let mut leaders = HashMap::new();
    for &(depth, ref h) in entries {
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
                target: Box::new(LinkDest::Anchor(h.anchor.clone())),
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
            if let Some(run) = leader(ctx.shaper, &leader_style, from, to, &mut leaders) {
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
    made: &mut HashMap<usize, Arc<[Glyph]>>,
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
    let glyphs =
        made.entry(count as usize).or_insert_with(|| vec![glyph; count as usize].into());
    run.glyphs = glyphs.clone();
    Some((start, run))
}
