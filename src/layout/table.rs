//! Tables: column widths from content, wrapped cells, repeated header rows. Charts are
//! shown as compact data tables for now.

use std::rc::Rc;

use super::blocks::{caption, source_line, styled};
use super::flow::{Chunk, Ctx, Env};
use super::frame::FrameItem;
use super::shape::{Role, TextStyle};
use super::text::{self, Piece};
use super::units::{Color, Point, Pt};
use crate::model::{Align, Chart, Table};

/// Distributes `avail` over columns with content widths between `min` and `max`.
///
/// If everything fits at natural width, columns get their natural width. Otherwise each
/// column gets its minimum plus a share of the rest in proportion to how much more it
/// wants. If even the minimums do not fit, they are scaled down (cells then break words).
pub fn distribute(min: &[Pt], max: &[Pt], avail: Pt) -> Vec<Pt> {
    let sum_min: Pt = min.iter().copied().sum();
    let sum_max: Pt = max.iter().copied().sum();
    if sum_max <= avail {
        return max.to_vec();
    }
    if sum_min >= avail || sum_max <= sum_min {
        let f = if sum_min > Pt::ZERO { avail / sum_min } else { 0.0 };
        return min.iter().map(|&m| m * f).collect();
    }
    let f = (avail - sum_min) / (sum_max - sum_min);
    min.iter().zip(max).map(|(&lo, &hi)| lo + (hi - lo) * f).collect()
}

/// A table block with its caption and source.
pub fn table(ctx: &mut Ctx<'_>, t: &Table, env: Env) -> Vec<Chunk> {
    let label = t.number.map(|n| format!("Table {n}."));
    let mut out = caption(ctx, label, t.caption.as_deref(), env);
    let size = env.size * 0.82;
    let head_style = TextStyle::new(Role::Heading, size).bold();
    let body_style = TextStyle::new(Role::Heading, size);
    let align: Vec<Align> = t
        .columns
        .iter()
        .map(|c| if c.numeric && c.align == Align::Left { Align::Right } else { c.align })
        .collect();
    let header: Vec<Vec<Vec<Piece>>> = t
        .header
        .iter()
        .map(|r| r.cells.iter().map(|c| styled(ctx, &c.content, head_style)).collect())
        .collect();
    let rows: Vec<Vec<Vec<Piece>>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| styled(ctx, &c.content, body_style)).collect())
        .collect();
    out.extend(grid(ctx, &align, &header, &rows, env));
    if let Some(source) = &t.source {
        out.extend(source_line(ctx, source, env));
    }
    out
}

/// A chart, shown as a captioned table of categories × series.
pub fn chart(ctx: &mut Ctx<'_>, c: &Chart, env: Env) -> Vec<Chunk> {
    let label = c.number.map(|n| format!("Figure {n}."));
    let mut out = caption(ctx, label, c.caption.as_deref(), env);
    let size = env.size * 0.82;
    let head = TextStyle::new(Role::Heading, size).bold();
    let body = TextStyle::new(Role::Heading, size);
    let mut first = vec![vec![Piece::plain(c.x_label.clone(), head)]];
    first.extend(c.series.iter().map(|s| vec![Piece::plain(s.name.clone(), head)]));
    let rows: Vec<Vec<Vec<Piece>>> = c
        .categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let mut row = vec![vec![Piece::plain(cat.clone(), body)]];
            for s in &c.series {
                let v =
                    s.values.get(i).copied().flatten().map_or("–".to_string(), number);
                row.push(vec![Piece::plain(v, body)]);
            }
            row
        })
        .collect();
    let mut align = vec![Align::Left];
    align.extend(c.series.iter().map(|_| Align::Right));
    let width = Pt(120.0 + 90.0 * c.series.len() as f64).min(env.width);
    let grid_env = Env { width, ..env };
    out.extend(grid(ctx, &align, &[first], &rows, grid_env));
    let unit =
        if c.y_label.is_empty() { c.unit.clone() } else { Some(c.y_label.clone()) };
    if let Some(unit) = unit {
        let style = TextStyle::new(Role::Heading, env.size * 0.75).color(Color::GREY);
        let mut note = super::blocks::pieces(
            ctx,
            &[Piece::plain(format!("Values: {unit}"), style)],
            env,
            Align::Left,
            1.3,
        );
        if let Some(f) = note.first_mut() {
            f.space_before = env.size * 0.3;
        }
        out.extend(note);
    }
    if let Some(source) = &c.source {
        out.extend(source_line(ctx, source, env));
    }
    out
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Lays out header and body rows; each row is a chunk, body rows repeat the header.
fn grid(
    ctx: &mut Ctx<'_>,
    align: &[Align],
    header: &[Vec<Vec<Piece>>],
    rows: &[Vec<Vec<Piece>>],
    env: Env,
) -> Vec<Chunk> {
    let cols = header.iter().chain(rows).map(Vec::len).max().unwrap_or(0).max(1);
    let pad_x = Pt(4.0);
    let pad_y = Pt(2.5);
    let mut min = vec![Pt(8.0); cols];
    let mut max = vec![Pt(8.0); cols];
    for row in header.iter().chain(rows) {
        for (i, cell) in row.iter().enumerate() {
            let (lo, hi) = text::measure(ctx.shaper, cell);
            min[i] = min[i].max(lo + pad_x * 2.0);
            max[i] = max[i].max(hi + pad_x * 2.0 + Pt(0.5));
        }
    }
    let widths = distribute(&min, &max, env.width);
    // A row taller than this is cut into parts between lines.
    let limit = (ctx.area_height * 0.8).max(Pt(40.0));
    let row_chunks = |ctx: &mut Ctx<'_>, row: &[Vec<Piece>], is_header: bool| {
        // Each cell's lines, cut into parts no taller than `limit`.
        let mut parts: Vec<Chunk> = Vec::new();
        let mut x = env.x;
        for (i, w) in widths.iter().enumerate() {
            let a = align.get(i).copied().unwrap_or_default();
            if let Some(cell) = row.get(i) {
                let inner = (*w - pad_x * 2.0).max(Pt(1.0));
                let lines = text::layout(ctx.shaper, cell, inner, a, 1.3);
                let (mut part, mut y) = (0, pad_y);
                for line in lines {
                    if y + line.height + pad_y > limit && y > pad_y {
                        part += 1;
                        y = pad_y;
                    }
                    while parts.len() <= part {
                        parts.push(Chunk::new(Pt::ZERO));
                    }
                    for (p, item) in line.items {
                        parts[part]
                            .items
                            .push((Point::new(x + pad_x + p.x, y + p.y), item));
                    }
                    y += line.height;
                    parts[part].height = parts[part].height.max(y + pad_y);
                }
            }
            x += *w;
        }
        if parts.is_empty() {
            parts.push(Chunk::new(Pt::ZERO));
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
        header.iter().flat_map(|r| row_chunks(ctx, r, true)).collect();
    if let Some(first) = head.first_mut() {
        let total: Pt = widths.iter().copied().sum();
        let line = FrameItem::Line {
            delta: Point::new(total, Pt::ZERO),
            color: Color::BLACK,
            width: Pt(0.8),
        };
        first.items.push((Point::new(env.x, Pt::ZERO), line));
    }
    head.iter_mut().for_each(|c| c.keep_with_next = true);
    let repeat = (!head.is_empty()).then(|| Rc::new(head.clone()));
    let mut out = head;
    for row in rows {
        for mut c in row_chunks(ctx, row, false) {
            c.repeat = repeat.clone();
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_widths_when_they_fit() {
        let w = distribute(&[Pt(10.0), Pt(20.0)], &[Pt(30.0), Pt(40.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(30.0), Pt(40.0)]);
    }

    #[test]
    fn shares_the_rest_between_min_and_max() {
        let w = distribute(&[Pt(10.0), Pt(10.0)], &[Pt(110.0), Pt(30.0)], Pt(80.0));
        let total: Pt = w.iter().copied().sum();
        assert!((total.0 - 80.0).abs() < 1e-9);
        assert!(w[0] > w[1]);
        assert!(w[0] >= Pt(10.0) && w[1] >= Pt(10.0));
    }

    #[test]
    fn scales_minimums_when_too_narrow() {
        let w = distribute(&[Pt(60.0), Pt(60.0)], &[Pt(100.0), Pt(100.0)], Pt(90.0));
        assert_eq!(w, vec![Pt(45.0), Pt(45.0)]);
    }
}
