//! Charts as SVG files: the geometry from [`crate::chart`] written as SVG 1.1 shapes,
//! with `<title>` and `<desc>`, for an `<img>` in the chapter.
//!
//! The ground is transparent, so the chart sits on the reader's page colour. Text and
//! rules drawn on the ground get a class (`ink`, `ink-2`, `axis`, `grid`), and series
//! lines a class per colour; a `<style>` gives them lighter colours under
//! `prefers-color-scheme: dark`, and outlines bars so they stand out on a dark page.
//! Text drawn inside a bar keeps the colour chosen for that bar.

use crate::chart::{Anchor, Geometry, Mark};
use crate::layout::{Color, Point, Pt};

use super::xhtml::escape;

/// The chart text's families: the book's sans-serif first, then generic fallbacks.
const FONT_FAMILY: &str = "'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

/// A coordinate with at most two decimals and no trailing zeros (stable bytes).
fn num(v: Pt) -> String {
    let s = format!("{:.2}", v.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

fn points(ps: &[Point]) -> String {
    let v: Vec<String> =
        ps.iter().map(|p| format!("{},{}", num(p.x), num(p.y))).collect();
    v.join(" ")
}

/// Writes `g` as a standalone SVG document titled `title` and described by `desc`.
pub(super) fn chart_svg(g: &Geometry, title: &str, desc: &str) -> String {
    let (w, h) = (num(g.size.width), num(g.size.height));
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-labelledby=\"title desc\">\n"
    ));
    out.push_str(&format!("<title id=\"title\">{}</title>\n", escape(title)));
    out.push_str(&format!("<desc id=\"desc\">{}</desc>\n", escape(desc)));
    out.push_str(&style(g));
    out.push_str(&format!("<g font-family=\"{FONT_FAMILY}\">\n"));
    for mark in &g.marks {
        match mark {
            Mark::Rect { at, size, fill, stroke } => {
                out.push_str(&format!(
                    "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
                    num(at.x),
                    num(at.y),
                    num(size.width),
                    num(size.height),
                    hex(*fill)
                ));
                if let Some((c, sw)) = stroke {
                    out.push_str(&format!(
                        " stroke=\"{}\" stroke-width=\"{}\"",
                        hex(*c),
                        num(*sw)
                    ));
                }
                out.push_str("/>\n");
            }
            Mark::Line { from, to, color, width } => out.push_str(&format!(
                "<line{} x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" \
                 stroke-width=\"{}\"/>\n",
                class_attr(*color),
                num(from.x),
                num(from.y),
                num(to.x),
                num(to.y),
                hex(*color),
                num(*width)
            )),
            Mark::Path { points: ps, closed, fill, stroke, dash } => {
                let tag = if *closed { "polygon" } else { "polyline" };
                let fill = fill.map_or("none".to_string(), hex);
                let class = match stroke {
                    Some((c, _)) if !closed => format!(" class=\"{}\"", series_class(*c)),
                    _ => String::new(),
                };
                out.push_str(&format!(
                    "<{tag}{class} points=\"{}\" fill=\"{fill}\"",
                    points(ps)
                ));
                if let Some((c, sw)) = stroke {
                    out.push_str(&format!(
                        " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
                        hex(*c),
                        num(*sw)
                    ));
                }
                if let Some((on, off)) = dash {
                    out.push_str(&format!(
                        " stroke-dasharray=\"{} {}\"",
                        num(*on),
                        num(*off)
                    ));
                }
                out.push_str("/>\n");
            }
            Mark::Text(l) => {
                let anchor = match l.anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                out.push_str(&format!(
                    "<text{} x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" \
                     text-anchor=\"{anchor}\"{}>{}</text>\n",
                    class_attr(l.color),
                    num(l.at.x),
                    num(l.at.y),
                    num(l.size),
                    hex(l.color),
                    if l.bold { " font-weight=\"bold\"" } else { "" },
                    escape(&l.text)
                ));
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// The ink colours drawn on the chart's ground, with their class and dark-scheme
/// colour (text: at least 4.5:1 on dark grounds; rules: at least 3:1).
const INKS: [(Color, &str, &str); 4] = [
    (Color::BLACK, "ink", "#e8eaed"),
    (Color::GREY, "ink-2", "#bdc1c6"),
    (Color::rgb(0x40, 0x40, 0x40), "axis", "#9aa0a6"),
    (Color::rgb(0xdd, 0xe0, 0xe4), "grid", "#4a4f55"),
];

/// ` class="…"` for a colour drawn on the ground, or nothing.
fn class_attr(c: Color) -> String {
    match INKS.iter().find(|(ink, ..)| *ink == c) {
        Some((_, class, _)) => format!(" class=\"{class}\""),
        None => String::new(),
    }
}

/// The class of a series line of colour `c`.
fn series_class(c: Color) -> String {
    format!("line-{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// A series colour made light enough for a dark ground: mixed 55% towards white.
pub(super) fn lighten(c: Color) -> Color {
    let mix = |v: u8| (v as f64 + (255.0 - v as f64) * 0.55).round() as u8;
    Color::rgb(mix(c.r), mix(c.g), mix(c.b))
}

/// The dark-scheme style sheet for `g`.
fn style(g: &Geometry) -> String {
    let mut css = String::from("@media (prefers-color-scheme: dark) {\n");
    for (_, class, dark) in INKS {
        let prop = if matches!(class, "axis" | "grid") { "stroke" } else { "fill" };
        css.push_str(&format!("  .{class} {{ {prop}: {dark}; }}\n"));
    }
    css.push_str("  .bar { stroke: #e8eaed; stroke-width: 1px; }\n");
    let mut lines: Vec<Color> = Vec::new();
    for mark in &g.marks {
        if let Mark::Path { closed: false, stroke: Some((c, _)), .. } = mark {
            if !lines.contains(c) {
                lines.push(*c);
            }
        }
    }
    for c in lines {
        css.push_str(&format!(
            "  .{} {{ stroke: {}; }}\n",
            series_class(c),
            hex(lighten(c))
        ));
    }
    css.push_str("}\n");
    format!("<style type=\"text/css\"><![CDATA[\n{css}]]></style>\n")
}
