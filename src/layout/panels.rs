//! Briefing panels: key figures, asides and timelines.

use super::blocks::{blocks, caption, pieces, source_line, styled};
use super::flow::{decorate, solidify, Chunk, Ctx, Env};
use super::frame::{FrameItem, Path};
use super::shape::{Role, TextStyle};
use super::tag::{self, Element, StructRole};
use super::text::Piece;
use crate::geom::{Color, Point, Pt};
use crate::model::{Align, Aside, AsideKind, Change, KeyFigures, Timeline, Trend};

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
        tag::wrap(&mut t, panel_heading(ctx));
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
            let mut p = styled(ctx, &fig.value, value);
            if let Some(unit) = &fig.unit {
                let u =
                    TextStyle::new(Role::Heading, env.size * 0.95).color(Color::ACCENT);
                p.push(Piece::plain(" ", u));
                p.extend(styled(ctx, unit, u));
            }
            parts.extend(pieces(ctx, &p, cell, Align::Left, 1.2));
            if let Some(change) = &fig.change {
                parts.extend(change_line(ctx, change, cell));
            }
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
            // Each figure reads as one paragraph: value, unit, change, label, note.
            row_chunk.items.push(tag::start(Element::new(StructRole::P)));
            let mut y = Pt::ZERO;
            for part in parts {
                for (p, item) in part.items {
                    row_chunk.items.push((Point::new(p.x, p.y + y), item));
                }
                y += part.height;
            }
            row_chunk.items.push(tag::end());
            row_chunk.height = row_chunk.height.max(y);
        }
        chunks.push(row_chunk);
    }
    if let Some(source) = &k.source {
        source_line(ctx, &mut chunks, source, inner);
    }
    if let Some(first) = chunks.first_mut() {
        first.space_before = Pt::ZERO;
    }
    // The panel is kept whole on one page.
    let n = chunks.len();
    for c in chunks.iter_mut().take(n.saturating_sub(1)) {
        c.keep_with_next = true;
    }
    tag::wrap(&mut chunks, Element::new(StructRole::Sect));
    solidify(&mut chunks, pad * 0.8);
    decorate(&mut chunks, env.x, env.width, Some(Color::TINT), Some(Color::ACCENT));
    chunks
}

/// The structure element of a panel's title: a heading one level below the section's.
fn panel_heading(ctx: &Ctx<'_>) -> Element {
    Element::new(StructRole::H(ctx.level.saturating_add(1).min(6)))
}

/// Rises in green, falls in red (both 5:1 or better on the panel tint).
const UP: Color = Color::rgb(0x1b, 0x6e, 0x3a);

/// A change indicator: a triangle drawn as a vector (the text fonts lack ▲ and ▼),
/// then the change in the trend's colour.
fn change_line(ctx: &mut Ctx<'_>, change: &Change, cell: Env) -> Vec<Chunk> {
    let size = cell.size * 0.85;
    let color = match change.trend {
        Trend::Up => UP,
        Trend::Down => Color::RED,
        Trend::Flat => Color::GREY,
    };
    let style = TextStyle::new(Role::Heading, size).bold().color(color);
    let mark = size * 0.9;
    let text_env = match change.trend {
        Trend::Flat => cell,
        _ => cell.indent(mark + size * 0.3),
    };
    let mut lines =
        pieces(ctx, &styled(ctx, &change.text, style), text_env, Align::Left, 1.3);
    if let (Some(first), Trend::Up | Trend::Down) = (lines.first_mut(), change.trend) {
        let base = first.first_baseline;
        let (w, h) = (mark, size * 0.62);
        let p = |x: Pt, y: Pt| Point::new(x, y);
        let points = match change.trend {
            Trend::Up => vec![p(w / 2.0, -h), p(w, Pt::ZERO), p(Pt::ZERO, Pt::ZERO)],
            _ => vec![p(Pt::ZERO, -h), p(w, -h), p(w / 2.0, Pt::ZERO)],
        };
        let item = FrameItem::Path(Box::new(Path {
            points,
            closed: true,
            fill: Some(color),
            stroke: None,
            dash: None,
        }));
        first.items.push((Point::new(cell.x, base), item));
    }
    lines
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
        tag::wrap(&mut t, panel_heading(ctx));
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
    tag::wrap(&mut chunks, Element::new(StructRole::Sect));
    solidify(&mut chunks, pad * 0.7);
    decorate(&mut chunks, env.x, env.width, Some(fill), Some(rule));
    chunks
}

/// A captioned vertical timeline: dates right-aligned in a column on the left, a rule
/// with a dot per event (hollow for approximate dates), titles and details on the right.
/// Each event is kept whole; the caption stays with the first event.
pub fn timeline(ctx: &mut Ctx<'_>, t: &Timeline, env: Env) -> Vec<Chunk> {
    let label = t.number.map(|n| ctx.locale.numbered("figure", n));
    let mut out = caption(ctx, label, t.caption.as_deref(), env);
    let size = env.size * 0.92;
    let date_style =
        TextStyle::new(Role::Heading, size * 0.95).bold().color(Color::ACCENT);
    let widest = t
        .events
        .iter()
        .map(|e| ctx.shaper.shape(&e.when, &date_style).width)
        .fold(Pt::ZERO, Pt::max);
    let date_w = widest.min(env.width * 0.28).max(Pt(24.0));
    let rule_x = env.x + date_w + size * 0.8;
    let text_env =
        Env { x: rule_x + size * 0.9, width: env.width - date_w - size * 1.7, size };
    let date_env = Env { x: env.x, width: date_w, size };
    let mut events = Vec::new();
    for (i, e) in t.events.iter().enumerate() {
        let dates = pieces(
            ctx,
            &[Piece::plain(e.when.clone(), date_style)],
            date_env,
            Align::Right,
            1.3,
        );
        let title = styled(ctx, &e.title, TextStyle::new(Role::Heading, size).bold());
        let mut text = pieces(ctx, &title, text_env, Align::Left, 1.3);
        if let Some(detail) = &e.detail {
            let d = TextStyle::new(Role::Body, size * 0.95).color(Color::GREY);
            text.extend(pieces(
                ctx,
                &styled(ctx, detail, d),
                text_env,
                Align::Left,
                1.35,
            ));
        }
        let mut chunk = Chunk::new(Pt::ZERO);
        chunk.space_before = if i == 0 { Pt::ZERO } else { size * 0.6 };
        // An event is a list item: its date the label, title and detail the body.
        chunk.items.push(tag::start(Element::new(StructRole::LI)));
        for (column, role) in [(dates, StructRole::Lbl), (text, StructRole::LBody)] {
            chunk.items.push(tag::start(Element::new(role)));
            let mut y = Pt::ZERO;
            for part in column {
                for (p, item) in part.items {
                    chunk.items.push((Point::new(p.x, p.y + y), item));
                }
                y += part.height;
            }
            chunk.items.push(tag::end());
            chunk.height = chunk.height.max(y);
        }
        chunk.items.push(tag::end());
        // The first baseline of the title row, where the dot sits.
        let base = chunk
            .items
            .iter()
            .filter(|(_, item)| !tag::is_tag(item))
            .map(|(p, _)| p.y)
            .fold(Pt(f64::MAX), Pt::min);
        let base = if base.0 == f64::MAX { size } else { base };
        let r = size * 0.28;
        let c = Point::new(rule_x, base - size * 0.33);
        let ring: Vec<Point> = [
            (0.41, -1.0),
            (1.0, -0.41),
            (1.0, 0.41),
            (0.41, 1.0),
            (-0.41, 1.0),
            (-1.0, 0.41),
            (-1.0, -0.41),
            (-0.41, -1.0),
        ]
        .iter()
        .map(|&(dx, dy)| Point::new(r * dx, r * dy))
        .collect();
        let approximate = e.at.approximate;
        let fill = if approximate { Color::rgb(0xff, 0xff, 0xff) } else { Color::ACCENT };
        chunk.items.push((
            c,
            FrameItem::Path(Box::new(Path {
                points: ring,
                closed: true,
                fill: Some(fill),
                stroke: Some((Color::ACCENT, Pt(1.0))),
                dash: None,
            })),
        ));
        events.push(chunk);
    }
    solidify(&mut events, Pt::ZERO);
    // The rule runs through every event; dots are drawn over it.
    let n = events.len();
    for (i, c) in events.iter_mut().enumerate() {
        let (from, to) = (
            if i == 0 { size * 0.4 } else { Pt::ZERO },
            if i + 1 == n { c.height - size * 0.2 } else { c.height },
        );
        let rule = FrameItem::Line {
            delta: Point::new(Pt::ZERO, to - from),
            color: Color::RULE,
            width: Pt(1.2),
        };
        c.items.insert(0, (Point::new(rule_x, from), rule));
    }
    if let Some(first) = events.first_mut() {
        first.space_before = env.size * 0.2;
    }
    tag::wrap(&mut events, Element::new(StructRole::L));
    out.extend(events);
    if let Some(source) = &t.source {
        if let Some(last) = out.last_mut() {
            last.keep_with_next = true;
        }
        source_line(ctx, &mut out, source, env);
    }
    out
}
