//! A plain-text listing of a laid-out document, for golden tests and debugging.

use std::fmt::Write;

use super::frame::{FrameItem, LinkDest, PagedDocument, Path};
use crate::geom::{Color, Pt};

/// A length rounded to 0.01 pt (`-0.00` printed as `0.00`).
fn pt(v: Pt) -> String {
    let r = (v.0 * 100.0).round() / 100.0;
    format!("{:.2}", if r == 0.0 { 0.0 } else { r })
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

impl PagedDocument {
    /// Lists every page and every positioned item on it, one per line, lengths in points
    /// rounded to 0.01:
    ///
    /// ```text
    /// page 2 595.28x841.89
    /// text 70.87,96.50 "Revenue grew 4%" NotoSerif-Regular 10.50 #000000
    /// line 70.87,120.00 +453.54,+0.00 0.60 #cccccc
    /// ```
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            let s = page.size;
            let _ =
                writeln!(out, "page {} {}x{}", page.number, pt(s.width), pt(s.height));
            for (pos, item) in page.items() {
                let at = format!("{},{}", pt(pos.x), pt(pos.y));
                let _ = match item {
                    FrameItem::Text(run) => {
                        let text: String =
                            run.glyphs.iter().map(|g| g.text.as_str()).collect();
                        let font =
                            self.fonts.get(run.font.index()).map_or("?", |f| &f.name);
                        writeln!(
                            out,
                            "text {at} {text:?} {font} {} {} w={}{}",
                            pt(run.size),
                            hex(run.color),
                            pt(run.width()),
                            if run.stroked { " stroked" } else { "" }
                        )
                    }
                    FrameItem::Rect { size, fill, stroke } => writeln!(
                        out,
                        "rect {at} {}x{} fill={} stroke={}",
                        pt(size.width),
                        pt(size.height),
                        fill.map_or("-".into(), hex),
                        stroke.as_deref().map_or("-".into(), |&(c, w)| format!(
                            "{}/{}",
                            hex(c),
                            pt(w)
                        ))
                    ),
                    FrameItem::Line { delta, color, width } => writeln!(
                        out,
                        "line {at} {:+.2},{:+.2} {} {}",
                        delta.x.0.round_to(),
                        delta.y.0.round_to(),
                        pt(*width),
                        hex(*color)
                    ),
                    FrameItem::Path(shape) => {
                        let Path { points, closed, fill, stroke, dash } = &**shape;
                        let pts: Vec<String> = points
                            .iter()
                            .map(|p| format!("{},{}", pt(p.x), pt(p.y)))
                            .collect();
                        writeln!(
                            out,
                            "path {at} [{}]{} fill={} stroke={} dash={}",
                            pts.join(" "),
                            if *closed { " closed" } else { "" },
                            fill.map_or("-".into(), hex),
                            stroke.map_or("-".into(), |(c, w)| format!(
                                "{}/{}",
                                hex(c),
                                pt(w)
                            )),
                            dash.map_or("-".into(), |(a, b)| format!(
                                "{}/{}",
                                pt(a),
                                pt(b)
                            ))
                        )
                    }
                    FrameItem::Image { image, size } => writeln!(
                        out,
                        "image {at} {}x{} {} bytes",
                        pt(size.width),
                        pt(size.height),
                        image.bytes().len()
                    ),
                    FrameItem::Link { size, target } => {
                        let to = match &**target {
                            LinkDest::Anchor(a) => format!("#{a}"),
                            LinkDest::Url(u) => u.clone(),
                        };
                        writeln!(
                            out,
                            "link {at} {}x{} {to}",
                            pt(size.width),
                            pt(size.height)
                        )
                    }
                    FrameItem::Anchor(name) => writeln!(out, "anchor {at} {name}"),
                    // Structure is checked on the PDF (tests/pdf_tags.rs).
                    FrameItem::Tag(_) => Ok(()),
                };
            }
        }
        out
    }
}

/// Rounding to 0.01 for signed deltas.
trait RoundTo {
    fn round_to(self) -> f64;
}

impl RoundTo for f64 {
    fn round_to(self) -> f64 {
        let r = (self * 100.0).round() / 100.0;
        if r == 0.0 {
            0.0
        } else {
            r
        }
    }
}
