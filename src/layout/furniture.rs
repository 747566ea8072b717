//! Page furniture: the cover, the contents page, and the marking, running head and page
//! number printed in the margins.

use super::flow::{Area, Chunk, Ctx, Env};
use super::frame::{Frame, FrameItem, GlyphRun, LinkDest, Page};
use super::shape::{Role, Shaper, TextStyle};
use super::text::{self, Piece};
use super::units::{Color, Point, Pt, Size};
use crate::model::{Align, Document, Meta};
use crate::template::{furniture_context, Furniture, FurnitureBook};

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

/// The cover page.
pub fn cover(
    shaper: &mut Shaper,
    meta: &Meta,
    page: Size,
    area: Area,
    body: Pt,
) -> Frame {
    let mut f = Frame::default();
    let sans = TextStyle::new(Role::Heading, body);
    let band = Size::new(page.width, Pt(8.0));
    f.push(
        Point::new(Pt::ZERO, Pt::ZERO),
        FrameItem::Rect { size: band, fill: Some(Color::ACCENT), stroke: None },
    );
    marking(&mut f, shaper, meta, page, area, body);
    if let Some(org) = &meta.organisation {
        let s = sans.sized(body * 1.1).bold().color(Color::GREY);
        let p = [Piece::plain(org.to_uppercase(), s)];
        block_at(&mut f, shaper, &p, area, area.top + Pt(10.0), Align::Left, 1.3);
    }
    let mut y = area.top + area.height * 0.28;
    let title = sans.sized(body * 2.8).bold().color(Color::ACCENT);
    y = block_at(
        &mut f,
        shaper,
        &[Piece::plain(meta.title.clone(), title)],
        area,
        y,
        Align::Left,
        1.15,
    );
    if let Some(sub) = &meta.subtitle {
        y += body * 0.4;
        let s = sans.sized(body * 1.5).color(Color::GREY);
        y = block_at(
            &mut f,
            shaper,
            &[Piece::plain(sub.clone(), s)],
            area,
            y,
            Align::Left,
            1.25,
        );
    }
    y += body * 1.5;
    let rule = FrameItem::Line {
        delta: Point::new(Pt(72.0), Pt::ZERO),
        color: Color::ACCENT,
        width: Pt(2.0),
    };
    f.push(Point::new(area.left, y), rule);
    y += body * 1.5;
    let facts = sans.sized(body * 1.15);
    if let Some(event) = &meta.event {
        y = block_at(
            &mut f,
            shaper,
            &[Piece::plain(event.clone(), facts.bold())],
            area,
            y,
            Align::Left,
            1.4,
        );
    }
    if let Some(venue) = &meta.venue {
        y = block_at(
            &mut f,
            shaper,
            &[Piece::plain(venue.clone(), facts)],
            area,
            y,
            Align::Left,
            1.4,
        );
    }
    if let Some(dates) = meta.event_dates() {
        block_at(
            &mut f,
            shaper,
            &[Piece::plain(dates, facts)],
            area,
            y,
            Align::Left,
            1.4,
        );
    }
    // Bottom block: edition, issue date, authors.
    let small = sans.sized(body * 0.9).color(Color::GREY);
    let mut lines = Vec::new();
    if let Some(edition) = &meta.edition {
        lines.push(edition.clone());
    }
    lines.push(format!(
        "Issued {}",
        crate::model::date_range(meta.issue_date, meta.issue_date)
    ));
    if !meta.authors.is_empty() {
        lines.push(format!("Prepared by {}", meta.authors.join(", ")));
    }
    let mut y = area.top + area.height - body * 1.3 * lines.len() as f64;
    for l in lines {
        y = block_at(
            &mut f,
            shaper,
            &[Piece::plain(l, small)],
            area,
            y,
            Align::Left,
            1.3,
        );
    }
    f
}

/// The classification marking, centred in the top and bottom margins.
fn marking(
    f: &mut Frame,
    shaper: &mut Shaper,
    meta: &Meta,
    page: Size,
    area: Area,
    body: Pt,
) {
    if meta.classification.trim().is_empty() {
        return;
    }
    let style = TextStyle::new(Role::Heading, body * 0.85).bold().color(Color::RED);
    let p = [Piece::plain(meta.classification.to_uppercase(), style)];
    let top = (area.top / 2.0 - body * 0.6).max(Pt(2.0));
    block_at(f, shaper, &p, area, top, Align::Center, 1.2);
    let bottom_margin = page.height - area.top - area.height;
    let y = page.height - bottom_margin / 2.0 - body * 0.6;
    block_at(f, shaper, &p, area, y, Align::Center, 1.2);
}

/// Adds the running heads and feet of `[furniture]` (by default the marking at top and
/// bottom, the chapter title and "Page N of M") to every page but the cover.
pub fn decorate(
    pages: &mut [Page],
    chapters: &[Option<String>],
    shaper: &mut Shaper,
    furniture: &Furniture,
    meta: &Meta,
    area: Area,
    body: Pt,
) {
    let total = pages.len();
    let portrait = pages.first().map(|p| p.size);
    let book = FurnitureBook::from(meta);
    // Centre slots are set like the marking; the side slots small and grey.
    let centre = TextStyle::new(Role::Heading, body * 0.85).bold().color(Color::RED);
    let side = TextStyle::new(Role::Heading, body * 0.75).color(Color::GREY);
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        let chapter = chapters.get(i).cloned().flatten().unwrap_or_default();
        let context = furniture_context(&book, page.number, total, &chapter);
        // Landscape pages (wide tables) keep the margins where the reader expects them.
        let area = match portrait {
            Some(size) if size != page.size => area.landscape(size),
            _ => area,
        };
        let bottom_margin = page.size.height - area.top - area.height;
        let rows = [
            ((area.top / 2.0 - body * 0.6).max(Pt(2.0)), 0),
            (page.size.height - bottom_margin / 2.0 - body * 0.6, 3),
        ];
        let mut f = Frame::default();
        for (y, first) in rows {
            for (k, align) in
                [Align::Left, Align::Center, Align::Right].into_iter().enumerate()
            {
                let text = furniture.render(first + k, &context);
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
                block_at(
                    &mut f,
                    shaper,
                    &[Piece::plain(text, style)],
                    area,
                    top,
                    align,
                    1.2,
                );
            }
        }
        page.frame.items.extend(f.items);
    }
}

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
    if let Some(last) = out.last_mut() {
        last.height += size * 0.6;
    }
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
            first.items.push((Point::new(env.x + indent, Pt::ZERO), link));
        }
        if let Some(last) = chunks.last_mut() {
            let shaped = ctx.shaper.shape(&page, &style);
            let number_x = env.x + env.width - shaped.width;
            let leader_style = TextStyle::new(Role::Body, env.size).color(Color::GREY);
            let from = inner.x + last_width + env.size * 0.6;
            let to = number_x - env.size * 0.6;
            if let Some(run) = leader(ctx.shaper, &leader_style, from, to) {
                last.items.push((
                    Point::new(run.0, last.first_baseline),
                    FrameItem::Text(run.1),
                ));
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
        out.extend(chunks);
    }
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
