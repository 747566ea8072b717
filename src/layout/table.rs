//! Tables: column widths from content, wrapped cells, repeated header rows; and the
//! data table shown for a chart that cannot be drawn readably.

use std::sync::Arc;

use super::blocks::{caption, source_line, styled};
use super::columns::{distribute, groups, ColWidth, MinWidth, MIN_TABLE_SIZE};
use super::flow::{Chunk, Ctx, Env};
use super::frame::FrameItem;
use super::shape::{Role, TextStyle};
use super::tag::{self, Element, StructRole};
use super::text::{self, Piece};
use crate::geom::{Color, Point, Pt};
use crate::model::{Align, Chart, Table};

/// A table block with its caption and source.
///
/// A table is set at 0.82 of the body size. If its columns' minimum widths (the longest
/// unbreakable word in each) do not fit the text area, its type shrinks, down to 7 pt.
/// If they do not fit even at 7 pt, the table goes on landscape pages of its own, set as
/// large as the landscape width allows (up to the usual size); only if it does not fit
/// there either do its cells break inside words.
pub fn table(ctx: &mut Ctx<'_>, t: &Table, env: Env) -> Vec<Chunk> {
    let cols: Vec<ColSpec> = t
        .columns
        .iter()
        .map(|c| ColSpec {
            align: if c.numeric && c.align == Align::Left {
                Align::Right
            } else {
                c.align
            },
            decimal: c.numeric && c.align != Align::Center,
        })
        .collect();
    let usual = env.size * 0.82;
    let (header, rows) = cells(ctx, t, usual);
    let need =
        MinWidth::measure(ctx.shaper, t.columns.len(), &header, &rows, usual, PAD_X);
    // Landscape pages only for a table in the full text width (not inside a list or a
    // panel, whose decorations are drawn for portrait pages).
    let can_turn = env.x == Pt::ZERO && ctx.landscape.width > env.width;
    let (size, env, landscape) = match need.preferred_size_for(env.width) {
        Some(size) => (size, env, false),
        None if can_turn => {
            let wide = Env { width: ctx.landscape.width, ..env };
            (need.preferred_size_for(wide.width).unwrap_or(MIN_TABLE_SIZE), wide, true)
        }
        None => (MIN_TABLE_SIZE, env, false),
    };
    let (header, rows) = if size == usual { (header, rows) } else { cells(ctx, t, size) };
    let page_height = if landscape { ctx.landscape.height } else { ctx.area_height };

    let locale = ctx.locale.clone();
    let label = t.number.map(|n| locale.numbered("table", n));
    let mut out = caption(ctx, label, t.caption.as_deref(), env);
    // Continuation pages repeat the header under "Table N (continued)".
    let style = TextStyle::new(Role::Heading, env.size * 0.9).italic().color(Color::GREY);
    let label = match t.number {
        Some(n) => locale.label("table-continued", &[("n", &n.to_string())]),
        None => locale.text("continued"),
    };
    let mut continued =
        super::blocks::pieces(ctx, &[Piece::plain(label, style)], env, Align::Left, 1.35);
    continued.iter_mut().for_each(|c| c.landscape = landscape);
    out.extend(grid(ctx, &cols, &header, &rows, env, continued, page_height));
    tag::wrap(&mut out, Element::new(StructRole::Table));
    if let Some(source) = &t.source {
        source_line(ctx, &mut out, source, env);
    }
    out.iter_mut().for_each(|c| c.landscape = landscape);
    out
}

/// Cell contents as pieces, by row.
type Cells = Vec<Vec<Vec<Piece>>>;

/// The header and body cells of `t` set at `size`.
fn cells(ctx: &Ctx<'_>, t: &Table, size: Pt) -> (Cells, Cells) {
    let head_style = TextStyle::new(Role::Heading, size).bold();
    let body_style = TextStyle::new(Role::Heading, size);
    let header = t
        .header
        .iter()
        .map(|r| r.cells.iter().map(|c| styled(ctx, &c.content, head_style)).collect())
        .collect();
    let rows = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| styled(ctx, &c.content, body_style)).collect())
        .collect();
    (header, rows)
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, Default)]
struct ColSpec {
    align: Align,
    /// Body cells are aligned on the decimal point (or after the last digit).
    decimal: bool,
}

const PAD_X: Pt = Pt(4.0);
const PAD_Y: Pt = Pt(2.5);

/// The width of the part of a number from its decimal point on (or, without one, from
/// after its last digit): "94.8" → ".8", "78%" → "%", "1,234" → "".
fn decimal_tail(shaper: &mut super::shape::Shaper, cell: &[Piece]) -> Option<Pt> {
    let text: String = cell.iter().map(|p| p.text.as_str()).collect();
    let style = cell.first()?.style;
    let trimmed = text.trim();
    if !trimmed.chars().any(|c| c.is_ascii_digit()) || trimmed.contains('\n') {
        return None;
    }
    let at = trimmed
        .find('.')
        .filter(|&i| trimmed[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
    let at = at.unwrap_or_else(|| {
        trimmed.rfind(|c: char| c.is_ascii_digit()).map_or(trimmed.len(), |i| i + 1)
    });
    Some(shaper.shape(&trimmed[at..], &style).width)
}

/// A chart, shown as a captioned table of categories × series.
///
/// Sized like a [`table`]: its type shrinks down to 7 pt if the columns do not fit, and
/// if they do not fit even then, it goes on landscape pages (a chart has too many series
/// or bars for a drawing exactly when its table is likely to be wide).
pub fn chart(ctx: &mut Ctx<'_>, c: &Chart, env: Env) -> Vec<Chunk> {
    let locale = ctx.locale.clone();
    let usual = env.size * 0.82;
    let (header, rows) = chart_cells(ctx, c, usual);
    let n = c.series.len() + 1;
    let need = MinWidth::measure(ctx.shaper, n, &header, &rows, usual, PAD_X);
    // A table of few series stays narrow.
    let cap = Pt(120.0 + 90.0 * c.series.len() as f64);
    let can_turn = env.x == Pt::ZERO && ctx.landscape.width > env.width;
    let portrait = cap.min(env.width);
    let (size, width, landscape) = match need.preferred_size_for(portrait) {
        Some(size) => (size, portrait, false),
        None if can_turn => {
            let wide = cap.min(ctx.landscape.width);
            (need.preferred_size_for(wide).unwrap_or(MIN_TABLE_SIZE), wide, true)
        }
        None => (MIN_TABLE_SIZE, portrait, false),
    };
    let (header, rows) =
        if size == usual { (header, rows) } else { chart_cells(ctx, c, size) };
    let env = if landscape { Env { width: ctx.landscape.width, ..env } } else { env };
    let page_height = if landscape { ctx.landscape.height } else { ctx.area_height };
    let label = c.number.map(|n| locale.numbered("figure", n));
    let mut out = caption(ctx, label, c.caption.as_deref(), env);
    let mut cols = vec![ColSpec { align: Align::Left, decimal: false }];
    cols.extend(c.series.iter().map(|_| ColSpec { align: Align::Right, decimal: true }));
    let grid_env = Env { width, ..env };
    out.extend(grid(ctx, &cols, &header, &rows, grid_env, vec![], page_height));
    tag::wrap(&mut out, Element::new(StructRole::Table));
    let unit =
        if c.y_label.is_empty() { c.unit.clone() } else { Some(c.y_label.clone()) };
    if let Some(unit) = unit {
        let style = TextStyle::new(Role::Heading, env.size * 0.75).color(Color::GREY);
        let mut note = super::blocks::pieces(
            ctx,
            &[Piece::plain(locale.label("values-in", &[("unit", &unit)]), style)],
            env,
            Align::Left,
            1.3,
        );
        tag::wrap(&mut note, Element::new(StructRole::P));
        if let Some(f) = note.first_mut() {
            f.space_before = env.size * 0.3;
        }
        out.extend(note);
    }
    if let Some(source) = &c.source {
        source_line(ctx, &mut out, source, env);
    }
    out.iter_mut().for_each(|c| c.landscape = landscape);
    out
}

/// The header row and body rows of a chart's table, set at `size`.
fn chart_cells(ctx: &Ctx<'_>, c: &Chart, size: Pt) -> (Cells, Cells) {
    let head = TextStyle::new(Role::Heading, size).bold();
    let body = TextStyle::new(Role::Heading, size);
    let mut first = vec![vec![Piece::plain(c.x_label.clone(), head)]];
    first.extend(c.series.iter().map(|s| vec![Piece::plain(s.name.clone(), head)]));
    let rows = c
        .categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let mut row = vec![vec![Piece::plain(cat.clone(), body)]];
            for s in &c.series {
                // A column keeps one number of decimals, as written or declared.
                let v = s.values.get(i).copied().flatten();
                let v = v.map_or("–".to_string(), |v| {
                    ctx.locale.number(v, s.shown_decimals())
                });
                row.push(vec![Piece::plain(v, body)]);
            }
            row
        })
        .collect();
    (vec![first], rows)
}

/// Lays out header and body rows; each row is a chunk, body rows repeat the header
/// (after `continued`, the continuation caption) at the top of a page.
fn grid(
    ctx: &mut Ctx<'_>,
    specs: &[ColSpec],
    header: &[Vec<Vec<Piece>>],
    rows: &[Vec<Vec<Piece>>],
    env: Env,
    continued: Vec<Chunk>,
    page_height: Pt,
) -> Vec<Chunk> {
    let cols = header.iter().chain(rows).map(Vec::len).max().unwrap_or(0).max(1);
    let floor = Pt(8.0);
    let mut want = vec![
        ColWidth {
            min: floor,
            soft: floor,
            max: floor,
            keep: Pt::ZERO,
            least: floor
        };
        cols
    ];
    for (r, row) in header.iter().chain(rows).enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let (lo, hi) = text::measure(ctx.shaper, cell);
            let soft = text::preferred_min(ctx.shaper, cell);
            let w = &mut want[i];
            // No character is wider than an em (of the largest type in the cell).
            let em = cell.iter().map(|p| p.style.size).fold(Pt::ZERO, Pt::max);
            w.least = w.least.max(em + PAD_X * 2.0);
            w.min = w.min.max(lo + PAD_X * 2.0);
            w.soft = w.soft.max(soft + PAD_X * 2.0);
            w.max = w.max.max(hi + PAD_X * 2.0 + Pt(0.5));
            // The numbers of a numeric column are never broken while words can be.
            if r >= header.len() && specs.get(i).is_some_and(|s| s.decimal) {
                w.keep = w.keep.max(lo + PAD_X * 2.0);
            }
        }
    }
    // More columns than the width holds at one character a line: the table is set in
    // parts of as many columns as fit, each part after the first under the
    // continuation caption.
    let parts = groups(&want, env.width);
    if parts.len() > 1 {
        let mut out = Vec::new();
        for (k, part) in parts.into_iter().enumerate() {
            let pick = |rows: &[Vec<Vec<Piece>>]| -> Cells {
                rows.iter()
                    .map(|r| r.get(part.clone()).unwrap_or_default().to_vec())
                    .collect()
            };
            let specs = &specs[part.start.min(specs.len())..part.end.min(specs.len())];
            let (header, rows) = (pick(header), pick(rows));
            if k > 0 {
                let mut caption = continued.clone();
                caption.iter_mut().for_each(|c| c.keep_with_next = true);
                out.extend(caption);
            }
            let again = continued.clone();
            out.extend(grid(ctx, specs, &header, &rows, env, again, page_height));
        }
        return out;
    }
    // Decimal alignment: the widest tail (".8", "%") sets where the points line up.
    let mut tails: Vec<Vec<Option<Pt>>> = Vec::with_capacity(rows.len());
    let mut tail_max = vec![Pt::ZERO; cols];
    let mut head_max = vec![Pt::ZERO; cols];
    for row in rows {
        let mut t = Vec::with_capacity(row.len());
        for (i, cell) in row.iter().enumerate() {
            let tail = if specs.get(i).is_some_and(|s| s.decimal) {
                decimal_tail(ctx.shaper, cell)
            } else {
                None
            };
            if let Some(tail) = tail {
                let (_, hi) = text::measure(ctx.shaper, cell);
                tail_max[i] = tail_max[i].max(tail);
                head_max[i] = head_max[i].max(hi - tail);
            }
            t.push(tail);
        }
        tails.push(t);
    }
    for (i, w) in want.iter_mut().enumerate() {
        w.max = w.max.max(head_max[i] + tail_max[i] + PAD_X * 2.0 + Pt(0.5));
        w.soft = w.soft.min(w.max);
    }
    let widths = distribute(&want, env.width);
    // A row taller than this is cut into parts between lines.
    let limit = (page_height * 0.8).max(Pt(40.0));
    let row_chunks = |ctx: &mut Ctx<'_>,
                      row: &[Vec<Piece>],
                      tails: Option<&Vec<Option<Pt>>>,
                      is_header: bool| {
        // Each cell's lines, cut into parts no taller than `limit`; each part is a
        // row of the table's structure, each cell of it a header or data cell.
        let mut parts: Vec<Chunk> = Vec::new();
        let mut cell_items: Vec<Vec<Vec<(Point, FrameItem)>>> = Vec::new();
        let mut x = env.x;
        for (i, w) in widths.iter().enumerate() {
            let a = specs.get(i).map(|s| s.align).unwrap_or_default();
            if let Some(cell) = row.get(i) {
                let inner = (*w - PAD_X * 2.0).max(Pt(1.0));
                // Right padding that lines this number's point up with the others.
                let tail = tails.and_then(|t| t.get(i).copied().flatten());
                let shift = match tail {
                    Some(t) if a == Align::Right => (tail_max[i] - t).min(inner * 0.5),
                    _ => Pt::ZERO,
                };
                let lines = text::layout(ctx.shaper, cell, inner - shift, a, 1.3);
                let (mut part, mut y) = (0, PAD_Y);
                for line in lines {
                    if y + line.height + PAD_Y > limit && y > PAD_Y {
                        part += 1;
                        y = PAD_Y;
                    }
                    while parts.len() <= part {
                        parts.push(Chunk::new(Pt::ZERO));
                        cell_items.push(vec![Vec::new(); widths.len()]);
                    }
                    for (p, item) in line.items {
                        cell_items[part][i]
                            .push((Point::new(x + PAD_X + p.x, y + p.y), item));
                    }
                    y += line.height;
                    parts[part].height = parts[part].height.max(y + PAD_Y);
                }
            }
            x += *w;
        }
        if parts.is_empty() {
            parts.push(Chunk::new(Pt::ZERO));
            cell_items.push(vec![Vec::new(); widths.len()]);
        }
        let cell = if is_header { StructRole::TH } else { StructRole::TD };
        for (part, cells) in parts.iter_mut().zip(cell_items) {
            part.items.push(tag::start(Element::new(StructRole::TR)));
            for mut items in cells {
                tag::wrap_items(&mut items, Element::new(cell));
                part.items.extend(items);
            }
            part.items.push(tag::end());
        }
        let total: Pt = widths.iter().copied().sum();
        let (color, width) =
            if is_header { (Color::BLACK, Pt(0.8)) } else { (Color::RULE, Pt(0.4)) };
        let count = parts.len();
        for (n, c) in parts.iter_mut().enumerate() {
            c.height = c.height.max(Pt(6.0));
            if n + 1 == count {
                let line =
                    FrameItem::Line { delta: Point::new(total, Pt::ZERO), color, width };
                c.items.push((Point::new(env.x, c.height), line));
            }
        }
        parts
    };
    let mut head: Vec<Chunk> =
        header.iter().flat_map(|r| row_chunks(ctx, r, None, true)).collect();
    if let Some(first) = head.first_mut() {
        let total: Pt = widths.iter().copied().sum();
        let line = FrameItem::Line {
            delta: Point::new(total, Pt::ZERO),
            color: Color::BLACK,
            width: Pt(0.8),
        };
        first.items.push((Point::new(env.x, Pt::ZERO), line));
    }
    tag::wrap(&mut head, Element::new(StructRole::THead));
    head.iter_mut().for_each(|c| c.keep_with_next = true);
    let repeat = (!head.is_empty()).then(|| {
        let mut again = continued;
        again.extend(head.iter().cloned());
        again.iter_mut().for_each(|c| c.space_before = Pt::ZERO);
        Arc::new(again)
    });
    let mut out = head;
    let body_start = out.len();
    for (r, (row, tails)) in rows.iter().zip(&tails).enumerate() {
        for (k, mut c) in row_chunks(ctx, row, Some(tails), false).into_iter().enumerate()
        {
            c.repeat = repeat.clone();
            // Where a page that starts with this row begins (the page map).
            if k == 0 {
                c.mark = Some(super::flow::Mark { item: 0, row: Some(r), first: false });
            }
            out.push(c);
        }
    }
    tag::wrap(&mut out[body_start..], Element::new(StructRole::TBody));
    out
}
