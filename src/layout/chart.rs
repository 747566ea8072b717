//! Charts in print: the geometry from [`crate::chart`] drawn as vector frame items
//! (rectangles, lines, paths) and text shaped with the book's heading family.

use super::blocks::{caption, source_line};
use super::flow::{Chunk, Ctx, Env};
use super::frame::{FrameItem, Path};
use super::shape::{Role, Shaper, TextStyle};
use super::tag::{self, Element, StructRole};
use crate::chart::{self, Anchor, Geometry, Label, Mark, Measure, Plan};
use crate::geom::{Point, Pt};
use crate::model::Chart;

/// Measures chart text with the shaper, in the heading (sans-serif) family.
struct ShaperMeasure<'a>(&'a mut Shaper);

impl Measure for ShaperMeasure<'_> {
    fn width(&mut self, text: &str, size: Pt, bold: bool) -> Pt {
        let mut style = TextStyle::new(Role::Heading, size);
        if bold {
            style = style.bold();
        }
        self.0.shape(text, &style).width
    }
}

/// A captioned chart with its source line; a chart that cannot be drawn readably
/// (see [`chart::plan`]) is shown as its data table.
pub fn chart(ctx: &mut Ctx<'_>, c: &Chart, env: Env) -> Vec<Chunk> {
    if chart::plan(c) == Plan::Table {
        return super::table::chart(ctx, c, env);
    }
    let label = c.number.map(|n| ctx.locale.numbered("figure", n));
    let mut out = caption(ctx, label, c.caption.as_deref(), env);
    let options = chart::Options { width: env.width, font_size: env.size * 0.76 };
    let numbers = ctx.locale.numbers().clone();
    let geometry =
        chart::layout_chart(c, options, &numbers, &mut ShaperMeasure(ctx.shaper));
    let mut body = draw(ctx, &geometry, env.x);
    // Read through the same generated description as the EPUB's alt text.
    let figure = Element::new(StructRole::Figure).alt(chart::describe(c, ctx.locale));
    tag::wrap_items(&mut body.items, figure);
    body.space_before = env.size * 0.2;
    body.keep_with_next = c.source.is_some();
    out.push(body);
    if let Some(source) = &c.source {
        source_line(ctx, &mut out, source, env);
    }
    out
}

/// The geometry as one unsplittable chunk whose left edge is at `x`.
fn draw(ctx: &mut Ctx<'_>, g: &Geometry, x: Pt) -> Chunk {
    let mut chunk = Chunk::new(g.size.height);
    let at = |p: Point| Point::new(p.x + x, p.y);
    for mark in &g.marks {
        match mark {
            Mark::Rect { at: p, size, fill, stroke } => chunk.items.push((
                at(*p),
                FrameItem::Rect {
                    size: *size,
                    fill: Some(*fill),
                    stroke: stroke.map(Box::new),
                },
            )),
            Mark::Line { from, to, color, width } => {
                let delta = Point::new(to.x - from.x, to.y - from.y);
                let item = FrameItem::Line { delta, color: *color, width: *width };
                chunk.items.push((at(*from), item));
            }
            Mark::Path { points, closed, fill, stroke, dash } => {
                let item = FrameItem::Path(Box::new(Path {
                    points: points.clone(),
                    closed: *closed,
                    fill: *fill,
                    stroke: *stroke,
                    dash: *dash,
                }));
                chunk.items.push((Point::new(x, Pt::ZERO), item));
            }
            Mark::Text(label) => text(ctx, &mut chunk, label, x),
        }
    }
    chunk
}

/// A label shaped and placed by its anchor (using the shaped width, so right-aligned
/// tick labels line up exactly).
fn text(ctx: &mut Ctx<'_>, chunk: &mut Chunk, label: &Label, x: Pt) {
    let mut style = TextStyle::new(Role::Heading, label.size).color(label.color);
    if label.bold {
        style = style.bold();
    }
    let shaped = ctx.shaper.shape(&label.text, &style);
    let mut left = x + label.at.x
        - match label.anchor {
            Anchor::Start => Pt::ZERO,
            Anchor::Middle => shaped.width / 2.0,
            Anchor::End => shaped.width,
        };
    for run in &shaped.runs {
        chunk.items.push((Point::new(left, label.at.y), FrameItem::Text(run.clone())));
        left += run.width();
    }
}
