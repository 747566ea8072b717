//! Sections: headings (numbered, kept with what follows), chapter breaks, and the
//! footnotes (placed at the foot of the page by `paginate`).

use super::blocks::{blocks, styled};
use super::flow::{Chunk, Ctx, Env, Mark};
use super::frame::{FrameItem, LinkDest, OutlineEntry};
use super::shape::{Role, TextStyle};
use super::tag::{self, Element, StructRole};
use super::text::{self, Piece};
use crate::geom::{Color, Point, Pt, Size};
use crate::model::{Align, BlockKind, Footnote, Heading, Section};

/// Lays out a chapter (a top-level section).
pub fn chapter(ctx: &mut Ctx<'_>, section: &Section, env: Env) -> Vec<Chunk> {
    let mut out = Vec::new();
    section_chunks(ctx, section, env, &mut out, &mut 0, 1);
    tag::wrap(&mut out, Element::new(StructRole::Sect));
    if let Some(first) = out.first_mut() {
        first.break_before = true;
        first.chapter = Some(section.heading.title());
    }
    out
}

/// Lays out a section, marking each chunk with its flow item (counted in `item`,
/// in the order of `model::flow_items`). The heading is tagged with the section's
/// depth (`level`), so heading levels in the structure never skip one.
fn section_chunks(
    ctx: &mut Ctx<'_>,
    section: &Section,
    env: Env,
    out: &mut Vec<Chunk>,
    item: &mut usize,
    level: u8,
) {
    let mut chunks = heading(ctx, &section.heading, env);
    tag::wrap(&mut chunks, Element::new(StructRole::H(level.min(6))));
    ctx.level = level;
    mark(&mut chunks, *item, false);
    out.extend(chunks);
    *item += 1;
    for block in &section.blocks {
        let mut chunks = blocks(ctx, std::slice::from_ref(block), env);
        mark(&mut chunks, *item, matches!(block.kind, BlockKind::Table(_)));
        out.extend(chunks);
        *item += 1;
    }
    for child in &section.children {
        section_chunks(ctx, child, env, out, item, level.saturating_add(1));
    }
}

/// Marks an item's chunks; the rows marked by table layout are kept for tables.
fn mark(chunks: &mut [Chunk], item: usize, rows: bool) {
    for (i, c) in chunks.iter_mut().enumerate() {
        let row = c.mark.and_then(|m| m.row).filter(|_| rows);
        c.mark = Some(Mark { item, row, first: i == 0 });
    }
}

/// A heading's type size relative to the body size.
fn heading_size(level: u8, body: Pt) -> Pt {
    match level {
        1 => body * 2.0,
        2 => body * 1.4,
        3 => body * 1.15,
        _ => body,
    }
}

fn heading(ctx: &mut Ctx<'_>, h: &Heading, env: Env) -> Vec<Chunk> {
    let size = heading_size(h.level, env.size);
    let color = if h.level == 1 { Color::ACCENT } else { Color::BLACK };
    let style = TextStyle::new(Role::Heading, size).bold().color(color);
    let mut p = Vec::new();
    let label = h.number_label();
    if let Some(label) = &label {
        p.push(Piece::plain(format!("{label}\u{2002}"), style));
    }
    p.extend(styled(ctx, &h.content, style));
    let lines = text::layout(ctx.shaper, &p, env.width, Align::Left, 1.25);
    let mut chunks = super::blocks::line_chunks(lines, env.x);
    for c in &mut chunks {
        c.keep_with_next = true;
    }
    if let Some(first) = chunks.first_mut() {
        first.space_before = if h.level == 1 { Pt::ZERO } else { size * 1.1 };
        first.items.insert(
            0,
            (Point::new(env.x, Pt::ZERO), FrameItem::Anchor(h.anchor.clone())),
        );
    }
    if let Some(last) = chunks.last_mut() {
        let below = if h.level == 1 { size * 0.6 } else { size * 0.15 };
        if h.level == 1 {
            let delta = Point::new(env.width, Pt::ZERO);
            let rule = FrameItem::Line { delta, color: Color::ACCENT, width: Pt(1.2) };
            last.items.push((Point::new(env.x, last.height + size * 0.2), rule));
        }
        last.height += below;
    }
    if h.in_toc {
        let title = match label {
            Some(l) => format!("{l} {}", h.title()),
            None => h.title(),
        };
        ctx.outline.push(OutlineEntry {
            level: h.level,
            title,
            anchor: h.anchor.clone(),
        });
    }
    chunks
}

/// Lays out a footnote as lines for the foot of a page (keyed in [`Notes`](super::paginate::Notes) by the
/// anchor of its first reference).
pub fn footnote(ctx: &mut Ctx<'_>, note: &Footnote, env: Env) -> Vec<Chunk> {
    let small = Env { size: env.size * 0.85, ..env };
    let indent = small.size * 2.0;
    let mut chunks = blocks(ctx, &note.blocks, small.indent(indent));
    let Some(first) = chunks.first_mut() else { return chunks };
    // A little space above each note.
    let gap = small.size * 0.3;
    for (p, _) in &mut first.items {
        p.y += gap;
    }
    first.height += gap;
    first.first_baseline += gap;
    let num = TextStyle::new(Role::Body, small.size);
    let shaped = ctx.shaper.shape(&format!("{}.", note.number), &num);
    let mut x = env.x + indent - shaped.width - small.size * 0.4;
    // The number goes first in the content stream (reading order: "1. The note…"),
    // tagged as a link that leads back to the (first) reference.
    let desc = format!("Back to the reference to note {}", note.number);
    let mut number = vec![
        (Point::new(env.x, Pt::ZERO), FrameItem::Anchor(note.anchor.clone())),
        tag::start(Element::new(StructRole::Link).alt(desc)),
    ];
    for run in &shaped.runs {
        number.push((Point::new(x, first.first_baseline), FrameItem::Text(run.clone())));
        x += run.width();
    }
    let back = FrameItem::Link {
        size: Size::new(shaped.width, small.size * 1.2),
        target: Box::new(LinkDest::Anchor(note.ref_anchor.clone())),
    };
    let at = Point::new(x - shaped.width, first.first_baseline - small.size * 0.9);
    number.push((at, back));
    number.push(tag::end());
    first.items.splice(0..0, number);
    let note_tag =
        Element { id: Some(note.anchor.clone()), ..Element::new(StructRole::Note) };
    tag::wrap(&mut chunks, note_tag);
    chunks
}
