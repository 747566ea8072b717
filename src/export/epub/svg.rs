//! Charts as SVG files: the geometry from [`crate::chart`] written as SVG 1.1 shapes,
//! with `<title>` and `<desc>`, for an `<img>` in the chapter.

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
    // A white ground, so the chart stays legible in a reader's dark mode.
    out.push_str(&format!("<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n"));
    out.push_str(&format!("<g font-family=\"{FONT_FAMILY}\">\n"));
    for mark in &g.marks {
        match mark {
            Mark::Rect { at, size, fill, stroke } => {
                out.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
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
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" \
                 stroke-width=\"{}\"/>\n",
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
                out.push_str(&format!(
                    "<{tag} points=\"{}\" fill=\"{fill}\"",
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
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" \
                     text-anchor=\"{anchor}\"{}>{}</text>\n",
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
