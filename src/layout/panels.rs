//! Briefing panels: key figures, asides and timelines.

use super::blocks::{blocks, caption, pieces, source_line, styled};
use super::flow::{decorate, solidify, Chunk, Ctx, Env};
use super::frame::FrameItem;
use super::shape::{Role, TextStyle};
use super::text::Piece;
use super::units::{Color, Point, Pt, Size};
use crate::model::{Align, Aside, AsideKind, KeyFigures, Timeline};

/// A panel of key figures: title, a grid of big values with labels, source.
pub fn key_figures(ctx: &mut Ctx<'_>, k: &KeyFigures, env: Env) -> Vec<Chunk> {
    let pad = env.size * 0.9;
    let inner = env.indent(pad);
    let inner = Env { width: (inner.width - pad).max(Pt(20.0)), ..inner };
    let mut chunks = Vec::new();
    if let Some(title) = &k.title {
        let style =
            TextStyle::new(Role::Heading, env.size * 1.0).bold().color(Color::ACCENT);
        let p = styled(ctx, title, style);
        let mut t = pieces(ctx, &p, inner, Align::Left, 1.4);
        t.iter_mut().for_each(|c| c.keep_with_next = true);
        chunks.extend(t);
    }
    let n = k.figures.len();
    let cols = match n {
        0..=3 => n.max(1),
        4 => 2,
        _ => 3,
    };
    let gap = env.size;
    let col_w = (inner.width - gap * (cols as f64 - 1.0)) / cols as f64;
    for (r, row) in k.figures.chunks(cols).enumerate() {
        let mut row_chunk = Chunk::new(Pt::ZERO);
        row_chunk.space_before = if r == 0 { env.size * 0.4 } else { env.size * 0.8 };
        for (i, fig) in row.iter().enumerate() {
            let cell = Env {
                x: inner.x + (col_w + gap) * i as f64,
                width: col_w,
                size: env.size,
            };
            let mut parts = Vec::new();
            let value =
                TextStyle::new(Role::Heading, env.size * 1.9).bold().color(Color::ACCENT);
            parts.extend(pieces(
                ctx,
                &styled(ctx, &fig.value, value),
                cell,
                Align::Left,
                1.2,
            ));
            let label = TextStyle::new(Role::Heading, env.size * 0.82);
            parts.extend(pieces(
                ctx,
                &styled(ctx, &fig.label, label),
                cell,
                Align::Left,
                1.3,
            ));
            if let Some(note) = &fig.note {
                let s = TextStyle::new(Role::Heading, env.size * 0.72)
                    .italic()
                    .color(Color::GREY);
                parts.extend(pieces(ctx, &styled(ctx, note, s), cell, Align::Left, 1.3));
            }
            let mut y = Pt::ZERO;
            for part in parts {
                for (p, item) in part.items {
                    row_chunk.items.push((Point::new(p.x, p.y + y), item));
                }
                y += part.height;
            }
            row_chunk.height = row_chunk.height.max(y);
        }
        chunks.push(row_chunk);
    }
    if let Some(source) = &k.source {
        chunks.extend(source_line(ctx, source, inner));
    }
    if let Some(first) = chunks.first_mut() {
        first.space_before = Pt::ZERO;
    }
    solidify(&mut chunks, pad * 0.8);
    decorate(&mut chunks, env.x, env.width, Some(Color::TINT), Some(Color::ACCENT));
    chunks
}

/// A tinted box with a coloured rule, a title and content.
pub fn aside(ctx: &mut Ctx<'_>, a: &Aside, env: Env) -> Vec<Chunk> {
    let (fill, rule) = match a.kind {
        AsideKind::Note => (Color::rgb(0xee, 0xf3, 0xfa), Color::ACCENT),
        AsideKind::Important => (Color::rgb(0xfb, 0xee, 0xee), Color::RED),
        AsideKind::Warning => (Color::rgb(0xfd, 0xf4, 0xe7), Color::WARN),
    };
    let pad = env.size * 0.9;
    let inner = env.indent(pad);
    let inner =
        Env { width: (inner.width - pad).max(Pt(20.0)), size: env.size * 0.92, ..inner };
    let mut chunks = Vec::new();
    if let Some(title) = &a.title {
        let style = TextStyle::new(Role::Heading, inner.size).bold().color(rule);
        let p = styled(ctx, title, style);
        let mut t = pieces(ctx, &p, inner, Align::Left, 1.4);
        t.iter_mut().for_each(|c| c.keep_with_next = true);
        chunks.extend(t);
    }
    let mut body = blocks(ctx, &a.blocks, inner);
    if let (Some(first), false) = (body.first_mut(), chunks.is_empty()) {
        first.space_before = inner.size * 0.3;
    }
    chunks.extend(body);
    if let Some(first) = chunks.first_mut() {
        first.space_before = Pt::ZERO;
    }
    solidify(&mut chunks, pad * 0.7);
    decorate(&mut chunks, env.x, env.width, Some(fill), Some(rule));
    chunks
}

/// A captioned list of dated events along a vertical rule.
pub fn timeline(ctx: &mut Ctx<'_>, t: &Timeline, env: Env) -> Vec<Chunk> {
    let label = t.number.map(|n| format!("Figure {n}."));
    let mut out = caption(ctx, label, t.caption.as_deref(), env);
    let inner = env.indent(env.size * 1.4);
    let mut events = Vec::new();
    for (i, e) in t.events.iter().enumerate() {
        let base = TextStyle::new(Role::Body, env.size * 0.95);
        let mut p = vec![Piece::plain(
            e.when.clone(),
            TextStyle::new(Role::Heading, base.size).bold(),
        )];
        p.push(Piece::plain(" — ", base));
        p.extend(styled(ctx, &e.title, base));
        if let Some(detail) = &e.detail {
            let d = base.color(Color::GREY);
            p.push(Piece::plain(" (", d));
            p.extend(styled(ctx, detail, d));
            p.push(Piece::plain(")", d));
        }
        let mut chunks = pieces(ctx, &p, inner, Align::Left, 1.4);
        if let Some(first) = chunks.first_mut() {
            first.space_before = if i == 0 { Pt::ZERO } else { env.size * 0.35 };
            let dot = FrameItem::Rect {
                size: Size::new(Pt(5.0), Pt(5.0)),
                fill: Some(Color::ACCENT),
                stroke: None,
            };
            let y = first.first_baseline - Pt(4.5);
            first.items.push((Point::new(env.x + env.size * 0.3 - Pt(2.5), y), dot));
        }
        events.extend(chunks);
    }
    solidify(&mut events, env.size * 0.2);
    decorate(&mut events, env.x + env.size * 0.3, env.width, None, Some(Color::RULE));
    // Put the dots above the rule.
    for c in &mut events {
        c.items.sort_by_key(|(_, item)| matches!(item, FrameItem::Rect { .. }));
    }
    out.extend(events);
    if let Some(source) = &t.source {
        out.extend(source_line(ctx, source, env));
    }
    out
}
