//! Block layout: each kind of block becomes a list of chunks.

use super::flow::{decorate, solidify, Chunk, Ctx, Env};
use super::frame::FrameItem;
use super::shape::{Role, TextStyle};
use super::tag::{self, Element, StructRole};
use super::text::{self, Line, LineIssue, Piece};
use crate::diag::Diagnostic;
use crate::geom::{Color, Point, Pt, Size};
use crate::model::{Align, Block, BlockKind, Image, Inline, List};

/// Lays out a sequence of blocks.
pub fn blocks(ctx: &mut Ctx<'_>, blocks: &[Block], env: Env) -> Vec<Chunk> {
    let mut out = Vec::new();
    for block in blocks {
        out.extend(block_chunks(ctx, block, env));
    }
    out
}

fn block_chunks(ctx: &mut Ctx<'_>, block: &Block, env: Env) -> Vec<Chunk> {
    let gap = env.size * 0.7;
    let mut chunks = match &block.kind {
        BlockKind::Paragraph(inlines) => {
            let mut chunks = paragraph(ctx, inlines, block, env);
            tag::wrap(&mut chunks, Element::new(StructRole::P));
            chunks
        }
        BlockKind::List(list) => self::list(ctx, list, env),
        BlockKind::Table(table) => super::table::table(ctx, table, env),
        BlockKind::Quote(inner) => {
            let mut chunks = quote(ctx, inner, env);
            tag::wrap(&mut chunks, Element::new(StructRole::BlockQuote));
            chunks
        }
        BlockKind::Code { text, .. } => {
            let mut chunks = code(ctx, text, env);
            tag::wrap(&mut chunks, Element::new(StructRole::Code));
            chunks
        }
        BlockKind::Rule => {
            let mut c = Chunk::new(env.size * 0.8);
            let delta = Point::new(env.width, Pt::ZERO);
            let line = FrameItem::Line { delta, color: Color::RULE, width: Pt(0.6) };
            c.items.push((Point::new(env.x, env.size * 0.4), line));
            vec![c]
        }
        BlockKind::Image(image) => self::image(ctx, image, block, env),
        BlockKind::KeyFigures(k) => super::panels::key_figures(ctx, k, env),
        BlockKind::Aside(a) => super::panels::aside(ctx, a, env),
        BlockKind::Chart(chart) => super::chart::chart(ctx, chart, env),
        BlockKind::Timeline(t) => super::panels::timeline(ctx, t, env),
        BlockKind::PageBreak => {
            let mut c = Chunk::new(Pt::ZERO);
            c.break_before = true;
            vec![c]
        }
    };
    if let Some(first) = chunks.first_mut() {
        first.space_before = first.space_before.max(gap);
    }
    keep_whole(&mut chunks, block, ctx.area_height);
    chunks
}

/// Panels, figures and short blocks stay on one page when they fit on one: every chunk
/// but the last is kept with the next.
fn keep_whole(chunks: &mut [Chunk], block: &Block, page: Pt) {
    let limit = match block.kind {
        BlockKind::Aside(_)
        | BlockKind::KeyFigures(_)
        | BlockKind::Timeline(_)
        | BlockKind::Chart(_)
        | BlockKind::Image(_) => page,
        BlockKind::Code { .. } | BlockKind::Quote(_) => page * 0.5,
        BlockKind::Table(_) => page * 0.33,
        _ => return,
    };
    let total: Pt = chunks.iter().skip(1).map(|c| c.space_before).sum::<Pt>()
        + chunks.iter().map(|c| c.height).sum::<Pt>();
    if total > limit {
        return;
    }
    let n = chunks.len();
    for c in chunks.iter_mut().take(n.saturating_sub(1)) {
        c.keep_with_next = true;
    }
}

/// Turns laid-out lines into one chunk per line, at `x`.
pub fn line_chunks(lines: Vec<Line>, x: Pt) -> Vec<Chunk> {
    lines
        .into_iter()
        .map(|line| {
            let mut c = Chunk::new(line.height);
            c.first_baseline = line.baseline;
            c.items = line.items;
            c.shift(x);
            c
        })
        .collect()
}

/// Lays out styled pieces as lines within `env`.
pub fn pieces(
    ctx: &mut Ctx<'_>,
    pieces: &[Piece],
    env: Env,
    align: Align,
    leading: f64,
) -> Vec<Chunk> {
    let lines = text::layout(ctx.shaper, pieces, env.width, align, leading);
    line_chunks(lines, env.x)
}

/// Inline content in `style`, as pieces.
pub fn styled(ctx: &Ctx<'_>, inlines: &[Inline], style: TextStyle) -> Vec<Piece> {
    let mut out = Vec::new();
    text::collect(ctx.notes, ctx.language, inlines, style, &mut out);
    out
}

fn paragraph(
    ctx: &mut Ctx<'_>,
    inlines: &[Inline],
    block: &Block,
    env: Env,
) -> Vec<Chunk> {
    let p = styled(ctx, inlines, TextStyle::new(Role::Body, env.size));
    let (lines, issues) = text::paragraph(
        ctx.shaper,
        &p,
        env.width,
        Align::Left,
        1.4,
        if ctx.justify { text::Mode::Justify } else { text::Mode::Ragged },
        true,
    );
    for issue in issues {
        let (message, hint) = match issue {
            LineIssue::Overfull(n, by) => (
                format!("line {n} of this paragraph is too wide by {:.1} pt", by.0),
                "rewording helps, or a soft hyphen (`&shy;`) where a long word may break",
            ),
            LineIssue::Loose(n, k) => (
                format!(
                    "line {n} of this paragraph is very loose (spaces stretched to {:.0}%)",
                    k * 100.0
                ),
                "rewording helps, or a soft hyphen (`&shy;`) in the first word of the next \
                 line; or set text ragged right: `justify = false` in `[layout]`",
            ),
        };
        ctx.warnings
            .push(Diagnostic::warning(block.span.clone(), message).with_hint(hint));
    }
    keep_lines(line_chunks(lines, env.x))
}

/// Widow and orphan control: the first two and the last two lines of a paragraph stay
/// together, so no page starts or ends with a single line of it.
pub fn keep_lines(mut chunks: Vec<Chunk>) -> Vec<Chunk> {
    let n = chunks.len();
    if n >= 2 {
        chunks[0].keep_with_next = true;
        chunks[n - 2].keep_with_next = true;
    }
    chunks
}

/// The narrowest column a list item's text is indented into; a column that cannot keep
/// this much beside its markers sets each marker on a line of its own instead.
const LIST_MIN_COLUMN: f64 = 2.0;

fn list(ctx: &mut Ctx<'_>, list: &List, env: Env) -> Vec<Chunk> {
    let style = TextStyle::new(Role::Body, env.size);
    let marker = |i: usize| match list.start {
        Some(start) => format!("{}.", start.saturating_add(i as u64)),
        None => "•".to_string(),
    };
    // Deep nesting stops indenting once the column is 60 pt narrow, but never by less
    // than the widest marker needs, so markers never run into the text.
    let widest = (0..list.items.len())
        .map(|i| ctx.shaper.shape(&marker(i), &style).width)
        .fold(Pt::ZERO, Pt::max);
    let least = widest + env.size * 0.3;
    let indent = (env.size * 1.8).min((env.width - Pt(60.0)).max(Pt::ZERO)).max(least);
    // Indenting by at least `least` however deep the nesting would push the text, and
    // then the markers, past the edge of the page: once too little is left beside the
    // markers, they go above the text instead, which then keeps the list's width.
    if env.width - indent < env.size * LIST_MIN_COLUMN {
        return stacked_list(ctx, list, env, &marker, style);
    }
    let gap = (indent - widest).min(env.size * 0.5);
    let inner = Env { x: env.x + indent, width: env.width - indent, ..env };
    let mut out = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        let mut chunks = blocks(ctx, &item.blocks, inner);
        let Some(first) = chunks.first_mut() else { continue };
        first.space_before = item_space(list, i, env);
        let shaped = ctx.shaper.shape(&marker(i), &style);
        let mut x = env.x + indent - shaped.width - gap;
        let mut marks = vec![
            tag::start(Element::new(StructRole::LI)),
            tag::start(Element::new(StructRole::Lbl)),
        ];
        for run in &shaped.runs {
            marks.push((
                Point::new(x, first.first_baseline),
                FrameItem::Text(run.clone()),
            ));
            x += run.width();
        }
        marks.push(tag::end());
        marks.push(tag::start(Element::new(StructRole::LBody)));
        // The marker goes first in the content stream, so text extraction and copying
        // read "1. Welcome…" rather than finding the number after the item's first line.
        first.items.splice(0..0, marks);
        if let Some(last) = chunks.last_mut() {
            last.items.extend([tag::end(), tag::end()]);
        }
        out.extend(chunks);
    }
    tag::wrap(&mut out, Element::new(StructRole::L));
    out
}

/// The space above item `i` of `list`.
fn item_space(list: &List, i: usize, env: Env) -> Pt {
    if list.tight || i == 0 {
        env.size * 0.25
    } else {
        env.size * 0.6
    }
}

/// A list in a column too narrow to indent: each item's marker on a line of its own
/// (wrapped if even the marker is wider than the column), kept with the item below it.
fn stacked_list(
    ctx: &mut Ctx<'_>,
    list: &List,
    env: Env,
    marker: &dyn Fn(usize) -> String,
    style: TextStyle,
) -> Vec<Chunk> {
    let mut out = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        let mut chunks = blocks(ctx, &item.blocks, env);
        let Some(first) = chunks.first_mut() else { continue };
        first.space_before = Pt::ZERO;
        let mut marks =
            pieces(ctx, &[Piece::plain(marker(i), style)], env, Align::Left, 1.4);
        marks.iter_mut().for_each(|c| c.keep_with_next = true);
        if let Some(m) = marks.first_mut() {
            m.space_before = item_space(list, i, env);
        }
        out.extend(marks);
        out.extend(chunks);
    }
    out
}

fn quote(ctx: &mut Ctx<'_>, inner: &[Block], env: Env) -> Vec<Chunk> {
    let mut chunks = blocks(ctx, inner, env.indent(env.size * 1.6));
    solidify(&mut chunks, env.size * 0.2);
    decorate(&mut chunks, env.x + env.size * 0.3, env.width, None, Some(Color::RULE));
    chunks
}

fn code(ctx: &mut Ctx<'_>, text: &str, env: Env) -> Vec<Chunk> {
    let pad = env.size * 0.6;
    let style = TextStyle::new(Role::Mono, env.size * 0.82);
    let inner = env.indent(pad);
    let inner = Env { width: (inner.width - pad).max(Pt(20.0)), ..inner };
    let mut chunks = Vec::new();
    for line in text.trim_end_matches('\n').lines() {
        let line = line.replace('\t', "    ");
        let lines = text::layout(
            ctx.shaper,
            &[Piece::plain(line, style)],
            inner.width,
            Align::Left,
            1.3,
        );
        if lines.is_empty() {
            chunks.push(Chunk::new(style.size * 1.3));
        } else {
            chunks.extend(line_chunks(lines, inner.x));
        }
    }
    solidify(&mut chunks, pad * 0.7);
    decorate(&mut chunks, env.x, env.width, Some(Color::TINT), None);
    chunks
}

fn image(ctx: &mut Ctx<'_>, image: &Image, block: &Block, env: Env) -> Vec<Chunk> {
    // The model checked the file; only a model built by hand can lack it.
    let Some(data) = &image.data else {
        let msg = format!("image `{}` was not loaded and is left out", image.src);
        ctx.warnings.push(Diagnostic::warning(block.span.clone(), msg));
        return vec![];
    };
    let (w, h) = (data.width(), data.height());
    let natural = Pt(f64::from(w) * 0.75);
    let mut width = natural.min(env.width);
    let mut height = width * (f64::from(h) / f64::from(w.max(1)));
    let max_h = ctx.area_height * 0.6;
    if height > max_h {
        width = width * (max_h / height);
        height = max_h;
    }
    let mut c = Chunk::new(height);
    let x = env.x + (env.width - width) / 2.0;
    let item = FrameItem::Image { image: data.clone(), size: Size::new(width, height) };
    c.items.push((Point::new(x, Pt::ZERO), item));
    // An image without a text alternative is still a figure (PDF/UA refuses it
    // earlier, with a diagnostic at the image).
    let figure = Element::new(StructRole::Figure);
    let figure = match image.alt.trim() {
        "" => figure,
        alt => figure.alt(alt),
    };
    tag::wrap_items(&mut c.items, figure);
    let mut out = vec![c];
    if let Some(caption) = &image.caption {
        let style =
            TextStyle::new(Role::Heading, env.size * 0.8).italic().color(Color::GREY);
        let mut cap =
            pieces(ctx, &[Piece::plain(caption.clone(), style)], env, Align::Center, 1.3);
        tag::wrap(&mut cap, Element::new(StructRole::Caption));
        if let Some(first) = cap.first_mut() {
            first.space_before = env.size * 0.4;
        }
        out[0].keep_with_next = true;
        out.extend(cap);
    }
    out
}

/// Appends a small grey line of text ("Source: …") to `out`, kept with the chunk
/// before it.
pub fn source_line(ctx: &mut Ctx<'_>, out: &mut Vec<Chunk>, source: &[Inline], env: Env) {
    let style = TextStyle::new(Role::Heading, env.size * 0.75).color(Color::GREY);
    // "Source: {text}": the words around the text are set in italics.
    let pattern = ctx.locale.text("source");
    let (before, after) = pattern.split_once("{text}").unwrap_or((&pattern, ""));
    let mut p = vec![Piece::plain(before.to_string(), style.italic())];
    p.extend(styled(ctx, source, style));
    if !after.is_empty() {
        p.push(Piece::plain(after.to_string(), style.italic()));
    }
    let mut chunks = pieces(ctx, &p, env, Align::Left, 1.3);
    tag::wrap(&mut chunks, Element::new(StructRole::P));
    if let Some(first) = chunks.first_mut() {
        first.space_before = env.size * 0.3;
    }
    // The source line stays with what it is the source of (the last row of a table),
    // never alone at the top of a page, and its lines stay together.
    if let Some(last) = out.last_mut() {
        last.keep_with_next = true;
    }
    let count = chunks.len();
    for c in chunks.iter_mut().take(count.saturating_sub(1)) {
        c.keep_with_next = true;
    }
    out.extend(chunks);
}

/// A caption line ("Table 2. Trade") kept with what follows.
pub fn caption(
    ctx: &mut Ctx<'_>,
    label: Option<String>,
    text: Option<&[Inline]>,
    env: Env,
) -> Vec<Chunk> {
    let style = TextStyle::new(Role::Heading, env.size * 0.9);
    let mut p = Vec::new();
    if let Some(label) = label {
        let space = ctx.locale.text("caption-space");
        p.push(Piece::plain(format!("{label}{space}"), style.bold()));
    }
    if let Some(text) = text {
        p.extend(styled(ctx, text, style));
    }
    if p.is_empty() {
        return vec![];
    }
    let mut chunks = pieces(ctx, &p, env, Align::Left, 1.35);
    tag::wrap(&mut chunks, Element::new(StructRole::Caption));
    for c in &mut chunks {
        c.keep_with_next = true;
    }
    if let Some(last) = chunks.last_mut() {
        last.height += env.size * 0.3;
    }
    chunks
}
