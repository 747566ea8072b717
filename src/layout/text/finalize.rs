//! Turning chosen breaks into positioned lines: the parts of a word that stayed on one
//! line are shaped together again (so ligatures and kerning across hyphenation points
//! survive), a hyphen is added where a word was hyphenated, and in justified lines the
//! spaces absorb the difference to the full width (with the gaps between letters, in a
//! very loose line of a paragraph broken a second time: `track`).

use std::sync::Arc;

use super::super::frame::{FrameItem, Glyph, GlyphRun, LinkDest};
use super::super::shape::{Shaped, Shaper};
use super::super::tag::{self, Element, StructRole, Tag};
use super::linebreak::Brk;
use super::track;
use super::words::{After, Joined, Word};
use super::{Line, Piece};
use crate::geom::{Point, Pt, Size};
use crate::model::Align;

/// A run of drawn text: shaped text of one piece, or a space.
struct Seg {
    piece: usize,
    /// Where its text starts in the joined text.
    start: usize,
    /// How many bytes of `text` come from the joined text (the rest is an inserted
    /// hyphen).
    source_len: usize,
    text: String,
    space: bool,
    /// Its last character ends a word (or the line): the gap after it is no gap
    /// between letters.
    ends_word: bool,
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
    if set.justify && brk.track > 0.0 {
        content = space_letters(pieces, &mut segs, brk.track, set.width - content);
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
    let mut tags = Tags::default();
    for seg in &segs {
        let piece = &pieces[seg.piece];
        if seg.space {
            let start = x;
            x += width_of(seg) + extra(seg);
            tags.extend_link(piece, start, x);
            continue;
        }
        let Some(shaped) = &seg.shaped else { continue };
        let mut run_x = x;
        tags.link(&mut items, pieces, seg.piece, x, baseline);
        if let Some(anchor) = &piece.anchor {
            let top = baseline - piece.style.size * 1.5;
            items.push((Point::new(x, top), FrameItem::Anchor(anchor.clone())));
        }
        let offset = seg.start - joined.starts[seg.piece];
        for run in &shaped.runs {
            let y = baseline - piece.raise;
            run_x = tags.runs(&mut items, run, piece, offset, seg.source_len, run_x, y);
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
        tags.extend_link(piece, x, run_x);
        x = run_x;
    }
    // A line broken at a space ends with one (of no width), so text read from the
    // structure has the words of two lines apart.
    let at_space = line.last().is_some_and(|w| w.after == After::Glue);
    if let (true, Some(seg)) = (at_space, segs.iter().rev().find(|s| !s.space)) {
        let piece = &pieces[seg.piece];
        let shaped = shaper.shape(" ", &piece.style);
        if let Some(run) = shaped.runs.first() {
            let glyphs: Vec<Glyph> = run
                .glyphs
                .iter()
                .map(|g| Glyph { advance: Pt::ZERO, ..g.clone() })
                .collect();
            let space = GlyphRun { glyphs: glyphs.into(), ..run.clone() };
            items.push((Point::new(x, baseline - piece.raise), FrameItem::Text(space)));
        }
    }
    tags.close(&mut items, size * 1.25);
    let width = if adjusted { set.width.min(x) } else { content };
    Line { width, height, baseline, items }
}

/// The structure tags of a line: a Link element around each link's text (holding its
/// annotation), a Span around text in another language, and the inserted hyphen marked
/// as not part of the text (so copied text reads "Kazakhstan", not "Ka-zakhstan").
#[derive(Default)]
struct Tags {
    /// The open link: its destination, where its area starts and ends, its top and
    /// the index of its annotation's placeholder in the items.
    link: Option<(LinkDest, Pt, Pt, Pt, usize)>,
    /// The language of the open span.
    lang: Option<Arc<str>>,
}

impl Tags {
    /// Opens (or continues) the link of `pieces[at]` at `x`, closing any other.
    fn link(
        &mut self,
        items: &mut Vec<(Point, FrameItem)>,
        pieces: &[Piece],
        at: usize,
        x: Pt,
        baseline: Pt,
    ) {
        let piece = &pieces[at];
        let same = match (&self.link, &piece.link) {
            (Some((d, _, end, _, _)), Some(dest)) => {
                d == dest && (*end - x).0.abs() < 0.01
            }
            _ => false,
        };
        if same {
            return;
        }
        self.close_link(items, piece.style.size * 1.25);
        let Some(dest) = &piece.link else { return };
        let desc = link_description(pieces, at);
        items.push(tag::start(Element::new(StructRole::Link).alt(desc)));
        let top = baseline - piece.raise - piece.style.size;
        self.link = Some((dest.clone(), x, x, top, items.len()));
        // The annotation's area is known when the link ends.
        items.push((Point::default(), FrameItem::Anchor(String::new())));
    }

    /// Extends the open link over `start..end` if `piece` belongs to it.
    fn extend_link(&mut self, piece: &Piece, start: Pt, end: Pt) {
        if let (Some((d, _, e, _, _)), Some(dest)) = (&mut self.link, &piece.link) {
            if d == dest && (*e - start).0.abs() < 0.01 {
                *e = end;
            }
        }
    }

    fn close_lang(&mut self, items: &mut Vec<(Point, FrameItem)>) {
        if self.lang.take().is_some() {
            items.push(tag::end());
        }
    }

    fn close_link(&mut self, items: &mut Vec<(Point, FrameItem)>, height: Pt) {
        self.close_lang(items);
        if let Some((dest, start, end, top, at)) = self.link.take() {
            let size = Size::new(end - start, height);
            items[at] = (
                Point::new(start, top),
                FrameItem::Link { size, target: Box::new(dest) },
            );
            items.push(tag::end());
        }
    }

    /// Closes whatever is open at the end of the line.
    fn close(&mut self, items: &mut Vec<(Point, FrameItem)>, height: Pt) {
        self.close_link(items, height);
    }

    /// Places `run` at `x` (baseline `y`), cut where the language of its text changes
    /// and before an inserted hyphen; returns where it ends. `offset` is where the
    /// run's segment starts in the piece's text, `source` how much of the segment is
    /// the piece's text.
    #[allow(clippy::too_many_arguments)]
    fn runs(
        &mut self,
        items: &mut Vec<(Point, FrameItem)>,
        run: &GlyphRun,
        piece: &Piece,
        offset: usize,
        source: usize,
        x: Pt,
        y: Pt,
    ) -> Pt {
        if run.glyphs.is_empty() {
            return x + run.width();
        }
        if piece.langs.is_empty() && self.lang.is_none() && !run_has_hyphen(run, source) {
            items.push((Point::new(x, y), FrameItem::Text(run.clone())));
            return x + run.width();
        }
        // Cut the run into parts of one language (or the hyphen).
        let mut x = x;
        let mut at = 0; // bytes of the segment before the glyph
        let mut from = 0; // first glyph of the current part
        let lang_at = |pos: usize| -> Option<Arc<str>> {
            let pos = offset + pos;
            piece.langs.iter().find(|(r, _)| r.contains(&pos)).map(|(_, l)| l.clone())
        };
        let glyphs = &run.glyphs;
        let flush =
            |items: &mut Vec<(Point, FrameItem)>, from: usize, to: usize, x: &mut Pt| {
                if to > from {
                    // The whole run is shared, not copied.
                    let part = match (from, to) {
                        (0, n) if n == glyphs.len() => run.clone(),
                        _ => GlyphRun { glyphs: glyphs[from..to].into(), ..run.clone() },
                    };
                    let w = part.width();
                    items.push((Point::new(*x, y), FrameItem::Text(part)));
                    *x += w;
                }
            };
        // Glyph texts are kept in a run's own order (we set left-to-right text), so
        // their lengths add up to the segment's text (see the shaper's tests).
        for (i, g) in glyphs.iter().enumerate() {
            if at >= source {
                // The inserted hyphen: its own text item, marked as such.
                flush(items, from, i, &mut x);
                items.push((Point::default(), FrameItem::Tag(Tag::Hyphen)));
                flush(items, i, glyphs.len(), &mut x);
                return x;
            }
            let lang = lang_at(at);
            if lang != self.lang {
                flush(items, from, i, &mut x);
                from = i;
                self.close_lang(items);
                if let Some(l) = &lang {
                    let span = Element {
                        lang: Some(l.to_string()),
                        ..Element::new(StructRole::Span)
                    };
                    items.push(tag::start(span));
                }
                self.lang = lang;
            }
            at += g.text.len();
        }
        flush(items, from, glyphs.len(), &mut x);
        x
    }
}

/// Whether the segment of `run` reaches into an inserted hyphen: its glyphs' text is
/// longer than the segment's source text.
fn run_has_hyphen(run: &GlyphRun, source: usize) -> bool {
    run.glyphs.iter().map(|g| g.text.len()).sum::<usize>() > source
}

/// What a link's annotation says it does: the text of the pieces it covers (a
/// footnote reference: "Footnote N"), and where an address leads.
fn link_description(pieces: &[Piece], at: usize) -> String {
    let piece = &pieces[at];
    if let Some(anchor) = &piece.anchor {
        if anchor.starts_with("fnref") || piece.raise > Pt::ZERO {
            return format!("Footnote {}", piece.text.trim());
        }
    }
    let mut start = at;
    while start > 0 && pieces[start - 1].link == piece.link {
        start -= 1;
    }
    let mut text = String::new();
    for p in pieces[start..].iter().take_while(|p| p.link == piece.link) {
        text.push_str(&p.text);
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match &piece.link {
        Some(LinkDest::Url(url)) if !text.contains(url.as_str()) => {
            format!("{text} ({url})")
        }
        _ if text.is_empty() => "Link".to_string(),
        _ => text,
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
    let seg = |piece: usize, start: usize, text: String, space: bool, stretch: Pt| Seg {
        piece,
        start,
        source_len: text.len(),
        text,
        space,
        ends_word: false,
        stretch,
        shaped: None,
    };
    let mut segs: Vec<Seg> = Vec::new();
    let last = line.len().saturating_sub(1);
    for (n, word) in line.iter().enumerate() {
        for b in &word.boxes {
            let text = &joined.text[b.range.clone()];
            match segs.last_mut() {
                // (Not over a gap in the text: a soft hyphen, which is not drawn.)
                Some(s)
                    if join
                        && !s.space
                        && s.piece == b.piece
                        && s.start + s.source_len == b.range.start =>
                {
                    s.text.push_str(text);
                    s.source_len += text.len();
                    s.ends_word = false;
                }
                _ => segs.push(seg(
                    b.piece,
                    b.range.start,
                    text.to_string(),
                    false,
                    Pt::ZERO,
                )),
            }
        }
        let ends =
            matches!(word.after, After::Glue | After::Free | After::Forced | After::End);
        if let Some(s) = segs.last_mut().filter(|s| !s.space) {
            s.ends_word = ends || n == last;
        }
        if n == last {
            continue;
        }
        let piece = word.boxes.last().map_or(0, |b| b.piece);
        if let Some(space) = &word.space {
            let text = joined.text[space.range.clone()].to_string();
            segs.push(seg(space.piece, space.range.start, text, true, Pt::ZERO));
        } else if justify && word.cjk_stretch > Pt::ZERO {
            // Justified CJK text takes up slack between its characters.
            let at = joined.starts[piece];
            segs.push(seg(piece, at, String::new(), true, word.cjk_stretch));
        } else if !join {
            // Keep parts apart so they are drawn exactly as measured.
            let at = joined.starts[piece];
            segs.push(seg(piece, at, String::new(), true, Pt::ZERO));
        }
    }
    if hyphenated {
        if let Some(piece) = line.last().and_then(|w| w.boxes.last()).map(|b| b.piece) {
            match segs.last_mut() {
                Some(s) if join && !s.space && s.piece == piece => s.text.push('-'),
                _ => {
                    let end = line
                        .last()
                        .and_then(|w| w.boxes.last())
                        .map_or(0, |b| b.range.end);
                    let mut hyphen = seg(piece, end, "-".into(), false, Pt::ZERO);
                    hyphen.source_len = 0;
                    segs.push(hyphen);
                }
            }
        }
    }
    segs
}

/// Widens the gaps between letters of the drawn segments by `ratio` times their
/// stretch (`track`), but by no more than `slack` in all; returns the new total width.
fn space_letters(pieces: &[Piece], segs: &mut [Seg], ratio: f64, slack: Pt) -> Pt {
    let spaced = |segs: &[Seg], ratio: f64| -> Vec<Option<Arc<Shaped>>> {
        segs.iter()
            .map(|s| match &s.shaped {
                Some(shaped) if !s.space => {
                    track::spaced(shaped, &pieces[s.piece].style, ratio, s.ends_word)
                }
                _ => None,
            })
            .collect()
    };
    let added = |segs: &[Seg], new: &[Option<Arc<Shaped>>]| -> Pt {
        segs.iter()
            .zip(new)
            .filter_map(|(s, n)| Some(n.as_ref()?.width - s.shaped.as_ref()?.width))
            .sum()
    };
    let mut new = spaced(segs, ratio);
    let total = added(segs, &new);
    // The line breaker counted the same gaps; should it have counted fewer, the
    // spaces must still not shrink.
    if total > slack && total > Pt::ZERO {
        new = spaced(segs, ratio * (slack.max(Pt::ZERO) / total));
    }
    for (s, n) in segs.iter_mut().zip(new) {
        if n.is_some() {
            s.shaped = n;
        }
    }
    segs.iter().filter_map(|s| s.shaped.as_ref()).map(|x| x.width).sum()
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
