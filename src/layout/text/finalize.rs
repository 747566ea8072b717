//! Turning chosen breaks into positioned lines: the parts of a word that stayed on one
//! line are shaped together again (so ligatures and kerning across hyphenation points
//! survive), a hyphen is added where a word was hyphenated, and in justified lines the
//! spaces absorb the difference to the full width.

use std::sync::Arc;

use super::super::frame::{FrameItem, LinkDest};
use super::super::shape::{Shaped, Shaper};
use super::super::units::{Point, Pt, Size};
use super::linebreak::Brk;
use super::words::{After, Joined, Word};
use super::{Line, Piece};
use crate::model::Align;

/// A run of drawn text: shaped text of one piece, or a space.
struct Seg {
    piece: usize,
    text: String,
    space: bool,
    /// How much this space may grow relative to the others (its width; for the gap
    /// between two CJK characters, a tenth of an em).
    stretch: Pt,
    shaped: Option<Arc<Shaped>>,
}

/// How one line is set.
pub struct Setting {
    /// The width of the line.
    pub width: Pt,
    /// Horizontal alignment of unjustified lines.
    pub align: Align,
    /// Line height as a multiple of the type size.
    pub leading: f64,
    /// Stretch or shrink the spaces to fill the width.
    pub justify: bool,
}

/// Composes the line `brk` of `words`.
pub fn compose(
    shaper: &mut Shaper,
    pieces: &[Piece],
    joined: &Joined,
    words: &[Word],
    brk: &Brk,
    set: &Setting,
) -> Line {
    let line = &words[brk.start..=brk.end];
    let hyphenated = line.last().is_some_and(|w| w.after == After::Hyphen);
    let mut segs = segments(joined, line, hyphenated, true, set.justify);
    let mut content = shape_all(shaper, pieces, &mut segs);
    if content > set.width + Pt(0.01) {
        // Joining parts changed the width (kerning): draw the parts as measured.
        segs = segments(joined, line, hyphenated, false, set.justify);
        content = shape_all(shaper, pieces, &mut segs);
    }
    let size = line
        .iter()
        .flat_map(|w| w.boxes.iter())
        .map(|b| pieces[b.piece].style.size)
        .fold(Pt::ZERO, Pt::max);
    let size = if size == Pt::ZERO {
        pieces.first().map_or(Pt(10.0), |p| p.style.size)
    } else {
        size
    };
    let height = size * set.leading;
    let baseline = (height - size * 1.362) / 2.0 + size * 1.069;
    let width_of = |s: &Seg| s.shaped.as_ref().map_or(Pt::ZERO, |x| x.width);
    let space_total: Pt = segs.iter().filter(|s| s.space).map(width_of).sum();
    let stretch_total: Pt = segs.iter().filter(|s| s.space).map(|s| s.stretch).sum();
    let last_line =
        line.last().is_some_and(|w| matches!(w.after, After::End | After::Forced));
    // Spaces grow in proportion to their stretch and shrink in proportion to their width.
    let slack = set.width - content;
    let extra = |s: &Seg| -> Pt {
        if !set.justify || !s.space {
            Pt::ZERO
        } else if slack > Pt::ZERO && !last_line && stretch_total > Pt::ZERO {
            s.stretch * (slack / stretch_total)
        } else if slack < Pt::ZERO && space_total > Pt::ZERO {
            width_of(s) * (slack / space_total)
        } else {
            Pt::ZERO
        }
    };
    let adjusted = segs.iter().any(|s| extra(s) != Pt::ZERO);
    let mut x = match set.align {
        _ if set.justify => Pt::ZERO,
        Align::Left => Pt::ZERO,
        Align::Center => ((set.width - content) / 2.0).max(Pt::ZERO),
        Align::Right => (set.width - content).max(Pt::ZERO),
    };
    let mut items = Vec::new();
    let mut links: Vec<(LinkDest, Pt, Pt, Pt)> = Vec::new();
    for seg in &segs {
        let piece = &pieces[seg.piece];
        if seg.space {
            let start = x;
            x += width_of(seg) + extra(seg);
            extend_link(&mut links, piece, start, x, baseline);
            continue;
        }
        let Some(shaped) = &seg.shaped else { continue };
        let mut run_x = x;
        if let Some(anchor) = &piece.anchor {
            let top = baseline - piece.style.size * 1.5;
            items.push((Point::new(x, top), FrameItem::Anchor(anchor.clone())));
        }
        for run in &shaped.runs {
            let pos = Point::new(run_x, baseline - piece.raise);
            run_x += run.width();
            if !run.glyphs.is_empty() {
                items.push((pos, FrameItem::Text(run.clone())));
            }
        }
        if piece.strike && run_x > x {
            let y = baseline - piece.raise - piece.style.size * 0.28;
            let delta = Point::new(run_x - x, Pt::ZERO);
            let line = FrameItem::Line {
                delta,
                color: piece.style.color,
                width: piece.style.size * 0.06,
            };
            items.push((Point::new(x, y), line));
        }
        extend_link(&mut links, piece, x, run_x, baseline);
        x = run_x;
    }
    for (dest, start, end, top) in links {
        let size = Size::new(end - start, size * 1.25);
        items.push((Point::new(start, top), FrameItem::Link { size, target: dest }));
    }
    let width = if adjusted { set.width.min(x) } else { content };
    Line { width, height, baseline, items }
}

/// Extends the last link area over `start..end` if it continues it, or starts one.
fn extend_link(
    links: &mut Vec<(LinkDest, Pt, Pt, Pt)>,
    piece: &Piece,
    start: Pt,
    end: Pt,
    baseline: Pt,
) {
    let Some(dest) = &piece.link else { return };
    let top = baseline - piece.raise - piece.style.size;
    match links.last_mut() {
        Some((d, _, e, _)) if d == dest && (*e - start).0.abs() < 0.01 => *e = end,
        _ => links.push((dest.clone(), start, end, top)),
    }
}

/// The drawn runs of a line: boxes of the same piece not separated by a space are
/// joined when `join` is set; spaces between words (and, when justifying, stretchable
/// gaps between CJK characters); a hyphen at the end if wanted.
fn segments(
    joined: &Joined,
    line: &[Word],
    hyphenated: bool,
    join: bool,
    justify: bool,
) -> Vec<Seg> {
    let seg = |piece: usize, text: String, space: bool, stretch: Pt| Seg {
        piece,
        text,
        space,
        stretch,
        shaped: None,
    };
    let mut segs: Vec<Seg> = Vec::new();
    let last = line.len().saturating_sub(1);
    for (n, word) in line.iter().enumerate() {
        for b in &word.boxes {
            let text = &joined.text[b.range.clone()];
            match segs.last_mut() {
                Some(s) if join && !s.space && s.piece == b.piece => {
                    s.text.push_str(text);
                }
                _ => segs.push(seg(b.piece, text.to_string(), false, Pt::ZERO)),
            }
        }
        if n == last {
            continue;
        }
        let piece = word.boxes.last().map_or(0, |b| b.piece);
        if let Some(space) = &word.space {
            let text = joined.text[space.range.clone()].to_string();
            segs.push(seg(space.piece, text, true, Pt::ZERO));
        } else if justify && word.cjk_stretch > Pt::ZERO {
            // Justified CJK text takes up slack between its characters.
            segs.push(seg(piece, String::new(), true, word.cjk_stretch));
        } else if !join {
            // Keep parts apart so they are drawn exactly as measured.
            segs.push(seg(piece, String::new(), true, Pt::ZERO));
        }
    }
    if hyphenated {
        if let Some(piece) = line.last().and_then(|w| w.boxes.last()).map(|b| b.piece) {
            match segs.last_mut() {
                Some(s) if join && !s.space && s.piece == piece => s.text.push('-'),
                _ => segs.push(seg(piece, "-".into(), false, Pt::ZERO)),
            }
        }
    }
    segs
}

/// Shapes every segment; returns the total width.
fn shape_all(shaper: &mut Shaper, pieces: &[Piece], segs: &mut [Seg]) -> Pt {
    let mut total = Pt::ZERO;
    for s in segs {
        if s.text.is_empty() {
            continue;
        }
        let shaped = shaper.shape(&s.text, &pieces[s.piece].style);
        total += shaped.width;
        if s.space {
            s.stretch = shaped.width;
        }
        s.shaped = Some(shaped);
    }
    total
}
