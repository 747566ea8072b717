//! A numbered copy's watermark: one line of light text across each page's diagonal,
//! from the bottom left up to the top right, drawn behind the content.

use std::sync::Arc;

use super::frame::{Page, Watermark};
use super::shape::{Role, Shaper, TextStyle};
use crate::geom::{Color, Point, Pt, Size};

/// The watermark's colour: light enough that text printed over it reads as before.
const INK: Color = Color::rgb(0xe4, 0xe6, 0xea);

/// The share of the page's diagonal the line spans.
const SPAN: f64 = 0.7;

/// The smallest and largest type sizes of the line.
const SIZES: (f64, f64) = (14.0, 96.0);

/// Puts `text` diagonally behind every page (once per page size: landscape pages get
/// their own line).
pub fn mark(pages: &mut [Page], shaper: &mut Shaper, text: &str) {
    let mut made: Vec<(Size, Arc<Watermark>)> = Vec::new();
    for page in pages {
        let found = made.iter().find(|(size, _)| *size == page.size);
        let mark = match found {
            Some((_, m)) => m.clone(),
            None => {
                let m = Arc::new(line(shaper, text, page.size));
                made.push((page.size, m.clone()));
                m
            }
        };
        page.watermark = Some(mark);
        // The page shows something new: a new key (see `Page::key`).
        page.key = crate::memo::hash128(&(page.key, "watermark", text));
    }
}

/// The line for pages of `size`, centred on the page.
fn line(shaper: &mut Shaper, text: &str, size: Size) -> Watermark {
    let (w, h) = (size.width.0, size.height.0);
    let angle = h.atan2(w);
    let probe = 10.0;
    let style = |s: f64| TextStyle::new(Role::Heading, Pt(s)).bold().color(INK);
    let width = shaper.shape(text, &style(probe)).width.0.max(0.01);
    let type_size = (probe * SPAN * w.hypot(h) / width).clamp(SIZES.0, SIZES.1);
    let shaped = shaper.shape(text, &style(type_size));
    // Characters no font has were reported where the text is shown on the cover and
    // furniture, or are simply left out here: a watermark is no part of the text.
    shaper.take_warnings();
    let mut x = Pt::ZERO;
    let mut runs = Vec::with_capacity(shaped.runs.len());
    for run in &shaped.runs {
        runs.push((x, run.clone()));
        x += run.width();
    }
    // The line's middle at the page's centre, its capitals (about 0.7 em high) centred
    // across it: start half the line back along it, and a third of an em below it.
    let (cos, sin) = (angle.cos(), angle.sin());
    let half = shaped.width.0 / 2.0;
    let drop = type_size * 0.35;
    let origin = Point::new(
        Pt(w / 2.0 - half * cos + drop * sin),
        Pt(h / 2.0 + half * sin + drop * cos),
    );
    Watermark { runs, origin, angle }
}
